"""Checks for the exercises of chapter 4, "A short, corrected history of ReLU"."""
from __future__ import annotations

import copy
import numbers
from typing import Any, Callable

import numpy as np

from relu_course.checks.exercise import Exercise
from relu_course.checks.probing import NotAttempted
from relu_course.checks.report import Part

CHAPTER = "04_history"
NEVER = "never"  # stands for an expected None in the cases below


def _call(func: Callable[..., Any], errors: Any, target: float, shown: str) -> tuple[Any, str]:
    """Call ``func(errors, target)`` on copies; return (result, problem). ``shown`` is the call as the
    learner should read it. None is a valid result here, so this cannot use probing.call_learner,
    which reports None as a forgotten return."""
    try:
        result = func(copy.deepcopy(errors), target)
    except NotImplementedError:
        raise NotAttempted from None
    except Exception as err:  # the learner's bug, reported rather than raised
        return None, f"{shown} raised {type(err).__name__}: {err}"
    if result is None:
        return None, ""
    if isinstance(result, (bool, np.bool_)):
        return result, f"{shown} returned {result!r}, a boolean; return the epoch number (an int) or None."
    if isinstance(result, np.ndarray) and result.size == 1:
        result = result.item()
    if not isinstance(result, (numbers.Real, np.integer, np.floating)):
        return result, f"{shown} returned {type(result).__name__} {result!r}; return an int (the epoch) or None."
    if isinstance(result, (float, np.floating)) and np.isnan(result):
        return result, f"{shown} returned nan; when the target is never reached, return None."
    return result, ""


def _describe(value: Any) -> str:
    return "None" if value is None else repr(value.item() if hasattr(value, "item") else value)

INDEX_HINT = ("that is the position of the epoch in the list (counted from 0), not its number; "
              "the first epoch is epoch 1.")

# (description, errors, target, expected epoch or NEVER, {wrong answer: hint}, fallback hint)
CASES: list[tuple[str, list[float], float, Any, dict[Any, str], str]] = [
    ("counts epochs from 1", [0.9, 0.5, 0.2, 0.1], 0.25, 3,
     {2: INDEX_HINT},
     "the errors fall to 0.2 in the third epoch, and 0.2 <= 0.25."),
    ("counts an error equal to the target as reached", [0.9, 0.25, 0.1], 0.25, 2,
     {3: "the second epoch's error equals the target. 'Reaches the target' means error <= target, "
         "not error < target.",
      1: INDEX_HINT},
     "the second epoch's error equals the target, and that counts as reaching it."),
    ("returns the first epoch that reaches the target, not a later one", [0.9, 0.2, 0.4, 0.1, 0.05], 0.25, 2,
     {4: "the curve first dips to 0.2 in epoch 2, rises again, and stays below the target only from "
         "epoch 4. The question is the first epoch at or below the target, even if it rises again.",
      5: "that is the epoch of the lowest (or the last) error. The question is the first epoch at or "
         "below the target: stop at the first one.",
      1: INDEX_HINT},
     "epoch 2 (0.2) is the first at or below 0.25."),
    ("finds a target reached in the very first epoch", [0.01, 0.5, 0.3], 0.05, 1,
     {0: INDEX_HINT,
      NEVER: "the first epoch (0.01) is already below the target. Does your loop skip the first element?"},
     "the first epoch (0.01) is already below the target, so the answer is 1."),
    ("returns None when the target is never reached", [0.9, 0.5, 0.4], 0.1, NEVER,
     {1: "no epoch reaches the target, yet you report epoch 1. np.argmax of an all-False mask is 0; "
         "check that some epoch reaches the target before using it.",
      3: "that looks like 'reached in the last epoch'. When no epoch reaches the target, return None.",
      -1: "-1 is easily mistaken for a number of epochs (and is a valid index). Return None instead.",
      0: "0 is easily mistaken for a number of epochs. Return None instead.",
      4: "there is no epoch 4. When no epoch reaches the target, return None."},
     "no error is at or below 0.1; return None."),
    ("accepts a plain list as well as a NumPy array", [0.9, 0.3, 0.1], 0.2, 3,
     {2: INDEX_HINT}, "the third epoch (0.1) is the first at or below 0.2."),
]
LIST_HINT = " The errors were given as a Python list here; np.asarray(errors) turns them into an array."


def check_epochs_to_target(func: Callable[..., Any], name: str = "epochs_to_target") -> list[Part]:
    """ex-history-epochs-to-target: the first 1-based epoch whose error is <= target, or None."""
    parts = []
    for i, (description, errors, target, expected, wrong, fallback) in enumerate(CASES):
        as_list = i == len(CASES) - 1
        arg: Any = errors if as_list else np.array(errors)
        call = f"{name}({errors!r}, {target!r})"
        result, problem = _call(func, arg, target, call)
        shown = f"{call} returned {_describe(result)}"
        if problem:
            parts.append(Part(description, False, problem + (LIST_HINT if as_list and " raised " in problem else "")))
            continue
        got = NEVER if result is None else result
        if got == expected:
            parts.append(Part(description, True))
            continue
        key = got if got is NEVER or (isinstance(got, numbers.Real) and float(got).is_integer()) else None
        key = int(key) if isinstance(key, numbers.Real) else key
        hint = wrong.get(key, fallback)
        parts.append(Part(description, False, f"{shown}; {hint}"))
    return parts


EXERCISES = [
    Exercise("ex-history-epochs-to-target", CHAPTER, "epochs_to_target", check_epochs_to_target),
]
