"""A Sphinx extension that ships JupyterLite with the site: the chapters that run without TensorFlow,
executable in the reader's browser, with the course package installed from a wheel built here.

At ``build-finished`` it builds the course package's wheel (``pip wheel ./code``) and runs
``jupyter lite build`` (jupyterlite-core with the Pyodide kernel) into ``<site>/lite/``: the Notebook
app only, no source maps, the chapters listed in ``relu_course_lite_chapters``.
Every listed chapter's page gets a "JupyterLite" entry in its launch menu. Nothing is rebuilt when the
inputs (the chapters, the package's sources, the tool versions) are unchanged.

Why not jupyterlite-sphinx: it adds a Google Fonts stylesheet to every page of the site (a request to a
third party on every page view) and a second parser for ``.ipynb`` files beside myst-nb's; the site needs
neither, only the Lite build and a link.

What the reader's browser fetches when a chapter is opened in JupyterLite: the Pyodide runtime and its
NumPy, SciPy, matplotlib and scikit-learn builds come from Pyodide's CDN (JupyterLite's default; they are
not on the package registries this project can install from), the course package from the site itself.
TensorFlow and PyTorch do not exist for Pyodide, which is why only chapters that run without them are
offered.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Sequence

#: Where the Lite site goes inside the HTML output, and the app that opens one notebook.
LITE_FOLDER = "lite"
LITE_APP = "notebooks"
STAMP = ".relu-course-lite-inputs"
_TOOLS = ("jupyterlite-core", "jupyterlite-pyodide-kernel")


def chapter_names(chapters: Any) -> list[str]:
    """Validate the configured list: chapter notebook names without folder or suffix."""
    if isinstance(chapters, str) or not isinstance(chapters, Sequence):
        raise TypeError(f"chapters must be a list of chapter names such as '07_variants', got "
                        f"{type(chapters).__name__}")
    for name in chapters:
        if not isinstance(name, str) or not name or "/" in name or name.endswith(".ipynb"):
            raise ValueError(f"chapters must hold names such as '07_variants' (no folder, no .ipynb), got {name!r}")
    return list(chapters)


def configured_chapters(book_root: Path) -> list[str]:
    """The chapters ``_config.yml`` in ``book_root`` offers in JupyterLite (``relu_course_lite_chapters``)."""
    import yaml

    if not isinstance(book_root, (str, Path)):
        raise TypeError(f"book_root must be the book's folder (a path), got {type(book_root).__name__}")
    config_file = Path(book_root) / "_config.yml"
    if not config_file.is_file():
        raise ValueError(f"book_root must hold the book's _config.yml, {config_file} does not exist")
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    return chapter_names(config.get("sphinx", {}).get("config", {}).get("relu_course_lite_chapters", []))


def lite_url(pagename: str, chapter: str, pathto: Any) -> str:
    """The address, relative to ``pagename``'s page, that opens ``chapter`` in JupyterLite."""
    return f"{pathto(f'{LITE_FOLDER}/{LITE_APP}/index.html', 1)}?path={chapter}.ipynb"


def inputs_digest(srcdir: Path, chapters: Sequence[str]) -> str:
    """A digest of everything the Lite build depends on: chapters, package sources, tool versions."""
    digest = hashlib.sha256()
    files = [srcdir / "chapters" / f"{c}.ipynb" for c in chapters]
    files += sorted(p for p in (srcdir / "code").rglob("*") if p.is_file() and "__pycache__" not in p.parts
                    and ".egg-info" not in p.as_posix() and "build" not in p.relative_to(srcdir / "code").parts[:1])
    for path in files:
        digest.update(path.relative_to(srcdir).as_posix().encode())
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
    for tool in _TOOLS:
        digest.update(f"{tool}=={importlib.metadata.version(tool)}".encode())
    return digest.hexdigest()


def _run(command: list[str], cwd: Path) -> None:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"{' '.join(command[:4])} ... failed ({result.returncode}):\n"
                           f"{result.stdout[-2000:]}\n{result.stderr[-2000:]}")


def build_lite(srcdir: Path, outdir: Path, chapters: Sequence[str]) -> bool:
    """Build ``outdir/lite`` unless its inputs are unchanged; return whether it was built."""
    srcdir, outdir, chapters = Path(srcdir), Path(outdir), chapter_names(chapters)
    missing = [c for c in chapters if not (srcdir / "chapters" / f"{c}.ipynb").is_file()]
    if missing:
        raise ValueError(f"chapters names notebooks that do not exist: {missing}")
    target = outdir / LITE_FOLDER
    digest = inputs_digest(srcdir, chapters)
    if (target / STAMP).is_file() and (target / STAMP).read_text() == digest:
        return False
    with tempfile.TemporaryDirectory(prefix="relu-course-lite-") as work:
        work_dir = Path(work)
        contents, wheels, staged = work_dir / "contents", work_dir / "wheels", work_dir / "out"
        contents.mkdir()
        for chapter in chapters:
            shutil.copy2(srcdir / "chapters" / f"{chapter}.ipynb", contents)
        package = work_dir / "code"            # a copy: setuptools writes build/ and egg-info beside the sources
        shutil.copytree(srcdir / "code", package, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
        _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
              "--wheel-dir", str(wheels), str(package)], work_dir)
        wheel = next(wheels.glob("relu_course-*.whl"))
        _run([sys.executable, "-m", "jupyterlite_core", "build", "--contents", str(contents),
              "--output-dir", str(staged), "--apps", LITE_APP, "--no-sourcemaps", "--no-unused-shared-packages",
              "--piplite-wheels", str(wheel)], work_dir)
        (staged / STAMP).write_text(digest)
        if target.exists():
            shutil.rmtree(target)
        shutil.move(str(staged), target)                         # the old build stays until the new one is done
    return True


def _on_build_finished(app: Any, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html" and app.config.relu_course_lite_chapters:
        build_lite(Path(app.srcdir), Path(app.outdir), app.config.relu_course_lite_chapters)


def _add_launch_entry(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    chapter = pagename.rsplit("/", 1)[-1]
    if chapter not in app.config.relu_course_lite_chapters:
        return
    for button in context.get("header_buttons", []):
        if button.get("label") == "launch-buttons":
            button["buttons"].append({"type": "link", "text": "JupyterLite",
                                      "tooltip": "Run this chapter in your browser (JupyterLite, no TensorFlow)",
                                      "icon": "fa-solid fa-play",
                                      "url": lite_url(pagename, chapter, context["pathto"])})


def setup(app: Any) -> dict[str, Any]:
    """Register the extension and its option ``relu_course_lite_chapters`` (a list of chapter names)."""
    if not callable(getattr(app, "connect", None)):
        raise TypeError(f"app must be the Sphinx application, got {type(app).__name__}")
    app.add_config_value("relu_course_lite_chapters", [], "html")
    app.connect("html-page-context", _add_launch_entry, priority=600)   # after the theme's launch buttons
    app.connect("build-finished", _on_build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
