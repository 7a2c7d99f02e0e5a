"""Do the course's NumPy references agree with Keras, TensorFlow and PyTorch? Measured point by point.

Every registry activation is evaluated, with its derivative (``tf.GradientTape``, ``torch.autograd``),
on :data:`GRID`: zeros of both signs, tiny and huge inputs, the infinities and NaN, in float32 and
float64, and in two memory layouts (each input alone, and in a block of copies, which sends it
through a framework's vectorised kernel). A pair of numbers agrees when both are NaN, both are the
same infinity, or they are within :data:`TOLERANCES` of each other (the sign of a zero is ignored:
-0.0 == 0.0). Every disagreement must be explained by a row of :data:`KNOWN_DIFFERENCES`, and every
row must still occur, so the table can neither hide a new difference nor keep a stale one.

:func:`framework_defaults` reads the frameworks' default parameters from the frameworks themselves
(their signatures, and a call that measures the value actually used).

TensorFlow is imported only inside the functions that need it (via relu_course.tf_loader), PyTorch
only when it is installed.
"""
from __future__ import annotations

import importlib
import inspect
import math
from dataclasses import dataclass, field
from numbers import Real
from types import MappingProxyType, SimpleNamespace
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from relu_course.activation_registry import get_activation
from relu_course.tf_loader import load_keras, load_tensorflow, torch_available
from relu_course.variants import SELU_SCALE
from relu_course.tables import markdown_table
from relu_course._validation import choice, sequence_of

INF, NAN = math.inf, math.nan
#: The inputs: 0 and -0.0, small and large of both signs, the kinks of ReLU6 (6) and hard swish (+-3),
#: the infinities and NaN.
GRID: tuple[float, ...] = (-INF, -1e4, -30.0, -6.0, -3.0, -1.0, -0.5, -1e-6, -0.0, 0.0, 1e-6, 0.5, 1.0, 3.0,
                           6.0, 30.0, 1e4, INF, NAN)
DTYPES: tuple[str, ...] = ("float32", "float64")
FRAMEWORKS: tuple[str, ...] = ("tensorflow", "torch")
#: "alone": every input in a tensor of its own; "block": every input repeated BLOCK times in a row.
LAYOUTS: tuple[str, ...] = ("alone", "block")
BLOCK = 64
QUANTITIES: tuple[str, ...] = ("value", "derivative")


@dataclass(frozen=True)
class Tolerance:
    """Two finite numbers a (framework) and b (package) agree when |a - b| <= atol + rtol |b|."""

    rtol: float
    atol: float


#: ULPS_RELATIVE units in the last place relative, plus ULPS_ABSOLUTE ulp of 1 absolute: a framework that
#: computes e.g. 1 - tanh(x)**2 or exp(x) - 1 cancels against 1 and loses a few ulp of 1.
ULPS_RELATIVE, ULPS_ABSOLUTE = 64, 4
#: The one place where the tolerances live, one per dtype, both from the dtype's machine epsilon.
TOLERANCES: Mapping[str, Tolerance] = MappingProxyType({
    dtype: Tolerance(rtol=ULPS_RELATIVE * float(np.finfo(dtype).eps), atol=ULPS_ABSOLUTE * float(np.finfo(dtype).eps))
    for dtype in DTYPES})


def agree(framework_value: float, package_value: float, dtype: str) -> bool:
    """Whether two numbers agree in the sense of the module docstring."""
    tol = TOLERANCES[_dtype(dtype)]
    a, b = _float(framework_value, "framework_value"), _float(package_value, "package_value")
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= tol.atol + tol.rtol * abs(b)


