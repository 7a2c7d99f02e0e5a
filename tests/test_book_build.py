"""`make book`, the README's command, builds the whole site, executing every notebook, with zero
warnings (it runs jupyter-book with -W, which turns warnings into errors)."""
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUILD_LOG = ROOT / "_build" / "book-build.log"


@pytest.mark.book
@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_book_builds_without_warnings():
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # the kernels must render figures inline
    result = subprocess.run(["make", "--no-print-directory", "book"], cwd=ROOT,
                            capture_output=True, text=True, env=env, timeout=1800)
    log = result.stdout + result.stderr
    BUILD_LOG.parent.mkdir(exist_ok=True)
    BUILD_LOG.write_text(log)
    # Sphinx reports "path: WARNING: message"; a kernel's own log lines ("[IPKernelApp] WARNING | ...") are not build warnings.
    warnings = [line for line in log.splitlines() if re.search(r"\b(WARNING|ERROR|CRITICAL):", line)]
    print(f"book build: exit {result.returncode}, {len(warnings)} warning(s); log in {BUILD_LOG}")
    assert result.returncode == 0 and not warnings, "\n".join(warnings[:40]) or log[-3000:]
    assert "Executing notebook" not in log, \
        "Jupyter Book executed a notebook itself: relu_course.execution_cache (make book's first step) missed it"

    assert f"The site: {ROOT}/_build/html/index.html" in result.stdout
    html = ROOT / "_build" / "html"
    chapter = (html / "chapters" / "01_what_is_relu.html").read_text()
    figures = re.findall(r'<img[^>]+src="\.\./_images/[^"]+\.png"', chapter)
    assert len(figures) >= 2, "the chapter's matplotlib figures did not render"
    assert "Traceback" not in chapter
    external = {page.relative_to(html).as_posix(): re.findall(r"<script[^>]+src=\"(https?://[^\"]+)\"", page.read_text())
                for page in html.rglob("*.html")}
    assert not any(external.values()), f"pages load scripts from the network: {external}"
    assert (html / "_static" / "mathjax" / "tex-chtml.js").exists(), "the vendored MathJax was not copied"
