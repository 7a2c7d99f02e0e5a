"""The whole book builds, executing every notebook, with zero warnings (-W turns them into errors)."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUILD_LOG = ROOT / "_build" / "book-build.log"


@pytest.mark.book
def test_book_builds_without_warnings():
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # the kernels must render figures inline
    env["RELU_COURSE_STRICT_CHECKS"] = "1"
    result = subprocess.run([str(jupyter_book), "build", str(ROOT), "-W", "--keep-going"],
                            capture_output=True, text=True, env=env, timeout=1800)
    log = result.stdout + result.stderr
    BUILD_LOG.parent.mkdir(exist_ok=True)
    BUILD_LOG.write_text(log)
    # Sphinx reports "path: WARNING: message"; a kernel's own log lines ("[IPKernelApp] WARNING | ...") are not build warnings.
    warnings = [line for line in log.splitlines() if re.search(r"\b(WARNING|ERROR|CRITICAL):", line)]
    print(f"book build: exit {result.returncode}, {len(warnings)} warning(s); log in {BUILD_LOG}")
    assert result.returncode == 0 and not warnings, "\n".join(warnings[:40]) or log[-3000:]

    html = ROOT / "_build" / "html"
    chapter = (html / "chapters" / "01_what_is_relu.html").read_text()
    assert chapter.count("<img") >= 2, "the chapter's figures did not render"
    assert "Traceback" not in chapter
    external = {page.relative_to(html).as_posix(): re.findall(r"<script[^>]+src=\"(https?://[^\"]+)\"", page.read_text())
                for page in html.rglob("*.html")}
    assert not any(external.values()), f"pages load scripts from the network: {external}"
    assert (html / "_static" / "mathjax" / "tex-chtml.js").exists(), "the vendored MathJax was not copied"
