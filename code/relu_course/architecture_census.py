"""Which activation functions real architectures use, read from their Keras model definitions.

Chapter 9 builds ``keras.applications`` models with ``weights=None`` (nothing is downloaded, see
:func:`no_downloads`) and reads each model's configuration, ``model.get_config()``: a plain dict
that lists every layer (and every tensor operation Keras recorded, such as ``x + 3.0``) in the order
the model applies them, with its class, its settings and the layers that feed it. From that dict
this module finds every layer that applies an activation function, says what Keras calls it, and
sorts it into one of four roles:

- ``head``: the classifier's activation, the one that produces the model's output (softmax);
- ``gate``: the sigmoid-like gate of a squeeze-and-excitation (SE) branch, which multiplies the
  feature map it came from;
- ``squeeze``: any other activation inside an SE branch (between its global pooling and its gate);
- ``hidden``: every other activation, the ones the course means by "the activation of a network".

Everything except :func:`build_census` works on plain dicts, so it is tested without TensorFlow.
"""
from __future__ import annotations

import contextlib
import math
import socket
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping, Sequence

import numpy as np

from relu_course._validation import instance_of, mapping_of

#: The architectures of the chapter's census, as named in ``keras.applications``.
ARCHITECTURES: tuple[str, ...] = (
    "VGG16", "ResNet50", "DenseNet121", "InceptionV3", "Xception", "MobileNet", "MobileNetV2",
    "MobileNetV3Small", "MobileNetV3Large", "EfficientNetB0", "EfficientNetV2B0", "ConvNeXtTiny",
)
ROLES: tuple[str, ...] = ("hidden", "squeeze", "gate", "head")
#: Layers with weights that mix channels or positions: convolutions and dense layers.
WEIGHTED_CLASSES = frozenset({"Conv1D", "Conv2D", "Conv3D", "DepthwiseConv1D", "DepthwiseConv2D",
                              "SeparableConv1D", "SeparableConv2D", "Conv2DTranspose", "Dense",
                              "EinsumDense"})
#: Standalone activation layers and the kind each one stands for (``ReLU`` is handled separately).
_ACTIVATION_LAYERS = {"LeakyReLU": "leaky_relu", "PReLU": "prelu", "ELU": "elu", "Softmax": "softmax"}
#: Operations that are not activation functions but are not linear either: a path through them does
#: not count as a linear link (max pooling selects, a Multiply of two tensors gates).
_NONLINEAR_CLASSES = frozenset({"MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "GlobalMaxPooling1D",
                                "GlobalMaxPooling2D", "GlobalMaxPooling3D"})
_LINEAR_NAMES = frozenset({"linear", "identity", None})


# ------------------------------------------------------------------ records
@dataclass(frozen=True)
class Entry:
    """One entry of a flattened model configuration: a layer or a recorded tensor operation."""

    index: int
    name: str
    class_name: str
    module: str
    config: Mapping[str, Any]
    inbound: tuple[str, ...]                        # names of the entries that feed it, in order
    input_shapes: tuple[tuple[Any, ...] | None, ...]  # the shape of each of those inputs, if recorded
    constants: tuple[float, ...]                    # number arguments of an operation (x + 3.0 -> 3.0)

    @property
    def is_operation(self) -> bool:
        """True for a tensor operation (``x + 3.0``), False for a Keras layer."""
        return ".ops." in self.module


@dataclass(frozen=True)
class Site:
    """A layer that applies an activation function."""

    index: int        # position among the entries of the model's configuration (0 = input)
    layer: str        # the layer's name in Keras
    layer_class: str  # its Keras class, e.g. "Activation", "ReLU", "Conv2D"
    kind: str         # relu, relu6, leaky_relu, hard_silu, silu, gelu, sigmoid, hard_sigmoid, softmax, ...
    keras_name: str   # how the configuration writes it, e.g. "Activation('hard_silu')", "ReLU(max_value=6.0)"
    role: str         # one of ROLES


