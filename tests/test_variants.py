"""ReLU's relatives: definitions, derivatives against finite differences, limits, NaN, validation."""
import math
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, strategies as st

from relu_course import variants as v
from relu_course.activation_registry import ACTIVATIONS, get_activation

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
    bib = (ROOT / "references.bib").read_text()
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
