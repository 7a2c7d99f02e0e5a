"""ReLU's relatives: definitions, derivatives against finite differences, limits, NaN, validation."""
import decimal
import math
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, strategies as st

from relu_course import variants as v
from relu_course.activation_registry import ACTIVATIONS, get_activation
from relu_course.bibliography import bibliography_text

ROOT = Path(__file__).resolve().parents[1]
KEYS = sorted(ACTIVATIONS)
moderate = st.floats(min_value=-8, max_value=8, allow_nan=False)


def kinks(key):
    """Points where the function is not differentiable (finite differences do not apply there)."""
    return {"relu": [0.0], "leaky_relu": [0.0], "prelu": [0.0], "rrelu": [0.0], "relu6": [0.0, 6.0],
            "hard_swish": [-3.0, 3.0], "elu": [0.0], "selu": [0.0]}.get(key, [])


@pytest.mark.parametrize("key", KEYS)
@given(x=moderate)
def test_derivative_matches_central_difference(key, x):
    act = get_activation(key)
    h = 1e-6
    if any(abs(x - k) < 1e-3 for k in kinks(key)):
        return
    numeric = (act(np.float64(x + h)) - act(np.float64(x - h))) / (2 * h)
    assert float(act.grad(np.float64(x))) == pytest.approx(float(numeric), rel=1e-5, abs=1e-6)


@pytest.mark.parametrize("key", KEYS)
def test_nan_propagates_and_shape_and_dtype_are_kept(key):
    act = get_activation(key)
    x = np.array([[np.nan, -1.0], [0.5, 2.0]], dtype=np.float32)
    for out in (act(x), act.grad(x)):
        assert out.shape == x.shape and out.dtype == np.float32 and np.isnan(out[0, 0])
        assert not np.isnan(out[1:]).any() and not np.isnan(out[0, 1])


LIMITS = {  # (f(-inf), f(+inf)) from the definitions
    "relu": (0, math.inf), "leaky_relu": (-math.inf, math.inf), "prelu": (-math.inf, math.inf),
    "rrelu": (-math.inf, math.inf), "relu6": (0, 6), "hard_swish": (0, math.inf), "elu": (-1, math.inf),
    "selu": (-v.SELU_SCALE * v.SELU_ALPHA, math.inf), "gelu": (0, math.inf), "gelu_tanh": (0, math.inf),
    "silu": (0, math.inf), "mish": (0, math.inf), "softplus": (0, math.inf), "softsign": (-1, 1),
    "sigmoid": (0, 1), "tanh": (-1, 1)}


@pytest.mark.parametrize("key", KEYS)
def test_limits_at_infinity_are_the_mathematical_limits(key):
    out = get_activation(key)(np.array([-np.inf, np.inf]))
    assert out[0] == pytest.approx(LIMITS[key][0]) and out[1] == LIMITS[key][1]
    grad = get_activation(key).grad(np.array([-np.inf, np.inf]))
    assert not np.isnan(grad).any()


def test_every_registered_function_agrees_with_its_formula_at_sample_points():
    x = np.linspace(-4, 4, 81)
    sig = 1 / (1 + np.exp(-x))
    expected = {
        "relu": np.maximum(x, 0), "leaky_relu": np.where(x > 0, x, 0.01 * x), "prelu": np.where(x > 0, x, 0.25 * x),
        "rrelu": np.where(x > 0, x, (1 / 8 + 1 / 3) / 2 * x), "relu6": np.clip(x, 0, 6),
        "hard_swish": x * np.clip(x + 3, 0, 6) / 6, "elu": np.where(x > 0, x, np.exp(x) - 1),
        "selu": 1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772 * (np.exp(x) - 1)),
        "gelu": np.array([t * 0.5 * (1 + math.erf(t / math.sqrt(2))) for t in x]),
        "gelu_tanh": 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3))),
        "silu": x * sig, "mish": x * np.tanh(np.log1p(np.exp(x))), "softplus": np.log1p(np.exp(x)),
        "softsign": x / (1 + np.abs(x)), "sigmoid": sig, "tanh": np.tanh(x)}
    assert set(expected) == set(KEYS)
    for key in KEYS:
        np.testing.assert_allclose(get_activation(key)(x), expected[key], rtol=1e-12, atol=1e-12, err_msg=key)


