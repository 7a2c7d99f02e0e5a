"""The one registry of activation functions that chapters, experiments and tests all use.

Each entry names a NumPy reference function and its derivative (relu_course.activations and
relu_course.variants), the LaTeX formula, the course's default parameters, the citation key in
references.bib, and the names of the same function in Keras and PyTorch (None where a framework
has no built-in function of that name). Iterate over ``ACTIVATIONS`` rather than writing a list of
names in a chapter.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable, Mapping

import numpy as np

from relu_course import variants as v
from relu_course.activations import relu, relu_derivative


@dataclass(frozen=True)
class Activation:
    """An activation function with everything the course says about it."""

    key: str
    name: str
    function: Callable[..., Any]
    derivative: Callable[..., Any]
    formula: str
    family: str                       # "relu" (piecewise linear), "smooth" (smooth ReLU-like), "classic"
    citations: tuple[str, ...] = ()    # keys of references.bib, the introducing work first
    params: Mapping[str, Any] = field(default_factory=dict)
    keras: str | None = None          # keras.activations.<name>
    torch: str | None = None          # torch.nn.functional.<name>

    def __call__(self, x: Any, **params: Any) -> np.ndarray:
        return self.function(x, **{**self.params, **params})

    def grad(self, x: Any, **params: Any) -> np.ndarray:
        return self.derivative(x, **{**self.params, **params})


def _entries() -> list[Activation]:
    return [
        Activation("relu", "ReLU", relu, relu_derivative, r"\max(0, x)", "relu", ("nair2010",),
                   keras="relu", torch="relu"),
        Activation("leaky_relu", "Leaky ReLU", v.leaky_relu, v.leaky_relu_derivative,
                   r"x \text{ if } x > 0 \text{ else } a x", "relu", ("maas2013",), {"negative_slope": 0.01},
                   keras="leaky_relu", torch="leaky_relu"),
        Activation("prelu", "PReLU", v.prelu, v.prelu_derivative,
                   r"x \text{ if } x > 0 \text{ else } a x,\ a \text{ learned}", "relu", ("he2015",), {"slope": 0.25}),
        Activation("rrelu", "RReLU (test time)", v.rrelu, v.rrelu_derivative,
                   r"x \text{ if } x > 0 \text{ else } a x,\ a \sim U(l, u) \text{ in training}", "relu", ("xu2015",),
                   {"lower": 1 / 8, "upper": 1 / 3}, torch="rrelu"),
        Activation("relu6", "ReLU6", v.relu6, v.relu6_derivative, r"\min(\max(0, x), 6)", "relu",
                   ("krizhevsky2010",), keras="relu6", torch="relu6"),
        Activation("hard_swish", "Hard swish", v.hard_swish, v.hard_swish_derivative,
                   r"x \, \mathrm{ReLU6}(x + 3) / 6", "relu", ("howard2019",), keras="hard_swish", torch="hardswish"),
        Activation("elu", "ELU", v.elu, v.elu_derivative, r"x \text{ if } x > 0 \text{ else } \alpha (e^x - 1)",
                   "smooth", ("clevert2016",), {"alpha": 1.0}, keras="elu", torch="elu"),
        Activation("selu", "SELU", v.selu, v.selu_derivative,
                   r"\lambda \left(x \text{ if } x > 0 \text{ else } \alpha (e^x - 1)\right)", "smooth",
                   ("klambauer2017",), keras="selu", torch="selu"),
        Activation("gelu", "GELU", v.gelu, v.gelu_derivative, r"x \, \Phi(x)", "smooth", ("hendrycks2016",),
                   {"approximate": False}, keras="gelu", torch="gelu"),
        Activation("gelu_tanh", "GELU (tanh approximation)", v.gelu, v.gelu_derivative,
                   r"\tfrac{x}{2}\left(1 + \tanh\left(\sqrt{2/\pi}\,(x + 0.044715 x^3)\right)\right)", "smooth",
                   ("hendrycks2016",), {"approximate": True}),
        Activation("silu", "Swish / SiLU", v.swish, v.swish_derivative, r"x \, \sigma(\beta x)", "smooth",
                   ("hendrycks2016", "elfwing2018", "ramachandran2017"), {"beta": 1.0}, keras="silu", torch="silu"),
        Activation("mish", "Mish", v.mish, v.mish_derivative, r"x \tanh(\operatorname{softplus}(x))", "smooth",
                   ("misra2020",), keras="mish", torch="mish"),
        Activation("softplus", "Softplus", v.softplus, v.softplus_derivative, r"\tfrac{1}{\beta}\log(1 + e^{\beta x})",
                   "smooth", ("dugas2001",), {"beta": 1.0}, keras="softplus", torch="softplus"),
        Activation("softsign", "Softsign", v.softsign, v.softsign_derivative, r"x / (1 + \lvert x \rvert)", "classic",
                   ("bergstra2009",), keras="softsign", torch="softsign"),
        Activation("sigmoid", "Sigmoid", v.sigmoid, v.sigmoid_derivative, r"1 / (1 + e^{-x})", "classic",
                   keras="sigmoid", torch="sigmoid"),
        Activation("tanh", "Tanh", v.tanh, v.tanh_derivative, r"\tanh(x)", "classic", keras="tanh", torch="tanh"),
    ]


ACTIVATIONS: Mapping[str, Activation] = MappingProxyType({a.key: a for a in _entries()})


def get_activation(key: Any) -> Activation:
    """The registry entry for ``key`` (e.g. "leaky_relu"); a clear error lists the known keys."""
    if not isinstance(key, str):
        raise TypeError(f"key must be a string such as 'relu', got {type(key).__name__} ({key!r})")
    if key not in ACTIVATIONS:
        raise ValueError(f"key {key!r} is not a registered activation; known: {', '.join(ACTIVATIONS)}")
    return ACTIVATIONS[key]


#: Where :func:`shape_properties` looks: a fine grid on [-20, 20] (through 0) plus the limits at +-inf.
SHAPE_GRID = np.linspace(-20.0, 20.0, 40_001)


@dataclass(frozen=True)
class Shape:
    """Qualitative facts about an activation's graph, measured on SHAPE_GRID and at +-inf."""

    negative_outputs: bool     # some input gives an output < 0
    bounded_below: bool        # the infimum over all real inputs is finite
    bounded_above: bool
    smooth_at_zero: bool       # the derivative is continuous at x = 0 (no kink there)
    monotonic: bool            # the derivative is >= 0 everywhere (no dip)
    minimum: float             # the smallest output, over the grid and the limits


def shape_properties(activation: Any, **params: Any) -> Shape:
    """Measure the :class:`Shape` of a registry entry (or key) with its default parameters or ``params``."""
    if not isinstance(activation, (Activation, str)):
        raise TypeError(f"activation must be a registry key such as 'relu' or an Activation, got "
                        f"{type(activation).__name__}")
    act = activation if isinstance(activation, Activation) else get_activation(activation)
    ends = act(np.array([-np.inf, np.inf]), **params)
    values = act(SHAPE_GRID, **params)
    lowest = float(min(values.min(), ends.min()))
    near_zero = act.grad(np.array([-1e-9, 1e-9]), **params)
    return Shape(negative_outputs=lowest < 0, bounded_below=bool(np.isfinite(lowest)),
                 bounded_above=bool(np.isfinite(max(values.max(), ends.max()))),
                 smooth_at_zero=bool(abs(near_zero[1] - near_zero[0]) < 1e-6),
                 monotonic=bool(np.all(act.grad(SHAPE_GRID, **params) >= 0)), minimum=lowest)
