"""The dead-unit monitor: its NumPy core from the definitions, and the Keras callback against an
independent NumPy forward pass of the same weights, on a network built to die and on one that is not."""
import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

from relu_course import dead_units as du
from relu_course.activation_registry import get_activation
from relu_course.tf_loader import QUIET_ENVIRONMENT, tensorflow_available

needs_tf = pytest.mark.skipif(not tensorflow_available(), reason="TensorFlow is not installed")


# --- the NumPy core -----------------------------------------------------------------------------

def loop_fractions(values):
    """Dead and inactive shares by explicit loops over units and entries (units on the last axis)."""
    values = np.asarray(values, dtype=float)
    units = values.shape[-1]
    flat = values.reshape(-1, units)
    dead = 0
    inactive = 0
    for u in range(units):
        column = [flat[i, u] for i in range(flat.shape[0])]
        dead += all(v <= 0 for v in column)
        inactive += sum(v <= 0 for v in column)
    return dead / units, inactive / flat.size


def test_fractions_of_a_hand_made_batch():
    # 3 examples x 4 units: unit 1 is 0 everywhere, unit 3 negative everywhere (a leaky unit)
    batch = np.array([[1.0, 0.0, 0.0, -0.01],
                      [0.0, 0.0, 2.0, -0.20],
                      [0.5, -0.0, 0.0, -0.03]])
    dead, inactive = du.inactive_fractions(batch)
    assert dead == 0.5
    assert inactive == 9 / 12
    assert du.dead_unit_mask(batch).tolist() == [False, True, False, True]


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 4), st.integers(1, 5)),
              elements=st.sampled_from([-1.5, -0.0, 0.0, 1e-300, 0.7, 3.0])))
def test_fractions_match_loops_and_dead_never_exceeds_inactive(values):
    dead, inactive = du.inactive_fractions(values)
    assert (dead, inactive) == pytest.approx(loop_fractions(values), abs=1e-15)
    assert dead <= inactive + 1e-15
    mask = du.dead_unit_mask(values)
    assert mask.shape == (values.shape[-1],) and mask.mean() == pytest.approx(dead)
    # the order of the examples does not matter
    assert du.inactive_fractions(values[::-1]) == pytest.approx((dead, inactive))


def test_channel_axis_selects_the_units():
    # (examples, channels, positions): channel 0 is <= 0 at every position of every example
    values = np.ones((2, 3, 4))
    values[:, 0] = -1.0
    values[0, 2, 1] = 0.0
    dead, inactive = du.inactive_fractions(values, channel_axis=1)
    assert dead == pytest.approx(1 / 3)
    assert inactive == pytest.approx((8 + 1) / 24)
    assert du.dead_unit_mask(values, channel_axis=1).tolist() == [True, False, False]
    # read with the last axis as units, no position is dead: every one has a positive channel
    assert du.inactive_fractions(values)[0] == 0.0


def test_non_finite_outputs_give_nan_not_a_number_that_looks_valid():
    values = np.array([[0.0, 1.0], [np.nan, 0.0]])
    assert all(np.isnan(v) for v in du.inactive_fractions(values))
    assert not du.dead_unit_mask(values).any()
    assert all(np.isnan(v) for v in du.inactive_fractions(np.array([[np.inf, -1.0]])))


@pytest.mark.parametrize("values, kwargs, error, word", [
    (None, {}, TypeError, "values"),
    ("abc", {}, TypeError, "values"),
    ([[True, False]], {}, TypeError, "values"),
    ([1.0, 0.0], {}, ValueError, "2 dimensions"),
    (np.zeros((0, 3)), {}, ValueError, "at least one"),
    (np.zeros((2, 0)), {}, ValueError, "empty"),
    (np.zeros((2, 3)), {"channel_axis": 0}, ValueError, "channel_axis"),
    (np.zeros((2, 3)), {"channel_axis": 2}, ValueError, "channel_axis"),
    (np.zeros((2, 3)), {"channel_axis": -2}, ValueError, "channel_axis"),
    (np.zeros((2, 3)), {"channel_axis": 1.0}, TypeError, "channel_axis"),
    (np.zeros((2, 3)), {"channel_axis": True}, TypeError, "channel_axis"),
])
def test_invalid_layer_values_are_rejected_by_name(values, kwargs, error, word):
    for func in (du.inactive_fractions, du.dead_unit_mask):
        with pytest.raises(error, match=word):
            func(values, **kwargs)


def make_history(dead, inactive=None, units=(2, 4), masks=None):
    dead = np.asarray(dead, float)
    inactive = dead if inactive is None else np.asarray(inactive, float)
    if masks is None:
        masks = tuple(np.zeros((dead.shape[0], u), bool) for u in units)
    return du.DeadUnitHistory(("a", "b"), tuple(units), np.arange(dead.shape[0]), dead, inactive, masks, 10)


