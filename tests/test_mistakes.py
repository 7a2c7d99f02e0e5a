"""The training mistakes of chapter 13: each case's measurement checked against its definition, on
networks small enough to train in a fraction of a second."""
import math

import numpy as np
import pytest

from relu_course import mistakes as mk
from relu_course import mistakes_mlp as mm
from relu_course.mini_experiment import DigitsSplit, split_digits
from relu_course.style import figure


@pytest.fixture(scope="module")
def small_split():
    full = split_digits(seed=0)
    return DigitsSplit(full.X_train[:200], full.y_train[:200], full.X_test[:100], full.y_test[:100], 0)


# ------------------------------------------------------------------ settings table
def test_settings_table_lists_arguments_then_fixed_settings():
    text = mk.settings_table({"learning_rate": 0.001, "seeds": [0, 1], "settings": {"a": {"init": "he"}},
                              "optimizers": {"sgd": 0.03}}, optimizer="Adam")
    lines = text.splitlines()
    assert lines[0] == "| setting | value |"
    assert lines[2:] == ["| learning rate | 0.001 |", "| seeds | 0, 1 |", "| settings | a (init=he) |",
                         "| optimizers | sgd: 0.03 |", "| optimizer | Adam |"]
    with pytest.raises(TypeError, match="settings"):
        mk.settings_table({})


# ------------------------------------------------------------------ 1. regression head
def test_saddle_data_is_the_product_of_the_coordinates():
    X, y = mk.saddle_data(500, seed=3)
    assert X.shape == (500, 2) and np.all(np.abs(X) <= 2)
    np.testing.assert_array_equal(y, X[:, 0] * X[:, 1])
    assert 0.4 < np.mean(y < 0) < 0.6          # two of four quadrants are negative
    np.testing.assert_array_equal(mk.saddle_data(500, seed=3)[0], X)


def test_head_result_properties_follow_their_definitions():
    result = mk.HeadResult("relu", (0,), np.array([[0.0, 0.0, 1.0, 3.0]]), np.array([-1.0, -3.0, 2.0, 3.0]),
                           np.zeros((1, 2)))
    assert result.zero_share[0] == 0.5
    assert result.rmse_negative[0] == pytest.approx(math.sqrt((1 + 9) / 2))
    assert result.rmse_positive[0] == pytest.approx(math.sqrt(1 / 2))


def test_a_relu_output_is_never_negative_and_cannot_beat_zero_on_negative_targets():
    heads = mk.regression_head_case(seeds=[0, 1], hidden=[8], epochs=3, learning_rate=1e-2, batch_size=20,
                                    n_train=100, n_test=60)
    relu, linear = heads["relu"], heads[None]
    assert np.all(relu.predictions >= 0) and np.any(linear.predictions < 0)
    neg = relu.y_test < 0
    # with predictions >= 0 and targets < 0, every error is at least the target's size
    assert np.all(relu.rmse_negative >= np.sqrt(np.mean(relu.y_test[neg] ** 2)) - 1e-12)
    assert relu.predictions.shape == (2, 60) and relu.train_loss.shape == (2, 4)
    fig, axes = figure(ncols=2)
    mk.plot_regression_head(axes, heads)
    assert [ax.get_title() for ax in axes] == ["ReLU output", "linear output"]


# ------------------------------------------------------------------ 2. dying units
def test_dead_shares_count_units_silent_on_every_example():
    net = mm.make_mlp([3, 4, 2, 2], seeds=[0])
    net.params[0]["b"][0, [1, 3]] = -100.0     # two first-layer units can never fire on these inputs
    X = np.random.default_rng(0).uniform(-1, 1, (30, 3))
    shares = mk._dead_shares(net, X)
    assert shares.shape == (1, 2) and shares[0, 0] == 0.5
    h = np.maximum(X @ net.params[0]["W"][0] + net.params[0]["b"][0], 0)
    h2 = np.maximum(h @ net.params[1]["W"][0] + net.params[1]["b"][0], 0)
    assert shares[0, 1] == np.mean(np.all(h2 == 0, axis=0))


def test_dying_case_measures_before_and_after(small_split):
    results = mk.dying_case(small_split, learning_rates=[1e-3, 1.0], seeds=[0, 1], hidden=[16, 16], epochs=2,
                            batch_size=50)
    assert [r.learning_rate for r in results] == [1e-3, 1.0]
    for r in results:
        assert r.dead_before.shape == r.dead_after.shape == (2, 2) and r.units == (16, 16)
        assert np.all((0 <= r.dead_after) & (r.dead_after <= 1))
        np.testing.assert_allclose(r.dead_overall, r.dead_after.mean(axis=1))   # equal widths
    assert results[1].dead_overall.mean() > results[0].dead_overall.mean()
    fig, ax = figure()
    mk.plot_dying_case(ax, results)
    assert len(ax.patches) == 4


def test_dead_overall_weights_layers_by_their_width():
    r = mk.DyingResult(0.1, (0,), np.zeros((1, 2)), np.array([[1.0, 0.0]]), (30, 10), np.array([0.5]))
    assert r.dead_overall[0] == pytest.approx(30 / 40)


