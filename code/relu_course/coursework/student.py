"""Student versions of the chapters: solutions out, placeholders in, everything else identical.

What changes, following nbgrader's conventions:

- in a code cell, every ``### BEGIN SOLUTION`` ... ``### END SOLUTION`` region becomes
  ``# YOUR CODE HERE`` / ``raise NotImplementedError()`` at the same indentation, so the function
  still defines and its check reports "not attempted";
- in Markdown, every ``{solution}`` directive (the written answers shown collapsed in the book) is
  removed, and so are the ``{solution-start}`` / ``{solution-end}`` fences around coding solutions;
- outputs and execution counts are cleared, and the notebook's metadata records its chapter, so the
  grader recognises a submission even after it is renamed.

Checks, explorers, prose and every other cell are kept as they are.

Run as ``python -m relu_course.coursework.student [chapters_dir] [out_dir]`` (``make student``).
"""
from __future__ import annotations

import argparse
import copy
import re
import sys
from pathlib import Path
from typing import Any, Sequence

import nbformat

from relu_course.coursework.notebooks import (BEGIN, END, METADATA_KEY, PLACEHOLDER, read_notebook,
                                              write_text_atomically)

FENCE = re.compile(r"^(?P<colons>:{3,})\{(?P<name>[\w-]+)\}")


def strip_solution_code(source: str) -> str:
    """Replace every marked solution region of a code cell's source with the placeholder.

    Raises ValueError when the markers are unbalanced or nested, rather than guessing.
    """
    if not isinstance(source, str):
        raise TypeError(f"source must be a string, got {type(source).__name__}")
    out: list[str] = []
    inside = False
    for line in source.split("\n"):
        stripped = line.strip()
        if stripped == BEGIN:
            if inside:
                raise ValueError(f"source has a nested {BEGIN!r}")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out.extend(indent + p for p in PLACEHOLDER.split("\n"))
        elif stripped == END:
            if not inside:
                raise ValueError(f"source has {END!r} without {BEGIN!r}")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"source has {BEGIN!r} without {END!r}")
    return "\n".join(out)


def strip_solution_markdown(source: str) -> str:
    """Remove ``{solution}`` directives and the ``{solution-start}`` / ``{solution-end}`` fences."""
    if not isinstance(source, str):
        raise TypeError(f"source must be a string, got {type(source).__name__}")
    lines = source.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if match and match.group("name") in ("solution", "solution-start", "solution-end"):
            closing = match.group("colons")
            j = i + 1
            while j < len(lines) and lines[j].strip() != closing:
                j += 1
            if j == len(lines):
                raise ValueError(f"a {{{match.group('name')}}} directive is never closed by {closing!r}")
            i = j + 1
            continue
        out.append(lines[i])
        i += 1
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n")


def student_notebook(master: Any, chapter: str) -> nbformat.NotebookNode:
    """The student version of a master notebook (the master is not modified)."""
    if not isinstance(chapter, str) or not chapter:
        raise TypeError(f"chapter must be a chapter name such as '01_what_is_relu', got {chapter!r}")
    nb = copy.deepcopy(master)
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = strip_solution_code(cell.source)
            cell.outputs, cell.execution_count = [], None
        elif cell.cell_type == "markdown":
            cell.source = strip_solution_markdown(cell.source)
            if not cell.source.strip():
                continue
        cells.append(cell)
    nb.cells = cells
    nb.metadata[METADATA_KEY] = {"chapter": chapter, "version": "student"}
    return nb


def write_notebook_atomically(nb: Any, path: Path) -> None:
    """Write ``nb`` to ``path`` without ever leaving half a notebook."""
    write_text_atomically(path, nbformat.writes(nb))


def chapter_notebooks(chapters_dir: Path) -> list[Path]:
    """The chapter notebooks (``NN_name.ipynb``) of a folder, in order."""
    return sorted(p for p in chapters_dir.glob("[0-9][0-9]_*.ipynb") if p.is_file())


def write_student_versions(chapters_dir: Path | str, out_dir: Path | str) -> list[Path]:
    """Write the student version of every chapter of ``chapters_dir`` into ``out_dir``; return the paths.

    Every notebook is converted before anything is written, so a broken master leaves no partial set.
    """
    chapters_dir, out_dir = Path(chapters_dir), Path(out_dir)
    if not chapters_dir.is_dir():
        raise ValueError(f"chapters_dir {str(chapters_dir)!r} is not a folder")
    sources = chapter_notebooks(chapters_dir)
    if not sources:
        raise ValueError(f"chapters_dir {str(chapters_dir)!r} holds no chapter notebooks (NN_name.ipynb)")
    versions = [(out_dir / p.name, student_notebook(read_notebook(p), p.stem)) for p in sources]
    for path, nb in versions:
        write_notebook_atomically(nb, path)
    return [path for path, _ in versions]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="relu-course-student", description=__doc__.split("\n")[0])
    parser.add_argument("chapters", nargs="?", default="chapters", help="folder of master notebooks")
    parser.add_argument("out", nargs="?", default="_build/student", help="folder for the student versions")
    args = parser.parse_args(argv)
    try:
        paths = write_student_versions(args.chapters, args.out)
    except (ValueError, OSError) as err:
        print(f"relu-course-student: {err}", file=sys.stderr)
        return 2
    print(f"wrote {len(paths)} student notebooks to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
