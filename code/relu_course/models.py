"""Small Keras models for the course's experiments, built and trained the same way everywhere.

Every experiment states its optimizer, learning rate, initialisation, epochs and seed; these
helpers take each of them as an argument (no hidden defaults beyond Keras's documented ones) and
return plain NumPy results so chapters can plot and glue them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from relu_course._validation import classification_data, positive_int, real_scalar
from relu_course.seeding import seed_everything
from relu_course.tf_loader import load_keras

OPTIMIZERS = ("sgd", "adam")


def mlp(input_dim: int, hidden: Sequence[int], output_dim: int, *, activation: Any = "relu",
        output_activation: str | None = None, use_bias: bool = True,
        kernel_initializer: Any = "he_normal", seed: int = 0, name: str = "mlp") -> Any:
    """A fully connected Keras network ``input -> hidden... -> output``, built deterministically from ``seed``.

    ``activation`` is any Keras activation name or callable; ``kernel_initializer`` any Keras
    initializer name or instance (Keras's own ``Dense`` default is ``"glorot_uniform"``; the course
    default here is He-normal, the initialisation derived for ReLU). Hidden layers are named
    ``hidden_1 ... hidden_k``, the last one ``output``.
    """
    input_dim = positive_int(input_dim, "input_dim")
    output_dim = positive_int(output_dim, "output_dim")
    if isinstance(hidden, (str, bytes)) or not hasattr(hidden, "__iter__"):
        raise TypeError(f"hidden must be a sequence of layer widths, got {hidden!r}")
    widths = [positive_int(w, "hidden") for w in hidden]
    if not isinstance(use_bias, bool):
        raise TypeError(f"use_bias must be True or False, got {use_bias!r}")
    keras = load_keras()
    seed_everything(seed)
    layers = [keras.Input(shape=(input_dim,))]
    for i, width in enumerate(widths, start=1):
        layers.append(keras.layers.Dense(width, activation=activation, use_bias=use_bias,
                                         kernel_initializer=kernel_initializer, name=f"hidden_{i}"))
    layers.append(keras.layers.Dense(output_dim, activation=output_activation, use_bias=use_bias,
                                     kernel_initializer=kernel_initializer, name="output"))
    return keras.Sequential(layers, name=name)


@dataclass(frozen=True)
class TrainingRun:
    """What :func:`train_classifier` did and measured, ready to state next to a figure."""

    optimizer: str
    learning_rate: float
    epochs: int
    batch_size: int
    seed: int
    loss: np.ndarray       # training loss per epoch
    accuracy: np.ndarray   # training accuracy per epoch


def train_classifier(model: Any, X: Any, y: Any, *, epochs: int, learning_rate: float,
                     optimizer: str = "adam", batch_size: int = 32, seed: int = 0) -> TrainingRun:
    """Train ``model`` (logits output) with sparse softmax cross-entropy; deterministic for a given ``seed``.

    Returns the per-epoch training loss and accuracy. Inputs are validated before any training starts.
    """
    X, y_arr = classification_data(X, y)
    epochs = positive_int(epochs, "epochs")
    batch_size = positive_int(batch_size, "batch_size")
    learning_rate = real_scalar(learning_rate, "learning_rate", low=0.0)
    if learning_rate == 0:
        raise ValueError("learning_rate must be positive, got 0")
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {optimizer!r}")
    keras = load_keras()
    seed_everything(seed)
    opt = (keras.optimizers.SGD(learning_rate=learning_rate) if optimizer == "sgd"
           else keras.optimizers.Adam(learning_rate=learning_rate))
    model.compile(optimizer=opt, loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    history = model.fit(X.astype(np.float32), y_arr, epochs=epochs, batch_size=batch_size,
                        shuffle=True, verbose=0)
    return TrainingRun(optimizer, learning_rate, epochs, batch_size, int(seed),
                       np.asarray(history.history["loss"]), np.asarray(history.history["accuracy"]))


def dense_parameters(model: Any) -> list[tuple[np.ndarray, np.ndarray | None]]:
    """The (kernel, bias) pairs of every Dense layer, as float64 NumPy arrays (bias None without bias)."""
    if not hasattr(model, "layers"):
        raise TypeError(f"model must be a Keras model (with .layers), got {type(model).__name__}")
    params = []
    for layer in model.layers:
        weights = layer.get_weights()
        if not weights:
            continue
        kernel = np.asarray(weights[0], dtype=np.float64)
        bias = np.asarray(weights[1], dtype=np.float64) if len(weights) > 1 else None
        params.append((kernel, bias))
    return params