def test_gelu_tanh_approximation_error_is_small():
    x = np.linspace(-6, 6, 12001)
    assert np.max(np.abs(v.gelu(x) - v.gelu(x, approximate=True))) < 1e-3


def test_kink_conventions():
    assert list(v.relu6_derivative(np.array([0.0, 6.0, 3.0]))) == [0.0, 0.0, 1.0]
    assert v.leaky_relu_derivative(0.0, negative_slope=0.2) == pytest.approx(0.2)
    assert v.elu_derivative(0.0, alpha=2.0) == 2.0


def test_rrelu_training_samples_slopes_in_range_and_is_reproducible():
    x = -np.ones(1000)
    a = v.rrelu(x, training=True, rng=np.random.default_rng(0))
    b = v.rrelu(x, training=True, rng=np.random.default_rng(0))
    assert np.array_equal(a, b) and np.all((-a >= 1 / 8) & (-a <= 1 / 3)) and np.std(a) > 0
    assert np.all(v.rrelu(x) == -(1 / 8 + 1 / 3) / 2)


@pytest.mark.parametrize("call, error, word", [
    (lambda: v.elu([1.0], alpha=0.0), ValueError, "alpha"), (lambda: v.elu([1.0], alpha=-1.0), ValueError, "alpha"),
    (lambda: v.elu([1.0], alpha="1"), TypeError, "alpha"), (lambda: v.leaky_relu([1.0], negative_slope=np.nan), ValueError, "negative_slope"),
    (lambda: v.leaky_relu([1.0], negative_slope=np.inf), ValueError, "negative_slope"),
    (lambda: v.rrelu([1.0], lower=0.5, upper=0.1), ValueError, "lower"), (lambda: v.rrelu([1.0], training=True), TypeError, "rng"),
    (lambda: v.rrelu([1.0], training="yes"), TypeError, "training"), (lambda: v.gelu([1.0], approximate=1), TypeError, "approximate"),
    (lambda: v.swish([1.0], beta=None), TypeError, "beta"), (lambda: v.prelu([1.0], slope=[0.1]), TypeError, "slope"),
])
def test_bad_parameters_name_the_argument(call, error, word):
    with pytest.raises(error, match=word):
        call()


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("bad, error", [("x", TypeError), (None, TypeError), ([[1.0], [1.0, 2.0]], ValueError),
                                         (np.array([1j]), TypeError), (np.array([True]), TypeError)])
def test_bad_input_names_x(key, bad, error):
    with pytest.raises(error, match=r"\bx\b"):
        get_activation(key)(bad)


def test_registry_entries_are_complete_and_cited():
    bib = bibliography_text()
    keys = set(re.findall(r"^@\w+\{([^,]+),", bib, re.M))
    for act in ACTIVATIONS.values():
        assert act.name and act.formula and act.family in {"relu", "smooth", "classic"}
        assert set(act.citations) <= keys, act.key
    assert get_activation("silu").citations[0] == "hendrycks2016"  # SiLU was named in the GELU paper


def test_get_activation_rejects_unknown_keys():
    with pytest.raises(ValueError, match="known: relu"):
        get_activation("relu7")
    with pytest.raises(TypeError, match="key"):
        get_activation(None)


# ---------------------------------------------------------------- accuracy in the tails (50-digit decimals)
D = decimal.Decimal
TAIL_POINTS = [-30.0, -10.0, -3.0, -0.5, 0.5, 3.0, 10.0, 30.0]


def _sig(t):
    return 1 / (1 + (-t).exp())


def _tanh(t):
    e = (2 * t).exp()
    return (e - 1) / (e + 1)


def _sech2(t):
    return 1 - _tanh(t) ** 2  # exact enough with 50 digits


def _softplus(t):
    return (1 + t.exp()).ln()


def _gelu_tanh_parts(t):
    c = (D(2) / D(math.pi)).sqrt()  # pi to double precision suffices: it is a constant of the formula
    u = c * (t + D("0.044715") * t**3)
    return u, c * (1 + 3 * D("0.044715") * t**2)


