"""What JupyterLite's Python can import: Pyodide's lock file and the Pyodide kernel's own wheels.

Used by tests/conftest.py (the environment of the stand-in kernels, see pyodide_standin/sitecustomize.py)
and tests/test_launch_paths.py (the static checks of the lite chapters and the course wheel).
"""
from __future__ import annotations

import json
import os
import sys
from functools import lru_cache
from pathlib import Path

STANDIN = Path(__file__).resolve().parent / "pyodide_standin"
LOCK_FILE = STANDIN / "pyodide-lock.json"
#: The Pyodide release whose lock file is in STANDIN (README.md there says where it came from).
LOCK_VERSION = "314.0.6"
KERNEL_WHEELS = (Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "@jupyterlite"
                 / "pyodide-kernel-extension" / "static" / "pypi" / "all.json")


@lru_cache(maxsize=1)
def lock() -> dict:
    """Pyodide's lock file: ``info`` (its Python) and ``packages`` (name, version, imports, depends)."""
    return json.loads(LOCK_FILE.read_text(encoding="utf-8"))


def kernel_modules() -> list[str]:
    """The modules of the wheels that jupyterlite-pyodide-kernel brings (ipykernel's stand-in, piplite, ...)."""
    names = json.loads(KERNEL_WHEELS.read_text(encoding="utf-8"))
    return sorted(name.replace("-", "_") for name in names)


def standin_environment() -> dict[str, str]:
    """Environment variables that turn a kernel of the learner's environment into the stand-in."""
    return {
        "PYTHONPATH": os.pathsep.join(filter(None, [str(STANDIN), os.environ.get("PYTHONPATH")])),
        "RELU_COURSE_PYODIDE_STANDIN": "1",
        "RELU_COURSE_PYODIDE_KERNEL_MODULES": ",".join(kernel_modules()),
    }