def _float(value: Any, name: str) -> float:
    """A real number, NaN and infinities included (unlike _validation.real_scalar, which refuses NaN)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (Real, np.integer, np.floating)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} ({value!r})")
    return float(value)


def _dtype(dtype: Any) -> str:
    if dtype not in DTYPES:
        raise ValueError(f"dtype must be one of {DTYPES}, got {dtype!r}")
    return dtype


def _framework(framework: Any) -> str:
    return choice(framework, FRAMEWORKS, "framework")


def _layout(layout: Any) -> str:
    return choice(layout, LAYOUTS, "layout")


# ----------------------------------------------------------------------------- counterparts
@dataclass(frozen=True)
class Counterpart:
    """A framework function and the registry entry (with parameters) it should reproduce.

    ``make(ns, dtype)`` returns a function of one tensor; ``ns`` holds the framework modules
    (``tf`` and ``keras``, or ``torch`` and ``F``).
    """

    key: str
    framework: str
    call: str
    make: Callable[[SimpleNamespace, str], Callable[[Any], Any]]
    params: Mapping[str, Any] = field(default_factory=dict)


def _fixed(build: Callable[[SimpleNamespace], Callable[[Any], Any]]) -> Callable[[SimpleNamespace, str], Any]:
    return lambda ns, dtype: build(ns)


def _keras_prelu(ns: SimpleNamespace, dtype: str) -> Callable[[Any], Any]:
    return ns.keras.layers.PReLU(alpha_initializer=ns.keras.initializers.Constant(0.25), dtype=dtype)


def _tf(key: str, call: str, build: Callable[[SimpleNamespace], Any], **params: Any) -> Counterpart:
    return Counterpart(key, "tensorflow", call, _fixed(build), params)


def _torch(key: str, call: str, build: Callable[[SimpleNamespace], Any], **params: Any) -> Counterpart:
    return Counterpart(key, "torch", call, _fixed(build), params)


def tensorflow_counterparts() -> list[Counterpart]:
    """The Keras and tf.nn functions compared with the package, with the parameters they are called with."""
    k = "keras.activations."
    entries = [
        _tf("relu", k + "relu(x)", lambda ns: ns.keras.activations.relu),
        _tf("relu", "tf.nn.relu(x)", lambda ns: ns.tf.nn.relu),
        _tf("relu6", k + "relu6(x)", lambda ns: ns.keras.activations.relu6),
        _tf("relu6", "tf.nn.relu6(x)", lambda ns: ns.tf.nn.relu6),
        _tf("hard_swish", k + "hard_swish(x)", lambda ns: ns.keras.activations.hard_swish),
        _tf("elu", "tf.nn.elu(x)", lambda ns: ns.tf.nn.elu, alpha=1.0),
        _tf("selu", k + "selu(x)", lambda ns: ns.keras.activations.selu),
        _tf("selu", "tf.nn.selu(x)", lambda ns: ns.tf.nn.selu),
        _tf("gelu", k + "gelu(x, approximate=False)",
            lambda ns: lambda t: ns.keras.activations.gelu(t, approximate=False)),
        _tf("gelu", "tf.nn.gelu(x)", lambda ns: ns.tf.nn.gelu),
        _tf("gelu_tanh", k + "gelu(x, approximate=True)",
            lambda ns: lambda t: ns.keras.activations.gelu(t, approximate=True)),
        _tf("gelu_tanh", "tf.nn.gelu(x, approximate=True)", lambda ns: lambda t: ns.tf.nn.gelu(t, approximate=True)),
        _tf("silu", k + "silu(x)", lambda ns: ns.keras.activations.silu),
        _tf("silu", "tf.nn.silu(x)", lambda ns: ns.tf.nn.silu),
        _tf("silu", "tf.nn.silu(x, beta=2.0)", lambda ns: lambda t: ns.tf.nn.silu(t, beta=2.0), beta=2.0),
        _tf("mish", k + "mish(x)", lambda ns: ns.keras.activations.mish),
        _tf("softplus", k + "softplus(x)", lambda ns: ns.keras.activations.softplus),
        _tf("softplus", "tf.nn.softplus(x)", lambda ns: ns.tf.nn.softplus),
        _tf("softsign", k + "softsign(x)", lambda ns: ns.keras.activations.softsign),
        _tf("softsign", "tf.nn.softsign(x)", lambda ns: ns.tf.nn.softsign),
        _tf("sigmoid", k + "sigmoid(x)", lambda ns: ns.keras.activations.sigmoid),
        _tf("sigmoid", "tf.nn.sigmoid(x)", lambda ns: ns.tf.nn.sigmoid),
        _tf("tanh", k + "tanh(x)", lambda ns: ns.keras.activations.tanh),
        _tf("tanh", "tf.nn.tanh(x)", lambda ns: ns.tf.nn.tanh),
        Counterpart("prelu", "tensorflow", "keras.layers.PReLU(alpha_initializer=Constant(0.25))", _keras_prelu,
                    {"slope": 0.25}),
    ]
    for slope in (0.01, 0.2):
        entries += [
            _tf("leaky_relu", f"{k}leaky_relu(x, negative_slope={slope})",
                lambda ns, s=slope: lambda t: ns.keras.activations.leaky_relu(t, negative_slope=s),
                negative_slope=slope),
            _tf("leaky_relu", f"tf.nn.leaky_relu(x, alpha={slope})",
                lambda ns, s=slope: lambda t: ns.tf.nn.leaky_relu(t, alpha=s), negative_slope=slope)]
    for alpha in (1.0, 0.5):
        entries.append(_tf("elu", f"{k}elu(x, alpha={alpha})",
                           lambda ns, a=alpha: lambda t: ns.keras.activations.elu(t, alpha=a), alpha=alpha))
    return entries


def torch_counterparts() -> list[Counterpart]:
    """The torch.nn.functional functions compared with the package (used when PyTorch is installed)."""
    f = "F."
    entries = [
        _torch("relu", f + "relu(x)", lambda ns: ns.F.relu),
        _torch("prelu", f + "prelu(x, weight=[0.25])", lambda ns: lambda t: ns.F.prelu(t, ns.torch.full(
            (1,), 0.25, dtype=t.dtype))),
        _torch("rrelu", f + "rrelu(x, training=False)", lambda ns: lambda t: ns.F.rrelu(t, training=False)),
        _torch("relu6", f + "relu6(x)", lambda ns: ns.F.relu6),
        _torch("hard_swish", f + "hardswish(x)", lambda ns: ns.F.hardswish),
        _torch("selu", f + "selu(x)", lambda ns: ns.F.selu),
        _torch("gelu", f + "gelu(x)", lambda ns: ns.F.gelu),
        _torch("gelu_tanh", f + "gelu(x, approximate='tanh')", lambda ns: lambda t: ns.F.gelu(t, approximate="tanh")),
        _torch("silu", f + "silu(x)", lambda ns: ns.F.silu),
        _torch("mish", f + "mish(x)", lambda ns: ns.F.mish),
        _torch("softsign", f + "softsign(x)", lambda ns: ns.F.softsign),
        _torch("sigmoid", "torch.sigmoid(x)", lambda ns: ns.torch.sigmoid),
        _torch("tanh", "torch.tanh(x)", lambda ns: ns.torch.tanh),
    ]
    for slope in (0.01, 0.2):
        entries.append(_torch("leaky_relu", f"{f}leaky_relu(x, negative_slope={slope})",
                              lambda ns, s=slope: lambda t: ns.F.leaky_relu(t, negative_slope=s),
                              negative_slope=slope))
    for alpha in (1.0, 0.5):
        entries.append(_torch("elu", f"{f}elu(x, alpha={alpha})",
                              lambda ns, a=alpha: lambda t: ns.F.elu(t, alpha=a), alpha=alpha))
    for beta in (1.0, 2.0):
        entries.append(_torch("softplus", f"{f}softplus(x, beta={beta})",
                              lambda ns, b=beta: lambda t: ns.F.softplus(t, beta=b), beta=beta))
    return entries


def counterparts(framework: str) -> list[Counterpart]:
    """:func:`tensorflow_counterparts` or :func:`torch_counterparts`."""
    return tensorflow_counterparts() if _framework(framework) == "tensorflow" else torch_counterparts()


def _modules(framework: str) -> SimpleNamespace:
    if framework == "tensorflow":
        return SimpleNamespace(tf=load_tensorflow(), keras=load_keras())
    if not torch_available():
        raise ImportError("PyTorch is not installed; install torch to compare with it")
    torch = importlib.import_module("torch")
    return SimpleNamespace(torch=torch, F=importlib.import_module("torch.nn.functional"))


# ----------------------------------------------------------------------------- evaluation
def evaluate(counterpart: Counterpart, x: Any, dtype: str) -> tuple[np.ndarray, np.ndarray]:
    """The framework's values and derivatives at the 1-D array ``x`` (in ``dtype``), by autodiff."""
    if not isinstance(counterpart, Counterpart):
        raise TypeError(f"counterpart must be a Counterpart, got {type(counterpart).__name__}")
    points = np.asarray(x, dtype=_dtype(dtype))
    if points.ndim != 1:
        raise ValueError(f"x must be 1-D, got shape {points.shape}")
    ns = _modules(counterpart.framework)
    function = counterpart.make(ns, dtype)
    if counterpart.framework == "tensorflow":
        tensor = ns.tf.constant(points)
        with ns.tf.GradientTape() as tape:
            tape.watch(tensor)
            out = function(tensor)
        grad = tape.gradient(out, tensor)
        return np.asarray(out.numpy()), np.asarray(grad.numpy())
    tensor = ns.torch.tensor(points, requires_grad=True)
    out = function(tensor)
    out.backward(ns.torch.ones_like(out))
    return out.detach().numpy().copy(), tensor.grad.detach().numpy().copy()


