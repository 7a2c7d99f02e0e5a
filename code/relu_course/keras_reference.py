"""A NumPy reference of Keras's generalised ReLU, and where Keras differs from it at the boundaries.

``keras.activations.relu(x, negative_slope=a, max_value=m, threshold=t)`` (and the ``keras.layers.ReLU``
layer, which calls it) computes, read from keras/src/activations/activations.py (Keras 3):

    f(x) = min(x, m)      if x > t
    f(x) = a (x - t)      if x <= t

The layer's docstring says ``f(x) = x if threshold <= x``, so f(t) = t; the code returns 0 there.
:func:`keras_relu_reference` follows the code and keeps NaN; its derivative takes, at each boundary,
the slope TensorFlow's own kernels take at theirs (relu's 0 and leaky_relu's a at the bottom kink,
relu6's 0 at the cap). Keras computes each setting along one of several code paths (leaky_relu, relu,
relu6, clip, where), and its autodiff slopes at the boundaries depend on the path:
:data:`KERAS_RULES` lists every difference with its reason, and :func:`keras_audit` finds them.

TensorFlow is imported only inside the functions that need it (via relu_course.tf_loader).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike

from relu_course import framework_agreement as fa
from relu_course._validation import as_real_array, real_scalar
from relu_course.tables import markdown_table
from relu_course.tf_loader import load_keras
from relu_course._validation import choice

DTYPES: tuple[str, ...] = fa.DTYPES


def check_dtype(dtype: Any) -> str:
    """``dtype`` if it is one of DTYPES, else a ValueError naming it."""
    return choice(dtype, DTYPES, "dtype")


def sorted_grid(values: Sequence[float], dtype: str) -> np.ndarray:
    """The values in ``dtype``, sorted, NaN last, duplicates removed, but -0.0 (first) and 0.0 both kept."""
    kept: dict[tuple[bool, float, bool], Any] = {}
    for v in np.asarray(values, dtype=check_dtype(dtype)):
        nan = bool(np.isnan(v))
        kept.setdefault((nan, 0.0 if nan else float(v), bool(v == 0 and np.signbit(v))), v)
    order = sorted(kept, key=lambda k: (k[0], k[1], not k[2]))
    return np.array([kept[k] for k in order], dtype=dtype)


def is_subnormal(x: float, dtype: str) -> bool:
    """Whether x is a non-zero subnormal number of ``dtype`` (smaller in size than the smallest normal)."""
    return 0 < abs(x) < float(np.finfo(check_dtype(dtype)).tiny)


def tf_values_and_derivatives(function: Callable[[Any], Any], points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Values and derivatives of a TensorFlow function at the 1-D array ``points`` (tf.GradientTape)."""
    counterpart = fa.Counterpart("relu", "tensorflow", "function", lambda ns, dtype: function)
    return fa.evaluate(counterpart, points, check_dtype(points.dtype.name))


@dataclass(frozen=True)
class KerasReluSetting:
    """The parameters of ``keras.activations.relu`` / ``keras.layers.ReLU``.

    Validated as ``keras.layers.ReLU`` validates them: every parameter >= 0, ``max_value`` may be None.
    """

    negative_slope: float = 0.0
    max_value: float | None = None
    threshold: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "negative_slope", real_scalar(self.negative_slope, "negative_slope", low=0.0))
        object.__setattr__(self, "threshold", real_scalar(self.threshold, "threshold", low=0.0))
        if self.max_value is not None:
            object.__setattr__(self, "max_value", real_scalar(self.max_value, "max_value", low=0.0))

    @property
    def kwargs(self) -> dict[str, float | None]:
        return {"negative_slope": self.negative_slope, "max_value": self.max_value, "threshold": self.threshold}

    @property
    def label(self) -> str:
        parts = [f"negative_slope={self.negative_slope:g}" if self.negative_slope else "",
                 f"max_value={self.max_value:g}" if self.max_value is not None else "",
                 f"threshold={self.threshold:g}" if self.threshold else ""]
        return ", ".join(p for p in parts if p) or "defaults"

    @property
    def leaky_path(self) -> bool:
        """Keras hands this setting to tf.nn.leaky_relu as a whole."""
        return self.negative_slope != 0 and self.max_value is None and self.threshold == 0

    @property
    def relu6_path(self) -> bool:
        """Keras uses the native relu6 op for the positive part."""
        return not self.leaky_path and self.threshold == 0 and self.max_value == 6

    @property
    def clip_path(self) -> bool:
        """Keras clips the positive part with clip(·, 0, max_value)."""
        return not self.leaky_path and self.max_value is not None and not self.relu6_path

    @property
    def keras_path(self) -> str:
        """How keras/src/activations/activations.py (Keras 3) computes this setting."""
        if self.leaky_path:
            return "leaky_relu(x)"
        text = "where(x > t, x, 0)" if self.threshold else ("relu6(x)" if self.relu6_path else "relu(x)")
        if self.clip_path:
            text = f"clip({text}, 0, m)"
        if self.negative_slope:
            text += " − a·relu(t − x)" if self.threshold else " − a·relu(−x)"
        return text


