"""ReLU three ways: from scratch in NumPy, in Keras/TensorFlow, in PyTorch, and whether they agree.

The chapter on implementations shows these functions verbatim (``literalinclude``), so the code a reader
sees is the code the tests run. Four groups:

* **NumPy from scratch**: ReLU out of place and in place, and its backward pass computed from the
  layer's input or from its output; the buggy ``output >= 0`` version and the guide's integer
  derivative, kept to show what goes wrong.
* **Keras and TensorFlow**: ``Dense + ReLU()`` against ``Dense(activation="relu")``, and a ReLU with a
  hand-written gradient (``tf.custom_gradient``). Keras's generalised ``relu`` has a module of its own,
  relu_course.keras_reference.
* **PyTorch** (optional): ``nn.ReLU``, ``F.relu`` and ``F.relu(inplace=True)``, and what in place does
  to the input and to autograd. Without PyTorch these functions say so instead of failing.
* **Agreement**: every implementation's values and derivatives against the package's reference
  (:mod:`relu_course.activations`) on a grid of difficult inputs, with a reason for every disagreement.

TensorFlow is imported only inside functions (via relu_course.tf_loader), PyTorch only when it is
installed and a function needs it, so importing this module stays cheap.
"""
from __future__ import annotations

import functools
import importlib
import importlib.metadata
import math
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike

from relu_course import framework_agreement as fa
from relu_course._validation import as_real_array, positive_int
from relu_course.activations import relu, relu_derivative
from relu_course.gradcheck import GradientCheck, check_gradient
from relu_course.keras_reference import (DTYPES, check_dtype, is_subnormal, sorted_grid,
                                         tf_values_and_derivatives)
from relu_course.seeding import MAX_SEED
from relu_course.tables import markdown_table
from relu_course.tf_loader import load_keras, load_tensorflow
from relu_course._validation import sequence_of

#: How to install PyTorch's CPU build (the chapter shows it when PyTorch is missing).
TORCH_INSTALL_COMMAND = "pip install torch --index-url https://download.pytorch.org/whl/cpu"


# ----------------------------------------------------------------------------- NumPy, from scratch
def relu_forward(x: ArrayLike) -> np.ndarray:
    """ReLU out of place: a new array max(x, 0); x is left untouched. NaN stays NaN."""
    x = as_real_array(x, "x")
    return np.maximum(x, 0)


def relu_inplace(x: np.ndarray) -> np.ndarray:
    """ReLU in place: overwrite x with max(x, 0) and return x itself (no new array)."""
    _writable_float_array(x, "x")
    np.maximum(x, 0, out=x)
    return x


def relu_backward_from_input(grad_output: ArrayLike, x: ArrayLike) -> np.ndarray:
    """Backward pass from the layer's input x: pass grad_output where x > 0, else 0."""
    grad_output, x = _same_shape(grad_output, x, "x")
    return grad_output * (x > 0)


def relu_backward_from_output(grad_output: ArrayLike, output: ArrayLike) -> np.ndarray:
    """Backward pass from the layer's output: output > 0 exactly where x > 0."""
    grad_output, output = _same_shape(grad_output, output, "output")
    return grad_output * (output > 0)


def relu_backward_from_output_buggy(grad_output: ArrayLike, output: ArrayLike) -> np.ndarray:
    """THE BUG: ReLU's output is never negative, so output >= 0 is True everywhere."""
    grad_output, output = _same_shape(grad_output, output, "output")
    return grad_output * (output >= 0)


def guide_relu_derivative(x: ArrayLike) -> np.ndarray:
    """The source guide's derivative, verbatim: an integer array, and 0 (not NaN) at NaN."""
    x = as_real_array(x, "x")
    return np.where(x > 0, 1, 0)


def where_relu(x: ArrayLike) -> np.ndarray:
    """ReLU written with np.where: every comparison with NaN is False, so NaN becomes 0."""
    x = as_real_array(x, "x")
    return np.where(x > 0, x, 0)


