"""Synthetic data sets: shapes, labels, reproducibility, and that a line cannot separate them."""
import numpy as np
import pytest

from relu_course.datasets import DIGITS_SIZE, digits, two_spirals, xor_blobs


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


def test_digits_standardised_like_standard_scaler_and_reproducible():
    from sklearn.datasets import load_digits
    from sklearn.preprocessing import StandardScaler

    reference = load_digits()
    X, y = digits()
    assert X.shape == (DIGITS_SIZE, 64) and np.array_equal(y, reference.target)
    np.testing.assert_allclose(X, StandardScaler().fit_transform(reference.data), atol=1e-12)
    raw, _ = digits(standardise=False)
    assert np.array_equal(raw, reference.data)
    sub, sub_y = digits(300, seed=2)
    assert sub.shape == (300, 64) and np.array_equal(sub, digits(300, seed=2)[0])
    assert not np.array_equal(sub, digits(300, seed=3)[0])
    sub[0, 0] = 99.0  # callers get copies: the cached data set is not changed
    assert digits(300, seed=2)[0][0, 0] != 99.0


@pytest.mark.parametrize("kwargs, error, word", [
    ({"n": DIGITS_SIZE + 1}, ValueError, "n must be at most"), ({"n": "10"}, TypeError, "n must"),
    ({"n": 0}, ValueError, "n must"), ({"seed": -1}, ValueError, "seed"), ({"standardise": 1}, TypeError, "standardise")])
def test_digits_rejects_bad_arguments(kwargs, error, word):
    with pytest.raises(error, match=word):
        digits(**kwargs)
