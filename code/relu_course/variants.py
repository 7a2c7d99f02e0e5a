"""NumPy reference implementations of ReLU's relatives and the classic activations, with derivatives.

Each function takes an array (or scalar) ``x`` and keyword parameters with the defaults the course
uses; each ``*_derivative`` is the exact derivative (the one-sided convention at a kink is stated).
NaN propagates everywhere. Defaults follow the paper that introduced the function; where frameworks
choose differently, the variants chapter measures it (see FACTS.md section 2 of the course's fact-check).
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.special import erf

from relu_course._validation import as_real_array, real_scalar
from relu_course.activations import relu

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_SQRT_2 = math.sqrt(2.0)
_SQRT_2PI = math.sqrt(2.0 * math.pi)
_GELU_TANH_C = 0.044715


def _finite(value: Any, name: str, *, low: float | None = None, high: float | None = None) -> float:
    number = real_scalar(value, name, low=low, high=high)
    if not np.isfinite(number):
        raise ValueError(f"{name} must be finite, got {number}")
    return number


def _limits(result: np.ndarray, v: np.ndarray, at_minus_inf: float, at_plus_inf: float) -> np.ndarray:
    """Replace the NaN that inf * 0 produces at x = -inf / +inf by the function's limit there."""
    result = np.where(v == -np.inf, v.dtype.type(at_minus_inf), result)
    return np.where(v == np.inf, v.dtype.type(at_plus_inf), result)


def _positive(value: Any, name: str) -> float:
    number = _finite(value, name, low=0.0)
    if number == 0:
        raise ValueError(f"{name} must be positive, got 0")
    return number


# ---------------------------------------------------------------- classic
def sigmoid(x: Any) -> np.ndarray:
    """Logistic sigmoid 1 / (1 + e^-x), computed as (1 + tanh(x/2)) / 2, which never overflows."""
    v = as_real_array(x, "x")
    return 0.5 * (1.0 + np.tanh(0.5 * v))


def sigmoid_derivative(x: Any) -> np.ndarray:
    s = sigmoid(x)
    return s * (1.0 - s)


def tanh(x: Any) -> np.ndarray:
    """Hyperbolic tangent."""
    return np.tanh(as_real_array(x, "x"))


def tanh_derivative(x: Any) -> np.ndarray:
    t = tanh(x)
    return 1.0 - t * t


# ---------------------------------------------------------------- piecewise linear
def leaky_relu(x: Any, negative_slope: float = 0.01) -> np.ndarray:
    """x for x > 0, ``negative_slope * x`` otherwise (Maas et al. 2013 use 0.01)."""
    v = as_real_array(x, "x")
    a = v.dtype.type(_finite(negative_slope, "negative_slope"))
    return np.where(v > 0, v, a * v)


def leaky_relu_derivative(x: Any, negative_slope: float = 0.01) -> np.ndarray:
    """1 for x > 0, ``negative_slope`` for x <= 0 (TensorFlow's and PyTorch's convention at 0)."""
    v = as_real_array(x, "x")
    a = v.dtype.type(_finite(negative_slope, "negative_slope"))
    return np.where(np.isnan(v), v, np.where(v > 0, v.dtype.type(1), a))


def prelu(x: Any, slope: float = 0.25) -> np.ndarray:
    """PReLU with a given (learned) slope; He et al. (2015) initialise it to 0.25."""
    return leaky_relu(x, negative_slope=_finite(slope, "slope"))


def prelu_derivative(x: Any, slope: float = 0.25) -> np.ndarray:
    return leaky_relu_derivative(x, negative_slope=_finite(slope, "slope"))