def _setting(negative_slope: Any, max_value: Any, threshold: Any) -> KerasReluSetting:
    return KerasReluSetting(negative_slope, max_value, threshold)


def keras_relu_reference(x: ArrayLike, negative_slope: float = 0.0, max_value: float | None = None,
                         threshold: float = 0.0) -> np.ndarray | np.floating:
    """NumPy reference of keras.activations.relu: min(x, max_value) where x > threshold, else
    negative_slope * (x - threshold). NaN stays NaN; computed in x's dtype."""
    s = _setting(negative_slope, max_value, threshold)
    x = as_real_array(x, "x")
    kind = x.dtype.type
    upper = x if s.max_value is None else np.minimum(x, kind(s.max_value))
    lower = np.zeros_like(x) if s.negative_slope == 0 else kind(s.negative_slope) * (x - kind(s.threshold))
    out = np.where(x > kind(s.threshold), upper, lower)
    out = np.where(np.isnan(x), x, out) + kind(0)  # + 0 turns -0.0 into +0.0
    return out[()] if out.ndim == 0 else out


def keras_relu_reference_derivative(x: ArrayLike, negative_slope: float = 0.0, max_value: float | None = None,
                                    threshold: float = 0.0) -> np.ndarray | np.floating:
    """Its derivative: 1 where threshold < x < max_value, negative_slope where x <= threshold,
    0 where x >= max_value (and x > threshold); NaN at NaN."""
    s = _setting(negative_slope, max_value, threshold)
    x = as_real_array(x, "x")
    kind = x.dtype.type
    inside = x < kind(s.max_value) if s.max_value is not None else np.ones(x.shape, dtype=bool)
    slope = np.where(x > kind(s.threshold), np.where(inside, kind(1), kind(0)), kind(s.negative_slope))
    slope = np.where(np.isnan(x), kind(np.nan), slope)
    return slope[()] if slope.ndim == 0 else slope


#: The settings compared with Keras: every path of the Keras source (leaky_relu, relu, relu6, clip,
#: where), each with and without a negative slope. Slopes are exact in float32 (the leaky_relu op keeps
#: its slope as a float32 attribute, even for float64 tensors).
KERAS_SETTINGS: tuple[KerasReluSetting, ...] = (
    KerasReluSetting(),
    KerasReluSetting(negative_slope=0.25),
    KerasReluSetting(max_value=6.0),
    KerasReluSetting(negative_slope=0.25, max_value=6.0),
    KerasReluSetting(max_value=5.0),
    KerasReluSetting(negative_slope=0.25, max_value=5.0),
    KerasReluSetting(threshold=1.0),
    KerasReluSetting(negative_slope=0.25, threshold=1.0),
    KerasReluSetting(negative_slope=0.5, max_value=4.0, threshold=1.5),
    KerasReluSetting(max_value=6.0, threshold=1.0),
)
#: The two Keras entry points, which run the same code.
KERAS_APIS: tuple[str, ...] = ("keras.activations.relu", "keras.layers.ReLU")


