"""Watch ReLU units die: a Keras callback that measures dead and inactive units on a fixed probe batch.

A unit is *inactive* on an example when its pre-activation is <= 0, so that ReLU outputs exactly 0
(Leaky ReLU, PReLU, ELU and SELU output a value <= 0 there). A unit is *dead* on the probe batch when
it is inactive on **every** example: for a ReLU unit the gradient of its incoming weights is then
exactly zero on that batch. For a convolution a unit is a channel (one feature map), inactive at a
position or not. Use it on your own model (a Sequential or Functional Keras model)::

    from relu_course.dead_units import dead_unit_monitor, plot_dead_units
    monitor = dead_unit_monitor(X_train[:512])            # the probe batch
    model.fit(X_train, y_train, epochs=10, callbacks=[monitor], verbose=0)
    monitor.history.dead         # (epochs + 1, layers): row 0 is before training
    plot_dead_units(monitor.history)

The monitor finds every ReLU-family layer by itself: Dense/Conv layers whose ``activation`` is one
of :data:`KERAS_ACTIVATIONS`, and standalone ``ReLU``, ``LeakyReLU``, ``PReLU`` and ``ELU`` layers
(and ``Activation`` layers with a ReLU-family function). The probe batch is run in inference mode
(``training=False``: Dropout off, BatchNormalization uses its moving statistics).

Importing this module does not import TensorFlow; Keras is loaded (quietly, through
relu_course.tf_loader) when a monitor is created, and ``DeadUnitMonitor``, the callback class, is
created then (``from relu_course.dead_units import DeadUnitMonitor`` loads Keras).
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from relu_course._validation import as_real_array
from relu_course.activation_registry import get_activation
from relu_course.style import COLOR_CYCLE, LINESTYLE_CYCLE, figure
from relu_course.tf_loader import load_keras, load_tensorflow

#: Registry keys of the activations whose units can be inactive (output <= 0 exactly when input <= 0).
RELU_FAMILY: tuple[str, ...] = ("relu", "leaky_relu", "prelu", "rrelu", "relu6", "elu", "selu")
#: Their Keras activation-function names (``Dense(..., activation=name)``), read from the registry.
KERAS_ACTIVATIONS: frozenset[str] = frozenset(
    get_activation(key).keras for key in RELU_FAMILY if get_activation(key).keras)
#: Standalone Keras activation layers the monitor watches, by class name.
ACTIVATION_LAYERS: tuple[str, ...] = ("ReLU", "LeakyReLU", "PReLU", "ELU")
#: Layers judged on their input (pre-activation) rather than their output: a learned PReLU slope may
#: turn negative, and then a negative output no longer means a negative input.
JUDGED_ON_INPUT: tuple[str, ...] = ("PReLU",)


def _layer_values(values: Any, channel_axis: Any) -> np.ndarray:
    """``values`` validated, with the unit axis moved last and all other axes flattened: (entries, units)."""
    array = as_real_array(values, "values")
    if array.ndim < 2 or array.shape[0] == 0:
        raise ValueError(f"values must have at least 2 dimensions (examples, ..., units) and at least one "
                         f"example, got shape {array.shape}")
    if isinstance(channel_axis, (bool, np.bool_)) or not isinstance(channel_axis, (int, np.integer)):
        raise TypeError(f"channel_axis must be an integer, got {channel_axis!r}")
    if not -array.ndim < channel_axis < array.ndim or channel_axis % array.ndim == 0:
        raise ValueError(f"channel_axis must name a unit axis of an array of shape {array.shape} "
                         f"(not the examples axis 0), got {channel_axis}")
    if array.size == 0:
        raise ValueError(f"values must not be empty, got shape {array.shape}")
    moved = np.moveaxis(array, int(channel_axis), -1)
    return moved.reshape(-1, moved.shape[-1])


def dead_unit_mask(values: Any, *, channel_axis: int = -1) -> np.ndarray:
    """One boolean per unit (entry along ``channel_axis``) of one layer's outputs on a batch (examples
    first): True where the unit is <= 0 for every example and position. All False when any value is
    NaN or infinite (a diverged network has no meaningful answer)."""
    flat = _layer_values(values, channel_axis)
    if not np.all(np.isfinite(flat)):
        return np.zeros(flat.shape[1], dtype=bool)
    return np.all(flat <= 0, axis=0)


def inactive_fractions(values: Any, *, channel_axis: int = -1) -> tuple[float, float]:
    """``(dead, inactive)`` for one layer's outputs on a batch (examples first).

    ``dead``: share of units (entries along ``channel_axis``) that are <= 0 for every example and
    position (:func:`dead_unit_mask`). ``inactive``: share of all entries that are <= 0. Both are NaN
    when any entry is NaN or infinite.
    """
    flat = _layer_values(values, channel_axis)
    if not np.all(np.isfinite(flat)):
        return float("nan"), float("nan")
    inactive = flat <= 0
    return float(inactive.all(axis=0).mean()), float(inactive.mean())


@dataclass(frozen=True)
class DeadUnitHistory:
    """What a monitor measured: one row per record (row 0 before training, row e after epoch e).

    ``dead[r, l]`` and ``inactive[r, l]`` are the fractions of :func:`inactive_fractions` for layer
    ``l`` at record ``r``; ``units[l]`` is that layer's number of units (channels), and
    ``dead_masks[l]`` its :func:`dead_unit_mask` at every record, shape (records, units).
    """

    layer_names: tuple[str, ...]
    units: tuple[int, ...]
    epochs: np.ndarray     # (records,)
    dead: np.ndarray       # (records, layers)
    inactive: np.ndarray   # (records, layers)
    dead_masks: tuple[np.ndarray, ...]
    probe_size: int

    def __post_init__(self) -> None:
        shape = (len(self.epochs), len(self.layer_names))
        if len(self.units) != shape[1] or np.shape(self.dead) != shape or np.shape(self.inactive) != shape:
            raise ValueError(f"dead and inactive must have shape (records, layers) = {shape}, and units "
                             f"one entry per layer; got {np.shape(self.dead)}, {np.shape(self.inactive)}, "
                             f"{len(self.units)} units")
        if len(self.dead_masks) != shape[1] or any(
                np.shape(m) != (shape[0], u) for m, u in zip(self.dead_masks, self.units)):
            raise ValueError("dead_masks must hold one (records, units) array per layer")

    def revived(self) -> np.ndarray:
        """Per layer: how many units were dead at some record but are alive at the last one."""
        return np.array([int(np.sum(m[:-1].any(axis=0) & ~m[-1])) for m in self.dead_masks])

    def dead_overall(self) -> np.ndarray:
        """Per record: the share of all monitored units that are dead (layers weighted by their units)."""
        return self.dead @ np.asarray(self.units, float) / float(np.sum(self.units))

    def inactive_overall(self) -> np.ndarray:
        """Per record: the share of all monitored outputs that are inactive (layers weighted by units)."""
        return self.inactive @ np.asarray(self.units, float) / float(np.sum(self.units))


def _activation_name(layer: Any) -> str | None:
    func = getattr(layer, "activation", None)
    name = getattr(func, "__name__", None)
    return name if isinstance(name, str) else None


def _sublayers(model: Any) -> list[Any]:
    found = []
    for layer in getattr(model, "layers", []):
        found.extend(_sublayers(layer) if hasattr(layer, "layers") else [layer])
    return found


def relu_family_layers(model: Any) -> list[Any]:
    """The layers of ``model`` (nested models included) that the monitor watches, in model order."""
    if not hasattr(model, "layers"):
        raise TypeError(f"model must be a Keras model, got {type(model).__name__}")
    return [layer for layer in _sublayers(model)
            if type(layer).__name__ in ACTIVATION_LAYERS or _activation_name(layer) in KERAS_ACTIVATIONS]


def _select(model: Any, layer_names: tuple[str, ...] | None) -> list[Any]:
    candidates = relu_family_layers(model)
    if layer_names is None:
        if not candidates:
            raise ValueError("model has no ReLU-family layer to monitor (Dense/Conv with activation "
                             f"{sorted(KERAS_ACTIVATIONS)}, or a {'/'.join(ACTIVATION_LAYERS)} layer)")
        return candidates
    by_name = {layer.name: layer for layer in candidates}
    unknown = [name for name in layer_names if name not in by_name]
    if unknown:
        raise ValueError(f"layer_names {unknown} are not ReLU-family layers of the model; "
                         f"candidates: {sorted(by_name)}")
    return [by_name[name] for name in layer_names]


def _channel_axis(layer: Any) -> int:
    return 1 if getattr(layer, "data_format", "channels_last") == "channels_first" else -1


class _Probe:
    """A model that returns every watched layer's outputs (or PReLU inputs) for the probe batch."""

    def __init__(self, model: Any, layers: list[Any]) -> None:
        keras = load_keras()
        try:
            tensors = [layer.input if type(layer).__name__ in JUDGED_ON_INPUT else layer.output
                       for layer in layers]
            inputs = model.inputs
            self.model = keras.Model(inputs=inputs[0], outputs=tensors)
        except (AttributeError, TypeError, ValueError, IndexError) as err:
            raise TypeError("model must be a Sequential or Functional Keras model with a defined input "
                            f"(start it with keras.Input); subclassed models are not supported ({err})") from None
        if len(inputs) != 1:
            raise TypeError(f"model must have exactly one input, got {len(inputs)}")
        self.layers = layers
        self._compiled: Any = None

    def measure(self, probe: np.ndarray, compiled: bool = False) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
        """Per layer: dead fraction, inactive fraction, dead mask. ``compiled``: run the probe model as a
        ``tf.function`` (traced on first use), which pays off when one model is measured many times."""
        if compiled:
            if self._compiled is None:
                probe_model = self.model
                self._compiled = load_tensorflow().function(lambda x: probe_model(x, training=False),
                                                           autograph=False)
            outputs = self._compiled(probe)
        else:
            outputs = self.model(probe, training=False)
        outputs = [np.asarray(out) for out in (outputs if isinstance(outputs, (list, tuple)) else [outputs])]
        axes = [_channel_axis(layer) for layer in self.layers]
        pairs = [inactive_fractions(out, channel_axis=axis) for out, axis in zip(outputs, axes)]
        masks = [dead_unit_mask(out, channel_axis=axis) for out, axis in zip(outputs, axes)]
        return np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs]), masks


