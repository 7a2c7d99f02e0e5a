"""Time activation functions, and compare ReLU with a plain copy of the same bytes.

The course's one timing helper. It times any activation of the registry
(relu_course.activation_registry) in NumPy and in TensorFlow, on a seeded standard-normal
array of a given size and dtype, and reports each time as a ratio to ReLU's time from the
same run. Absolute times depend on the machine and its load; ratios measured side by side
are what a chapter should read. To make them robust, every repeat times all functions one
after another (round robin), so a slow moment of the machine hits all of them alike, and the
best repeat of each function is kept, as ``timeit`` recommends.

:func:`copy_reference` times bare NumPy kernels on the same arrays: ``np.copyto``, ReLU's
``np.maximum`` and any one-input ufuncs (``np.tanh``, ``np.exp``, ...). An elementwise function
that reads and writes every byte once cannot beat a copy, so the ratio says how close each
kernel gets to the memory bandwidth. :func:`time_dense_layer` times a dense layer's matrix
product beside its activation, to put the activation's cost in proportion.

TensorFlow is imported only when a TensorFlow timing is asked for.
"""
from __future__ import annotations

import gc
import inspect
import math
import time
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from relu_course._validation import positive_int
from relu_course.activation_registry import ACTIVATIONS, Activation, get_activation
from relu_course.seeding import MAX_SEED

FRAMEWORKS = ("numpy", "tensorflow")
DTYPES = ("float32", "float64")
#: Where the TensorFlow version of an activation must agree with the NumPy reference (float32).
TF_PROBE = np.linspace(-6.0, 6.0, 241)
TF_PROBE.setflags(write=False)
TF_TOLERANCE = {"rtol": 1e-4, "atol": 1e-5}

Clock = Callable[[], float]


# --------------------------------------------------------------------------- validation
def _non_negative_int(value: Any, name: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a non-negative integer, got {type(value).__name__} ({value!r})")
    if value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value}")
    return int(value)


def _dtype(dtype: Any) -> np.dtype:
    name = dtype if isinstance(dtype, str) else getattr(dtype, "__name__", str(dtype))
    try:
        resolved = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype must be one of {DTYPES}, got {dtype!r}") from None
    if resolved.name not in DTYPES:
        raise ValueError(f"dtype must be one of {DTYPES}, got {name!r}")
    return resolved


def _framework(framework: Any) -> str:
    if not isinstance(framework, str):
        raise TypeError(f"framework must be one of {FRAMEWORKS}, got {type(framework).__name__}")
    if framework not in FRAMEWORKS:
        raise ValueError(f"framework must be one of {FRAMEWORKS}, got {framework!r}")
    return framework


def _keys(keys: Any, reference: str) -> tuple[str, ...]:
    """Registry keys, reference first, without duplicates."""
    if isinstance(keys, (str, bytes)) or not hasattr(keys, "__iter__"):
        raise TypeError(f"keys must be a sequence of activation keys such as ['relu', 'tanh'], got {keys!r}")
    ordered = [get_activation(reference).key]
    for key in keys:
        if get_activation(key).key not in ordered:
            ordered.append(key)
    return tuple(ordered)


def _seed(seed: Any) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed <= MAX_SEED:
        raise ValueError(f"seed must be an integer in [0, {MAX_SEED}], got {seed!r}")
    return int(seed)


# --------------------------------------------------------------------------- timing
def time_round_robin(funcs: Mapping[str, Callable[[], Any]], *, repeats: int = 5, number: int = 1,
                     warmup: int = 1, clock: Clock = time.perf_counter) -> dict[str, float]:
    """Best time per call of each function: ``warmup`` untimed calls each, then ``repeats`` rounds
    in which every function runs ``number`` times in a row; returns the smallest round per call.

    ``clock`` is injectable so that tests can check the arithmetic with a scripted clock.
    """
    if not isinstance(funcs, Mapping) or not funcs:
        raise TypeError("funcs must be a non-empty mapping of name -> function without arguments")
    for name, func in funcs.items():
        if not callable(func):
            raise TypeError(f"funcs[{name!r}] must be callable, got {type(func).__name__}")
    repeats, number = positive_int(repeats, "repeats"), positive_int(number, "number")
    warmup = _non_negative_int(warmup, "warmup")
    if not callable(clock):
        raise TypeError(f"clock must be a function returning seconds, got {type(clock).__name__}")
    for func in funcs.values():
        for _ in range(warmup):
            func()
    best = {name: math.inf for name in funcs}
    was_enabled = gc.isenabled()
    gc.disable()  # as timeit does: a collection in the middle of one round would bias it
    try:
        for _ in range(repeats):
            for name, func in funcs.items():
                start = clock()
                for _ in range(number):
                    func()
                best[name] = min(best[name], (clock() - start) / number)
    finally:
        if was_enabled:
            gc.enable()
    return best


