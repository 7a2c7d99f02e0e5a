"""What an instructor needs to know before assigning a chapter: its exercises, quiz and size.

Everything is read from the chapter notebooks and the check registry when the instructor page is
built, so the tables cannot drift from the chapters.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from relu_course.checks.registry import EXERCISES
from relu_course.coursework.notebooks import EXERCISE, read_notebook
from relu_course.coursework.student import chapter_notebooks

#: Reading speed used for the reading-time estimate of technical prose (words per minute).
WORDS_PER_MINUTE = 150


@dataclass(frozen=True)
class ExerciseEntry:
    chapter: str
    exercise_id: str
    title: str
    kind: str           # "coding (checked)" or "written"
    covers: str         # for coding exercises, what the check tests (its docstring)


@dataclass(frozen=True)
class ChapterEntry:
    chapter: str
    title: str
    words: int
    code_cells: int
    coding: int
    written: int
    has_quiz: bool

    @property
    def reading_minutes(self) -> int:
        """Estimated reading time of the prose, rounded up to 5 minutes (exercises not included)."""
        return max(5, 5 * math.ceil(self.words / WORDS_PER_MINUTE / 5))


def _covers(exercise_id: str) -> str:
    doc = (EXERCISES[exercise_id].checker.__doc__ or "").strip().splitlines()
    first = doc[0] if doc else ""
    first = first.split(":", 1)[1].strip() if first.startswith(exercise_id) else first
    return first.replace("``", "`")


def catalogue(chapters_dir: Path | str) -> tuple[list[ChapterEntry], list[ExerciseEntry]]:
    """Every chapter of ``chapters_dir`` with its size, and every exercise with its kind."""
    if not isinstance(chapters_dir, (str, Path)):
        raise TypeError(f"chapters_dir must be a folder path, got {type(chapters_dir).__name__}")
    folder = Path(chapters_dir)
    if not folder.is_dir():
        raise ValueError(f"chapters_dir {str(folder)!r} is not a folder")
    chapters, exercises = [], []
    for path in chapter_notebooks(folder):
        nb = read_notebook(path)
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), path.stem)
        coding = written = 0
        for ex_title, label in EXERCISE.findall(text):
            checked = label in EXERCISES
            coding, written = coding + checked, written + (not checked)
            exercises.append(ExerciseEntry(path.stem, label, ex_title.strip(),
                                           "coding (checked)" if checked else "written",
                                           _covers(label) if checked else ""))
        code = [c for c in nb.cells if c.cell_type == "code"]
        chapters.append(ChapterEntry(path.stem, title, len(re.findall(r"[A-Za-z]+", text)), len(code),
                                     coding, written, any("show_quiz(" in c.source for c in code)))
    return chapters, exercises
