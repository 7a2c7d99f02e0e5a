"""How large is the gradient in each layer of a deep Keras MLP? Measured with ``tf.GradientTape``.

Chapter 3 uses this to test the claim that ReLU "prevents vanishing gradients": the norm of
``dL/dkernel`` per Dense layer at initialisation and over the first training steps, and the
share of ReLU units whose output (and so whose gradient) is exactly zero on a batch.
The loss is the mean sparse softmax cross-entropy of the model's logits.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from relu_course._validation import as_real_array, classification_data, positive_int, real_scalar
from relu_course.models import mlp
from relu_course.seeding import seed_everything
from relu_course.style import PALETTE
from relu_course.tf_loader import load_keras, load_tensorflow

#: How each activation's curve is drawn (colour, line style, marker), so greyscale readers can tell them apart.
CURVE_STYLES: dict[str, dict[str, Any]] = {
    "sigmoid": {"color": PALETTE["derivative"], "linestyle": "--", "marker": "s"},
    "tanh": {"color": PALETTE["accent"], "linestyle": ":", "marker": "^"},
    "relu": {"color": PALETTE["function"], "linestyle": "-", "marker": "o"},
    "relu, Glorot": {"color": PALETTE["reference"], "linestyle": "-.", "marker": "D"},
}


def _batch(X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    X, labels = classification_data(X, y)
    return X.astype(np.float32), labels


def _dense_layers(model: Any) -> list[Any]:
    layers = [layer for layer in getattr(model, "layers", []) if hasattr(layer, "kernel")]
    if not layers:
        raise TypeError(f"model must be a Keras model with Dense layers, got {type(model).__name__}")
    return layers


def _loss(model: Any, X: np.ndarray, y: np.ndarray) -> Any:
    tf = load_tensorflow()
    return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=model(X)))


def layer_gradient_norms(model: Any, X: Any, y: Any) -> np.ndarray:
    """Norm of ``dL/dkernel`` for every Dense layer of ``model`` (first layer first) on the batch
    ``(X, y)``, where L is the mean softmax cross-entropy of the model's logits."""
    X, y = _batch(X, y)
    tf = load_tensorflow()
    kernels = [layer.kernel for layer in _dense_layers(model)]
    with tf.GradientTape() as tape:
        loss = _loss(model, X, y)
    return np.array([float(tf.norm(g)) for g in tape.gradient(loss, kernels)])


@dataclass(frozen=True)
class GradientFlowRun:
    """Per-layer kernel-gradient norms at initialisation (row 0) and before each SGD step."""

    norms: np.ndarray      # shape (steps + 1, n_dense_layers)
    losses: np.ndarray     # loss on each step's batch, shape (steps + 1,)
    learning_rate: float
    batch_size: int
    seed: int


def gradient_norms_during_training(model: Any, X: Any, y: Any, *, steps: int, learning_rate: float,
                                   batch_size: int, seed: int = 0) -> GradientFlowRun:
    """Train ``model`` for ``steps`` steps of plain SGD on seeded mini-batches of ``(X, y)``,
    recording the per-layer gradient norms of each batch before its update (and once more after
    the last one). Deterministic for a given model and ``seed``."""
    X, y = _batch(X, y)
    steps = positive_int(steps, "steps")
    batch_size = positive_int(batch_size, "batch_size")
    if batch_size > X.shape[0]:
        raise ValueError(f"batch_size must be at most the number of examples {X.shape[0]}, got {batch_size}")
    learning_rate = real_scalar(learning_rate, "learning_rate", low=0.0)
    if learning_rate == 0:
        raise ValueError("learning_rate must be positive, got 0")
    rng = seed_everything(seed)
    tf = load_tensorflow()
    optimizer = load_keras().optimizers.SGD(learning_rate=learning_rate)
    kernels = [layer.kernel for layer in _dense_layers(model)]
    norms, losses = [], []
    for step in range(steps + 1):
        rows = rng.choice(X.shape[0], size=batch_size, replace=False)
        with tf.GradientTape() as tape:
            loss = _loss(model, X[rows], y[rows])
        variables = model.trainable_variables
        grads = tape.gradient(loss, variables)
        by_ref = {id(v): g for v, g in zip(variables, grads)}
        norms.append([float(tf.norm(by_ref[id(k)])) for k in kernels])
        losses.append(float(loss))
        if step < steps:
            optimizer.apply_gradients(zip(grads, variables))
    return GradientFlowRun(np.array(norms), np.array(losses), learning_rate, batch_size, int(seed))