# ------------------------------------------------------------------ 3. depth and normalisation
def test_depth_case_trains_every_setting_with_every_optimizer(small_split):
    runs = mk.depth_case(small_split, settings={"glorot": {"init": "glorot"},
                                                "bn": {"init": "glorot", "batchnorm": True}},
                         optimizers={"sgd": 0.05, "adam": 1e-3}, depth=4, width=8, epochs=2, batch_size=50,
                         seeds=[0, 1])
    assert set(runs) == {("sgd", "glorot"), ("adam", "glorot"), ("sgd", "bn"), ("adam", "bn")}
    run = runs[("sgd", "bn")]
    assert run.loss.shape == (2, 3) and run.gradient_norms.shape == (2, 5)
    assert np.all(run.gradient_norms > 0) and np.all((0 <= run.train_accuracy) & (run.train_accuracy <= 1))
    np.testing.assert_array_equal(runs[("adam", "bn")].gradient_norms, run.gradient_norms)  # before training
    fig, axes = figure(ncols=3)
    mk.plot_depth_losses(axes[:2], runs)
    mk.plot_gradient_norms(axes[2], runs)
    assert axes[0].get_title().startswith("plain SGD") and axes[1].get_title().startswith("Adam")
    assert [t.get_text() for t in axes[2].get_legend().get_texts()] == ["glorot", "bn"]


def test_glorot_shrinks_a_deep_relu_signal_and_he_does_not(small_split):
    # each square Glorot layer halves the second moment of a ReLU signal: 2**-depth overall, and the
    # gradients shrink with it
    runs = mk.depth_case(small_split, settings={"glorot": {"init": "glorot"}, "he": {"init": "he"}},
                         optimizers={"sgd": 0.01}, depth=20, width=32, epochs=1, batch_size=200, seeds=[0])
    assert runs[("sgd", "glorot")].gradient_norms.max() < 1e-2 * runs[("sgd", "he")].gradient_norms.min()


# ------------------------------------------------------------------ 4. symmetry
def test_zero_and_constant_initialisations_keep_units_identical(small_split):
    runs = mk.symmetry_case(small_split, settings={"zeros": {"init": "zeros"},
                                                   "constant": {"init": "constant", "output_init": "he"},
                                                   "he": {"init": "he"}},
                            hidden=[12, 12], epochs=2, learning_rate=1e-2, batch_size=50, seeds=[0, 1])
    zeros, constant, he = runs["zeros"], runs["constant"], runs["he"]
    assert np.all(zeros.start_gradient == 0) and np.all(zeros.distinct_units == 1)
    # only the output bias learns: the loss starts at ln 10 and can fall no lower than the entropy of the
    # training labels, the cross-entropy of the best constant prediction
    freq = np.bincount(small_split.y_train, minlength=10) / small_split.y_train.size
    entropy = -np.sum(freq[freq > 0] * np.log(freq[freq > 0]))
    np.testing.assert_allclose(zeros.loss[:, 0], math.log(10), rtol=1e-12)
    assert np.all(zeros.loss >= entropy - 1e-9)
    assert np.all(constant.distinct_units[:, 0] == 1)
    assert np.all(he.distinct_units == 12) and np.all(he.start_gradient > 0)
    fig, ax = figure()
    mk.plot_symmetry_losses(ax, runs)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["zeros", "constant", "he"]


def test_distinct_columns_up_to_rounding():
    assert mk._distinct_columns(np.array([[1.0, 1.0, 2.0], [3.0, 3.0, 3.0]])) == 2
    assert mk._distinct_columns(np.array([[1.0, 1.0 + 1e-15], [3.0, 3.0]])) == 1
    assert mk._distinct_columns(np.array([[1.0, 1.0 + 1e-6], [3.0, 3.0]])) == 2
    assert mk._distinct_columns(np.zeros((3, 4))) == 1


# ------------------------------------------------------------------ 5. smooth target
def test_smooth_fit_errors_follow_their_definitions():
    grid = np.linspace(-3, 3, 7)
    exact = mk.SmoothFit("tanh", (0,), grid, np.sin(grid)[None], np.cos(grid)[None])
    assert exact.function_rmse[0] == pytest.approx(0) and exact.derivative_rmse[0] == pytest.approx(0)
    off = mk.SmoothFit("tanh", (0,), grid, np.sin(grid)[None] + 0.5, np.cos(grid)[None] - 2.0)
    assert off.function_rmse[0] == pytest.approx(0.5) and off.derivative_rmse[0] == pytest.approx(2.0)


def test_a_relu_fit_has_a_staircase_derivative():
    fits = mk.smooth_target_case(activations=["relu", "tanh"], seeds=[0, 1], hidden=[6], steps=20,
                                 learning_rate=1e-2, n_grid=201)
    relu, tanh = fits["relu"], fits["tanh"]
    assert relu.prediction.shape == relu.derivative.shape == (2, 201)
    # one hidden layer of 6 ReLU units: at most 7 linear pieces, so at most 7 distinct slopes
    assert all(np.unique(np.round(d, 12)).size <= 7 for d in relu.derivative)
    assert all(np.unique(np.round(d, 12)).size > 100 for d in tanh.derivative)
    fig, axes = figure(ncols=2)
    mk.plot_smooth_fits(*axes, fits)
    assert [t.get_text() for t in axes[1].get_legend().get_texts()] == ["cos(x), the truth", "ReLU", "Tanh"]


@pytest.mark.parametrize("call, error, match", [
    (lambda s: mk.dying_case("split", learning_rates=[0.1], seeds=[0], hidden=[4], epochs=1, batch_size=8),
     TypeError, "DigitsSplit"),
    (lambda s: mk.dying_case(s, learning_rates=[0.1], seeds=[0], hidden=[], epochs=1, batch_size=8),
     ValueError, "hidden"),
    (lambda s: mk.depth_case(s, settings={"a": {}}, optimizers={"sgd": 0.1}, depth=0, width=4, epochs=1,
                             batch_size=8, seeds=[0]), ValueError, "depth"),
    (lambda s: mk.saddle_data(0), ValueError, "n"),
    (lambda s: mk.smooth_target_case(activations=["relu"], seeds=[0], hidden="8", steps=1, learning_rate=0.1),
     TypeError, "hidden"),
])
def test_arguments_are_validated(small_split, call, error, match):
    with pytest.raises(error, match=match):
        call(small_split)
