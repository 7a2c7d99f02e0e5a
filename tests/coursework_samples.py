"""A class's worth of prepared submissions for chapter 1, built from its current student version.

Each submission is the student notebook with one thing done to it, and comes with what the grader
must report for it. Expectations follow from how each one is built, not from a grader run.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from relu_course.coursework.notebooks import METADATA_KEY, PLACEHOLDER

CHAPTER = "01_what_is_relu"
IMPLEMENT, DERIVATIVE = "ex-what-is-relu-implement", "ex-what-is-relu-derivative"
CORRECT = {"my_relu": "return np.maximum(x, 0.0)",
           "my_relu_derivative": "return np.where(np.asarray(x) > 0, 1.0, 0.0)"}
# a learner's answers for the cases below, written independently of the master solutions
GE_BUG = "return (np.asarray(x) >= 0).astype(float)"
ENDLESS = "while True:\n        pass"


@dataclass(frozen=True)
class Expected:
    """What the grade table must say about one submission."""

    statuses: dict[str, str]                       # exercise id -> status ("" when ungraded)
    reason: str = ""                               # a phrase the reason must contain
    partial: tuple[str, ...] = ()                  # exercises whose score lies strictly between 0 and 1
    message: dict[str, str] = field(default_factory=dict)  # exercise id -> phrase its row must contain


def _answer(nb: nbformat.NotebookNode, function: str, body: str) -> None:
    """Replace the placeholder in the cell that defines ``function`` with ``body``."""
    for cell in nb.cells:
        if cell.cell_type == "code" and f"def {function}(" in cell.source:
            assert PLACEHOLDER.split("\n")[0] in cell.source, "the student version has no placeholder"
            lines = PLACEHOLDER.split("\n")
            cell.source = cell.source.replace(lines[0], "").replace(lines[1], body)
            return
    raise AssertionError(f"no cell defines {function}")


def _short(student: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The setup cell and the exercise section only (a learner who deleted the rest; also quicker to run)."""
    nb = copy.deepcopy(student)
    start = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and "## Exercises" in c.source)
    setup = next(c for c in nb.cells if c.cell_type == "code")
    nb.cells = [setup] + nb.cells[start:]
    return nb


def _solved(student: nbformat.NotebookNode, **bodies: str) -> nbformat.NotebookNode:
    nb = copy.deepcopy(student)
    for function, body in {**CORRECT, **bodies}.items():
        _answer(nb, function, body)
    return nb


def _insert(nb: nbformat.NotebookNode, source: str, before_function: str = "my_relu") -> nbformat.NotebookNode:
    at = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and f"def {before_function}(" in c.source)
    nb.cells.insert(at, nbformat.v4.new_code_cell(source))
    return nb


def build(student: nbformat.NotebookNode, folder: Path) -> dict[str, Expected]:
    """Write the submissions into ``folder``; return what the grader must report, by submission path.

    Alice's and Carol's are the whole chapter; the others keep the setup cell and the exercises only.
    """
    full, student = student, _short(student)
    both = {IMPLEMENT: "passed", DERIVATIVE: "passed"}
    subs: dict[str, tuple[object, Expected]] = {}
    subs[f"alice/{CHAPTER}.ipynb"] = (_solved(full), Expected(both))
    subs["bob.ipynb"] = (_solved(student, my_relu_derivative=GE_BUG),
                         Expected({IMPLEMENT: "passed", DERIVATIVE: "failed"}, partial=(DERIVATIVE,),
                                  message={DERIVATIVE: "x = 0"}))
    subs["carol.ipynb"] = (copy.deepcopy(full), Expected({IMPLEMENT: "not attempted", DERIVATIVE: "not attempted"}))
    dave = _solved(student)
    cell = next(c for c in dave.cells if "def my_relu(" in c.source)
    cell.source = cell.source.replace("def my_relu(x):", "def my_relu(x)")
    subs["dave.ipynb"] = (dave, Expected({IMPLEMENT: "error", DERIVATIVE: "passed"}, reason="SyntaxError",
                                         message={IMPLEMENT: "the cell that defines it raised SyntaxError"}))
    subs["erin.ipynb"] = (_insert(_solved(student), "raise RuntimeError('my experiment broke')"),
                          Expected(both, reason="RuntimeError"))
    subs["frank.ipynb"] = (_insert(_solved(student), "while True:\n    pass"), Expected(both, reason="KeyboardInterrupt"))
    subs["grace.ipynb"] = (_solved(student, my_relu=ENDLESS),
                           Expected({IMPLEMENT: "error", DERIVATIVE: "passed"}, message={IMPLEMENT: "longer than"}))
    heidi = _solved(student)
    heidi.cells = [nbformat.v4.new_code_cell("import numpy as np")] + [
        c for c in heidi.cells if c.cell_type == "code" and "def my_relu" in c.source]
    subs["heidi.ipynb"] = (heidi, Expected(both))
    ivan = _solved(student)
    ivan.cells = ivan.cells[::-1]
    subs["ivan.ipynb"] = (ivan, Expected(both))
    judy = _solved(student)
    judy.metadata.pop(METADATA_KEY, None)
    subs["Judy's homework (final).ipynb"] = (judy, Expected(both))
    subs["ken.ipynb"] = (_insert(_solved(student), "print('relu ' * 5_000_000)"), Expected(both))
    subs["leo.ipynb"] = (_insert(_solved(student), "import os\nos._exit(1)", before_function="my_relu_derivative"),
                         Expected({IMPLEMENT: "error", DERIVATIVE: "error"}, reason="kernel died"))
    subs["mallory.ipynb"] = ("this is not a notebook\n", Expected({}, reason="not a readable notebook"))
    nina = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("My notes on ReLU.")])
    subs["nina.ipynb"] = (nina, Expected({}, reason="cannot tell which chapter"))
    for rel, (content, _) in subs.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            nbformat.write(content, str(path))
    return {rel: expected for rel, (_, expected) in subs.items()}
