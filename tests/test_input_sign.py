"""Chapter 9's experiment on the sign of the inputs: the three versions of the digits, the negation
symmetry it rests on, and the training loop (tiny settings, so it runs in well under a second)."""
import math

import numpy as np
import pytest

from relu_course import input_sign as sign
from relu_course.backprop import random_mlp_parameters
from relu_course.datasets import digits
from relu_course.mini_experiment import Runs, split_digits


@pytest.fixture(scope="module")
def versions():
    return sign.digits_versions(0.25, seed=3)


def test_versions_share_images_and_labels_and_differ_only_in_values(versions):
    assert list(versions) == list(sign.INPUT_VERSIONS)
    raw, neg, std = (versions[k] for k in sign.INPUT_VERSIONS)
    for other in (neg, std):
        np.testing.assert_array_equal(other.y_train, raw.y_train)
        np.testing.assert_array_equal(other.y_test, raw.y_test)
    assert raw.X_train.min() >= 0 and raw.X_train.max() <= 16 and raw.X_train.max() > 0
    np.testing.assert_array_equal(neg.X_train, -raw.X_train)
    np.testing.assert_array_equal(neg.X_test, -raw.X_test)
    assert neg.X_train.max() <= 0
    # the same split as split_digits: standardising the raw training images reproduces it
    mean, std_dev = raw.X_train.mean(axis=0), raw.X_train.std(axis=0)
    np.testing.assert_allclose((raw.X_train - mean) / np.where(std_dev > 0, std_dev, 1.0), std.X_train)
    np.testing.assert_allclose((raw.X_test - mean) / np.where(std_dev > 0, std_dev, 1.0), std.X_test)
    np.testing.assert_array_equal(std.X_train, split_digits(0.25, seed=3).X_train)
    assert raw.X_train.shape[0] + raw.X_test.shape[0] == digits(standardise=False)[0].shape[0]


def test_negating_inputs_is_negating_the_first_kernel_exactly():
    X, y = digits(40, standardise=False, seed=1)
    params = random_mlp_parameters([64, 16, 12, 10], init="he", seed=5)
    params[0] = (params[0][0], np.linspace(-0.5, 0.5, 16))   # non-zero biases: the symmetry still holds
    assert sign.negation_symmetry_gap(params, X, y) == 0.0


def test_the_symmetry_is_not_trivial_negated_inputs_change_the_network():
    from relu_course.mini_experiment import mlp_loss_and_gradients

    X, y = digits(40, standardise=False, seed=1)
    params = random_mlp_parameters([64, 16, 10], init="he", seed=5)
    same_kernel = mlp_loss_and_gradients(params, -X, y, "relu")[0]
    original = mlp_loss_and_gradients(params, X, y, "relu")[0]
    assert abs(same_kernel - original) > 1e-3   # only the flipped kernel makes them agree


def test_training_every_version_with_the_same_seeds(versions):
    runs = sign.train_versions(versions, seeds=[0, 1], hidden=[8], epochs=1, batch_size=64,
                               optimizer="adam", learning_rate=1e-3)
    assert list(runs) == list(versions)
    for r in runs.values():
        assert isinstance(r, Runs) and r.activation == "relu" and r.seeds == (0, 1)
        assert r.test_accuracy.shape == (2, 2)
    summary = sign.accuracy_summary(runs)
    for name, r in runs.items():
        acc = r.final_test_accuracy
        assert summary[name]["mean"] == pytest.approx(acc.mean())
        assert summary[name]["std"] == pytest.approx(np.std(acc, ddof=1))
        assert summary[name]["min"] <= summary[name]["mean"] <= summary[name]["max"]


def test_one_seed_has_no_spread(versions):
    runs = sign.train_versions({"as they are": versions["as they are"]}, seeds=[4], hidden=[4], epochs=1,
                               batch_size=128, optimizer="sgd", learning_rate=0.01)
    assert math.isnan(sign.accuracy_summary(runs)["as they are"]["std"])


@pytest.mark.parametrize("call, error", [
    (lambda v: sign.train_versions({}, seeds=[0], hidden=[4], epochs=1, batch_size=8, optimizer="adam",
                                   learning_rate=0.1), TypeError),
    (lambda v: sign.accuracy_summary({"a": 1}), TypeError),
    (lambda v: sign.digits_versions(2.0), ValueError),
])
def test_bad_arguments(versions, call, error):
    with pytest.raises(error):
        call(versions)


def test_compare_signs_by_hand():
    summary = {"as they are": {"mean": 0.90, "std": 0.03}, "negated": {"mean": 0.92, "std": 0.04},
               "standardised": {"mean": 0.95, "std": 0.01}}
    c = sign.compare_signs(summary, 4)
    assert c.difference == pytest.approx(-0.02)
    assert c.standard_error == pytest.approx(0.05 / 2)          # sqrt(0.03^2 + 0.04^2) / sqrt(4)
    assert c.within_noise                                      # 0.02 < 2 * 0.025
    assert c.standardised_gain == pytest.approx(0.03) and c.standardised_better
    assert c.standardised_steadier
    summary["negated"]["mean"] = 0.99
    summary["negated"]["std"] = 0.0
    c = sign.compare_signs(summary, 4)
    assert not c.within_noise and not c.standardised_better and not c.standardised_steadier
    with pytest.raises(ValueError, match="missing"):
        sign.compare_signs({"negated": summary["negated"]}, 4)
    with pytest.raises(ValueError):
        sign.compare_signs(summary, 0)
