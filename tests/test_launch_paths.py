"""Every way a learner opens a chapter: Colab or pip, JupyterLite, Binder.

- A learner's kernel needs only what the course package declares: no chapter imports a build tool, and
  the package's learner-side modules import only declared packages. (`make test` also executes every
  chapter in such a kernel: tests/learner_env.py, tests/conftest.py, tests/check_determinism.py.)
- JupyterLite: a lite chapter imports only the standard library, what Pyodide ships (its lock file, at
  the version jupyterlite-pyodide-kernel loads) and the course wheel, whose requirements Pyodide meets;
  the stand-in kernel that nbmake uses for those chapters refuses everything else.
- Binder and Colab: the launch buttons and every notebook's install line name the same repository and
  a branch that exists; Binder gets a Python that the pins support.
"""
from __future__ import annotations

import ast
import hashlib
import importlib.metadata
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

import pyodide_env
from relu_course.lite_site import configured_chapters

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
NUMBERED = [p for p in CHAPTERS if re.match(r"\d\d_", p.name)]
LITE = configured_chapters(ROOT)
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
#: Tools of the book build, never of a learner's kernel.
BUILD_TOOLS = {"myst_nb", "sphinx", "jupyter_book", "jupyter_cache", "nbclient", "nbformat", "docutils",
               "myst_parser", "sphinx_book_theme", "jupyterlite_core", "nbmake", "pytest"}
#: Modules of the package that only the book build and the tests use (they import build tools).
BUILD_MODULES = {"relu_course.execution_cache", "relu_course.site_assets", "relu_course.lite_site"}
#: Imports that a module makes only where the package is installed (it checks first), never declared.
OPTIONAL_IMPORTS = {("relu_course.glue", "myst_nb")}
#: Provided by every Jupyter kernel (ipykernel depends on it; Pyodide ships it), so not declared.
KERNEL_PROVIDED = {"IPython"}


# --- reading imports ---------------------------------------------------------------------------------

def code_of(notebook: Path) -> str:
    """The code cells of a notebook, IPython magics and shell lines blanked so that ``ast`` can read them."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    lines = []
    for cell in cells:
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            lines += [re.sub(r"^(\s*)[%!].*$", r"\1pass", line) for line in source.splitlines()]
    return "\n".join(lines)


def imported_modules(source: str) -> set[str]:
    """Top-level names of every absolute import in ``source``, wherever it sits (functions, branches)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def full_imports(source: str) -> set[str]:
    """Dotted names of every absolute import in ``source`` (``from a.b import c`` gives ``a.b``)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


# --- Pyodide -----------------------------------------------------------------------------------------

REMOVED_FROM_PYODIDE = {"curses", "dbm", "ensurepip", "idlelib", "lib2to3", "tkinter", "turtle", "turtledemo",
                        "venv", "pwd"}


def pyodide_importable() -> set[str]:
    """What a notebook in the course's JupyterLite can import (the rule the stand-in applies)."""
    names = (set(sys.stdlib_module_names) - REMOVED_FROM_PYODIDE) | {"relu_course", "pyodide", "js", "micropip"}
    for package in pyodide_env.lock()["packages"].values():
        names.update(package.get("imports", []))
    return names | set(pyodide_env.kernel_modules())


def not_in_pyodide(source: str) -> set[str]:
    return imported_modules(source) - pyodide_importable()


def unmet_in_pyodide(requirements: list[str], requires_python: str | None) -> list[str]:
    """Requirements (PEP 508 strings, no extras) that Pyodide's lock does not satisfy, with the reason."""
    packages = {canonicalize_name(name): p for name, p in pyodide_env.lock()["packages"].items()}
    python = pyodide_env.lock()["info"]["python"]
    problems = []
    if requires_python and Version(python) not in Requirement(f"python{requires_python}").specifier:
        problems.append(f"Requires-Python {requires_python} excludes Pyodide's Python {python}")
    for text in requirements:
        req = Requirement(text)
        found = packages.get(canonicalize_name(req.name))
        if found is None:
            problems.append(f"{req.name}: Pyodide does not ship it")
        elif not req.specifier.contains(found["version"], prereleases=True):
            problems.append(f"{req.name}{req.specifier}: Pyodide ships {found['version']}")
    return problems