def keras_grid(setting: KerasReluSetting, dtype: str = "float32") -> np.ndarray:
    """fa.GRID plus the setting's boundaries (threshold, max_value), their float neighbours and ±0.5."""
    if not isinstance(setting, KerasReluSetting):
        raise TypeError(f"setting must be a KerasReluSetting, got {type(setting).__name__}")
    kind = np.dtype(check_dtype(dtype)).type
    extra: list[float] = []
    for b in (setting.threshold, setting.max_value):
        if b is not None:
            b = kind(b)
            extra += [b, np.nextafter(b, kind(-np.inf)), np.nextafter(b, kind(np.inf)), b - kind(0.5), b + kind(0.5)]
    return sorted_grid(list(fa.GRID) + [float(v) for v in extra], dtype)


@dataclass(frozen=True)
class KerasRule:
    """A documented way in which Keras differs from the reference at a boundary, and why."""

    where: str
    quantity: str
    keras_gives: str
    reference_gives: str
    reason: str
    applies: Callable[[KerasReluSetting, float, str], bool]
    gives: Callable[[KerasReluSetting], float]


def _is_nan(x: float) -> bool:
    return math.isnan(x)


_KERAS_SOURCE = "keras/src/activations/activations.py"
KERAS_RULES: tuple[KerasRule, ...] = (
    KerasRule("f at NaN, threshold ≠ 0 and negative_slope = 0", "value", "0", "NaN",
              f"`where(x > threshold, x, 0)` ({_KERAS_SOURCE}): NaN > threshold is False, so NaN becomes 0, "
              "and without a negative slope no other term carries the NaN",
              lambda s, x, dtype: _is_nan(x) and s.threshold != 0 and s.negative_slope == 0, lambda s: 0.0),
    KerasRule("f′ at NaN, leaky_relu path", "derivative", "a", "NaN",
              "tf.nn.leaky_relu's gradient takes the slope a wherever x > 0 is False, as it is for NaN",
              lambda s, x, dtype: _is_nan(x) and s.leaky_path, lambda s: s.negative_slope),
    KerasRule("f′ at NaN, every other path", "derivative", "0", "NaN",
              "the gradient masks (x > 0, x > threshold, x ≤ max_value) are False for NaN",
              lambda s, x, dtype: _is_nan(x) and not s.leaky_path, lambda s: 0.0),
    KerasRule("f′ at ± the smallest subnormal, threshold = 0", "derivative", "its f′(0)", "1 or a",
              "TensorFlow flushes subnormal numbers to zero on its CPU threads, so Keras sees x = 0 and uses its "
              "slope at 0: a on the leaky_relu path, else 0",
              lambda s, x, dtype: s.threshold == 0 and is_subnormal(x, dtype), lambda s: s.negative_slope if s.leaky_path else 0.0),
    KerasRule("f′ at x = threshold, negative_slope ≠ 0, not the leaky_relu path", "derivative", "0", "a",
              "Keras adds − a·relu(threshold − x) to the positive part; at x = threshold both terms have "
              "slope 0 (relu's gradient at 0 is 0, where's mask is False), so the slope a is lost",
              lambda s, x, dtype: x == s.threshold and s.negative_slope != 0 and not s.leaky_path, lambda s: 0.0),
    KerasRule("f′ at x = max_value > threshold, clip path", "derivative", "1", "0",
              "tf.clip_by_value is tf.minimum(x, max_value) then tf.maximum(·, 0); tf.minimum's gradient goes "
              "to x where x ≤ max_value, ties included (tensorflow/python/ops/math_grad.py); the relu6 path "
              "gives 0 there",
              lambda s, x, dtype: s.clip_path and s.max_value is not None and s.max_value > s.threshold
              and x == s.max_value, lambda s: 1.0),
)


@dataclass(frozen=True)
class KerasDifference:
    """One input where Keras and the reference give different numbers, and the rule that explains it."""

    setting: KerasReluSetting
    api: str
    dtype: str
    quantity: str
    x: float
    keras_value: float
    reference_value: float
    rule: KerasRule | None


