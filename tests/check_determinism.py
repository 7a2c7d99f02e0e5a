"""Every chapter gives the same glued values on every execution.

`make test` executes each chapter twice, independently: once under nbmake in the learner's kernel
(`relu-learner`: the course package and its extras, no myst-nb; tests/conftest.py records the values
that relu_course.glue writes there in _build/nbmake-glue/) and once in the book build (myst-nb writes
_build/jupyter_execute/chapters/<chapter>.glue.json). This file compares the two; `make test` runs it
after the main pytest run (it is not collected by a plain `pytest`, since it needs both runs). Under
`make test` (RELU_COURSE_REQUIRE_TWO_RUNS=1) it also requires that nbmake's run was the learner's: that
kernel, no myst-nb in it, and the chapters offered in JupyterLite run in the Pyodide stand-in.

Values that are timings by nature (seconds, speed ratios) cannot repeat; a notebook names them in
its metadata, ``"volatile_glue": "<regular expression>"``, and only those are skipped. If the book
took a chapter from its execution cache after the package changed, the two may differ for that
reason: `make clean` re-executes everything.
"""
import json
import os
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
NBMAKE = ROOT / "_build" / "nbmake-glue"
BOOK = ROOT / "_build" / "jupyter_execute" / "chapters"
REQUIRED = os.environ.get("RELU_COURSE_REQUIRE_TWO_RUNS") == "1"
LEARNER_KERNEL = "relu-learner"


def _book_values(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {name: out.get("data", {}).get("text/plain", "") for name, out in data.items()}


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_two_executions_glue_the_same_values(chapter):
    first, second = NBMAKE / f"{chapter.stem}.json", BOOK / f"{chapter.stem}.glue.json"
    if not (first.exists() and second.exists()):
        message = f"{chapter.stem}: no record of two executions ({first.name}, {second.name}); run `make test`"
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    run = json.loads(first.read_text(encoding="utf-8"))
    if REQUIRED:
        from relu_course.lite_site import configured_chapters

        assert run["kernel"] == LEARNER_KERNEL and run["glued_by"] == "relu_course.glue record", \
            f"{chapter.stem}: nbmake ran in kernel {run['kernel']!r} with values glued by {run['glued_by']}, " \
            f"not in the learner's kernel {LEARNER_KERNEL!r} without myst-nb"
        assert run["pyodide_standin"] == (chapter.stem in configured_chapters(ROOT))
    a = run["values"]
    b = _book_values(second)
    volatile = nbformat.read(chapter, as_version=4).metadata.get("volatile_glue")
    skip = re.compile(volatile) if volatile else None
    assert set(a) == set(b), f"glued names differ: {sorted(set(a) ^ set(b))}"
    differ = {name: (a[name], b[name]) for name in a
              if a[name] != b[name] and not (skip and skip.search(name))}
    assert not differ, f"{chapter.stem}: {len(differ)} glued values differ between two executions: " + \
        "; ".join(f"{n}: {x!r} vs {y!r}" for n, (x, y) in list(differ.items())[:12])
    assert len(a) > (sum(1 for n in a if skip and skip.search(n))), "every value skipped: the test would be empty"