def test_the_lock_file_is_the_one_the_pyodide_kernel_loads():
    from jupyterlite_pyodide_kernel import constants

    assert constants.PYODIDE_VERSION == pyodide_env.LOCK_VERSION, \
        f"jupyterlite-pyodide-kernel loads Pyodide {constants.PYODIDE_VERSION}: replace tests/pyodide_standin/" \
        f"pyodide-lock.json with that version's (npm package pyodide) and update pyodide_env.LOCK_VERSION"
    python = pyodide_env.lock()["info"]["python"]
    assert python.startswith(constants.PYODIDE_PYTHON_VERSION + ".")
    readme = (pyodide_env.STANDIN / "README.md").read_text(encoding="utf-8")
    assert f"pyodide@{pyodide_env.LOCK_VERSION}" in readme
    assert hashlib.sha256(pyodide_env.LOCK_FILE.read_bytes()).hexdigest() in readme


def test_the_rule_refuses_build_tools_frameworks_and_widgets():
    offending = "import myst_nb\nfrom sphinx.util import x\nimport tensorflow as tf\nimport ipywidgets\n" \
                "if True:\n    import torch\nimport numpy, scipy.special, matplotlib.pyplot, sklearn, yaml, json\n" \
                "from relu_course.activations import relu\n"
    assert not_in_pyodide(offending) == {"myst_nb", "sphinx", "tensorflow", "ipywidgets", "torch"}


@pytest.mark.parametrize("chapter", LITE)
def test_a_lite_chapter_imports_only_what_pyodide_provides(chapter):
    missing = not_in_pyodide(code_of(ROOT / "chapters" / f"{chapter}.ipynb"))
    assert not missing, f"{chapter} is offered in JupyterLite but imports {sorted(missing)}, which Pyodide lacks"


def test_the_course_wheel_installs_from_pyodide_alone():
    meta = importlib.metadata.metadata("relu-course")
    base = [r for r in meta.get_all("Requires-Dist") or [] if "extra ==" not in r]
    assert base, "the package declares no dependencies?"
    assert unmet_in_pyodide(base, meta["Requires-Python"]) == []


def test_unmet_requirements_are_named():
    problems = unmet_in_pyodide(["numpy>=99", "tensorflow>=2.16", "scipy>=1.10"], ">=3.10,<3.14")
    assert len(problems) == 3
    assert "excludes Pyodide's Python" in problems[0]
    assert problems[1].startswith("numpy>=99: Pyodide ships") and problems[2].startswith("tensorflow:")


# --- the stand-in kernel -------------------------------------------------------------------------------

def _in_standin(code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, **pyodide_env.standin_environment()}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)


def test_the_standin_refuses_what_pyodide_lacks_and_allows_what_it_has():
    probe = """
import importlib.util as u, sys
print([u.find_spec(m) is None for m in ("tensorflow", "myst_nb", "ipywidgets", "nbformat", "numpy", "sklearn")])
for name in ("tensorflow", "myst_nb", "sphinx", "ipywidgets", "torch", "nbclient"):
    try:
        __import__(name)
    except ModuleNotFoundError as err:
        print("refused", err.name)
sys.modules["already_loaded"] = sys        # a module the kernel itself imported: still refused
try:
    import already_loaded
except ModuleNotFoundError:
    print("refused already_loaded")
import numpy, scipy.special, matplotlib, yaml, sklearn.datasets, relu_course.activations
from relu_course.tf_loader import tensorflow_available
from relu_course.glue import myst_nb_available
from relu_course.widgets import gate_explorer
print(tensorflow_available(), myst_nb_available(), type(gate_explorer()).__name__)
"""
    out = _in_standin(probe)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "[True, True, True, True, False, False]",
        "refused tensorflow", "refused myst_nb", "refused sphinx", "refused ipywidgets", "refused torch",
        "refused nbclient", "refused already_loaded", "False False IpywidgetsMissing"]


