"""Linear stacks collapse; ReLU networks are piecewise linear: composition, patterns, pieces, validation."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from relu_course.linear_regions import (
    PiecewiseLinear1D, activation_patterns, apply_affine_stack, check_layers, compose_affine,
    count_patterns, count_regions_1d, draw_linear_pieces, first_layer_breakpoints, input_slopes,
    linear_pieces_1d, pattern_ids, pre_activations, random_layers, random_piece_counts,
    relu_network, sawtooth_network)
from relu_course.style import figure

ABS_NET = [(np.array([[1.0, -1.0]]), np.zeros(2)), (np.array([[1.0], [1.0]]), np.zeros(1))]  # |x|
GRID = np.linspace(-3.0, 3.0, 6001)


def one_hidden_layer(kinks, out_weights, slopes=None):
    """f(x) = sum_i a_i relu(w_i (x - c_i)): unit i switches exactly at c_i."""
    kinks = np.asarray(kinks, dtype=float)
    w = np.ones_like(kinks) if slopes is None else np.asarray(slopes, dtype=float)
    return [(w[None, :], -w * kinks), (np.asarray(out_weights, dtype=float)[:, None], np.zeros(1))]


# ---------------------------------------------------------------- composing affine layers

def test_two_scalar_layers_compose_by_hand():
    # 3 (2x + 1) - 1 = 6x + 2
    W, b = compose_affine([(np.array([[2.0]]), np.array([1.0])), (np.array([[3.0]]), np.array([-1.0]))])
    assert W.tolist() == [[6.0]] and b.tolist() == [2.0]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 6), min_size=2, max_size=7), st.integers(0, 10_000))
def test_composed_layer_equals_the_stack(widths, seed):
    layers = random_layers(widths, seed=seed, gain=1.0)
    X = np.random.default_rng(seed).normal(size=(20, widths[0]))
    W, b = compose_affine(layers)
    assert W.shape == (widths[0], widths[-1]) and b.shape == (widths[-1],)
    step_by_step = X
    for Wk, bk in layers:  # independent of apply_affine_stack
        step_by_step = step_by_step @ Wk + bk
    np.testing.assert_allclose(X @ W + b, step_by_step, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(apply_affine_stack(layers, X), step_by_step, rtol=1e-12, atol=1e-12)


def test_missing_biases_count_as_zero_and_inputs_are_not_changed():
    W1 = np.array([[1.0, 2.0]])
    layers = [(W1, None), (np.array([[1.0], [1.0]]), None)]
    W, b = compose_affine(layers)
    assert W.tolist() == [[3.0]] and b.tolist() == [0.0]
    assert W1.tolist() == [[1.0, 2.0]]


def test_relu_breaks_the_collapse():
    W, b = compose_affine(ABS_NET)  # without ReLU: x - x = 0
    x = np.array([[-2.0], [3.0]])
    assert np.allclose(x @ W + b, 0.0)
    assert relu_network(ABS_NET, x).ravel().tolist() == [2.0, 3.0]


@pytest.mark.parametrize("layers, error, word", [
    ("W", TypeError, "list of"), ([], ValueError, "empty"), ([np.eye(2)], TypeError, "pair"),
    ([(np.ones(3), np.zeros(3))], ValueError, "2-D"),
    ([(np.ones((2, 3)), np.zeros(2))], ValueError, "bias"),
    ([(np.ones((2, 2)), np.zeros(2)), (np.ones((3, 1)), np.zeros(1))], ValueError, "chain"),
    ([(np.array([[np.nan]]), np.zeros(1))], ValueError, "finite"),
    ([(np.array([["a"]]), np.zeros(1))], TypeError, "weights"),
])
def test_bad_layers_are_rejected_by_name(layers, error, word):
    with pytest.raises(error, match=word):
        check_layers(layers)
    with pytest.raises(error, match="layers"):
        compose_affine(layers)


@pytest.mark.parametrize("X", [np.ones(3), np.ones((4, 2)), [[1.0, "a"]]])
def test_inputs_of_the_wrong_shape_are_rejected(X):
    with pytest.raises((ValueError, TypeError), match="X"):
        relu_network(ABS_NET, X)


# ---------------------------------------------------------------- activation patterns

def test_patterns_of_the_absolute_value_network():
    X = np.array([[2.0], [-2.0], [0.0]])
    assert activation_patterns(ABS_NET, X).tolist() == [[True, False], [False, True], [False, False]]
    assert [z.shape for z in pre_activations(ABS_NET, X)] == [(3, 2)]


def test_a_network_without_hidden_layers_has_one_region():
    layers = [(np.ones((2, 3)), np.zeros(3))]
    patterns = activation_patterns(layers, np.ones((5, 2)))
    assert patterns.shape == (5, 0) and count_patterns(patterns) == 1


def test_counting_hand_made_patterns():
    p = np.array([[True, False], [True, False], [False, False], [True, True], [False, False]])
    ids = pattern_ids(p)
    assert count_patterns(p) == 3
    assert ids[0] == ids[1] and ids[2] == ids[4] and len({ids[0], ids[2], ids[3]}) == 3
    assert count_patterns(np.zeros((0, 4), dtype=bool)) == 0
    wide = np.zeros((2, 20), dtype=bool)
    wide[1, 19] = True  # differs only in the last of 20 units (beyond the first packed byte)
    assert count_patterns(wide) == 2


@pytest.mark.parametrize("patterns, error", [(np.ones((2, 2)), TypeError), (np.ones(3, dtype=bool), ValueError)])
def test_patterns_must_be_a_boolean_matrix(patterns, error):
    with pytest.raises(error, match="patterns"):
        count_patterns(patterns)


def test_quadrants_are_four_regions():
    layers = [(np.eye(2), np.zeros(2)), (np.ones((2, 1)), np.zeros(1))]
    X = np.random.default_rng(0).uniform(-1, 1, (500, 2))
    assert count_patterns(activation_patterns(layers, X)) == 4


# ---------------------------------------------------------------- one dimension

def test_first_layer_breakpoints_are_minus_b_over_w():
    layers = [(np.array([[1.0, 2.0, 0.0, -1.0, 1.0]]), np.array([1.0, -2.0, 5.0, 3.0, 1.0])),
              (np.ones((5, 1)), np.zeros(1))]
    assert first_layer_breakpoints(layers).tolist() == [-1.0, 1.0, 3.0]
    with pytest.raises(ValueError, match="one input"):
        first_layer_breakpoints([(np.ones((2, 1)), np.zeros(1))])


def test_known_breakpoints_are_found_exactly():
    kinks = [-1.3, 0.45, 2.2]
    pieces = linear_pieces_1d(one_hidden_layer(kinks, [1.0, -2.0, 1.5]), GRID)
    assert isinstance(pieces, PiecewiseLinear1D)
    assert pieces.n_regions == pieces.n_pieces == 4
    np.testing.assert_allclose(pieces.breaks, kinks, atol=1e-12)
    np.testing.assert_allclose(pieces.kinks, kinks, atol=1e-12)
    f = lambda x: 1.0 * max(x + 1.3, 0) - 2.0 * max(x - 0.45, 0) + 1.5 * max(x - 2.2, 0)
    np.testing.assert_allclose(pieces.kink_values, [f(k) for k in kinks], atol=1e-12)
    assert count_regions_1d(one_hidden_layer(kinks, [1.0, -2.0, 1.5]), GRID) == 4


def test_a_unit_with_zero_output_weight_makes_a_region_but_no_kink():
    pieces = linear_pieces_1d(one_hidden_layer([-1.0, 1.0], [1.0, 0.0]), GRID)
    assert (pieces.n_regions, pieces.n_pieces) == (3, 2)
    np.testing.assert_allclose(pieces.kinks, [-1.0], atol=1e-12)


def test_a_switch_behind_dead_units_bends_nothing():
    # Layer 1 switches at x = 1, but the only layer-2 unit is always off (bias -10).
    layers = [(np.array([[1.0]]), np.array([-1.0])), (np.array([[1.0]]), np.array([-10.0])),
              (np.array([[1.0]]), np.array([0.5]))]
    pieces = linear_pieces_1d(layers, GRID)
    assert (pieces.n_regions, pieces.n_pieces) == (2, 1)
    assert np.all(pieces.ys == 0.5)


@pytest.mark.parametrize("depth", [1, 2, 3, 5, 7])
def test_sawtooth_has_two_to_the_depth_pieces(depth):
    grid = np.linspace(1.3e-5, 1.0 - 1.7e-5, 20_001)  # inside (0, 1), off the kinks
    pieces = linear_pieces_1d(sawtooth_network(depth), grid)
    assert pieces.n_pieces == 2 ** depth
    np.testing.assert_allclose(pieces.kinks, np.arange(1, 2 ** depth) / 2 ** depth, atol=1e-9)
    assert len(sawtooth_network(depth)) == depth + 1


# breakpoints well apart and well inside the grid: the grid count is then exact.
separated = st.lists(st.integers(-25, 25), min_size=1, max_size=12, unique=True)


@settings(max_examples=50, deadline=None)
@given(separated, st.integers(0, 10_000))
def test_one_hidden_layer_count_is_one_plus_its_breakpoints(ticks, seed):
    rng = np.random.default_rng(seed)
    kinks = np.array(ticks) / 10 + 0.0317
    slopes = rng.choice([-1.0, 1.0], kinks.size) * rng.uniform(0.5, 2.0, kinks.size)
    out = rng.choice([-1.0, 1.0], kinks.size) * rng.uniform(0.5, 2.0, kinks.size)
    layers = one_hidden_layer(kinks, out, slopes)
    pieces = linear_pieces_1d(layers, GRID)
    assert pieces.n_regions == pieces.n_pieces == kinks.size + 1
    np.testing.assert_allclose(pieces.kinks, np.sort(kinks), atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 12), st.integers(0, 10_000))
def test_one_hidden_layer_never_exceeds_n_plus_one(width, seed):
    assert count_regions_1d(random_layers([1, width, 1], seed=seed), GRID) <= width + 1


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 6), min_size=1, max_size=3), st.integers(0, 10_000))
def test_each_pattern_is_one_interval_and_the_network_is_affine_on_it(hidden, seed):
    layers = random_layers([1, *hidden, 1], seed=seed)
    xs = np.linspace(-3.0, 3.0, 1501)
    pieces = linear_pieces_1d(layers, xs)
    # Convexity: a pattern never comes back once left, so segments == distinct patterns.
    assert pieces.n_regions == count_patterns(activation_patterns(layers, xs[:, None]))
    assert pieces.n_pieces <= pieces.n_regions
    # Affine on each region: neighbouring grid points in one region lie on one line.
    same = pieces.region[1:] == pieces.region[:-1]
    slopes = input_slopes(layers, xs)[:, 0]
    rise = np.diff(pieces.ys)[same]
    np.testing.assert_allclose(rise, slopes[:-1][same] * np.diff(xs)[same], atol=1e-9)


def test_slopes_match_finite_differences_away_from_kinks():
    layers = random_layers([1, 5, 4, 2], seed=3)
    x = np.array([-2.11, -0.73, 0.29, 1.57])
    h = 1e-7
    numeric = (relu_network(layers, (x + h)[:, None]) - relu_network(layers, (x - h)[:, None])) / (2 * h)
    np.testing.assert_allclose(input_slopes(layers, x), numeric, atol=1e-5)
    assert input_slopes(ABS_NET, np.array([-1.0, 2.0]))[:, 0].tolist() == [-1.0, 1.0]


@pytest.mark.parametrize("xs, word", [([0.0], "at least 2"), ([[0.0, 1.0]], "1-D"),
                                      ([0.0, 1.0, 0.5], "increasing"), ([0.0, np.inf], "finite")])
def test_bad_grids_are_rejected(xs, word):
    with pytest.raises(ValueError, match=word):
        linear_pieces_1d(ABS_NET, xs)


def test_networks_on_the_plane_are_rejected_in_1d():
    with pytest.raises(ValueError, match="one input"):
        linear_pieces_1d([(np.ones((2, 1)), np.zeros(1))], GRID)
    with pytest.raises(ValueError, match="one input"):
        input_slopes([(np.ones((2, 1)), np.zeros(1))], GRID)


# ---------------------------------------------------------------- random networks and drawing

def test_random_layers_shapes_scale_and_reproducibility():
    layers = random_layers([1, 400, 300, 2], seed=5)
    assert [W.shape for W, _ in layers] == [(1, 400), (400, 300), (300, 2)]
    assert np.std(layers[1][0]) == pytest.approx(np.sqrt(2 / 400), rel=0.02)  # He-normal
    assert np.std(random_layers([500, 400], seed=0, gain=1.0)[0][0]) == pytest.approx(np.sqrt(1 / 500), rel=0.02)
    assert np.std(layers[1][1]) == pytest.approx(1.0, rel=0.15)
    assert np.all(random_layers([2, 3], bias_std=0.0)[0][1] == 0)
    again = random_layers([1, 400, 300, 2], seed=5)
    assert all(np.array_equal(a[0], b[0]) for a, b in zip(layers, again))
    assert not np.array_equal(random_layers([1, 4], seed=6)[0][0], random_layers([1, 4], seed=7)[0][0])


@pytest.mark.parametrize("kwargs, error, word", [
    ({"widths": [3]}, ValueError, "widths"), ({"widths": "13"}, TypeError, "widths"),
    ({"widths": [1, 0]}, ValueError, "widths"), ({"widths": [1, 2], "seed": -1}, ValueError, "seed"),
    ({"widths": [1, 2], "seed": 1.5}, TypeError, "seed"), ({"widths": [1, 2], "gain": -1.0}, ValueError, "gain"),
    ({"widths": [1, 2], "bias_std": "big"}, TypeError, "bias_std")])
def test_bad_random_layer_arguments(kwargs, error, word):
    with pytest.raises(error, match=word):
        random_layers(**kwargs)


def test_random_piece_counts_are_the_counts_of_each_network():
    counts = random_piece_counts(4, 2, [0, 1, 2], GRID)
    expected = [linear_pieces_1d(random_layers([1, 4, 4, 1], seed=s), GRID).n_pieces for s in range(3)]
    assert counts.tolist() == expected
    with pytest.raises(TypeError, match="seeds"):
        random_piece_counts(4, 2, [], GRID)
    with pytest.raises(ValueError, match="depth"):
        random_piece_counts(4, 0, [0], GRID)


def test_drawing_uses_one_line_per_piece_and_marks_the_kinks():
    pieces = linear_pieces_1d(one_hidden_layer([-1.0, 1.0], [1.0, -2.0]), GRID)
    fig, ax = figure()
    draw_linear_pieces(ax, pieces)
    drawn = [line for line in ax.lines if len(line.get_xdata()) > 2]
    assert len(drawn) == pieces.n_pieces == 3
    assert len({(line.get_color(), str(line.get_linestyle())) for line in drawn}) == 3
    markers = [line for line in ax.lines if line.get_marker() == "o"]
    assert len(markers) == 1 and len(markers[0].get_xdata()) == 2
    with pytest.raises(TypeError, match="pieces"):
        draw_linear_pieces(ax, GRID)
