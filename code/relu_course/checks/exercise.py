"""The description of one checkable coding exercise."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from relu_course.checks.report import Part


@dataclass(frozen=True)
class Exercise:
    """A coding exercise: its stable id, its chapter (notebook name without .ipynb), the name of the
    function the learner defines, and the checker that tests that function."""

    exercise_id: str
    chapter: str
    function_name: str
    checker: Callable[[Callable[..., Any], str], list[Part]]
