"""Checks for the exercises of chapter 3, "The forward and backward pass"."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from relu_course.checks.elementwise import check_arguments_untouched
from relu_course.checks.exercise import Exercise
from relu_course.checks.probing import Outcome, call_learner
from relu_course.checks.report import Part

NAME = "relu_backward"


def _call(func: Callable[..., Any], grad_out: np.ndarray, x: np.ndarray, name: str) -> Outcome:
    """``func(grad_out, x)`` on copies; NotAttempted propagates, every other failure is an Outcome."""
    outcome = call_learner(lambda x_copy: func(np.array(grad_out, copy=True), x_copy), x, name)
    if not outcome.ok:  # show both arguments in the message, not only x
        problem = outcome.problem.replace(f"{name}(", f"{name}(grad_out, ", 1)
        if "positional argument" in problem:
            problem += f". Define it with two parameters: `def {name}(grad_out, x):`."
        return Outcome(None, problem)
    return outcome


def _diagnose(grad_out: np.ndarray, x: np.ndarray, got: np.ndarray, name: str) -> str:
    """A hint that names the likely mistake behind a wrong result for positive x."""
    slope = (x > 0).astype(float)
    shown = f"{name}(grad_out={grad_out.tolist()}, x={x.tolist()}) returned {got.tolist()}"
    if np.allclose(got, slope):
        return (f"{shown}: that is ReLU's slope alone. The chain rule multiplies the slope by the "
                "gradient arriving from above, grad_out.")
    if np.allclose(got, grad_out * np.maximum(x, 0.0)):
        return (f"{shown}: you multiplied grad_out by ReLU's output. Multiply it by ReLU's slope "
                "(1 where x > 0), not by relu(x).")
    if np.allclose(got, grad_out * (grad_out > 0)) or np.allclose(got, np.maximum(grad_out, 0.0)):
        return (f"{shown}: negative gradients were dropped. Whether the gradient passes depends on "
                "the sign of x, the unit's input in the forward pass, not on the sign of grad_out.")
    return f"{shown}; where x > 0 ReLU's slope is 1, so grad_out should come back unchanged."


def _zero_hint(grad_out: np.ndarray, got: np.ndarray, name: str) -> str:
    hint = (f"{name}(grad_out={grad_out.tolist()}, x=[0.0, -0.0]) returned {got.tolist()}. ReLU has no "
            "derivative at 0; TensorFlow, PyTorch and this course use 0 there, so no gradient passes.")
    if np.array_equal(got, grad_out):
        hint += " A gate written as `x >= 0` lets it through."
    return hint


def _part(func: Callable[..., Any], description: str, grad_out: list[float], x: list[float],
          expected: np.ndarray, hint: Callable[[np.ndarray, np.ndarray, np.ndarray], str]) -> Part:
    g, xs = np.array(grad_out, dtype=float), np.array(x, dtype=float)
    outcome = _call(func, g, xs, NAME)
    if not outcome.ok:
        return Part(description, False, outcome.problem)
    got = outcome.value
    if got.shape != expected.shape:
        return Part(description, False, f"{NAME} returned shape {got.shape} for grad_out and x of shape "
                                         f"{xs.shape}; the gradient has one entry per input.")
    if np.array_equal(got, expected):
        return Part(description, True)
    return Part(description, False, hint(g, xs, got))


def check_relu_backward(func: Callable[..., Any], name: str = NAME) -> list[Part]:
    """ex-forward-backward-relu-backward: ``relu_backward(grad_out, x) = grad_out * (x > 0)``."""
    pos_g, pos_x = [3.0, -1.5, 0.25, -2.0], [0.5, 2.0, 1e6, 1e-6]
    neg_g, neg_x = [3.0, -1.5, 0.25], [-0.5, -2.0, -1e-6]
    zero_g, zero_x = [1.5, -2.0], [0.0, -0.0]
    batch_x = np.linspace(-2.5, 2.5, 6).reshape(2, 3)
    batch_g = np.arange(1.0, 7.0).reshape(2, 3) * np.array([1.0, -1.0, 1.0])
    parts = [
        _part(func, "passes grad_out through unchanged where x > 0", pos_g, pos_x, np.array(pos_g),
              lambda g, x, got: _diagnose(g, x, got, name)),
        _part(func, "blocks the gradient (returns 0) where x < 0", neg_g, neg_x, np.zeros(3),
              lambda g, x, got: (f"{name}(grad_out={g.tolist()}, x={x.tolist()}) returned {got.tolist()}; "
                                 "ReLU is flat for negative inputs, so no gradient flows back through it.")),
        _part(func, "returns 0 at exactly x = 0 and x = -0.0 (the course convention)", zero_g, zero_x,
              np.zeros(2),
              lambda g, x, got: _zero_hint(g, got, name)),
        _part(func, "works on a batch (2-D arrays) and keeps its shape", batch_g.tolist(), batch_x.tolist(),
              batch_g * (batch_x > 0),
              lambda g, x, got: (f"on a 2-D batch {name} returned {got.tolist()}, which has the right "
                                 "shape but wrong values; fix the 1-D cases above first, then make sure "
                                 "every operation works entry by entry.")),
        check_arguments_untouched(func, name, {"grad_out": np.array([1.0, -2.0, 3.0]),
                                               "x": np.array([-1.5, 0.0, 2.0])}),
    ]
    return parts


EXERCISES = [
    Exercise("ex-forward-backward-relu-backward", "03_forward_backward", NAME, check_relu_backward),
]