@dataclass(frozen=True)
class Disagreement:
    """One input at which a framework and the package give different numbers."""

    call: str
    key: str
    framework: str
    dtype: str
    layout: str
    quantity: str
    x: float
    framework_value: float
    package_value: float


def _per_input(counterpart: Counterpart, dtype: str, layout: str) -> tuple[np.ndarray, np.ndarray]:
    """Framework values and derivatives, shape (len(GRID), copies)."""
    grid = np.array(GRID, dtype=dtype)
    if layout == "block":
        values, grads = evaluate(counterpart, np.repeat(grid, BLOCK), dtype)
        return values.reshape(grid.size, BLOCK), grads.reshape(grid.size, BLOCK)
    pairs = [evaluate(counterpart, grid[i:i + 1], dtype) for i in range(grid.size)]
    return np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])


def compare(counterpart: Counterpart, dtype: str, layout: str = "block") -> tuple[int, list[Disagreement]]:
    """Compare a counterpart with the package over GRID; return (number of comparisons, disagreements)."""
    if not isinstance(counterpart, Counterpart):
        raise TypeError(f"counterpart must be a Counterpart, got {type(counterpart).__name__}")
    dtype, layout = _dtype(dtype), _layout(layout)
    act = get_activation(counterpart.key)
    grid = np.array(GRID, dtype=dtype)
    expected = {"value": act(grid, **counterpart.params), "derivative": act.grad(grid, **counterpart.params)}
    measured = dict(zip(QUANTITIES, _per_input(counterpart, dtype, layout)))
    found, count = [], 0
    for quantity in QUANTITIES:
        for i, x in enumerate(GRID):
            count += 1
            for got in measured[quantity][i]:
                if not agree(got, expected[quantity][i], dtype):
                    found.append(Disagreement(counterpart.call, counterpart.key, counterpart.framework, dtype,
                                              layout, quantity, x, float(got), float(expected[quantity][i])))
                    break
    return count, found


