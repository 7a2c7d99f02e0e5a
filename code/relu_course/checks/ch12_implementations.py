"""Checks for the exercises of chapter 12, "Implementations: NumPy, Keras and PyTorch"."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from relu_course.checks.elementwise import check_arguments_untouched
from relu_course.checks.exercise import Exercise
from relu_course.checks.probing import Outcome, call_learner
from relu_course.checks.report import Part

NAME = "relu_backward"
SIGNATURE = f"`def {NAME}(grad_output, output):`"
GE_HINT = ("ReLU's output is never negative, so `output >= 0` is True for every entry and the mask is all "
           "ones: every gradient passes, also for units that were off. Use `output > 0`.")


def _call(func: Callable[..., Any], grad_output: np.ndarray, output: np.ndarray, name: str) -> Outcome:
    """``func(grad_output, output)`` on copies; NotAttempted propagates, every other failure is an Outcome."""
    shown = f"grad_output={grad_output.tolist()}, output={output.tolist()}"
    outcome = call_learner(lambda out: func(np.array(grad_output, copy=True), out), output, name,
                           shown=shown)
    if not outcome.ok and "positional argument" in outcome.problem:
        return Outcome(None, outcome.problem + f". Define it with two parameters: {SIGNATURE}")
    return outcome


def _result(func: Callable[..., Any], grad_output: list[float] | np.ndarray, output: list[float] | np.ndarray,
            name: str, description: str) -> tuple[np.ndarray | None, Part | None, np.ndarray, np.ndarray]:
    """Call the learner; return (result, None) or (None, a failed Part) plus the arguments as arrays."""
    g, y = np.array(grad_output, dtype=float), np.array(output, dtype=float)
    outcome = _call(func, g, y, name)
    if not outcome.ok:
        return None, Part(description, False, outcome.problem), g, y
    got = outcome.value
    if got.shape != y.shape:
        return None, Part(description, False, f"{name} returned shape {got.shape} for grad_output and output of "
                                              f"shape {y.shape}; the gradient has one entry per unit."), g, y
    return got, None, g, y


def _shown(name: str, g: np.ndarray, y: np.ndarray, got: np.ndarray) -> str:
    return f"{name}(grad_output={g.tolist()}, output={y.tolist()}) returned {got.tolist()}"


def _positive_part(func: Callable[..., Any], name: str) -> Part:
    description = "passes grad_output through unchanged where output > 0"
    got, failed, g, y = _result(func, [3.0, -1.5, 0.25, -2.0], [0.5, 2.0, 1e6, 1e-6], name, description)
    if failed:
        return failed
    if np.array_equal(got, g):
        return Part(description, True)
    text = _shown(name, g, y, got)
    if np.allclose(got, 1.0):
        return Part(description, False, f"{text}: that is the mask alone. The chain rule multiplies it by the "
                                         "gradient arriving from above, grad_output.")
    if np.allclose(got, g * y):
        return Part(description, False, f"{text}: you multiplied grad_output by the output. Multiply it by "
                                         "ReLU's slope, which is 1 wherever the output is positive.")
    if np.allclose(got, np.maximum(g, 0.0)):
        return Part(description, False, f"{text}: negative gradients were dropped. Whether a gradient passes "
                                         "depends on the sign of the output, not on the sign of grad_output.")
    return Part(description, False, f"{text}; where the output is positive ReLU's slope is 1, so grad_output "
                                     "should come back unchanged.")


def _zero_part(func: Callable[..., Any], name: str, description: str, output: list[float]) -> Part:
    got, failed, g, y = _result(func, [1.5, -2.0, 4.0][:len(output)], output, name, description)
    if failed:
        return failed
    if np.array_equal(got, np.zeros_like(y)):
        return Part(description, True)
    text = (f"{_shown(name, g, y, got)}. An output of exactly 0 means the unit was off (its input was <= 0), "
            "and ReLU's slope there is 0, so no gradient passes.")
    if np.array_equal(got, g):
        text += " " + GE_HINT
    return Part(description, False, text)


def _multiplies_part(func: Callable[..., Any], name: str) -> Part:
    """A whole layer's worth of gradients: the result must be grad_output * (output > 0)."""
    description = "multiplies the incoming gradient by the mask on a realistic batch"
    rng = np.random.default_rng(12)
    y = np.maximum(rng.standard_normal(20), 0.0)
    g = np.round(rng.standard_normal(20) * 3, 2)
    got, failed, g, y = _result(func, g, y, name, description)
    if failed:
        return failed
    expected = g * (y > 0)
    if np.array_equal(got, expected):
        return Part(description, True)
    off = int(np.sum(y == 0))
    if np.array_equal(got, g):
        return Part(description, False, f"on a batch where {off} of {y.size} outputs are 0, {name} returned "
                                         f"grad_output unchanged. " + GE_HINT)
    if np.array_equal(got, (y > 0).astype(float)):
        return Part(description, False, f"on a batch of {y.size} units {name} returned the mask (0s and 1s), "
                                         "not the gradient: multiply the mask by grad_output.")
    bad = int(np.flatnonzero(got != expected)[0])
    return Part(description, False, f"on a batch of {y.size} units, entry {bad} (output {y[bad]!r}, grad_output "
                                     f"{g[bad]!r}) came back as {got[bad]!r}; check the 1-D cases above.")


def _batch_part(func: Callable[..., Any], name: str) -> Part:
    description = "works on a 2-D batch and keeps its shape"
    y = np.maximum(np.linspace(-2.5, 2.5, 6).reshape(2, 3), 0.0)
    g = np.arange(1.0, 7.0).reshape(2, 3) * np.array([1.0, -1.0, 1.0])
    got, failed, g, y = _result(func, g, y, name, description)
    if failed:
        return failed
    if np.array_equal(got, g * (y > 0)):
        return Part(description, True)
    return Part(description, False, f"on a 2-D batch {name} returned {got.tolist()}, which has the right shape "
                                     "but wrong values; make every operation work entry by entry.")


def check_relu_backward(func: Callable[..., Any], name: str = NAME) -> list[Part]:
    """ex-implementations-backward-bug: ``relu_backward(grad_output, output) = grad_output * (output > 0)``."""
    return [
        _positive_part(func, name),
        _zero_part(func, name, "returns 0 where the output is exactly 0", [0.0, 0.0, 0.0]),
        _zero_part(func, name, "returns 0 where the output is -0.0 (a negative zero is still zero)", [-0.0]),
        _multiplies_part(func, name),
        _batch_part(func, name),
        check_arguments_untouched(func, name, {"grad_output": np.array([1.0, -2.0, 3.0]),
                                               "output": np.array([0.0, 0.0, 2.0])}),
    ]


EXERCISES = [
    Exercise("ex-implementations-backward-bug", "12_implementations", NAME, check_relu_backward),
]