def test_history_overall_shares_weight_layers_by_their_units():
    history = make_history([[0.5, 0.25], [1.0, 0.0]], [[0.6, 0.3], [1.0, 0.5]])
    # record 0: 1 of 2 and 1 of 4 units dead -> 2 of 6
    np.testing.assert_allclose(history.dead_overall(), [2 / 6, 2 / 6])
    np.testing.assert_allclose(history.inactive_overall(), [(1.2 + 1.2) / 6, (2 + 2) / 6])


def test_history_counts_revived_units():
    first = np.array([[False, False], [True, False], [False, False]])   # unit 0 died, then came back
    second = np.array([[True, False, False, False], [True, True, False, False], [True, True, False, False]])
    history = make_history(np.zeros((3, 2)), masks=(first, second))
    assert history.revived().tolist() == [1, 0]


def test_history_rejects_inconsistent_shapes():
    with pytest.raises(ValueError, match="shape"):
        make_history(np.zeros((3, 3)))
    with pytest.raises(ValueError, match="dead_masks"):
        make_history(np.zeros((2, 2)), masks=(np.zeros((2, 2), bool), np.zeros((2, 3), bool)))


def test_plot_helper_draws_the_history():
    history = make_history([[0.0, 0.25], [0.5, 0.75]], [[0.5, 0.6], [0.7, 0.9]])
    fig = du.plot_dead_units(history)
    left, right = fig.axes[:2]
    assert [line.get_label() for line in left.lines] == ["a", "b"]
    np.testing.assert_array_equal(left.lines[1].get_ydata(), [0.25, 0.75])
    np.testing.assert_array_equal(right.lines[0].get_ydata(), [0.5, 0.7])
    np.testing.assert_array_equal(left.lines[0].get_xdata(), [0, 1])
    with pytest.raises(TypeError, match="history"):
        du.plot_dead_units({"dead": [0.1]})
    with pytest.raises(ValueError, match="which"):
        du.draw_dead_units(left, history, which="zeros")


def test_relu_family_comes_from_the_registry():
    assert du.KERAS_ACTIVATIONS == {get_activation(k).keras for k in du.RELU_FAMILY} - {None}
    assert {"relu", "leaky_relu", "elu"} <= du.KERAS_ACTIVATIONS
    assert "sigmoid" not in du.KERAS_ACTIVATIONS and "gelu" not in du.KERAS_ACTIVATIONS


def test_importing_the_module_does_not_import_tensorflow():
    env = {k: v for k, v in os.environ.items() if k not in QUIET_ENVIRONMENT}
    code = "import sys, relu_course.dead_units; print('tensorflow' in sys.modules, 'keras' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "False"]


def test_unknown_module_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="NoSuchThing"):
        du.NoSuchThing  # noqa: B018


# --- the Keras callback ----------------------------------------------------------------------------

def numpy_forward(params, X, activation, **kwargs):
    """Hidden pre-activations and outputs of a Dense MLP, computed in float64 from its weights."""
    pre, out, h = [], [], np.asarray(X, np.float64)
    for kernel, bias in params[:-1]:
        z = h @ kernel + bias
        h = activation(z, **kwargs)
        pre.append(z)
        out.append(h)
    return pre, out


def assert_matches_numpy(history, record, pre_activations, entries):
    """Masks equal; fractions equal up to entries within float32 rounding of the kink."""
    for i, z in enumerate(pre_activations):
        near_kink = np.abs(z) < 1e-5
        expected_mask = np.all(z <= 0, axis=0)
        unsure = near_kink.any(axis=0)
        np.testing.assert_array_equal(history.dead_masks[i][record][~unsure], expected_mask[~unsure])
        assert history.dead[record, i] == pytest.approx(expected_mask.mean(), abs=unsure.mean() + 1e-12)
        assert history.inactive[record, i] == pytest.approx(np.mean(z <= 0), abs=near_kink.mean() + 1e-12)
        assert history.units[i] == z.shape[1]
    assert history.probe_size == entries


@pytest.fixture(scope="module")
def keras():
    if not tensorflow_available():
        pytest.skip("TensorFlow is not installed")
    from relu_course.tf_loader import load_keras
    return load_keras()


@pytest.fixture(scope="module")
def digits_batch():
    from relu_course.datasets import digits
    X, y = digits(200, seed=3)
    return X.astype(np.float32), y


def compile_for(keras, model, learning_rate):
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))


