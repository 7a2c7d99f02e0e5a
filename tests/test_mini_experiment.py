"""The mini experiment's NumPy trainer: data split, backpropagation (against relu_course.backprop and
finite differences), SGD and Adam (against the paper's algorithm written out), training runs
(determinism, independence, decreasing loss, divergence) and the summaries the chapter tabulates."""
import math
import statistics

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from relu_course import mini_experiment as me
from relu_course.activation_registry import ACTIVATIONS
from relu_course.backprop import mlp_gradients, random_mlp_parameters


@pytest.fixture(scope="module")
def split():
    return me.split_digits(0.25, seed=0)


# ------------------------------------------------------------------ data
def test_split_is_stratified_disjoint_and_standardised_on_training_data_only(split):
    n_train, n_test = split.y_train.size, split.y_test.size
    assert n_train + n_test == 1797 and n_test == math.ceil(0.25 * 1797)
    train_counts, test_counts = np.bincount(split.y_train), np.bincount(split.y_test)
    np.testing.assert_allclose(test_counts / n_test, train_counts / n_train, atol=0.01)
    varying = split.X_train.std(axis=0) > 0
    np.testing.assert_allclose(split.X_train.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(split.X_train.std(axis=0)[varying], 1.0, rtol=1e-12)
    assert abs(split.X_test.mean()) > 1e-6  # the test set is scaled with the training statistics
    rows_train = {row.tobytes() for row in split.X_train}
    assert sum(row.tobytes() in rows_train for row in split.X_test) < 5  # (a few digits repeat in the data)


def test_split_is_deterministic_and_depends_on_the_seed():
    a, b, c = me.split_digits(seed=3), me.split_digits(seed=3), me.split_digits(seed=4)
    np.testing.assert_array_equal(a.X_train, b.X_train)
    assert not np.array_equal(a.y_train, c.y_train)


@pytest.mark.parametrize("kwargs, error, word", [
    ({"test_fraction": 0.0}, ValueError, "test_fraction"), ({"test_fraction": "a"}, TypeError, "test_fraction"),
    ({"seed": -1}, ValueError, "seed"), ({"seed": 1.5}, TypeError, "seed"),
])
def test_split_validates(kwargs, error, word):
    with pytest.raises(error, match=word):
        me.split_digits(**kwargs)


# ------------------------------------------------------------------ gradients
def small_network(seed, sizes=(5, 4, 3, 3)):
    rng = np.random.default_rng(seed)
    params = [(rng.normal(0, 0.8, (i, o)), rng.normal(0, 0.3, o)) for i, o in zip(sizes[:-1], sizes[1:])]
    X = rng.normal(size=(6, sizes[0]))
    y = rng.integers(0, sizes[-1], 6)
    return params, X, y


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradients_match_the_course_backprop(activation, seed):
    params = random_mlp_parameters([8, 7, 6, 4], init="he", seed=seed)
    X = np.random.default_rng(seed).normal(size=(9, 8))
    y = np.arange(9) % 4
    loss, grads = me.mlp_loss_and_gradients(params, X, y, activation)
    ref_loss, ref_grads = mlp_gradients(params, X, y, activation)
    assert loss == pytest.approx(ref_loss, rel=1e-12)
    for (dW, db), (rW, rb) in zip(grads, ref_grads):
        np.testing.assert_allclose(dW, rW, rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(db, rb, rtol=1e-10, atol=1e-14)


def numeric_gradient(f, array, eps=1e-6):
    grad = np.zeros_like(array)
    for idx in np.ndindex(array.shape):
        up, down = array.copy(), array.copy()
        up[idx] += eps
        down[idx] -= eps
        grad[idx] = (f(up) - f(down)) / (2 * eps)
    return grad


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(sorted(ACTIVATIONS)), st.integers(0, 10_000))
def test_gradients_match_finite_differences_for_every_registered_activation(key, seed):
    params, X, y = small_network(seed)
    _, grads = me.mlp_loss_and_gradients(params, X, y, key)
    for layer, (W, b) in enumerate(params):
        for which, value in ((0, W), (1, b)):
            def loss_at(v, layer=layer, which=which):
                changed = [list(p) for p in params]
                changed[layer][which] = v
                return me.mlp_loss_and_gradients([tuple(p) for p in changed], X, y, key)[0]
            np.testing.assert_allclose(grads[layer][which], numeric_gradient(loss_at, value), atol=2e-6)


def test_evaluate_counts_correct_predictions_and_matches_the_loss():
    params, X, y = small_network(7)
    loss, accuracy = me.evaluate(params, X, y, "elu")
    h = X
    for W, b in params[:-1]:
        h = np.where(h @ W + b > 0, h @ W + b, np.expm1(np.minimum(h @ W + b, 0)))
    logits = h @ params[-1][0] + params[-1][1]
    expected_accuracy = sum(int(np.argmax(row) == label) for row, label in zip(logits, y)) / y.size
    expected_loss = np.mean([np.log(np.sum(np.exp(row))) - row[label] for row, label in zip(logits, y)])
    assert accuracy == pytest.approx(expected_accuracy)
    assert loss == pytest.approx(expected_loss, rel=1e-12)
    assert loss == pytest.approx(me.mlp_loss_and_gradients(params, X, y, "elu")[0], rel=1e-12)


@pytest.mark.parametrize("call, error, word", [
    (lambda p, X, y: me.mlp_loss_and_gradients(p, X, y, "swoosh"), ValueError, "swoosh"),
    (lambda p, X, y: me.mlp_loss_and_gradients(p, X, y, 3), TypeError, "key"),
    (lambda p, X, y: me.mlp_loss_and_gradients([], X, y, "relu"), TypeError, "params"),
    (lambda p, X, y: me.mlp_loss_and_gradients(p[1:], X, y, "relu"), ValueError, "features"),
    (lambda p, X, y: me.mlp_loss_and_gradients([p[0], p[2]], X, y, "relu"), ValueError, r"params\[1\]"),
    (lambda p, X, y: me.mlp_loss_and_gradients(p, X, y + 10, "relu"), ValueError, "class indices"),
    (lambda p, X, y: me.evaluate(p, X, y.astype(float), "relu"), ValueError, "integer"),
    (lambda p, X, y: me.evaluate(p, "X", y, "relu"), TypeError, "X"),
])
def test_gradient_and_evaluate_validate(call, error, word):
    params, X, y = small_network(0)
    with pytest.raises(error, match=word):
        call(params, X, y)


# ------------------------------------------------------------------ optimizers
def test_sgd_step_is_minus_learning_rate_times_gradient():
    p, g = np.array([1.0, -2.0, 0.5]), np.array([0.5, 0.25, -4.0])
    me.SGD(0.1).step(p, g)
    np.testing.assert_allclose(p, [0.95, -2.025, 0.9])


def test_adam_follows_algorithm_1_of_kingma_and_ba():
    rng = np.random.default_rng(0)
    theta = rng.normal(size=5)
    ours = theta.copy()
    adam = me.Adam(0.01)
    m = v = np.zeros(5)
    for t in range(1, 8):
        g = rng.normal(size=5)
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g**2
        theta = theta - 0.01 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
        adam.step(ours, g)
        np.testing.assert_allclose(ours, theta, rtol=1e-12)


def test_adams_first_step_has_the_learning_rate_as_size():
    p, g = np.zeros(4), np.array([3.0, -0.001, 50.0, -7.0])
    me.Adam(0.05).step(p, g)
    np.testing.assert_allclose(p, -0.05 * np.sign(g), rtol=1e-4)


@pytest.mark.parametrize("make, error, word", [
    (lambda: me.SGD(0.0), ValueError, "learning_rate"), (lambda: me.Adam("fast"), TypeError, "learning_rate"),
    (lambda: me.Adam(0.1, beta1=1.0), ValueError, "beta1"),
    (lambda: me.SGD(np.array([0.1, -0.1])), ValueError, "learning_rate"),
    (lambda: me.make_optimizer("rmsprop", 0.1), ValueError, "optimizer"),
    (lambda: me.make_optimizer(None, 0.1), TypeError, "optimizer"),
])
def test_optimizers_validate(make, error, word):
    with pytest.raises(error, match=word):
        make()


def test_per_parameter_learning_rates():
    p = np.ones(3)
    me.SGD(np.array([0.1, 1.0, 2.0])).step(p, np.ones(3))
    np.testing.assert_allclose(p, [0.9, 0.0, -1.0])


# ------------------------------------------------------------------ training
TINY = {"hidden": [16, 16], "epochs": 3, "batch_size": 32}


def test_training_is_deterministic_and_networks_do_not_interact(split):
    common = {"activation": "tanh", "optimizer": "adam", "learning_rates": [1e-3], **TINY}
    together = me.train_mlps(split, seeds=[0, 1, 2], **common)
    again = me.train_mlps(split, seeds=[0, 1, 2], **common)
    alone = me.train_mlps(split, seeds=[1], **common)
    for name in ("train_loss", "train_accuracy", "test_loss", "test_accuracy"):
        np.testing.assert_array_equal(getattr(together, name), getattr(again, name))
        np.testing.assert_allclose(getattr(together, name)[1], getattr(alone, name)[0], rtol=1e-5)
    assert not np.allclose(together.train_loss[0], together.train_loss[1])


def test_epoch_zero_is_the_untrained_network(split):
    runs = me.train_mlps(split, activation="gelu", optimizer="sgd", seeds=[5], learning_rates=[0.1], **TINY)
    params = random_mlp_parameters([64, 16, 16, 10], init="glorot", seed=5)
    loss, accuracy = me.evaluate(params, split.X_train, split.y_train, "gelu")
    assert runs.train_loss[0, 0] == pytest.approx(loss, rel=1e-5)
    assert runs.train_accuracy[0, 0] == pytest.approx(accuracy, abs=2 / split.y_train.size)
    assert runs.train_loss.shape == (1, TINY["epochs"] + 1) and runs.epochs == TINY["epochs"]


@pytest.mark.parametrize("activation, optimizer, rate", [("relu", "sgd", 0.1), ("leaky_relu", "adam", 3e-3)])
def test_training_lowers_the_loss_and_beats_chance(split, activation, optimizer, rate):
    runs = me.train_mlps(split, activation=activation, optimizer=optimizer, seeds=[0, 1], learning_rates=[rate],
                         **TINY)
    assert np.all(runs.train_loss[:, -1] < 0.5 * runs.train_loss[:, 0])
    assert np.all(runs.final_test_accuracy > 0.5)  # chance is 0.1


def test_per_network_learning_rates_and_divergence(split):
    runs = me.train_mlps(split, activation="relu", optimizer="sgd", seeds=[0], learning_rates=[0.05, 50.0], **TINY)
    assert runs.learning_rates == (0.05, 50.0) and runs.seeds == (0, 0)
    assert np.all(np.isfinite(runs.train_loss[0]))
    assert np.isnan(runs.train_loss[1, -1]) and np.isnan(runs.final_test_accuracy[1])
    same = me.train_mlps(split, activation="relu", optimizer="sgd", seeds=[0], learning_rates=[0.05], **TINY)
    np.testing.assert_allclose(runs.train_loss[0], same.train_loss[0], rtol=1e-5)


@pytest.mark.parametrize("kwargs, error, word", [
    ({"seeds": [0, 0]}, ValueError, "own"), ({"seeds": []}, ValueError, "seeds"),
    ({"seeds": [0, 1], "learning_rates": [0.1, 0.2, 0.3]}, ValueError, "same length"),
    ({"learning_rates": [0.0]}, ValueError, "learning_rates"), ({"hidden": [16, 0]}, ValueError, "hidden"),
    ({"epochs": 0}, ValueError, "epochs"), ({"batch_size": 5000}, ValueError, "batch_size"),
    ({"init": "lecun"}, ValueError, "init"), ({"optimizer": "momentum"}, ValueError, "optimizer"),
    ({"activation": "swoosh"}, ValueError, "swoosh"), ({"split": (1, 2)}, TypeError, "split"),
])
def test_train_mlps_validates(split, kwargs, error, word):
    args = {"split": split, "activation": "relu", "optimizer": "sgd", "seeds": [0], "learning_rates": [0.1],
            **TINY}
    args.update(kwargs)
    with pytest.raises(error, match=word):
        me.train_mlps(**args)


def test_run_grid_trains_every_pair_once_per_seed(split):
    grid = me.run_grid(split, activations=["sigmoid", "relu"], learning_rates={"sgd": 0.1, "adam": 1e-3},
                       seeds=[0, 1], **TINY)
    assert list(grid) == [("sgd", "sigmoid"), ("sgd", "relu"), ("adam", "sigmoid"), ("adam", "relu")]
    one = me.train_mlps(split, activation="relu", optimizer="adam", seeds=[0, 1], learning_rates=[1e-3], **TINY)
    np.testing.assert_array_equal(grid[("adam", "relu")].test_accuracy, one.test_accuracy)
    with pytest.raises(TypeError, match="learning_rates"):
        me.run_grid(split, activations=["relu"], learning_rates=0.1, seeds=[0], **TINY)


# ------------------------------------------------------------------ summaries
@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=30), st.floats(0, 1))
def test_epochs_to_accuracy_is_the_first_epoch_at_or_above_the_target(curve, target):
    k = me.epochs_to_accuracy(curve, target)
    if max(curve) < target:
        assert math.isnan(k)
    else:
        assert k == int(k) and curve[int(k)] >= target and all(c < target for c in curve[:int(k)])


