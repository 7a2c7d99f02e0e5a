"""The numerical side of chapter 13's mistakes: signals through badly scaled ReLU stacks, a derivative
mask built from the wrong comparison, and a ReLU that turns NaN into 0.

All of it is forward arithmetic in NumPy, cheap enough for an explorer to recompute on every slider
move (:mod:`relu_course.widgets.init_scale`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from relu_course._validation import as_real_array, positive_int, real_scalar
from relu_course.activations import relu
from relu_course.gradcheck import check_gradient, distance_to_kink
from relu_course._validation import choice


# ------------------------------------------------------------------ signals through depth
def he_kernels(sizes: Sequence[int], *, scale: float = 1.0, seed: int = 0) -> list[np.ndarray]:
    """Kernels for layer sizes ``[inputs, hidden...]``: zero-mean normal with standard deviation
    ``scale * sqrt(2 / fan_in)`` (He et al. 2015 when scale = 1), drawn layer after layer from
    ``default_rng(seed)``, so a deeper stack starts with the same kernels as a shallower one."""
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__iter__"):
        raise TypeError(f"sizes must be a sequence of layer sizes, got {sizes!r}")
    widths = [positive_int(s, "sizes") for s in sizes]
    if len(widths) < 2:
        raise ValueError(f"sizes needs an input size and at least one layer, got {widths}")
    scale = real_scalar(scale, "scale", low=0.0, high=1e3)
    rng = np.random.default_rng(seed)
    return [rng.standard_normal((n_in, n_out)) * (scale * np.sqrt(2.0 / n_in))
            for n_in, n_out in zip(widths[:-1], widths[1:])]


def relu_layer_outputs(x: Any, kernels: Sequence[Any]) -> list[np.ndarray]:
    """``h_l = relu(h_{l-1} @ W_l)`` for every kernel (no biases), starting from the batch ``x``
    (examples x features); float64."""
    h = as_real_array(x, "x").astype(np.float64)
    if h.ndim != 2:
        raise ValueError(f"x must be a 2-D batch (examples x features), got shape {h.shape}")
    if isinstance(kernels, (str, bytes)) or not hasattr(kernels, "__iter__"):
        raise TypeError("kernels must be a sequence of 2-D arrays")
    outputs = []
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        for i, W in enumerate(kernels):
            W = as_real_array(W, f"kernels[{i}]").astype(np.float64)
            if W.ndim != 2 or W.shape[0] != h.shape[1]:
                raise ValueError(f"kernels[{i}] must have {h.shape[1]} rows (the width before it), "
                                 f"got shape {W.shape}")
            h = np.maximum(h @ W, 0.0)
            outputs.append(h)
    return outputs


@dataclass(frozen=True)
class ActivationStats:
    """Per layer of a bias-free ReLU stack: the std of its outputs, the share of outputs that are exactly
    0, and the share of units that are 0 for every example of the batch (dead on it)."""

    scale: float
    std: np.ndarray
    zero_share: np.ndarray
    dead_share: np.ndarray


def activation_statistics(x: Any, *, scale: float, depth: int, width: int, seed: int = 0) -> ActivationStats:
    """Push the batch ``x`` through ``depth`` ReLU layers of ``width`` units with :func:`he_kernels`
    times ``scale`` and measure every layer (forward only)."""
    x = as_real_array(x, "x")
    if x.ndim != 2:
        raise ValueError(f"x must be a 2-D batch (examples x features), got shape {x.shape}")
    sizes = [x.shape[1], *([positive_int(width, "width")] * positive_int(depth, "depth"))]
    outputs = relu_layer_outputs(x, he_kernels(sizes, scale=scale, seed=seed))
    return ActivationStats(float(scale), np.array([float(np.std(h)) for h in outputs]),
                           np.array([float(np.mean(h == 0)) for h in outputs]),
                           np.array([float(np.mean(np.all(h == 0, axis=0))) for h in outputs]))


# ------------------------------------------------------------------ a derivative mask from the wrong comparison
def relu_backward_from_output(out: Any, grad_out: Any, *, comparison: str = ">") -> np.ndarray:
    """dL/dz of ``out = relu(z)`` from the output and dL/d(out). ``comparison=">"`` is right: a unit
    passes its gradient where ``out > 0``. ``">="`` is the mistake: every ReLU output is >= 0, so the
    mask is 1 everywhere and ReLU's derivative is silently replaced by the identity's."""
    out = as_real_array(out, "out")
    grad_out = as_real_array(grad_out, "grad_out")
    if out.shape != grad_out.shape:
        raise ValueError(f"out and grad_out must have the same shape, got {out.shape} and {grad_out.shape}")
    if comparison == ">":
        return grad_out * (out > 0)
    if comparison == ">=":
        return grad_out * (out >= 0)
    raise ValueError(f"comparison must be '>' or '>=', got {comparison!r}")


@dataclass(frozen=True)
class MaskCheck:
    """A finite-difference check of one dense ReLU layer's kernel gradient, for one comparison."""

    comparison: str
    mask_share: float        # share of the mask that is 1
    relative_error: float    # against central differences (gradcheck.relative_error)
    kink_distance: float     # smallest |z|: the check is valid when it exceeds the step


def mask_gradient_check(comparison: str, *, examples: int = 8, inputs: int = 4, units: int = 5,
                        seed: int = 0) -> MaskCheck:
    """Compare the kernel gradient of ``L = sum((relu(x @ W) - t)**2) / (2 n)`` computed with
    :func:`relu_backward_from_output` against central differences, on random data from ``seed``."""
    choice(comparison, (">", ">="), "comparison")
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((positive_int(examples, "examples"), positive_int(inputs, "inputs")))
    W = rng.standard_normal((inputs, positive_int(units, "units")))
    t = rng.standard_normal((examples, units))

    def loss(kernel: np.ndarray) -> float:
        return float(np.sum((relu(x @ kernel) - t) ** 2) / (2 * examples))

    out = relu(x @ W)
    grad_out = (out - t) / examples
    grad_z = relu_backward_from_output(out, grad_out, comparison=comparison)
    check = check_gradient(loss, W, x.T @ grad_z)
    mask = relu_backward_from_output(out, np.ones_like(out), comparison=comparison)
    return MaskCheck(comparison, float(np.mean(mask)), check.relative_error, distance_to_kink(x @ W))


# ------------------------------------------------------------------ NaN turned into 0
def relu_where(x: Any) -> np.ndarray:
    """``np.where(x > 0, x, 0)``: ReLU for numbers, but NaN > 0 is False, so NaN becomes 0 (the mistake)."""
    values = as_real_array(x, "x")
    return np.where(values > 0, values, values.dtype.type(0))


@dataclass(frozen=True)
class NanReport:
    """What one ReLU implementation makes of a batch with NaN in it."""

    name: str
    nan_in: int
    nan_out: int
    loss: float


def nan_hiding(values: Any) -> list[NanReport]:
    """An upstream bug, ``np.log`` of the values (NaN for a negative one), followed by ReLU written two
    ways; the "loss" is the mean of the ReLU outputs. ``relu`` keeps the NaN, so the loss is NaN and the
    bug shows; ``relu_where`` hides it behind a finite loss."""
    values = as_real_array(values, "values")
    with np.errstate(invalid="ignore", divide="ignore"):
        upstream = np.log(values)
    reports = []
    for name, fn in (("np.maximum(x, 0) (the package's relu)", relu), ("np.where(x > 0, x, 0)", relu_where)):
        out = fn(upstream)
        reports.append(NanReport(name, int(np.isnan(upstream).sum()), int(np.isnan(out).sum()), float(np.mean(out))))
    return reports
