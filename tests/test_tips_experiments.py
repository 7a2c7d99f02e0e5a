"""The training-tips experiments: settings are validated, models are built as described, the runner's
compiled training loop gives the numbers of Keras's model.fit, a reused compiled model exactly those of
a fresh one, and the summaries and plots show the runs."""
import numpy as np
import pytest

from relu_course import tips_experiments as te
from relu_course.activation_registry import get_activation
from relu_course.dead_units import DeadUnitHistory
from relu_course.tf_loader import tensorflow_available

needs_tf = pytest.mark.skipif(not tensorflow_available(), reason="TensorFlow is not installed")
BASE = te.TipSetting("base", 1e-2)


@pytest.mark.parametrize("changes, error, word", [
    ({"label": ""}, TypeError, "label"),
    ({"learning_rate": 0.0}, ValueError, "learning_rate"),
    ({"learning_rate": -1.0}, ValueError, "learning_rate"),
    ({"learning_rate": "fast"}, TypeError, "learning_rate"),
    ({"optimizer": "rmsprop"}, ValueError, "optimizer"),
    ({"activation": "gelu"}, ValueError, "activation"),
    ({"kernel_initializer": "zeros"}, ValueError, "kernel_initializer"),
    ({"bias": float("nan")}, ValueError, "bias"),
    ({"weight_scale": 0.0}, ValueError, "weight_scale"),
    ({"batchnorm": 1}, TypeError, "batchnorm"),
    ({"l2": -0.1}, ValueError, "l2"),
    ({"negative_slope": 2.0}, ValueError, "negative_slope"),
])
def test_invalid_settings_are_rejected_by_name(changes, error, word):
    label = changes.pop("label", "x")
    with pytest.raises(error, match=word):
        BASE.but(label, **changes)


def test_defaults_follow_the_registry_and_but_changes_one_thing():
    assert BASE.negative_slope == get_activation("leaky_relu").params["negative_slope"]
    other = BASE.but("bn", batchnorm=True)
    assert other.batchnorm and other.label == "bn" and other.learning_rate == BASE.learning_rate
    assert not BASE.batchnorm


def test_split_data_and_its_validation():
    X = np.arange(20.0).reshape(10, 2)
    y = np.arange(10) % 3
    data = te.split_data(X, y, 7)
    assert data.X_train.shape == (7, 2) and data.X_test.shape == (3, 2)
    assert data.X_train.dtype == np.float32
    np.testing.assert_array_equal(data.y_test, y[7:])
    with pytest.raises(ValueError, match="n_train"):
        te.split_data(X, y, 10)
    with pytest.raises(TypeError, match="n_train"):
        te.split_data(X, y, 7.0)
    with pytest.raises(ValueError, match="y"):
        te.split_data(X, y[:5], 3)
    with pytest.raises(ValueError, match="features"):
        te.TipData(X, y, X[:, :1], y)


def fake_run(label, dead_curve, accuracy, seed=0):
    dead_curve = np.asarray(dead_curve, float)
    records = dead_curve.size
    dead = np.column_stack([dead_curve, dead_curve])
    masks = tuple(np.zeros((records, 4), bool) for _ in range(2))
    history = DeadUnitHistory(("l1", "l2"), (4, 4), np.arange(records), dead, dead, masks, 8)
    return te.TipRun(te.TipSetting(label, 1e-2), seed, history, np.ones(records - 1), accuracy)


def test_summarise_takes_mean_and_range_over_seeds_and_flags_divergence():
    runs = {"a": [fake_run("a", [0, 0.25], 0.9), fake_run("a", [0, 0.75], 0.7, seed=1)],
            "b": [fake_run("b", [0, 0.5], 0.8), fake_run("b", [0, np.nan], float("nan"), seed=1)]}
    summary = te.summarise(runs)
    assert summary["a"]["dead_mean"] == pytest.approx(0.5)
    assert (summary["a"]["dead_min"], summary["a"]["dead_max"]) == (0.25, 0.75)
    assert summary["a"]["accuracy_mean"] == pytest.approx(0.8)
    assert summary["a"]["diverged"] == 0 and summary["b"]["diverged"] == 1
    assert summary["b"]["dead_mean"] == 0.5 and summary["b"]["seeds"] == 2
    with pytest.raises(TypeError, match="runs"):
        te.summarise({})
    with pytest.raises(TypeError, match="runs"):
        te.summarise({"a": [1, 2]})


