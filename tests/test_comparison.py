"""The comparison measurements: expected values come from the definitions (closed forms, symmetry,
independent numerical integration and optimisation with SciPy), never from a previous run."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, optimize
from scipy.stats import norm

from relu_course import comparison as cmp
from relu_course.activation_registry import ACTIVATIONS, get_activation
from relu_course.variants import SELU_ALPHA, SELU_SCALE, elu

SAMPLES = np.random.default_rng(0).standard_normal(2**18)
INF = math.inf


@pytest.fixture(scope="module")
def rows():
    return cmp.measure_all(SAMPLES)


# --------------------------------------------------------------------------- ranges
@pytest.mark.parametrize("key, low, high, low_closed, high_closed", [
    ("relu", 0.0, INF, True, False),
    ("relu6", 0.0, 6.0, True, True),
    ("leaky_relu", -INF, INF, False, False),
    ("sigmoid", 0.0, 1.0, False, False),       # limits only: never reached by a finite input
    ("tanh", -1.0, 1.0, False, False),
    ("softsign", -1.0, 1.0, False, False),
    ("softplus", 0.0, INF, False, False),
    ("elu", -1.0, INF, False, False),
    ("selu", -SELU_SCALE * SELU_ALPHA, INF, False, False),
    ("hard_swish", -0.375, INF, True, False),  # x (x + 3) / 6 has its minimum -3/8 at x = -3/2
])
def test_output_range_from_the_definition(key, low, high, low_closed, high_closed):
    got = cmp.value_range(get_activation(key))
    assert got.low == pytest.approx(low, abs=1e-12) and got.high == high
    assert (got.low_closed, got.high_closed) == (low_closed, high_closed)


@pytest.mark.parametrize("key, f", [
    ("gelu", lambda x: x * norm.cdf(x)),
    ("silu", lambda x: x / (1 + np.exp(-x))),
    ("mish", lambda x: x * np.tanh(np.log1p(np.exp(x)))),
])
def test_smooth_minimum_matches_an_independent_optimiser(key, f):
    """The lowest output of GELU, SiLU and Mish is reached at a finite x: SciPy finds it from the formula."""
    best = optimize.minimize_scalar(f, bounds=(-3, 0), method="bounded", options={"xatol": 1e-10})
    got = cmp.value_range(get_activation(key))
    assert got.low_closed and not got.high_closed
    assert got.low == pytest.approx(best.fun, abs=1e-6)


@pytest.mark.parametrize("key, low, high, low_closed, high_closed", [
    ("relu", 0.0, 1.0, True, True),
    ("leaky_relu", 0.01, 1.0, True, True),
    ("sigmoid", 0.0, 0.25, False, True),       # sigma(1 - sigma) is largest at 0, where it is 1/4
    ("tanh", 0.0, 1.0, False, True),
    ("softplus", 0.0, 1.0, False, False),      # softplus' = sigmoid
    ("hard_swish", -0.5, 1.5, True, True),     # (2x + 3) / 6 on [-3, 3]
])
def test_slope_range_from_the_definition(key, low, high, low_closed, high_closed):
    got = cmp.value_range(get_activation(key).grad)
    assert (got.low, got.high) == pytest.approx((low, high), abs=1e-12)
    assert (got.low_closed, got.high_closed) == (low_closed, high_closed)


@pytest.mark.parametrize("key, expected", [
    ("sigmoid", 0.25), ("tanh", 1.0), ("relu", 1.0), ("hard_swish", 1.5),
    ("selu", SELU_SCALE * SELU_ALPHA),   # the slope just left of 0
    ("softsign", 1.0),
])
def test_max_abs_derivative_from_the_definition(key, expected):
    assert cmp.max_abs_derivative(get_activation(key).grad) == pytest.approx(expected, rel=1e-3)


def test_max_abs_derivative_of_gelu_matches_its_formula():
    slope = lambda x: norm.cdf(x) + x * norm.pdf(x)   # d/dx x Phi(x)
    best = optimize.minimize_scalar(lambda x: -slope(x), bounds=(0, 4), method="bounded",
                                    options={"xatol": 1e-10})
    assert cmp.max_abs_derivative(get_activation("gelu").grad) == pytest.approx(-best.fun, abs=1e-6)


def test_selu_has_the_largest_slope_of_the_registry(rows):
    assert max(rows, key=lambda k: rows[k].max_abs_slope) == "selu"


def test_interval_text():
    assert str(cmp.Interval(0.0, INF, True, False)) == "[0, \u221e)"
    assert str(cmp.Interval(-1.0, 1.0, False, False)) == "(\u22121, 1)"
    assert str(cmp.Interval(-0.2785, 6.0, True, True)) == "[\u22120.279, 6]"


# --------------------------------------------------------------------------- kinks
@pytest.mark.parametrize("key, expected", [
    ("relu", [(0.0, 0.0, 1.0)]),
    ("leaky_relu", [(0.0, 0.01, 1.0)]),
    ("prelu", [(0.0, 0.25, 1.0)]),
    ("relu6", [(0.0, 0.0, 1.0), (6.0, 1.0, 0.0)]),
    ("hard_swish", [(-3.0, 0.0, -0.5), (3.0, 1.5, 1.0)]),
    ("selu", [(0.0, SELU_SCALE * SELU_ALPHA, SELU_SCALE)]),
])
def test_kinks_of_piecewise_functions(key, expected):
    jumps = cmp.slope_jumps(get_activation(key))
    assert [(j.x, j.left, j.right) for j in jumps] == [pytest.approx(e, abs=1e-5) for e in expected]


@pytest.mark.parametrize("key", ["elu", "gelu", "gelu_tanh", "silu", "mish", "softplus", "softsign",
                                 "sigmoid", "tanh"])
def test_smooth_functions_have_no_kink(key):
    assert cmp.slope_jumps(get_activation(key)) == ()


def test_elu_is_smooth_only_for_alpha_one():
    """ELU's slope is alpha just left of 0 and 1 right of it."""
    jumps = cmp.slope_jumps(lambda x: elu(x, alpha=2.0))
    assert [(j.x, j.left, j.right) for j in jumps] == [pytest.approx((0.0, 2.0, 1.0), abs=1e-5)]
    assert jumps[0].size == pytest.approx(-1.0, abs=1e-5)