def _writable_float_array(x: Any, name: str) -> np.ndarray:
    """``x`` itself, if it is an array that ReLU can be written into; else a TypeError/ValueError naming it."""
    if not isinstance(x, np.ndarray):
        raise TypeError(f"{name} must be a NumPy array to be changed in place, got {type(x).__name__}; "
                        f"use relu_forward for lists and scalars")
    if x.dtype.kind != "f":
        raise TypeError(f"{name} must be a floating-point array, got dtype {x.dtype}; convert it first, "
                        f"e.g. {name}.astype(np.float64) (an in-place function cannot change the dtype)")
    if not x.flags.writeable:
        raise ValueError(f"{name} is read-only, so it cannot be changed in place; pass {name}.copy() "
                         f"or use relu_forward")
    return x


def _same_shape(grad_output: Any, other: Any, name: str) -> tuple[np.ndarray, np.ndarray]:
    grad = as_real_array(grad_output, "grad_output")
    values = as_real_array(other, name)
    if grad.shape != values.shape:
        raise ValueError(f"grad_output and {name} must have the same shape, got {grad.shape} and {values.shape}")
    return grad, values


def gradient_check_backward(backward: Callable[[Any, Any], Any], x: Any, upstream: Any, *,
                            from_output: bool = True, eps: float = 1e-6) -> GradientCheck:
    """Check a ReLU backward pass against central finite differences.

    The loss is ``sum(upstream * relu(x))``, whose gradient with respect to x is what the backward pass
    must return when given ``upstream``. ``backward(upstream, relu(x))`` is called when
    ``from_output`` (else ``backward(upstream, x)``). Keep x farther than eps from 0, the kink.
    """
    if not callable(backward):
        raise TypeError(f"backward must be a function of (grad_output, output), got {type(backward).__name__}")
    x = as_real_array(x, "x").astype(np.float64)
    upstream = as_real_array(upstream, "upstream").astype(np.float64)
    if upstream.shape != x.shape:
        raise ValueError(f"upstream must have x's shape {x.shape}, got {upstream.shape}")
    if not isinstance(from_output, bool):
        raise TypeError(f"from_output must be True or False, got {from_output!r}")
    analytic = backward(upstream.copy(), relu(x) if from_output else x.copy())
    return check_gradient(lambda v: float(np.sum(upstream * relu(v))), x, analytic, eps)


# ----------------------------------------------------------------------------- Keras models and TensorFlow
def keras_dense_relu_models(n_inputs: int, units: int = 128) -> tuple[Any, Any]:
    """The guide's Dense(128) followed by ReLU(), and the same layer with activation="relu"."""
    n_inputs, units = positive_int(n_inputs, "n_inputs"), positive_int(units, "units")
    keras = load_keras()
    separate = keras.Sequential([keras.Input(shape=(n_inputs,)),
                                 keras.layers.Dense(units),
                                 keras.layers.ReLU()])
    fused = keras.Sequential([keras.Input(shape=(n_inputs,)),
                              keras.layers.Dense(units, activation="relu")])
    return separate, fused


@dataclass(frozen=True)
class DenseEquivalence:
    """Two models with the same weights, measured on the same batch."""

    units: int
    n_inputs: int
    batch: int
    params_separate: int
    params_fused: int
    max_output_difference: float
    max_kernel_gradient_difference: float
    share_of_zero_outputs: float


def dense_relu_equivalence(n_inputs: int = 64, units: int = 128, batch: int = 256,
                           seed: int = 0) -> DenseEquivalence:
    """Copy the separate model's weights into the fused one; compare outputs and kernel gradients."""
    n_inputs, units, batch = (positive_int(v, name) for v, name in
                              ((n_inputs, "n_inputs"), (units, "units"), (batch, "batch")))
    tf, keras = load_tensorflow(), load_keras()
    keras.utils.set_random_seed(_seed(seed))
    separate, fused = keras_dense_relu_models(n_inputs, units)
    fused.set_weights(separate.get_weights())
    rng = np.random.default_rng(seed)
    x = tf.constant(rng.standard_normal((batch, n_inputs)).astype("float32"))
    upstream = tf.constant(rng.standard_normal((batch, units)).astype("float32"))
    results = []
    for model in (separate, fused):
        with tf.GradientTape() as tape:
            out = model(x)
            loss = tf.reduce_sum(out * upstream)
        results.append((out.numpy(), tape.gradient(loss, model.layers[0].kernel).numpy()))
    (out_a, grad_a), (out_b, grad_b) = results
    return DenseEquivalence(units, n_inputs, batch, separate.count_params(), fused.count_params(),
                            float(np.max(np.abs(out_a - out_b))), float(np.max(np.abs(grad_a - grad_b))),
                            float(np.mean(out_a == 0)))


