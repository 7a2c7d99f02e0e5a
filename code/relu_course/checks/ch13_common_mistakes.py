"""Checks for the exercises of chapter 13, "Common mistakes, run and fixed"."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from relu_course.checks.elementwise import check_arguments_untouched
from relu_course.checks.exercise import Exercise
from relu_course.checks.probing import call_learner
from relu_course.checks.report import Part

CHAPTER = "13_common_mistakes"
NAME = "activation_stds"
RTOL = 1e-9


def _reference(x: np.ndarray, weights: list[np.ndarray]) -> np.ndarray:
    """The expected answer, written independently of the package: population std of every layer's
    ReLU output over all its entries."""
    stds, h = [], x
    for W in weights:
        h = np.where(h @ W > 0, h @ W, 0.0)
        stds.append(np.sqrt(np.mean((h - h.mean()) ** 2)))
    return np.array(stds)


def _variants(x: np.ndarray, weights: list[np.ndarray]) -> list[tuple[np.ndarray, str]]:
    """Typical wrong answers for (x, weights), each with the hint that names the slip."""
    no_relu, pre, axis0, axis1, ddof1 = [], [], [], [], []
    h_lin, h = x, x
    for W in weights:
        h_lin = h_lin @ W
        no_relu.append(h_lin.std())
        z = h @ W
        pre.append(z.std())
        h = np.maximum(z, 0.0)
        axis0.append(h.std(axis=0).mean())
        axis1.append(h.std(axis=1).mean())
        ddof1.append(h.std(ddof=1))
    return [
        (np.array(no_relu), "these are the stds of a stack with no ReLU at all: apply ReLU (np.maximum(z, 0)) "
                            "after every matrix product, and feed that output to the next layer."),
        (np.array(pre), "these are the stds of the pre-activations z = h @ W. Take the std after ReLU, of "
                        "the layer's output relu(z), which is what the next layer receives."),
        (np.array(axis0), "these are per-unit stds (over the examples, axis 0) averaged over the units. The "
                          "exercise asks for the std of all entries of the layer's output together: np.std(h) "
                          "with no axis."),
        (np.array(axis1), "these are per-example stds (over the units, axis 1) averaged over the examples. "
                          "Take the std of all entries together: np.std(h) with no axis."),
        (np.array(ddof1), "these are sample standard deviations (ddof=1). Use the population std, np.std's "
                          "default (ddof=0)."),
    ]


@dataclass(frozen=True)
class StdCase:
    description: str
    x: np.ndarray
    weights: list[np.ndarray]
    shown: str


def _cases() -> list[StdCase]:
    rng = np.random.default_rng(13)
    stack = [rng.standard_normal((4, 6)) * np.sqrt(2 / 4), rng.standard_normal((6, 5)) * np.sqrt(2 / 6),
             rng.standard_normal((5, 3)) * np.sqrt(2 / 5)]
    shrink = [rng.standard_normal((8, 8)) * 0.3 for _ in range(4)]
    return [
        StdCase("one identity layer: the std of relu(x)", np.array([[1.0, -2.0], [3.0, 0.5]]), [np.eye(2)],
                "x=[[1, -2], [3, 0.5]], weights=[np.eye(2)]"),
        StdCase("three layers of different widths (4 -> 6 -> 5 -> 3)", rng.standard_normal((10, 4)), stack,
                "x (10 x 4), weights of shapes (4, 6), (6, 5), (5, 3)"),
        StdCase("a shrinking stack: four 8 x 8 layers with small weights", rng.standard_normal((20, 8)), shrink,
                "x (20 x 8), four 8 x 8 weights with std 0.3"),
    ]


def _compare(func: Callable[..., Any], name: str, case: StdCase) -> Part:
    outcome = call_learner(lambda args: func(*args), (case.x, case.weights), name, shown=case.shown)
    if not outcome.ok:
        return Part(case.description, False, outcome.problem)
    expected = _reference(case.x, case.weights)
    got = outcome.value
    shown = f"{name}({case.shown}) returned {np.array2string(np.ravel(got), precision=4)}"
    n = len(case.weights)
    if got.shape != expected.shape:
        if got.size == n:
            got = got.reshape(expected.shape)
        elif got.size == n + 1 and np.isclose(np.ravel(got)[0], case.x.std(), rtol=1e-6):
            return Part(case.description, False, f"{shown}: {got.size} numbers for {n} layer(s), the first "
                                                 "being the std of the input x. Return one std per layer, "
                                                 "after each ReLU, and leave the input out.")
        else:
            return Part(case.description, False, f"{shown}: shape {got.shape}, but there are {n} layer(s). "
                                                 "Return one number per layer: the std of all entries of "
                                                 "that layer's output.")
    if np.allclose(got, expected, rtol=RTOL, atol=1e-12):
        return Part(case.description, True)
    for wrong, hint in _variants(case.x, case.weights):
        if not np.allclose(wrong, expected, rtol=1e-6) and np.allclose(got, wrong, rtol=1e-6, atol=1e-12):
            return Part(case.description, False, f"{shown}; {hint}")
    layer = int(np.argmax(~np.isclose(got, expected, rtol=RTOL, atol=1e-12)))
    return Part(case.description, False,
                f"{shown}; layer {layer + 1} is off. Start from h = x; for each W compute h = relu(h @ W) "
                "and record the std of all entries of h.")


def check_activation_stds(func: Callable[..., Any], name: str = NAME) -> list[Part]:
    """ex-common-mistakes-activation-stds: std of all entries of relu(h @ W), layer after layer."""
    return [_compare(func, name, case) for case in _cases()] + [_untouched(func, name)]


def _untouched(func: Callable[..., Any], name: str) -> Part:
    case = _cases()[1]
    return check_arguments_untouched(func, name, {"x": case.x, "weights": list(case.weights)},
                                     "leaves x and the weights unchanged")


EXERCISES = [
    Exercise("ex-common-mistakes-activation-stds", CHAPTER, NAME, check_activation_stds),
]
