"""Check a learner's elementwise function case by case, with one hint per failed case."""
from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from relu_course.checks.probing import NotAttempted, call_learner, first_mismatch
from relu_course.checks.report import Part


@dataclass(frozen=True)
class Case:
    """Inputs, the values they must give, and the hint shown when they do not.

    ``hint`` is formatted with ``name`` (the learner's function), ``x`` (the first failing input)
    and ``got`` (what the learner's function returned for it).
    """

    description: str
    inputs: Sequence[float]
    expected: Sequence[float]
    hint: str


def check_cases(func: Callable[..., Any], name: str, cases: Sequence[Case]) -> list[Part]:
    """One Part per case; NotAttempted propagates to the caller."""
    parts = []
    for case in cases:
        x = np.asarray(case.inputs, dtype=float)
        expected = np.asarray(case.expected, dtype=float)
        outcome = call_learner(func, x, name)
        if not outcome.ok:
            parts.append(Part(case.description, False, outcome.problem))
            continue
        got = outcome.value
        if got.shape != expected.shape:
            parts.append(Part(case.description, False,
                              f"{name} returned shape {got.shape} for an input of shape {x.shape}; "
                              "an elementwise function returns one value per input."))
            continue
        mismatch = first_mismatch(x, got, expected)
        if mismatch is None:
            parts.append(Part(case.description, True))
        else:
            bad_x, bad_got = mismatch
            parts.append(Part(case.description, False, case.hint.format(name=name, x=bad_x, got=bad_got)))
    return parts


def check_shape_kept(func: Callable[..., Any], name: str) -> Part:
    """The function maps a (2, 3) array to a (2, 3) array."""
    description = "works on a 2-D NumPy array and keeps its shape"
    x = np.linspace(-2.5, 2.5, 6).reshape(2, 3)
    outcome = call_learner(func, x, name)
    if not outcome.ok:
        return Part(description, False, outcome.problem)
    if outcome.value.shape != x.shape:
        return Part(description, False, f"{name} turned an array of shape {x.shape} into shape "
                                        f"{outcome.value.shape}; work elementwise, without loops over a fixed length.")
    return Part(description, True)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True)


def check_arguments_untouched(func: Callable[..., Any], name: str, arguments: Mapping[str, Any],
                              description: str | None = None) -> Part:
    """The function does not modify the arrays (or lists of arrays) it was given.

    ``arguments`` maps each parameter name to the value passed, in order. The learner's errors are
    left to the other parts; NotImplementedError means not attempted.
    """
    names = ", ".join(arguments)
    description = description or f"leaves {' and '.join(arguments)} unchanged"
    passed = copy.deepcopy(list(arguments.values()))
    try:
        func(*passed)
    except NotImplementedError:
        raise NotAttempted from None
    except Exception:  # reported by the other parts
        pass
    changed = [n for n, before, after in zip(arguments, arguments.values(), passed) if not _same(before, after)]
    if not changed:
        return Part(description, True)
    return Part(description, False, f"after {name}({names}) the caller's {' and '.join(changed)} changed; "
                                    "compute a new array instead of writing into the ones you were given.")


def check_input_untouched(func: Callable[..., Any], name: str) -> Part:
    """The function does not modify the array it was given."""
    return check_arguments_untouched(func, name, {"x": np.array([-1.5, 0.0, 2.0])},
                                     "leaves its input array unchanged")