def speed_ratios(seconds: Mapping[str, float], reference: str = "relu") -> dict[str, float]:
    """Each time divided by the reference's time from the same run (the reference's ratio is 1)."""
    if not isinstance(seconds, Mapping) or not seconds:
        raise TypeError("seconds must be a non-empty mapping of name -> seconds")
    if not isinstance(reference, str):
        raise TypeError(f"reference must be a name such as 'relu', got {type(reference).__name__}")
    if reference not in seconds:
        raise ValueError(f"reference {reference!r} was not timed; timed: {', '.join(seconds)}")
    values = {}
    for name, value in seconds.items():
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
                or not math.isfinite(value) or value <= 0:
            raise ValueError(f"seconds[{name!r}] must be a positive finite number, got {value!r}")
        values[name] = float(value)
    return {name: value / values[reference] for name, value in values.items()}


# --------------------------------------------------------------------------- the functions timed
def numpy_function(key: str) -> Callable[[np.ndarray], Any]:
    """The registry's NumPy reference implementation of ``key``, with the course's default parameters."""
    return get_activation(key)


def _keras_source(entry: Activation) -> Activation | None:
    """The entry whose Keras function computes ``entry``: itself, or an entry with the same NumPy
    function and a Keras name (GELU's tanh form is Keras's ``gelu`` with ``approximate=True``)."""
    if entry.keras:
        return entry
    for other in ACTIVATIONS.values():
        if other.keras and other.function is entry.function:
            return other
    return None


def tensorflow_keys() -> tuple[str, ...]:
    """Registry keys that have a TensorFlow (Keras) function; works without importing TensorFlow."""
    return tuple(key for key, entry in ACTIVATIONS.items() if _keras_source(entry) is not None)


def tensorflow_function(key: str) -> Callable[[Any], Any]:
    """``keras.activations.<name>`` for ``key`` with the registry's parameters, run eagerly on
    TensorFlow tensors. It is checked against the NumPy reference on TF_PROBE before it is returned,
    so a parameter that Keras names or defaults differently cannot slip through."""
    entry = get_activation(key)
    source = _keras_source(entry)
    if source is None:
        raise ValueError(f"key {key!r} has no TensorFlow function; available: {', '.join(tensorflow_keys())}")
    from relu_course.tf_loader import load_keras

    keras = load_keras()
    func = keras.activations.get(source.keras)
    accepted = inspect.signature(func).parameters
    params = {name: value for name, value in entry.params.items() if name in accepted}
    tf_func = (lambda x: func(x, **params)) if params else func
    probe = TF_PROBE.astype(np.float32)
    got = np.asarray(tf_func(keras.ops.convert_to_tensor(probe)), dtype=np.float64)
    expected = np.asarray(entry(TF_PROBE), dtype=np.float64)
    if not np.allclose(got, expected, **TF_TOLERANCE):
        worst = float(np.max(np.abs(got - expected)))
        raise ValueError(f"keras.activations.{source.keras} with {params} differs from the reference "
                         f"{entry.name} by up to {worst:.2e}; it cannot stand in for {key!r}")
    return tf_func


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class Timing:
    """One run: the best time per call of each activation on the same array."""

    framework: str
    size: int
    dtype: str
    repeats: int
    number: int
    seconds: Mapping[str, float]
    reference: str = "relu"

    @property
    def nbytes(self) -> int:
        """Bytes of the input array (the output has as many)."""
        return self.size * np.dtype(self.dtype).itemsize

    def ratios(self, reference: str | None = None) -> dict[str, float]:
        """Time of each activation divided by the reference's (default: this run's reference)."""
        return speed_ratios(self.seconds, self.reference if reference is None else reference)

    def nanoseconds_per_element(self) -> dict[str, float]:
        return {name: 1e9 * s / self.size for name, s in self.seconds.items()}


def benchmark_input(size: int, dtype: Any = "float32", seed: int = 0) -> np.ndarray:
    """The array every timing uses: ``size`` standard-normal numbers (half of them negative)."""
    size = positive_int(size, "size")
    return np.random.default_rng(_seed(seed)).standard_normal(size).astype(_dtype(dtype))


