"""What the coursework tools need to know about a chapter notebook: its chapter, exercises and solutions."""
from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import nbformat

from relu_course.checks.registry import EXERCISES

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
#: The placeholder nbgrader puts where a solution was.
PLACEHOLDER = "# YOUR CODE HERE\nraise NotImplementedError()"
#: The notebook metadata key under which the course records a notebook's chapter.
METADATA_KEY = "relu_course"
CHECK_CALL = re.compile(r"check_exercise\(\s*[\"'](ex-[\w-]+)[\"']")
#: An exercise directive: its title (group 1) and its label (group 2).
EXERCISE = re.compile(r":::\{exercise\}\s*([^\n]*)\n:label: (\S+)")
CHAPTER_NAME = re.compile(r"\d\d_\w+")


def write_text_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder, then rename it, so a
    failure never leaves a half-written file (a reader sees the old file or the new one)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class NotebookError(ValueError):
    """A file that is not a readable Jupyter notebook."""


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """Read and validate a notebook (version 4), or raise NotebookError saying why it cannot be used."""
    if not isinstance(path, (str, Path)):
        raise TypeError(f"path must be a file path, got {type(path).__name__}")
    path = Path(path)
    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception as err:  # JSON errors, unknown versions, binary files: all mean "not a notebook"
        raise NotebookError(f"{path.name} is not a readable notebook ({type(err).__name__}: {err})") from None
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as err:
        raise NotebookError(f"{path.name} is not a valid notebook ({err.message})") from None
    return nb


def chapter_exercises(chapter: str) -> list[str]:
    """The ids of the checkable exercises of ``chapter`` (e.g. ``"01_what_is_relu"``), in id order."""
    if not isinstance(chapter, str):
        raise TypeError(f"chapter must be a chapter name such as '01_what_is_relu', got {type(chapter).__name__}")
    return sorted(e.exercise_id for e in EXERCISES.values() if e.chapter == chapter)


def chapter_of(nb: Any, filename: str = "") -> str | None:
    """The chapter a notebook belongs to, even if it was renamed or its cells were edited.

    Tried in order: the course's notebook metadata, the exercise ids its check cells name, and the
    file name (``01_what_is_relu*.ipynb``). None when nothing identifies it.
    """
    if not isinstance(nb, Mapping) or not isinstance(nb.get("cells"), list):
        raise TypeError(f"nb must be a notebook (as nbformat.read returns), got {type(nb).__name__}")
    recorded = nb.get("metadata", {}).get(METADATA_KEY, {}).get("chapter")
    known = {e.chapter for e in EXERCISES.values()}
    if isinstance(recorded, str) and recorded in known:
        return recorded
    named = {EXERCISES[i].chapter for c in nb.get("cells", []) for i in CHECK_CALL.findall(_source(c))
             if i in EXERCISES}
    if len(named) == 1:
        return named.pop()
    match = CHAPTER_NAME.match(filename)
    return match.group(0) if match and match.group(0) in known else None


def _source(cell: Any) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def solution_cells(nb: Any) -> list[int]:
    """Indices of the code cells that hold a marked solution."""
    if not isinstance(nb, Mapping) or not isinstance(nb.get("cells"), list):
        raise TypeError(f"nb must be a notebook (as nbformat.read returns), got {type(nb).__name__}")
    return [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and BEGIN in c.source]


def check_cells(nb: Any) -> dict[int, str]:
    """Indices of the check cells, with the exercise id each one checks."""
    if not isinstance(nb, Mapping) or not isinstance(nb.get("cells"), list):
        raise TypeError(f"nb must be a notebook (as nbformat.read returns), got {type(nb).__name__}")
    found = {}
    for i, c in enumerate(nb.cells):
        ids = CHECK_CALL.findall(c.source) if c.cell_type == "code" else []
        if ids:
            found[i] = ids[0]
    return found
