"""The NumPy MLP of chapter 13: gradients against finite differences, batch normalisation by its
definition, stacked networks that never interact, and the trainer's record."""
import math

import numpy as np
import pytest

from relu_course import mistakes_mlp as mm
from relu_course.activation_registry import get_activation
from relu_course.gradcheck import numerical_gradient, relative_error

RNG = np.random.default_rng(7)
X_SMALL = RNG.standard_normal((7, 3))
Y_REG = RNG.standard_normal((7, 2))
Y_CLS = np.array([0, 1, 1, 0, 1, 0, 0])


def _loss_of(net, X, y, loss):
    def f(flat):
        other = net.copy()
        other.flat[:] = flat
        return float(mm.loss_and_gradients(other, X, y, loss)[0].sum())
    return f


@pytest.mark.parametrize("batchnorm", [False, True])
@pytest.mark.parametrize("activation, output_activation", [("relu", None), ("tanh", "relu"), ("silu", None)])
@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
def test_gradients_match_central_differences(batchnorm, activation, output_activation, loss):
    net = mm.make_mlp([3, 5, 4, 2], activation=activation, output_activation=output_activation,
                      batchnorm=batchnorm, seeds=[3, 4])
    net.flat[:] += np.random.default_rng(0).normal(0.0, 0.1, net.flat.size)  # gamma, beta, b away from 1, 0
    y = Y_REG if loss == "mse" else Y_CLS
    _, analytic = mm.loss_and_gradients(net, X_SMALL, y, loss)
    numeric = numerical_gradient(_loss_of(net, X_SMALL, y, loss), net.flat.copy())
    assert relative_error(analytic, numeric) < 1e-7


def test_lean_relu_path_agrees_with_the_registry():
    relu = get_activation("relu")
    a = np.concatenate([RNG.standard_normal(200), [0.0, -0.0, 1e-300, -1e-300, 5.0]])
    np.testing.assert_array_equal(mm._relu_fast(a), relu(a))
    np.testing.assert_array_equal(mm._relu_grad_fast(a), relu.grad(a))


def test_stacked_networks_do_not_interact():
    X, y = RNG.standard_normal((40, 3)), RNG.standard_normal(40)
    kwargs = dict(learning_rate=0.01, epochs=3, batch_size=8)
    both = mm.train(mm.make_mlp([3, 6, 1], seeds=[11, 12]), X, y, **kwargs)
    alone = mm.train(mm.make_mlp([3, 6, 1], seeds=[12]), X, y, **kwargs)
    np.testing.assert_allclose(both.loss[1], alone.loss[0], rtol=1e-12)
    for layer_both, layer_alone in zip(both.net.params, alone.net.params):
        for name in layer_both:
            np.testing.assert_allclose(layer_both[name][1], layer_alone[name][0], rtol=1e-12, atol=1e-15)


def test_initialisations_follow_their_definitions():
    he = mm.make_mlp([400, 300, 2], init="he", seeds=[0])
    assert he.params[0]["W"].std() == pytest.approx(math.sqrt(2 / 400), rel=0.02)
    glorot = mm.make_mlp([400, 300, 2], init="glorot", scale=2.0, seeds=[0])
    assert glorot.params[0]["W"].std() == pytest.approx(2 * math.sqrt(2 / 700), rel=0.02)
    zeros = mm.make_mlp([4, 3, 2], init="zeros", seeds=[0])
    assert not zeros.flat.any()
    constant = mm.make_mlp([4, 3, 2], init="constant", output_init="he", seeds=[0])
    assert np.all(constant.params[0]["W"] == math.sqrt(2 / 4))
    assert np.unique(constant.params[1]["W"]).size == 6     # the random output layer
    bn = mm.make_mlp([4, 3, 3, 2], batchnorm=True, seeds=[0, 1])
    assert set(bn.params[0]) == {"W", "gamma", "beta"} and set(bn.params[-1]) == {"W", "b"}
    assert np.all(bn.params[1]["gamma"] == 1) and not bn.params[1]["beta"].any()