@dataclass(frozen=True)
class Census:
    """The activation sites of one architecture, in the order the model applies them."""

    architecture: str
    n_layers: int                 # entries of the configuration: layers and recorded operations
    sites: tuple[Site, ...]
    linear_outputs: int = 0       # weighted layers whose output reaches other weighted layers with no activation
    build_seconds: float = math.nan
    notes: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if not isinstance(self.n_layers, int) or self.n_layers < 1:
            raise ValueError(f"n_layers must be a positive integer, got {self.n_layers!r}")
        for site in self.sites:
            if not isinstance(site, Site):
                raise TypeError(f"sites must hold Site records, got {type(site).__name__}")
            if not 0 <= site.index < self.n_layers:
                raise ValueError(f"site {site.layer!r} has index {site.index}, outside 0..{self.n_layers - 1}")
            if site.role not in ROLES:
                raise ValueError(f"site {site.layer!r} has role {site.role!r}; expected one of {ROLES}")
        if [s.index for s in self.sites] != sorted({s.index for s in self.sites}):
            raise ValueError("sites must be in the order of their index, one per layer")

    def select(self, role: str | None = "hidden") -> tuple[Site, ...]:
        """The sites of one role (``None``: all of them)."""
        if role is not None and role not in ROLES:
            raise ValueError(f"role must be one of {ROLES} or None, got {role!r}")
        return tuple(s for s in self.sites if role is None or s.role == role)

    def counts(self, role: str | None = "hidden") -> dict[str, int]:
        """How many sites of each kind, for one role (``None``: all), most frequent first."""
        return dict(Counter(s.kind for s in self.select(role)).most_common())

    def fractions(self, kind: str, role: str | None = "hidden") -> np.ndarray:
        """Where the sites of ``kind`` sit in depth: index / n_layers, the share of the model's
        entries that come before them (0 = first entry)."""
        return np.array([s.index / self.n_layers for s in self.select(role) if s.kind == kind])

    def first_fraction(self, kind: str, role: str | None = "hidden") -> float:
        """The depth fraction of the first site of ``kind`` (NaN when there is none)."""
        where = self.fractions(kind, role)
        return float(where[0]) if where.size else math.nan

    def takeover_fraction(self, kind: str, role: str | None = "hidden") -> float:
        """Where the final unbroken run of ``kind`` begins among the sites of ``role``: the depth
        fraction of the first site after the last site of any other kind. NaN when the last site is
        not of ``kind``."""
        sites = self.select(role)
        if not sites or sites[-1].kind != kind:
            return math.nan
        start = len(sites) - 1
        while start > 0 and sites[start - 1].kind == kind:
            start -= 1
        return sites[start].index / self.n_layers

    def sequence(self) -> list[str]:
        """One name per entry of the configuration: the activation kind of a site, "linear" elsewhere."""
        names = ["linear"] * self.n_layers
        for s in self.sites:
            names[s.index] = s.kind
        return names


