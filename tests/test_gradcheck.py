"""The gradient checker: finite differences, relative error, and the TensorFlow / PyTorch references."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

from relu_course import gradcheck
from relu_course.activations import relu
from relu_course.backprop import dense_relu_loss_and_gradients
from relu_course.gradcheck import (
    check_gradient,
    distance_to_kink,
    numerical_gradient,
    relative_error,
    tensorflow_dense_relu_gradients,
    tensorflow_gradients_at_zero,
    torch_gradients_at_zero,
)

small = st.floats(min_value=-3, max_value=3, allow_nan=False)


@settings(max_examples=30, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 3), st.integers(1, 3)), elements=small))
def test_numerical_gradient_of_smooth_functions(x):
    np.testing.assert_allclose(numerical_gradient(lambda v: float(np.sum(v**2)), x), 2 * x, atol=1e-6)
    np.testing.assert_allclose(numerical_gradient(lambda v: float(np.sum(np.sin(v))), x), np.cos(x), atol=1e-6)


def test_numerical_gradient_leaves_x_alone_and_keeps_shape():
    x = np.array([[1.0, -2.0, 0.5]])
    before = x.copy()
    g = numerical_gradient(lambda v: float(v[0, 0] * v[0, 1]), x)
    assert np.array_equal(x, before) and g.shape == x.shape
    np.testing.assert_allclose(g, [[-2.0, 1.0, 0.0]], atol=1e-8)


def test_central_difference_at_the_kink_is_the_average_slope():
    # (relu(h) - relu(-h)) / (2h) = h / (2h): the mean of the one-sided slopes 0 and 1
    assert numerical_gradient(lambda v: float(relu(v).sum()), np.array([0.0]))[0] == pytest.approx(0.5)


@pytest.mark.parametrize("args, error, match", [
    ((3, [1.0]), TypeError, "f must be"),
    ((np.sum, "x"), TypeError, "x must"),
    ((np.sum, [1.0], 0.0), ValueError, "eps"),
])
def test_numerical_gradient_validates(args, error, match):
    with pytest.raises(error, match=match):
        numerical_gradient(*args)


@given(arrays(np.float64, st.integers(1, 20), elements=small))
def test_relative_error_properties(a):
    assert relative_error(a, a) == 0.0
    b = a + 1.0
    assert relative_error(a, b) == pytest.approx(relative_error(b, a))
    assert 0.0 <= relative_error(a, b) <= 1.0
    if np.any(a):
        assert relative_error(a, -a) == pytest.approx(1.0)


def test_relative_error_of_zeros_and_shapes():
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error([3.0, 0.0], [0.0, 4.0]) == pytest.approx(5.0 / 7.0)
    with pytest.raises(ValueError, match="same shape"):
        relative_error(np.zeros(3), np.zeros(2))


def test_check_gradient_accepts_right_and_rejects_wrong_gradients():
    x = np.array([0.3, -1.2, 2.0])
    right = check_gradient(lambda v: float(np.sum(v**3)), x, 3 * x**2)
    wrong = check_gradient(lambda v: float(np.sum(v**3)), x, 2 * x)
    assert right.relative_error < 1e-8 and right.max_abs_difference < 1e-6
    assert wrong.relative_error > 0.1
    with pytest.raises(ValueError, match="analytic"):
        check_gradient(np.sum, x, np.zeros(2))


def test_distance_to_kink():
    assert distance_to_kink(np.array([[0.5, -0.1], [2.0, 3.0]])) == pytest.approx(0.1)
    with pytest.raises(ValueError, match="z must not be empty"):
        distance_to_kink(np.array([]))


def test_tensorflow_agrees_with_the_hand_written_layer():
    rng = np.random.default_rng(0)
    x, W, b, t = rng.normal(size=(5, 4)), rng.normal(size=(4, 3)), rng.normal(size=3), rng.normal(size=(5, 3))
    loss, grads = dense_relu_loss_and_gradients(x, W, b, t)
    tf_loss, tf_grads = tensorflow_dense_relu_gradients(x, W, b, t)
    assert tf_loss == pytest.approx(loss, rel=1e-12)
    for name in ("x", "W", "b"):
        np.testing.assert_allclose(tf_grads[name], grads[name], rtol=1e-10, atol=1e-12)
    with pytest.raises(ValueError, match="target"):
        tensorflow_dense_relu_gradients(x, W, b, t[:, :2])


def test_tensorflow_values_at_zero_follow_its_gradient_kernels():
    values = tensorflow_gradients_at_zero()
    # ReluGrad multiplies by (features > 0); Maximum's gradient goes to x where x >= y.
    assert values == {"tf.nn.relu(x)": 0.0, "tf.maximum(x, 0.)": 1.0}


def test_torch_values_at_zero_when_installed(monkeypatch):
    if gradcheck.torch_available():
        values = torch_gradients_at_zero()
        # threshold_backward gives 0 at 0; maximum splits a tie evenly between its arguments.
        assert values == {"torch.relu(x)": 0.0, "torch.maximum(x, 0)": 0.5}
    monkeypatch.setattr(gradcheck, "torch_available", lambda: False)
    assert torch_gradients_at_zero() is None