def rrelu(x: Any, lower: float = 1 / 8, upper: float = 1 / 3, *, training: bool = False,
          rng: np.random.Generator | None = None) -> np.ndarray:
    """Randomised leaky ReLU, PyTorch's convention: slope ~ U(lower, upper) per element while
    training, the fixed slope (lower + upper) / 2 at test time. (The paper of Xu et al. 2015 samples
    a ~ U(3, 8) and divides by it; its test slope is 2/11. See the variants chapter.)"""
    low = _finite(lower, "lower", low=0.0)
    high = _finite(upper, "upper", low=0.0)
    if low > high:
        raise ValueError(f"lower must not exceed upper, got lower={low}, upper={high}")
    if not isinstance(training, bool):
        raise TypeError(f"training must be True or False, got {training!r}")
    v = as_real_array(x, "x")
    if not training:
        return leaky_relu(v, (low + high) / 2)
    if rng is None or not isinstance(rng, np.random.Generator):
        raise TypeError("rng must be a numpy.random.Generator when training=True (for reproducibility)")
    slopes = rng.uniform(low, high, size=v.shape).astype(v.dtype)
    return np.where(v > 0, v, slopes * v)


def rrelu_derivative(x: Any, lower: float = 1 / 8, upper: float = 1 / 3) -> np.ndarray:
    """Test-time derivative: 1 for x > 0, (lower + upper) / 2 otherwise."""
    low, high = _finite(lower, "lower", low=0.0), _finite(upper, "upper", low=0.0)
    if low > high:
        raise ValueError(f"lower must not exceed upper, got lower={low}, upper={high}")
    return leaky_relu_derivative(x, (low + high) / 2)


def relu6(x: Any) -> np.ndarray:
    """min(max(x, 0), 6) (Krizhevsky 2010; MobileNetV2)."""
    v = as_real_array(x, "x")
    return np.minimum(relu(v), v.dtype.type(6))


def relu6_derivative(x: Any) -> np.ndarray:
    """1 on 0 < x < 6, else 0 (0 at both kinks, as in TensorFlow and PyTorch)."""
    v = as_real_array(x, "x")
    one, zero = v.dtype.type(1), v.dtype.type(0)
    return np.where(np.isnan(v), v, np.where((v > 0) & (v < 6), one, zero))


def hard_swish(x: Any) -> np.ndarray:
    """x * relu6(x + 3) / 6 (MobileNetV3's h-swish)."""
    v = as_real_array(x, "x")
    with np.errstate(invalid="ignore"):
        out = v * relu6(v + 3) / 6
    return _limits(out, v, 0.0, np.inf)


def hard_swish_derivative(x: Any) -> np.ndarray:
    """0 for x < -3, (2x + 3) / 6 on [-3, 3], 1 for x > 3 (one-sided conventions of PyTorch at the kinks)."""
    v = as_real_array(x, "x")
    inner = (2 * v + 3) / 6
    return np.where(v < -3, v.dtype.type(0), np.where(v > 3, v.dtype.type(1), inner))


# ---------------------------------------------------------------- exponential family
def elu(x: Any, alpha: float = 1.0) -> np.ndarray:
    """x for x > 0, alpha (e^x - 1) otherwise (Clevert et al. 2016); alpha > 0."""
    v = as_real_array(x, "x")
    a = v.dtype.type(_positive(alpha, "alpha"))
    return np.where(v > 0, v, a * np.expm1(np.minimum(v, 0)))


def elu_derivative(x: Any, alpha: float = 1.0) -> np.ndarray:
    """1 for x > 0, alpha e^x otherwise (continuous at 0 only when alpha = 1)."""
    v = as_real_array(x, "x")
    a = v.dtype.type(_positive(alpha, "alpha"))
    return np.where(v > 0, v.dtype.type(1), a * np.exp(np.minimum(v, 0)))


def selu(x: Any) -> np.ndarray:
    """SELU: scale * elu(x, alpha) with Klambauer et al.'s (2017) fixed alpha and scale."""
    v = as_real_array(x, "x")
    return v.dtype.type(SELU_SCALE) * elu(v, SELU_ALPHA)


def selu_derivative(x: Any) -> np.ndarray:
    v = as_real_array(x, "x")
    return v.dtype.type(SELU_SCALE) * elu_derivative(v, SELU_ALPHA)


