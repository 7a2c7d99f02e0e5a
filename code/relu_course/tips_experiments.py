"""The training-tips experiments of the dying-ReLU chapter: one MLP, one change at a time, dead units measured.

A :class:`TipSetting` names one variation of the chapter's ReLU MLP (learning rate, initialisation,
BatchNorm, Leaky ReLU / PReLU, L2 weight decay). :class:`TipRunner` builds it with
:func:`relu_course.models.mlp`, trains it with Keras's ``model.fit`` (sparse softmax cross-entropy,
as :func:`relu_course.models.train_classifier`, plus a :mod:`relu_course.dead_units` monitor on the
training set; ``train_classifier`` takes no callbacks) and returns plain NumPy results. Everything
is seeded; a setting is trained once per seed, and the chapter shares the results between its figures.
"""
from __future__ import annotations

import math

from dataclasses import dataclass, replace
from typing import Any, Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes

from relu_course._validation import classification_data, positive_int, real_scalar
from relu_course.activation_registry import get_activation
from relu_course.dead_units import DeadUnitHistory, dead_unit_monitor
from relu_course.models import OPTIMIZERS, mlp
from relu_course.seeding import seed_everything
from relu_course.style import COLOR_CYCLE, LINESTYLE_CYCLE
from relu_course.tf_loader import load_keras

#: Activations a setting may use (keys of relu_course.activation_registry).
TIP_ACTIVATIONS = ("relu", "leaky_relu", "prelu")
#: Kernel initialisers a setting may use (Keras names); Keras's own Dense default is glorot_uniform.
TIP_INITIALISERS = ("he_normal", "glorot_uniform")


@dataclass(frozen=True)
class TipSetting:
    """One variation of the chapter's MLP. Defaults: ReLU, He-normal kernels, zero biases, no BatchNorm,
    no weight decay. ``bias`` is added to every hidden bias and ``weight_scale`` multiplies every hidden
    kernel after initialisation (a deliberately bad start); ``negative_slope`` is Leaky ReLU's slope."""

    label: str
    learning_rate: float
    optimizer: str = "adam"
    activation: str = "relu"
    kernel_initializer: str = "he_normal"
    bias: float = 0.0
    weight_scale: float = 1.0
    batchnorm: bool = False
    l2: float = 0.0
    negative_slope: float = get_activation("leaky_relu").params["negative_slope"]

    def __post_init__(self) -> None:
        if not isinstance(self.label, str) or not self.label:
            raise TypeError(f"label must be a non-empty string, got {self.label!r}")
        lr = real_scalar(self.learning_rate, "learning_rate", low=0.0, high=10.0)
        if lr == 0:
            raise ValueError("learning_rate must be positive, got 0")
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {self.optimizer!r}")
        if self.activation not in TIP_ACTIVATIONS:
            raise ValueError(f"activation must be one of {TIP_ACTIVATIONS}, got {self.activation!r}")
        if self.kernel_initializer not in TIP_INITIALISERS:
            raise ValueError(f"kernel_initializer must be one of {TIP_INITIALISERS}, got {self.kernel_initializer!r}")
        real_scalar(self.bias, "bias", low=-100.0, high=100.0)
        if real_scalar(self.weight_scale, "weight_scale", low=0.0, high=100.0) == 0:
            raise ValueError("weight_scale must be positive, got 0")
        if not isinstance(self.batchnorm, bool):
            raise TypeError(f"batchnorm must be True or False, got {self.batchnorm!r}")
        real_scalar(self.l2, "l2", low=0.0, high=1.0)
        real_scalar(self.negative_slope, "negative_slope", low=0.0, high=1.0)

    def but(self, label: str, **changes: Any) -> TipSetting:
        """A copy with another label and the given fields changed (validated again)."""
        return replace(self, label=label, **changes)


def _activation_layer(keras: Any, setting: TipSetting, index: int) -> Any:
    name = f"{setting.activation}_{index}"
    if setting.activation == "leaky_relu":
        return keras.layers.LeakyReLU(negative_slope=setting.negative_slope, name=name)
    if setting.activation == "prelu":
        # He et al.'s initial slope 0.25 (Keras's own default is 0), learned per unit
        start = get_activation("prelu").params["slope"]
        return keras.layers.PReLU(alpha_initializer=keras.initializers.Constant(start), name=name)
    return keras.layers.ReLU(name=name)


