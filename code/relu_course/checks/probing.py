"""Call a learner's function without ever letting its mistakes crash the check."""
from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np


class NotAttempted(Exception):
    """The learner's function still raises NotImplementedError (the student placeholder)."""


@dataclass(frozen=True)
class Outcome:
    """What one call of the learner's function gave: an array, or a description of what went wrong."""

    value: np.ndarray | None
    problem: str = ""
    raw: Any = None  # what the function returned, before conversion

    @property
    def ok(self) -> bool:
        return self.value is not None


def call_learner(func: Callable[..., Any], x: Any, name: str, *, shown: str | None = None) -> Outcome:
    """Call ``func(deep copy of x)`` and convert the result to a float array.

    ``shown`` describes the argument in messages (default: the array printed). Raises NotAttempted
    for NotImplementedError; every other failure becomes an Outcome with a ``problem`` a learner
    can act on.
    """
    if shown is None:
        shown = np.array2string(np.asarray(x), precision=6, separator=", ")
    try:
        result = func(copy.deepcopy(x))
    except NotImplementedError:
        raise NotAttempted from None
    except Exception as err:  # the learner's bug, reported rather than raised
        return Outcome(None, f"{name}({shown}) raised {type(err).__name__}: {err}")
    if result is None:
        return Outcome(None, f"{name}({shown}) returned None: did you forget `return`?")
    try:
        array = np.asarray(result, dtype=float)
    except (TypeError, ValueError):
        return Outcome(None, f"{name}({shown}) returned {type(result).__name__} {result!r}, not numbers")
    return Outcome(array, raw=result)


def first_mismatch(x: np.ndarray, got: np.ndarray, expected: np.ndarray) -> tuple[float, float] | None:
    """The first input whose result differs from the expected one (NaN equals NaN), or None."""
    if got.shape != expected.shape:
        return None
    same = (got == expected) | (np.isnan(got) & np.isnan(expected))
    bad = np.flatnonzero(~same)
    if bad.size == 0:
        return None
    i = bad[0]
    return float(np.ravel(x)[i]), float(np.ravel(got)[i])
