"""Self-checks for the course's exercises.

In a notebook: ``check_exercise("ex-what-is-relu-implement", globals())``. The check looks the
learner's function up by name, so a missing or misspelt name gets a message rather than a
NameError, and the learner's own errors are reported as hints rather than tracebacks. A check
never prints a solution.

With the environment variable ``RELU_COURSE_STRICT_CHECKS=1`` (set by ``make test`` and
``make book``), a check that does not pass raises AssertionError after printing its feedback, so a
broken master solution fails the build.
"""
from relu_course.checks.exercise import Exercise
from relu_course.checks.registry import EXERCISES, check_exercise
from relu_course.checks.report import CheckReport, Part

__all__ = ["EXERCISES", "Exercise", "check_exercise", "CheckReport", "Part"]