def test_the_standin_changes_nothing_unless_switched_on():
    env = {**os.environ, "PYTHONPATH": str(pyodide_env.STANDIN)}
    env.pop("RELU_COURSE_PYODIDE_STANDIN", None)
    out = subprocess.run([sys.executable, "-c", "import importlib.util as u; print(u.find_spec('myst_nb') is None)"],
                         capture_output=True, text=True, env=env, timeout=60)
    assert out.stdout.strip() == "False"


# --- a learner's kernel needs only what the package declares ------------------------------------------

@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda p: p.stem)
def test_no_chapter_imports_a_build_tool(notebook):
    found = imported_modules(code_of(notebook)) & BUILD_TOOLS
    assert not found, f"{notebook.name} imports {sorted(found)}: get it from relu_course (e.g. relu_course.glue)"


def _package_modules() -> dict[str, Path]:
    package = ROOT / "code" / "relu_course"
    return {".".join(("relu_course", *p.relative_to(package).with_suffix("").parts)).removesuffix(".__init__"): p
            for p in package.rglob("*.py")}


def declared_distributions() -> set[str]:
    meta = importlib.metadata.metadata("relu-course")
    return {canonicalize_name(Requirement(r).name) for r in meta.get_all("Requires-Dist") or []}


def test_learner_modules_import_only_declared_packages():
    """A module a chapter can reach imports the standard library, the package, and declared distributions."""
    owners = importlib.metadata.packages_distributions()
    declared = declared_distributions()
    problems = []
    for name, path in sorted(_package_modules().items()):
        if name in BUILD_MODULES:
            continue
        source = path.read_text(encoding="utf-8")
        for top in sorted(imported_modules(source) - set(sys.stdlib_module_names) - {"relu_course"} - KERNEL_PROVIDED):
            if (name, top) in OPTIONAL_IMPORTS:
                continue
            dists = {canonicalize_name(d) for d in owners.get(top, [])}
            if not dists & declared:
                problems.append(f"{name} imports {top} ({', '.join(sorted(dists)) or 'not installed'}), "
                                f"which code/pyproject.toml does not declare")
        reaches = {m for m in full_imports(source) if m in BUILD_MODULES}
        if reaches:
            problems.append(f"{name} imports build machinery {sorted(reaches)}")
    assert not problems, "\n".join(problems)


def test_every_path_has_its_extra():
    extras = set(importlib.metadata.metadata("relu-course").get_all("Provides-Extra") or [])
    assert {"widgets", "tensorflow", "torch", "coursework"} <= extras


# --- Colab and Binder ---------------------------------------------------------------------------------

INSTALL = re.compile(r'%pip install --quiet "relu-course\[(?P<extras>[\w,]+)\] @ '
                     r'git\+(?P<url>\S+?)@(?P<ref>[\w.\-/]+)#subdirectory=code"')


def _install_line(notebook: Path) -> re.Match:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    first = "".join(next(c for c in cells if c["cell_type"] == "code")["source"])
    found = INSTALL.search(first)
    assert found, f"{notebook.name}: no install line of the expected form in the first code cell"
    return found


#: What a reference page needs beyond the live explorers (a numbered chapter needs TensorFlow unless it is
#: offered in JupyterLite).
PAGE_EXTRAS = {"edge_semantics": {"tensorflow"}, "instructor_guide": {"coursework"}}


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda p: p.stem)
def test_the_install_line_names_the_launch_buttons_repository_and_branch(notebook):
    found = _install_line(notebook)
    assert found["url"] == CONFIG["repository"]["url"]
    assert found["ref"] == CONFIG["repository"]["branch"]
    numbered = notebook in NUMBERED
    needs = {"widgets"} | ({"tensorflow"} if numbered and notebook.stem not in LITE else set()) \
        | PAGE_EXTRAS.get(notebook.stem, set())
    assert set(found["extras"].split(",")) == needs, f"{notebook.stem}: the install line should ask for {sorted(needs)}"