# ----------------------------------------------------------------------------- known differences
Gives = Callable[[Mapping[str, Any], str], float]
#: The four kinds of known difference (see :attr:`KnownDifference.kind`).
KINDS: tuple[str, ...] = ("limit at ±inf", "convention at a kink", "gradient at NaN", "float32 constant")


@dataclass(frozen=True)
class KnownDifference:
    """A documented way in which a framework differs from the package.

    ``inputs`` are the x where it happens and ``gives(params, layout)`` the number the framework
    returns there (``params``: the parameters the package is called with). A *precision* difference
    has ``inputs=None`` and explains any x where the two agree to ``rtol`` (relative) instead of the
    dtype's tolerance. ``basis`` says whether the row was measured or read from the source code.
    ``cpu_dependent`` marks a row that occurs on some processors only (the framework picks its
    vectorised kernel by the instruction set): an audit does not call it stale where it is not seen.
    """

    framework: str
    calls: tuple[str, ...]
    quantity: str
    inputs: tuple[float, ...] | None
    framework_gives: str
    reason: str
    gives: Gives | None = None
    rtol: float | None = None
    dtypes: tuple[str, ...] = DTYPES
    layouts: tuple[str, ...] = LAYOUTS
    basis: str = "measured"
    cpu_dependent: bool = False

    @property
    def kind(self) -> str:
        """One of KINDS: what sort of difference this is."""
        if self.inputs is None:
            return KINDS[3]
        if any(math.isnan(x) for x in self.inputs):
            return KINDS[2]
        return KINDS[0] if any(math.isinf(x) for x in self.inputs) else KINDS[1]

    def explains(self, d: Disagreement, params: Mapping[str, Any]) -> bool:
        """Whether this row accounts for the disagreement ``d``."""
        if (d.framework, d.quantity) != (self.framework, self.quantity) or d.call not in self.calls:
            return False
        if d.dtype not in self.dtypes or d.layout not in self.layouts:
            return False
        if self.inputs is None:
            assert self.rtol is not None
            tol = TOLERANCES[d.dtype]
            return abs(d.framework_value - d.package_value) <= tol.atol + self.rtol * abs(d.package_value)
        if not any(d.x == x or (math.isnan(d.x) and math.isnan(x)) for x in self.inputs):
            return False
        assert self.gives is not None
        expected = self.gives(params, d.layout)
        # a framework may hold the constant in float32 even for float64 tensors (tf.nn.leaky_relu does)
        return any(agree(d.framework_value, value, d.dtype) for value in (expected, float(np.float32(expected))))


def _calls(framework: str, *keys: str) -> tuple[str, ...]:
    return tuple(c.call for c in counterparts(framework) if c.key in keys)


def _const(value: float) -> Gives:
    return lambda params, layout: value


def _negative_slope(params: Mapping[str, Any], layout: str) -> float:
    """The slope for x <= 0 of the leaky family, whatever the parameter is called."""
    if "negative_slope" in params:
        return float(params["negative_slope"])
    if "slope" in params:
        return float(params["slope"])
    return (params["lower"] + params["upper"]) / 2


_NAN = _const(NAN)
_INF_TIMES_ZERO = "x · gate(x) at x = -inf is inf · 0, which IEEE arithmetic makes NaN; the package returns the limit 0"
_LAMBDA = f"λ ≈ {SELU_SCALE:.4f}"
_SLOPE32 = "float32 slope"
_TORCH_SOURCE = "measured with torch 2.13.0 (CPU build); reasons read from aten/src/ATen/native/cpu/Activation.cpp"