def make_keras_relu(api: str, setting: KerasReluSetting, dtype: str = "float32") -> Callable[[Any], Any]:
    """``keras.activations.relu`` with the setting's parameters, or a ``keras.layers.ReLU`` layer."""
    if api not in KERAS_APIS:
        raise ValueError(f"api must be one of {KERAS_APIS}, got {api!r}")
    if not isinstance(setting, KerasReluSetting):
        raise TypeError(f"setting must be a KerasReluSetting, got {type(setting).__name__}")
    keras = load_keras()
    if api == "keras.layers.ReLU":
        return keras.layers.ReLU(**setting.kwargs, dtype=check_dtype(dtype))
    return lambda t: keras.activations.relu(t, **setting.kwargs)


def explain_keras(setting: KerasReluSetting, quantity: str, x: float, keras_value: float,
                  dtype: str) -> KerasRule | None:
    """The rule of KERAS_RULES that accounts for Keras giving ``keras_value`` at x, or None."""
    for rule in KERAS_RULES:
        if rule.quantity == quantity and rule.applies(setting, x, dtype) and fa.agree(keras_value, rule.gives(setting), dtype):
            return rule
    return None


def compare_keras_relu(setting: KerasReluSetting, api: str = "keras.activations.relu",
                       dtype: str = "float32") -> tuple[int, list[KerasDifference]]:
    """Keras against the reference on :func:`keras_grid`: (number of comparisons, disagreements)."""
    points = keras_grid(setting, dtype)
    values, grads = tf_values_and_derivatives(make_keras_relu(api, setting, dtype), points)
    expected = {"value": keras_relu_reference(points, **setting.kwargs),
                "derivative": keras_relu_reference_derivative(points, **setting.kwargs)}
    found = []
    for quantity, got in (("value", values), ("derivative", grads)):
        for x, a, b in zip(points.tolist(), got.tolist(), np.atleast_1d(expected[quantity]).tolist()):
            if not fa.agree(a, b, dtype):
                found.append(KerasDifference(setting, api, dtype, quantity, x, a, b,
                                             explain_keras(setting, quantity, x, a, dtype)))
    return 2 * points.size, found


@dataclass(frozen=True)
class KerasAudit:
    """Every comparison of Keras with the reference, and how each difference is explained."""

    comparisons: int
    differences: tuple[KerasDifference, ...]

    @property
    def unexplained(self) -> tuple[KerasDifference, ...]:
        return tuple(d for d in self.differences if d.rule is None)

    def occurrences(self, rule: KerasRule) -> int:
        return sum(1 for d in self.differences if d.rule is rule)


def keras_audit(settings: Sequence[KerasReluSetting] = KERAS_SETTINGS, apis: Sequence[str] = KERAS_APIS,
                dtypes: Sequence[str] = DTYPES) -> KerasAudit:
    """:func:`compare_keras_relu` for every setting, API and dtype."""
    count, found = 0, []
    for setting in settings:
        for api in apis:
            for dtype in dtypes:
                n, diffs = compare_keras_relu(setting, api, dtype)
                count += n
                found += diffs
    return KerasAudit(count, tuple(found))


def keras_rules_table(audit: KerasAudit) -> str:
    """The documented boundary differences as Markdown, with how often each was seen in ``audit``."""
    if not isinstance(audit, KerasAudit):
        raise TypeError(f"audit must be a KerasAudit, got {type(audit).__name__}")
    rows = []
    for rule in KERAS_RULES:
        settings = sorted({d.setting.label for d in audit.differences if d.rule is rule})
        rows.append((rule.where, rule.keras_gives, rule.reference_gives, "; ".join(f"`{s}`" for s in settings) or "–",
                     audit.occurrences(rule)))
    return markdown_table(("Where", "Keras", "Reference", "Settings where seen", "Seen"), rows)


def keras_value_at_threshold(threshold: float = 1.0) -> float:
    """What ``keras.layers.ReLU(threshold=t)`` returns at x = t (its docstring says t, its code 0)."""
    t = real_scalar(threshold, "threshold", low=0.0)
    keras = load_keras()
    return float(np.asarray(keras.layers.ReLU(threshold=t)(np.array([t], dtype="float32")))[0])
