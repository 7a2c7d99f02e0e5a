"""The training-tips experiments of the dying-ReLU chapter: one MLP, one change at a time, dead units measured.

A :class:`TipSetting` names one variation of the chapter's ReLU MLP (learning rate, initialisation,
BatchNorm, Leaky ReLU / PReLU, L2 weight decay). :class:`TipRunner` builds it with
:func:`relu_course.models.mlp`, trains it with mini-batch Adam or SGD on the sparse softmax
cross-entropy (the updates of Keras's ``model.fit``, from a training step compiled once per
architecture; :meth:`TipRunner.run_with_fit` is the ``fit`` reference), measures dead units on the
training set as a :mod:`relu_course.dead_units` monitor does, and returns plain NumPy results.
Everything is seeded; a setting is trained once per seed, and the chapter shares the results between
its figures.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes

from relu_course._validation import classification_data, positive_int, real_scalar
from relu_course.activation_registry import get_activation
from relu_course.dead_units import DeadUnitHistory, dead_unit_monitor, measure_dead_units
from relu_course.models import OPTIMIZERS, mlp
from relu_course.style import COLOR_CYCLE, LINESTYLE_CYCLE
from relu_course.tf_loader import load_keras, load_tensorflow

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
    """What a compiled training step depends on; settings that share it differ only in their starting
    weights, learning rate and L2 strength (both held in variables the step reads)."""
    return (setting.optimizer, setting.activation, setting.batchnorm, setting.negative_slope)


def epoch_orders(n_examples: int, epochs: int, seed: int) -> list[np.ndarray]:
    """The order in which one run visits the training examples, one permutation per epoch, drawn from
    ``numpy.random.default_rng(seed)``; mini-batches are consecutive slices of it."""
    n_examples, epochs = positive_int(n_examples, "n_examples"), positive_int(epochs, "epochs")
    rng = np.random.default_rng(_seed(seed))
    return [rng.permutation(n_examples) for _ in range(epochs)]


def _seed(seed: Any) -> int:
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be a non-negative integer, got {seed!r}")
    if seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed}")
    return int(seed)


class _Trainer:
    """One architecture's Keras model, optimizer and compiled training epoch.

    ``epoch(X, y, order)`` runs the mini-batches ``order[0:b], order[b:2b], ...`` in one graph call.
    Each step does what Keras's ``train_step`` does in ``fit``: forward pass with ``training=True``
    (BatchNormalization updates its moving statistics), mean sparse softmax cross-entropy plus the L2
    penalty ``l2 * sum(kernel ** 2)`` of every Dense kernel (summed as Keras adds a kernel regulariser's
    loss), gradients by ``GradientTape``, ``optimizer.apply``. It returns the epoch's loss averaged over
    examples, as ``fit`` reports it. Learning rate and L2 strength live in variables, so one trace serves
    every run of the architecture.
    """

    def __init__(self, model: Any, optimizer_name: str, batch_size: int) -> None:
        keras, tf = load_keras(), load_tensorflow()
        self.model = model
        self.dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
        self.kernels = [layer.kernel for layer in self.dense]
        self.templates = [layer.get_weights() for layer in model.layers]   # seed-independent parts
        opt_class = keras.optimizers.SGD if optimizer_name == "sgd" else keras.optimizers.Adam
        self.optimizer = opt_class(learning_rate=1e-3)
        self.optimizer.build(model.trainable_variables)
        self.l2 = tf.Variable(0.0, dtype=tf.float32, trainable=False, name="l2_strength")
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

        def step(start: Any, total: Any, count: Any, X: Any, y: Any, order: Any) -> tuple[Any, Any, Any]:
            batch = order[start:start + batch_size]
            xb, yb = tf.gather(X, batch), tf.gather(y, batch)
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(tf.stack(
                    [loss_fn(yb, model(xb, training=True))]
                    + [self.l2 * tf.reduce_sum(tf.square(k)) for k in self.kernels]))
            variables = model.trainable_variables
            self.optimizer.apply(tape.gradient(loss, variables), variables)
            size = tf.cast(tf.shape(batch)[0], tf.float32)
            return start + batch_size, total + loss * size, count + size

        def epoch(X: Any, y: Any, order: Any) -> Any:
            n = tf.shape(order)[0]
            _, total, count = tf.while_loop(
                lambda start, total, count: start < n,
                lambda start, total, count: step(start, total, count, X, y, order),
                (tf.constant(0), tf.constant(0.0), tf.constant(0.0)))
            return total / count

        self.epoch = tf.function(epoch, autograph=False)

    def start(self, weights: list[list[np.ndarray]], setting: TipSetting) -> None:
        """Load per-layer starting weights and give the optimizer a fresh state (zero step counter and
        moments) with the setting's learning rate: what a new model and optimizer start from."""
        for layer, layer_weights in zip(self.model.layers, weights):
            if layer_weights:
                layer.set_weights(layer_weights)
        for variable in self.optimizer.variables:
            variable.assign(np.zeros(variable.shape, dtype=variable.dtype))
        self.optimizer.learning_rate = setting.learning_rate
        self.l2.assign(setting.l2)


