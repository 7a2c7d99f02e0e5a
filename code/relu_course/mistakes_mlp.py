"""A small NumPy MLP for the common-mistakes chapter: one trainer for regression and classification.

Each mistake of chapter 13 changes one thing about an otherwise identical network: the output
activation, the learning rate, the depth with or without batch normalisation, the initialisation, or
the hidden activation. This module gives that one network, written out in NumPy so that the chapter
runs in seconds without TensorFlow:

* dense layers ``z = h @ W + b``; any activation of :mod:`relu_course.activation_registry` in the
  hidden layers, and optionally one on the output (the mistake of a ReLU output for regression);
* optional batch normalisation (Ioffe & Szegedy 2015) between every hidden dense layer and its
  activation, with a learned scale ``gamma`` and shift ``beta`` (the dense bias is then left out, as
  the normalisation would cancel it);
* mean squared error, or softmax cross-entropy on integer labels;
* mini-batch training with the optimizers of :mod:`relu_course.mini_experiment` (plain SGD, Adam).

An :class:`MLP` is a *stack* of networks of one architecture, one per seed, trained side by side
(``np.matmul`` multiplies the stacks pairwise): in layers this small, Python's per-operation cost
dominates, so training five seeds together costs little more than one. The networks never interact;
each one's result is the same whichever others train beside it (tested). The backward pass is
checked against finite differences in the tests. Computation is in float64.

Evaluation with batch normalisation uses the statistics of a reference set (the training set),
computed in one pass, rather than running averages: after a few epochs these are the statistics the
trained layers actually produce.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from relu_course._validation import as_real_array, choice, positive_int, real_scalar
from relu_course.activation_registry import Activation, get_activation
from relu_course.seeding import MAX_SEED

#: Initialisations: "he" N(0, 2 / fan_in), "glorot" N(0, 2 / (fan_in + fan_out)) (Keras's Dense default
#: is the uniform form with the same variance), "zeros" every weight 0, "constant" every weight equal
#: to ``scale * sqrt(2 / fan_in)``.
INITS = ("he", "glorot", "zeros", "constant")
LOSSES = ("mse", "cross_entropy")
#: The epsilon added to the batch variance, as in Keras's BatchNormalization.
BN_EPSILON = 1e-3


def _seeds(value: Any) -> tuple[int, ...]:
    items = [value] if isinstance(value, (int, np.integer)) and not isinstance(value, bool) else value
    if isinstance(items, (str, bytes)) or not hasattr(items, "__iter__"):
        raise TypeError(f"seeds must be an integer or a sequence of integers, got {value!r}")
    items = list(items)
    if not items:
        raise ValueError("seeds must not be empty")
    for s in items:
        if isinstance(s, (bool, np.bool_)) or not isinstance(s, (int, np.integer)) or not 0 <= s <= MAX_SEED:
            raise ValueError(f"every seed must be an integer in [0, {MAX_SEED}], got {s!r}")
    return tuple(int(s) for s in items)


def _activation(value: Any, name: str) -> Activation:
    if isinstance(value, Activation):
        return value
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a registry key such as 'relu', got {type(value).__name__}")
    return get_activation(value)


@dataclass
class MLP:
    """A stack of networks with one architecture: one network per seed.

    All parameters live in the one flat array ``flat``; ``params`` holds named views into it, one dict
    per layer with "W" of shape (networks, inputs, units) and either "b" or, for a hidden layer with
    batch normalisation, "gamma" and "beta", of shape (networks, units). An optimizer updates ``flat``
    in place.
    """

    sizes: tuple[int, ...]
    activation: Activation
    output_activation: Activation | None
    batchnorm: bool
    seeds: tuple[int, ...]
    flat: np.ndarray = field(repr=False)
    params: list[dict[str, np.ndarray]] = field(repr=False)

    @property
    def n_layers(self) -> int:
        return len(self.sizes) - 1

    @property
    def n_networks(self) -> int:
        return len(self.seeds)

    def copy(self) -> "MLP":
        """An independent copy (the same values in a new flat array)."""
        net = _allocate(self.sizes, self.activation, self.output_activation, self.batchnorm, self.seeds)
        net.flat[:] = self.flat
        return net


def _allocate(sizes: Sequence[int], activation: Activation, output_activation: Activation | None,
              batchnorm: bool, seeds: tuple[int, ...]) -> MLP:
    k, last = len(seeds), len(sizes) - 2
    layout = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        shapes: dict[str, tuple[int, ...]] = {"W": (k, n_in, n_out)}
        shapes.update({"gamma": (k, n_out), "beta": (k, n_out)} if batchnorm and i < last else {"b": (k, n_out)})
        layout.append(shapes)
    flat = np.zeros(sum(math.prod(s) for shapes in layout for s in shapes.values()))
    params, offset = [], 0
    for shapes in layout:
        views = {}
        for name, shape in shapes.items():
            views[name] = flat[offset:offset + math.prod(shape)].reshape(shape)
            offset += math.prod(shape)
        params.append(views)
    return MLP(tuple(sizes), activation, output_activation, batchnorm, seeds, flat, params)


def make_mlp(sizes: Sequence[int], *, activation: Any = "relu", output_activation: Any = None,
             batchnorm: bool = False, init: str = "he", scale: float = 1.0, output_init: str | None = None,
             seeds: Any = 0) -> MLP:
    """A stack of new networks with layer sizes ``[inputs, hidden..., outputs]``, one per seed.

    Kernels follow ``init`` (see :data:`INITS`) times ``scale``, the output layer's ``output_init``
    when given (e.g. constant hidden layers under a random output layer); biases and ``beta`` start
    at 0, ``gamma`` at 1. ``output_activation`` (a registry key, or None for a linear output) is
    applied to the last layer. Network k's random kernels come from ``default_rng(seeds[k])``, layer
    after layer, so a network is the same whichever others share its stack.
    """
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__iter__"):
        raise TypeError(f"sizes must be a sequence of layer sizes, got {sizes!r}")
    widths = [positive_int(s, "sizes") for s in sizes]
    if len(widths) < 2:
        raise ValueError(f"sizes needs at least an input and an output size, got {widths}")
    if not isinstance(batchnorm, bool):
        raise TypeError(f"batchnorm must be True or False, got {batchnorm!r}")
    init = choice(init, INITS, "init")
    output_init = init if output_init is None else choice(output_init, INITS, "output_init")
    scale = real_scalar(scale, "scale", low=0.0, high=1e6)
    act = _activation(activation, "activation")
    out_act = None if output_activation is None else _activation(output_activation, "output_activation")
    seed_list = _seeds(seeds)
    net = _allocate(widths, act, out_act, batchnorm, seed_list)
    for k, seed in enumerate(seed_list):
        rng = np.random.default_rng(seed)
        for i, layer in enumerate(net.params):
            n_in, n_out = layer["W"].shape[1:]
            he = math.sqrt(2.0 / n_in)
            kind = output_init if i == net.n_layers - 1 else init
            if kind == "he":
                layer["W"][k] = rng.normal(0.0, scale * he, (n_in, n_out))
            elif kind == "glorot":
                layer["W"][k] = rng.normal(0.0, scale * math.sqrt(2.0 / (n_in + n_out)), (n_in, n_out))
            elif kind == "constant":
                layer["W"][k] = scale * he
            if "gamma" in layer:
                layer["gamma"][k] = 1.0
    return net


# ------------------------------------------------------------------ forward and backward
@dataclass(frozen=True)
class _Cache:
    inputs: list[np.ndarray]      # h entering each layer
    normed: list[np.ndarray | None]   # zhat of each normalised layer
    inv_std: list[np.ndarray | None]
    acts_in: list[np.ndarray]     # what each activation received (after normalisation, if any)
    stats: list[tuple[np.ndarray, np.ndarray] | None]   # (mean, var) used by each normalised layer


def _relu_fast(a: np.ndarray) -> np.ndarray:
    return np.maximum(a, 0.0)


def _relu_grad_fast(a: np.ndarray) -> np.ndarray:
    return (a > 0).astype(a.dtype)


def _apply(act: Activation, a: np.ndarray) -> np.ndarray:
    """``act(a)``; for ReLU a lean ``np.maximum`` (the registry's function validates its input on every
    call, which costs more than the arithmetic in these small layers; the tests check they agree)."""
    return _relu_fast(a) if act.key == "relu" else act(a)


def _slope(act: Activation, a: np.ndarray) -> np.ndarray:
    """``act.grad(a)``, with the same lean path for ReLU (slope 0 at exactly 0, as in the registry)."""
    return _relu_grad_fast(a) if act.key == "relu" else act.grad(a)


def _check_net(net: Any) -> MLP:
    if not isinstance(net, MLP):
        raise TypeError(f"net must be an MLP (see make_mlp), got {type(net).__name__}")
    return net


def _inputs(net: MLP, X: Any) -> np.ndarray:
    X = as_real_array(X, "X").astype(np.float64)
    if X.ndim != 2 or X.shape[1] != net.sizes[0]:
        raise ValueError(f"X must be a 2-D array (examples x {net.sizes[0]} features), got shape {X.shape}")
    return X


def _forward(net: MLP, X: np.ndarray, stats: Sequence[Any] | None = None) -> tuple[np.ndarray, _Cache]:
    """Outputs (networks, examples, outputs) for a batch X, (examples, features) shared by all networks or
    (networks, examples, features). Normalised layers use ``stats`` or, when None, the batch's own."""
    cache = _Cache([], [], [], [], [])
    h, last = X, net.n_layers - 1
    for i, layer in enumerate(net.params):
        cache.inputs.append(h)
        z = h @ layer["W"]
        if "gamma" in layer:
            mean, var = (z.mean(axis=-2, keepdims=True), z.var(axis=-2, keepdims=True)) if stats is None else stats[i]
            inv_std = 1.0 / np.sqrt(var + BN_EPSILON)
            zhat = (z - mean) * inv_std
            a = layer["gamma"][:, None, :] * zhat + layer["beta"][:, None, :]
            cache.normed.append(zhat)
            cache.inv_std.append(inv_std)
            cache.stats.append((mean, var))
        else:
            a = z + layer["b"][:, None, :]
            cache.normed.append(None)
            cache.inv_std.append(None)
            cache.stats.append(None)
        cache.acts_in.append(a)
        if i < last:
            h = _apply(net.activation, a)
        else:
            h = a if net.output_activation is None else _apply(net.output_activation, a)
    return h, cache


