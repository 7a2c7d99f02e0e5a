"""Python as JupyterLite's Pyodide has it: no TensorFlow, Keras or PyTorch.

tests/conftest.py puts this folder on PYTHONPATH, with RELU_COURSE_HIDE_FRAMEWORKS=1, for the kernels
that nbmake starts for the chapters offered in JupyterLite (`relu_course_lite_chapters` in _config.yml),
so `make test` proves that they run without those frameworks. Importing one raises ModuleNotFoundError
and ``importlib.util.find_spec`` reports it missing, as on Pyodide.
"""
import importlib.abc
import importlib.util
import os
import sys

HIDDEN = ("tensorflow", "keras", "tf_keras", "torch")

if os.environ.get("RELU_COURSE_HIDE_FRAMEWORKS") == "1":
    class _Hide(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in HIDDEN:
                raise ModuleNotFoundError(f"No module named {name!r} (hidden, as in JupyterLite)", name=name)
            return None

    _find_spec = importlib.util.find_spec

    def find_spec(name, package=None):
        if name.split(".")[0] in HIDDEN:
            return None
        return _find_spec(name, package)

    sys.meta_path.insert(0, _Hide())
    importlib.util.find_spec = find_spec