def time_activations(keys: Sequence[str], *, size: int, dtype: Any = "float32", framework: str = "numpy",
                     repeats: int = 5, number: int = 1, warmup: int = 1, reference: str = "relu",
                     seed: int = 0, clock: Clock = time.perf_counter) -> Timing:
    """Time registry activations on one seeded array in one framework; the reference is always
    timed too (first), so that :meth:`Timing.ratios` compares within the same run."""
    framework = _framework(framework)
    names = _keys(keys, reference)
    x = benchmark_input(size, dtype, seed)
    if framework == "numpy":
        funcs = {name: numpy_function(name) for name in names}
        data: Any = x
    else:
        from relu_course.tf_loader import load_tensorflow

        funcs = {name: tensorflow_function(name) for name in names}
        data = load_tensorflow().constant(x)
    calls = {name: (lambda f=f: f(data)) for name, f in funcs.items()}
    seconds = time_round_robin(calls, repeats=repeats, number=number, warmup=warmup, clock=clock)
    return Timing(framework, x.size, x.dtype.name, repeats, number, MappingProxyType(seconds), names[0])


MATMUL = "matmul"


def time_dense_layer(keys: Sequence[str], *, batch: int, width: int, dtype: Any = "float32",
                     framework: str = "numpy", repeats: int = 5, number: int = 1, warmup: int = 1,
                     reference: str = "relu", seed: int = 0, clock: Clock = time.perf_counter) -> Timing:
    """A dense layer's two parts, timed side by side: the matrix product ``x @ W`` of a
    (batch, width) input with a (width, width) kernel (under the name ``"matmul"``), and each
    activation applied to the (batch, width) result. ``size`` of the result is batch * width."""
    framework = _framework(framework)
    names = _keys(keys, reference)
    batch, width = positive_int(batch, "batch"), positive_int(width, "width")
    x = benchmark_input(batch * width, dtype, seed).reshape(batch, width)
    kernel = (benchmark_input(width * width, dtype, _seed(seed) + 1).reshape(width, width)
              / np.sqrt(width)).astype(x.dtype)
    z = x @ kernel
    if framework == "numpy":
        funcs = {name: numpy_function(name) for name in names}
        calls: dict[str, Callable[[], Any]] = {MATMUL: lambda: x @ kernel}
        calls.update({name: (lambda f=f: f(z)) for name, f in funcs.items()})
    else:
        from relu_course.tf_loader import load_tensorflow

        tf = load_tensorflow()
        tx, tk, tz = tf.constant(x), tf.constant(kernel), tf.constant(z)
        calls = {MATMUL: lambda: tf.linalg.matmul(tx, tk)}
        calls.update({name: (lambda f=tensorflow_function(name): f(tz)) for name in names})
    seconds = time_round_robin(calls, repeats=repeats, number=number, warmup=warmup, clock=clock)
    return Timing(framework, z.size, z.dtype.name, repeats, number, MappingProxyType(seconds), names[0])


@dataclass(frozen=True)
class CopyReference:
    """Bare NumPy kernels on the same array, each writing into one preallocated output: ``"copy"``,
    ``"relu"`` (``np.maximum(x, 0, out=out)``) and any extra one-input ufuncs, best time per call."""

    size: int
    dtype: str
    seconds: Mapping[str, float]

    @property
    def nbytes(self) -> int:
        return self.size * np.dtype(self.dtype).itemsize

    @property
    def copy_seconds(self) -> float:
        return self.seconds["copy"]

    @property
    def relu_seconds(self) -> float:
        return self.seconds["relu"]

    @property
    def relu_to_copy(self) -> float:
        """How many times longer ReLU takes than copying the same bytes (>= 1 up to noise)."""
        return self.relu_seconds / self.copy_seconds

    def ratios(self, reference: str = "relu") -> dict[str, float]:
        """Each kernel's time divided by the reference kernel's."""
        return speed_ratios(self.seconds, reference)

    def bandwidth(self, which: str = "copy") -> float:
        """Bytes moved per second by kernel ``which``, counting each element read once and written once."""
        if which not in self.seconds:
            raise ValueError(f"which must be one of {tuple(self.seconds)}, got {which!r}")
        return 2 * self.nbytes / self.seconds[which]


def _ufuncs(ufuncs: Any) -> dict[str, np.ufunc]:
    if ufuncs is None:
        return {}
    if not isinstance(ufuncs, Mapping):
        raise TypeError(f"ufuncs must be a mapping of name -> NumPy ufunc, got {type(ufuncs).__name__}")
    checked = {}
    for name, func in ufuncs.items():
        if not isinstance(name, str) or name in ("copy", "relu"):
            raise ValueError(f"ufuncs names must be strings other than 'copy' and 'relu', got {name!r}")
        if not isinstance(func, np.ufunc) or func.nin != 1 or func.nout != 1:
            raise TypeError(f"ufuncs[{name!r}] must be a NumPy ufunc of one input (such as np.tanh), got {func!r}")
        checked[name] = func
    return checked


