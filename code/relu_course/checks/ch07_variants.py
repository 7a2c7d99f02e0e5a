"""Checks for the exercises of chapter 7, "The variants"."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from relu_course.checks.elementwise import Case, check_cases, check_input_untouched, check_shape_kept
from relu_course.checks.exercise import Exercise
from relu_course.checks.probing import call_learner
from relu_course.checks.report import Part

NAME = "my_leaky_relu_derivative"
NEGATIVES = [-1e6, -3.0, -0.5, -1e-6]
POSITIVES = [1e-6, 0.5, 3.0, 1e6]
#: The slopes the check tries: the paper's 0.01, TensorFlow's 0.2 and keras.layers.LeakyReLU's 0.3.
SLOPES = (0.01, 0.2, 0.3)


def _with_slope(func: Callable[..., Any], slope: float) -> Callable[[Any], Any]:
    """The learner's function with its second argument fixed, as a function of x alone."""
    return lambda x: func(x, slope)


def _negative_diagnosis(x: np.ndarray, got: np.ndarray, slope: float, name: str) -> str:
    """A hint that names the likely mistake behind wrong slopes for negative inputs."""
    shown = f"{name}({x.tolist()}, negative_slope={slope}) returned {got.tolist()}"
    if np.allclose(got, 0.0):
        return f"{shown}: that is ReLU's slope. Leaky ReLU's slope for x < 0 is the negative slope a, not 0."
    if np.allclose(got, slope * x):
        return (f"{shown}: that is the function a x, not its slope. The derivative of a x with respect to x "
                "is the constant a.")
    if np.allclose(got, got.flat[0]) and got.flat[0] in SLOPES:
        return (f"{shown}: the result does not follow the argument negative_slope; use the argument instead "
                "of a fixed number.")
    return f"{shown}; for every negative input the slope of Leaky ReLU is the negative slope itself, {slope}."


def _negatives_part(func: Callable[..., Any], name: str) -> Part:
    """Slope a for x < 0, for every slope in SLOPES (one part, with the first failing slope's hint)."""
    description = "is the negative slope a for every x < 0 (tried a = 0.01, 0.2, 0.3)"
    x = np.array(NEGATIVES)
    for slope in SLOPES:
        outcome = call_learner(_with_slope(func, slope), x, name)
        if not outcome.ok:
            return Part(description, False, outcome.problem)
        got = outcome.value
        if got.shape != x.shape:
            return Part(description, False, f"{name} returned shape {got.shape} for an input of shape {x.shape}; "
                                            "an elementwise function returns one value per input.")
        if not np.array_equal(got, np.full(x.shape, slope)):
            return Part(description, False, _negative_diagnosis(x, got, slope, name))
    return Part(description, True)


def _point_part(func: Callable[..., Any], name: str, description: str, x: list[float], slope: float,
                expected: float, hint: Callable[[float], str]) -> Part:
    """One part on a few special inputs that must all give ``expected``; ``hint(got)`` when they do not."""
    points = np.array(x)
    outcome = call_learner(_with_slope(func, slope), points, name)
    if not outcome.ok:
        return Part(description, False, outcome.problem)
    got = outcome.value
    if got.shape != points.shape:
        return Part(description, False, f"{name} returned shape {got.shape} for an input of shape "
                                        f"{points.shape}; an elementwise function returns one value per input.")
    same = (got == expected) | (np.isnan(got) & np.isnan(expected))
    if np.all(same):
        return Part(description, True)
    return Part(description, False, hint(float(got[~same][0])))


def _zero_hint(name: str, got: float) -> str:
    text = (f"{name}(0.0, negative_slope=0.2) returned {got!r}. Leaky ReLU has a kink at 0; TensorFlow, PyTorch "
            "and this course use the negative slope a there.")
    if got == 1.0:
        text += " A test written as `x >= 0` gives 1; the slope 1 belongs to x > 0 only."
    return text


def _nan_hint(name: str, got: float) -> str:
    text = (f"{name}(nan, negative_slope=0.2) returned {got!r}. A NaN input should give NaN, so that an error "
            "upstream is not hidden.")
    if got == 0.2:
        text += (" Every comparison with NaN is False, so `np.where(x > 0, 1, a)` turns NaN into a (TensorFlow's "
                 "and PyTorch's gradients do exactly that); handle NaN separately, e.g. with np.isnan.")
    return text


def check_my_leaky_relu_derivative(func: Callable[..., Any], name: str = NAME) -> list[Part]:
    """ex-variants-leaky-derivative: 1 for x > 0, the slope a for x <= 0 (a at 0 too), NaN for NaN."""
    slope = 0.2
    fixed = _with_slope(func, slope)
    positives = Case("is 1 for x > 0", POSITIVES, [1.0] * len(POSITIVES),
                     "{name}({x!r}, negative_slope=0.2) returned {got!r}; Leaky ReLU is the line y = x for "
                     "positive inputs, so its slope there is 1.")
    parts = [
        check_shape_kept(fixed, name),
        _negatives_part(func, name),
        *check_cases(fixed, name, [positives]),
        _point_part(func, name, "is the slope a at exactly x = 0 and -0.0 (the TensorFlow and PyTorch convention)",
                    [0.0, -0.0], slope, slope, lambda got: _zero_hint(name, got)),
        _point_part(func, name, "keeps NaN as NaN", [np.nan], slope, np.nan, lambda got: _nan_hint(name, got)),
        _returns_numbers(func, name),
        check_input_untouched(fixed, name),
    ]
    return [_signature_hint(p, name) for p in parts]


def _signature_hint(part: Part, name: str) -> Part:
    """Add the expected signature to a hint about a wrong number of arguments."""
    if part.passed or "positional argument" not in part.hint:
        return part
    return Part(part.description, False, part.hint + f". Define it with two parameters: "
                                                     f"`def {name}(x, negative_slope):`.")


def _returns_numbers(func: Callable[..., Any], name: str) -> Part:
    """With a = 0 the right numbers are 0 and 1, so a boolean mask would look right; it must not be one."""
    description = "returns numbers, not True/False (even with negative_slope=0)"
    outcome = call_learner(_with_slope(func, 0.0), np.array([-1.0, 2.0]), name)
    if not outcome.ok:
        return Part(description, False, outcome.problem)
    if np.asarray(outcome.raw).dtype.kind == "b":
        return Part(description, False, f"{name}(x, negative_slope=0.0) returned a boolean array; a derivative "
                                        "is a number, so return a float array (booleans misbehave in "
                                        "arithmetic, e.g. `-mask` or `mask * 0.5`).")
    return Part(description, True)


EXERCISES = [
    Exercise("ex-variants-leaky-derivative", "07_variants", NAME, check_my_leaky_relu_derivative),
]