HIGH_PRECISION = {  # key: (function, derivative) of a Decimal, from the definitions
    "sigmoid": (_sig, lambda t: _sig(t) * _sig(-t)),
    "tanh": (_tanh, _sech2),
    "silu": (lambda t: t * _sig(t), lambda t: _sig(t) + t * _sig(t) * _sig(-t)),
    "softplus": (_softplus, _sig),
    "elu": (lambda t: t if t > 0 else t.exp() - 1, lambda t: D(1) if t > 0 else t.exp()),
    "mish": (lambda t: t * _tanh(_softplus(t)), lambda t: _tanh(_softplus(t)) + t * _sech2(_softplus(t)) * _sig(t)),
    "gelu_tanh": (lambda t: t * (1 + _tanh(_gelu_tanh_parts(t)[0])) / 2,
                  lambda t: (1 + _tanh(_gelu_tanh_parts(t)[0])) / 2
                  + t * _sech2(_gelu_tanh_parts(t)[0]) * _gelu_tanh_parts(t)[1] / 2),
}


@pytest.mark.parametrize("key", sorted(HIGH_PRECISION))
@pytest.mark.parametrize("dtype, rel", [(np.float64, 1e-12), (np.float32, 1e-5)])
def test_smooth_functions_keep_their_relative_accuracy_in_the_tails(key, dtype, rel):
    """Tiny outputs (e.g. silu(-30) = -2.8e-12) must be right to the last digits, not just close to 0."""
    f, df = HIGH_PRECISION[key]
    act = get_activation(key)
    x = np.array(TAIL_POINTS, dtype=dtype)
    with decimal.localcontext() as ctx:
        ctx.prec = 50
        want = [np.array([float(g(D(float(t)))) for t in x]) for g in (f, df)]
    for got, expected in zip((act(x), act.grad(x)), want):
        ok = np.abs(expected) > np.finfo(dtype).tiny  # below that a dtype flushes to 0 anyway
        np.testing.assert_allclose(got[ok], expected[ok], rtol=rel, atol=0, err_msg=key)


def test_gelu_tails_against_the_c_library_erfc():
    """GELU in float64 against math.erfc (the C library's, not SciPy's)."""
    for t in TAIL_POINTS:
        phi = math.erfc(-t / math.sqrt(2)) / 2
        assert float(v.gelu(t)) == pytest.approx(t * phi, rel=1e-13)
        slope = phi + t * math.exp(-t * t / 2) / math.sqrt(2 * math.pi)
        assert float(v.gelu_derivative(t)) == pytest.approx(slope, rel=1e-13)


@pytest.mark.parametrize("key", KEYS)
def test_float16_in_float16_out(key):
    act = get_activation(key)
    x = np.array([-2.0, 0.5], dtype=np.float16)
    assert act(x).dtype == np.float16 and act.grad(x).dtype == np.float16


# ---------------------------------------------------------------- softplus with beta
@given(x=moderate, beta=st.sampled_from([0.25, 0.5, 2.0, 10.0]))
def test_softplus_beta_matches_its_definition_and_derivative(x, beta):
    assert float(v.softplus(x, beta=beta)) == pytest.approx(math.log1p(math.exp(beta * x)) / beta, rel=1e-12)
    h = 1e-6
    numeric = (v.softplus(x + h, beta=beta) - v.softplus(x - h, beta=beta)) / (2 * h)
    assert float(v.softplus_derivative(x, beta=beta)) == pytest.approx(float(numeric), rel=1e-5, abs=1e-7)


def test_softplus_tends_to_relu_as_beta_grows():
    x = np.linspace(-3, 3, 61)
    gaps = [np.max(np.abs(v.softplus(x, beta=b) - np.maximum(x, 0))) for b in (1.0, 10.0, 100.0)]
    assert gaps[0] > gaps[1] > gaps[2] and gaps[2] == pytest.approx(math.log(2) / 100)  # the gap sits at 0
    with pytest.raises(ValueError, match="beta"):
        v.softplus([1.0], beta=0.0)


# ---------------------------------------------------------------- RReLU: the paper and PyTorch
def test_rrelu_conventions():
    assert v.rrelu_test_slope("paper") == pytest.approx(2 / 11)
    assert v.rrelu_test_slope("pytorch") == pytest.approx((1 / 8 + 1 / 3) / 2)
    assert v.rrelu_mean_training_slope("paper") == pytest.approx(math.log(8 / 3) / 5)
    assert v.rrelu_mean_training_slope("pytorch") == v.rrelu_test_slope("pytorch")
    # the paper's slopes 1/a with a ~ U(3, 8) and PyTorch's slopes span the same interval [1/8, 1/3]
    rng = np.random.default_rng(0)
    for convention in ("paper", "pytorch"):
        slopes = v.rrelu_training_slopes(200_000, rng, convention)
        assert slopes.min() >= 1 / 8 and slopes.max() <= 1 / 3
        assert slopes.mean() == pytest.approx(v.rrelu_mean_training_slope(convention), abs=1e-3)
    assert np.all(v.rrelu(-np.ones(3)) == -v.rrelu_test_slope("pytorch"))  # the default is PyTorch's