def copy_reference(size: int, dtype: Any = "float32", *, ufuncs: Mapping[str, np.ufunc] | None = None,
                   repeats: int = 5, number: int = 1, warmup: int = 1, seed: int = 0,
                   clock: Clock = time.perf_counter) -> CopyReference:
    """Time ``np.copyto(out, x)``, ``np.maximum(x, 0, out=out)`` (ReLU's arithmetic, no checks) and
    each of ``ufuncs`` (e.g. ``{"tanh": np.tanh}``) as ``ufunc(x, out=out)``.

    Every kernel reads ``x`` and writes ``out`` once, so all move the same bytes: the copy is the
    floor that no elementwise function can beat, and the ratios show how much of each kernel's time
    is arithmetic rather than memory traffic.
    """
    extra = _ufuncs(ufuncs)
    x = benchmark_input(size, dtype, seed)
    out = np.empty_like(x)
    calls: dict[str, Callable[[], Any]] = {"copy": lambda: np.copyto(out, x),
                                           "relu": lambda: np.maximum(x, 0, out=out)}
    calls.update({name: (lambda f=f: f(x, out=out)) for name, f in extra.items()})
    seconds = time_round_robin(calls, repeats=repeats, number=number, warmup=warmup, clock=clock)
    return CopyReference(x.size, x.dtype.name, MappingProxyType(seconds))


# --------------------------------------------------------------------------- reporting
def ratio_table(timings: Mapping[str, Timing], *, reference: str | None = None, width: int = 12) -> str:
    """A plain-text table: one row per activation (registry names), one column per timing run,
    each cell the time divided by the reference's time of that run; a last row gives the
    reference's own time in microseconds."""
    if not isinstance(timings, Mapping) or not timings:
        raise TypeError("timings must be a non-empty mapping of column label -> Timing")
    for label, timing in timings.items():
        if not isinstance(timing, Timing):
            raise TypeError(f"timings[{label!r}] must be a Timing, got {type(timing).__name__}")
    width = positive_int(width, "width")
    runs = list(timings.values())
    keys = list(dict.fromkeys(k for t in runs for k in t.seconds))
    first = max(len(text) for text in [*map(_label, keys), "time / reference", "(reference, µs)"]) + 2
    ratios = [t.ratios(reference) for t in runs]
    lines = [f"{'time / reference':<{first}}" + "".join(f"{str(c):>{width}}" for c in timings)]
    for key in keys:
        cells = "".join(f"{r[key]:>{width}.2f}" if key in r else f"{'-':>{width}}" for r in ratios)
        lines.append(f"{_label(key):<{first}}" + cells)
    refs = [reference or t.reference for t in runs]
    lines.append(f"{'(reference, µs)':<{first}}"
                 + "".join(f"{1e6 * t.seconds[ref]:>{width}.1f}" for t, ref in zip(runs, refs)))
    return "\n".join(lines)


def _label(key: str) -> str:
    return ACTIVATIONS[key].name if key in ACTIVATIONS else key


def main(argv: Sequence[str] | None = None) -> str:
    """Command line (for ``make bench``): ``python -m relu_course.benchmark --size 1048576 tanh gelu``.
    Prints and returns the ratio table of every framework asked for."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m relu_course.benchmark", description=main.__doc__)
    parser.add_argument("keys", nargs="*", default=["sigmoid", "tanh", "elu", "gelu", "gelu_tanh", "silu",
                                                    "softplus"], help="registry keys to time against ReLU")
    parser.add_argument("--size", type=int, action="append", help="array size (repeatable); default 2**20")
    parser.add_argument("--dtype", default="float32", choices=DTYPES)
    parser.add_argument("--frameworks", nargs="+", default=list(FRAMEWORKS), choices=FRAMEWORKS)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--number", type=int, default=1)
    args = parser.parse_args(argv)
    timings = {f"{fw} {size}": time_activations(args.keys, size=size, dtype=args.dtype, framework=fw,
                                                repeats=args.repeats, number=args.number)
               for fw in args.frameworks for size in (args.size or [2**20])}
    table = ratio_table(timings, width=max(12, max(len(c) for c in timings) + 2))
    print(table)
    return table


if __name__ == "__main__":  # pragma: no cover
    main()
