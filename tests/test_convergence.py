"""The AlexNet re-run helpers: epochs to a target (against a plain loop), curve validation, ratios,
the ratio figure, and the small CNN (architecture from its definition, deterministic training)."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relu_course import convergence as conv
from relu_course.style import figure
from relu_course.tf_loader import tensorflow_available


def first_epoch_loop(errors, target):
    for epoch, error in enumerate(errors, start=1):
        if error <= target:
            return epoch
    return None


@given(st.lists(st.floats(0, 1), min_size=1, max_size=30), st.floats(0, 1))
def test_epochs_to_target_matches_a_plain_loop(errors, target):
    assert conv.epochs_to_target(errors, target) == first_epoch_loop(errors, target)
    assert conv.epochs_to_target(np.array(errors), target) == first_epoch_loop(errors, target)


def test_epochs_to_target_edge_cases():
    assert conv.epochs_to_target([0.5, 0.25, 0.1], 0.25) == 2       # equal counts as reached
    assert conv.epochs_to_target([0.01, 0.5], 0.05) == 1            # counted from 1
    assert conv.epochs_to_target([0.9, 0.2, 0.4, 0.1], 0.25) == 2   # the first, not the last
    assert conv.epochs_to_target([0.9, 0.8], 0.1) is None
    assert isinstance(conv.epochs_to_target(np.array([0.9, 0.1]), 0.5), int)


@pytest.mark.parametrize("errors, target, error, word", [
    ([[0.1, 0.2]], 0.1, ValueError, "errors"), ("abc", 0.1, TypeError, "errors"),
    ([0.1], 1.5, ValueError, "target"), ([0.1], "0.1", TypeError, "target"), ([0.1], np.nan, ValueError, "target")])
def test_epochs_to_target_rejects_bad_input(errors, target, error, word):
    with pytest.raises(error, match=word):
        conv.epochs_to_target(errors, target)


def synthetic_curves():
    epochs = np.arange(1, 13)
    relu = np.stack([0.8 * np.exp(-rate * epochs) for rate in (0.5, 0.55, 0.6)])
    tanh = np.stack([0.3 * np.exp(-rate * epochs) for rate in (0.25, 0.27, 0.3)])
    return {"relu": relu, "tanh": tanh}


def test_epochs_table_and_ratios_follow_from_the_definition():
    curves = synthetic_curves()
    for target in (0.25, 0.1, 0.05, 0.02):
        table = conv.epochs_table(curves, target)
        for name in curves:
            assert table[name] == [first_epoch_loop(row, target) for row in curves[name]]
        ratios = conv.speedup_ratios(curves, target)
        expected = [np.nan if r is None or t is None else t / r for r, t in zip(table["relu"], table["tanh"])]
        np.testing.assert_array_equal(ratios, expected)
    # tanh starts lower (faster at high targets), ReLU decays faster (faster at low targets)
    assert np.all(conv.speedup_ratios(curves, 0.25) < 1) and np.all(conv.speedup_ratios(curves, 0.02) > 1)


def test_never_reached_gives_nan_ratio():
    curves = {"relu": [[0.5, 0.01]], "tanh": [[0.5, 0.4]]}
    assert conv.epochs_table(curves, 0.1) == {"relu": [2], "tanh": [None]}
    assert np.isnan(conv.speedup_ratios(curves, 0.1)).all()


@pytest.mark.parametrize("curves, error, word", [
    ([[0.1]], TypeError, "curves"), ({}, TypeError, "curves"), ({1: [0.1]}, TypeError, "curves"),
    ({"relu": [1.5]}, ValueError, "relu"), ({"relu": [np.nan]}, ValueError, "relu"),
    ({"relu": [[[0.1]]]}, ValueError, "relu"), ({"relu": []}, ValueError, "relu"),
    ({"relu": [0.1, 0.2], "tanh": [0.1]}, ValueError, "same"), ({"relu": ["a"]}, TypeError, "relu")])
def test_as_curves_rejects_bad_curves(curves, error, word):
    with pytest.raises(error, match=word):
        conv.as_curves(curves)


def test_as_curves_returns_2d_copies():
    original = np.array([0.5, 0.2])
    checked = conv.as_curves({"relu": original})
    assert checked["relu"].shape == (1, 2)
    checked["relu"][0, 0] = 0.0
    assert original[0] == 0.5


def test_speedup_needs_both_activations():
    with pytest.raises(ValueError, match="tanh"):
        conv.speedup_ratios({"relu": [0.5, 0.1]}, 0.2)


def test_speedup_figure_draws_seeds_mean_and_the_paper_point():
    curves = synthetic_curves()
    targets = [0.02, 0.05, 0.1, 0.25]
    fig, ax = figure()
    ratios = conv.draw_speedup_vs_target(ax, curves, targets)
    assert ratios.shape == (len(targets), 3)
    lines = {line.get_label(): line for line in ax.lines}
    np.testing.assert_allclose(lines["mean over seeds"].get_ydata(), ratios.mean(axis=1))
    np.testing.assert_allclose(lines["mean over seeds"].get_xdata(), 100 * np.array(targets))
    star = lines["AlexNet Fig. 1 (CIFAR-10)"]
    assert list(star.get_xdata()) == [100 * conv.PAPER_TARGET] and list(star.get_ydata()) == [conv.PAPER_SPEEDUP]
    for bad in ([], [0.0], [1.5], [[0.1]]):
        with pytest.raises(ValueError, match="targets"):
            conv.draw_speedup_vs_target(ax, curves, bad)


def test_speedup_figure_leaves_incomplete_targets_out_of_the_mean():
    curves = {"relu": [[0.5, 0.01], [0.5, 0.01]], "tanh": [[0.5, 0.02], [0.5, 0.5]]}
    fig, ax = figure()
    ratios = conv.draw_speedup_vs_target(ax, curves, [0.015, 0.05, 0.6])
    mean = next(line for line in ax.lines if line.get_label() == "mean over seeds").get_ydata()
    assert np.isnan(mean[0]) and np.isnan(mean[1]) and mean[2] == 1.0
    assert ratios[1, 0] == 1.0 and np.isnan(ratios[1, 1])


# --------------------------------------------------------------------------- Keras parts
tf_needed = pytest.mark.skipif(not tensorflow_available(), reason="TensorFlow is not installed")


@tf_needed
@pytest.mark.parametrize("activation", conv.ACTIVATIONS)
def test_small_cnn_architecture_from_its_definition(activation):
    filters, dense, side, k = (4, 6), 12, 8, conv.KERNEL_SIZE
    model = conv.small_cnn(activation, side=side, filters=filters, dense=dense, n_classes=10)
    weighted = {layer.name: layer for layer in model.layers if layer.weights}
    assert list(weighted) == ["conv_1", "conv_2", "dense", "output"]
    assert weighted["conv_1"].get_weights()[0].shape == (k, k, 1, filters[0])
    assert weighted["conv_2"].get_weights()[0].shape == (k, k, filters[0], filters[1])
    flat = (side - 2 * (k - 1)) ** 2 * filters[1]
    assert weighted["dense"].get_weights()[0].shape == (flat, dense)
    expected = ((k * k * 1 + 1) * filters[0] + (k * k * filters[0] + 1) * filters[1]
                + (flat + 1) * dense + (dense + 1) * 10)
    assert model.count_params() == expected
    for name in ("conv_1", "conv_2", "dense"):
        assert weighted[name].activation.__name__ == activation
    assert weighted["output"].activation.__name__ == "linear"


@tf_needed
@pytest.mark.parametrize("kwargs, error, word", [
    ({"activation": "sigmoid"}, ValueError, "activation"), ({"side": 4}, ValueError, "side"),
    ({"filters": (8,)}, TypeError, "filters"), ({"filters": (8, 0)}, ValueError, "filters"),
    ({"dense": 0}, ValueError, "dense"), ({"n_classes": 1.5}, TypeError, "n_classes")])
def test_small_cnn_rejects_bad_arguments(kwargs, error, word):
    args = {"activation": "relu"} | kwargs
    with pytest.raises(error, match=word):
        conv.small_cnn(**args)


@tf_needed
def test_training_errors_are_deterministic_and_equal_one_minus_accuracy():
    from relu_course.datasets import digits
    from relu_course.models import train_classifier

    X, y = digits(256, seed=1)
    settings = {"epochs": 3, "learning_rate": 0.2, "batch_size": 128, "seed": 5}
    errors = conv.training_errors("relu", X, y, **settings)
    assert errors.shape == (3,) and np.all((errors >= 0) & (errors <= 1))
    again = conv.training_errors("relu", X, y, **settings)
    np.testing.assert_array_equal(errors, again)
    run = train_classifier(conv.small_cnn("relu", seed=5), X, y, optimizer="sgd", **settings)
    np.testing.assert_allclose(errors, 1 - run.accuracy)
    assert errors[-1] < errors[0]  # it learns


@tf_needed
@pytest.mark.parametrize("X, y, word", [(np.zeros((4, 10)), np.zeros(4, int), "square"),
                                        (np.zeros((4, 64)), np.zeros(3, int), "y must"),
                                        (np.zeros(64), np.zeros(1, int), "X must"),
                                        (np.zeros((4, 64)), -np.ones(4, int), "y must")])
def test_training_errors_rejects_bad_data(X, y, word):
    with pytest.raises(ValueError, match=word):
        conv.training_errors("relu", X, y, epochs=1, learning_rate=0.1, batch_size=4, seed=0)


@pytest.mark.parametrize("kwargs, error, word", [
    ({"seeds": []}, ValueError, "seeds"), ({"seeds": "012"}, TypeError, "seeds"),
    ({"seeds": [-1]}, ValueError, "seeds"), ({"epochs": 0}, ValueError, "epochs"),
    ({"batch_size": 2.0}, TypeError, "batch_size"), ({"learning_rates": {"gelu": 0.1}}, ValueError, "gelu"),
    ({"learning_rates": {"relu": 0.0}}, ValueError, "learning_rates"),
    ({"learning_rates": {}}, TypeError, "learning_rates"),
    ({"learning_rates": {"relu": "fast"}}, TypeError, "learning_rates")])
def test_run_study_validates_before_training(kwargs, error, word):
    settings = {"seeds": [0], "epochs": 1, "batch_size": 4, "learning_rates": {"relu": 0.1}} | kwargs
    with pytest.raises(error, match=word):
        conv.run_study(np.zeros((4, 64)), np.zeros(4, int), **settings)


@tf_needed
def test_run_study_records_settings_and_curves():
    from relu_course.datasets import digits

    X, y = digits(128, seed=2)
    study = conv.run_study(X, y, seeds=[3], epochs=2, batch_size=64, learning_rates={"relu": 0.1, "tanh": 0.05})
    assert study.seeds == (3,) and study.epochs == 2 and study.batch_size == 64
    assert study.learning_rates == {"relu": 0.1, "tanh": 0.05}
    assert {k: v.shape for k, v in study.curves.items()} == {"relu": (1, 2), "tanh": (1, 2)}
    np.testing.assert_array_equal(study.curves["tanh"][0], conv.training_errors(
        "tanh", X, y, epochs=2, learning_rate=0.05, batch_size=64, seed=3))