def build_tip_model(setting: TipSetting, input_dim: int, hidden: Sequence[int], n_classes: int, *,
                    seed: int) -> Any:
    """The MLP of ``setting``: :func:`mlp` with linear hidden Dense layers, each followed by
    [BatchNormalization and] a standalone activation layer; kernels then scaled, biases shifted, and
    an L2 penalty attached to every kernel when ``setting.l2 > 0``."""
    if not isinstance(setting, TipSetting):
        raise TypeError(f"setting must be a TipSetting, got {type(setting).__name__}")
    keras = load_keras()
    base = mlp(input_dim, hidden, n_classes, activation=None, kernel_initializer=setting.kernel_initializer,
               seed=seed, name="tip_mlp")
    dense = [layer for layer in base.layers]
    stack: list[Any] = [keras.Input(shape=(input_dim,))]
    for i, layer in enumerate(dense[:-1], start=1):
        kernel, bias = layer.get_weights()
        layer.set_weights([kernel * setting.weight_scale, bias + setting.bias])
        stack.append(layer)
        if setting.batchnorm:
            stack.append(keras.layers.BatchNormalization(name=f"batchnorm_{i}"))
        stack.append(_activation_layer(keras, setting, i))
    stack.append(dense[-1])
    model = keras.Sequential(stack, name="tip_mlp")
    if setting.l2 > 0:
        for layer in dense:
            layer.kernel_regularizer = keras.regularizers.L2(setting.l2)
            layer.kernel.regularizer = layer.kernel_regularizer
    return model


@dataclass(frozen=True)
class TipRun:
    """One setting trained with one seed: the dead-unit history, training loss per epoch, test accuracy."""

    setting: TipSetting
    seed: int
    history: DeadUnitHistory
    loss: np.ndarray
    test_accuracy: float

    @property
    def final_dead(self) -> float:
        """Share of all hidden units dead on the probe after the last epoch."""
        return float(self.history.dead_overall()[-1])


