"""Checks for the exercises of chapter 11, "The mini experiment, actually run"."""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from relu_course.checks.exercise import Exercise
from relu_course.checks.probing import NotAttempted, Outcome, call_learner
from relu_course.checks.report import Part

CHAPTER = "11_mini_experiment"
SPREAD = "mean_and_spread"
SPEED = "epochs_to_accuracy"


# ------------------------------------------------------------------ mean_and_spread
def _pair(func: Callable[..., Any], values: Any, name: str) -> tuple[tuple[float, float] | None, str]:
    """The learner's (mean, spread) for ``values``, or None and the problem to report."""
    outcome = call_learner(func, values, name, shown=repr(values if isinstance(values, list) else values.tolist()))
    if not outcome.ok:
        return None, outcome.problem
    got = outcome.value
    if got.shape != (2,):
        return None, (f"{name}(...) returned {outcome.raw!r}; return two numbers, the mean and the spread, "
                      "e.g. `return mean, spread`.")
    return (float(got[0]), float(got[1])), ""


def _spread_hint(values: list[float], spread: float, name: str) -> str:
    """Name the likely slip behind a wrong spread for ``values``."""
    a = np.asarray(values)
    shown = f"{name}({values}) gave the spread {spread!r}"
    if np.isclose(spread, a.std(ddof=0)):
        return (f"{shown}: that is the population standard deviation (np.std's default, ddof=0), which "
                "divides by n. A few seeds are a sample of all possible seeds; the sample standard "
                "deviation divides by n - 1: np.std(values, ddof=1) or statistics.stdev.")
    if np.isclose(spread, a.max() - a.min()):
        return f"{shown}: that is the range (max - min). Here the spread is the sample standard deviation."
    if np.isclose(spread, a.var(ddof=1)) or np.isclose(spread, a.var(ddof=0)):
        return f"{shown}: that is a variance, in squared units; take its square root (with ddof=1)."
    return f"{shown}; expected the sample standard deviation {a.std(ddof=1)!r} (ddof=1)."


def check_mean_and_spread(func: Callable[..., Any], name: str = SPREAD) -> list[Part]:
    """ex-mini-experiment-mean-and-spread: ``(mean, sample standard deviation)`` of per-seed accuracies."""
    values = [0.9, 0.92, 1.0]
    parts = []
    got, problem = _pair(func, np.array(values), name)
    description = "returns the mean as its first number"
    if got is None:
        parts.append(Part(description, False, problem))
    elif np.isclose(got[0], 0.94, rtol=1e-12):
        parts.append(Part(description, True))
    else:
        parts.append(Part(description, False, f"{name}({values}) gave the mean {got[0]!r}; the mean of "
                                              "three accuracies is their sum divided by 3."))
    description = "returns the sample standard deviation (ddof = 1) as its second number"
    uneven = [0.91, 0.96, 0.97, 0.99]
    got2, problem2 = _pair(func, np.array(uneven), name)
    if got2 is None:
        parts.append(Part(description, False, problem2))
    elif np.isclose(got2[1], np.std(uneven, ddof=1), rtol=1e-9):
        parts.append(Part(description, True))
    else:
        parts.append(Part(description, False, _spread_hint(uneven, got2[1], name)))
    parts += [_plain_list(func, name), _nan_kept(func, name), _input_untouched(func, name)]
    return parts


def _plain_list(func: Callable[..., Any], name: str) -> Part:
    description = "accepts a plain Python list"
    values = [0.5, 0.75, 0.8]
    got, problem = _pair(func, values, name)
    if got is None:
        return Part(description, False, problem + " Convert the input with np.asarray first.")
    as_array, _ = _pair(func, np.array(values), name)
    if as_array is None or np.allclose(got, as_array):
        return Part(description, True)  # (a failure on arrays is reported by the other parts)
    return Part(description, False, f"{name}({values}) returned {got}, but {as_array} for the same values as "
                                    "an array; convert the input with np.asarray first.")


def _nan_kept(func: Callable[..., Any], name: str) -> Part:
    description = "keeps a diverged run (NaN) visible: the mean is NaN"
    values = np.array([0.95, np.nan, 0.97])
    got, problem = _pair(func, values, name)
    if got is None:
        return Part(description, False, problem)
    if math.isnan(got[0]):
        return Part(description, True)
    return Part(description, False, f"{name}([0.95, nan, 0.97]) gave the mean {got[0]!r}. NaN marks a run "
                                    "that diverged; dropping it (np.nanmean) reports two lucky seeds as if all "
                                    "three had trained. Let NaN propagate, as np.mean does.")