def make_custom_gradient_relu() -> Callable[[Any], Any]:
    """A TensorFlow ReLU whose gradient is written by hand, from the output."""
    tf = load_tensorflow()

    @tf.custom_gradient
    def custom_relu(x):
        y = tf.maximum(x, tf.zeros_like(x))

        def grad(dy):
            return dy * tf.cast(y > 0, dy.dtype)

        return y, grad

    return custom_relu


def keras_relus(dtype: str = "float32") -> dict[str, Callable[[Any], Any]]:
    """The TensorFlow-side ReLUs of the agreement test, by name."""
    dtype = check_dtype(dtype)
    tf, keras = load_tensorflow(), load_keras()
    return {
        "keras.layers.ReLU()": keras.layers.ReLU(dtype=dtype),
        "keras.activations.relu": keras.activations.relu,
        "tf.nn.relu": tf.nn.relu,
        "tf.custom_gradient ReLU": make_custom_gradient_relu(),
    }


@dataclass(frozen=True)
class CustomGradientCheck:
    """The custom-gradient ReLU against tf.nn.relu on the agreement grid of one dtype."""

    dtype: str
    n_points: int
    max_value_difference: float
    max_gradient_difference: float
    same_nan_and_inf: bool


def check_custom_gradient(dtype: str = "float32") -> CustomGradientCheck:
    """Values and gradients of :func:`make_custom_gradient_relu` against ``tf.nn.relu``."""
    points = agreement_grid(dtype)
    tf = load_tensorflow()
    mine = tf_values_and_derivatives(make_custom_gradient_relu(), points)
    builtin = tf_values_and_derivatives(tf.nn.relu, points)
    same = all(_same_non_finite(a, b) for a, b in zip(mine, builtin))
    return CustomGradientCheck(dtype, points.size, _max_difference(mine[0], builtin[0]),
                               _max_difference(mine[1], builtin[1]), same)


def _same_non_finite(a: np.ndarray, b: np.ndarray) -> bool:
    """NaN at the same places, and the same infinities at the same places."""
    if not np.array_equal(np.isnan(a), np.isnan(b)):
        return False
    infinite = np.isinf(a) | np.isinf(b)
    return bool(np.array_equal(a[infinite], b[infinite]))


def _seed(seed: Any) -> int:
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)) or not 0 <= seed <= MAX_SEED:
        raise ValueError(f"seed must be an integer in [0, {MAX_SEED}], got {seed!r}")
    return int(seed)


# ----------------------------------------------------------------------------- PyTorch (optional)
def torch_status() -> str:
    """'installed (torch X)' or 'not installed', for the chapter's text."""
    if not fa.torch_available():
        return "not installed"
    return f"installed (torch {importlib.metadata.version('torch')})"


def torch_relus() -> dict[str, Callable[[Any], Any]]:
    """The three PyTorch ways to apply ReLU (imports PyTorch)."""
    torch = importlib.import_module("torch")
    return {
        "nn.ReLU()": torch.nn.ReLU(),
        "F.relu": torch.nn.functional.relu,
        "F.relu(inplace=True)": functools.partial(torch.nn.functional.relu, inplace=True),
    }