def test_kink_between_grid_points_is_found_once():
    grid = np.linspace(-1.0, 1.0, 1000)          # an even count: 0 is not a grid point
    jumps = cmp.slope_jumps(np.abs, grid)
    assert len(jumps) == 1
    assert abs(jumps[0].x) <= grid[1] - grid[0]
    assert (jumps[0].left, jumps[0].right) == pytest.approx((-1.0, 1.0))


@settings(max_examples=40, deadline=None)
@given(c=st.floats(-5, 5), a=st.floats(-2, 2), b=st.floats(-2, 2))
def test_any_kink_is_located_and_measured(c, a, b):
    if abs(a - b) < 0.05:
        b = a + 0.5
    f = lambda x: a * np.minimum(x - c, 0.0) + b * np.maximum(x - c, 0.0)
    grid = np.linspace(-6.0, 6.0, 12_001)
    jumps = cmp.slope_jumps(f, grid)
    assert len(jumps) == 1
    assert abs(jumps[0].x - c) <= 1.5e-3
    assert (jumps[0].left, jumps[0].right) == pytest.approx((a, b), abs=1e-6)


@settings(max_examples=30, deadline=None)
@given(s=st.floats(0.1, 1.0), k=st.floats(0.1, 3.0), shift=st.floats(-3, 3))
def test_smooth_curves_never_show_a_kink(s, k, shift):
    assert cmp.slope_jumps(lambda x: s * np.tanh(k * (x - shift))) == ()


# --------------------------------------------------------------------------- zero-centring
def _expected_mean(f):
    value, _ = integrate.quad(lambda x: float(f(np.array([x]))[0]) * norm.pdf(x), -np.inf, np.inf, limit=200)
    return value


@pytest.mark.parametrize("key, closed_form", [
    ("relu", 1 / math.sqrt(2 * math.pi)),
    ("leaky_relu", 0.99 / math.sqrt(2 * math.pi)),
    ("sigmoid", 0.5),                     # sigma(x) + sigma(-x) = 1 and the normal is symmetric
    ("tanh", 0.0),                        # odd function
    ("softsign", 0.0),
    ("gelu", 1 / (2 * math.sqrt(math.pi))),   # E[Z Phi(Z)] = E[phi(Z)]
    ("elu", 1 / math.sqrt(2 * math.pi) + math.exp(0.5) * norm.cdf(-1) - 0.5),
])
def test_mean_output_matches_the_closed_form(key, closed_form):
    got = cmp.centring(get_activation(key), SAMPLES)
    assert abs(got.mean - closed_form) <= 4 * got.standard_error
    assert _expected_mean(get_activation(key)) == pytest.approx(closed_form, abs=1e-7)


@pytest.mark.parametrize("key", list(ACTIVATIONS))
def test_mean_output_matches_numerical_integration(key, rows):
    got = rows[key].centring
    assert abs(got.mean - _expected_mean(get_activation(key))) <= 4 * got.standard_error


@pytest.mark.parametrize("key, centred", [("tanh", True), ("softsign", True), ("selu", True),
                                          ("relu", False), ("elu", False), ("sigmoid", False)])