def _loss(out: np.ndarray, y: np.ndarray, loss: str) -> tuple[np.ndarray, np.ndarray]:
    """Each network's loss, shape (networks,), and the gradient of each network's own loss with
    respect to its output. ``y``: targets (examples, outputs) or labels (examples,), shared by all
    networks, or the same with a leading networks axis."""
    n = out.shape[-2]
    if loss == "mse":
        diff = out - y
        return np.mean(diff ** 2, axis=(-2, -1)), 2.0 * diff / (n * out.shape[-1])
    shifted = out - out.max(axis=-1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    index = np.broadcast_to(y, out.shape[:-1])[..., None]
    picked = np.take_along_axis(log_p, index, axis=-1)[..., 0]
    delta = np.exp(log_p)
    np.put_along_axis(delta, index, np.take_along_axis(delta, index, axis=-1) - 1.0, axis=-1)
    return -picked.mean(axis=-1), delta / n


def _backward(net: MLP, cache: _Cache, delta: np.ndarray, grads: MLP) -> None:
    """Write each network's dL/dparameters into ``grads`` (an MLP of the same layout, used as a buffer)."""
    last = net.n_layers - 1
    for i in range(last, -1, -1):
        layer, g = net.params[i], grads.params[i]
        a = cache.acts_in[i]
        if i < last:
            delta = delta * _slope(net.activation, a)
        elif net.output_activation is not None:
            delta = delta * _slope(net.output_activation, a)
        if "gamma" in layer:
            zhat, inv_std = cache.normed[i], cache.inv_std[i]
            g["gamma"][:] = (delta * zhat).sum(axis=-2)
            g["beta"][:] = delta.sum(axis=-2)
            dzhat = delta * layer["gamma"][:, None, :]
            n = dzhat.shape[-2]
            delta = inv_std / n * (n * dzhat - dzhat.sum(axis=-2, keepdims=True)
                                   - zhat * (dzhat * zhat).sum(axis=-2, keepdims=True))
        else:
            g["b"][:] = delta.sum(axis=-2)
        np.matmul(np.swapaxes(cache.inputs[i], -1, -2), delta, out=g["W"])
        if i:
            delta = delta @ np.swapaxes(layer["W"], -1, -2)


def _targets(net: MLP, y: Any, n: int, loss: str) -> np.ndarray:
    if loss == "cross_entropy":
        labels = np.asarray(y)
        if labels.shape != (n,) or labels.dtype.kind not in "iu":
            raise ValueError(f"y must be a 1-D integer array with one label per row of X, got shape {labels.shape}")
        if labels.size and (labels.min() < 0 or labels.max() >= net.sizes[-1]):
            raise ValueError(f"y must hold class indices in [0, {net.sizes[-1] - 1}]")
        return labels
    target = as_real_array(y, "y").astype(np.float64)
    if target.ndim == 1:
        target = target[:, None]
    if target.shape != (n, net.sizes[-1]):
        raise ValueError(f"y must have shape ({n}, {net.sizes[-1]}) for mean squared error, got {np.shape(y)}")
    return target


def _buffer(net: MLP) -> MLP:
    return _allocate(net.sizes, net.activation, net.output_activation, net.batchnorm, net.seeds)


def loss_and_gradients(net: MLP, X: Any, y: Any, loss: str = "mse") -> tuple[np.ndarray, np.ndarray]:
    """Each network's loss on the batch ``(X, y)`` (batch statistics for normalised layers, as in
    training), shape (networks,), and the gradient of each network's own loss with respect to its
    parameters, as one flat array laid out like ``net.flat``."""
    net = _check_net(net)
    loss = choice(loss, LOSSES, "loss")
    X = _inputs(net, X)
    target = _targets(net, y, X.shape[0], loss)
    grads = _buffer(net)
    out, cache = _forward(net, X)
    value, delta = _loss(out, target, loss)
    _backward(net, cache, delta, grads)
    return value, grads.flat


def kernel_gradients(net: MLP, X: Any, y: Any, loss: str = "mse") -> list[np.ndarray]:
    """dL/dW of every layer's kernel on the batch ``(X, y)``, first layer first, each of shape
    (networks, inputs, units)."""
    _, flat = loss_and_gradients(net, X, y, loss)
    grads = _buffer(net)
    grads.flat[:] = flat
    return [layer["W"] for layer in grads.params]


def layer_gradient_norms(net: MLP, X: Any, y: Any, loss: str = "mse") -> np.ndarray:
    """The Euclidean (Frobenius) norm of dL/dW of every layer's kernel: shape (networks, layers)."""
    return np.stack([np.sqrt(np.sum(dW ** 2, axis=(1, 2))) for dW in kernel_gradients(net, X, y, loss)], axis=1)


def batch_statistics(net: MLP, X: Any) -> list[tuple[np.ndarray, np.ndarray] | None]:
    """(mean, variance) of every normalised layer's dense output over the whole of ``X`` (None for a
    layer without normalisation): the statistics :func:`predict` uses after training."""
    net = _check_net(net)
    with np.errstate(over="ignore", invalid="ignore"):
        return _forward(net, _inputs(net, X))[1].stats


def predict(net: MLP, X: Any, reference: Any = None) -> np.ndarray:
    """Every network's output for ``X``, shape (networks, examples, outputs). Normalised layers use
    the statistics of ``reference`` (e.g. the training set), or of ``X`` itself when it is None."""
    net = _check_net(net)
    X = _inputs(net, X)
    stats = None if reference is None or not net.batchnorm else batch_statistics(net, reference)
    with np.errstate(over="ignore", invalid="ignore"):
        return _forward(net, X, stats)[0]


def hidden_outputs(net: MLP, X: Any, reference: Any = None) -> list[np.ndarray]:
    """The output of every hidden layer (after its activation) for ``X``, first hidden layer first,
    each of shape (networks, examples, units); ``reference`` as in :func:`predict`."""
    net = _check_net(net)
    X = _inputs(net, X)
    stats = None if reference is None or not net.batchnorm else batch_statistics(net, reference)
    with np.errstate(over="ignore", invalid="ignore"):
        _, cache = _forward(net, X, stats)
    return [np.broadcast_to(h, (net.n_networks, *h.shape[-2:])) for h in cache.inputs[1:]]


def input_derivative(net: MLP, x: Any) -> np.ndarray:
    """d(output)/d(input) of networks with one input and one output, at every point of the 1-D array
    ``x``, by forward-mode differentiation (exact, no finite differences): shape (networks, points).
    Needs a network without normalisation."""
    net = _check_net(net)
    if net.sizes[0] != 1 or net.sizes[-1] != 1 or net.batchnorm:
        raise ValueError("input_derivative needs networks with one input, one output and no batch normalisation")
    points = as_real_array(x, "x").astype(np.float64)
    if points.ndim != 1:
        raise ValueError(f"x must be a 1-D array of input values, got shape {points.shape}")
    h, dh = points[:, None], np.ones((points.size, 1))
    last = net.n_layers - 1
    for i, layer in enumerate(net.params):
        a = h @ layer["W"] + layer["b"][:, None, :]
        da = dh @ layer["W"]
        act = net.activation if i < last else net.output_activation
        h, dh = (a, da) if act is None else (_apply(act, a), _slope(act, a) * da)
    return dh[..., 0]


# ------------------------------------------------------------------ training
@dataclass(frozen=True)
class Training:
    """Trained networks and their record, one row per network (seed). ``loss[:, 0]`` is the loss on the
    whole training set before training; ``loss[:, k]`` the mean loss over the mini-batches of epoch k,
    each measured just before its update (what Keras reports as an epoch's loss); NaN once a network's
    parameters are no longer finite."""

    net: MLP
    loss: np.ndarray
    optimizer: str
    learning_rate: float
    epochs: int
    batch_size: int

    @property
    def seeds(self) -> tuple[int, ...]:
        return self.net.seeds


def train(net: MLP, X: Any, y: Any, *, loss: str = "mse", optimizer: str = "adam", learning_rate: float,
          epochs: int, batch_size: int) -> Training:
    """Train a copy of every network of ``net`` on ``(X, y)`` for ``epochs`` passes in mini-batches of
    ``batch_size``; network k visits the data in an order drawn from ``default_rng(net.seeds[k])``.
    ``net`` itself is not changed."""
    from threadpoolctl import threadpool_limits

    from relu_course.mini_experiment import make_optimizer

    net = _check_net(net).copy()
    loss = choice(loss, LOSSES, "loss")
    X = _inputs(net, X)
    target = _targets(net, y, X.shape[0], loss)
    epochs, batch_size = positive_int(epochs, "epochs"), positive_int(batch_size, "batch_size")
    if batch_size > X.shape[0]:
        raise ValueError(f"batch_size must be at most the {X.shape[0]} training examples, got {batch_size}")
    opt = make_optimizer(optimizer, learning_rate)
    rngs = [np.random.default_rng(seed) for seed in net.seeds]
    grads = _buffer(net)
    n, k = X.shape[0], net.n_networks
    curve = np.empty((k, epochs + 1))
    # Tiny matrices: one BLAS thread is faster than several, and immune to a busy machine.
    with threadpool_limits(1, user_api="blas"), np.errstate(over="ignore", invalid="ignore"):
        curve[:, 0] = _loss(_forward(net, X)[0], target, loss)[0]
        for epoch in range(1, epochs + 1):
            orders = np.stack([rng.permutation(n) for rng in rngs])
            total = np.zeros(k)
            for start in range(0, n, batch_size):
                rows = orders[:, start:start + batch_size]
                out, cache = _forward(net, X[rows])
                value, delta = _loss(out, target[rows], loss)
                total += value * rows.shape[1]
                _backward(net, cache, delta, grads)
                opt.step(net.flat, grads.flat)
            curve[:, epoch] = total / n
    finite = np.ones(k, dtype=bool)
    for layer in net.params:
        for values in layer.values():
            finite &= np.all(np.isfinite(values.reshape(k, -1)), axis=1)
    curve[~finite, -1] = math.nan
    curve[~np.isfinite(curve)] = math.nan
    return Training(net, curve, optimizer, float(learning_rate), epochs, batch_size)


def accuracy(net: MLP, X: Any, y: Any, reference: Any = None) -> np.ndarray:
    """Per network, the share of rows of ``X`` whose largest output is the label in ``y`` (NaN where a
    network's outputs are not finite): shape (networks,)."""
    out = predict(net, X, reference)
    labels = np.asarray(y)
    if labels.shape != (out.shape[1],):
        raise ValueError(f"y must hold one label per row of X, got shape {labels.shape}")
    hits = np.mean(out.argmax(axis=-1) == labels, axis=-1)
    return np.where(np.all(np.isfinite(out), axis=(1, 2)), hits, np.nan)