def test_epochs_to_accuracy_examples_and_validation():
    assert me.epochs_to_accuracy([0.1, 0.5, 0.9, 0.8, 0.95], 0.9) == 2.0
    assert me.epochs_to_accuracy([0.95, 0.2], 0.9) == 0.0
    assert math.isnan(me.epochs_to_accuracy([0.1, np.nan, 0.3], 0.9))
    with pytest.raises(ValueError, match="target"):
        me.epochs_to_accuracy([0.5], 1.5)
    with pytest.raises(ValueError, match="curve"):
        me.epochs_to_accuracy([[0.5, 0.6]], 0.5)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=2, max_size=10))
def test_mean_and_spread_is_the_mean_and_the_sample_standard_deviation(values):
    mean, spread = me.mean_and_spread(values)
    assert mean == pytest.approx(statistics.fmean(values), abs=1e-12)
    assert spread == pytest.approx(statistics.stdev(values), abs=1e-9)


def test_mean_and_spread_needs_two_values():
    assert me.mean_and_spread([0.9, 0.95, 1.0]) == pytest.approx((0.95, 0.05))
    with pytest.raises(ValueError, match="at least two"):
        me.mean_and_spread([0.9])
    with pytest.raises(TypeError, match="values"):
        me.mean_and_spread("0.9")