@needs_tf
def test_a_network_built_to_die_is_dead_everywhere_and_stays_dead(keras, digits_batch):
    from relu_course.models import dense_parameters, mlp
    from relu_course.seeding import seed_everything
    X, y = digits_batch
    model = mlp(64, [16, 12], 10, seed=1)
    for layer in model.layers[:-1]:   # a bias of -50 puts every pre-activation far below 0
        kernel, bias = layer.get_weights()
        layer.set_weights([kernel, bias - 50.0])
    monitor = du.dead_unit_monitor(X[:100])
    compile_for(keras, model, 1e-2)
    seed_everything(1)
    model.fit(X, y, epochs=2, batch_size=50, verbose=0, callbacks=[monitor])
    history = monitor.history
    assert history.layer_names == ("hidden_1", "hidden_2")
    np.testing.assert_array_equal(history.epochs, [0, 1, 2])
    np.testing.assert_array_equal(history.dead, np.ones((3, 2)))     # no gradient reaches a dead unit
    np.testing.assert_array_equal(history.inactive, np.ones((3, 2)))
    assert history.revived().tolist() == [0, 0]
    pre, _ = numpy_forward(dense_parameters(model), X[:100], get_activation("relu"))
    assert_matches_numpy(history, -1, pre, 100)


@needs_tf
def test_a_healthy_network_matches_an_independent_numpy_forward_pass(keras, digits_batch):
    from relu_course.models import dense_parameters, mlp
    from relu_course.seeding import seed_everything
    X, y = digits_batch
    model = mlp(64, [32, 32], 10, activation="relu", seed=2)
    before = dense_parameters(model)
    monitor = du.dead_unit_monitor(X)
    compile_for(keras, model, 1e-3)
    seed_everything(2)
    model.fit(X, y, epochs=2, batch_size=50, verbose=0, callbacks=[monitor])
    history = monitor.history
    pre0, out0 = numpy_forward(before, X, get_activation("relu"))
    assert_matches_numpy(history, 0, pre0, 200)
    pre, _ = numpy_forward(dense_parameters(model), X, get_activation("relu"))
    assert_matches_numpy(history, -1, pre, 200)
    # He-initialised with zero biases: about half the outputs are 0, hardly any unit is dead
    assert np.all(history.dead_overall() <= 0.1)
    assert np.all((history.inactive > 0.3) & (history.inactive < 0.7))
    # a second fit continues the same history
    model.fit(X, y, epochs=1, batch_size=50, verbose=0, callbacks=[monitor])
    np.testing.assert_array_equal(monitor.history.epochs, [0, 1, 2, 3])


@needs_tf
def test_standalone_activation_layers_are_watched(keras, digits_batch):
    from relu_course.seeding import seed_everything
    X, _ = digits_batch
    seed_everything(4)
    slope = 0.1
    model = keras.Sequential([
        keras.Input((64,)),
        keras.layers.Dense(10, name="d1"), keras.layers.LeakyReLU(negative_slope=slope, name="leaky"),
        keras.layers.Dense(8, name="d2"),
        keras.layers.PReLU(alpha_initializer=keras.initializers.Constant(-0.5), name="prelu"),
        keras.layers.Dense(6, name="d3"), keras.layers.BatchNormalization(name="bn"),
        keras.layers.ReLU(name="relu"),
        keras.layers.Dense(5, activation="elu", name="d4"),
        keras.layers.Dense(3, activation="sigmoid", name="out"),
    ])
    bn = model.get_layer("bn")
    gamma, beta, mean, var = bn.get_weights()
    bn.set_weights([gamma * 1.5, beta - 0.3, mean + 0.2, var * 2.0])
    history = du.measure_dead_units(model, X)
    assert history.layer_names == ("leaky", "prelu", "relu", "d4")
    weights = {name: model.get_layer(name).get_weights() for name in ("d1", "d2", "d3", "d4")}
    z1 = X.astype(np.float64) @ weights["d1"][0] + weights["d1"][1]
    h1 = get_activation("leaky_relu")(z1, negative_slope=slope)
    z2 = h1 @ weights["d2"][0] + weights["d2"][1]
    # the PReLU slope is negative, so outputs are > 0 on both sides: it must be judged on its input
    h2 = get_activation("prelu")(z2, slope=-0.5)
    assert np.all(h2 >= 0)
    z3 = h2 @ weights["d3"][0] + weights["d3"][1]
    g, b, m, v = bn.get_weights()
    z3 = g * (z3 - m) / np.sqrt(v + bn.epsilon) + b
    z4 = np.maximum(z3, 0.0) @ weights["d4"][0] + weights["d4"][1]
    assert_matches_numpy(history, 0, [z1, z2, z3, z4], 200)
    assert du.measure_dead_units(model, X, layer_names=["prelu"]).layer_names == ("prelu",)