def test_the_branch_the_buttons_open_exists():
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    branch = CONFIG["repository"]["branch"]
    refs = subprocess.run(["git", "-C", str(ROOT), "for-each-ref", "--format=%(refname:short)",
                           "refs/heads", "refs/remotes"], capture_output=True, text=True).stdout.split()
    assert branch in refs or f"origin/{branch}" in refs, f"_config.yml's branch {branch!r} is not in {refs}"


def test_the_install_line_installs_the_package_from_the_branch(tmp_path):
    """The first cell's pip line, pointed at this clone instead of GitHub: pip clones it, checks out the
    branch and builds the package from ``code/`` (a dry run: nothing is installed, nothing is downloaded)."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    found = _install_line(NUMBERED[0])
    local = found.group(0).replace(found["url"], f"file://localhost{ROOT}").split('"')[1]
    out = subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--no-deps", "--no-build-isolation",
                          "--no-index", "--disable-pip-version-check", "--report", str(tmp_path / "report.json"),
                          local], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    report = json.loads((tmp_path / "report.json").read_text())
    [item] = report["install"]
    assert item["metadata"]["name"] == "relu-course"
    assert item["download_info"]["vcs_info"]["requested_revision"] == CONFIG["repository"]["branch"]
    assert set(item["requested_extras"]) == set(found["extras"].split(","))


def test_binder_gets_a_python_the_pins_support():
    """repo2docker reads runtime.txt for the Python version and installs requirements.txt at the top."""
    runtime = (ROOT / "runtime.txt").read_text(encoding="utf-8").strip()
    match = re.fullmatch(r"python-(3\.\d+)", runtime)
    assert match, f"runtime.txt must read python-3.X, got {runtime!r}"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    low, high = re.search(r"\(3, (\d+)\) <= v <= \(3, (\d+)\)", makefile).groups()
    assert int(low) <= int(match[1].split(".")[1]) <= int(high)
    workflow = (ROOT / ".github" / "workflows" / "book.yml").read_text(encoding="utf-8")
    assert match[1] in workflow, "Binder's Python should be one that CI tests"
    requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert "-e ./code" in requirements and "jupyterlab" in " ".join(requirements)


# --- the page that says how to run a chapter ----------------------------------------------------------

def test_pages_name_the_configured_repository():
    url = CONFIG["repository"]["url"]
    for page in (ROOT / "intro.md", ROOT / "chapters" / "how_to_run.md"):
        found = set(re.findall(r"https://github\.com/[\w.-]+/[\w.-]+", page.read_text(encoding="utf-8")))
        assert found == {url}, f"{page.name} names {sorted(found)}; _config.yml's repository is {url}"


def test_the_how_to_run_page_lists_the_lite_chapters():
    page = (ROOT / "chapters" / "how_to_run.md").read_text(encoding="utf-8")
    heading_and_rest = page.split("(lite-chapters)=\n", 1)[1]
    section = heading_and_rest.split("\n", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"\{doc\}`(\d\d_\w+)`", section)
    assert listed == LITE


@pytest.mark.parametrize("notebook", [p for p in NUMBERED if p.stem not in LITE], ids=lambda p: p.stem)
def test_a_chapter_not_in_jupyterlite_says_why(notebook):
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    prose = "".join(cells[0]["source"])
    need = prose.split("What you need", 1)[-1]
    assert "JupyterLite" in need and "TensorFlow" in need, \
        f"{notebook.stem}: its 'What you need' box should say why it needs a full kernel (not JupyterLite)"