def _tensorflow_differences() -> tuple[KnownDifference, ...]:
    tf = "tensorflow"
    return (
        KnownDifference(tf, _calls(tf, "gelu", "gelu_tanh", "silu", "mish", "hard_swish"), "value", (-INF,), "NaN",
                        _INF_TIMES_ZERO, _NAN),
        KnownDifference(tf, _calls(tf, "gelu", "gelu_tanh", "silu", "mish", "hard_swish"), "derivative",
                        (-INF, INF), "NaN", "the derivative's formula multiplies inf by 0 (x · φ(x), or x times "
                        "relu6's slope); the package returns the limits 0 and 1", _NAN),
        KnownDifference(tf, _calls(tf, "softsign"), "value", (-INF, INF), "NaN",
                        "x / (1 + |x|) is inf / inf at ±inf; the package returns the limits -1 and 1", _NAN),
        KnownDifference(tf, _calls(tf, "hard_swish"), "derivative", (-3.0,), "0",
                        "at the kink x = -3, autodiff of x · relu6(x + 3) / 6 uses relu6's slope 0 at 0; the "
                        "package takes the slope from inside [-3, 3], x / 3 + 1/2 = -1/2", _const(0.0)),
        KnownDifference(tf, _calls(tf, "hard_swish"), "derivative", (3.0,), "1",
                        "at the kink x = 3 autodiff uses relu6's slope 0 at 6; the package takes the slope from inside "
                        "[-3, 3], x / 3 + 1/2 = 3/2",
                        _const(1.0)),
        KnownDifference(tf, _calls(tf, "selu"), "derivative", (-0.0, 0.0), _LAMBDA,
                        "SELU has a kink at 0 (slope λα on the left, λ on the right): SeluGrad takes the right "
                        "slope, the package and PyTorch the left one, λα", _const(SELU_SCALE)),
        KnownDifference(tf, _calls(tf, "prelu"), "derivative", (-0.0, 0.0), "0",
                        "Keras computes PReLU as relu(x) - α relu(-x), whose autodiff slope at 0 is 0 + 0; the "
                        "package (like tf.nn.leaky_relu) uses the negative slope α there", _const(0.0)),
        KnownDifference(tf, _calls(tf, "relu", "relu6", "prelu"), "derivative", (NAN,), "0",
                        "the gradient is built from masks such as (x > 0), which are False for NaN; the package "
                        "keeps NaN", _const(0.0)),
        KnownDifference(tf, _calls(tf, "leaky_relu"), "derivative", (NAN,), "the slope a",
                        "the gradient selects a wherever x > 0 is False, as it is for NaN", _negative_slope),
        KnownDifference(tf, _calls(tf, "elu"), "derivative", (NAN,), "α",
                        "EluGrad passes the gradient where the output is not < 0, as NaN is not; "
                        "keras.activations.elu then multiplies by α", lambda p, layout: float(p["alpha"])),
        KnownDifference(tf, _calls(tf, "selu"), "derivative", (NAN,), _LAMBDA,
                        "SeluGrad returns λ times the gradient where the output is not < 0", _const(SELU_SCALE)),
        KnownDifference(tf, _calls(tf, "leaky_relu"), "value", None, _SLOPE32,
                        "the slope is a float32 attribute of the LeakyRelu op, even for float64 tensors",
                        rtol=1e-7, dtypes=("float64",)),
        KnownDifference(tf, _calls(tf, "leaky_relu"), "derivative", None, _SLOPE32,
                        "the same float32 slope in LeakyReluGrad", rtol=1e-7, dtypes=("float64",)),
        KnownDifference(tf, _calls(tf, "gelu", "gelu_tanh"), "value", None, "float32 constants",
                        "tf.nn.gelu makes its constants (1/√2, 0.044715) float32 tensors before casting them, so "
                        "float64 GELU computes with float32-rounded constants", rtol=1e-5,
                        dtypes=("float64",)),
        KnownDifference(tf, _calls(tf, "gelu", "gelu_tanh"), "derivative", None, "float32 constants",
                        "the same float32-rounded constants in the derivative", rtol=1e-5, dtypes=("float64",)),
    )


