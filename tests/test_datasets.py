"""Synthetic data sets: shapes, labels, reproducibility, and that a line cannot separate them."""
import numpy as np
import pytest

from relu_course.datasets import two_spirals, xor_blobs


@pytest.mark.parametrize("make, n", [(two_spirals, 2 * 50), (xor_blobs, 4 * 50)])
def test_shapes_balance_and_reproducibility(make, n):
    X, y = make(50, seed=1)
    assert X.shape == (n, 2) and y.shape == (n,) and set(np.unique(y)) == {0, 1}
    assert np.sum(y == 0) == np.sum(y == 1)
    X2, y2 = make(50, seed=1)
    X3, _ = make(50, seed=2)
    assert np.array_equal(X, X2) and np.array_equal(y, y2) and not np.array_equal(X, X3)


@pytest.mark.parametrize("make", [two_spirals, xor_blobs])
def test_no_straight_line_separates_the_classes(make):
    """Least-squares linear classifier: far from perfect on these data (XOR and spirals are not linear)."""
    X, y = make(200, seed=0)
    A = np.column_stack([X, np.ones(len(X))])
    w, *_ = np.linalg.lstsq(A, 2.0 * y - 1.0, rcond=None)
    accuracy = np.mean((A @ w > 0) == (y == 1))
    assert accuracy < 0.75


@pytest.mark.parametrize("kwargs, error, word", [
    ({"n_per_class": 0}, ValueError, "n_per_class"), ({"n_per_class": "10"}, TypeError, "n_per_class"),
    ({"noise": -0.1}, ValueError, "noise"), ({"turns": float("nan")}, ValueError, "turns"),
    ({"seed": -3}, ValueError, "seed")])
def test_two_spirals_rejects_bad_arguments(kwargs, error, word):
    with pytest.raises(error, match=word):
        two_spirals(**kwargs)


@pytest.mark.parametrize("kwargs, error, word", [
    ({"n_per_cluster": -1}, ValueError, "n_per_cluster"), ({"spread": "wide"}, TypeError, "spread"),
    ({"seed": 2.5}, ValueError, "seed")])
def test_xor_blobs_rejects_bad_arguments(kwargs, error, word):
    with pytest.raises(error, match=word):
        xor_blobs(**kwargs)