def test_comparison_and_curve_plots_show_every_seed():
    from relu_course.style import figure
    runs = {"a": [fake_run("a", [0, 0.25], 0.9), fake_run("a", [0, 0.75], 0.7, seed=1)],
            "b": [fake_run("b", [0, 0.5], 0.8), fake_run("b", [0, np.nan], float("nan"), seed=1)]}
    fig, (ax_dead, ax_acc) = figure(ncols=2)
    te.plot_tip_comparison(ax_dead, ax_acc, runs)
    points = [line for line in ax_dead.lines if line.get_marker() == "o"]
    np.testing.assert_allclose(points[0].get_ydata(), [0.25, 0.75])
    assert [t.get_text() for t in ax_acc.get_xticklabels()] == ["a", "b"]
    assert any(line.get_marker() == "x" for line in ax_acc.lines)   # the diverged seed is marked
    np.testing.assert_allclose([p.get_height() for p in ax_acc.patches], [0.8, 0.8])
    fig, ax = figure()
    te.plot_dead_over_epochs(ax, runs)
    assert len(ax.lines) == 4
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [0, 0.75])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]


@pytest.fixture(scope="module")
def small_data():
    from relu_course.datasets import digits
    X, y = digits(300, seed=5)
    return te.split_data(X, y, 200)


@needs_tf
@pytest.mark.parametrize("setting, layer_types", [
    (BASE, ["Dense", "ReLU", "Dense", "ReLU", "Dense"]),
    (BASE.but("bn leaky", batchnorm=True, activation="leaky_relu"),
     ["Dense", "BatchNormalization", "LeakyReLU", "Dense", "BatchNormalization", "LeakyReLU", "Dense"]),
    (BASE.but("prelu", activation="prelu"), ["Dense", "PReLU", "Dense", "PReLU", "Dense"]),
])
def test_models_have_the_described_layers(setting, layer_types):
    model = te.build_tip_model(setting, 6, [5, 4], 3, seed=0)
    assert [type(layer).__name__ for layer in model.layers] == layer_types
    for layer in model.layers:
        if type(layer).__name__ == "LeakyReLU":
            assert layer.negative_slope == pytest.approx(setting.negative_slope)
        if type(layer).__name__ == "PReLU":
            np.testing.assert_allclose(layer.get_weights()[0], get_activation("prelu").params["slope"])


@needs_tf
def test_bias_shift_weight_scale_and_l2_are_applied_to_the_mlp_weights():
    from relu_course.models import dense_parameters, mlp
    plain = dense_parameters(mlp(6, [5, 4], 3, activation=None, seed=3))
    bad = te.build_tip_model(BASE.but("bad", bias=-1.0, weight_scale=5.0, l2=0.01), 6, [5, 4], 3, seed=3)
    got = dense_parameters(bad)
    for (k, b), (k0, b0) in zip(got[:-1], plain[:-1]):
        np.testing.assert_allclose(k, 5.0 * k0, rtol=1e-6)
        np.testing.assert_allclose(b, b0 - 1.0, rtol=1e-6)
    np.testing.assert_allclose(got[-1][0], plain[-1][0], rtol=1e-6)   # the output layer is untouched
    penalty = sum(float(loss) for loss in bad.losses)
    assert penalty == pytest.approx(0.01 * sum(np.sum(k ** 2) for k, _ in got), rel=1e-5)
    assert te.build_tip_model(BASE, 6, [5], 3, seed=3).losses == []
    with pytest.raises(TypeError, match="setting"):
        te.build_tip_model({"label": "x"}, 6, [5], 3, seed=0)