def _torch_differences() -> tuple[KnownDifference, ...]:
    pt, basis = "torch", _TORCH_SOURCE
    return (
        KnownDifference(pt, _calls(pt, "gelu", "gelu_tanh", "silu", "mish", "hard_swish"), "value", (-INF,), "NaN",
                        _INF_TIMES_ZERO, _NAN, basis=basis),
        KnownDifference(pt, _calls(pt, "gelu", "gelu_tanh", "silu", "mish", "softsign"), "derivative", (-INF, INF),
                        "NaN", "the backward formula multiplies inf by 0", _NAN, basis=basis),
        KnownDifference(pt, _calls(pt, "softsign"), "value", (-INF, INF), "NaN",
                        "F.softsign is x / (|x| + 1), inf / inf at ±inf", _NAN, basis=basis),
        KnownDifference(pt, _calls(pt, "relu"), "derivative", (NAN,), "1",
                        "relu's backward is threshold_backward(grad, result, 0): NaN <= 0 is False, so the "
                        "gradient passes", _const(1.0), basis=basis),
        KnownDifference(pt, _calls(pt, "leaky_relu", "rrelu", "prelu"), "derivative", (NAN,), "the slope a",
                        "the backward kernel selects a wherever x > 0 is False", _negative_slope, basis=basis),
        KnownDifference(pt, _calls(pt, "relu6"), "derivative", (NAN,), "1 alone, 0 in a block",
                        "hardtanh_backward's scalar loop tests x <= 0 or x >= 6 (False for NaN: the gradient "
                        "passes), its vectorised loop 0 < x < 6 (False: 0)",
                        lambda p, layout: 1.0 if layout == "alone" else 0.0, basis=basis),
        KnownDifference(pt, _calls(pt, "hard_swish", "elu"), "derivative", (NAN,), "1, alone",
                        "the scalar loop's last branch (x > 3, or x > 0) is taken for NaN; the vectorised loop "
                        "gives NaN", _const(1.0), layouts=("alone",), basis=basis),
        KnownDifference(pt, _calls(pt, "hard_swish"), "derivative", (-3.0,), "0",
                        "hardswish_backward gives 0 for x <= -3; the package takes the slope from inside [-3, 3], "
                        "-1/2", _const(0.0), basis=basis),
        KnownDifference(pt, _calls(pt, "hard_swish"), "derivative", (3.0,), "1",
                        "hardswish_backward gives 1 for x >= 3; the package takes the slope from inside [-3, 3], "
                        "3/2", _const(1.0), basis=basis),
        KnownDifference(pt, _calls(pt, "softplus"), "derivative", (30.0,), "1",
                        "F.softplus switches to the identity where beta·x > threshold (20 by default), so its "
                        "slope there is exactly 1; the package returns sigmoid(30) = 1 - 9.4e-14",
                        _const(1.0), dtypes=("float64",), basis=basis),
        KnownDifference(pt, _calls(pt, "gelu"), "value", (INF,), "NaN",
                        "the vectorised float32 kernel computes x · ½(1 + erf(x/√2)) through a polynomial that is "
                        "NaN at inf; the package returns inf. Seen on an earlier test machine; on an AVX2 one "
                        "PyTorch's kernel returns inf", _NAN, dtypes=("float32",), layouts=("block",),
                        basis=basis, cpu_dependent=True),
        KnownDifference(pt, _calls(pt, "gelu"), "value", None, "vectorised erf",
                        "the vectorised float32 kernel uses a polynomial erf, accurate to about 1e-4 relative in the "
                        "far tail (on some processors; on an AVX2 one it agrees within float32's tolerance)",
                        rtol=2e-4, dtypes=("float32",), layouts=("block",), basis=basis, cpu_dependent=True),
        KnownDifference(pt, _calls(pt, "selu"), "derivative", (NAN,), _LAMBDA + ", alone",
                        "the scalar loop's positive branch is taken for NaN; the vectorised loop gives NaN",
                        _const(SELU_SCALE), layouts=("alone",), basis=basis),
    )


#: Every way in which a framework is known to differ from the package, with the reason.
KNOWN_DIFFERENCES: tuple[KnownDifference, ...] = _tensorflow_differences() + _torch_differences()


def _params(counterpart: Counterpart) -> dict[str, Any]:
    return {**get_activation(counterpart.key).params, **counterpart.params}


def explain(disagreement: Disagreement) -> KnownDifference | None:
    """The row of KNOWN_DIFFERENCES that accounts for a disagreement, or None."""
    if not isinstance(disagreement, Disagreement):
        raise TypeError(f"disagreement must be a Disagreement, got {type(disagreement).__name__}")
    counterpart = next(c for c in counterparts(disagreement.framework) if c.call == disagreement.call)
    return next((k for k in KNOWN_DIFFERENCES if k.explains(disagreement, _params(counterpart))), None)


@dataclass(frozen=True)
class Audit:
    """All comparisons of one framework with the package, and how each disagreement is accounted for."""

    framework: str
    comparisons: int
    explained: tuple[tuple[Disagreement, KnownDifference], ...]
    unexplained: tuple[Disagreement, ...]
    unused: tuple[KnownDifference, ...]

    def occurrences(self, known: KnownDifference) -> int:
        return sum(1 for _, k in self.explained if k is known)


def audit(framework: str, dtypes: Sequence[str] = DTYPES, layouts: Sequence[str] = LAYOUTS) -> Audit:
    """Compare every counterpart of ``framework`` with the package on GRID, in every dtype and layout."""
    framework = _framework(framework)
    dtypes = tuple(_dtype(d) for d in dtypes)
    layouts = tuple(_layout(layout) for layout in layouts)
    count, explained, unexplained = 0, [], []
    for counterpart in counterparts(framework):
        for dtype in dtypes:
            for layout in layouts:
                n, found = compare(counterpart, dtype, layout)
                count += n
                for d in found:
                    known = explain(d)
                    if known is None:
                        unexplained.append(d)
                    else:
                        explained.append((d, known))
    used = {id(k) for _, k in explained}
    rows = [k for k in KNOWN_DIFFERENCES if k.framework == framework and set(k.dtypes) & set(dtypes)
            and set(k.layouts) & set(layouts)]
    return Audit(framework, count, tuple(explained), tuple(unexplained),
                 tuple(k for k in rows if id(k) not in used and not k.cpu_dependent))