def test_seeds_fix_the_weights():
    a, b = mm.make_mlp([4, 5, 2], seeds=[3, 9]), mm.make_mlp([4, 5, 2], seeds=[9])
    np.testing.assert_array_equal(a.params[0]["W"][1], b.params[0]["W"][0])
    assert not np.array_equal(a.params[0]["W"][0], a.params[0]["W"][1])
    assert a.seeds == (3, 9) and a.n_networks == 2 and a.n_layers == 2


def test_batch_normalisation_by_its_definition():
    net = mm.make_mlp([3, 4, 1], batchnorm=True, seeds=[0])
    net.params[0]["gamma"][:] = [1.0, 2.0, 0.5, 3.0]
    net.params[0]["beta"][:] = [0.0, -1.0, 1.0, 0.5]
    X = RNG.standard_normal((50, 3))
    z = X @ net.params[0]["W"][0]
    expected = np.maximum((z - z.mean(0)) / np.sqrt(z.var(0) + mm.BN_EPSILON) * net.params[0]["gamma"][0]
                          + net.params[0]["beta"][0], 0.0)
    np.testing.assert_allclose(mm.hidden_outputs(net, X)[0][0], expected, rtol=1e-12)
    # with the statistics of X itself as the reference, predicting X is the same as batch mode
    np.testing.assert_allclose(mm.predict(net, X, reference=X), mm.predict(net, X), rtol=1e-12)
    # one example with the reference's statistics works (its own variance would be 0)
    np.testing.assert_allclose(mm.predict(net, X[:1], reference=X)[0, 0], mm.predict(net, X, reference=X)[0, 0])


def test_cross_entropy_of_an_all_zero_network_is_ln_k():
    net = mm.make_mlp([5, 4, 10], init="zeros", seeds=[0, 1])
    loss, grads = mm.loss_and_gradients(net, RNG.standard_normal((20, 5)), np.arange(20) % 10, "cross_entropy")
    np.testing.assert_allclose(loss, math.log(10), rtol=1e-15)
    kernels = mm.kernel_gradients(net, RNG.standard_normal((20, 5)), np.arange(20) % 10, "cross_entropy")
    assert all(not dW.any() for dW in kernels)     # ReLU(0) = 0 with slope 0: no kernel learns


def test_kernel_gradients_and_norms_agree_with_the_flat_gradient():
    net = mm.make_mlp([3, 5, 2], seeds=[0, 1])
    _, flat = mm.loss_and_gradients(net, X_SMALL, Y_REG)
    kernels = mm.kernel_gradients(net, X_SMALL, Y_REG)
    first = flat[:kernels[0].size].reshape(kernels[0].shape)
    np.testing.assert_array_equal(first, kernels[0])
    norms = mm.layer_gradient_norms(net, X_SMALL, Y_REG)
    assert norms.shape == (2, 2)
    np.testing.assert_allclose(norms[1, 1], np.linalg.norm(kernels[1][1]))


def test_input_derivative_matches_finite_differences():
    net = mm.make_mlp([1, 8, 8, 1], activation="tanh", seeds=[0, 5])
    x = np.linspace(-2, 2, 9)
    h = 1e-6
    numeric = (mm.predict(net, (x + h)[:, None]) - mm.predict(net, (x - h)[:, None]))[..., 0] / (2 * h)
    np.testing.assert_allclose(mm.input_derivative(net, x), numeric, rtol=1e-6, atol=1e-8)
    with pytest.raises(ValueError, match="one input"):
        mm.input_derivative(mm.make_mlp([2, 3, 1]), x)


