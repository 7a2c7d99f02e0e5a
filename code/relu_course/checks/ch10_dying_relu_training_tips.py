"""Checks for the exercises of chapter 10, "Training tips and the dying ReLU"."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from relu_course.checks.exercise import Exercise
from relu_course.checks.probing import NotAttempted, call_learner
from relu_course.checks.report import Part

CHAPTER = "10_dying_relu_training_tips"
NAME = "dead_fraction"

#: Outputs of a ReLU layer: 4 examples (rows) x 5 units (columns). Units 1 and 3 are 0 for every
#: example (dead); unit 4 is 0 for three of them; example 3 (the last row) is 0 at every unit.
RELU_BATCH = np.array([[0.5, 0.0, 1.2, 0.0, 0.0],
                       [0.0, 0.0, 0.3, 0.0, 0.0],
                       [2.0, 0.0, 0.0, 0.0, 0.7],
                       [0.0, 0.0, 0.0, 0.0, 0.0]])
#: Outputs of a Leaky ReLU layer (slope 0.01): unit 0 is negative for every example.
LEAKY_BATCH = np.array([[-0.010, 0.4, -0.002, 1.0],
                        [-0.003, -0.01, 0.8, 2.0],
                        [-0.020, 0.9, 0.1, 0.3]])


def _expected(outputs: np.ndarray) -> float:
    return float(np.mean(np.all(outputs <= 0, axis=0)))


def _diagnose(outputs: np.ndarray, got: float, name: str) -> str:
    """A hint naming the likely mistake behind a wrong share for the ReLU batch."""
    shown = f"{name}(outputs) returned {got:g} for the 4 x 5 batch (examples x units) in the check"
    inactive = outputs <= 0
    if np.isclose(got, np.sum(inactive.all(axis=0))):
        return f"{shown}: that is the number of dead units. Return a share: divide by the number of units."
    if np.isclose(got, inactive.mean()):
        return (f"{shown}: that is the share of all outputs that are 0. A unit is dead only if it is 0 "
                "for every example, so first reduce over the examples, then average over the units.")
    if np.isclose(got, inactive.all(axis=1).mean()):
        return (f"{shown}: that is the share of examples (rows) at which every unit is 0. Units are the "
                "columns: look down each column, over axis 0.")
    if np.isclose(got, inactive.any(axis=0).mean()):
        return (f"{shown}: that counts every unit that is 0 for *some* example. A unit that is 0 on a few "
                "examples still learns from the others; dead means 0 for all of them.")
    if np.isclose(got, 1 - _expected(outputs)):
        return f"{shown}: that is the share of units that are alive, not of those that are dead."
    return f"{shown}; count the columns whose entries are all <= 0, and divide by the number of columns."


def _share_part(func: Callable[..., Any], name: str, description: str, outputs: np.ndarray,
                hint: Callable[[float], str]) -> Part:
    outcome = call_learner(func, outputs, name, shown="outputs")
    if not outcome.ok:
        return Part(description, False, outcome.problem)
    if outcome.value.size != 1:
        return Part(description, False, f"{name}(outputs) returned an array of shape {outcome.value.shape}; "
                                        "return one number, the share of dead units in the whole layer.")
    got = float(outcome.value.reshape(-1)[0])
    if np.isclose(got, _expected(outputs), rtol=0, atol=1e-12):
        return Part(description, True)
    return Part(description, False, hint(got))


def _is_number(func: Callable[..., Any], name: str) -> Part:
    description = "returns a single number (a float), not an array"
    outcome = call_learner(func, RELU_BATCH, name, shown="outputs")
    if not outcome.ok:
        return Part(description, False, outcome.problem)
    if np.ndim(outcome.raw) == 0 and not isinstance(outcome.raw, (bool, np.bool_)):
        return Part(description, True)
    return Part(description, False, f"{name}(outputs) returned {type(outcome.raw).__name__} of shape "
                                    f"{np.shape(outcome.raw)}; reduce it to one number, e.g. with float(...).")


def _input_untouched(func: Callable[..., Any], name: str) -> Part:
    description = "leaves outputs unchanged"
    outputs = LEAKY_BATCH.copy()
    try:
        func(outputs)
    except NotImplementedError:
        raise NotAttempted from None
    except Exception:  # reported by the other parts
        pass
    if np.array_equal(outputs, LEAKY_BATCH):
        return Part(description, True)
    return Part(description, False, f"after {name}(outputs) the caller's array changed; compute a mask "
                                    "such as `outputs <= 0` instead of writing into the array.")


def check_dead_fraction(func: Callable[..., Any], name: str = NAME) -> list[Part]:
    """ex-dying-relu-dead-fraction: the share of units (columns) that are <= 0 for every example (row)."""
    leaky_hint = (f"{name}(outputs) gave {{got:g}} on Leaky ReLU outputs, whose inactive units output small "
                  "negative numbers rather than exact zeros. Count an output as inactive when it is <= 0, "
                  "not only when it == 0.")
    return [
        _share_part(func, name, "finds the dead units of a ReLU batch (examples x units)", RELU_BATCH,
                    lambda got: _diagnose(RELU_BATCH, got, name)),
        _share_part(func, name, "counts negative outputs (Leaky ReLU) as inactive too", LEAKY_BATCH,
                    lambda got: leaky_hint.format(got=got)),
        _share_part(func, name, "gives 0.0 when every unit is active somewhere", np.eye(3),
                    lambda got: f"{name}(outputs) returned {got:g} for a batch in which every unit has a "
                                "positive output on some example; no unit is dead, so the share is 0."),
        _share_part(func, name, "gives 1.0 when the whole layer is dead", np.zeros((2, 4)),
                    lambda got: f"{name}(np.zeros((2, 4))) returned {got:g}; every unit is 0 on both "
                                "examples, so all of them are dead: the share is 1."),
        _is_number(func, name),
        _input_untouched(func, name),
    ]


EXERCISES = [
    Exercise("ex-dying-relu-dead-fraction", CHAPTER, NAME, check_dead_fraction),
]
