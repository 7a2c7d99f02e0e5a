"""Coursework tools for instructors: student versions of the chapters, and a batch grader.

- :mod:`relu_course.coursework.student` writes a student version of every chapter (``make student``).
- :mod:`relu_course.coursework.grader` executes a folder of submissions and writes a score table
  (``make grade SUBMISSIONS=dir``).

Both work on the nbgrader conventions (``### BEGIN SOLUTION`` / ``### END SOLUTION`` and
``nbgrader`` cell metadata), so an instructor who uses nbgrader can use the master notebooks directly.
"""
