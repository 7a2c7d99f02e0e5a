"""nbgrader cell metadata for the master notebooks, derived from the course's own markers.

A solution cell (one with ``### BEGIN SOLUTION``) becomes an nbgrader *solution* cell whose
``grade_id`` is its exercise id; a check cell (``check_exercise("<id>", globals())``) becomes a
locked, autograded *test* cell worth one point, ``grade_id`` ``check-<id>``. An instructor who uses
nbgrader can then take the master notebooks as they are (autograde with
``RELU_COURSE_STRICT_CHECKS=1`` so that a failing check raises and scores 0).

``python -m relu_course.coursework.nbgrader_tags chapters/*.ipynb`` writes the metadata in place.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any, Sequence

from relu_course.checks.registry import EXERCISES
from relu_course.coursework.notebooks import check_cells, read_notebook, solution_cells
from relu_course.coursework.student import write_notebook_atomically

SCHEMA_VERSION = 3
DEFINED = re.compile(r"^def (\w+)\(", re.M)


def solution_metadata(exercise_id: str) -> dict[str, Any]:
    return {"grade": False, "grade_id": exercise_id, "locked": False, "schema_version": SCHEMA_VERSION,
            "solution": True, "task": False}


def check_metadata(exercise_id: str) -> dict[str, Any]:
    return {"grade": True, "grade_id": f"check-{exercise_id}", "locked": True, "points": 1,
            "schema_version": SCHEMA_VERSION, "solution": False, "task": False}


def expected_tags(nb: Any, chapter: str) -> dict[int, dict[str, Any]]:
    """The nbgrader metadata each solution and check cell of ``nb`` should carry, by cell index.

    Raises ValueError when a solution cell defines no function of an exercise of ``chapter``.
    """
    by_function = {e.function_name: e.exercise_id for e in EXERCISES.values() if e.chapter == chapter}
    tags = {}
    for i in solution_cells(nb):
        names = [n for n in DEFINED.findall(nb.cells[i].source) if n in by_function]
        if not names:
            raise ValueError(f"{chapter}: the solution cell {i} defines none of {sorted(by_function)}")
        tags[i] = solution_metadata(by_function[names[0]])
    for i, exercise_id in check_cells(nb).items():
        tags[i] = check_metadata(exercise_id)
    return tags


def tag_file(path: Path) -> bool:
    """Write the nbgrader metadata into the notebook at ``path``; True when it changed."""
    nb = read_notebook(path)
    changed = False
    for i, meta in expected_tags(nb, path.stem).items():
        if nb.cells[i].metadata.get("nbgrader") != meta:
            nb.cells[i].metadata["nbgrader"] = meta
            changed = True
    if changed:
        write_notebook_atomically(nb, path)
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    paths = [Path(p) for p in (sys.argv[1:] if argv is None else argv)]
    for path in paths:
        print(f"{path}: {'tagged' if tag_file(path) else 'already tagged'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
