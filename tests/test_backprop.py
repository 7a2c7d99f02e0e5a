"""Hand-written backpropagation: the dense + ReLU layer, the loss and the deep MLP, checked against
definitions written with explicit loops and against central finite differences."""
import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st

from relu_course.backprop import (
    ACTIVATIONS,
    INITS,
    DenseReluCache,
    dense_relu_backward,
    dense_relu_forward,
    dense_relu_loss_and_gradients,
    mlp_gradients,
    mlp_kernel_gradient_norms,
    random_mlp_parameters,
    squared_error_loss,
)


def numeric_grad(f, x, eps=1e-6):
    """An independent central-difference gradient (not the package's gradcheck)."""
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[idx] += eps
        down[idx] -= eps
        g[idx] = (f(up) - f(down)) / (2 * eps)
    return g


def layer(seed, n=4, d=3, k=5):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)), rng.normal(size=(d, k)), rng.normal(size=k), rng.normal(size=(n, k))


def test_forward_matches_the_definition_with_loops():
    x, W, b, _ = layer(0)
    out, cache = dense_relu_forward(x, W, b)
    for i in range(x.shape[0]):
        for j in range(W.shape[1]):
            z = sum(x[i, m] * W[m, j] for m in range(x.shape[1])) + b[j]
            assert cache.z[i, j] == pytest.approx(z)
            assert out[i, j] == pytest.approx(max(z, 0.0))


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 5), st.integers(1, 4), st.integers(1, 4))
def test_backward_matches_finite_differences(seed, n, d, k):
    x, W, b, target = layer(seed, n, d, k)
    _, cache = dense_relu_forward(x, W, b)
    assume(np.min(np.abs(cache.z)) > 1e-4)  # finite differences are only valid away from the kink
    _, grads = dense_relu_loss_and_gradients(x, W, b, target)
    args = {"x": x, "W": W, "b": b}
    for name, value in args.items():
        def loss_of(v, name=name):
            return dense_relu_loss_and_gradients(**{**args, name: v}, target=target)[0]
        np.testing.assert_allclose(grads[name], numeric_grad(loss_of, value), atol=1e-7)


def test_backward_of_the_chain_rule_by_hand():
    x = np.array([[1.0, 2.0]])
    W = np.array([[1.0, -1.0], [1.0, 1.0]])
    b = np.array([0.0, -1.0])           # z = [3, 0]: unit 2 sits exactly on the kink
    out, cache = dense_relu_forward(x, W, b)
    assert out.tolist() == [[3.0, 0.0]]
    dx, dW, db = dense_relu_backward(np.array([[2.0, 5.0]]), cache)
    # unit 1 passes its gradient 2; unit 2 (z = 0) passes nothing, the course's convention
    assert db.tolist() == [2.0, 0.0]
    assert dW.tolist() == [[2.0, 0.0], [4.0, 0.0]]
    assert dx.tolist() == [[2.0, 2.0]]


def test_squared_error_loss_value_and_gradient():
    pred = np.array([[1.0, 2.0], [0.0, -1.0]])
    target = np.array([[0.0, 2.0], [1.0, 1.0]])
    loss, grad = squared_error_loss(pred, target)
    assert loss == pytest.approx((1 + 0 + 1 + 4) / (2 * 2))
    np.testing.assert_allclose(grad, numeric_grad(lambda p: squared_error_loss(p, target)[0], pred), atol=1e-8)


@pytest.mark.parametrize("args, match", [
    (([1.0, 2.0], np.ones((2, 2)), np.zeros(2)), "x must be a 2-D"),
    ((np.ones((3, 2)), np.ones((3, 2)), np.zeros(2)), "W expects"),
    ((np.ones((3, 2)), np.ones((2, 4)), np.zeros(3)), "b must have"),
    ((np.ones((3, 2)), "W", np.zeros(2)), "W must be"),
])
def test_forward_rejects_bad_shapes_naming_the_argument(args, match):
    with pytest.raises((TypeError, ValueError), match=match):
        dense_relu_forward(*args)


def test_backward_rejects_bad_cache_and_shape():
    _, cache = dense_relu_forward(np.ones((2, 3)), np.ones((3, 4)), np.zeros(4))
    with pytest.raises(TypeError, match="cache"):
        dense_relu_backward(np.ones((2, 4)), {"z": 1})
    with pytest.raises(ValueError, match="grad_out"):
        dense_relu_backward(np.ones((2, 3)), cache)
    assert isinstance(cache, DenseReluCache)
    with pytest.raises(ValueError, match="target"):
        squared_error_loss(np.ones((2, 2)), np.ones(2))


