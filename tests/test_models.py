"""Keras helpers: architecture as asked, deterministic training, validation before training."""
import numpy as np
import pytest

pytest.importorskip("tensorflow")

from relu_course.datasets import xor_blobs  # noqa: E402
from relu_course.models import dense_parameters, mlp, train_classifier  # noqa: E402


def test_mlp_architecture_and_parameters():
    model = mlp(2, [8, 4], 3, activation="tanh", use_bias=False, seed=0)
    assert [layer.name for layer in model.layers] == ["hidden_1", "hidden_2", "output"]
    params = dense_parameters(model)
    assert [k.shape for k, _ in params] == [(2, 8), (8, 4), (4, 3)]
    assert all(b is None for _, b in params)
    assert model.layers[0].activation.__name__ == "tanh"


def test_same_seed_same_weights_and_same_training():
    X, y = xor_blobs(20, seed=0)
    runs = []
    for _ in range(2):
        model = mlp(2, [8], 2, seed=3)
        run = train_classifier(model, X, y, epochs=3, learning_rate=0.01, seed=3)
        runs.append((dense_parameters(model)[0][0], run.loss))
    assert np.array_equal(runs[0][0], runs[1][0]) and np.array_equal(runs[0][1], runs[1][1])
    other = dense_parameters(mlp(2, [8], 2, seed=4))[0][0]
    assert not np.array_equal(dense_parameters(mlp(2, [8], 2, seed=3))[0][0], other)


def test_training_learns_xor():
    X, y = xor_blobs(50, spread=0.2, seed=0)
    run = train_classifier(mlp(2, [16, 16], 2, seed=0), X, y, epochs=40, learning_rate=0.01, seed=0)
    assert run.loss[-1] < run.loss[0] and run.accuracy[-1] > 0.9
    assert (run.optimizer, run.epochs, run.batch_size) == ("adam", 40, 32)


@pytest.mark.parametrize("kwargs, error, word", [
    ({"epochs": 0}, ValueError, "epochs"), ({"learning_rate": -1.0}, ValueError, "learning_rate"),
    ({"learning_rate": 0.0}, ValueError, "learning_rate"), ({"optimizer": "rmsprop"}, ValueError, "optimizer"),
    ({"batch_size": 2.5}, TypeError, "batch_size")])
def test_train_rejects_bad_settings(kwargs, error, word):
    X, y = xor_blobs(5, seed=0)
    settings = {"epochs": 1, "learning_rate": 0.01} | kwargs
    with pytest.raises(error, match=word):
        train_classifier(mlp(2, [4], 2), X, y, **settings)


def test_train_rejects_mismatched_data():
    X, y = xor_blobs(5, seed=0)
    with pytest.raises(ValueError, match="y must be"):
        train_classifier(mlp(2, [4], 2), X, y[:-1], epochs=1, learning_rate=0.01)
    with pytest.raises(ValueError, match="X must be"):
        train_classifier(mlp(2, [4], 2), X[:, 0], y, epochs=1, learning_rate=0.01)


@pytest.mark.parametrize("kwargs, error, word", [
    ({"hidden": "8"}, TypeError, "hidden"), ({"hidden": [8, 0]}, ValueError, "hidden"),
    ({"input_dim": 0}, ValueError, "input_dim"), ({"use_bias": "yes"}, TypeError, "use_bias")])
def test_mlp_rejects_bad_architecture(kwargs, error, word):
    args = {"input_dim": 2, "hidden": [4], "output_dim": 2} | kwargs
    with pytest.raises(error, match=word):
        mlp(**args)
