"""Bad input everywhere: every public function of the package, given a wrong type, answers with a
TypeError or ValueError that names the argument, or with a documented result.

The sweep finds the functions itself (every public function defined in a relu_course module whose one
required parameter can be passed positionally) and tries each kind of wrong value below, so a new
function is covered the day it is written. A second sweep tries every parameter of every registry
activation with out-of-range and non-numeric values.
"""
import importlib
import inspect
import pkgutil
import warnings

import numpy as np
import pytest

import relu_course
from relu_course.activation_registry import ACTIVATIONS
from relu_course.checks.report import Part

WRONG = {"a string": "text", "None": None, "a list of strings": ["a", "b"], "a ragged list": [[1.0], [1.0, 2.0]],
         "a complex array": np.array([1 + 2j, 3j]), "an object array": np.array([object(), object()], dtype=object),
         "a boolean array": np.array([True, False])}
# Modules whose functions start processes or write files, tested with real folders in test_coursework_*.
SKIP_MODULES = {"relu_course.coursework.execution", "relu_course.coursework.grader",
                "relu_course.coursework.student", "relu_course.coursework.nbgrader_tags"}
# A result rather than an error is the documented answer for these (function: wrong kinds, and why).
DOCUMENTED = {
    "architecture_census.display_name": ({"a string"}, "unknown kinds keep their own name"),
    "widgets.census.kind_style": ({"a string"}, "unknown kinds get a fallback style"),
    "comparison.format_ratio": ({"None"}, "None means 'not measured' and prints a dash"),
    "coursework.notebooks.chapter_exercises": ({"a string"}, "an unknown chapter has no exercises"),
    "history.bib_years": ({"a string"}, "any text is parsed; text without entries gives none"),
    "site_assets.icon_codepoints": ({"a string"}, "any text is a stylesheet; one without icon rules maps none"),
    "lite_site.chapter_names": ({"a list of strings"}, "any list of plain names is a valid chapter list"),
    "site_assets.icon_names": ({"a list of strings"}, "any strings are page texts; without icon classes, no names"),
    "site_assets.strip_page_scripts": ({"a string"}, "any text is a page; what it lacks is not removed"),
    "implementations.torch_inplace_table": ({"None"}, "None means PyTorch is missing: the install hint"),
    "checks.ch09_when_to_use.expected_counts": ({"a list of strings"}, "a list of activation names is its input"),
    "claims.chapter_path": ({"a string"}, "a chapter that does not exist has no path: None"),
    "coursework.notebooks.read_notebook": ({"a string"}, "a missing file raises NotebookError naming the file"),
    "glue.text_plain": (set(WRONG), "every value has a text form: IPython's, as myst-nb stores it"),
}


def _functions():
    found = []
    for info in pkgutil.walk_packages(relu_course.__path__, "relu_course."):
        if info.name in SKIP_MODULES:
            continue
        module = importlib.import_module(info.name)
        for name, func in sorted(vars(module).items()):
            if name.startswith("_") or name == "main" or "explorer" in name or not inspect.isfunction(func) \
                    or func.__module__ != module.__name__:
                continue
            params = [p for p in inspect.signature(func).parameters.values()
                      if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
            required = [p for p in params if p.default is p.empty]
            if len(required) == 1 and required[0].kind != required[0].KEYWORD_ONLY:
                found.append((info.name.removeprefix("relu_course."), name, func, required[0].name))
    return found


FUNCTIONS = _functions()


def test_the_sweep_covers_the_package():
    modules = {m for m, *_ in FUNCTIONS}
    assert len(FUNCTIONS) > 150 and len(modules) > 40


@pytest.mark.parametrize("kind", list(WRONG))
@pytest.mark.parametrize("module, name, func, param", FUNCTIONS,
                         ids=[f"{m}.{n}" for m, n, *_ in FUNCTIONS])
def test_wrong_types_get_a_clear_error_or_a_documented_result(module, name, func, param, kind):
    qualified = f"{module}.{name}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = func(WRONG[kind])
        except (TypeError, ValueError) as err:
            message = str(err)
            if qualified in DOCUMENTED and kind in DOCUMENTED[qualified][0]:
                return
            # "scales" may be reported item by item as "scale"
            assert param in message or param.rstrip("s") in message, \
                f"{qualified}({kind}) raised {type(err).__name__} without naming {param!r}: {message}"
            return
    if module.startswith("checks.ch") and name.startswith("check_"):
        # a check never raises on a learner's mistake: it reports failing parts
        assert isinstance(result, list) and all(isinstance(p, Part) for p in result)
        assert not all(p.passed for p in result)
        return
    assert qualified in DOCUMENTED and kind in DOCUMENTED[qualified][0], \
        f"{qualified}({kind}) returned {result!r:.100} instead of raising TypeError/ValueError naming {param!r}"


BAD_PARAMETERS = {"NaN": float("nan"), "a string": "0.1", "None": None, "a list": [0.1], "a complex": 1j}
ACTIVATION_PARAMS = [(key, param) for key, entry in ACTIVATIONS.items() for param in entry.params]


@pytest.mark.parametrize("kind", list(BAD_PARAMETERS))
@pytest.mark.parametrize("key, param", ACTIVATION_PARAMS, ids=[f"{k}-{p}" for k, p in ACTIVATION_PARAMS])
def test_activation_parameters_refuse_nan_and_non_numbers(key, param, kind):
    entry = ACTIVATIONS[key]
    for call in (entry, entry.grad):
        with pytest.raises((TypeError, ValueError), match=param):
            call(np.array([-1.0, 0.0, 2.0]), **{param: BAD_PARAMETERS[kind]})


def test_cases_tried_are_counted():
    n = len(FUNCTIONS) * len(WRONG) + 2 * len(ACTIVATION_PARAMS) * len(BAD_PARAMETERS)
    print(f"bad-input cases tried: {n}")
    assert n > 1000