class TipRunner:
    """Trains settings on one data set with fixed widths, epochs and batch size.

    A run starts from the weights :func:`build_tip_model` draws with the run's seed, visits the training
    set in the order :func:`epoch_orders` gives for that seed, and takes one Adam or SGD step per
    mini-batch. Keras's ``model.fit`` spends most of such a small model's time tracing its training
    function and feeding a tf.data pipeline, so the runner compiles its own training epoch once per
    architecture (:class:`_Trainer`, the same updates as ``fit``; :meth:`run_with_fit` is the reference
    the tests compare it with) and reuses it: settings that share an architecture (:func:`_architecture`)
    share one model, which each run re-initialises. ``reuse=False`` builds everything afresh per run.
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
        self._trainers: dict[tuple[Any, ...], _Trainer] = {}
        self._dense_starts: dict[tuple[str, int], list[list[np.ndarray]]] = {}

    def _build(self, setting: TipSetting, seed: int) -> Any:
        return build_tip_model(setting, self.data.X_train.shape[1], self.hidden, self.n_classes, seed=seed)

    def _dense_start(self, kernel_initializer: str, seed: int) -> list[list[np.ndarray]]:
        """The Dense weights :func:`build_tip_model` starts from (its :func:`mlp` call), cached: they
        depend only on the initialiser and the seed."""
        key = (kernel_initializer, seed)
        if key not in self._dense_starts:
            base = mlp(self.data.X_train.shape[1], self.hidden, self.n_classes, activation=None,
                       kernel_initializer=kernel_initializer, seed=seed, name="tip_mlp")
            self._dense_starts[key] = [layer.get_weights() for layer in base.layers]
        return self._dense_starts[key]

    def _start_weights(self, trainer: _Trainer, setting: TipSetting, seed: int) -> list[list[np.ndarray]]:
        """Per layer of ``trainer.model``, the weights :func:`build_tip_model` would give it for ``seed``:
        the cached Dense draws, scaled and shifted as there, and every other layer's own initial weights."""
        dense = iter(self._dense_start(setting.kernel_initializer, seed))
        hidden_left = len(self.hidden)
        weights = []
        for layer, template in zip(trainer.model.layers, trainer.templates):
            if layer in trainer.dense:
                kernel, bias = next(dense)
                if hidden_left:
                    kernel, bias = kernel * setting.weight_scale, bias + setting.bias
                    hidden_left -= 1
                weights.append([kernel, bias])
            else:
                weights.append(template)
        return weights

    def _trainer(self, setting: TipSetting, seed: int) -> _Trainer:
        key = _architecture(setting)
        if self.reuse and key in self._trainers:
            trainer = self._trainers[key]
            trainer.start(self._start_weights(trainer, setting, seed), setting)
            return trainer
        model = self._build(setting, seed)
        trainer = _Trainer(model, setting.optimizer, self.batch_size)
        trainer.start(trainer.templates, setting)
        if self.reuse:
            self._trainers[key] = trainer
        return trainer

    def _result(self, setting: TipSetting, seed: int, model: Any, records: list[DeadUnitHistory],
                loss: Sequence[float]) -> TipRun:
        logits = np.asarray(model(self.data.X_test, training=False))
        accuracy = (float(np.mean(np.argmax(logits, axis=1) == self.data.y_test))
                    if np.all(np.isfinite(logits)) else float("nan"))
        return TipRun(setting, seed, _stack(records), np.asarray(loss, dtype=float), accuracy)

    def run(self, setting: TipSetting, seed: int) -> TipRun:
        """Train ``setting`` from the weights drawn with ``seed``, mini-batches in the order
        :func:`epoch_orders` draws with ``seed``; dead units measured on the whole training set before
        training and after every epoch, as :func:`relu_course.dead_units.dead_unit_monitor` does."""
        if not isinstance(setting, TipSetting):
            raise TypeError(f"setting must be a TipSetting, got {type(setting).__name__}")
        seed = _seed(seed)
        tf = load_tensorflow()
        trainer = self._trainer(setting, seed)
        X, y = tf.constant(self.data.X_train), tf.constant(self.data.y_train)
        records = [measure_dead_units(trainer.model, self.data.X_train, compiled=True)]
        loss = []
        for order in epoch_orders(len(self.data.y_train), self.epochs, seed):
            loss.append(float(trainer.epoch(X, y, tf.constant(order))))
            records.append(measure_dead_units(trainer.model, self.data.X_train, compiled=True))
        return self._result(setting, seed, trainer.model, records, loss)

    def run_with_fit(self, setting: TipSetting, seed: int) -> TipRun:
        """The reference for :meth:`run`: a fresh :func:`build_tip_model` trained with Keras's
        ``model.fit`` (one call per epoch on the examples in :func:`epoch_orders` order, unshuffled,
        the regularisers' losses added by Keras) and watched by a ``dead_unit_monitor``. Slow."""
        if not isinstance(setting, TipSetting):
            raise TypeError(f"setting must be a TipSetting, got {type(setting).__name__}")
        seed = _seed(seed)
        keras = load_keras()
        model = self._build(setting, seed)
        opt_class = keras.optimizers.SGD if setting.optimizer == "sgd" else keras.optimizers.Adam
        model.compile(optimizer=opt_class(learning_rate=setting.learning_rate),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        monitor = dead_unit_monitor(self.data.X_train)
        loss = []
        for order in epoch_orders(len(self.data.y_train), self.epochs, seed):
            fit = model.fit(self.data.X_train[order], self.data.y_train[order], epochs=1,
                            batch_size=self.batch_size, shuffle=False, verbose=0, callbacks=[monitor])
            loss.append(fit.history["loss"][0])
        history = monitor.history
        records = [DeadUnitHistory(history.layer_names, history.units, history.epochs[i:i + 1],
                                   history.dead[i:i + 1], history.inactive[i:i + 1],
                                   tuple(m[i:i + 1] for m in history.dead_masks), history.probe_size)
                   for i in range(len(history.epochs))]
        return self._result(setting, seed, model, records, loss)

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


def _stack(records: Sequence[DeadUnitHistory]) -> DeadUnitHistory:
    """One history from single-record measurements (record ``i`` becomes epoch ``i``)."""
    first = records[0]
    return DeadUnitHistory(first.layer_names, first.units, np.arange(len(records)),
                           np.concatenate([r.dead for r in records]),
                           np.concatenate([r.inactive for r in records]),
                           tuple(np.concatenate([r.dead_masks[i] for r in records])
                                 for i in range(len(first.units))), first.probe_size)


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
