"""The gate picture of ReLU: a layer of units, each passing its pre-activation or blocking it.

Chapter 1 uses this to show, on real numbers, that ReLU gates by the *sign* of
``z = w * x + b`` (plus an optional shift of every bias), not by the strength of the input.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from relu_course._validation import as_real_array, positive_int, real_scalar
from relu_course.activations import relu
from relu_course.seeding import MAX_SEED
from relu_course.style import PALETTE, draw_zero_line


@dataclass(frozen=True)
class GateLayer:
    """A layer of ReLU units with one scalar input: unit i computes ``relu(w[i] * x + b[i] + shift)``."""

    weights: np.ndarray
    biases: np.ndarray

    def __post_init__(self) -> None:
        weights = as_real_array(self.weights, "weights")
        biases = as_real_array(self.biases, "biases")
        if weights.ndim != 1 or weights.shape != biases.shape or weights.size == 0:
            raise ValueError(
                "weights and biases must be non-empty 1-D arrays of equal length, "
                f"got shapes {weights.shape} and {biases.shape}"
            )
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "biases", biases)

    @property
    def n_units(self) -> int:
        return int(self.weights.size)

    def pre_activations(self, x: float, shift: float = 0.0) -> np.ndarray:
        """``z = w * x + b + shift`` for every unit."""
        x = real_scalar(x, "x")
        shift = real_scalar(shift, "shift")
        return self.weights * x + self.biases + shift

    def outputs(self, x: float, shift: float = 0.0) -> np.ndarray:
        """``relu(z)`` for every unit."""
        return relu(self.pre_activations(x, shift))

    def passing(self, x: float, shift: float = 0.0) -> np.ndarray:
        """Boolean mask of the units whose gate is open (``z > 0``)."""
        return self.pre_activations(x, shift) > 0


def example_layer(n_units: int = 6, seed: int = 0) -> GateLayer:
    """A small layer with standard-normal weights and biases, reproducible from ``seed``."""
    n_units = positive_int(n_units, "n_units")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed <= MAX_SEED:
        raise ValueError(f"seed must be an integer in [0, {MAX_SEED}], got {seed!r}")
    rng = np.random.default_rng(seed)
    return GateLayer(weights=rng.standard_normal(n_units), biases=rng.standard_normal(n_units))


def draw_gates(ax: Axes, layer: GateLayer, x: float, shift: float = 0.0, *, z_limit: float = 6.0) -> int:
    """Draw each unit's pre-activation as a bar (coloured and hatched by gate) and its ReLU output as a dot.

    Returns the number of units that pass. Bars are clipped to ``±z_limit`` so that every panel of a
    small-multiples grid shares one scale.
    """
    z = layer.pre_activations(x, shift)
    out = relu(z)
    opened = z > 0
    units = np.arange(layer.n_units)
    colours = [PALETTE["pass"] if o else PALETTE["blocked"] for o in opened]
    bars = ax.bar(units, np.clip(z, -z_limit, z_limit), color=colours, width=0.7, edgecolor=PALETTE["ink"])
    for bar, o in zip(bars, opened):
        bar.set_hatch("" if o else "//")
    ax.plot(units, np.clip(out, -z_limit, z_limit), "o", color=PALETTE["ink"], markersize=6, linestyle="none")
    draw_zero_line(ax)
    ax.set_ylim(-z_limit, z_limit)
    ax.set_xticks(units, [f"u{i + 1}" for i in units])
    ax.set_ylabel("z (bar), relu(z) (dot)")
    ax.set_title(f"x = {x:+.1f}, shift = {shift:+.1f}\n{int(opened.sum())} of {layer.n_units} gates open")
    return int(opened.sum())


def gate_legend_handles() -> list[Patch]:
    """Legend entries that explain the bar colours and hatching."""
    return [
        Patch(facecolor=PALETTE["pass"], edgecolor=PALETTE["ink"], label="gate open: z > 0, output z"),
        Patch(facecolor=PALETTE["blocked"], edgecolor=PALETTE["ink"], hatch="//", label="gate closed: output 0"),
    ]
