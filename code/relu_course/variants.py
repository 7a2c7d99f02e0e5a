"""NumPy reference implementations of ReLU's relatives and the classic activations, with derivatives.

Each function takes an array (or scalar) ``x`` and keyword parameters with the defaults the course
uses; each ``*_derivative`` is the exact derivative (the one-sided convention at a kink is stated).
NaN propagates everywhere; at x = -inf and +inf every function returns its mathematical limit.
The output keeps the input's floating dtype (integers become float64).

They are *references*: the smooth functions are written so that they stay accurate in the tails,
where the textbook formulas lose every digit (``1 + tanh(x / 2)`` and ``1 + erf(x)`` cancel for
large negative x, ``1 - tanh(x)**2`` for large |x|). The logistic function comes from
``scipy.special.expit`` and the Gaussian CDF from ``erfc``, which stay accurate there.
Defaults follow the paper that introduced the function; where frameworks choose differently,
the variants chapter measures it (see relu_course.framework_agreement).
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.special import erfc, expit

from relu_course._validation import as_real_array, real_scalar
from relu_course.activations import relu

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_SQRT_2 = math.sqrt(2.0)
#: |x| beyond which the tanh-GELU gate is exactly 0 or 1 in float32 and float64 (keeps x**3 finite).
_GATE_CLIP = 1e6
_SQRT_2PI = math.sqrt(2.0 * math.pi)
_GELU_TANH_C = 0.044715
_GELU_SIGMOID_C = 1.702


def _finite(value: Any, name: str, *, low: float | None = None, high: float | None = None) -> float:
    number = real_scalar(value, name, low=low, high=high)
    if not np.isfinite(number):
        raise ValueError(f"{name} must be finite, got {number}")
    return number


def _limits(result: np.ndarray, v: np.ndarray, at_minus_inf: float, at_plus_inf: float) -> np.ndarray:
    """Replace the NaN that inf * 0 produces at x = -inf / +inf by the function's limit there."""
    result = np.where(v == -np.inf, v.dtype.type(at_minus_inf), result)
    return np.where(v == np.inf, v.dtype.type(at_plus_inf), result)


def _like(out: Any, v: np.ndarray) -> np.ndarray:
    """``out`` in the dtype of the input ``v`` (SciPy computes float16 in float64)."""
    return np.asarray(out).astype(v.dtype, copy=False)


def _sech2(v: np.ndarray) -> np.ndarray:
    """sech(v)**2 = 1 - tanh(v)**2 without the cancellation of the latter for large |v|."""
    with np.errstate(over="ignore"):
        return 1.0 / np.cosh(v) ** 2


def _positive(value: Any, name: str) -> float:
    number = _finite(value, name, low=0.0)
    if number == 0:
        raise ValueError(f"{name} must be positive, got 0")
    return number


# ---------------------------------------------------------------- classic
def sigmoid(x: Any) -> np.ndarray:
    """Logistic sigmoid 1 / (1 + e^-x) (``scipy.special.expit``: no overflow, accurate for x << 0)."""
    v = as_real_array(x, "x")
    return _like(expit(v), v)


def sigmoid_derivative(x: Any) -> np.ndarray:
    """sigmoid(x) sigmoid(-x), which equals s (1 - s) but keeps its digits for large |x|."""
    v = as_real_array(x, "x")
    return _like(expit(v) * expit(-v), v)


def tanh(x: Any) -> np.ndarray:
    """Hyperbolic tangent."""
    return np.tanh(as_real_array(x, "x"))


def tanh_derivative(x: Any) -> np.ndarray:
    """sech(x)^2 (= 1 - tanh(x)^2, computed without cancellation)."""
    v = as_real_array(x, "x")
    return _like(_sech2(v), v)


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


