"""Python as JupyterLite's Pyodide offers it to a notebook: only what Pyodide can provide.

tests/conftest.py puts this folder on PYTHONPATH, with RELU_COURSE_PYODIDE_STANDIN=1, for the kernels
that nbmake starts for the chapters offered in JupyterLite (``relu_course_lite_chapters`` in _config.yml).
Those kernels run in the learner's environment (`.venv-learner`, see tests/learner_env.py); this module
then lets the notebook's own code and the course package import only

- the standard library, less the modules Pyodide removes;
- the packages Pyodide ships, from its lock file beside this module (``pyodide-lock.json`` of the npm
  package ``pyodide`` at the version jupyterlite-pyodide-kernel uses; see README.md here);
- the wheels the Pyodide kernel brings (``RELU_COURSE_PYODIDE_KERNEL_MODULES``, comma-separated, read by
  conftest from jupyterlite-pyodide-kernel) and the course package itself.

Anything else (myst-nb, Sphinx, TensorFlow, Keras, PyTorch, ipywidgets, nbformat, ...) raises
ModuleNotFoundError and ``importlib.util.find_spec`` reports it missing, as on Pyodide. The kernel's
own machinery (ipykernel, zmq, tornado, ...) imports freely: Pyodide's kernel has its own. An import is
judged by the code that asks for it: a notebook cell or a module of ``relu_course``.
"""
import builtins
import importlib
import importlib.abc
import importlib.util
import json
import os
import sys

if os.environ.get("RELU_COURSE_PYODIDE_STANDIN") == "1":
    _HERE = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(_HERE, "pyodide-lock.json"), encoding="utf-8") as _handle:
        _LOCK = json.load(_handle)

    # Pyodide's documentation, "Python standard library": removed modules (not merely non-working ones).
    _REMOVED_STDLIB = {"curses", "dbm", "ensurepip", "idlelib", "lib2to3", "tkinter", "turtle", "turtledemo",
                       "venv", "pwd"}
    _PYODIDE_CORE = {"pyodide", "_pyodide", "js", "pyodide_js", "micropip"}

    ALLOWED = (set(sys.stdlib_module_names) - _REMOVED_STDLIB) | _PYODIDE_CORE | {"relu_course"}
    for _package in _LOCK["packages"].values():
        ALLOWED.update(_package.get("imports", []))
    ALLOWED.update(filter(None, os.environ.get("RELU_COURSE_PYODIDE_KERNEL_MODULES", "").split(",")))

    _IMPORT_MACHINERY = (os.path.dirname(importlib.__file__), os.path.abspath(__file__))

    def _asker() -> str:
        """The module whose code asked for the import now under way ('' when none of ours)."""
        frame = sys._getframe(1)
        while frame is not None:
            filename = frame.f_code.co_filename
            if filename.startswith("<frozen importlib") or filename.startswith(_IMPORT_MACHINERY):
                frame = frame.f_back
                continue
            name = frame.f_globals.get("__name__") or ""
            if name == "__main__" and not filename.endswith("ipykernel_launcher.py"):
                return "notebook"
            return name
        return ""

    def _refused(name: str) -> bool:
        top = name.split(".")[0]
        if not top or top in ALLOWED:
            return False
        asker = _asker()
        return asker == "notebook" or asker == "relu_course" or asker.startswith("relu_course.")

    def _error(name: str) -> ModuleNotFoundError:
        return ModuleNotFoundError(f"No module named {name!r} (JupyterLite's Pyodide does not provide it)",
                                   name=name)

    class _PyodideOnly(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if _refused(name):
                raise _error(name)
            return None

    _import = builtins.__import__

    def _checked_import(name, globals=None, locals=None, fromlist=(), level=0):
        # Also refuses a module the kernel itself has already imported (it sits in sys.modules,
        # where the finder above is never asked).
        if level == 0 and _refused(name):
            raise _error(name)
        return _import(name, globals, locals, fromlist, level)

    _find_spec = importlib.util.find_spec

    def _checked_find_spec(name, package=None):
        if not name.startswith(".") and _refused(name):
            return None
        return _find_spec(name, package)

    sys.meta_path.insert(0, _PyodideOnly())
    builtins.__import__ = _checked_import
    importlib.util.find_spec = _checked_find_spec
