"""Checks for the exercises of chapter 5, "Mathematical properties of ReLU"."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from relu_course.checks.elementwise import Case, check_cases, check_input_untouched, check_shape_kept
from relu_course.checks.exercise import Exercise
from relu_course.checks.probing import call_learner
from relu_course.checks.report import Part

CHAPTER = "05_math_properties"
NEGATIVES = [-1e6, -3.0, -0.5, -1e-6]
POSITIVES = [1e-6, 0.5, 3.0, 1e6]


def check_abs_via_relu(func: Callable[..., Any], name: str = "abs_via_relu") -> list[Part]:
    """ex-math-properties-abs-via-relu: ``abs_via_relu(x)`` computes |x| elementwise from two ReLUs."""
    cases = [
        Case("keeps positive inputs unchanged", POSITIVES, POSITIVES,
             "{name}({x!r}) returned {got!r}; for x > 0, |x| is x itself, and relu(x) already gives it."),
        Case("returns 0 at x = 0 and x = -0.0", [0.0, -0.0], [0.0, 0.0],
             "{name}({x!r}) returned {got!r}; |0| is 0, and so is relu(0) + relu(-0)."),
        Case("keeps NaN as NaN", [np.nan], [np.nan],
             "{name}(nan) returned {got!r}. |NaN| is NaN; a mask built from `x > 0` is False for NaN "
             "and turns it into 0, hiding an error upstream."),
    ]
    return [check_shape_kept(func, name), *check_cases(func, name, cases), _negatives_flipped(func, name),
            check_input_untouched(func, name)]


def _negatives_flipped(func: Callable[..., Any], name: str) -> Part:
    """Negative inputs must come back with their sign flipped; the hint names the likely slip."""
    description = "turns negative inputs into positive ones"
    x = np.array(NEGATIVES)
    outcome = call_learner(func, x, name)
    if not outcome.ok:
        return Part(description, False, outcome.problem)
    got = outcome.value
    if got.shape != x.shape:
        return Part(description, False, f"{name} returned shape {got.shape} for an input of shape {x.shape}; "
                                        "return one value per input.")
    if np.array_equal(got, -x):
        return Part(description, True)
    bad = int(np.flatnonzero(got != -x)[0])
    shown = f"{name}({float(x[bad])!r}) returned {float(got[bad])!r}"
    if np.array_equal(got, x):
        hint = (f"{shown}, the input itself: that is the identity x = relu(x) - relu(-x). "
                "For |x| the mirrored ReLU must be added, not subtracted.")
    elif np.all(got == 0):
        hint = (f"{shown}; relu(x) alone sends every negative input to 0. The mirrored unit relu(-x) is "
                "the one that is active for negative x.")
    elif np.array_equal(got, -2 * x) or np.array_equal(got, 2 * np.abs(x)):
        hint = f"{shown}, twice |x|; each negative input should be counted once."
    else:
        hint = f"{shown}; |x| of a negative number is -x, a positive number of the same size."
    return Part(description, False, hint)


SHARE_CASES = [
    # (description, input, expected share, hint)
    ("gives the share, a number between 0 and 1", [0.0, 0.0, 1.0, 2.0], 0.5,
     "{name}({x}) returned {got}; two of the four entries are zero, so the share is one half. "
     "Divide the number of zeros by the number of entries."),
    ("counts exact zeros only, not tiny positive values", [1e-30, 0.0, 3.0, 0.0], 0.5,
     "{name}({x}) returned {got}; 1e-30 is small but not zero. An 'off' ReLU unit outputs an exact 0, "
     "so compare with == 0 rather than with a tolerance (np.isclose)."),
    ("does not count negative values as zeros", [-1.0, 0.0, 2.0, 3.0], 0.25,
     "{name}({x}) returned {got}; -1 is not zero. The question is how many entries equal 0, "
     "not how many are <= 0."),
    ("counts -0.0 as a zero", [-0.0, 1.0, 2.0, 3.0], 0.25,
     "{name}({x}) returned {got}; -0.0 == 0 is True in floating point, so it is a zero."),
    ("uses every entry of a 2-D array", [[0.0, 1.0], [0.0, 0.0]], 0.75,
     "{name}({x}) returned {got}; three of the four entries are zero. Count over the whole array, "
     "not per row or per column."),
]


def check_share_of_zeros(func: Callable[..., Any], name: str = "my_share_of_zeros") -> list[Part]:
    """ex-math-properties-share-of-zeros: the share of exact zeros among all entries of an array."""
    parts = []
    for description, inputs, expected, hint in SHARE_CASES:
        x = np.asarray(inputs, dtype=float)
        outcome = call_learner(func, x, name)
        if not outcome.ok:
            parts.append(Part(description, False, outcome.problem))
            continue
        shown_x = repr(x.tolist())
        got = outcome.value
        if got.size != 1:
            parts.append(Part(description, False,
                              f"{name}({shown_x}) returned {got.size} numbers (shape {got.shape}); the share "
                              "of zeros of a whole array is one number. Did you average along one axis?"))
            continue
        value = float(got.ravel()[0])
        if np.isclose(value, expected, rtol=1e-12, atol=0.0):
            parts.append(Part(description, True))
        else:
            parts.append(Part(description, False, hint.format(name=name, x=shown_x, got=repr(value))))
    return parts


EXERCISES = [
    Exercise("ex-math-properties-abs-via-relu", CHAPTER, "abs_via_relu", check_abs_via_relu),
    Exercise("ex-math-properties-share-of-zeros", CHAPTER, "my_share_of_zeros", check_share_of_zeros),
]