def test_a_full_batch_epoch_records_the_loss_before_its_step():
    X, y = RNG.standard_normal((30, 3)), RNG.standard_normal(30)
    net = mm.make_mlp([3, 4, 1], seeds=[0])
    run = mm.train(net, X, y, optimizer="sgd", learning_rate=0.05, epochs=2, batch_size=30)
    loss0, grads = mm.loss_and_gradients(net, X, y)
    assert run.loss[0, 0] == pytest.approx(loss0[0]) and run.loss[0, 1] == pytest.approx(loss0[0])
    stepped = net.copy()
    stepped.flat[:] -= 0.05 * grads          # plain SGD, by hand
    assert run.loss[0, 2] == pytest.approx(mm.loss_and_gradients(stepped, X, y)[0][0])
    assert run.loss[0, 2] < run.loss[0, 0]
    assert not np.array_equal(run.net.flat, net.flat)     # the input network is left unchanged
    np.testing.assert_array_equal(net.flat, mm.make_mlp([3, 4, 1], seeds=[0]).flat)


def test_training_is_deterministic_and_reports_divergence_as_nan():
    X, y = RNG.standard_normal((30, 3)), RNG.standard_normal(30)
    a = mm.train(mm.make_mlp([3, 4, 1], seeds=[1]), X, y, learning_rate=0.01, epochs=2, batch_size=10)
    b = mm.train(mm.make_mlp([3, 4, 1], seeds=[1]), X, y, learning_rate=0.01, epochs=2, batch_size=10)
    np.testing.assert_array_equal(a.loss, b.loss)
    wild = mm.train(mm.make_mlp([3, 4, 1], seeds=[1]), X, 1e200 * y, optimizer="sgd", learning_rate=50.0,
                    epochs=3, batch_size=10)
    assert np.isnan(wild.loss[0, -1])


def test_accuracy_is_the_share_of_correct_argmax():
    net = mm.make_mlp([3, 4, 3], seeds=[0, 1])
    X, y = RNG.standard_normal((25, 3)), RNG.integers(0, 3, 25)
    out = mm.predict(net, X)
    expected = [np.mean([np.argmax(out[k, i]) == y[i] for i in range(25)]) for k in range(2)]
    np.testing.assert_allclose(mm.accuracy(net, X, y), expected)


@pytest.mark.parametrize("call, error, match", [
    (lambda: mm.make_mlp([3]), ValueError, "sizes"),
    (lambda: mm.make_mlp("34"), TypeError, "sizes"),
    (lambda: mm.make_mlp([3, 2], init="lecun"), ValueError, "init"),
    (lambda: mm.make_mlp([3, 2], batchnorm=1), TypeError, "batchnorm"),
    (lambda: mm.make_mlp([3, 2], seeds=[]), ValueError, "seeds"),
    (lambda: mm.make_mlp([3, 2], seeds=[-1]), ValueError, "seed"),
    (lambda: mm.make_mlp([3, 2], activation=3), TypeError, "activation"),
    (lambda: mm.make_mlp([3, 2], activation="nope"), ValueError, "nope"),
    (lambda: mm.loss_and_gradients(mm.make_mlp([3, 2]), X_SMALL, Y_REG, "hinge"), ValueError, "loss"),
    (lambda: mm.loss_and_gradients(mm.make_mlp([4, 2]), X_SMALL, Y_REG), ValueError, "X must"),
    (lambda: mm.loss_and_gradients(mm.make_mlp([3, 2]), X_SMALL, Y_REG[:3]), ValueError, "y must"),
    (lambda: mm.loss_and_gradients(mm.make_mlp([3, 2]), X_SMALL, Y_CLS + 5, "cross_entropy"), ValueError, "class"),
    (lambda: mm.train(mm.make_mlp([3, 2]), X_SMALL, Y_REG, learning_rate=0.1, epochs=1, batch_size=8),
     ValueError, "batch_size"),
    (lambda: mm.train(mm.make_mlp([3, 2]), X_SMALL, Y_REG, optimizer="rmsprop", learning_rate=0.1, epochs=1,
                      batch_size=2), ValueError, "optimizer"),
    (lambda: mm.predict("net", X_SMALL), TypeError, "MLP"),
])
def test_arguments_are_validated(call, error, match):
    with pytest.raises(error, match=match):
        call()
