"""Incremental builds: after one chapter changes, the next `make book` re-executes that chapter only.

Building the real book three times would take many minutes, so this builds a two-notebook book with
the course's own execution settings (the `execute` section of `_config.yml`) with `make book BOOK=...`,
the README's command pointed at another folder: its parallel execution step (relu_course.execution_cache)
and then Jupyter Book. Each notebook appends its name to a file when it runs, so the test counts
executions without relying on the build log's wording.
"""
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")


def _notebook(name: str, extra_code: str = "", text: str = "Some prose.") -> nbformat.NotebookNode:
    record = f"from pathlib import Path\nwith Path('runs.txt').open('a') as f:\n    f.write('{name}\\n')"
    return nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell(f"# Chapter {name}\n\n{text}"),
               nbformat.v4.new_code_cell(record + extra_code)],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})


def _build(book: Path) -> list[str]:
    """Build like `make book` and return the notebooks that executed, in order."""
    runs = book / "runs.txt"
    runs.unlink(missing_ok=True)
    result = subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), "book", f"BOOK={book}"],
                            capture_output=True, text=True, timeout=600)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-3000:]
    assert "Executing notebook" not in log, "the build executed a notebook that the parallel step should have cached"
    return runs.read_text().split() if runs.exists() else []


@pytest.mark.skipif(shutil.which("make") is None or not JUPYTER_BOOK.exists(),
                    reason="make, or jupyter-book beside this Python, is missing")
def test_changing_one_chapter_re_executes_only_that_chapter(tmp_path):
    course_config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert course_config["execute"]["execute_notebooks"] == "cache", "the book must build from an execution cache"
    config = {"title": "incremental", "only_build_toc_files": True, "execute": course_config["execute"],
              "exclude_patterns": ["_build"]}
    book = tmp_path / "book"
    book.mkdir()
    (book / "_config.yml").write_text(yaml.safe_dump(config))
    (book / "_toc.yml").write_text("format: jb-book\nroot: a\nchapters:\n- file: b\n")
    nbformat.write(_notebook("a"), book / "a.ipynb")
    nbformat.write(_notebook("b"), book / "b.ipynb")

    assert sorted(_build(book)) == ["a", "b"], "a clean build executes every chapter"
    assert _build(book) == [], "an unchanged book executes nothing"

    nbformat.write(_notebook("b", extra_code="\nprint('changed')"), book / "b.ipynb")
    assert _build(book) == ["b"], "only the chapter whose code changed re-executes"
    assert "changed" in (book / "_build" / "html" / "b.html").read_text(), "its new output is on its page"

    nbformat.write(_notebook("a", text="Reworded prose, same code."), book / "a.ipynb")
    assert _build(book) == [], "a change to prose alone re-executes nothing (the cache is keyed on code)"
    assert "Reworded prose" in (book / "_build" / "html" / "a.html").read_text()
