"""Markdown tables built from computed values, so every cell a chapter shows comes from a cell's result."""
from __future__ import annotations

from typing import Any, Sequence


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A Markdown pipe table; a ``|`` or newline inside a cell is escaped. Display it with
    ``IPython.display.Markdown``."""
    if isinstance(header, str) or not len(header):
        raise ValueError("header must be a non-empty sequence of column titles")
    if isinstance(rows, str) or any(isinstance(r, str) or len(r) != len(header) for r in rows):
        raise ValueError(f"rows must be a sequence of rows with {len(header)} cells each, like the header")

    def cell(value: Any) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)
