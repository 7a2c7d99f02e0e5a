"""The measurements behind the guide's two comparison tables, for every activation of the registry.

Each column of the tables is measured, not asserted: the output range and the range of the slope
(extremes over a fine grid, plus the limits at -inf and +inf), where the slope jumps (a kink, found
from the function's own values, not from its derivative), whether outputs go negative, and the mean
output on standard-normal input. Small formatting helpers turn the measurements into Markdown tables
that put the guide's words beside the measured figures.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from relu_course._validation import as_real_array, positive_int, real_scalar
from relu_course.activation_registry import ACTIVATIONS, Activation, get_activation
from relu_course.tables import markdown_table
from relu_course._validation import instance_of

#: Where ranges and kinks are measured: [-10, 10] in steps of 0.001, holding 0, +-3 and 6 exactly.
#: Wide enough for every extremum of the registry's functions (all lie in [-6, 6]) and narrow enough
#: that float64 still tells sigmoid(10) and tanh(10) apart from their limit 1 (far out, e.g. at
#: x = 40, they round to exactly 1.0 and an open end of the range would look attained).
GRID = np.arange(-10_000, 10_001) / 1_000.0
#: A slope change larger than this (over one grid step) counts as a kink.
KINK_TOLERANCE = 1e-2
#: Where the "vanishing gradient" row reads the slope: well into the tails of every saturating function.
SATURATION_X = 5.0
#: An output mean within this many standard errors of 0 counts as zero-centred.
CENTRED_Z = 3.0


# --------------------------------------------------------------------------- validation
def _function(func: Any, name: str) -> Callable[[np.ndarray], Any]:
    if not callable(func):
        raise TypeError(f"{name} must be a function of an array, got {type(func).__name__} ({func!r})")
    return func


def _grid(grid: Any) -> np.ndarray:
    points = as_real_array(grid, "grid").astype(np.float64)
    if points.ndim != 1 or points.size < 3:
        raise ValueError(f"grid must be a 1-D array of at least 3 points, got shape {points.shape}")
    if not np.all(np.isfinite(points)):
        raise ValueError("grid must hold finite numbers only")
    steps = np.diff(points)
    if np.any(steps <= 0):
        raise ValueError("grid must be strictly increasing")
    return points


def _values(func: Callable[[np.ndarray], Any], x: np.ndarray, name: str) -> np.ndarray:
    values = np.asarray(func(x), dtype=np.float64)
    if values.shape != x.shape:
        raise ValueError(f"{name} returned shape {values.shape} for an input of shape {x.shape}")
    if np.any(np.isnan(values)):
        raise ValueError(f"{name} returned NaN for a number of the grid or for -inf/+inf")
    return values


def _activation(activation: Any) -> Activation:
    return activation if isinstance(activation, Activation) else get_activation(activation)


# --------------------------------------------------------------------------- ranges
@dataclass(frozen=True)
class Interval:
    """The range of a function on the real line: its ends, and whether a finite input reaches each."""

    low: float
    high: float
    low_closed: bool
    high_closed: bool

    def __str__(self) -> str:
        return (("[" if self.low_closed else "(") + format_number(self.low) + ", "
                + format_number(self.high) + ("]" if self.high_closed else ")"))


def value_range(func: Callable[[np.ndarray], Any], grid: Any = GRID) -> Interval:
    """Range of ``func`` (an activation or its derivative): smallest and largest value over ``grid``
    and the limits at -inf and +inf. An end is closed when a point of the grid reaches it, open when
    only a limit does (sigmoid's 0 and 1) or when it is infinite."""
    func = _function(func, "func")
    points = _grid(grid)
    values = _values(func, points, "func")
    limits = _values(func, np.array([-np.inf, np.inf]), "func")
    low, high = min(values.min(), limits.min()), max(values.max(), limits.max())
    return Interval(float(low), float(high), bool(math.isfinite(low) and values.min() <= low),
                    bool(math.isfinite(high) and values.max() >= high))


def max_abs_derivative(derivative: Callable[[np.ndarray], Any], grid: Any = GRID) -> float:
    """The largest |f'(x)| over ``grid``: the most a unit can amplify a gradient passing through it."""
    derivative = _function(derivative, "derivative")
    points = _grid(grid)
    return float(np.max(np.abs(_values(derivative, points, "derivative"))))


# --------------------------------------------------------------------------- kinks
@dataclass(frozen=True)
class SlopeJump:
    """A kink: near ``x`` the slope changes from ``left`` to ``right`` (difference quotients)."""

    x: float
    left: float
    right: float

    @property
    def size(self) -> float:
        return self.right - self.left


def _segment_slopes(func: Any, grid: Any) -> tuple[np.ndarray, np.ndarray]:
    func = _function(func, "func")
    points = _grid(grid)
    return points, np.diff(_values(func, points, "func")) / np.diff(points)


def slope_changes(func: Callable[[np.ndarray], Any], grid: Any = GRID) -> tuple[np.ndarray, np.ndarray]:
    """The inner grid points and, at each, how much the slope of ``func`` changes there: the
    absolute difference of the difference quotients of the two grid segments that meet at it.
    About (step) x |f''| where f' is continuous; the size of the jump at a kink."""
    points, slopes = _segment_slopes(func, grid)
    return points[1:-1], np.abs(np.diff(slopes))


def slope_jumps(func: Callable[[np.ndarray], Any], grid: Any = GRID,
                tol: float = KINK_TOLERANCE) -> tuple[SlopeJump, ...]:
    """Every kink of ``func`` on ``grid``, found from its values alone.

    The slope of each grid segment is a difference quotient. Where f' is continuous, neighbouring
    segments differ by about (grid step) x f'', which vanishes with the step; at a kink they differ
    by the jump itself, whatever the step. Runs of segments whose slope changes by more than ``tol``
    are one kink, at the middle of the run. Its left and right slopes are extrapolated to that point
    from the two segments beyond the run on each side, which no kink inside the run can touch.
    """
    tol = real_scalar(tol, "tol", low=0.0)
    if tol == 0:
        raise ValueError("tol must be positive, got 0")
    points, slopes = _segment_slopes(func, grid)
    centres = (points[:-1] + points[1:]) / 2
    changed = np.abs(np.diff(slopes)) > tol          # change between segment i and i + 1, at points[i + 1]
    jumps = []
    i, n = 0, changed.size
    while i < n:
        if not changed[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and changed[j + 1]:
            j += 1
        x = float((points[i + 1] + points[j + 1]) / 2)
        left = _slope_at(x, slopes, centres, [i - 1, i - 2])
        right = _slope_at(x, slopes, centres, [j + 2, j + 3])
        jumps.append(SlopeJump(x, left, right))
        i = j + 1
    return tuple(jumps)


def _slope_at(x: float, slopes: np.ndarray, centres: np.ndarray, segments: list[int]) -> float:
    """The slope at ``x`` extrapolated linearly from two segments on one side of a kink (exact for a
    piecewise-linear function, error of order step**2 otherwise); one segment near the grid's end."""
    usable = [k for k in segments if 0 <= k < slopes.size]
    if not usable:
        return math.nan
    if len(usable) == 1:
        return float(slopes[usable[0]])
    a, b = usable
    return float(slopes[a] + (slopes[a] - slopes[b]) * (x - centres[a]) / (centres[a] - centres[b]))


# --------------------------------------------------------------------------- zero-centring
@dataclass(frozen=True)
class Centring:
    """Mean output on a sample of inputs, with its standard error."""

    mean: float
    standard_error: float
    n: int

    @property
    def zero_centred(self) -> bool:
        """True when the mean is within CENTRED_Z standard errors of 0."""
        return abs(self.mean) <= CENTRED_Z * self.standard_error


def centring(func: Callable[[np.ndarray], Any], samples: Any) -> Centring:
    """Mean of ``func(samples)`` and its standard error (sample std / sqrt(n))."""
    func = _function(func, "func")
    x = as_real_array(samples, "samples").astype(np.float64).ravel()
    if x.size < 2 or not np.all(np.isfinite(x)):
        raise ValueError(f"samples must hold at least 2 finite numbers, got {x.size}")
    out = _values(func, x, "func")
    return Centring(float(out.mean()), float(out.std(ddof=1) / math.sqrt(out.size)), int(out.size))


# --------------------------------------------------------------------------- one row per activation
@dataclass(frozen=True)
class ShapeRow:
    """Everything the comparison tables say about one activation's graph, measured."""

    key: str
    name: str
    output: Interval
    slope: Interval
    max_abs_slope: float
    jumps: tuple[SlopeJump, ...]
    centring: Centring
    tail_slopes: tuple[float, float]     # f'(-SATURATION_X), f'(+SATURATION_X)

    @property
    def smooth(self) -> bool:
        return not self.jumps

    @property
    def negative_outputs(self) -> bool:
        return self.output.low < 0


def measure(activation: Any, samples: Any, grid: Any = GRID) -> ShapeRow:
    """Measure one registry activation (entry or key), with its default parameters."""
    act = _activation(activation)
    tails = _values(act.grad, np.array([-SATURATION_X, SATURATION_X]), "derivative")
    return ShapeRow(act.key, act.name, value_range(act, grid), value_range(act.grad, grid),
                    max_abs_derivative(act.grad, grid), slope_jumps(act, grid), centring(act, samples),
                    (float(tails[0]), float(tails[1])))


def measure_all(samples: Any, keys: Sequence[str] | None = None, grid: Any = GRID) -> dict[str, ShapeRow]:
    """:func:`measure` for every registry activation (or ``keys``), in registry order."""
    if keys is None:
        keys = tuple(ACTIVATIONS)
    elif isinstance(keys, (str, bytes)) or not hasattr(keys, "__iter__"):
        raise TypeError(f"keys must be a sequence of activation keys such as ['relu', 'tanh'], got {keys!r}")
    x = as_real_array(samples, "samples")
    return {get_activation(k).key: measure(k, x, grid) for k in keys}


# --------------------------------------------------------------------------- formatting
MINUS = "\u2212"


def format_number(value: Any, digits: int = 3) -> str:
    """``value`` to ``digits`` significant digits, with a true minus sign and ∞ for infinity."""
    value = real_scalar(value, "value")
    digits = positive_int(digits, "digits")
    if math.isinf(value):
        return ("" if value > 0 else MINUS) + "\u221e"
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    if text in ("-0", "0"):
        return "0"
    return text.replace("-", MINUS)


def format_ratio(value: Any) -> str:
    """A time ratio such as ``2.346`` -> "2.3×"; None -> "—" (not measured)."""
    if value is None:
        return "\u2014"
    return f"{real_scalar(value, 'value', low=0.0):.1f}\u00d7"


def format_smooth(row: ShapeRow) -> str:
    """"yes", or "no: kink at 0" / "no: kinks at −3, 3"."""
    instance_of(row, ShapeRow, "row", "a ShapeRow (one row of shape_rows())")
    if row.smooth:
        return "yes"
    where = ", ".join(format_number(j.x) for j in row.jumps)
    return f"no: kink{'s' if len(row.jumps) > 1 else ''} at {where}"


def format_negative(row: ShapeRow) -> str:
    """"no", or "yes, down to −0.278" (or "yes, down to −∞")."""
    instance_of(row, ShapeRow, "row", "a ShapeRow (one row of shape_rows())")
    if not row.negative_outputs:
        return "no"
    return f"yes, down to {format_number(row.output.low)}"


def format_mean(row: ShapeRow) -> str:
    """The mean output on standard-normal input to 3 decimals, marked "(≈ 0)" when zero-centred."""
    instance_of(row, ShapeRow, "row", "a ShapeRow (one row of shape_rows())")
    text = f"{row.centring.mean:.3f}".replace("-", MINUS)
    if text == MINUS + "0.000":
        text = "0.000"
    return text + (" (\u2248 0)" if row.centring.zero_centred else "")


def shape_table(rows: Mapping[str, ShapeRow]) -> str:
    """The measured shape table, one row per activation: output range, slope range, smoothness,
    negative outputs and the mean output on standard-normal input."""
    if not isinstance(rows, Mapping) or not rows or not all(isinstance(r, ShapeRow) for r in rows.values()):
        raise TypeError("rows must be a non-empty mapping of key -> ShapeRow (see measure_all)")
    header = ["Activation", "output range", "slope f\u2032 range", "smooth?", "negative outputs?",
              "mean on N(0, 1)"]
    body = [[r.name, str(r.output), str(r.slope), format_smooth(r), "yes" if r.negative_outputs else "no",
             format_mean(r)] for r in rows.values()]
    return markdown_table(header, body)


def cost_table(ratios: Mapping[str, Mapping[str, float]]) -> str:
    """Time divided by ReLU's, one row per registry activation timed in any framework, one column per
    framework (``ratios`` maps a column title such as "NumPy" to key -> ratio; a key a column lacks
    shows "—")."""
    if not isinstance(ratios, Mapping) or not ratios or not all(isinstance(c, Mapping) for c in ratios.values()):
        raise TypeError("ratios must be a non-empty mapping such as {'NumPy': {'relu': 1.0, ...}}")
    timed = {k for column in ratios.values() for k in column}
    unknown = timed - set(ACTIVATIONS)
    if unknown:
        raise ValueError(f"ratios holds keys that are not registry activations: {sorted(unknown)}")
    body = [[ACTIVATIONS[k].name, *(format_ratio(column.get(k)) for column in ratios.values())]
            for k in ACTIVATIONS if k in timed]
    return markdown_table(["Activation", *(f"time / ReLU's time, {title}" for title in ratios)], body)


def guide_cell(guide: str, measured: str) -> str:
    """The guide's word beside the measured figure: '“Fastest” · 1.0×'."""
    if not isinstance(guide, str) or not isinstance(measured, str):
        raise TypeError("guide and measured must both be text")
    return f"\u201c{guide}\u201d \u00b7 {measured}"


#: The guide's section 11 table, quoted: feature -> (ReLU, Sigmoid, Tanh).
GUIDE_TABLE_11: Mapping[str, tuple[str, str, str]] = MappingProxyType({
    "Speed": ("Fastest", "Slow", "Medium"),
    "Gradient": ("Strong", "Weak", "Medium"),
    "Range": ("0 \u2192 \u221e", "0 \u2192 1", "-1 \u2192 1"),
    "Vanishing Gradients": ("No", "Yes", "Yes"),
    "Used In": ("CNNs, DNNs", "Old networks", "RNNs"),
})
GUIDE_TABLE_11_KEYS = ("relu", "sigmoid", "tanh")

#: The guide's section 12 table, quoted: registry key -> (Smooth?, Negative Output, Performance, Used In).
GUIDE_TABLE_12: Mapping[str, tuple[str, str, str, str]] = MappingProxyType({
    "relu": ("No", "0", "Very Good", "CNNs, deep nets"),
    "elu": ("Yes", "Yes", "Good", "Some CNNs"),
    "gelu": ("Yes", "Yes", "Excellent", "Transformers"),
    "silu": ("Yes", "Yes", "Excellent", "EfficientNet"),
    "mish": ("Yes", "Yes", "Very Good", "Research networks"),
})


def _rows_for(rows: Any, keys: Sequence[str]) -> list[ShapeRow]:
    if not isinstance(rows, Mapping):
        raise TypeError("rows must be a mapping of key -> ShapeRow (see measure_all)")
    missing = [k for k in keys if k not in rows]
    if missing:
        raise ValueError(f"rows lacks the activations {missing}; measure them first")
    return [rows[k] for k in keys]


def guide_table_11(rows: Mapping[str, ShapeRow], numpy_ratios: Mapping[str, float],
                   tensorflow_ratios: Mapping[str, float]) -> str:
    """The guide's "ReLU vs Sigmoid vs Tanh" table, each of its words beside the measured figure.
    "Used In" cannot be measured; its cell points to the sources."""
    measured = _rows_for(rows, GUIDE_TABLE_11_KEYS)
    for title, column in (("numpy_ratios", numpy_ratios), ("tensorflow_ratios", tensorflow_ratios)):
        if not isinstance(column, Mapping) or any(k not in column for k in GUIDE_TABLE_11_KEYS):
            raise ValueError(f"{title} must map each of {GUIDE_TABLE_11_KEYS} to a time ratio")
    figures = {
        "Speed": [f"{format_ratio(numpy_ratios[r.key])} NumPy, {format_ratio(tensorflow_ratios[r.key])} TF"
                  for r in measured],
        "Gradient": [f"max |f\u2032| = {format_number(r.max_abs_slope)}" for r in measured],
        "Range": [str(r.output) for r in measured],
        "Vanishing Gradients": [f"f\u2032(\u2212{SATURATION_X:g}), f\u2032({SATURATION_X:g}) = "
                                f"{format_number(r.tail_slopes[0])}, {format_number(r.tail_slopes[1])}"
                                for r in measured],
        "Used In": ["sources below"] * len(measured),
    }
    body = [[feature, *(guide_cell(word, figure) for word, figure in zip(words, figures[feature]))]
            for feature, words in GUIDE_TABLE_11.items()]
    return markdown_table(["Feature", *(r.name for r in measured)], body)


def guide_table_12(rows: Mapping[str, ShapeRow], performance: Mapping[str, str]) -> str:
    """The guide's "ReLU vs GELU vs Swish vs ELU" table, each word beside the measured figure;
    ``performance`` maps each key to the measured accuracy as text. "Used In" points to the sources."""
    keys = tuple(GUIDE_TABLE_12)
    measured = _rows_for(rows, keys)
    if not isinstance(performance, Mapping) or any(not isinstance(performance.get(k), str) for k in keys):
        raise ValueError(f"performance must map each of {keys} to the measured accuracy as text")
    body = []
    for r in measured:
        smooth, negative, perf, used = GUIDE_TABLE_12[r.key]
        body.append([r.name, guide_cell(smooth, format_smooth(r)), guide_cell(negative, format_negative(r)),
                     guide_cell(perf, performance[r.key]), guide_cell(used, "sources below")])
    return markdown_table(["Activation", "Smooth?", "Negative output", "Performance (digits test accuracy)",
                           "Used in"], body)


def training_table(summaries: Sequence[Any]) -> str:
    """The training results, one row per activation: final test accuracy (mean ± sample standard
    deviation over seeds), its range over seeds, and the epochs each seed needed to reach the
    target training accuracy. ``summaries`` are relu_course.mini_experiment.Summary objects."""
    from relu_course.mini_experiment import Summary, format_epochs, percent

    if isinstance(summaries, (str, bytes)) or not hasattr(summaries, "__iter__"):
        raise TypeError("summaries must be a sequence of mini_experiment.Summary objects")
    items = list(summaries)
    if not items or not all(isinstance(s, Summary) for s in items):
        raise TypeError("summaries must be a non-empty sequence of mini_experiment.Summary objects")
    targets = {s.target for s in items}
    if len(targets) != 1:
        raise ValueError(f"summaries must share one target accuracy, got {sorted(targets)}")
    body = [[get_activation(s.activation).name, percent(s.test_accuracy_mean, s.test_accuracy_std),
             f"{100 * s.test_accuracy_range:.1f} points", format_epochs(s.epochs_to_target)] for s in items]
    return markdown_table(["Activation", "test accuracy (mean \u00b1 sd)", "range over seeds",
                           f"epochs to {100 * targets.pop():g} % training accuracy"], body)