# ---------------------------------------------------------------- smooth gates
def gelu(x: Any, approximate: bool = False) -> np.ndarray:
    """x * Phi(x) (Hendrycks & Gimpel 2016); ``approximate=True`` gives their tanh approximation."""
    if not isinstance(approximate, bool):
        raise TypeError(f"approximate must be True or False, got {approximate!r}")
    v = as_real_array(x, "x")
    with np.errstate(over="ignore", invalid="ignore"):
        if approximate:
            out = 0.5 * v * (1.0 + np.tanh(_SQRT_2_OVER_PI * (v + _GELU_TANH_C * v**3)))
        else:
            out = 0.5 * v * (1.0 + erf(v / _SQRT_2))
    return _limits(out, v, 0.0, np.inf)


def gelu_derivative(x: Any, approximate: bool = False) -> np.ndarray:
    if not isinstance(approximate, bool):
        raise TypeError(f"approximate must be True or False, got {approximate!r}")
    v = as_real_array(x, "x")
    with np.errstate(over="ignore", invalid="ignore"):
        if approximate:
            u = _SQRT_2_OVER_PI * (v + _GELU_TANH_C * v**3)
            t = np.tanh(u)
            du = _SQRT_2_OVER_PI * (1.0 + 3 * _GELU_TANH_C * v**2)
            out = 0.5 * (1.0 + t) + 0.5 * v * (1.0 - t * t) * du
        else:
            pdf = np.exp(-0.5 * v * v) / _SQRT_2PI
            out = 0.5 * (1.0 + erf(v / _SQRT_2)) + v * pdf
    return _limits(out, v, 0.0, 1.0)


def swish(x: Any, beta: float = 1.0) -> np.ndarray:
    """x * sigmoid(beta x) (Ramachandran et al. 2017); beta = 1 is SiLU."""
    v = as_real_array(x, "x")
    b = _finite(beta, "beta")
    with np.errstate(invalid="ignore"):
        out = v * sigmoid(b * v)
    if b > 0:
        return _limits(out, v, 0.0, np.inf)
    return out if b == 0 else _limits(out, v, -np.inf, 0.0)


def swish_derivative(x: Any, beta: float = 1.0) -> np.ndarray:
    v = as_real_array(x, "x")
    b = _finite(beta, "beta")
    s = sigmoid(b * v)
    with np.errstate(invalid="ignore"):
        out = s + b * v * s * (1.0 - s)
    if b > 0:
        return _limits(out, v, 0.0, 1.0)
    return out if b == 0 else _limits(out, v, 1.0, 0.0)


def softplus(x: Any) -> np.ndarray:
    """log(1 + e^x), computed without overflow (Dugas et al. 2001)."""
    v = as_real_array(x, "x")
    with np.errstate(invalid="ignore"):  # NaN in, NaN out, silently like every other function here
        return np.logaddexp(v.dtype.type(0), v)


def softplus_derivative(x: Any) -> np.ndarray:
    """sigmoid(x)."""
    return sigmoid(x)


def mish(x: Any) -> np.ndarray:
    """x * tanh(softplus(x)) (Misra 2019)."""
    v = as_real_array(x, "x")
    with np.errstate(invalid="ignore"):
        out = v * np.tanh(softplus(v))
    return _limits(out, v, 0.0, np.inf)


def mish_derivative(x: Any) -> np.ndarray:
    v = as_real_array(x, "x")
    t = np.tanh(softplus(v))
    with np.errstate(invalid="ignore"):
        out = t + v * (1.0 - t * t) * sigmoid(v)
    return _limits(out, v, 0.0, 1.0)


def softsign(x: Any) -> np.ndarray:
    """x / (1 + |x|) (Bergstra et al. 2009)."""
    v = as_real_array(x, "x")
    with np.errstate(invalid="ignore"):
        out = v / (1 + np.abs(v))
    return _limits(out, v, -1.0, 1.0)


def softsign_derivative(x: Any) -> np.ndarray:
    v = as_real_array(x, "x")
    return 1 / (1 + np.abs(v)) ** 2


