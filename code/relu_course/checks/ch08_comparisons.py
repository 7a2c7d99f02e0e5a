"""Checks for the exercises of chapter 8, "Comparing ReLU with its variants"."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from relu_course.activation_registry import get_activation
from relu_course.checks.exercise import Exercise
from relu_course.checks.probing import call_learner
from relu_course.checks.report import Part

CHAPTER = "08_comparisons"
NAME = "slope_jump"
#: How close a learner's number must be to the expected one (absolute, plus the same relative).
TOLERANCE = 1e-6
#: The small step of most cases (the last case uses a large one, to see that h is used).
FINE_STEP = 1e-6


def _square(x: Any) -> Any:
    return np.asarray(x, dtype=float) ** 2


@dataclass(frozen=True)
class JumpCase:
    """One call ``slope_jump(f, x0, h)``, the jump it must give, and the hint when it does not."""

    description: str
    f_name: str
    f: Callable[[Any], Any]
    x0: float
    h: float
    expected: float
    hint: str


CASES = (
    JumpCase("finds ReLU's kink at 0 (the slope jumps from 0 to 1)", "relu", get_activation("relu"),
             0.0, FINE_STEP, 1.0, "ReLU's slope is 0 just left of 0 and 1 just right of it, so the jump is 1."),
    JumpCase("gives 0 where ReLU is a straight line (x0 = 2)", "relu", get_activation("relu"), 2.0, FINE_STEP, 0.0,
             "Near x0 = 2 ReLU is the line y = x, so both one-sided slopes are 1 and the jump is 0. "
             "Evaluate f around x0, not around 0."),
    JumpCase("keeps the sign: at 6 the slope of ReLU6 drops from 1 to 0", "relu6", get_activation("relu6"),
             6.0, FINE_STEP, -1.0, "ReLU6 flattens at 6, so its slope falls from 1 to 0: the jump, right slope "
             "minus left slope, is negative."),
    JumpCase("gives about 0 for a smooth function (tanh at 0)", "tanh", get_activation("tanh"), 0.0, FINE_STEP, 0.0,
             "The tanh function has no kink, so its left and right slopes at 0 agree to within about h."),
    JumpCase("uses the step h it is given (x**2 at 0 with h = 0.5)", "lambda x: x**2", _square, 0.0, 0.5, 1.0,
             "With h = 0.5 the one-sided slopes of x**2 at 0 are -0.5 and 0.5: a smooth function's "
             "slopes differ by about h times its curvature, which is why a kink test needs a small h."),
)


def _close(got: float, expected: float) -> bool:
    return math.isclose(got, expected, rel_tol=TOLERANCE, abs_tol=TOLERANCE)


def _diagnosis(case: JumpCase, got: float, shown: str) -> str:
    """A hint that names the likely mistake behind a wrong jump."""
    expected = case.expected
    if expected != 0 and _close(got, -expected):
        return (f"{shown}, the right size with the wrong sign. Return the right slope minus the left "
                "slope, and do not take an absolute value: a slope can also drop at a kink.")
    if expected != 0 and math.isclose(got, expected * case.h, rel_tol=TOLERANCE):
        return f"{shown}: that is a difference of values. Divide each difference by h to get a slope."
    if expected != 0 and abs(got) < 1e-3 and case.h == FINE_STEP:
        return (f"{shown}, no jump at a kink. Each one-sided slope must use f(x0) and one neighbour "
                "on its own side; a central difference over [x0 - h, x0 + h] averages across the kink "
                "and hides it.")
    if case.h != FINE_STEP and abs(got) < 1e-3:
        return f"{shown}, close to 0: did you use a fixed step instead of the argument h? " + case.hint
    return f"{shown}. " + case.hint


def _part(func: Callable[..., Any], name: str, case: JumpCase) -> Part:
    shown = f"{name}({case.f_name}, x0={case.x0!r}, h={case.h!r})"
    outcome = call_learner(lambda args: func(*args), (case.f, case.x0, case.h), name,
                           shown=f"{case.f_name}, x0={case.x0!r}, h={case.h!r}")
    if not outcome.ok:
        return Part(case.description, False, outcome.problem)
    if outcome.value.size != 1:
        return Part(case.description, False, f"{shown} returned {outcome.value.size} numbers; the jump of "
                                             "the slope at one point is a single number.")
    got = float(outcome.value.ravel()[0])
    if math.isfinite(got) and _close(got, case.expected):
        return Part(case.description, True)
    return Part(case.description, False, _diagnosis(case, got, f"{shown} returned {got!r}"))


def check_slope_jump(func: Callable[..., Any], name: str = NAME) -> list[Part]:
    """ex-comparisons-slope-jump: right one-sided slope minus left one-sided slope of f at x0."""
    return [_part(func, name, case) for case in CASES]


EXERCISES = [
    Exercise("ex-comparisons-slope-jump", CHAPTER, NAME, check_slope_jump),
]
