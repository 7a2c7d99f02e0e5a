"""Measurements behind chapter 5, "Mathematical properties of ReLU".

Each function measures one property on real numbers rather than asserting it: how far ReLU is
from additive, how many exact zeros a layer produces, how far a function or a network is from
positively homogeneous, how centred its outputs are, what its one-sided slopes at the kink are,
and how exactly the ReLU identities hold in floating point. A ReLU network is given as the
``(kernel, bias)`` pairs of :func:`relu_course.models.dense_parameters` (bias ``None`` when the
layer has none) and evaluated in float64 NumPy, so rounding stays far below what is measured.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from relu_course._validation import as_real_array, real_scalar
from relu_course.activations import relu

Params = Sequence[tuple[Any, Any]]


def _finite_array(value: Any, name: str, *, min_ndim: int = 0) -> np.ndarray:
    """A non-empty float array without NaN or infinities, with at least ``min_ndim`` dimensions."""
    array = as_real_array(value, name)
    if array.size == 0:
        raise ValueError(f"{name} must not be empty")
    if array.ndim < min_ndim:
        raise ValueError(f"{name} must have at least {min_ndim} dimension(s), got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must hold finite numbers only (no NaN or infinity)")
    return array


def _callable(func: Any, name: str) -> Callable[[np.ndarray], Any]:
    if not callable(func):
        raise TypeError(f"{name} must be a function, got {type(func).__name__}")
    return func


# --- non-linearity ---------------------------------------------------------------------------

def additivity_gap(a: Any, b: Any) -> np.ndarray:
    """``relu(a + b) - (relu(a) + relu(b))`` elementwise (broadcast): zero where ReLU acts additively.

    It is zero when a and b have the same sign and non-zero when the signs differ, which is
    exactly where ReLU is not a linear map.
    """
    a_arr = _finite_array(a, "a")
    b_arr = _finite_array(b, "b")
    try:
        total = a_arr + b_arr
    except ValueError:
        raise ValueError(f"a and b must have broadcastable shapes, got {a_arr.shape} and {b_arr.shape}") from None
    return relu(total) - (relu(a_arr) + relu(b_arr))  # brackets: exactly 0 for a, b > 0


# --- sparsity and centring -------------------------------------------------------------------

def share_of_zeros(activations: Any) -> float:
    """The share of entries that are exactly 0 (``-0.0`` included), over the whole array.

    Exactly zero, not "small": a ReLU unit that is off outputs a true 0. NaN is rejected, since
    it is neither zero nor non-zero.
    """
    values = as_real_array(activations, "activations")
    if values.size == 0:
        raise ValueError("activations must not be empty")
    if np.any(np.isnan(values)):
        raise ValueError("activations must not contain NaN")
    return float(np.mean(values == 0))


@dataclass(frozen=True)
class ActivationStats:
    """Summary of one layer's outputs over a batch: share of exact zeros, mean, minimum, and the
    share of units whose mean output over the batch is positive."""

    share_zeros: float
    mean: float
    minimum: float
    share_units_positive_mean: float


def activation_stats(activations: Any) -> ActivationStats:
    """Statistics of a layer's outputs, an array of shape (examples, units)."""
    values = _finite_array(activations, "activations")
    if values.ndim != 2:
        raise ValueError(f"activations must be a 2-D array (examples x units), got shape {values.shape}")
    return ActivationStats(share_zeros=share_of_zeros(values), mean=float(values.mean()),
                           minimum=float(values.min()),
                           share_units_positive_mean=float(np.mean(values.mean(axis=0) > 0)))


def expected_share_of_zeros(mu: float = 0.0, sigma: float = 1.0) -> float:
    """P(relu(z) = 0) = P(z <= 0) = Phi(-mu / sigma) for pre-activations z ~ N(mu, sigma^2)."""
    mu = real_scalar(mu, "mu")
    sigma = real_scalar(sigma, "sigma", low=0.0)
    if sigma == 0:
        raise ValueError("sigma must be positive, got 0")
    return 0.5 * math.erfc(mu / (sigma * math.sqrt(2.0)))


def expected_relu_mean(mu: float = 0.0, sigma: float = 1.0) -> float:
    """E[relu(z)] = mu * Phi(mu / sigma) + sigma * phi(mu / sigma) for z ~ N(mu, sigma^2).

    For mu = 0, sigma = 1 this is 1 / sqrt(2 pi): ReLU of a centred input has a positive mean.
    """
    mu = real_scalar(mu, "mu")
    sigma = real_scalar(sigma, "sigma", low=0.0)
    if sigma == 0:
        raise ValueError("sigma must be positive, got 0")
    t = mu / sigma
    cdf = 0.5 * math.erfc(-t / math.sqrt(2.0))
    pdf = math.exp(-0.5 * t * t) / math.sqrt(2.0 * math.pi)
    return mu * cdf + sigma * pdf