def torch_forward_backward(relu_fn: Callable[[Any], Any], points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Values and derivatives of one PyTorch ReLU at the NumPy array ``points``, by autograd."""
    torch = importlib.import_module("torch")
    x = torch.tensor(points, requires_grad=True)
    h = x.clone()  # a copy that is not a leaf: inplace=True may overwrite it
    y = relu_fn(h)
    y.backward(torch.ones_like(y))
    return y.detach().numpy().copy(), x.grad.numpy().copy()


def _first_clause(err: Exception) -> str:
    return str(err).split(":")[0].strip().rstrip(".")


def _error(message: str) -> str:
    return message if message == "no error" else f"RuntimeError: {message}"


@dataclass(frozen=True)
class InplaceDemo:
    """What ``F.relu(h, inplace=True)`` does to h, and where in place breaks autograd."""

    before: tuple[float, ...]
    after: tuple[float, ...]
    returns_its_input: bool
    same_memory: bool
    gradient: tuple[float, ...]
    expected_gradient: tuple[float, ...]
    leaf_error: str
    saved_output_error: str


def torch_inplace_demo(values: Sequence[float] = (-1.5, -0.0, 0.0, 0.5, 2.0)) -> InplaceDemo | None:
    """Run F.relu in place on a non-leaf tensor h = x * 1, backpropagate, and try the two cases that
    fail; None without PyTorch."""
    points = as_real_array(values, "values").astype(np.float32)
    if points.ndim != 1 or points.size == 0:
        raise ValueError(f"values must be a non-empty 1-D sequence, got shape {points.shape}")
    if not fa.torch_available():
        return None
    torch = importlib.import_module("torch")
    F = torch.nn.functional
    x = torch.tensor(points, requires_grad=True)
    h = x * 1.0
    before, address = tuple(h.tolist()), h.data_ptr()
    y = F.relu(h, inplace=True)
    after = tuple(h.tolist())
    y.backward(torch.ones_like(y))
    errors = []
    for case in ("leaf", "sigmoid"):
        leaf = torch.tensor(points, requires_grad=True)
        try:
            if case == "leaf":
                F.relu(leaf, inplace=True)
            else:
                s = torch.sigmoid(leaf)  # sigmoid's backward needs its output s ...
                F.relu(s, inplace=True)  # ... which this overwrites
                s.sum().backward()
            errors.append("no error")
        except RuntimeError as err:
            errors.append(_first_clause(err))
    return InplaceDemo(before, after, y is h, y.data_ptr() == address, tuple(x.grad.tolist()),
                       tuple(float(v > 0) for v in points), errors[0], errors[1])


def torch_inplace_table(demo: InplaceDemo | None) -> str:
    """The in-place demo as Markdown, or how to install PyTorch when it is missing."""
    if demo is None:
        return (f"PyTorch is not installed in this environment, so this section has no measurements. "
                f"Install the CPU build with `{TORCH_INSTALL_COMMAND}` and run the notebook again.")
    if not isinstance(demo, InplaceDemo):
        raise TypeError(f"demo must be an InplaceDemo or None, got {type(demo).__name__}")

    def show(values: Sequence[float]) -> str:
        return "[" + ", ".join(_format_x(v) for v in values) + "]"

    rows = [("h before the call", f"`{show(demo.before)}`"),
            ("h after `y = F.relu(h, inplace=True)`", f"`{show(demo.after)}`"),
            ("`y is h`", demo.returns_its_input),
            ("y and h share memory (`data_ptr`)", demo.same_memory),
            ("gradient of `y.sum()` with respect to x", f"`{show(demo.gradient)}`"),
            ("`(x > 0)` for comparison", f"`{show(demo.expected_gradient)}`"),
            ("in place on a leaf that requires grad", _error(demo.leaf_error)),
            ("in place on `torch.sigmoid(x)`, then backward", _error(demo.saved_output_error))]
    return markdown_table(("Measured", "Result"), rows)


# ----------------------------------------------------------------------------- agreement
@dataclass(frozen=True)
class Implementation:
    """One way to compute ReLU and its derivative: ``run(points)`` returns (values, derivatives)."""

    name: str
    framework: str
    run: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]


def _numpy_from_input(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return relu_forward(points), relu_backward_from_input(np.ones_like(points), points)


def _numpy_from_output(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    out = relu_forward(points)
    return out, relu_backward_from_output(np.ones_like(points), out)


def _numpy_inplace(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    out = relu_inplace(points.copy())
    return out, relu_backward_from_output(np.ones_like(points), out)


def _keras_side(name: str) -> Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]:
    return lambda points: tf_values_and_derivatives(keras_relus(points.dtype.name)[name], points)


def _torch_side(name: str) -> Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]:
    return lambda points: torch_forward_backward(torch_relus()[name], points)


KERAS_NAMES = ("keras.layers.ReLU()", "keras.activations.relu", "tf.nn.relu", "tf.custom_gradient ReLU")
TORCH_NAMES = ("nn.ReLU()", "F.relu", "F.relu(inplace=True)")


def implementations(include_torch: bool | None = None) -> list[Implementation]:
    """Every implementation in the agreement test; PyTorch's when it is installed (include_torch=None)."""
    if include_torch is None:
        include_torch = fa.torch_available()
    if not isinstance(include_torch, bool):
        raise TypeError(f"include_torch must be True, False or None, got {include_torch!r}")
    found = [Implementation("NumPy relu_forward, backward from the input", "numpy", _numpy_from_input),
             Implementation("NumPy relu_forward, backward from the output", "numpy", _numpy_from_output),
             Implementation("NumPy relu_inplace, backward from the output", "numpy", _numpy_inplace)]
    found += [Implementation(name, "tensorflow", _keras_side(name)) for name in KERAS_NAMES]
    if include_torch:
        found += [Implementation(name, "torch", _torch_side(name)) for name in TORCH_NAMES]
    return found


def agreement_grid(dtype: str = "float32") -> np.ndarray:
    """fa.GRID plus the dtype's extremes: ±the largest finite number, ±the smallest normal and
    ±the smallest subnormal number."""
    info = np.finfo(check_dtype(dtype))
    subnormal = float(info.smallest_subnormal)
    extremes = [float(info.max), float(info.tiny), subnormal]
    return sorted_grid(list(fa.GRID) + extremes + [-v for v in extremes], dtype)


def _fa_reason(call: str) -> str:
    """framework_agreement's reason for the derivative of ``call`` at NaN."""
    return next(k.reason for k in fa.KNOWN_DIFFERENCES if call in k.calls and k.quantity == "derivative"
                and k.inputs is not None and any(math.isnan(v) for v in k.inputs))


@dataclass(frozen=True)
class GridRule:
    """A documented reason for an implementation to differ from the reference at some inputs."""

    framework: str
    where: str
    gives: float
    reason: str
    applies: Callable[[float, str], bool]


def _positive_subnormal(x: float, dtype: str) -> bool:
    return x > 0 and is_subnormal(x, dtype)


def grid_rules() -> tuple[GridRule, ...]:
    """The reasons an implementation's derivative may differ from the reference (values never differ)."""
    return (
        GridRule("numpy", "NaN", 0.0, "the mask x > 0 (or output > 0) is False for NaN; the reference keeps NaN",
                 lambda x, dtype: math.isnan(x)),
        GridRule("tensorflow", "NaN", 0.0, _fa_reason("tf.nn.relu(x)"), lambda x, dtype: math.isnan(x)),
        GridRule("torch", "NaN", 1.0, _fa_reason("F.relu(x)"), lambda x, dtype: math.isnan(x)),
        GridRule("tensorflow", "smallest subnormal", 0.0,
                 "TensorFlow runs its kernels on threads that flush subnormal numbers to zero (its thread pool "
                 "sets ScopedFlushDenormal), so the mask output > 0 is False there",
                 _positive_subnormal),
    )


@dataclass(frozen=True)
class GridDisagreement:
    """One input where an implementation and the reference disagree."""

    x: float
    quantity: str
    got: float
    expected: float
    rule: GridRule | None


@dataclass(frozen=True)
class AgreementRow:
    """One implementation in one dtype, against the reference."""

    name: str
    framework: str
    dtype: str
    n_points: int
    max_value_difference: float
    max_gradient_difference: float
    disagreements: tuple[GridDisagreement, ...]


def _max_difference(a: np.ndarray, b: np.ndarray) -> float:
    """Largest |a - b| where both are finite (NaN and infinities are compared by fa.agree instead)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    finite = np.isfinite(a) & np.isfinite(b)
    return float(np.max(np.abs(a[finite] - b[finite]), initial=0.0))


def _explain_grid(framework: str, x: float, got: float, dtype: str) -> GridRule | None:
    return next((r for r in grid_rules() if r.framework == framework and r.applies(x, dtype)
                 and fa.agree(got, r.gives, dtype)), None)


def compare_implementation(implementation: Implementation, dtype: str = "float32") -> AgreementRow:
    """Values and derivatives of one implementation against relu / relu_derivative on agreement_grid."""
    if not isinstance(implementation, Implementation):
        raise TypeError(f"implementation must be an Implementation, got {type(implementation).__name__}")
    points = agreement_grid(dtype)
    values, grads = implementation.run(points.copy())
    expected = {"value": relu(points), "derivative": relu_derivative(points)}
    found = []
    for quantity, got in (("value", np.asarray(values)), ("derivative", np.asarray(grads))):
        if got.shape != points.shape or got.dtype != points.dtype:
            raise AssertionError(f"{implementation.name} returned {got.dtype} {got.shape} for {dtype} {points.shape}")
        for x, a, b in zip(points.tolist(), got.tolist(), expected[quantity].tolist()):
            if not fa.agree(a, b, dtype):
                rule = _explain_grid(implementation.framework, x, a, dtype) if quantity == "derivative" else None
                found.append(GridDisagreement(x, quantity, a, b, rule))
    return AgreementRow(implementation.name, implementation.framework, dtype, points.size,
                        _max_difference(values, expected["value"]), _max_difference(grads, expected["derivative"]),
                        tuple(found))


def agreement(include_torch: bool | None = None, dtypes: Sequence[str] = DTYPES) -> list[AgreementRow]:
    """:func:`compare_implementation` for every implementation and dtype."""
    dtypes = tuple(check_dtype(d) for d in dtypes)
    return [compare_implementation(impl, dtype) for impl in implementations(include_torch) for dtype in dtypes]


def _format_x(x: float) -> str:
    """A number as the chapter shows it: NaN, -0.0 and 2.0 rather than nan, -0 and 2."""
    if math.isnan(x):
        return "NaN"
    text = f"{x:g}"
    return text + ".0" if text.lstrip("-").isdigit() else text


def _describe(d: GridDisagreement, dtype: str) -> str:
    where = "NaN" if math.isnan(d.x) else ("the smallest subnormal" if _positive_subnormal(d.x, dtype)
                                           else _format_x(d.x))
    symbol = "f" if d.quantity == "value" else "f′"
    return f"{symbol}({where}) = {_format_x(d.got)}"


def agreement_table(rows: Sequence[AgreementRow]) -> str:
    """The agreement test as Markdown: one row per implementation, the dtypes side by side."""
    rows = sequence_of(rows, AgreementRow, "rows", "AgreementRow, as agreement() returns")
    if not rows:
        raise TypeError("rows must be a non-empty sequence of AgreementRow, as agreement() returns")
    names = list(dict.fromkeys(r.name for r in rows))
    dtypes = list(dict.fromkeys(r.dtype for r in rows))
    table = []
    for name in names:
        mine = {r.dtype: r for r in rows if r.name == name}
        diff = " / ".join(f"{mine[d].max_value_difference:.1e}" if d in mine else "–" for d in dtypes)
        grad = " / ".join(f"{mine[d].max_gradient_difference:.1e}" if d in mine else "–" for d in dtypes)
        notes: dict[str, list[str]] = {}
        for dtype, row in mine.items():
            for d in row.disagreements:
                notes.setdefault(_describe(d, dtype) + ("" if d.rule else " (unexplained)"), []).append(dtype)
        text = "; ".join(f"{k} ({', '.join(v)})" for k, v in notes.items()) or "none"
        table.append((f"`{name}`", diff, grad, text))
    return markdown_table(("Implementation", f"max abs diff f ({' / '.join(dtypes)})",
                           f"max abs diff f′ ({' / '.join(dtypes)})", "Disagreements"), table)