def test_zero_centred_verdict(key, centred, rows):
    """SELU's constants make the mean of SELU(Z) zero for a standard normal Z (Klambauer et al.)."""
    assert rows[key].centring.zero_centred is centred


def test_standard_error_is_std_over_sqrt_n():
    got = cmp.centring(lambda x: x, [1.0, 2.0, 3.0, 4.0])
    assert got.mean == 2.5 and got.n == 4
    assert got.standard_error == pytest.approx(np.std([1, 2, 3, 4], ddof=1) / 2)


# --------------------------------------------------------------------------- rows
NON_NEGATIVE = {"relu", "relu6", "softplus", "sigmoid"}


def test_negative_outputs_follow_the_definitions(rows):
    assert {k for k, r in rows.items() if not r.negative_outputs} == NON_NEGATIVE


def test_rows_agree_with_the_registry_shape(rows):
    from relu_course.activation_registry import shape_properties

    for key, row in rows.items():
        shape = shape_properties(key)
        assert row.negative_outputs == shape.negative_outputs
        assert (0.0 in [j.x for j in row.jumps]) == (not shape.smooth_at_zero)


def test_tail_slopes_from_the_definitions(rows):
    s = 1 / (1 + math.exp(-5.0))
    assert rows["sigmoid"].tail_slopes == pytest.approx((s * (1 - s), s * (1 - s)))
    assert rows["tanh"].tail_slopes == pytest.approx((1 - math.tanh(5) ** 2,) * 2)
    assert rows["relu"].tail_slopes == (0.0, 1.0)


# --------------------------------------------------------------------------- formatting and tables
@pytest.mark.parametrize("value, text", [(0.25, "0.25"), (-0.2785, "\u22120.279"), (INF, "\u221e"),
                                         (-INF, "\u2212\u221e"), (1.82e-4, "0.000182"), (1e-7, "1e\u22127"),
                                         (-0.0, "0"), (6.0, "6")])
def test_format_number(value, text):
    assert cmp.format_number(value) == text


def test_format_ratio():
    assert cmp.format_ratio(2.346) == "2.3\u00d7"
    assert cmp.format_ratio(None) == "\u2014"
    with pytest.raises(ValueError, match="value"):
        cmp.format_ratio(-1.0)


def test_row_texts(rows):
    assert cmp.format_smooth(rows["relu"]) == "no: kink at 0"
    assert cmp.format_smooth(rows["hard_swish"]) == "no: kinks at \u22123, 3"
    assert cmp.format_smooth(rows["gelu"]) == "yes"
    assert cmp.format_negative(rows["relu"]) == "no"
    assert cmp.format_negative(rows["elu"]) == "yes, down to \u22121"
    assert cmp.format_mean(rows["tanh"]).endswith("(\u2248 0)")
    assert cmp.format_mean(rows["relu"]) == f"{rows['relu'].centring.mean:.3f}"


def test_shape_table_has_a_line_per_activation(rows):
    lines = cmp.shape_table(rows).splitlines()
    assert len(lines) == 2 + len(rows)
    relu = next(line for line in lines if line.startswith("| ReLU |"))
    assert relu == f"| ReLU | [0, \u221e) | [0, 1] | no: kink at 0 | no | {rows['relu'].centring.mean:.3f} |"
    assert next(line for line in lines if line.startswith("| ELU |")).split(" | ")[4] == "yes"


def test_cost_table_rows_and_missing_cells():
    text = cmp.cost_table({"NumPy": {"relu": 1.0, "tanh": 3.25, "mish": 12.0},
                           "TensorFlow": {"relu": 1.0, "tanh": 2.0}})
    lines = text.splitlines()
    assert lines[0] == "| Activation | time / ReLU's time, NumPy | time / ReLU's time, TensorFlow |"
    assert lines[2:] == ["| ReLU | 1.0\u00d7 | 1.0\u00d7 |", "| Mish | 12.0\u00d7 | \u2014 |",
                         "| Tanh | 3.2\u00d7 | 2.0\u00d7 |"]   # registry order; 3.25 rounds half to even
    with pytest.raises(ValueError, match="registry"):
        cmp.cost_table({"NumPy": {"relu": 1.0, "swoosh": 2.0}})
    with pytest.raises(TypeError, match="ratios"):
        cmp.cost_table({})


def test_guide_tables_put_the_guides_words_beside_the_figures(rows):
    ratios = {"relu": 1.0, "sigmoid": 4.0, "tanh": 2.0}
    t11 = cmp.guide_table_11(rows, ratios, ratios)
    assert "\u201cFastest\u201d \u00b7 1.0\u00d7 NumPy, 1.0\u00d7 TF" in t11
    assert "\u201cWeak\u201d \u00b7 max \\|f\u2032\\| = 0.25" in t11
    assert "f\u2032(\u22125), f\u2032(5) = 0, 1" in t11
    assert "\u201c0 \u2192 1\u201d \u00b7 (0, 1)" in t11
    t12 = cmp.guide_table_12(rows, {k: f"acc {k}" for k in cmp.GUIDE_TABLE_12})
    assert "\u201cNo\u201d \u00b7 no: kink at 0" in t12
    assert "\u201cExcellent\u201d \u00b7 acc gelu" in t12
    assert len(t12.splitlines()) == 2 + len(cmp.GUIDE_TABLE_12)