def synthetic_runs(activation, optimizer, finals, reach_epochs, epochs=5):
    """Runs whose training accuracy first reaches 0.9 at ``reach_epochs`` (None: never)."""
    train_acc = []
    for k in reach_epochs:
        curve = np.linspace(0.1, 0.85, epochs + 1)
        if k is not None:
            curve[k:] = 0.95
        train_acc.append(curve)
    n = len(finals)
    test_acc = np.tile(np.linspace(0.1, 0.5, epochs + 1), (n, 1))
    test_acc[:, -1] = finals
    loss = np.tile(np.linspace(2.3, 0.1, epochs + 1), (n, 1))
    return me.Runs(activation, optimizer, tuple(range(n)), (0.1,) * n, loss, np.array(train_acc), loss, test_acc)


def test_summarise_and_the_measured_table():
    results = {("sgd", "sigmoid"): synthetic_runs("sigmoid", "sgd", [0.1, 0.12, 0.11], [None, None, None]),
               ("sgd", "relu"): synthetic_runs("relu", "sgd", [0.96, 0.97, 0.95], [2, 3, 2]),
               ("adam", "relu"): synthetic_runs("relu", "adam", [0.97, np.nan, 0.98], [1, None, 4])}
    rows = me.summarise(results, 0.9)
    assert [r.epochs_to_target for r in rows][1] == (2.0, 3.0, 2.0)
    assert rows[1].test_accuracy_mean == pytest.approx(0.96)
    assert rows[1].test_accuracy_std == pytest.approx(statistics.stdev([0.96, 0.97, 0.95]))
    assert rows[1].test_accuracy_range == pytest.approx(0.02)
    assert not rows[0].reached_all and rows[1].reached_all
    assert rows[1].loss_spikes == (0, 0, 0)
    table = me.measured_table(results, 0.9, guide={"relu": "97 %"})
    assert table.headers[:2] == ("activation", "guide (no settings, no source)")
    assert [r[0] for r in table.rows] == ["Sigmoid", "ReLU"]
    assert table.rows[0] == ("Sigmoid", "—", "11.0 ± 1.0 %", "not reached", "—", "—")
    assert table.rows[1][1:4] == ("97 %", "96.0 ± 1.0 %", "2–3")
    assert table.rows[1][4:] == ("diverged", "1–4 (1 of 3 not reached)")
    assert "<td>96.0 ± 1.0 %</td>" in table._repr_html_() and "ReLU" in str(table)