def standardise_batch(z: Any, eps: float = 1e-3) -> np.ndarray:
    """Batch normalisation's training-mode step without scale and shift: every column of ``z``
    (examples x units) to mean 0 and variance ``var / (var + eps)``. Keras's default eps is 1e-3."""
    values = _finite_array(z, "z")
    if values.ndim != 2 or values.shape[0] < 2:
        raise ValueError(f"z must be a 2-D array with at least 2 examples (rows), got shape {values.shape}")
    eps = real_scalar(eps, "eps", low=0.0)
    values = values.astype(np.float64)
    return (values - values.mean(axis=0)) / np.sqrt(values.var(axis=0) + eps)


# --- a ReLU network in NumPy -----------------------------------------------------------------

@dataclass(frozen=True)
class MlpPass:
    """One forward pass of a ReLU MLP: per hidden layer the pre-activations and the ReLU outputs,
    and the output layer's values (logits; no activation)."""

    pre_activations: list[np.ndarray]
    hidden: list[np.ndarray]
    output: np.ndarray


def as_params(params: Any) -> list[tuple[np.ndarray, np.ndarray | None]]:
    """Validate a ReLU MLP's ``(kernel, bias)`` pairs and return them as float64 arrays."""
    if isinstance(params, (str, bytes)) or not hasattr(params, "__iter__"):
        raise TypeError("params must be a sequence of (kernel, bias) pairs, e.g. dense_parameters(model)")
    checked: list[tuple[np.ndarray, np.ndarray | None]] = []
    for i, pair in enumerate(params):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise TypeError(f"params[{i}] must be a (kernel, bias) pair, got {type(pair).__name__}")
        kernel = _finite_array(pair[0], f"params[{i}] kernel").astype(np.float64)
        if kernel.ndim != 2:
            raise ValueError(f"params[{i}] kernel must be 2-D (inputs x units), got shape {kernel.shape}")
        bias = None
        if pair[1] is not None:
            bias = _finite_array(pair[1], f"params[{i}] bias").astype(np.float64)
            if bias.shape != (kernel.shape[1],):
                raise ValueError(f"params[{i}] bias must have shape ({kernel.shape[1]},), got {bias.shape}")
        if checked and checked[-1][0].shape[1] != kernel.shape[0]:
            raise ValueError(f"params[{i}] kernel expects {kernel.shape[0]} inputs but layer {i - 1} "
                             f"has {checked[-1][0].shape[1]} units")
        checked.append((kernel, bias))
    if not checked:
        raise ValueError("params must hold at least one (kernel, bias) pair")
    return checked


def relu_mlp_forward(params: Params, X: Any) -> MlpPass:
    """Evaluate ``relu(... relu(X W1 + b1) ...) Wk + bk`` in float64; ``X`` is (examples x inputs)."""
    layers = as_params(params)
    values = _finite_array(X, "X").astype(np.float64)
    if values.ndim != 2 or values.shape[1] != layers[0][0].shape[0]:
        raise ValueError(f"X must be a 2-D array with {layers[0][0].shape[0]} columns, got shape {values.shape}")
    pre_activations, hidden = [], []
    for kernel, bias in layers[:-1]:
        z = values @ kernel + (0.0 if bias is None else bias)
        values = relu(z)
        pre_activations.append(z)
        hidden.append(values)
    kernel, bias = layers[-1]
    return MlpPass(pre_activations, hidden, values @ kernel + (0.0 if bias is None else bias))


def rescale_hidden_unit(params: Params, layer: int, unit: int,
                        factor: float) -> list[tuple[np.ndarray, np.ndarray | None]]:
    """Multiply one hidden unit's incoming weights and bias by ``factor`` > 0 and its outgoing
    weights by ``1 / factor``: a different parameter vector for the same function (Dinh et al. 2017)."""
    layers = [(k.copy(), None if b is None else b.copy()) for k, b in as_params(params)]
    if isinstance(layer, bool) or not isinstance(layer, (int, np.integer)) or not 0 <= layer < len(layers) - 1:
        raise ValueError(f"layer must be the index of a hidden layer, 0 to {len(layers) - 2}, got {layer!r}")
    width = layers[layer][0].shape[1]
    if isinstance(unit, bool) or not isinstance(unit, (int, np.integer)) or not 0 <= unit < width:
        raise ValueError(f"unit must be an integer in [0, {width - 1}], got {unit!r}")
    factor = real_scalar(factor, "factor", low=0.0)
    if factor == 0:
        raise ValueError("factor must be positive, got 0")
    kernel, bias = layers[layer]
    kernel[:, unit] *= factor
    if bias is not None:
        bias[unit] *= factor
    layers[layer + 1][0][unit, :] /= factor
    return layers