def test_guide_tables_reject_missing_measurements(rows):
    with pytest.raises(ValueError, match="rows lacks"):
        cmp.guide_table_11({"relu": rows["relu"]}, {}, {})
    with pytest.raises(ValueError, match="numpy_ratios"):
        cmp.guide_table_11(rows, {"relu": 1.0}, {"relu": 1.0, "sigmoid": 1.0, "tanh": 1.0})
    with pytest.raises(ValueError, match="performance"):
        cmp.guide_table_12(rows, {"relu": "x"})
    with pytest.raises(TypeError, match="guide"):
        cmp.guide_cell(1, "x")


# --------------------------------------------------------------------------- validation
@pytest.mark.parametrize("call, exc, word", [
    (lambda: cmp.value_range("relu"), TypeError, "func"),
    (lambda: cmp.value_range(np.abs, [[0.0, 1.0, 2.0]]), ValueError, "grid"),
    (lambda: cmp.value_range(np.abs, [0.0, 2.0, 1.0]), ValueError, "grid"),
    (lambda: cmp.value_range(np.abs, [0.0, np.inf, 1.0]), ValueError, "grid"),
    (lambda: cmp.value_range(lambda x: x * np.nan), ValueError, "NaN"),
    (lambda: cmp.value_range(lambda x: 1.0), ValueError, "shape"),
    (lambda: cmp.max_abs_derivative(None), TypeError, "derivative"),
    (lambda: cmp.slope_jumps(np.abs, tol=0), ValueError, "tol"),
    (lambda: cmp.slope_jumps(np.abs, tol="small"), TypeError, "tol"),
    (lambda: cmp.centring(np.abs, [1.0]), ValueError, "samples"),
    (lambda: cmp.centring(np.abs, "abc"), TypeError, "samples"),
    (lambda: cmp.measure("swish-ish", SAMPLES), ValueError, "swish-ish"),
    (lambda: cmp.measure_all(SAMPLES, keys="relu"), TypeError, "keys"),
    (lambda: cmp.shape_table({}), TypeError, "rows"),
    (lambda: cmp.format_number("1"), TypeError, "value"),
    (lambda: cmp.format_number(1.0, digits=0), ValueError, "digits"),
])
def test_bad_arguments_are_named(call, exc, word):
    with pytest.raises(exc, match=word):
        call()


# --------------------------------------------------------------------------- slope changes and training table
def test_slope_changes_of_a_parabola_are_twice_the_step():
    grid = np.linspace(-1.0, 1.0, 201)
    x, changes = cmp.slope_changes(lambda v: v**2, grid)
    np.testing.assert_allclose(x, grid[1:-1])
    np.testing.assert_allclose(changes, 2 * (grid[1] - grid[0]), rtol=1e-9)


def test_slope_changes_of_relu_are_one_spike():
    x, changes = cmp.slope_changes(get_activation("relu"))
    assert changes.max() == 1.0 and x[changes.argmax()] == 0.0
    assert np.count_nonzero(changes) == 1


def _summary(key, mean, std, spread, epochs, target=0.95):
    from relu_course.mini_experiment import Summary

    return Summary("adam", key, mean, std, spread, epochs, (0,) * len(epochs), target)


def test_training_table_rows():
    text = cmp.training_table([_summary("relu", 0.9612, 0.004, 0.0081, (5.0, 6.0, 6.0)),
                               _summary("sigmoid", 0.88, 0.03, 0.07, (math.nan,) * 3)])
    lines = text.splitlines()
    assert "epochs to 95 % training accuracy" in lines[0]
    assert lines[2] == "| ReLU | 96.1 ± 0.4 % | 0.8 points | 5–6 |"
    assert lines[3] == "| Sigmoid | 88.0 ± 3.0 % | 7.0 points | not reached |"


def test_training_table_rejects_bad_input():
    with pytest.raises(TypeError, match="summaries"):
        cmp.training_table("relu")
    with pytest.raises(TypeError, match="summaries"):
        cmp.training_table([])
    with pytest.raises(ValueError, match="target"):
        cmp.training_table([_summary("relu", 0.9, 0.01, 0.02, (1.0, 2.0)),
                            _summary("tanh", 0.9, 0.01, 0.02, (1.0, 2.0), target=0.9)])