# ----------------------------------------------------------------------------- signed zeros
def negative_zero_signs(dtype: str = "float32") -> dict[str, bool]:
    """Whether ``tf.nn.relu(-0.0)`` keeps the sign bit, for -0.0 alone and inside a block of copies.

    Values are compared with ==, for which -0.0 == 0.0; this shows why a test must not compare bits.
    """
    dtype = _dtype(dtype)
    tf = load_tensorflow()
    alone = tf.nn.relu(tf.constant(np.array([-0.0], dtype=dtype))).numpy()
    block = tf.nn.relu(tf.constant(np.full(BLOCK, -0.0, dtype=dtype))).numpy()
    return {"alone": bool(np.signbit(alone[0])), "block": bool(np.all(np.signbit(block)))}


# ----------------------------------------------------------------------------- defaults
@dataclass(frozen=True)
class DefaultSetting:
    """A framework's default for one parameter: as declared in its signature, and as measured by a call."""

    framework: str
    api: str
    parameter: str
    declared: Any       # the signature's default (None where the signature shows none)
    measured: Any       # the value a call with the default actually uses
    paper: str          # what the introducing paper uses, for comparison
    source: str = ""    # the paper's key in references.bib


def _declared(obj: Any, parameter: str) -> Any:
    try:
        default = inspect.signature(obj).parameters[parameter].default
    except (TypeError, ValueError, KeyError):  # builtins without a signature, or another parameter name
        return None
    return None if default is inspect.Parameter.empty else default


def _number(value: Any) -> float:
    """A measured float32 number, shown to float32 precision (0.30000001192... is 0.3)."""
    return float(f"{float(value):.7g}")


def _gelu_form(y_at_one: float) -> str:
    """Which GELU a framework computed, from its value at x = 1."""
    from relu_course.variants import gelu

    exact, tanh_form = float(gelu(1.0)), float(gelu(1.0, approximate=True))
    return "exact (erf)" if abs(y_at_one - exact) < abs(y_at_one - tanh_form) else "tanh approximation"


def _tensorflow_defaults() -> list[DefaultSetting]:
    tf, keras = load_tensorflow(), load_keras()
    minus_one, one = tf.constant([-1.0]), tf.constant([1.0])
    far_left = tf.constant([-50.0])  # elu(-50) = -alpha (e^-50 - 1) = -alpha to float32 precision
    prelu = keras.layers.PReLU()
    prelu(tf.constant([[-1.0]]))
    silu_at_one = float(tf.nn.silu(one).numpy()[0])
    rows = [
        DefaultSetting("TensorFlow", "keras.layers.LeakyReLU", "negative_slope",
                       _declared(keras.layers.LeakyReLU, "negative_slope"),
                       _number(-keras.layers.LeakyReLU()(minus_one).numpy()[0]), "0.01", "maas2013"),
        DefaultSetting("TensorFlow", "keras.activations.leaky_relu", "negative_slope",
                       _declared(keras.activations.leaky_relu, "negative_slope"),
                       _number(-keras.activations.leaky_relu(minus_one).numpy()[0]), "0.01", "maas2013"),
        DefaultSetting("TensorFlow", "tf.nn.leaky_relu", "alpha", _declared(tf.nn.leaky_relu, "alpha"),
                       _number(-tf.nn.leaky_relu(minus_one).numpy()[0]), "0.01", "maas2013"),
        DefaultSetting("TensorFlow", "keras.layers.PReLU", "alpha_initializer",
                       _declared(keras.layers.PReLU, "alpha_initializer"), _number(prelu.get_weights()[0].ravel()[0]),
                       "0.25", "he2015"),
        DefaultSetting("TensorFlow", "keras.activations.elu", "alpha", _declared(keras.activations.elu, "alpha"),
                       _number(-keras.activations.elu(far_left).numpy()[0]), "1", "clevert2016"),
        DefaultSetting("TensorFlow", "keras.layers.ELU", "alpha", _declared(keras.layers.ELU, "alpha"),
                       _number(-keras.layers.ELU()(far_left).numpy()[0]), "1", "clevert2016"),
        DefaultSetting("TensorFlow", "tf.nn.gelu", "approximate", _declared(tf.nn.gelu, "approximate"),
                       _gelu_form(float(tf.nn.gelu(one).numpy()[0])), "exact", "hendrycks2016"),
        DefaultSetting("TensorFlow", "keras.activations.gelu", "approximate",
                       _declared(keras.activations.gelu, "approximate"),
                       _gelu_form(float(keras.activations.gelu(one).numpy()[0])), "exact", "hendrycks2016"),
        DefaultSetting("TensorFlow", "tf.nn.silu", "beta", _declared(tf.nn.silu, "beta"),
                       _number(math.log(silu_at_one / (1.0 - silu_at_one))), "1 (SiLU)", "hendrycks2016"),
    ]
    return rows


