"""Backpropagation written out by hand in NumPy: a dense + ReLU layer, a loss, and a deep MLP.

Chapter 3 checks these against finite differences and TensorFlow's autodiff, so every step is
explicit. Conventions: a batch is a 2-D array (examples x features); a dense layer computes
``z = x @ W + b``; ReLU's derivative at exactly 0 is 0, as in TensorFlow and PyTorch
(:func:`relu_course.activations.relu_derivative`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from relu_course._validation import as_real_array, positive_int, real_scalar
from relu_course.activations import relu, relu_derivative
from relu_course.seeding import MAX_SEED


@dataclass(frozen=True)
class DenseReluCache:
    """What the backward pass needs from the forward pass: the input, the kernel and ``z``."""

    x: np.ndarray
    W: np.ndarray
    z: np.ndarray


#: The backward pass's result: (dL/dx, dL/dW, dL/db).
Gradients = tuple[np.ndarray, np.ndarray, np.ndarray]


def _matrix(value: Any, name: str) -> np.ndarray:
    array = as_real_array(value, name)
    if array.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array, got shape {array.shape}")
    return array.astype(np.float64)


def _layer_arrays(x: Any, W: Any, b: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x, W = _matrix(x, "x"), _matrix(W, "W")
    b = as_real_array(b, "b").astype(np.float64)
    if x.shape[1] != W.shape[0]:
        raise ValueError(f"x has {x.shape[1]} features but W expects {W.shape[0]} (W must be "
                         f"inputs x units); got x {x.shape} and W {W.shape}")
    if b.shape != (W.shape[1],):
        raise ValueError(f"b must have one entry per unit, shape ({W.shape[1]},), got {b.shape}")
    return x, W, b


def dense_relu_forward(x: Any, W: Any, b: Any) -> tuple[np.ndarray, DenseReluCache]:
    """Forward pass ``relu(x @ W + b)`` for a batch ``x`` (examples x inputs), in float64.

    Returns the output (examples x units) and the cache for :func:`dense_relu_backward`.
    """
    x, W, b = _layer_arrays(x, W, b)
    z = x @ W + b
    return relu(z), DenseReluCache(x, W, z)


def dense_relu_backward(grad_out: Any,
                        cache: DenseReluCache) -> Gradients:
    """Backward of dense_relu_forward: (dL/dx, dL/dW, dL/db) from dL/dout.

    Chain rule: dz = grad_out * relu'(z), with relu'(z) = 0 where z <= 0;
    then dW = x.T @ dz, db = dz summed over the batch, dx = dz @ W.T.
    """
    if not isinstance(cache, DenseReluCache):
        raise TypeError("cache must be the DenseReluCache returned by "
                        f"dense_relu_forward, got {type(cache).__name__}")
    grad_out = _matrix(grad_out, "grad_out")
    if grad_out.shape != cache.z.shape:
        raise ValueError(f"grad_out must have the output's shape "
                         f"{cache.z.shape}, got {grad_out.shape}")
    dz = grad_out * relu_derivative(cache.z)
    return dz @ cache.W.T, cache.x.T @ dz, dz.sum(axis=0)


def squared_error_loss(prediction: Any, target: Any) -> tuple[float, np.ndarray]:
    """``L = sum((prediction - target)**2) / (2 * batch)`` and its gradient ``dL/d(prediction)``."""
    prediction = _matrix(prediction, "prediction")
    target = as_real_array(target, "target").astype(np.float64)
    if target.shape != prediction.shape:
        raise ValueError(f"target must have the prediction's shape {prediction.shape}, got {target.shape}")
    residual = prediction - target
    n = prediction.shape[0]
    return float(np.sum(residual**2) / (2 * n)), residual / n


def dense_relu_loss_and_gradients(x: Any, W: Any, b: Any, target: Any) -> tuple[float, dict[str, np.ndarray]]:
    """Loss of ``relu(x @ W + b)`` against ``target`` and its gradients ``{"x", "W", "b"}``, by hand."""
    out, cache = dense_relu_forward(x, W, b)
    loss, grad_out = squared_error_loss(out, target)
    dx, dW, db = dense_relu_backward(grad_out, cache)
    return loss, {"x": dx, "W": dW, "b": db}


# --- a deep MLP with any of three activations, for the gradient-flow explorer ---------------------

def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # = 1 / (1 + exp(-z)), without overflow warnings


#: Activation name -> (function, derivative as a function of the pre-activation z).
ACTIVATIONS: dict[str, tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray], np.ndarray]]] = {
    "relu": (relu, relu_derivative),
    "tanh": (np.tanh, lambda z: 1.0 - np.tanh(z) ** 2),
    "sigmoid": (_sigmoid, lambda z: _sigmoid(z) * (1.0 - _sigmoid(z))),
}
#: Initialisations: name -> standard deviation of a zero-mean normal kernel, from (fan_in, fan_out).
INITS: dict[str, Callable[[int, int], float]] = {
    "glorot": lambda fan_in, fan_out: float(np.sqrt(2.0 / (fan_in + fan_out))),
    "he": lambda fan_in, fan_out: float(np.sqrt(2.0 / fan_in)),
}

Parameters = list[tuple[np.ndarray, np.ndarray]]


def _choice(value: Any, name: str, options: Sequence[str]) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {tuple(options)}, got {type(value).__name__} ({value!r})")
    if value not in options:
        raise ValueError(f"{name} must be one of {tuple(options)}, got {value!r}")
    return value


def random_mlp_parameters(sizes: Sequence[int], *, init: str = "he", gain: float = 1.0,
                          seed: int = 0) -> Parameters:
    """``(kernel, bias)`` per layer for layer sizes ``[inputs, hidden..., outputs]``: normal kernels
    with the standard deviation of ``init`` ("glorot" or "he") times ``gain``, zero biases."""
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__iter__"):
        raise TypeError(f"sizes must be a sequence of layer sizes, got {sizes!r}")
    widths = [positive_int(s, "sizes") for s in sizes]
    if len(widths) < 2:
        raise ValueError(f"sizes needs at least an input and an output size, got {widths}")
    init = _choice(init, "init", tuple(INITS))
    gain = real_scalar(gain, "gain", low=0.0, high=100.0)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed <= MAX_SEED:
        raise ValueError(f"seed must be an integer in [0, {MAX_SEED}], got {seed!r}")
    rng = np.random.default_rng(int(seed))
    return [(rng.normal(0.0, gain * INITS[init](n_in, n_out), (n_in, n_out)), np.zeros(n_out))
            for n_in, n_out in zip(widths[:-1], widths[1:])]


def _labels(y: Any, n: int, n_classes: int) -> np.ndarray:
    labels = np.asarray(y)
    if labels.shape != (n,) or labels.dtype.kind not in "iu":
        raise ValueError(f"y must be a 1-D integer array with one label per row of X, got shape "
                         f"{labels.shape} and dtype {labels.dtype}")
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(f"y must hold class indices in [0, {n_classes - 1}]")
    return labels


def mlp_gradients(params: Parameters, X: Any, y: Any, activation: str = "relu") -> tuple[float, Parameters]:
    """Mean softmax cross-entropy of an MLP (``activation`` in every hidden layer, linear logits)
    and the gradients ``(dL/dkernel, dL/dbias)`` of every layer, by hand-written backpropagation."""
    if not isinstance(params, (list, tuple)) or not params:
        raise TypeError("params must be a non-empty list of (kernel, bias) pairs")
    act, act_derivative = ACTIVATIONS[_choice(activation, "activation", tuple(ACTIVATIONS))]
    h = _matrix(X, "X")
    labels = _labels(y, h.shape[0], np.shape(params[-1][0])[-1])
    inputs, zs = [], []
    for i, (W, b) in enumerate(params):
        inputs.append(h)
        z = h @ W + b
        zs.append(z)
        h = act(z) if i < len(params) - 1 else z
    logits = h - h.max(axis=1, keepdims=True)
    log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    n = labels.size
    loss = float(-log_p[np.arange(n), labels].mean())
    delta = np.exp(log_p)
    delta[np.arange(n), labels] -= 1.0
    delta /= n  # dL/dlogits
    grads: Parameters = []
    for i in range(len(params) - 1, -1, -1):
        if i < len(params) - 1:
            delta = delta * act_derivative(zs[i])
        grads.append((inputs[i].T @ delta, delta.sum(axis=0)))
        delta = delta @ params[i][0].T
    return loss, grads[::-1]


def mlp_kernel_gradient_norms(params: Parameters, X: Any, y: Any, activation: str = "relu") -> np.ndarray:
    """The Euclidean (Frobenius) norm of ``dL/dkernel`` for every layer, first layer first."""
    _, grads = mlp_gradients(params, X, y, activation)
    return np.array([np.linalg.norm(dW) for dW, _ in grads])