#: Probe models by watched model and layer names: a model trained again (e.g. from new starting
#: weights) reuses its probe model, whose first call is much slower than the later ones.
_PROBES: weakref.WeakKeyDictionary[Any, dict[tuple[str, ...] | None, _Probe]] = weakref.WeakKeyDictionary()


def _probe_for(model: Any, layer_names: tuple[str, ...] | None) -> _Probe:
    try:
        by_names = _PROBES.setdefault(model, {})
    except TypeError:   # not weak-referenceable: no cache
        by_names = {}
    if layer_names not in by_names:
        by_names[layer_names] = _Probe(model, _select(model, layer_names))
    return by_names[layer_names]


def _probe_array(probe: Any) -> np.ndarray:
    array = as_real_array(probe, "probe")
    if array.ndim < 2 or array.shape[0] == 0:
        raise ValueError(f"probe must be a batch of examples (at least 2-D, examples first), got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError("probe must contain finite numbers only")
    return array.astype(np.float32)


def _layer_names(layer_names: Any) -> tuple[str, ...] | None:
    if layer_names is None:
        return None
    if isinstance(layer_names, (str, bytes)) or not hasattr(layer_names, "__iter__"):
        raise TypeError(f"layer_names must be None or a sequence of layer names, got {layer_names!r}")
    names = tuple(layer_names)
    if not names or not all(isinstance(n, str) for n in names):
        raise TypeError(f"layer_names must be a non-empty sequence of strings, got {layer_names!r}")
    return names


def measure_dead_units(model: Any, probe: Any, layer_names: Sequence[str] | None = None, *,
                       compiled: bool = False) -> DeadUnitHistory:
    """One measurement of ``model`` on ``probe`` now, without training (a history with one record, epoch 0).

    ``compiled=True`` runs the forward pass as a compiled TensorFlow function, traced on the first call
    for this model: the same numbers, several times faster when one model is measured again and again
    (e.g. after every epoch of many training runs that reuse it)."""
    if not isinstance(compiled, bool):
        raise TypeError(f"compiled must be True or False, got {compiled!r}")
    probe_arr, names = _probe_array(probe), _layer_names(layer_names)
    probe_model = _probe_for(model, names)
    dead, inactive, masks = probe_model.measure(probe_arr, compiled=compiled)
    return DeadUnitHistory(tuple(layer.name for layer in probe_model.layers), tuple(m.size for m in masks),
                           np.array([0]), dead[None, :], inactive[None, :], tuple(m[None, :] for m in masks),
                           probe_arr.shape[0])


@lru_cache(maxsize=1)
def _monitor_class() -> type:
    keras = load_keras()

    class DeadUnitMonitor(keras.callbacks.Callback):
        """Keras callback: dead and inactive fractions of every ReLU-family layer on a fixed probe batch,
        before training and after every epoch. Read them from ``monitor.history`` (a DeadUnitHistory)."""

        def __init__(self, probe: Any, layer_names: Sequence[str] | None = None) -> None:
            super().__init__()
            self.probe = _probe_array(probe)
            self.layer_names = _layer_names(layer_names)
            self._probe_model: _Probe | None = None
            self._epochs: list[int] = []
            self._dead: list[np.ndarray] = []
            self._inactive: list[np.ndarray] = []
            self._masks: list[list[np.ndarray]] = []

        def _record(self, epoch: int) -> None:
            if self._probe_model is None:
                self._probe_model = _probe_for(self.model, self.layer_names)
            dead, inactive, masks = self._probe_model.measure(self.probe)
            self._epochs.append(epoch)
            self._dead.append(dead)
            self._inactive.append(inactive)
            self._masks.append(masks)

        def set_model(self, model: Any) -> None:
            if self._probe_model is not None and model is not self.model:
                raise ValueError("this monitor already watches another model; create one monitor per model")
            super().set_model(model)

        def on_train_begin(self, logs: Any = None) -> None:
            if not self._epochs:      # a second fit continues the same history
                self._record(0)

        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            self._record(self._epochs[-1] + 1)   # epochs trained under this monitor, across fits

        @property
        def history(self) -> DeadUnitHistory:
            if not self._epochs:
                raise RuntimeError("nothing recorded yet: pass the monitor to model.fit(callbacks=[...])")
            units = tuple(mask.size for mask in self._masks[0])
            return DeadUnitHistory(tuple(layer.name for layer in self._probe_model.layers), units,
                                   np.array(self._epochs), np.array(self._dead), np.array(self._inactive),
                                   tuple(np.array(layer) for layer in zip(*self._masks)), self.probe.shape[0])

    return DeadUnitMonitor


def dead_unit_monitor(probe: Any, layer_names: Sequence[str] | None = None) -> Any:
    """A new DeadUnitMonitor callback for the examples ``probe`` (all ReLU-family layers, or those named)."""
    return _monitor_class()(probe, layer_names)


def __getattr__(name: str) -> Any:  # ``DeadUnitMonitor`` is created on first use, so importing stays TF-free
    if name == "DeadUnitMonitor":
        return _monitor_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _history(history: Any) -> DeadUnitHistory:
    if not isinstance(history, DeadUnitHistory):
        raise TypeError(f"history must be a DeadUnitHistory (monitor.history), got {type(history).__name__}")
    return history


def draw_dead_units(ax: Axes, history: DeadUnitHistory, *, which: str = "dead", legend: bool = True) -> None:
    """One line per layer over the epochs: the dead fraction (``which="dead"``) or the inactive one."""
    history = _history(history)
    if which not in ("dead", "inactive"):
        raise ValueError(f"which must be 'dead' or 'inactive', got {which!r}")
    values = history.dead if which == "dead" else history.inactive
    for i, name in enumerate(history.layer_names):
        ax.plot(history.epochs, values[:, i], label=name, marker="o", markersize=4,
                color=COLOR_CYCLE[i % len(COLOR_CYCLE)], linestyle=LINESTYLE_CYCLE[i % len(LINESTYLE_CYCLE)])
    ax.set_ylim(-0.03, 1.03)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("epoch (0 = before training)")
    ax.set_ylabel("dead units" if which == "dead" else "inactive outputs")
    if legend:
        ax.legend(loc="best")


def plot_dead_units(history: DeadUnitHistory) -> Figure:
    """Two panels: the share of dead units per layer and the share of inactive outputs per layer, over epochs."""
    history = _history(history)
    fig, (left, right) = figure(ncols=2)
    draw_dead_units(left, history, which="dead")
    draw_dead_units(right, history, which="inactive", legend=False)
    left.set_title("dead: inactive on every probe example")
    right.set_title("inactive outputs (all examples)")
    return fig
