"""Checks for the exercises of chapter 6, "Advantages and disadvantages, each one demonstrated"."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from relu_course.checks.exercise import Exercise
from relu_course.checks.probing import NotAttempted, call_learner
from relu_course.checks.report import Part

CHAPTER = "06_advantages_disadvantages"

# (description, activations (rows = examples, columns = units), expected share, hint, diagnose):
# ``diagnose`` cases are built so that every typical slip gives a different value, and the hint names
# the slip; the other cases each target one slip and give their own hint.
DEAD_CASES = [
    ("gives the share of dead units, a number between 0 and 1",
     [[0.0, 1.0, 0.0, 2.0], [0.0, 3.0, 0.0, 0.0]], 0.5,
     "{name}({x}) returned {got}; two of the four units (columns) are 0 for every example, so the "
     "share is one half. Divide the number of dead units by the number of units.", True),
    ("looks at units (columns), not examples (rows)",
     [[0.0, 0.0, 0.0, 0.0, 0.0], [1.0, 0.0, 0.0, 3.0, 4.0], [2.0, 0.0, 0.0, 7.0, 8.0]], 0.4,
     "{name}({x}) returned {got}; the second and third units (columns) are 0 for every example, so the "
     "share is two fifths.", True),
    ("needs a unit to be 0 for every example, not just for some",
     [[0.0, 1.0, 0.0], [2.0, 0.0, 0.0]], 1 / 3,
     "{name}({x}) returned {got}; the first two units are 0 on one example but active on the other, so "
     "they still learn. A unit is dead only if it is 0 for all examples (np.all, not np.any).", False),
    ("counts exact zeros only: a tiny positive output is alive",
     [[1e-30, 0.0], [1e-30, 0.0]], 0.5,
     "{name}({x}) returned {got}; the first unit outputs 1e-30, small but not zero, so its gradient is "
     "not blocked. Compare with == 0 rather than with a tolerance (np.isclose).", False),
    ("counts -0.0 as zero",
     [[-0.0, 1.0], [0.0, 1.0]], 0.5,
     "{name}({x}) returned {got}; -0.0 == 0 is True in floating point, so the first unit is dead.", False),
    ("works for a single example (one row)",
     [[0.0, 5.0, 0.0, 0.0, 1.0]], 0.6,
     "{name}({x}) returned {got}; with one example, a unit is dead on it exactly when its output is 0: "
     "three of five.", True),
    ("works when no unit is dead",
     [[1.0, 2.0], [3.0, 4.0]], 0.0,
     "{name}({x}) returned {got}; no column is all zeros, so the share is 0.", True),
    ("works when every unit is dead",
     [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], 1.0,
     "{name}({x}) returned {got}; every column is all zeros, so the share is 1.", True),
]


def check_dead_unit_share(func: Callable[..., Any], name: str = "dead_unit_share") -> list[Part]:
    """ex-pros-cons-dead-units: share of columns (units) that are exactly 0 in every row (example)."""
    parts = []
    for description, inputs, expected, hint, diagnose in DEAD_CASES:
        x = np.asarray(inputs, dtype=float)
        outcome = call_learner(func, x, name)
        if not outcome.ok:
            parts.append(Part(description, False, outcome.problem))
            continue
        shown_x = repr(x.tolist())
        got = outcome.value
        if got.size != 1:
            parts.append(Part(description, False,
                              f"{name}({shown_x}) returned {got.size} numbers (shape {got.shape}); the share of "
                              "dead units of a layer is one number. Reduce over the examples first (one "
                              "True/False per unit), then average over the units."))
            continue
        value = float(got.ravel()[0])
        if np.isclose(value, expected, rtol=1e-12, atol=1e-12):
            parts.append(Part(description, True))
        else:
            shown = f"{name}({shown_x}) returned {value!r}"
            specific = _diagnose(x, value, shown) if diagnose else ""
            parts.append(Part(description, False, specific or hint.format(name=name, x=shown_x, got=repr(value))))
    parts.append(_input_untouched(func, name))
    return parts


def _diagnose(x: np.ndarray, value: float, shown: str) -> str:
    """A hint naming the slip, when the value matches exactly one typical wrong answer (else "")."""
    zero = x == 0
    dead = zero.all(axis=0)
    slips = [
        (dead.sum(), f"{shown}, the number of dead units. Divide by the number of units ({x.shape[1]}) to "
                     "get a share between 0 and 1."),
        (zero.all(axis=1).mean(), f"{shown}, the share of examples (rows) that are all zeros. Rows are "
                                  "examples and columns are units: ask, column by column, whether the "
                                  "unit is 0 on every row."),
        (zero.any(axis=0).mean(), f"{shown}, the share of units that are 0 for at least one example. A "
                                  "unit is dead only if it is 0 for all examples (np.all, not np.any)."),
        (zero.mean(), f"{shown}, the share of all outputs that are exactly 0 (the sparsity of chapter 5). "
                      "Dead units are a stricter count: a whole column must be zero."),
    ]
    expected = dead.mean()
    matches = [hint for wrong, hint in slips
               if not np.isclose(wrong, expected) and np.isclose(value, wrong, rtol=1e-12, atol=1e-12)]
    return matches[0] if len(matches) == 1 else ""


def _input_untouched(func: Callable[..., Any], name: str) -> Part:
    description = "leaves its input array unchanged"
    x = np.array([[0.0, 2.0], [0.0, -1.0]])
    before = x.copy()
    try:
        func(x)
    except NotImplementedError:
        raise NotAttempted from None
    except Exception:  # reported by the other parts
        pass
    if np.array_equal(x, before):
        return Part(description, True)
    return Part(description, False, f"after {name}(activations) the caller's array changed from "
                                    f"{before.tolist()} to {x.tolist()}; compute in a new array instead.")


EXERCISES = [
    Exercise("ex-pros-cons-dead-units", CHAPTER, "dead_unit_share", check_dead_unit_share),
]