def test_loss_spikes_counts_epochs_whose_loss_jumped():
    assert me.loss_spikes([2.3, 1.0, 0.5, 0.25]) == 0
    assert me.loss_spikes([2.3, 1.0, 1.5, 0.5, 0.6, 0.6]) == 2
    assert me.loss_spikes([2.3, 2.31, 2.29, 2.30]) == 0  # wobbles below 10 % are not spikes
    assert me.loss_spikes([2.3, 2.31, 2.29, 2.30], rise=0.0) == 2
    assert me.loss_spikes([2.3, 1.0, np.nan, np.nan]) == 0
    with pytest.raises(ValueError, match="curve"):
        me.loss_spikes([])
    with pytest.raises(ValueError, match="rise"):
        me.loss_spikes([1.0, 2.0], rise=-0.1)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0.001, 5), min_size=1, max_size=20), st.floats(0, 2))
def test_loss_spikes_agrees_with_a_loop(curve, rise):
    assert me.loss_spikes(curve, rise) == sum(b > (1 + rise) * a for a, b in zip(curve, curve[1:]))


def test_stability_table():
    results = {("sgd", "relu"): synthetic_runs("relu", "sgd", [0.96, 0.97, 0.95], [2, 3, 2]),
               ("adam", "relu"): synthetic_runs("relu", "adam", [0.97, np.nan, 0.98], [1, None, 4])}
    bumpy = results[("sgd", "relu")].train_loss
    bumpy[1, 3] = 5.0  # one epoch up (and the next one down again)
    table = me.stability_table(results)
    assert table.headers[1] == "SGD: test accuracy range over seeds"
    assert table.rows == (("ReLU", "2.0 points", "0, 1, 0", "diverged", "0, 0, 0"),)
    assert table.headers[2] == "SGD: loss spikes (> 10 %), per seed"
    assert me.stability_table(results, rise=10.0).rows[0][2] == "0, 0, 0"


def test_formatting_helpers():
    assert me.format_epochs([3.0, 3.0]) == "3"
    assert me.format_epochs([math.nan, math.nan]) == "not reached"
    assert me.percent(0.9634) == "96.3 %" and me.percent(0.9634, 0.0041) == "96.3 ± 0.4 %"
    assert me.percent(float("nan")) == "diverged"
    with pytest.raises(TypeError, match="value"):
        me.percent("high")


def test_table_escapes_html_and_checks_its_rows():
    assert "&lt;b&gt;" in me.Table(("a",), (("<b>",),))._repr_html_()
    with pytest.raises(ValueError, match="one entry per header"):
        me.Table(("a", "b"), (("1",),))


def test_summarise_validates():
    with pytest.raises(TypeError, match="results"):
        me.summarise({}, 0.9)
    with pytest.raises(TypeError, match="Runs"):
        me.summarise({("sgd", "relu"): [0.9]}, 0.9)
