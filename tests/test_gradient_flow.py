"""Per-layer gradient norms of Keras MLPs: TensorFlow's GradientTape against the hand-written NumPy
backpropagation of relu_course.backprop, the training loop, the zero shares and the plot."""
import numpy as np
import pytest

from relu_course.backprop import mlp_gradients, mlp_kernel_gradient_norms
from relu_course.datasets import digits
from relu_course.gradient_flow import (
    CURVE_STYLES,
    gradient_norms_during_training,
    layer_gradient_norms,
    measure_gradient_flow,
    plot_layer_norms,
    zero_shares,
)
from relu_course.models import dense_parameters, mlp
from relu_course.style import figure


@pytest.fixture(scope="module")
def batch():
    return digits(64, seed=1)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_tape_norms_match_hand_written_backprop(batch, activation):
    X, y = batch
    model = mlp(64, [16, 16, 16], 10, activation=activation, kernel_initializer="glorot_normal", seed=3)
    tape_norms = layer_gradient_norms(model, X, y)
    params = [(W, b) for W, b in dense_parameters(model)]
    numpy_norms = mlp_kernel_gradient_norms(params, X.astype(np.float64), y, activation)
    assert tape_norms.shape == (4,)
    np.testing.assert_allclose(tape_norms, numpy_norms, rtol=1e-4)


def test_training_run_records_norms_before_each_step_and_is_deterministic(batch):
    X, y = batch
    runs, finals = [], []
    for _ in range(2):
        model = mlp(64, [8, 8], 10, activation="relu", seed=5)
        before = dense_parameters(model)
        runs.append(gradient_norms_during_training(model, X, y, steps=3, learning_rate=0.1, batch_size=16, seed=7))
        finals.append(dense_parameters(model))
    run = runs[0]
    assert run.norms.shape == (4, 3) and run.losses.shape == (4,)
    assert np.array_equal(runs[0].norms, runs[1].norms)
    assert (run.learning_rate, run.batch_size, run.seed) == (0.1, 16, 7)
    assert not np.allclose(before[0][0], finals[1][0][0])  # SGD moved the weights
    np.testing.assert_array_equal(finals[0][0][0], finals[1][0][0])
    # row 0 is the gradient of the untouched model on the first seeded batch
    rows = np.random.default_rng(7).choice(X.shape[0], size=16, replace=False)
    fresh = mlp(64, [8, 8], 10, activation="relu", seed=5)
    _, grads = mlp_gradients(dense_parameters(fresh), X[rows].astype(np.float64), y[rows], "relu")
    np.testing.assert_allclose(run.norms[0], [np.linalg.norm(dW) for dW, _ in grads], rtol=1e-4)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"steps": 0}, ValueError, "steps"),
    ({"learning_rate": 0.0}, ValueError, "learning_rate"),
    ({"learning_rate": "fast"}, TypeError, "learning_rate"),
    ({"batch_size": 1000}, ValueError, "batch_size"),
])
def test_training_run_validates(batch, kwargs, error, match):
    X, y = batch
    model = mlp(64, [4], 10, seed=0)
    args = {"steps": 1, "learning_rate": 0.1, "batch_size": 8, **kwargs}
    with pytest.raises(error, match=match):
        gradient_norms_during_training(model, X, y, **args)


def test_zero_shares_against_numpy_activations(batch):
    X, y = batch
    model = mlp(64, [16, 16], 10, activation="relu", seed=4)
    kernel, bias = model.layers[1].get_weights()
    bias[:5] = -1e3  # five units of the second layer can never fire
    model.layers[1].set_weights([kernel, bias])
    shares = zero_shares(model, X, y)
    h, zero_out = X.astype(np.float64), []
    for W, b in dense_parameters(model)[:-1]:
        h = np.maximum(h @ W + b, 0.0)
        zero_out.append(h == 0)
    np.testing.assert_allclose(shares.zero_outputs, [z.mean() for z in zero_out])
    np.testing.assert_allclose(shares.dead_units, [z.all(axis=0).mean() for z in zero_out])
    assert shares.dead_units[1] >= 5 / 16
    # a unit that never fires gets no gradient on its incoming weights
    assert np.all(shares.zero_gradient_units >= shares.dead_units)
    with pytest.raises(ValueError, match="hidden layer"):
        zero_shares(mlp(64, [], 10, seed=0), X, y)


def test_functions_reject_non_models_and_bad_batches(batch):
    X, y = batch
    with pytest.raises(TypeError, match="model"):
        layer_gradient_norms("model", X, y)
    model = mlp(64, [4], 10, seed=0)
    with pytest.raises(ValueError, match="X must"):
        layer_gradient_norms(model, X[0], y)
    with pytest.raises(ValueError, match="y must"):
        layer_gradient_norms(model, X, y.astype(float))


def test_plot_layer_norms_one_log_curve_per_label():
    fig, ax = figure()
    plot_layer_norms(ax, {"relu": [1.0, 2.0, 3.0], "custom": np.array([1e-3, 1e-2, 1e-1])})
    assert ax.get_yscale() == "log" and len(ax.lines) == 2
    assert list(ax.lines[0].get_xdata()) == [1, 2, 3]
    assert ax.lines[0].get_linestyle() == CURVE_STYLES["relu"]["linestyle"]
    with pytest.raises(TypeError, match="norms"):
        plot_layer_norms(ax, {})
    with pytest.raises(ValueError, match="norms\\['x'\\]"):
        plot_layer_norms(ax, {"x": [[1.0]]})


def test_measure_gradient_flow_combines_the_measurements(batch):
    X, y = batch
    settings = dict(activation="tanh", kernel_initializer="glorot_normal", depth=3, width=8, steps=2,
                    learning_rate=0.1, batch_size=16, n_measure=32, seed=11)
    result = measure_gradient_flow(X, y, **settings)
    fresh = mlp(64, [8] * 3, 10, activation="tanh", kernel_initializer="glorot_normal", seed=11)
    np.testing.assert_allclose(result.init_norms, layer_gradient_norms(fresh, X[:32], y[:32]), rtol=1e-6)
    assert result.run.norms.shape == (3, 4) and result.zeros_at_init.zero_outputs.shape == (3,)
    assert (result.activation, result.kernel_initializer) == ("tanh", "glorot_normal")
    # tanh outputs are exactly zero essentially never, so no unit is dead
    assert not np.any(result.zeros_at_init.dead_units) and not np.any(result.zeros_after.dead_units)
    with pytest.raises(ValueError, match="n_measure"):
        measure_gradient_flow(X, y, **{**settings, "n_measure": 10_000})
    with pytest.raises(TypeError, match="activation"):
        measure_gradient_flow(X, y, **{**settings, "activation": None})
    with pytest.raises(TypeError, match="depth"):
        measure_gradient_flow(X, y, **{**settings, "depth": 2.5})