# --- homogeneity -----------------------------------------------------------------------------

def homogeneity_error(func: Callable[[np.ndarray], Any], x: Any, scales: Any) -> float:
    """``max |func(a * x) - a * func(x)|`` over every scale a in ``scales`` and every entry.

    Zero (up to rounding) when ``func`` is positively homogeneous and all scales are >= 0.
    ``func`` maps an array to an array of outputs, e.g. ``lambda X: relu_mlp_forward(p, X).output``.
    """
    func = _callable(func, "func")
    values = _finite_array(x, "x")
    factors = _finite_array(scales, "scales")
    if factors.ndim > 1:
        raise ValueError(f"scales must be a number or a 1-D sequence, got shape {factors.shape}")
    base = np.asarray(func(values), dtype=np.float64)
    worst = 0.0
    for a in np.atleast_1d(factors):
        scaled = np.asarray(func(a * values), dtype=np.float64)
        worst = max(worst, float(np.max(np.abs(scaled - a * base))))
    return worst


def changed_predictions(logits_before: Any, logits_after: Any) -> float:
    """Share of rows (examples) whose arg-max class differs between two logit arrays."""
    before = _finite_array(logits_before, "logits_before")
    after = _finite_array(logits_after, "logits_after")
    if before.ndim != 2 or before.shape != after.shape:
        raise ValueError(f"logits_before and logits_after must be 2-D arrays of one shape, got "
                         f"{before.shape} and {after.shape}")
    return float(np.mean(before.argmax(axis=1) != after.argmax(axis=1)))


# --- the kink at zero ------------------------------------------------------------------------

def one_sided_derivatives(func: Callable[[np.ndarray], Any], x0: float = 0.0,
                          h: float = 1e-6) -> tuple[float, float]:
    """Left and right difference quotients ``(f(x0) - f(x0 - h)) / h`` and ``(f(x0 + h) - f(x0)) / h``.

    Where they disagree as h shrinks, ``func`` has a kink at ``x0``; both are valid slopes there.
    """
    func = _callable(func, "func")
    x0 = real_scalar(x0, "x0")
    h = real_scalar(h, "h", low=0.0)
    if h == 0:
        raise ValueError("h must be positive, got 0")
    f0, f_left, f_right = (float(np.asarray(func(np.float64(v)))) for v in (x0, x0 - h, x0 + h))
    return (f0 - f_left) / h, (f_right - f0) / h


def is_subgradient(func: Callable[[np.ndarray], Any], x0: float, g: float, ys: Any) -> bool:
    """True when ``func(y) >= func(x0) + g * (y - x0)`` for every y in ``ys``: the line through
    ``(x0, func(x0))`` with slope g stays below the graph, which makes g a subgradient at x0."""
    func = _callable(func, "func")
    x0 = real_scalar(x0, "x0")
    g = real_scalar(g, "g")
    points = _finite_array(ys, "ys")
    f0 = float(np.asarray(func(np.float64(x0))))
    return bool(np.all(np.asarray(func(points), dtype=np.float64) >= f0 + g * (points - x0)))


# --- identities ------------------------------------------------------------------------------

IDENTITIES = (
    "x = relu(x) - relu(-x)",
    "|x| = relu(x) + relu(-x)",
    "relu(x) = (x + |x|) / 2",
    "max(x, y) = y + relu(x - y)",
)


def identity_errors(x: Any, y: Any) -> dict[str, float]:
    """The largest absolute difference between the two sides of each identity in ``IDENTITIES``,
    over arrays ``x`` and ``y`` of one shape (``y`` is used by the max identity only)."""
    xs = _finite_array(x, "x")
    ys = _finite_array(y, "y")
    if xs.shape != ys.shape:
        raise ValueError(f"x and y must have the same shape, got {xs.shape} and {ys.shape}")
    with np.errstate(over="ignore", invalid="ignore"):
        pairs = (
            (xs, relu(xs) - relu(-xs)),
            (np.abs(xs), relu(xs) + relu(-xs)),
            (relu(xs), (xs + np.abs(xs)) / 2),
            (np.maximum(xs, ys), ys + relu(xs - ys)),
        )
        return {name: float(np.max(np.abs(left - right))) for name, (left, right) in zip(IDENTITIES, pairs)}
