"""What ReLU and its derivative give at the edges of floating point, in the package and the frameworks.

The inputs are 0 and -0.0, NaN, the infinities, the smallest subnormal numbers of both signs and two
ordinary numbers, in float16, float32 and float64, plus integer input. The package's answers are its
documented conventions (relu_course.activations); TensorFlow's and PyTorch's are measured, each value
from a tensor of its own, each derivative from autodiff. Zeros are shown with their sign, because the
sign is one of the things that differs.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Real

import numpy as np

from relu_course._validation import choice
from relu_course.activations import relu, relu_derivative
from relu_course.framework_agreement import torch_available

DTYPES: tuple[str, ...] = ("float16", "float32", "float64")
FRAMEWORKS: tuple[str, ...] = ("package", "tensorflow", "torch")


def edge_inputs(dtype: str) -> dict[str, float]:
    """The edge inputs of ``dtype``, by label (the subnormals are the dtype's smallest)."""
    dtype = choice(dtype, DTYPES, "dtype")
    tiny = float(np.nextafter(np.zeros(1, dtype), np.ones(1, dtype))[0])
    return {"0": 0.0, "-0.0": -0.0, "NaN": math.nan, "+inf": math.inf, "-inf": -math.inf,
            "smallest subnormal": tiny, "-smallest subnormal": -tiny, "1": 1.0, "-1": -1.0}


def show(value: float) -> str:
    """A number as a reader should see it: the sign of zero kept, subnormals in scientific notation."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (Real, np.floating, np.integer)):
        raise TypeError(f"value must be a real number, got {type(value).__name__}")
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    if math.isinf(value):
        return "+inf" if value > 0 else "-inf"
    return f"{value:.3g}" if 1e-3 <= abs(value) < 1e6 else f"{value:.3e}"


def evaluate(framework: str, x: float, dtype: str) -> tuple[float, float]:
    """(ReLU(x), ReLU'(x)) in ``framework`` for one input held alone in a tensor of ``dtype``."""
    framework, dtype = choice(framework, FRAMEWORKS, "framework"), choice(dtype, DTYPES, "dtype")
    if framework == "package":
        array = np.array([x], dtype=dtype)
        return float(relu(array)[0]), float(relu_derivative(array)[0])
    if framework == "tensorflow":
        from relu_course.tf_loader import load_tensorflow
        tf = load_tensorflow()
        t = tf.constant(np.array([x], dtype=dtype))
        with tf.GradientTape() as tape:
            tape.watch(t)
            y = tf.nn.relu(t)
        return float(y.numpy()[0]), float(tape.gradient(y, t).numpy()[0])
    if not torch_available():
        raise ImportError("PyTorch is not installed")
    import torch
    t = torch.tensor(np.array([x], dtype=dtype), requires_grad=True)
    y = torch.relu(t)
    y.backward(torch.ones_like(y))
    return float(y.detach().numpy()[0]), float(t.grad.numpy()[0])


def same(a: float, b: float, *, signed_zero: bool = True) -> bool:
    """Equal as a reader would check: NaN equals NaN; with ``signed_zero`` the sign of a zero counts."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if a == 0 and b == 0 and signed_zero:
        return math.copysign(1.0, a) == math.copysign(1.0, b)
    return a == b


@dataclass(frozen=True)
class EdgeRow:
    dtype: str
    label: str
    x: float
    results: dict[str, tuple[float, float]]   # framework -> (value, derivative)

    def differs(self, framework: str) -> list[str]:
        """'value' and/or 'derivative' where ``framework`` differs from the package."""
        mine, theirs = self.results["package"], self.results[framework]
        return [name for name, a, b in zip(("value", "derivative"), mine, theirs) if not same(a, b)]


def edge_rows(frameworks: tuple[str, ...] = FRAMEWORKS) -> list[EdgeRow]:
    """Every edge input in every dtype, evaluated in each framework that is installed."""
    wanted = [choice(f, FRAMEWORKS, "frameworks") for f in frameworks]
    if "torch" in wanted and not torch_available():
        wanted.remove("torch")
    rows = []
    for dtype in DTYPES:
        for label, x in edge_inputs(dtype).items():
            rows.append(EdgeRow(dtype, label, x, {f: evaluate(f, x, dtype) for f in wanted}))
    return rows


def integer_behaviour() -> dict[str, str]:
    """The dtype each framework returns for integer input (int32 [-2, 3])."""
    out = {"package": str(relu(np.array([-2, 3], dtype=np.int32)).dtype)}
    from relu_course.tf_loader import load_tensorflow
    out["tensorflow"] = load_tensorflow().nn.relu(np.array([-2, 3], dtype=np.int32)).dtype.name
    if torch_available():
        import torch
        out["torch"] = str(torch.relu(torch.tensor([-2, 3], dtype=torch.int32)).dtype).replace("torch.", "")
    return out