#: The two readings of RReLU. "pytorch": the slope itself ~ U(1/8, 1/3) in training, and the mean
#: slope (1/8 + 1/3) / 2 at test time. "paper" (Xu et al. 2015, following the NDSB winner):
#: a ~ U(3, 8), the slope is 1 / a in training, and x / ((3 + 8) / 2) at test time.
RRELU_CONVENTIONS: dict[str, tuple[float, float]] = {"pytorch": (1 / 8, 1 / 3), "paper": (3.0, 8.0)}


def _convention(convention: Any) -> tuple[float, float]:
    if not isinstance(convention, str) or convention not in RRELU_CONVENTIONS:
        raise ValueError(f"convention must be one of {sorted(RRELU_CONVENTIONS)}, got {convention!r}")
    return RRELU_CONVENTIONS[convention]


def rrelu_training_slopes(size: int, rng: np.random.Generator, convention: str = "pytorch") -> np.ndarray:
    """``size`` negative-side slopes as RReLU draws them in training, under either convention."""
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1:
        raise ValueError(f"size must be a positive integer, got {size!r}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    low, high = _convention(convention)
    draws = rng.uniform(low, high, size=int(size))
    return draws if convention == "pytorch" else 1.0 / draws


def rrelu_test_slope(convention: str = "pytorch") -> float:
    """The fixed test-time slope: (l + u) / 2 (PyTorch) or 2 / (l + u) (the paper's x / ((l + u) / 2))."""
    low, high = _convention(convention)
    return (low + high) / 2 if convention == "pytorch" else 2.0 / (low + high)


def rrelu_mean_training_slope(convention: str = "pytorch") -> float:
    """The expected training slope: (l + u) / 2 (PyTorch), or E[1/a] = ln(u / l) / (u - l) (paper)."""
    low, high = _convention(convention)
    return (low + high) / 2 if convention == "pytorch" else math.log(high / low) / (high - low)


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
    """0 for x < -3, (2x + 3) / 6 on [-3, 3], 1 for x > 3.

    At the kinks this takes the slope from inside the interval (-1/2 and 3/2); TensorFlow and
    PyTorch take the outer ones, 0 and 1 (see relu_course.framework_agreement).
    """
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
def _gelu_tanh_gate(v: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The gate g = (1 + tanh(u)) / 2 = sigmoid(2u) of the tanh approximation, 1 - g, and du/dx."""
    c = np.clip(v, -_GATE_CLIP, _GATE_CLIP)
    u = _SQRT_2_OVER_PI * (c + _GELU_TANH_C * c**3)
    return expit(2.0 * u), expit(-2.0 * u), _SQRT_2_OVER_PI * (1.0 + 3 * _GELU_TANH_C * c**2)


def gelu(x: Any, approximate: bool = False) -> np.ndarray:
    """x * Phi(x) (Hendrycks & Gimpel 2016); ``approximate=True`` gives their tanh approximation
    x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) / 2. Phi is computed as erfc(-x / sqrt 2) / 2."""
    if not isinstance(approximate, bool):
        raise TypeError(f"approximate must be True or False, got {approximate!r}")
    v = as_real_array(x, "x")
    with np.errstate(over="ignore", invalid="ignore"):
        gate = _gelu_tanh_gate(v)[0] if approximate else 0.5 * erfc(-v / _SQRT_2)
        out = v * gate
    return _like(_limits(out, v, 0.0, np.inf), v)


def gelu_derivative(x: Any, approximate: bool = False) -> np.ndarray:
    """Phi(x) + x phi(x); for the tanh form g + 2 x g (1 - g) du/dx with g = sigmoid(2u)."""
    if not isinstance(approximate, bool):
        raise TypeError(f"approximate must be True or False, got {approximate!r}")
    v = as_real_array(x, "x")
    with np.errstate(over="ignore", invalid="ignore"):
        if approximate:
            gate, rest, du = _gelu_tanh_gate(v)
            out = gate + 2.0 * v * gate * rest * du
        else:
            out = 0.5 * erfc(-v / _SQRT_2) + v * np.exp(-0.5 * v * v) / _SQRT_2PI
    return _like(_limits(out, v, 0.0, 1.0), v)


def gelu_sigmoid(x: Any) -> np.ndarray:
    """x * sigmoid(1.702 x), the second, cruder approximation of GELU in Hendrycks & Gimpel (2016)."""
    v = as_real_array(x, "x")
    with np.errstate(invalid="ignore"):
        out = _like(v * expit(_GELU_SIGMOID_C * v), v)
    return _limits(out, v, 0.0, np.inf)


def swish(x: Any, beta: float = 1.0) -> np.ndarray:
    """x * sigmoid(beta x) (Ramachandran et al. 2017); beta = 1 is SiLU (Hendrycks & Gimpel 2016)."""
    v = as_real_array(x, "x")
    b = _finite(beta, "beta")
    with np.errstate(invalid="ignore"):
        out = _like(v * expit(b * v), v)
    if b > 0:
        return _limits(out, v, 0.0, np.inf)
    return out if b == 0 else _limits(out, v, -np.inf, 0.0)


def swish_derivative(x: Any, beta: float = 1.0) -> np.ndarray:
    """s + beta x s (1 - s) with s = sigmoid(beta x), and 1 - s computed as sigmoid(-beta x)."""
    v = as_real_array(x, "x")
    b = _finite(beta, "beta")
    with np.errstate(invalid="ignore"):
        out = _like(expit(b * v) + b * v * expit(b * v) * expit(-b * v), v)
    if b > 0:
        return _limits(out, v, 0.0, 1.0)
    return out if b == 0 else _limits(out, v, 1.0, 0.0)


def softplus(x: Any, beta: float = 1.0) -> np.ndarray:
    """log(1 + e^(beta x)) / beta, computed without overflow (Dugas et al. 2001; beta as in PyTorch).
    It tends to ReLU as beta grows."""
    v = as_real_array(x, "x")
    b = _positive(beta, "beta")
    with np.errstate(invalid="ignore"):  # NaN in, NaN out, silently like every other function here
        return _like(np.logaddexp(0.0, b * v) / b, v)


def softplus_derivative(x: Any, beta: float = 1.0) -> np.ndarray:
    """sigmoid(beta x)."""
    v = as_real_array(x, "x")
    b = _positive(beta, "beta")
    return _like(expit(b * v), v)


def mish(x: Any) -> np.ndarray:
    """x * tanh(softplus(x)) (Misra 2019)."""
    v = as_real_array(x, "x")
    with np.errstate(invalid="ignore"):
        out = v * np.tanh(softplus(v))
    return _limits(out, v, 0.0, np.inf)


def mish_derivative(x: Any) -> np.ndarray:
    """tanh(sp) + x sech(sp)^2 sigmoid(x) with sp = softplus(x)."""
    v = as_real_array(x, "x")
    sp = softplus(v)
    with np.errstate(invalid="ignore"):
        out = _like(np.tanh(sp) + v * _sech2(sp) * expit(v), v)
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




# ---------------------------------------------------------------- statistics
def normal_moments(function: Any, **params: Any) -> tuple[float, float]:
    """Mean and variance of ``function(z, **params)`` for z ~ N(0, 1), by quadrature (no sampling).

    The trapezoidal rule on [-12, 12] with step 1e-4 and a grid point at the kink x = 0 is accurate
    to about 1e-8 for every function here; the tails beyond |z| = 12 weigh less than 1e-30.
    """
    if not callable(function):
        raise TypeError(f"function must be callable, got {type(function).__name__}")
    z = np.linspace(-12.0, 12.0, 240_001)
    weight = np.exp(-0.5 * z * z) / _SQRT_2PI
    values = np.asarray(function(z, **params), dtype=np.float64)
    if values.shape != z.shape or not np.all(np.isfinite(values)):
        raise ValueError("function must map an array to finite values of the same shape")
    mean = float(np.trapezoid(values * weight, z))
    return mean, float(np.trapezoid((values - mean) ** 2 * weight, z))
