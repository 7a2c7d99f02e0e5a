"""Independent checks of a hand-written gradient: central finite differences, TensorFlow's autodiff,
and what each framework's autodiff returns for ReLU at exactly 0.

A finite-difference check is only valid away from ReLU's kink: if some pre-activation lies within
``eps`` of 0, the two evaluations ``f(x + eps)`` and ``f(x - eps)`` straddle the kink and the
difference quotient mixes the slopes 0 and 1. :func:`distance_to_kink` tells how close a batch comes.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from relu_course._validation import as_real_array, real_scalar
from relu_course.tf_loader import load_tensorflow, torch_available

def numerical_gradient(f: Callable[[np.ndarray], float], x: Any, eps: float = 1e-6) -> np.ndarray:
    """Central differences ``(f(x + eps e_i) - f(x - eps e_i)) / (2 eps)`` for every element i of x.

    ``f`` maps an array of x's shape to a scalar; x is not modified. Error O(eps²) for smooth f.
    """
    if not callable(f):
        raise TypeError(f"f must be a function of one array returning a number, got {type(f).__name__}")
    x = as_real_array(x, "x").astype(np.float64)
    eps = real_scalar(eps, "eps", low=1e-12, high=1.0)
    point = x.copy()
    grad = np.zeros_like(point)
    flat, flat_grad = point.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        original = flat[i]
        flat[i] = original + eps
        upper = float(f(point))
        flat[i] = original - eps
        lower = float(f(point))
        flat[i] = original
        flat_grad[i] = (upper - lower) / (2 * eps)
    return grad


def relative_error(a: Any, b: Any) -> float:
    """``||a - b|| / (||a|| + ||b||)``: 0 when equal, 1 when opposite; 0 when both are zero.

    A norm-based ratio, so single entries near zero do not blow it up.
    """
    a = as_real_array(a, "a").astype(np.float64)
    b = as_real_array(b, "b").astype(np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    largest = max(float(np.max(np.abs(a), initial=0.0)), float(np.max(np.abs(b), initial=0.0)))
    if largest == 0.0:
        return 0.0
    a, b = a / largest, b / largest  # rescaled first, so tiny or huge values neither underflow nor overflow
    ratio = float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))
    return min(ratio, 1.0)  # <= 1 by the triangle inequality; min() removes rounding above it


@dataclass(frozen=True)
class GradientCheck:
    """The outcome of comparing an analytic gradient with central differences."""

    max_abs_difference: float
    relative_error: float


def check_gradient(f: Callable[[np.ndarray], float], x: Any, analytic: Any,
                   eps: float = 1e-6) -> GradientCheck:
    """Compare ``analytic`` (the claimed gradient of f at x) with :func:`numerical_gradient`."""
    analytic = as_real_array(analytic, "analytic").astype(np.float64)
    numeric = numerical_gradient(f, x, eps)
    if analytic.shape != numeric.shape:
        raise ValueError(f"analytic must have x's shape {numeric.shape}, got {analytic.shape}")
    return GradientCheck(float(np.max(np.abs(analytic - numeric), initial=0.0)),
                         relative_error(analytic, numeric))


def distance_to_kink(z: Any) -> float:
    """Smallest ``|z|`` over all pre-activations: finite differences with ``eps`` below it are valid."""
    z = as_real_array(z, "z")
    if z.size == 0:
        raise ValueError("z must not be empty")
    return float(np.min(np.abs(z)))


def tensorflow_dense_relu_gradients(x: Any, W: Any, b: Any, target: Any) -> tuple[float, dict[str, np.ndarray]]:
    """The loss of :func:`relu_course.backprop.dense_relu_loss_and_gradients` and its gradients
    ``{"x", "W", "b"}``, computed by TensorFlow's ``GradientTape`` in float64."""
    from relu_course.backprop import dense_relu_forward, squared_error_loss

    dense_relu_forward(x, W, b)  # validates shapes with the same messages
    squared_error_loss(np.zeros((np.shape(x)[0], np.shape(W)[1])), target)
    tf = load_tensorflow()
    xs, Ws, bs = (tf.Variable(np.asarray(v, dtype=np.float64)) for v in (x, W, b))
    t = tf.constant(np.asarray(target, dtype=np.float64))
    with tf.GradientTape() as tape:
        out = tf.nn.relu(xs @ Ws + bs)
        loss = tf.reduce_sum((out - t) ** 2) / (2 * tf.cast(tf.shape(out)[0], tf.float64))
    grads = tape.gradient(loss, {"x": xs, "W": Ws, "b": bs})
    return float(loss.numpy()), {k: v.numpy() for k, v in grads.items()}


def tensorflow_gradients_at_zero() -> dict[str, float]:
    """d/dx at x = 0.0 of ``tf.nn.relu(x)`` and of the hand-written ``tf.maximum(x, 0.)``, by GradientTape."""
    tf = load_tensorflow()
    functions = {"tf.nn.relu(x)": tf.nn.relu, "tf.maximum(x, 0.)": lambda v: tf.maximum(v, 0.0)}
    result = {}
    for label, fn in functions.items():
        x = tf.Variable(0.0, dtype=tf.float32)
        with tf.GradientTape() as tape:
            y = fn(x)
        result[label] = float(tape.gradient(y, x).numpy())
    return result


def torch_gradients_at_zero() -> dict[str, float] | None:
    """d/dx at x = 0.0 of ``torch.relu(x)`` and ``torch.maximum(x, 0)`` by autograd; None without PyTorch."""
    if not torch_available():
        return None
    torch = importlib.import_module("torch")
    functions = {"torch.relu(x)": torch.relu,
                 "torch.maximum(x, 0)": lambda v: torch.maximum(v, torch.zeros_like(v))}
    result = {}
    for label, fn in functions.items():
        x = torch.zeros((), requires_grad=True)
        fn(x).backward()
        result[label] = float(x.grad)
    return result
