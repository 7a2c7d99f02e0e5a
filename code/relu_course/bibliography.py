"""The course's bibliography, shipped inside the package so that a chapter finds it wherever it runs.

The book (``_config.yml``: ``bibtex_bibfiles``) and the package read the same file,
``relu_course/data/references.bib``: a notebook opened alone on Colab or in JupyterLite has no clone of
the course around it, only the installed package.
"""
from __future__ import annotations

import re
from pathlib import Path

#: The BibTeX file: every work the course cites, each checked against its primary source.
BIBLIOGRAPHY = Path(__file__).resolve().parent / "data" / "references.bib"


def bibliography_text() -> str:
    """The text of the BibTeX file."""
    return BIBLIOGRAPHY.read_text(encoding="utf-8")


def entry_keys(bib_text: str | None = None) -> set[str]:
    """The keys of every entry (``@article{key, ...``) of ``bib_text``, by default the course's file."""
    if bib_text is None:
        bib_text = bibliography_text()
    if not isinstance(bib_text, str):
        raise TypeError(f"bib_text must be BibTeX text or None, got {type(bib_text).__name__}")
    return set(re.findall(r"^@\w+\{([^,\s]+),", bib_text, re.M))