def assert_same_runs(a, b, *, loss_rtol=0.0):
    np.testing.assert_allclose(a.loss, b.loss, rtol=loss_rtol, atol=0)
    np.testing.assert_array_equal(a.history.epochs, b.history.epochs)
    np.testing.assert_array_equal(a.history.dead, b.history.dead)
    np.testing.assert_array_equal(a.history.inactive, b.history.inactive)
    for mask_a, mask_b in zip(a.history.dead_masks, b.history.dead_masks):
        np.testing.assert_array_equal(mask_a, mask_b)
    assert a.history.layer_names == b.history.layer_names
    assert a.test_accuracy == b.test_accuracy and a.seed == b.seed


@needs_tf
def test_a_reused_compiled_model_gives_exactly_the_numbers_of_a_fresh_one(small_data):
    """Reuse loads cached starting weights, resets the optimizer and the L2 strength; a fresh runner
    builds every model and optimizer anew. Each architecture runs twice, and the L2 setting runs before
    one without decay on the same compiled model, so nothing may leak from one run into the next."""
    kwargs = {"hidden": [16, 16], "epochs": 2, "batch_size": 50}
    settings = [BASE.but("decay", learning_rate=0.003, bias=-0.5, l2=0.01, kernel_initializer="glorot_uniform"),
                BASE.but("plain", learning_rate=0.05),
                BASE.but("sgd bn prelu", optimizer="sgd", learning_rate=0.2, batchnorm=True, activation="prelu",
                         weight_scale=2.0)]
    reused = te.TipRunner(small_data, **kwargs).run_all(settings, seeds=[0, 1])
    fresh = te.TipRunner(small_data, reuse=False, **kwargs).run_all(settings, seeds=[0, 1])
    for setting in settings:
        for a, b in zip(reused[setting.label], fresh[setting.label]):
            assert_same_runs(a, b)
    run = reused["decay"][1]
    assert run.history.epochs.tolist() == [0, 1, 2] and run.loss.shape == (2,)
    assert run.history.layer_names == ("relu_1", "relu_2") and run.history.probe_size == 200
    assert run.final_dead == pytest.approx(run.history.dead_overall()[-1])
    assert 0.0 <= run.test_accuracy <= 1.0
    # different seeds start from different weights
    assert not np.array_equal(reused["plain"][0].loss, reused["plain"][1].loss)


@needs_tf
@pytest.mark.parametrize("setting", [
    BASE.but("adam, l2, shifted glorot", learning_rate=0.05, l2=0.01, bias=-0.5, kernel_initializer="glorot_uniform"),
    BASE.but("sgd, batchnorm, leaky", optimizer="sgd", learning_rate=0.5, batchnorm=True, activation="leaky_relu"),
    BASE.but("adam, prelu, scaled", activation="prelu", weight_scale=3.0),
])
def test_the_compiled_loop_trains_like_model_fit(small_data, setting):
    """The runner's own training epoch against Keras's model.fit fed the same mini-batches (one fit per
    epoch, unshuffled, on the examples in epoch_orders order) with a dead_unit_monitor: the same losses
    (up to float rounding), dead units and test accuracy. The batch size leaves a smaller last batch."""
    runner = te.TipRunner(small_data, hidden=[16, 16], epochs=2, batch_size=64, reuse=False)
    assert_same_runs(runner.run(setting, 3), runner.run_with_fit(setting, 3), loss_rtol=1e-6)