@dataclass(frozen=True)
class TipData:
    """Training and test data of the experiments; the probe batch is the whole training set."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray

    def __post_init__(self) -> None:
        X_train, _ = classification_data(self.X_train, self.y_train)
        X_test, _ = classification_data(self.X_test, self.y_test)
        if X_train.shape[1] != X_test.shape[1]:
            raise ValueError(f"X_train and X_test must have the same number of features, got "
                             f"{X_train.shape[1]} and {X_test.shape[1]}")


def split_data(X: Any, y: Any, n_train: int) -> TipData:
    """The first ``n_train`` examples for training, the rest for testing."""
    X, y = classification_data(X, y)
    n_train = positive_int(n_train, "n_train")
    if n_train >= X.shape[0]:
        raise ValueError(f"n_train must leave test examples: at most {X.shape[0] - 1}, got {n_train}")
    X = X.astype(np.float32)
    return TipData(X[:n_train], y[:n_train], X[n_train:], y[n_train:])


def _architecture(setting: TipSetting) -> tuple[Any, ...]:
    """What a compiled model depends on; settings that share it differ only in their starting weights
    and learning rate."""
    return (setting.optimizer, setting.activation, setting.batchnorm, setting.l2, setting.negative_slope)


class TipRunner:
    """Trains settings on one data set with fixed widths, epochs and batch size.

    Keras spends most of a small model's training time tracing its training step. Settings that share an
    architecture (:func:`_architecture`) therefore share one compiled model: each run loads freshly
    initialised weights (built with :func:`build_tip_model` and the run's seed), resets the optimizer's
    state (step counter and moments) to zero and sets its learning rate, which is exactly what a new
    model and optimizer would start from. The tests check that both give the same numbers.
    """

    def __init__(self, data: TipData, *, hidden: Sequence[int], epochs: int, batch_size: int,
                 reuse: bool = True) -> None:
        if not isinstance(data, TipData):
            raise TypeError(f"data must be a TipData (see split_data), got {type(data).__name__}")
        if not isinstance(reuse, bool):
            raise TypeError(f"reuse must be True or False, got {reuse!r}")
        self.data = data
        self.hidden = [positive_int(w, "hidden") for w in hidden]
        self.epochs, self.batch_size = positive_int(epochs, "epochs"), positive_int(batch_size, "batch_size")
        self.reuse = reuse
        self.n_classes = int(max(data.y_train.max(), data.y_test.max())) + 1
        self._compiled: dict[tuple[Any, ...], Any] = {}

    def _model(self, setting: TipSetting, seed: int) -> Any:
        fresh = build_tip_model(setting, self.data.X_train.shape[1], self.hidden, self.n_classes, seed=seed)
        key = _architecture(setting)
        if self.reuse and key in self._compiled:
            model = self._compiled[key]
            model.set_weights(fresh.get_weights())
            for variable in model.optimizer.variables:
                variable.assign(np.zeros(variable.shape, dtype=variable.dtype))
            model.optimizer.learning_rate = setting.learning_rate
            return model
        keras = load_keras()
        opt_class = keras.optimizers.SGD if setting.optimizer == "sgd" else keras.optimizers.Adam
        # One call into the compiled graph per epoch instead of one per batch: the same updates in the
        # same order (the tests compare), with less Python overhead per step.
        steps = math.ceil(len(self.data.y_train) / self.batch_size)
        fresh.compile(optimizer=opt_class(learning_rate=setting.learning_rate),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), steps_per_execution=steps)
        if self.reuse:
            self._compiled[key] = fresh
        return fresh

    def run(self, setting: TipSetting, seed: int) -> TipRun:
        """Train ``setting`` from the weights drawn with ``seed`` (mini-batches shuffled with ``seed``)."""
        if not isinstance(setting, TipSetting):
            raise TypeError(f"setting must be a TipSetting, got {type(setting).__name__}")
        model = self._model(setting, seed)
        seed_everything(seed)
        monitor = dead_unit_monitor(self.data.X_train)
        fit = model.fit(self.data.X_train, self.data.y_train, epochs=self.epochs, batch_size=self.batch_size,
                        shuffle=True, verbose=0, callbacks=[monitor])
        logits = np.asarray(model(self.data.X_test, training=False))
        accuracy = (float(np.mean(np.argmax(logits, axis=1) == self.data.y_test))
                    if np.all(np.isfinite(logits)) else float("nan"))
        return TipRun(setting, int(seed), monitor.history, np.asarray(fit.history["loss"]), accuracy)

    def run_all(self, settings: Sequence[TipSetting], seeds: Sequence[int]) -> dict[str, list[TipRun]]:
        """Every setting with every seed, by label (labels must be unique)."""
        settings = list(settings)
        if not settings or not all(isinstance(s, TipSetting) for s in settings):
            raise TypeError("settings must be a non-empty sequence of TipSetting")
        labels = [s.label for s in settings]
        if len(set(labels)) != len(labels):
            raise ValueError(f"settings must have distinct labels, got {labels}")
        seeds = list(seeds)
        if not seeds:
            raise ValueError("seeds must not be empty")
        return {s.label: [self.run(s, seed) for seed in seeds] for s in settings}


def _runs_by_label(runs: Any) -> Mapping[str, list[TipRun]]:
    if not isinstance(runs, Mapping) or not runs:
        raise TypeError("runs must be a non-empty mapping from a label to a list of TipRun")
    for label, value in runs.items():
        if not value or not all(isinstance(r, TipRun) for r in value):
            raise TypeError(f"runs[{label!r}] must be a non-empty list of TipRun")
    return runs


def summarise(runs: Mapping[str, list[TipRun]]) -> dict[str, dict[str, float]]:
    """Per label: mean, min and max over seeds of the final dead share and of the test accuracy
    (NaN-aware: a diverged seed counts as NaN and is reported in ``diverged``)."""
    out = {}
    for label, group in _runs_by_label(runs).items():
        dead = np.array([r.final_dead for r in group])
        acc = np.array([r.test_accuracy for r in group])
        ok = np.isfinite(dead) & np.isfinite(acc)
        row = {"diverged": float(np.sum(~ok)), "seeds": float(len(group))}
        for key, values in (("dead", dead[ok]), ("accuracy", acc[ok])):
            nan = float("nan")
            row[f"{key}_mean"] = float(values.mean()) if values.size else nan
            row[f"{key}_min"] = float(values.min()) if values.size else nan
            row[f"{key}_max"] = float(values.max()) if values.size else nan
        out[label] = row
    return out


def plot_tip_comparison(ax_dead: Axes, ax_acc: Axes, runs: Mapping[str, list[TipRun]]) -> None:
    """Two panels, one column per setting: the final share of dead units and the test accuracy,
    one marker per seed (hollow where the seed diverged and has no value) and a bar at the seeds' mean."""
    runs = _runs_by_label(runs)
    labels = list(runs)
    summary = summarise(runs)
    x = np.arange(len(labels))
    for ax, key, getter, ylabel in ((ax_dead, "dead", lambda r: r.final_dead, "dead units after training"),
                                     (ax_acc, "accuracy", lambda r: r.test_accuracy, "test accuracy")):
        means = [summary[label][f"{key}_mean"] for label in labels]
        ax.bar(x, np.nan_to_num(means), color=COLOR_CYCLE[0] if key == "dead" else COLOR_CYCLE[2],
               alpha=0.35, width=0.6)
        for i, label in enumerate(labels):
            values = np.array([getter(r) for r in runs[label]])
            jitter = np.linspace(-0.12, 0.12, values.size) if values.size > 1 else np.zeros(1)
            ok = np.isfinite(values)
            ax.plot(x[i] + jitter[ok], values[ok], "o", color=COLOR_CYCLE[1], markersize=5)
            if not ok.all():
                ax.plot(x[i] + jitter[~ok], np.zeros((~ok).sum()), "x", color=COLOR_CYCLE[4], markersize=7)
        ax.set_xticks(x, labels, rotation=20, ha="right")
        ax.set_ylim(0, 1.02)
        ax.set_ylabel(ylabel)


def plot_dead_over_epochs(ax: Axes, runs: Mapping[str, list[TipRun]]) -> None:
    """Share of all hidden units that are dead, over the epochs: one style per setting, one line per seed."""
    runs = _runs_by_label(runs)
    for i, (label, group) in enumerate(runs.items()):
        style = {"color": COLOR_CYCLE[i % len(COLOR_CYCLE)], "linestyle": LINESTYLE_CYCLE[i % len(LINESTYLE_CYCLE)]}
        for j, run in enumerate(group):
            ax.plot(run.history.epochs, run.history.dead_overall(), label=label if j == 0 else None,
                    marker="o", markersize=3, **style)
    ax.set_ylim(-0.03, 1.03)
    ax.set_xlabel("epoch (0 = before training)")
    ax.set_ylabel("dead hidden units")
    ax.legend(loc="best")


def plot_sweep(ax_dead: Axes, ax_acc: Axes, values: Sequence[float], groups: Sequence[Sequence[TipRun]], *,
               label: str, style: int = 0) -> None:
    """Final dead share and test accuracy against a numeric setting (e.g. the learning rate, log axis):
    a line through the seeds' means and one marker per seed; a diverged seed is drawn as an x at 0."""
    values_arr = np.asarray([real_scalar(v, "values") for v in values])
    groups = list(groups)
    if values_arr.size == 0 or len(groups) != values_arr.size:
        raise ValueError(f"values and groups must be non-empty and of equal length, got {values_arr.size} "
                         f"and {len(groups)}")
    runs = _runs_by_label({str(i): list(g) for i, g in enumerate(groups)})
    if isinstance(style, bool) or not isinstance(style, int) or style < 0:
        raise ValueError(f"style must be a non-negative integer, got {style!r}")
    color, linestyle = COLOR_CYCLE[style % len(COLOR_CYCLE)], LINESTYLE_CYCLE[style % len(LINESTYLE_CYCLE)]
    for ax, getter in ((ax_dead, lambda r: r.final_dead), (ax_acc, lambda r: r.test_accuracy)):
        per_seed = [np.array([getter(r) for r in runs[str(i)]]) for i in range(values_arr.size)]
        means = [float(v[np.isfinite(v)].mean()) if np.isfinite(v).any() else np.nan for v in per_seed]
        ax.plot(values_arr, means, color=color, linestyle=linestyle, label=label)
        for x, v in zip(values_arr, per_seed):
            ok = np.isfinite(v)
            ax.plot(np.full(ok.sum(), x), v[ok], "o", color=color, markersize=4, alpha=0.7)
            if not ok.all():
                ax.plot(np.full((~ok).sum(), x), np.zeros((~ok).sum()), "x", color=color, markersize=7)
        ax.set_xscale("log")
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel("learning rate")
    ax_dead.set_ylabel("dead units after training")
    ax_acc.set_ylabel("test accuracy")
