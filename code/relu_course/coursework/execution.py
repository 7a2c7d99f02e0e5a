"""Execute one submitted notebook and check its exercises; meant to run in a process of its own.

``python -m relu_course.coursework.execution SUBMISSION RESULT.json [--cell-timeout S]`` copies the
submission into a fresh temporary folder (so it cannot touch other files), drops its stored outputs,
appends a grading cell, runs every cell in order with errors allowed (a broken cell does not stop
the rest), interrupts any cell that runs past the time limit, and writes a JSON result: the chapter,
each exercise's status and score, the cells that raised, and a reason when the notebook could not
be graded at all. The batch grader (:mod:`relu_course.coursework.grader`) runs this in a subprocess
with a wall-clock limit, so a kernel that dies or hangs loses this submission's run only.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Sequence

import nbformat

from relu_course.checks.registry import EXERCISES
from relu_course.coursework.notebooks import (NotebookError, chapter_exercises, chapter_of, read_notebook,
                                              write_text_atomically)

KERNEL = "python3"
REPORT_FILE = "report.json"


def grading_cell(chapter: str, report_path: Path, check_timeout: int) -> nbformat.NotebookNode:
    source = ("import relu_course.coursework.kernel_report as _relu_course_report\n"
              f"_relu_course_report.write_report({chapter!r}, globals(), {str(report_path)!r}, {check_timeout})")
    return nbformat.v4.new_code_cell(source)


def _cell_errors(nb: Any, n_cells: int) -> list[str]:
    """'cell 5: NameError' for every submitted cell whose run ended in an error."""
    found = []
    for i, cell in enumerate(nb.cells[:n_cells]):
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if out.get("output_type") == "error":
                found.append(f"cell {i + 1}: {out.get('ename', 'error')}")
    return found


def _broken_definitions(nb: Any, n_cells: int, chapter: str) -> dict[str, str]:
    """Exercise ids whose function is defined in a cell that raised (a syntax error, say), with that error.

    Such a function is missing from the kernel, but the learner did attempt it: the grade says "error"
    and points at the cell rather than "not attempted".
    """
    functions = {e.function_name: e.exercise_id for e in EXERCISES.values() if e.chapter == chapter}
    found = {}
    for i, cell in enumerate(nb.cells[:n_cells]):
        if cell.cell_type != "code":
            continue
        errors = [o.get("ename", "error") for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        for name, exercise_id in functions.items():
            if errors and f"def {name}(" in cell.source:
                found[exercise_id] = (f"`{name}` is not defined because the cell that defines it raised "
                                      f"{errors[0]} (cell {i + 1}); fix that cell and run it again")
    return found


def result(chapter: str | None, reason: str = "", exercises: dict[str, Any] | None = None,
           errors: Sequence[str] = ()) -> dict[str, Any]:
    """The JSON result of one submission. ``reason`` is empty when the notebook was graded normally."""
    return {"chapter": chapter, "reason": reason, "exercises": exercises or {}, "cell_errors": list(errors)}


def execute_submission(path: Path, cell_timeout: int, check_timeout: int = 60) -> dict[str, Any]:
    """Run and check one submission; every failure becomes a reason in the result, never an exception."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    from relu_course.kernel_polling import poll_in_slices

    poll_in_slices()  # no stall until a cell's time limit after a widget cell

    try:
        nb = read_notebook(path)
    except NotebookError as err:
        return result(None, str(err))
    chapter = chapter_of(nb, path.name)
    if chapter is None:
        return result(None, "cannot tell which chapter this is (no course metadata, no check cell, "
                            "and the file name does not start with a chapter name)")
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    n_cells = len(nb.cells)
    with tempfile.TemporaryDirectory(prefix="relu-course-grade-") as work:
        report = Path(work) / REPORT_FILE
        nb.cells.append(grading_cell(chapter, report, check_timeout))
        client = NotebookClient(nb, timeout=cell_timeout, kernel_name=KERNEL, allow_errors=True,
                                interrupt_on_timeout=True, record_timing=False,
                                resources={"metadata": {"path": work}})
        reason = ""
        try:
            client.execute()
        except DeadKernelError:
            reason = "the kernel died while running the notebook (out of memory, or the process was killed)"
        except CellTimeoutError:
            reason = f"a cell ran past {cell_timeout} s and could not be interrupted"
        except Exception as err:  # the kernel could not start, or nbclient failed in another way
            reason = f"the notebook could not be executed ({type(err).__name__}: {err})"
        errors = _cell_errors(nb, n_cells)
        if report.exists():
            checked = json.loads(report.read_text(encoding="utf-8"))["exercises"]
            for exercise_id, message in _broken_definitions(nb, n_cells, chapter).items():
                entry = checked.get(exercise_id, {})
                if entry.get("status") == "not attempted" and entry.get("message", "").startswith("No `"):
                    checked[exercise_id] = {"status": "error", "score": 0.0, "message": message}
            return result(chapter, reason, checked, errors)
    missing = {eid: {"status": "error", "score": 0.0, "message": "not checked"} for eid in chapter_exercises(chapter)}
    return result(chapter, reason or "the grading cell did not run", missing, errors)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m relu_course.coursework.execution")
    parser.add_argument("submission", type=Path)
    parser.add_argument("result", type=Path)
    parser.add_argument("--cell-timeout", type=int, default=120)
    parser.add_argument("--check-timeout", type=int, default=60)
    args = parser.parse_args(argv)
    os.environ.pop("RELU_COURSE_STRICT_CHECKS", None)   # a learner's failing check must not stop the run
    outcome = execute_submission(args.submission, args.cell_timeout, args.check_timeout)
    write_text_atomically(args.result, json.dumps(outcome))
    return 0


if __name__ == "__main__":
    sys.exit(main())