def test_epoch_orders_are_seeded_permutations():
    orders = te.epoch_orders(10, 3, seed=4)
    assert len(orders) == 3
    for order in orders:
        assert sorted(order.tolist()) == list(range(10))
    assert not np.array_equal(orders[0], orders[1])            # a new shuffle every epoch
    again = te.epoch_orders(10, 3, seed=4)
    assert all(np.array_equal(a, b) for a, b in zip(orders, again))
    other = te.epoch_orders(10, 3, seed=5)
    assert not all(np.array_equal(a, b) for a, b in zip(orders, other))
    expected = np.random.default_rng(4)
    np.testing.assert_array_equal(orders[1], [expected.permutation(10) for _ in range(2)][1])
    with pytest.raises(ValueError, match="epochs"):
        te.epoch_orders(10, 0, seed=0)
    with pytest.raises(TypeError, match="seed"):
        te.epoch_orders(10, 1, seed=1.5)
    with pytest.raises(ValueError, match="seed"):
        te.epoch_orders(10, 1, seed=-1)


def test_runner_validation(small_data):
    with pytest.raises(TypeError, match="data"):
        te.TipRunner((1, 2), hidden=[4], epochs=1, batch_size=8)
    with pytest.raises(ValueError, match="epochs"):
        te.TipRunner(small_data, hidden=[4], epochs=0, batch_size=8)
    with pytest.raises(TypeError, match="reuse"):
        te.TipRunner(small_data, hidden=[4], epochs=1, batch_size=8, reuse="yes")
    runner = te.TipRunner(small_data, hidden=[4], epochs=1, batch_size=8)
    with pytest.raises(ValueError, match="distinct labels"):
        runner.run_all([BASE, BASE], seeds=[0])
    with pytest.raises(ValueError, match="seeds"):
        runner.run_all([BASE], seeds=[])
    with pytest.raises(TypeError, match="settings"):
        runner.run_all(["base"], seeds=[0])
    with pytest.raises(TypeError, match="setting"):
        runner.run("base", 0)
    with pytest.raises(TypeError, match="setting"):
        runner.run_with_fit("base", 0)
    with pytest.raises(ValueError, match="seed"):
        runner.run(BASE, -1)
    with pytest.raises(TypeError, match="seed"):
        runner.run_with_fit(BASE, "0")


def test_sweep_plot_draws_means_and_seeds_on_a_log_axis():
    from relu_course.style import figure
    groups = [[fake_run("a", [0, 0.2], 0.9), fake_run("a", [0, 0.4], 0.8, seed=1)],
              [fake_run("b", [0, 0.6], 0.5), fake_run("b", [0, np.nan], float("nan"), seed=1)]]
    fig, (ax_dead, ax_acc) = figure(ncols=2)
    te.plot_sweep(ax_dead, ax_acc, [1e-3, 1e-1], groups, label="Adam", style=1)
    mean_line = ax_dead.lines[0]
    assert mean_line.get_label() == "Adam" and ax_dead.get_xscale() == "log"
    np.testing.assert_allclose(mean_line.get_ydata(), [0.3, 0.6])
    np.testing.assert_allclose(ax_acc.lines[0].get_ydata(), [0.85, 0.5])
    np.testing.assert_allclose(ax_dead.lines[1].get_ydata(), [0.2, 0.4])
    assert ax_acc.lines[-1].get_marker() == "x"
    with pytest.raises(ValueError, match="equal length"):
        te.plot_sweep(ax_dead, ax_acc, [1e-3], groups, label="x")
    with pytest.raises(TypeError, match="values"):
        te.plot_sweep(ax_dead, ax_acc, ["a", "b"], groups, label="x")
    with pytest.raises(ValueError, match="style"):
        te.plot_sweep(ax_dead, ax_acc, [1e-3, 1e-1], groups, label="x", style=-1)


def test_importing_the_experiments_and_the_explorer_does_not_import_tensorflow():
    import os
    import subprocess
    import sys

    from relu_course.tf_loader import QUIET_ENVIRONMENT
    env = {k: v for k, v in os.environ.items() if k not in QUIET_ENVIRONMENT}
    code = ("import sys, relu_course.tips_experiments, relu_course.widgets.dying; "
            "print(sorted(m for m in ('tensorflow', 'keras', 'ipywidgets') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
