"""The learner's environment: what a chapter's first cell gets on Colab or from a plain pip install.

    python tests/learner_env.py [--venv .venv-learner]

Builds a virtual environment from the course package's own declarations (``code/pyproject.toml``:
its dependencies and the extras ``widgets``, ``tensorflow``, ``coursework``, and ``torch`` where the
test requirements install PyTorch) plus ``ipykernel``, and registers its kernel as ``relu-learner`` in
``<venv>/kernelspec/share/jupyter`` (``make test`` puts that folder on ``JUPYTER_PATH`` and runs nbmake
with ``--nbmake-kernel=relu-learner``). Nothing of the book's stack is installed: no requirements.txt,
no myst-nb, Sphinx, Jupyter Book or jupyter-cache. The course's pins are applied as *constraints* only,
so the versions equal the book build's (which makes comparing the two executions meaningful) while a
package that the course package fails to declare is still missing.

The packages are installed once and again only when ``code/pyproject.toml`` or a requirements file
changes (a digest of them is the stamp); the course package itself is reinstalled from a freshly built
wheel, not editable, whenever its files change, as Colab installs it. Installing needs the package
index; once installed, reinstalling the course package works offline.
"""
from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement

ROOT = Path(__file__).resolve().parents[1]
KERNEL_NAME = "relu-learner"
EXTRAS = ("widgets", "tensorflow", "coursework")
REQUIREMENT_FILES = ("requirements.txt", "requirements-test.txt")


def _digest(paths: list[Path], extra: str = "") -> str:
    digest = hashlib.sha256(extra.encode())
    for path in paths:
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def pinned_requirements() -> list[Requirement]:
    """Every pinned requirement of the requirement files (``-e``, ``-r`` and comments left out)."""
    pins = []
    for name in REQUIREMENT_FILES:
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            line = line.split(" #")[0].strip()
            if not line or line.startswith(("#", "-")):
                continue
            try:
                pins.append(Requirement(line))
            except InvalidRequirement as err:
                raise SystemExit(f"{name}: cannot read {line!r}: {err}") from err
    return pins


def constraints(pins: list[Requirement]) -> list[str]:
    """Constraint lines: the pins that apply here; TensorFlow's pinned like the book's tensorflow-cpu."""
    lines = []
    for req in pins:
        if req.marker is not None and not req.marker.evaluate():
            continue
        lines.append(f"{req.name}{req.specifier}")
        if req.name == "tensorflow-cpu":       # the extra asks for 'tensorflow': the same release
            lines.append(f"tensorflow{req.specifier}")
    return lines


def extras(pins: list[Requirement]) -> list[str]:
    """The extras to install: ``torch`` only where the test requirements install PyTorch."""
    torch = any(req.name == "torch" and (req.marker is None or req.marker.evaluate()) for req in pins)
    return list(EXTRAS) + (["torch"] if torch else [])


def package_files() -> list[Path]:
    code = ROOT / "code"
    skip = ("__pycache__", ".egg-info", "/build/")
    return sorted(p for p in code.rglob("*") if p.is_file() and not any(s in p.as_posix() for s in skip))


def build_wheel(work: Path) -> Path:
    """The course package's wheel, built from a copy of ``code/`` (setuptools writes beside its sources)."""
    source = work / "code"
    shutil.copytree(ROOT / "code", source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(work / "wheels"), str(source)], check=True, cwd=work)
    return next((work / "wheels").glob("relu_course-*.whl"))


def _pip(venv: Path, *args: str) -> None:
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                    "--disable-pip-version-check", *args], check=True)


def ensure(venv: Path) -> None:
    """Build or update the learner's environment in ``venv`` (see the module docstring)."""
    pins = pinned_requirements()
    deps_stamp = venv / f".deps-{_digest([ROOT / 'code' / 'pyproject.toml', *(ROOT / n for n in REQUIREMENT_FILES), Path(__file__)], sys.version)}"
    package_stamp = venv / f".package-{_digest(package_files())}"
    with tempfile.TemporaryDirectory(prefix="relu-learner-") as tmp:
        work = Path(tmp)
        if not deps_stamp.exists():
            print(f"learner env: installing relu-course[{','.join(extras(pins))}] and ipykernel into {venv}")
            shutil.rmtree(venv, ignore_errors=True)
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            (venv / "constraints.txt").write_text("\n".join(constraints(pins)) + "\n", encoding="utf-8")
            wheel = build_wheel(work)
            _pip(venv, "-c", str(venv / "constraints.txt"), f"{wheel}[{','.join(extras(pins))}]", "ipykernel")
            subprocess.run([str(venv / "bin" / "python"), "-m", "ipykernel", "install", "--prefix",
                            str(venv / "kernelspec"), "--name", KERNEL_NAME,
                            "--display-name", "Python 3 (relu-course, learner's install)"],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deps_stamp.touch()
            package_stamp.touch()
        elif not package_stamp.exists():
            wheel = build_wheel(work)
            _pip(venv, "--no-deps", "--no-index", "--force-reinstall", str(wheel))
            for old in venv.glob(".package-*"):
                old.unlink()
            package_stamp.touch()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--venv", type=Path, default=ROOT / ".venv-learner", help="where the environment goes")
    args = parser.parse_args(argv)
    try:
        ensure(args.venv.resolve())
    except subprocess.CalledProcessError as err:
        print(f"learner env: {' '.join(map(str, err.cmd[:6]))} ... failed with exit code {err.returncode}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