@needs_tf
def test_a_compiled_measurement_counts_what_the_eager_one_counts(keras, digits_batch):
    from relu_course.models import mlp
    X, _ = digits_batch
    model = mlp(64, [16, 12], 10, seed=5)

    def same(a, b):
        assert a.layer_names == b.layer_names and a.units == b.units and a.probe_size == b.probe_size
        np.testing.assert_array_equal(a.dead, b.dead)
        np.testing.assert_array_equal(a.inactive, b.inactive)
        for mask_a, mask_b in zip(a.dead_masks, b.dead_masks):
            np.testing.assert_array_equal(mask_a, mask_b)

    same(du.measure_dead_units(model, X, compiled=True), du.measure_dead_units(model, X))
    # the compiled forward pass reads the current weights, not the ones it was traced with
    first = model.layers[0]
    kernel, bias = first.get_weights()
    first.set_weights([kernel, bias - 50.0])
    again = du.measure_dead_units(model, X, compiled=True)
    assert again.dead[0, 0] == 1.0
    same(again, du.measure_dead_units(model, X))
    with pytest.raises(TypeError, match="compiled"):
        du.measure_dead_units(model, X, compiled="yes")


@needs_tf
def test_convolution_units_are_channels(keras):
    model = keras.Sequential([keras.Input((5, 5, 1)),
                              keras.layers.Conv2D(3, 2, activation="relu", name="conv"),
                              keras.layers.Flatten(), keras.layers.Dense(2)])
    conv = model.get_layer("conv")
    kernel, _ = conv.get_weights()
    conv.set_weights([np.zeros_like(kernel), np.array([-1.0, 1.0, 0.0], np.float32)])
    history = du.measure_dead_units(model, np.ones((4, 5, 5, 1)))
    assert history.units == (3,)
    np.testing.assert_array_equal(history.dead_masks[0][0], [True, False, True])  # 0 counts as inactive
    assert history.dead[0, 0] == pytest.approx(2 / 3)


@needs_tf
def test_monitor_class_is_a_keras_callback(keras):
    monitor = du.dead_unit_monitor(np.zeros((2, 3)))
    assert isinstance(monitor, du.DeadUnitMonitor)
    assert isinstance(monitor, keras.callbacks.Callback)
    with pytest.raises(RuntimeError, match="fit"):
        monitor.history  # noqa: B018


@needs_tf
def test_invalid_arguments_are_rejected_by_name(keras):
    from relu_course.models import mlp
    relu_model = mlp(3, [4], 2, seed=0)
    with pytest.raises(TypeError, match="probe"):
        du.dead_unit_monitor(None)
    with pytest.raises(ValueError, match="probe"):
        du.dead_unit_monitor(np.zeros(3))
    with pytest.raises(ValueError, match="probe"):
        du.dead_unit_monitor(np.array([[np.nan, 0.0, 1.0]]))
    with pytest.raises(TypeError, match="layer_names"):
        du.dead_unit_monitor(np.zeros((2, 3)), layer_names="hidden_1")
    with pytest.raises(TypeError, match="layer_names"):
        du.dead_unit_monitor(np.zeros((2, 3)), layer_names=[1])
    with pytest.raises(ValueError, match="candidates: \\['hidden_1'\\]"):
        du.measure_dead_units(relu_model, np.zeros((2, 3)), layer_names=["output"])
    with pytest.raises(ValueError, match="no ReLU-family layer"):
        du.measure_dead_units(mlp(3, [4], 2, activation="tanh", seed=0), np.zeros((2, 3)))
    with pytest.raises(TypeError, match="model"):
        du.measure_dead_units("not a model", np.zeros((2, 3)))

    class Subclassed(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(4, activation="relu")

        def call(self, x):
            return self.dense(x)

    sub = Subclassed()
    sub(np.zeros((1, 3), np.float32))
    with pytest.raises(TypeError, match="Sequential or Functional"):
        du.measure_dead_units(sub, np.zeros((2, 3)))


@needs_tf
def test_one_monitor_watches_one_model(keras):
    from relu_course.models import mlp
    from relu_course.seeding import seed_everything
    X = np.random.default_rng(0).normal(size=(8, 3)).astype(np.float32)
    y = np.arange(8) % 2
    first, second = mlp(3, [4], 2, seed=0), mlp(3, [4], 2, seed=1)
    monitor = du.dead_unit_monitor(X)
    for model in (first, second):
        compile_for(keras, model, 1e-3)
    seed_everything(0)
    first.fit(X, y, epochs=1, verbose=0, callbacks=[monitor])
    with pytest.raises(ValueError, match="one monitor per model"):
        second.fit(X, y, epochs=1, verbose=0, callbacks=[monitor])