@dataclass(frozen=True)
class ZeroShares:
    """Per hidden layer: share of outputs that are exactly 0, of units that are 0 on every example
    (dead on this batch), and of units whose incoming kernel gradient is exactly 0."""

    zero_outputs: np.ndarray
    dead_units: np.ndarray
    zero_gradient_units: np.ndarray


def zero_shares(model: Any, X: Any, y: Any) -> ZeroShares:
    """Measure :class:`ZeroShares` for every hidden Dense layer of ``model`` on the batch ``(X, y)``."""
    X, y = _batch(X, y)
    tf = load_tensorflow()
    layers = _dense_layers(model)
    hidden = layers[:-1]
    if not hidden:
        raise ValueError("model must have at least one hidden layer")
    outputs = []
    with tf.GradientTape() as tape:
        h = tf.constant(X)
        for layer in layers:
            h = layer(h)
            outputs.append(h)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=h))
    grads = tape.gradient(loss, [layer.kernel for layer in hidden])
    zero_out = [np.asarray(o) == 0 for o in outputs[:-1]]
    return ZeroShares(np.array([z.mean() for z in zero_out]),
                      np.array([z.all(axis=0).mean() for z in zero_out]),
                      np.array([(np.asarray(g) == 0).all(axis=0).mean() for g in grads]))


def plot_layer_norms(ax: Axes, norms: Mapping[str, Any], *, legend: bool = True) -> None:
    """Draw per-layer gradient norms (layer 1 = nearest the input) on a log scale, one curve per key.

    Keys found in :data:`CURVE_STYLES` get their fixed style; others use the course's cycle.
    """
    if not isinstance(norms, Mapping) or not norms:
        raise TypeError("norms must be a non-empty mapping from a label to per-layer norms")
    for label, values in norms.items():
        values = as_real_array(values, f"norms[{label!r}]")
        if values.ndim != 1 or values.size == 0:
            raise ValueError(f"norms[{label!r}] must be a non-empty 1-D array of per-layer norms")
        style = dict(CURVE_STYLES.get(str(label), {}))
        ax.plot(np.arange(1, values.size + 1), values, label=str(label), markersize=4, **style)
    ax.set_yscale("log")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("layer (1 = nearest the input)")
    ax.set_ylabel("‖dL/dkernel‖")
    if legend:
        ax.legend(loc="best")


@dataclass(frozen=True)
class GradientFlowResult:
    """One deep MLP measured: gradient norms at initialisation, during SGD, and zero shares before and after."""

    activation: str
    kernel_initializer: str
    init_norms: np.ndarray        # per Dense layer, on the measurement batch, before training
    run: GradientFlowRun          # norms before each SGD step
    zeros_at_init: ZeroShares     # on the measurement batch
    zeros_after: ZeroShares       # on the measurement batch, after the SGD steps


def measure_gradient_flow(X: Any, y: Any, *, activation: str, kernel_initializer: str, depth: int,
                          width: int, steps: int, learning_rate: float, batch_size: int,
                          n_measure: int, seed: int) -> GradientFlowResult:
    """Build ``mlp(features, [width] * depth, classes)`` with ``activation`` and ``kernel_initializer``
    (seeded), measure on the first ``n_measure`` examples, train ``steps`` SGD steps, measure again."""
    X, y = _batch(X, y)
    for value, name in ((activation, "activation"), (kernel_initializer, "kernel_initializer")):
        if not isinstance(value, str) or not value:
            raise TypeError(f"{name} must be a Keras name such as 'relu' or 'he_normal', got {value!r}")
    depth, width = positive_int(depth, "depth"), positive_int(width, "width")
    n_measure = positive_int(n_measure, "n_measure")
    if n_measure > X.shape[0]:
        raise ValueError(f"n_measure must be at most the number of examples {X.shape[0]}, got {n_measure}")
    model = mlp(X.shape[1], [width] * depth, int(y.max()) + 1, activation=activation,
                kernel_initializer=kernel_initializer, seed=seed)
    Xm, ym = X[:n_measure], y[:n_measure]
    init_norms = layer_gradient_norms(model, Xm, ym)
    zeros_at_init = zero_shares(model, Xm, ym)
    run = gradient_norms_during_training(model, X, y, steps=steps, learning_rate=learning_rate,
                                         batch_size=batch_size, seed=seed)
    return GradientFlowResult(str(activation), str(kernel_initializer), init_norms, run, zeros_at_init,
                              zero_shares(model, Xm, ym))
