"""The measurements of chapter 5 (relu_course.properties): each checked against a definition, a
closed form or an independent computation, and each rejecting bad input with a named error."""
import math

import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra.numpy import arrays

from relu_course import properties as props
from relu_course.activations import relu

finite = st.floats(min_value=-1e300, max_value=1e300, allow_nan=False, allow_infinity=False, width=64)
finite_arrays = arrays(np.float64, st.integers(1, 40), elements=finite)


def random_params(widths, seed=0, bias=True):
    rng = np.random.default_rng(seed)
    return [(rng.standard_normal((m, n)), rng.standard_normal(n) if bias else None)
            for m, n in zip(widths[:-1], widths[1:])]


# --- additivity -------------------------------------------------------------------------------

def test_additivity_gap_counter_example_and_broadcasting():
    assert props.additivity_gap(1.0, -1.0) == -1.0  # relu(0) - (relu(1) + relu(-1))
    grid = props.additivity_gap(np.array([[1.0], [-1.0]]), np.array([2.0, -2.0]))
    assert grid.shape == (2, 2)
    np.testing.assert_array_equal(grid, [[0.0, -1.0], [-1.0, 0.0]])


@given(st.floats(-1e100, 1e100), st.floats(-1e100, 1e100))
def test_additivity_gap_is_zero_exactly_when_signs_agree(a, b):
    gap = float(props.additivity_gap(a, b))
    if np.sign(a) * np.sign(b) >= 0:
        assert gap == 0.0
    else:
        # relu(a + b) - max(a, b) is minus the smaller magnitude, up to the rounding of a + b
        assert gap <= 0
        assert abs(gap + min(abs(a), abs(b))) <= np.finfo(np.float64).eps * max(abs(a), abs(b))


@pytest.mark.parametrize("a, b, error", [("x", 1.0, TypeError), (np.nan, 1.0, ValueError),
                                         ([1.0, 2.0], [1.0, 2.0, 3.0], ValueError), (None, 1.0, TypeError)])
def test_additivity_gap_rejects_bad_input(a, b, error):
    with pytest.raises(error, match=r"\ba\b|\bb\b"):
        props.additivity_gap(a, b)


# --- sparsity and centring --------------------------------------------------------------------

def test_share_of_zeros_counts_exact_zeros_over_every_entry():
    assert props.share_of_zeros([0.0, 1e-30, -0.0, 5.0]) == 0.5
    assert props.share_of_zeros([[0.0, 1.0], [0.0, 0.0]]) == 0.75
    assert props.share_of_zeros([-1.0, 2.0]) == 0.0
    assert props.share_of_zeros(np.zeros(3, dtype=np.float32)) == 1.0


@given(finite_arrays)
def test_share_of_zeros_matches_a_count(x):
    expected = sum(1 for v in x if v == 0) / len(x)
    assert props.share_of_zeros(relu(x)) >= props.share_of_zeros(x)
    assert props.share_of_zeros(x) == pytest.approx(expected)


def test_share_of_zeros_of_relu_on_symmetric_input_is_about_half():
    z = np.random.default_rng(0).standard_normal(200_000)
    assert abs(props.share_of_zeros(relu(z)) - 0.5) < 0.01


@pytest.mark.parametrize("bad, error", [([], ValueError), ([1.0, np.nan], ValueError), ("0", TypeError),
                                        (None, TypeError), ([True, False], TypeError)])
def test_share_of_zeros_rejects_bad_input(bad, error):
    with pytest.raises(error, match="activations"):
        props.share_of_zeros(bad)


def test_activation_stats_by_hand():
    a = np.array([[0.0, 2.0, 0.0], [0.0, 4.0, 1.0]])
    stats = props.activation_stats(a)
    assert stats.share_zeros == pytest.approx(3 / 6)
    assert stats.mean == pytest.approx(7 / 6)
    assert stats.minimum == 0.0
    assert stats.share_units_positive_mean == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="activations"):
        props.activation_stats(np.ones(3))


@pytest.mark.parametrize("mu, sigma", [(0.0, 1.0), (1.0, 1.0), (-0.7, 2.0), (2.5, 0.5)])
def test_gaussian_formulas_agree_with_simulation(mu, sigma):
    z = np.random.default_rng(1).normal(mu, sigma, 400_000)
    assert props.expected_share_of_zeros(mu, sigma) == pytest.approx(np.mean(z <= 0), abs=0.004)
    assert props.expected_relu_mean(mu, sigma) == pytest.approx(relu(z).mean(), abs=0.01 * sigma)