@pytest.mark.parametrize("call, error, word", [
    (lambda: v.rrelu_test_slope("keras"), ValueError, "convention"),
    (lambda: v.rrelu_training_slopes(0, np.random.default_rng(0)), ValueError, "size"),
    (lambda: v.rrelu_training_slopes(3, 0), TypeError, "rng"),
    (lambda: v.normal_moments("relu"), TypeError, "function"),
    (lambda: v.normal_moments(lambda z: z[:3]), ValueError, "function"),
])
def test_helpers_reject_bad_arguments(call, error, word):
    with pytest.raises(error, match=word):
        call()


# ---------------------------------------------------------------- moments under a standard normal input
def test_normal_moments_against_closed_forms():
    mean, var = v.normal_moments(lambda z: np.maximum(z, 0))
    assert mean == pytest.approx(1 / math.sqrt(2 * math.pi), abs=1e-8)  # E[relu(Z)]
    assert var == pytest.approx(0.5 - 1 / (2 * math.pi), abs=1e-8)
    assert v.normal_moments(lambda z: z) == pytest.approx((0.0, 1.0), abs=1e-10)
    mean, var = v.normal_moments(v.leaky_relu, negative_slope=1.0)  # the identity
    assert (mean, var) == pytest.approx((0.0, 1.0), abs=1e-10)


def test_selu_maps_a_standard_normal_to_mean_zero_and_variance_one():
    """The fixed point for which Klambauer et al. chose alpha and lambda."""
    assert v.normal_moments(v.selu) == pytest.approx((0.0, 1.0), abs=1e-6)


# ---------------------------------------------------------------- shapes of the graphs
SHAPES = {  # (negative outputs, bounded below, bounded above, smooth at 0, monotonic), from the definitions
    "relu": (False, True, False, False, True), "leaky_relu": (True, False, False, False, True),
    "prelu": (True, False, False, False, True), "rrelu": (True, False, False, False, True),
    "relu6": (False, True, True, False, True), "hard_swish": (True, True, False, True, False),
    "elu": (True, True, False, True, True), "selu": (True, True, False, False, True),
    "gelu": (True, True, False, True, False), "gelu_tanh": (True, True, False, True, False),
    "silu": (True, True, False, True, False), "mish": (True, True, False, True, False),
    "softplus": (False, True, False, True, True), "softsign": (True, True, True, True, True),
    "sigmoid": (False, True, True, True, True), "tanh": (True, True, True, True, True),
}


@pytest.mark.parametrize("key", KEYS)
def test_shape_properties(key):
    from relu_course.activation_registry import shape_properties
    shape = shape_properties(key)
    assert (shape.negative_outputs, shape.bounded_below, shape.bounded_above, shape.smooth_at_zero,
            shape.monotonic) == SHAPES[key]


def test_shape_minima_from_the_definitions():
    from relu_course.activation_registry import shape_properties
    assert shape_properties("selu").minimum == pytest.approx(-v.SELU_SCALE * v.SELU_ALPHA)
    assert shape_properties("hard_swish").minimum == pytest.approx(-3 / 8)  # at x = -3/2
    assert shape_properties("elu", alpha=2.0).minimum == pytest.approx(-2.0)
    assert shape_properties("elu", alpha=2.0).smooth_at_zero is False  # C1 only for alpha = 1


def test_gelu_sigmoid_approximation():
    x = np.linspace(-6, 6, 1201)
    np.testing.assert_allclose(v.gelu_sigmoid(x), x / (1 + np.exp(-1.702 * x)), rtol=1e-12, atol=1e-15)
    assert list(v.gelu_sigmoid(np.array([-np.inf, np.inf, np.nan]))[:2]) == [0.0, np.inf]
    assert np.isnan(v.gelu_sigmoid(np.nan))
    # cruder than the tanh form, as Hendrycks & Gimpel say
    tanh_error = np.max(np.abs(v.gelu(x) - v.gelu(x, approximate=True)))
    assert np.max(np.abs(v.gelu(x) - v.gelu_sigmoid(x))) > 10 * tanh_error
