"""Checks for the exercises of chapter 1, "What is ReLU?"."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from relu_course.checks.elementwise import Case, check_cases, check_input_untouched, check_shape_kept
from relu_course.checks.exercise import Exercise
from relu_course.checks.probing import call_learner
from relu_course.checks.report import Part

NEGATIVES = [-1e6, -3.0, -0.5, -1e-6]
POSITIVES = [1e-6, 0.5, 3.0, 1e6]


def check_my_relu(func: Callable[..., Any], name: str = "my_relu") -> list[Part]:
    """ex-what-is-relu-implement: ``my_relu(x)`` computes max(x, 0) elementwise on arrays."""
    cases = [
        Case("sends negative inputs to 0", NEGATIVES, [0.0] * len(NEGATIVES),
             "{name}({x!r}) returned {got!r}; ReLU sends every negative input to 0."),
        Case("passes positive inputs through unchanged", POSITIVES, POSITIVES,
             "{name}({x!r}) returned {got!r}; for a positive input ReLU returns the input itself."),
        Case("returns 0 at x = 0", [0.0], [0.0], "{name}(0.0) returned {got!r}; max(0, 0) is 0."),
        Case("keeps NaN as NaN", [np.nan], [np.nan],
             "{name}(nan) returned {got!r}. A NaN input should stay NaN so an error upstream is not "
             "hidden; comparisons with NaN are False, so a mask built from `x > 0` loses it."),
    ]
    return [check_shape_kept(func, name), *check_cases(func, name, cases), check_input_untouched(func, name)]


def check_my_relu_derivative(func: Callable[..., Any], name: str = "my_relu_derivative") -> list[Part]:
    """ex-what-is-relu-derivative: 1 for x > 0, 0 for x < 0 and 0 at exactly x = 0."""
    cases = [
        Case("is 0 for negative inputs", NEGATIVES, [0.0] * len(NEGATIVES),
             "{name}({x!r}) returned {got!r}; ReLU is flat for negative inputs, so its slope there is 0."),
        Case("is 1 for positive inputs", POSITIVES, [1.0] * len(POSITIVES),
             "{name}({x!r}) returned {got!r}; ReLU is the line y = x for positive inputs, so its slope is 1."),
        Case("is 0 at exactly x = 0 (the TensorFlow and PyTorch convention)", [0.0, -0.0], [0.0, 0.0],
             "{name}({x!r}) returned {got!r}. ReLU has no derivative at 0; the frameworks, and this course, "
             "use 0 there. A test written as `x >= 0` gives 1."),
    ]
    return [check_shape_kept(func, name), *check_cases(func, name, cases), _returns_numbers(func, name)]


def _returns_numbers(func: Callable[..., Any], name: str) -> Part:
    description = "returns numbers, not True/False"
    outcome = call_learner(func, np.array([-1.0, 2.0]), name)
    if not outcome.ok:
        return Part(description, False, outcome.problem)
    if np.asarray(outcome.raw).dtype.kind == "b":
        return Part(description, False, f"{name} returned a boolean array; a derivative is a number, so the "
                                        "result should be a float array (booleans behave oddly in arithmetic, "
                                        "e.g. `-mask`).")
    return Part(description, True)


EXERCISES = [
    Exercise("ex-what-is-relu-implement", "01_what_is_relu", "my_relu", check_my_relu),
    Exercise("ex-what-is-relu-derivative", "01_what_is_relu", "my_relu_derivative", check_my_relu_derivative),
]