# ------------------------------------------------------------------ reading a configuration
def _tensor_refs(value: Any) -> Iterator[tuple[str, tuple[Any, ...] | None]]:
    """Every ``__keras_tensor__`` reference in an inbound-node argument structure: (name, shape)."""
    if isinstance(value, Mapping):
        if value.get("class_name") == "__keras_tensor__":
            cfg = value.get("config", {})
            history = cfg.get("keras_history")
            shape = cfg.get("shape")
            yield str(history[0]), (tuple(shape) if shape is not None else None)
            return
        for item in value.values():
            yield from _tensor_refs(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _tensor_refs(item)


def _constants(node: Mapping[str, Any]) -> tuple[float, ...]:
    args = node.get("args", [])
    return tuple(float(a) for a in args if isinstance(a, (int, float)) and not isinstance(a, bool))


def _entry_name(layer: Mapping[str, Any]) -> str:
    name = layer.get("name") or layer.get("config", {}).get("name")
    if not isinstance(name, str):
        raise ValueError(f"a layer of the configuration has no name: {str(layer)[:120]}")
    return name


def flatten_config(config: Mapping[str, Any]) -> list[Entry]:
    """The entries of a functional model's ``get_config()`` dict, in the model's order.

    A nested ``Sequential`` model (ConvNeXt's stem, for example) is expanded into its layers, chained
    one after the other; the name of the nested model then stands for its last layer.
    """
    if not isinstance(config, Mapping) or not isinstance(config.get("layers"), list):
        raise TypeError("config must be a model configuration: a dict with a 'layers' list "
                        "(what model.get_config() returns)")
    alias: dict[str, str] = {}
    entries: list[Entry] = []
    for layer in config["layers"]:
        if not isinstance(layer, Mapping) or "class_name" not in layer:
            raise TypeError(f"every layer of config['layers'] must be a dict with a 'class_name', got {layer!r}")
        name = _entry_name(layer)
        nodes = layer.get("inbound_nodes") or []
        if len(nodes) > 1:
            raise ValueError(f"layer {name!r} is applied {len(nodes)} times; shared layers are not supported")
        refs = list(_tensor_refs(nodes[0]["args"])) if nodes else []
        inbound = tuple(alias.get(r, r) for r, _ in refs)
        shapes = tuple(s for _, s in refs)
        constants = _constants(nodes[0]) if nodes else ()
        inner_config = layer.get("config", {})
        if layer["class_name"] == "Sequential":
            previous = inbound
            for inner in inner_config.get("layers", []):
                if inner.get("class_name") == "InputLayer":
                    continue
                inner_name = _entry_name(inner)
                entries.append(Entry(len(entries), inner_name, inner["class_name"], str(inner.get("module", "")),
                                     inner.get("config", {}), previous, (None,) * len(previous), ()))
                previous = (inner_name,)
            alias[name] = previous[0] if previous else (inbound[0] if inbound else name)
            continue
        if isinstance(inner_config, Mapping) and isinstance(inner_config.get("layers"), list):
            raise NotImplementedError(f"layer {name!r} is a nested {layer['class_name']} model; only nested "
                                      "Sequential models are expanded")
        entries.append(Entry(len(entries), name, layer["class_name"], str(layer.get("module", "")),
                             inner_config, inbound, shapes, constants))
    return entries


def _activation_name(value: Any) -> str | None:
    """The name of a serialized activation: "relu" stays "relu"; a dict gives its registered name."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        inner = value.get("config")
        if isinstance(inner, str):
            return inner
        if isinstance(inner, Mapping) and isinstance(inner.get("name"), str):
            return inner["name"]
        return str(value.get("registered_name") or value.get("class_name"))
    return str(value)


def _relu_kind(config: Mapping[str, Any]) -> tuple[str, str]:
    max_value = config.get("max_value")
    slope = float(config.get("negative_slope", 0.0) or 0.0)
    threshold = float(config.get("threshold", 0.0) or 0.0)
    settings = ", ".join(f"{k}={v!r}" for k, v in (("max_value", max_value), ("negative_slope", slope),
                                                     ("threshold", threshold))
                         if (k == "max_value" and v is not None) or (k != "max_value" and v != 0.0))
    keras_name = f"ReLU({settings})"
    if slope == 0.0 and threshold == 0.0:
        if max_value is None:
            return "relu", keras_name
        if float(max_value) == 6.0:
            return "relu6", keras_name
        return f"relu_capped_{float(max_value):g}", keras_name
    if slope > 0.0 and threshold == 0.0 and max_value is None:
        return "leaky_relu", keras_name
    return "relu_variant", keras_name


def classify(entry: Entry) -> tuple[str, str] | None:
    """``(kind, keras_name)`` when the entry applies an activation function, else None.

    - ``Activation`` layers by their function's name ("relu", "silu", "hard_silu", "gelu", ...);
      an ``Activation('linear')`` is an identity and does not count;
    - ``ReLU`` layers by their settings: no cap -> "relu", ``max_value=6`` -> "relu6", a negative
      slope -> "leaky_relu";
    - ``LeakyReLU``, ``PReLU``, ``ELU`` and ``Softmax`` layers;
    - any other layer whose ``activation`` setting is not linear (``Conv2D(activation="relu")``).
    """
    instance_of(entry, Entry, "entry", "an Entry (one item of a model's configuration)")
    if entry.is_operation:
        return None
    cfg = entry.config
    if entry.class_name == "Activation":
        name = _activation_name(cfg.get("activation"))
        return None if name in _LINEAR_NAMES else (str(name), f"Activation({name!r})")
    if entry.class_name == "ReLU":
        return _relu_kind(cfg)
    if entry.class_name in _ACTIVATION_LAYERS:
        settings = ", ".join(f"{k}={cfg[k]!r}" for k in ("negative_slope", "alpha") if k in cfg)
        return _ACTIVATION_LAYERS[entry.class_name], f"{entry.class_name}({settings})"
    name = _activation_name(cfg.get("activation")) if isinstance(cfg, Mapping) else None
    if name in _LINEAR_NAMES:
        return None
    return str(name), f"{entry.class_name}(activation={name!r})"


def _graph(entries: Sequence[Entry]) -> tuple[dict[str, Entry], dict[str, list[str]]]:
    by_name = {e.name: e for e in entries}
    successors: dict[str, list[str]] = {e.name: [] for e in entries}
    for e in entries:
        for source in e.inbound:
            if source not in by_name:
                raise ValueError(f"layer {e.name!r} is fed by {source!r}, which the configuration does not define")
            successors[source].append(e.name)
    return by_name, successors


def _is_hard_sigmoid(entry: Entry, by_name: Mapping[str, Entry], successors: Mapping[str, list[str]]) -> bool:
    """ReLU6(x + 3) / 6, written as an ``x + 3.0`` operation, a ReLU(max_value=6) layer and a ``* 1/6``
    operation (how Keras's MobileNetV3 builds its squeeze-and-excitation gate)."""
    if len(entry.inbound) != 1 or len(successors[entry.name]) != 1:
        return False
    before, after = by_name[entry.inbound[0]], by_name[successors[entry.name][0]]
    return (before.is_operation and before.class_name == "Add" and before.constants == (3.0,)
            and after.is_operation and after.class_name == "Multiply" and len(after.constants) == 1
            and math.isclose(after.constants[0], 1 / 6, rel_tol=1e-6))


def _spatial_ones(shape: tuple[Any, ...] | None) -> bool | None:
    """True for a (batch, 1, 1, channels) tensor, False for a feature map, None when unknown."""
    if shape is None or len(shape) < 3:
        return None
    return all(d == 1 for d in shape[1:-1])


def _se_branches(by_name: Mapping[str, Entry]) -> list[set[str]]:
    """The entries of every squeeze-and-excitation branch: for each Multiply *layer* that scales a
    feature map by a (1 x 1 x channels) tensor, the entries between that tensor and the global
    pooling that produced it."""
    branches = []
    for e in by_name.values():
        if e.class_name != "Multiply" or e.is_operation or len(e.inbound) < 2:
            continue
        kinds = [_spatial_ones(s) for s in e.input_shapes]
        if True not in kinds or False not in kinds:
            continue
        start = e.inbound[kinds.index(True)]
        branch: set[str] = set()
        stack, valid = [start], True
        while stack:
            name = stack.pop()
            if name in branch:
                continue
            node = by_name[name]
            if node.class_name.startswith("Global") and "Pooling" in node.class_name:
                continue  # the squeeze: the branch starts after it
            if node.class_name == "InputLayer" or len(branch) > 50:
                valid = False
                break
            branch.add(name)
            stack.extend(node.inbound)
        if valid and branch:
            branches.append(branch)
    return branches


def _linear_outputs(entries: Sequence[Entry], site_names: set[str], successors: Mapping[str, list[str]],
                    by_name: Mapping[str, Entry]) -> int:
    """How many weighted layers (convolutions, dense layers) without an activation of their own pass
    their output on to other weighted layers along linear paths only: every path from the layer reaches
    a weighted layer (whose own activation, if any, comes after its kernel) before any activation
    function, max pooling, gating multiplication or model output.
    MobileNetV2's "linear bottlenecks" are such layers; so is any convolution followed by another one
    with nothing but normalisation, padding or additions in between."""
    count = 0
    for e in entries:
        if e.class_name not in WEIGHTED_CLASSES or e.name in site_names or not successors[e.name]:
            continue
        stack, seen, linear = list(successors[e.name]), set(), True
        while stack and linear:
            name = stack.pop()
            if name in seen:
                continue
            seen.add(name)
            node = by_name[name]
            if node.class_name in WEIGHTED_CLASSES:
                continue  # the path reaches another kernel first (its own activation comes after it): linear
            if (name in site_names or node.class_name in _NONLINEAR_CLASSES or not successors[name]
                    or (node.class_name == "Multiply" and not node.is_operation)):
                linear = False  # an activation, a max, a gate, or the model's output
                break
            stack.extend(successors[name])
        count += linear
    return count


def _output_names(output_layers: Any) -> set[str]:
    """Names of the output layers: Keras writes ``["predictions", 0, 0]`` for one output and a list of
    such triples for several."""
    if isinstance(output_layers, (list, tuple)) and output_layers and isinstance(output_layers[0], str):
        return {output_layers[0]}
    return {str(o[0]) for o in output_layers or [] if isinstance(o, (list, tuple)) and o}


def census_from_config(architecture: str, config: Mapping[str, Any], *, build_seconds: float = math.nan) -> Census:
    """Read the activation sites of one model from its ``get_config()`` dict (see the module docstring)."""
    if not isinstance(architecture, str) or not architecture:
        raise TypeError(f"architecture must be a non-empty string, got {architecture!r}")
    entries = flatten_config(config)
    by_name, successors = _graph(entries)
    found = {e.name: classify(e) for e in entries}
    found = {name: kind for name, kind in found.items() if kind is not None}
    outputs = _output_names(config.get("output_layers", []))
    roles = {name: "hidden" for name in found}
    for name in outputs & set(found):
        roles[name] = "head"
    notes = []
    for branch in _se_branches(by_name):
        in_branch = sorted((by_name[n].index, n) for n in branch if n in found)
        for _, name in in_branch[:-1]:
            roles[name] = "squeeze"
        if in_branch:
            roles[in_branch[-1][1]] = "gate"
    for name, (kind, keras_name) in list(found.items()):
        if kind == "relu6" and _is_hard_sigmoid(by_name[name], by_name, successors):
            found[name] = ("hard_sigmoid", "ReLU(max_value=6.0) applied to x + 3.0, then * 1/6")
            notes.append(name)
    sites = tuple(Site(by_name[n].index, n, by_name[n].class_name, kind, keras_name, roles[n])
                  for n, (kind, keras_name) in sorted(found.items(), key=lambda item: by_name[item[0]].index))
    linear = _linear_outputs(entries, set(found), successors, by_name)
    note = (f"{len(notes)} ReLU(max_value=6) layers are hard sigmoids, ReLU6(x + 3) / 6",) if notes else ()
    return Census(architecture, len(entries), sites, linear, float(build_seconds), note)


# ------------------------------------------------------------------ building the real models
class DownloadBlocked(RuntimeError):
    """Raised when something tries to download or open a network connection inside no_downloads()."""


@dataclass
class DownloadGuard:
    """What :func:`no_downloads` saw: the attempts it blocked."""

    attempts: list[str] = field(default_factory=list)


@contextlib.contextmanager
def no_downloads() -> Iterator[DownloadGuard]:
    """Inside this block, Keras's file downloader and every new network connection raise
    :class:`DownloadBlocked`; the guard lists the attempts. Used to show that building the census
    models with ``weights=None`` fetches nothing."""
    guard = DownloadGuard()
    patched: list[tuple[Any, str, Any]] = []

    def blocked(what: str):
        def refuse(*args: Any, **kwargs: Any) -> Any:
            guard.attempts.append(f"{what}{args[:2]!r}")
            raise DownloadBlocked(f"no_downloads(): blocked {what} {args[:2]!r}")
        return refuse

    def patch(owner: Any, attribute: str, what: str) -> None:
        patched.append((owner, attribute, getattr(owner, attribute)))
        setattr(owner, attribute, blocked(what))

    patch(socket.socket, "connect", "socket.connect")
    patch(socket.socket, "connect_ex", "socket.connect_ex")
    patch(socket, "create_connection", "socket.create_connection")
    import sys
    if "keras" in sys.modules:
        from keras.src.utils import file_utils

        patch(file_utils, "get_file", "keras get_file")
    try:
        yield guard
    finally:
        for owner, attribute, original in reversed(patched):
            setattr(owner, attribute, original)


def build_census(architectures: Sequence[str] = ARCHITECTURES, *,
                 initialize_weights: bool = False) -> tuple[dict[str, Census], DownloadGuard]:
    """Build each architecture once from ``keras.applications`` with ``weights=None`` inside
    :func:`no_downloads`, read its census from that one build, and clear Keras's session before the
    next one. Returns the censuses (by architecture) and the guard (its ``attempts`` must be empty).

    The census needs only the structure, so by default the models are built inside a
    ``keras.StatelessScope``, where Keras defers the random initialisation of the weights; this saves
    about a quarter of the time and gives the same configuration (the tests check it).
    ``initialize_weights=True`` builds them the ordinary way.
    """
    from relu_course.tf_loader import load_keras

    if isinstance(architectures, str) or not architectures:
        raise TypeError("architectures must be a non-empty sequence of keras.applications names")
    if not isinstance(initialize_weights, bool):
        raise TypeError(f"initialize_weights must be True or False, got {initialize_weights!r}")
    keras = load_keras()
    for name in architectures:
        if not isinstance(name, str) or not callable(getattr(keras.applications, name, None)):
            raise ValueError(f"{name!r} is not a model of keras.applications")
    result = {}
    with no_downloads() as guard:
        for name in architectures:
            start = time.perf_counter()
            with contextlib.nullcontext() if initialize_weights else keras.StatelessScope():
                model = getattr(keras.applications, name)(weights=None)
                config = model.get_config()
            seconds = time.perf_counter() - start
            result[name] = census_from_config(name, config, build_seconds=seconds)
            del model
            keras.backend.clear_session()
    return result, guard


# ------------------------------------------------------------------ presenting
#: How the literature names what Keras calls each kind.
DISPLAY_NAMES: dict[str, str] = {
    "relu": "ReLU", "relu6": "ReLU6", "leaky_relu": "Leaky ReLU", "prelu": "PReLU", "elu": "ELU",
    "hard_silu": "h-swish", "silu": "SiLU / Swish", "gelu": "GELU", "sigmoid": "sigmoid",
    "hard_sigmoid": "hard sigmoid", "softmax": "softmax", "tanh": "tanh", "selu": "SELU",
    "swish": "SiLU / Swish", "hard_swish": "h-swish",
}


def display_name(kind: str) -> str:
    """The usual name of a kind in papers: "hard_silu" -> "h-swish"; unknown kinds stay as they are."""
    if not isinstance(kind, str):
        raise TypeError(f"kind must be a string such as 'relu', got {type(kind).__name__}")
    return DISPLAY_NAMES.get(kind, kind)


def _counts_text(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{display_name(k)} × {n}" for k, n in counts.items()) or "none"


def census_rows(censuses: Mapping[str, Census]) -> list[list[str]]:
    """Rows of the census table: architecture, hidden activations, SE squeeze, SE gate, classifier,
    weighted layers left linear, entries of the configuration."""
    mapping_of(censuses, Census, "censuses", "architecture name -> Census")
    rows = []
    for name, c in censuses.items():
        if not isinstance(c, Census):
            raise TypeError(f"censuses[{name!r}] must be a Census, got {type(c).__name__}")
        rows.append([name, _counts_text(c.counts("hidden")), _counts_text(c.counts("squeeze")),
                     _counts_text(c.counts("gate")), _counts_text(c.counts("head")), str(c.linear_outputs),
                     str(c.n_layers)])
    return rows


CENSUS_HEADER = ("Architecture (Keras)", "Hidden activations", "SE squeeze", "SE gate", "Classifier",
                 "Conv/dense layers left linear", "Entries")


def summary(census: Census) -> str:
    """One line: the hidden activations with their counts, e.g. "ReLU6 × 35"."""
    if not isinstance(census, Census):
        raise TypeError(f"census must be a Census, got {type(census).__name__}")
    return _counts_text(census.counts("hidden"))