def test_gaussian_formulas_closed_forms_and_limits():
    assert props.expected_relu_mean() == pytest.approx(1 / math.sqrt(2 * math.pi), rel=1e-15)
    assert props.expected_share_of_zeros() == 0.5
    assert props.expected_share_of_zeros(40.0) == pytest.approx(0.0, abs=1e-300)
    assert props.expected_share_of_zeros(-40.0) == 1.0
    assert props.expected_relu_mean(50.0) == pytest.approx(50.0)  # almost always positive: E[z]
    # scaling: E[relu(s z)] = s E[relu(z)]
    assert props.expected_relu_mean(0.0, 3.0) == pytest.approx(3 / math.sqrt(2 * math.pi))


@pytest.mark.parametrize("kwargs, word", [({"sigma": 0.0}, "sigma"), ({"sigma": -1.0}, "sigma"),
                                          ({"mu": "1"}, "mu"), ({"mu": float("nan")}, "mu")])
def test_gaussian_formulas_reject_bad_parameters(kwargs, word):
    for func in (props.expected_share_of_zeros, props.expected_relu_mean):
        with pytest.raises((TypeError, ValueError), match=word):
            func(**kwargs)


def test_standardise_batch_centres_and_scales_each_column():
    rng = np.random.default_rng(2)
    z = rng.normal([3.0, -1.0, 0.0], [2.0, 0.5, 10.0], size=(5_000, 3))
    out = props.standardise_batch(z, eps=0.0)
    np.testing.assert_allclose(out.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(out.std(axis=0), 1.0, rtol=1e-12)
    # with eps the variance is var / (var + eps), as in batch normalisation
    var = z.var(axis=0)
    np.testing.assert_allclose(props.standardise_batch(z, eps=1.0).var(axis=0), var / (var + 1.0), rtol=1e-10)


@pytest.mark.parametrize("z, eps, word", [(np.ones(4), 1e-3, "z"), (np.ones((1, 3)), 1e-3, "z"),
                                          (np.ones((3, 3)), -1.0, "eps"), ([[np.inf, 1.0]] * 2, 1e-3, "z")])
def test_standardise_batch_rejects_bad_input(z, eps, word):
    with pytest.raises((TypeError, ValueError), match=word):
        props.standardise_batch(z, eps=eps)


def test_standardise_batch_matches_keras_batch_normalization():
    pytest.importorskip("tensorflow")
    from relu_course.tf_loader import load_keras

    keras = load_keras()
    z = np.random.default_rng(3).normal(2.0, 3.0, size=(256, 5)).astype(np.float32)
    layer = keras.layers.BatchNormalization()  # gamma 1, beta 0, epsilon 1e-3
    expected = np.asarray(layer(z, training=True))
    np.testing.assert_allclose(props.standardise_batch(z, eps=layer.epsilon), expected, atol=1e-4)


# --- forward pass and rescaling -----------------------------------------------------------------

def test_forward_pass_by_hand():
    params = [(np.array([[1.0, -1.0]]), np.array([0.0, 0.5])), (np.array([[2.0], [3.0]]), np.array([1.0]))]
    out = props.relu_mlp_forward(params, np.array([[2.0], [-1.0]]))
    np.testing.assert_array_equal(out.pre_activations[0], [[2.0, -1.5], [-1.0, 1.5]])
    np.testing.assert_array_equal(out.hidden[0], [[2.0, 0.0], [0.0, 1.5]])
    np.testing.assert_array_equal(out.output, [[5.0], [5.5]])


def test_forward_pass_matches_keras():
    pytest.importorskip("tensorflow")
    from relu_course.models import dense_parameters, mlp

    for use_bias in (True, False):
        model = mlp(5, [7, 6], 3, use_bias=use_bias, seed=1)
        if use_bias:  # non-zero biases, so the test sees them
            for layer in model.layers:
                kernel, bias = layer.get_weights()
                layer.set_weights([kernel, np.linspace(-0.5, 0.5, bias.size, dtype=np.float32)])
        X = np.random.default_rng(0).standard_normal((20, 5)).astype(np.float32)
        ours = props.relu_mlp_forward(dense_parameters(model), X).output
        np.testing.assert_allclose(ours, model.predict(X, verbose=0), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("params, X, word", [
    ([], np.ones((2, 3)), "params"),
    ("abc", np.ones((2, 3)), "params"),
    ([(np.ones((3, 2)),)], np.ones((2, 3)), "params"),
    ([(np.ones((3, 2)), np.ones(3))], np.ones((2, 3)), "bias"),
    ([(np.ones((3, 2)), None), (np.ones((4, 1)), None)], np.ones((2, 3)), "params"),
    ([(np.ones(3), None)], np.ones((2, 3)), "kernel"),
    ([(np.ones((3, 2)), None)], np.ones((2, 4)), "X"),
    ([(np.ones((3, 2)), None)], np.ones(3), "X"),
])
def test_forward_pass_rejects_bad_input(params, X, word):
    with pytest.raises((TypeError, ValueError), match=word):
        props.relu_mlp_forward(params, X)


def test_rescaling_a_hidden_unit_keeps_the_function_but_not_the_parameters():
    params = random_params([4, 6, 5, 2], seed=4)
    X = np.random.default_rng(5).standard_normal((30, 4))
    for layer, unit, factor in [(0, 2, 100.0), (1, 4, 0.01)]:
        rescaled = props.rescale_hidden_unit(params, layer, unit, factor)
        assert not np.array_equal(rescaled[layer][0], params[layer][0])
        np.testing.assert_allclose(props.relu_mlp_forward(rescaled, X).output,
                                   props.relu_mlp_forward(params, X).output, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(params[0][0], random_params([4, 6, 5, 2], seed=4)[0][0])


@pytest.mark.parametrize("kwargs, word", [({"layer": 2}, "layer"), ({"layer": -1}, "layer"),
                                          ({"unit": 6}, "unit"), ({"factor": 0.0}, "factor"),
                                          ({"factor": -2.0}, "factor"), ({"unit": 1.0}, "unit")])
def test_rescaling_rejects_bad_arguments(kwargs, word):
    args = {"layer": 0, "unit": 0, "factor": 2.0} | kwargs
    with pytest.raises((TypeError, ValueError), match=word):
        props.rescale_hidden_unit(random_params([4, 6, 5, 2]), **args)


# --- homogeneity ----------------------------------------------------------------------------------

@given(arrays(np.float64, st.integers(1, 30), elements=st.floats(-1e6, 1e6)),
       st.lists(st.floats(0, 1e3), min_size=1, max_size=5))
def test_relu_is_positively_homogeneous(x, scales):
    assert props.homogeneity_error(relu, x, scales) == 0.0


def test_negative_scales_break_homogeneity_of_relu():
    # relu(-2 * 1) = 0 but -2 * relu(1) = -2
    assert props.homogeneity_error(relu, np.array([1.0]), [-2.0]) == 2.0
    assert props.homogeneity_error(relu, np.array([1.0, -3.0]), [0.5, -1.0]) == 3.0


def test_bias_free_networks_are_homogeneous_and_biased_ones_are_not():
    X = np.random.default_rng(6).standard_normal((50, 4))
    free = random_params([4, 8, 8, 3], bias=False)
    biased = random_params([4, 8, 8, 3], bias=True)
    scales = [0.0, 0.3, 1.7, 10.0]
    err_free = props.homogeneity_error(lambda Z: props.relu_mlp_forward(free, Z).output, X, scales)
    err_biased = props.homogeneity_error(lambda Z: props.relu_mlp_forward(biased, Z).output, X, scales)
    assert err_free < 1e-10 < 0.1 < err_biased
    # a = 1 is always fine; a = 0 exposes the output at x = 0, which is the "bias" of the whole network
    assert props.homogeneity_error(lambda Z: props.relu_mlp_forward(biased, Z).output, X, [1.0]) == 0.0
    at_zero = props.relu_mlp_forward(biased, np.zeros((1, 4))).output
    assert props.homogeneity_error(lambda Z: props.relu_mlp_forward(biased, Z).output, X, [0.0]) == \
        pytest.approx(np.abs(at_zero).max())


@pytest.mark.parametrize("func, x, scales, error, word", [
    ("relu", [1.0], [1.0], TypeError, "func"),
    (relu, [], [1.0], ValueError, "x"),
    (relu, [1.0], [[1.0]], ValueError, "scales"),
    (relu, [1.0], [np.nan], ValueError, "scales"),
    (relu, ["a"], [1.0], TypeError, "x"),
])
def test_homogeneity_error_rejects_bad_input(func, x, scales, error, word):
    with pytest.raises(error, match=word):
        props.homogeneity_error(func, x, scales)


def test_changed_predictions():
    before = np.array([[1.0, 2.0], [3.0, 0.0], [0.0, 0.5], [2.0, 1.0]])
    after = np.array([[2.0, 1.0], [3.0, 0.0], [0.0, 5.0], [0.0, 1.0]])
    assert props.changed_predictions(before, after) == 0.5
    assert props.changed_predictions(before, 3.0 * before) == 0.0
    with pytest.raises(ValueError, match="logits_before"):
        props.changed_predictions(before, after[:2])
    with pytest.raises(ValueError, match="logits_before"):
        props.changed_predictions(before[0], after[0])


# --- kink -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("h", [1e-1, 1e-4, 1e-9])
def test_one_sided_derivatives_of_relu(h):
    assert props.one_sided_derivatives(relu, 0.0, h) == (0.0, 1.0)
    left, right = props.one_sided_derivatives(relu, 2.0, h)
    assert left == pytest.approx(1.0) and right == pytest.approx(1.0)


def test_one_sided_derivatives_of_abs_and_a_smooth_function():
    assert props.one_sided_derivatives(np.abs, 0.0, 1e-3) == (-1.0, 1.0)
    left, right = props.one_sided_derivatives(np.square, 1.0, 1e-6)
    assert left == pytest.approx(2.0, abs=1e-5) and right == pytest.approx(2.0, abs=1e-5)


@pytest.mark.parametrize("kwargs, word", [({"h": 0.0}, "h"), ({"h": -1e-3}, "h"), ({"x0": "0"}, "x0"),
                                          ({"func": 3}, "func")])
def test_one_sided_derivatives_reject_bad_input(kwargs, word):
    args = {"func": relu, "x0": 0.0, "h": 1e-3} | kwargs
    with pytest.raises((TypeError, ValueError), match=word):
        props.one_sided_derivatives(**args)


def test_subgradients_of_relu_at_zero_are_exactly_zero_to_one():
    ys = np.linspace(-5, 5, 1001)
    for g in [0.0, 0.25, 0.5, 1.0]:
        assert props.is_subgradient(relu, 0.0, g, ys)
    for g in [-1e-3, -0.5, 1.0 + 1e-3, 2.0]:
        assert not props.is_subgradient(relu, 0.0, g, ys)
    # away from the kink the only subgradient is the slope
    assert props.is_subgradient(relu, 1.0, 1.0, ys)
    assert not props.is_subgradient(relu, 1.0, 0.9, ys)


def test_is_subgradient_rejects_bad_input():
    with pytest.raises(TypeError, match="func"):
        props.is_subgradient(None, 0.0, 0.5, [1.0])
    with pytest.raises(ValueError, match="ys"):
        props.is_subgradient(relu, 0.0, 0.5, [])
    with pytest.raises(TypeError, match="g"):
        props.is_subgradient(relu, 0.0, "0.5", [1.0])


# --- identities -----------------------------------------------------------------------------------

@given(finite_arrays)
def test_identities_with_one_argument_hold_exactly(x):
    np.testing.assert_array_equal(relu(x) - relu(-x), x)
    np.testing.assert_array_equal(relu(x) + relu(-x), np.abs(x))
    with np.errstate(over="ignore"):
        halves = (x + np.abs(x)) / 2
    ok = np.abs(x) < 1e307  # x + |x| overflows only beyond half the largest float
    np.testing.assert_array_equal(halves[ok], relu(x)[ok])


@given(st.floats(-1e300, 1e300), st.floats(-1e300, 1e300))
def test_max_identity_holds_up_to_rounding(a, b):
    got = b + relu(a - b)
    assert abs(got - max(a, b)) <= 2 * np.finfo(np.float64).eps * max(abs(a), abs(b))
    if a <= b:
        assert got == b  # relu(a - b) is exactly 0 then


def test_identity_errors_reports_each_identity():
    x = np.random.default_rng(7).standard_normal(10_000) * 100
    y = np.random.default_rng(8).standard_normal(10_000) * 100
    errors = props.identity_errors(x, y)
    assert list(errors) == list(props.IDENTITIES)
    assert [errors[k] for k in props.IDENTITIES[:3]] == [0.0, 0.0, 0.0]
    assert 0.0 <= errors[props.IDENTITIES[3]] <= 2 * np.finfo(float).eps * max(np.abs(x).max(), np.abs(y).max())
    with pytest.raises(ValueError, match="same shape"):
        props.identity_errors(x, y[:5])
    with pytest.raises(ValueError, match="x"):
        props.identity_errors([np.inf], [1.0])