def test_random_parameters_shapes_scale_and_reproducibility():
    params = random_mlp_parameters([200, 300, 10], init="he", seed=1)
    assert [W.shape for W, _ in params] == [(200, 300), (300, 10)]
    assert all(np.all(b == 0) for _, b in params)
    assert params[0][0].std() == pytest.approx(np.sqrt(2 / 200), rel=0.02)
    glorot = random_mlp_parameters([200, 300, 10], init="glorot", gain=2.0, seed=1)
    assert glorot[0][0].std() == pytest.approx(2 * np.sqrt(2 / 500), rel=0.02)
    again = random_mlp_parameters([200, 300, 10], init="he", seed=1)
    assert np.array_equal(params[0][0], again[0][0])
    assert set(INITS) == {"glorot", "he"}


@pytest.mark.parametrize("kwargs, error, match", [
    ({"sizes": [3]}, ValueError, "sizes"),
    ({"sizes": "32"}, TypeError, "sizes"),
    ({"sizes": [3, 0]}, ValueError, "sizes"),
    ({"sizes": [3, 2], "init": "lecun"}, ValueError, "init"),
    ({"sizes": [3, 2], "init": 1}, TypeError, "init"),
    ({"sizes": [3, 2], "gain": -1.0}, ValueError, "gain"),
    ({"sizes": [3, 2], "seed": -1}, ValueError, "seed"),
])
def test_random_parameters_validate(kwargs, error, match):
    with pytest.raises(error, match=match):
        random_mlp_parameters(**kwargs)


def softmax_cross_entropy_by_loops(logits, labels):
    total = 0.0
    for row, label in zip(logits, labels):
        total += -row[label] + np.log(sum(np.exp(v) for v in row))
    return total / len(labels)


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_mlp_gradients_match_finite_differences(activation):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(6, 4))
    y = np.array([0, 1, 2, 0, 1, 2])
    params = random_mlp_parameters([4, 5, 5, 3], init="glorot", seed=2)
    params = [(W, rng.normal(scale=0.3, size=b.shape)) for W, b in params]
    loss, grads = mlp_gradients(params, X, y, activation)

    def forward(ps):
        h = X
        for i, (W, b) in enumerate(ps):
            h = h @ W + b
            if i < len(ps) - 1:
                h = {"relu": lambda z: np.maximum(z, 0), "tanh": np.tanh,
                     "sigmoid": lambda z: 1 / (1 + np.exp(-z))}[activation](h)
        return softmax_cross_entropy_by_loops(h, y)

    assert loss == pytest.approx(forward(params))
    for layer_index, (dW, db) in enumerate(grads):
        def with_kernel(W, i=layer_index):
            return forward([(W if j == i else p[0], p[1]) for j, p in enumerate(params)])

        def with_bias(b, i=layer_index):
            return forward([(p[0], b if j == i else p[1]) for j, p in enumerate(params)])

        np.testing.assert_allclose(dW, numeric_grad(with_kernel, params[layer_index][0]), atol=1e-7)
        np.testing.assert_allclose(db, numeric_grad(with_bias, params[layer_index][1]), atol=1e-7)
    norms = mlp_kernel_gradient_norms(params, X, y, activation)
    assert norms == pytest.approx([np.sqrt(np.sum(dW**2)) for dW, _ in grads])


def test_sigmoid_never_overflows_and_saturates_to_zero_slope():
    sigmoid, slope = ACTIVATIONS["sigmoid"]
    z = np.array([-1000.0, 0.0, 1000.0])
    with np.errstate(all="raise"):
        assert sigmoid(z).tolist() == [0.0, 0.5, 1.0]
        assert slope(z).tolist() == [0.0, 0.25, 0.0]


@pytest.mark.parametrize("args, error, match", [
    (([], np.ones((2, 3)), np.array([0, 1])), TypeError, "params"),
    ((None, np.ones((2, 3)), np.array([0, 1])), TypeError, "params"),
    ((random_mlp_parameters([3, 2]), np.ones((2, 3)), np.array([0, 1]), "gelu"), ValueError, "activation"),
    ((random_mlp_parameters([3, 2]), np.ones((2, 3)), np.array([0.0, 1.0])), ValueError, "y must"),
    ((random_mlp_parameters([3, 2]), np.ones((2, 3)), np.array([0, 5])), ValueError, "class indices"),
    ((random_mlp_parameters([3, 2]), np.ones(3), np.array([0])), ValueError, "X must"),
])
def test_mlp_gradients_validate(args, error, match):
    with pytest.raises(error, match=match):
        mlp_gradients(*args)