def _input_untouched(func: Callable[..., Any], name: str) -> Part:
    description = "leaves its input unchanged"
    values = np.array([0.97, 0.91, 0.95])
    before = values.copy()
    try:
        func(values)
    except NotImplementedError:
        raise NotAttempted from None
    except Exception:  # reported by the other parts
        pass
    if np.array_equal(values, before):
        return Part(description, True)
    return Part(description, False, f"after {name}(values) the caller's array changed from {before.tolist()} "
                                    f"to {values.tolist()} (sorted in place?); work on a copy.")


# ------------------------------------------------------------------ epochs_to_accuracy
def _epochs(func: Callable[..., Any], curve: list[float], target: float, name: str) -> Outcome:
    outcome = call_learner(lambda c: func(c, target), np.array(curve), name,
                           shown=f"{curve}, target={target}")
    if not outcome.ok and "positional argument" in outcome.problem:
        return Outcome(None, outcome.problem + f". Define it with two parameters: `def {name}(curve, target):`.")
    return outcome


def _speed_part(func: Callable[..., Any], name: str, description: str, curve: list[float], target: float,
                expected: float, hints: dict[float, str], default: str) -> Part:
    outcome = _epochs(func, curve, target, name)
    if not outcome.ok:
        return Part(description, False, outcome.problem)
    got = outcome.value
    shown = f"{name}({curve}, {target}) returned {outcome.raw!r}"
    if got.size != 1:
        return Part(description, False, f"{shown}; return one number, the epoch.")
    value = float(got.ravel()[0])
    if (math.isnan(expected) and math.isnan(value)) or value == expected:
        return Part(description, True)
    for wrong, hint in hints.items():
        if value == wrong:
            return Part(description, False, f"{shown}: {hint}")
    return Part(description, False, f"{shown}; {default}")


def check_epochs_to_accuracy(func: Callable[..., Any], name: str = SPEED) -> list[Part]:
    """ex-mini-experiment-epochs-to-accuracy: the first epoch whose accuracy reaches the target, NaN if none."""
    off_by_one = ("curve[0] is the untrained network (epoch 0), so the position in the curve is the epoch; "
                  "do not add 1.")
    as_value = "that is the accuracy; return the epoch, its position in the curve."
    strict = "\"reaches the target\" means accuracy >= target; `>` skips an epoch that hits it exactly."
    last = "that is the last crossing; training speed asks when the target was first reached."
    parts = [
        _speed_part(func, name, "returns the first epoch that reaches the target", [0.1, 0.5, 0.92, 0.95],
                    0.9, 2.0, {3.0: off_by_one, 0.92: as_value}, "the accuracy first reaches 0.9 after epoch 2."),
        _speed_part(func, name, "counts an accuracy exactly equal to the target as reached",
                    [0.1, 0.9, 0.8, 0.95], 0.9, 1.0, {3.0: strict, 2.0: off_by_one},
                    "the accuracy is exactly 0.9 after epoch 1."),
        _speed_part(func, name, "returns the first crossing even if the curve dips again",
                    [0.1, 0.92, 0.85, 0.93], 0.9, 1.0, {3.0: last, 2.0: off_by_one},
                    "the first epoch at or above 0.9 is epoch 1."),
        _speed_part(func, name, "returns 0 when the untrained network is already there", [0.95, 0.97], 0.9,
                    0.0, {1.0: off_by_one}, "curve[0] = 0.95 already reaches 0.9, so the answer is 0."),
        _not_reached(func, name),
    ]
    return parts


def _not_reached(func: Callable[..., Any], name: str) -> Part:
    description = "returns NaN when the target is never reached"
    curve = [0.1, 0.3, 0.6]
    outcome = _epochs(func, curve, 0.9, name)
    hint_nan = ("return float('nan') (or np.nan) for \"not reached\", so that tables and means cannot "
                "mistake it for an epoch.")
    if not outcome.ok:
        problem = outcome.problem
        if "returned None" in problem:
            problem = f"{name}({curve}, 0.9) returned None; {hint_nan}"
        return Part(description, False, problem)
    got = outcome.value
    if got.size == 1 and math.isnan(float(got.ravel()[0])):
        return Part(description, True)
    return Part(description, False, f"{name}({curve}, 0.9) returned {outcome.raw!r}, which reads like an epoch; "
                                    + hint_nan)


EXERCISES = [
    Exercise("ex-mini-experiment-mean-and-spread", CHAPTER, SPREAD, check_mean_and_spread),
    Exercise("ex-mini-experiment-epochs-to-accuracy", CHAPTER, SPEED, check_epochs_to_accuracy),
]