def _torch_defaults() -> list[DefaultSetting]:
    ns = _modules("torch")
    torch, F, nn = ns.torch, ns.F, importlib.import_module("torch.nn")
    minus_one, one = torch.tensor([-1.0]), torch.tensor([1.0])
    with torch.no_grad():
        rrelu = nn.RReLU().eval()
        return [
            DefaultSetting("PyTorch", "torch.nn.LeakyReLU", "negative_slope",
                           _declared(nn.LeakyReLU, "negative_slope"), _number(-nn.LeakyReLU()(minus_one)[0]),
                           "0.01", "maas2013"),
            DefaultSetting("PyTorch", "F.leaky_relu", "negative_slope", _declared(F.leaky_relu, "negative_slope"),
                           _number(-F.leaky_relu(minus_one)[0]), "0.01", "maas2013"),
            DefaultSetting("PyTorch", "torch.nn.PReLU", "init", _declared(nn.PReLU, "init"),
                           _number(nn.PReLU().weight[0]), "0.25", "he2015"),
            DefaultSetting("PyTorch", "torch.nn.RReLU (eval)", "(lower + upper) / 2",
                           (_declared(nn.RReLU, "lower") + _declared(nn.RReLU, "upper")) / 2,
                           _number(-rrelu(minus_one)[0]), "2/11", "xu2015"),
            DefaultSetting("PyTorch", "torch.nn.ELU", "alpha", _declared(nn.ELU, "alpha"),
                           _number(-nn.ELU()(torch.tensor([-50.0]))[0]), "1", "clevert2016"),
            DefaultSetting("PyTorch", "torch.nn.GELU", "approximate", _declared(nn.GELU, "approximate"),
                           _gelu_form(float(nn.GELU()(one)[0])), "exact", "hendrycks2016"),
            DefaultSetting("PyTorch", "F.gelu", "approximate", _declared(F.gelu, "approximate"),
                           _gelu_form(float(F.gelu(one)[0])), "exact", "hendrycks2016"),
        ]


def framework_defaults(include_torch: bool | None = None) -> list[DefaultSetting]:
    """The default parameters of the frameworks' activations, read from the frameworks themselves.

    PyTorch's rows are added when it is installed (``include_torch=None``) or when asked for.
    """
    if include_torch is None:
        include_torch = torch_available()
    if not isinstance(include_torch, bool):
        raise TypeError(f"include_torch must be True, False or None, got {include_torch!r}")
    return _tensorflow_defaults() + (_torch_defaults() if include_torch else [])


# ----------------------------------------------------------------------------- tables
def defaults_table(settings: Sequence[DefaultSetting]) -> str:
    """The framework-defaults table as Markdown."""
    sequence_of(settings, DefaultSetting, "settings", "DefaultSetting, as framework_defaults() returns")
    rows = [(f"`{s.api}`", f"`{s.parameter}`", f"{s.declared!r} / {s.measured}", s.paper) for s in settings]
    return markdown_table(("API", "Parameter", "Declared / measured", "Paper"), rows)


def _format_x(x: float) -> str:
    return "NaN" if math.isnan(x) else ("-0.0" if x == 0 and math.copysign(1, x) < 0 else f"{x:g}")


def _package_gives(known: KnownDifference) -> str:
    if known.inputs is None:
        return "float64 constants"
    counterpart = next(c for c in counterparts(known.framework) if c.call == known.calls[0])
    act = get_activation(counterpart.key)
    grid = np.array(known.inputs)
    values = act(grid, **counterpart.params) if known.quantity == "value" else act.grad(grid, **counterpart.params)
    shown = [_format_x(float(v)) if math.isnan(v) else f"{float(v):.5g}" for v in values]
    return shown[0] if len(set(shown)) == 1 else ", ".join(shown)


def _where(known: KnownDifference) -> str:
    symbol = "f" if known.quantity == "value" else "f′"
    if known.inputs is None:
        return f"{symbol}, every x ({' and '.join(known.dtypes)})"
    inputs = "±0" if set(known.inputs) == {0.0} and len(known.inputs) == 2 else \
        ", ".join(_format_x(x) for x in known.inputs)
    layouts = "" if set(known.layouts) == set(LAYOUTS) else f" ({', '.join(known.layouts)})"
    return f"{symbol} at {inputs}{layouts}"


def known_differences_table(result: Audit) -> str:
    """The known differences of one framework as Markdown, with how often each was seen in ``result``.

    The reasons are long; they are in each row's ``reason`` (and in the chapter's text), the table
    shows their kind.
    """
    if not isinstance(result, Audit):
        raise TypeError(f"result must be an Audit, got {type(result).__name__}")
    rows = []
    for known in KNOWN_DIFFERENCES:
        if known.framework != result.framework:
            continue
        keys = sorted({c.key for c in counterparts(known.framework) if c.call in known.calls})
        rows.append((", ".join(f"`{k}`" for k in keys), _where(known), known.kind, known.framework_gives,
                     _package_gives(known), result.occurrences(known)))
    return markdown_table(("Function", "Where", "Kind", "Framework", "Package", "Seen"), rows)
