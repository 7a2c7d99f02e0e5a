"""The timing helper: structure of its results, the arithmetic of best-of-k and of the ratios (with a
scripted clock), the functions it times, and its validation. No assertion depends on how fast
anything runs, so these tests cannot flake on a busy machine."""
import itertools
import math

import numpy as np
import pytest
from hypothesis import given, strategies as st

from relu_course import benchmark as bench
from relu_course.activation_registry import ACTIVATIONS, get_activation
from relu_course.tf_loader import tensorflow_available

needs_tf = pytest.mark.skipif(not tensorflow_available(), reason="TensorFlow is not installed")


class ScriptedClock:
    """A clock that advances by the given steps, one step per reading."""

    def __init__(self, steps):
        self.now = 0.0
        self.steps = iter(steps)

    def __call__(self):
        value = self.now
        self.now += next(self.steps)
        return value


def counter():
    calls = []
    return calls, (lambda: calls.append(1))


# --- time_round_robin --------------------------------------------------------------------------

def test_round_robin_keeps_the_best_round_per_call():
    # readings: start, end for a, start, end for b, per round; the step after an "end" is the gap
    # before the next start (irrelevant). Round times: a = 6, 2, 4 s; b = 9, 12, 3 s; number = 2.
    a_times, b_times = [6.0, 2.0, 4.0], [9.0, 12.0, 3.0]
    steps = []
    for ta, tb in zip(a_times, b_times):
        steps += [ta, 0.5, tb, 0.5]
    best = bench.time_round_robin({"a": lambda: None, "b": lambda: None}, repeats=3, number=2,
                                  warmup=0, clock=ScriptedClock(steps))
    assert best == {"a": 1.0, "b": 1.5}


def test_round_robin_calls_each_function_warmup_plus_repeats_times_number():
    calls_a, fa = counter()
    calls_b, fb = counter()
    bench.time_round_robin({"a": fa, "b": fb}, repeats=3, number=4, warmup=2)
    assert len(calls_a) == len(calls_b) == 2 + 3 * 4


def test_round_robin_alternates_the_functions_within_each_round():
    order = []
    bench.time_round_robin({"a": lambda: order.append("a"), "b": lambda: order.append("b")},
                           repeats=2, number=1, warmup=0)
    assert order == ["a", "b", "a", "b"]


def test_round_robin_restores_garbage_collection():
    import gc

    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError):
        bench.time_round_robin({"bad": lambda: 1 / 0}, repeats=1, warmup=0)
    assert gc.isenabled()


@pytest.mark.parametrize("kwargs, error, match", [
    ({"funcs": {}}, TypeError, "funcs"), ({"funcs": [lambda: 1]}, TypeError, "funcs"),
    ({"funcs": {"a": 3}}, TypeError, "funcs"), ({"repeats": 0}, ValueError, "repeats"),
    ({"number": 1.5}, TypeError, "number"), ({"warmup": -1}, ValueError, "warmup"),
    ({"clock": "now"}, TypeError, "clock"),
])
def test_round_robin_validates(kwargs, error, match):
    args = {"funcs": {"a": lambda: None}, **kwargs}
    with pytest.raises(error, match=match):
        bench.time_round_robin(**args)


# --- speed_ratios --------------------------------------------------------------------------------

def test_speed_ratios_divide_by_the_reference():
    assert bench.speed_ratios({"relu": 2.0, "tanh": 5.0, "gelu": 1.0}) == {"relu": 1.0, "tanh": 2.5, "gelu": 0.5}
    assert bench.speed_ratios({"copy": 4.0, "relu": 5.0}, reference="copy")["relu"] == 1.25


@given(st.dictionaries(st.sampled_from(["relu", "a", "b", "c"]), st.floats(1e-9, 1e3), min_size=1)
       .filter(lambda d: "relu" in d))
def test_speed_ratios_are_consistent(seconds):
    ratios = bench.speed_ratios(seconds)
    assert ratios["relu"] == 1.0
    for (k1, r1), (k2, r2) in itertools.combinations(ratios.items(), 2):
        assert math.isclose(r1 / r2, seconds[k1] / seconds[k2], rel_tol=1e-12)


@pytest.mark.parametrize("seconds, reference, error, match", [
    ({"tanh": 1.0}, "relu", ValueError, "relu"), ({}, "relu", TypeError, "seconds"),
    ({"relu": 0.0}, "relu", ValueError, "relu"), ({"relu": float("nan")}, "relu", ValueError, "relu"),
    ({"relu": "1"}, "relu", ValueError, "relu"), ({"relu": 1.0}, 3, TypeError, "reference"),
])
def test_speed_ratios_validate(seconds, reference, error, match):
    with pytest.raises(error, match=match):
        bench.speed_ratios(seconds, reference)


# --- time_activations: structure, never speed --------------------------------------------------

def test_numpy_timing_structure_and_ratios():
    keys = ["tanh", "gelu", "tanh"]  # duplicates are timed once
    t = bench.time_activations(keys, size=1000, dtype="float64", repeats=2, number=3, warmup=1)
    assert (t.framework, t.size, t.dtype, t.repeats, t.number) == ("numpy", 1000, "float64", 2, 3)
    assert list(t.seconds) == ["relu", "tanh", "gelu"] and t.reference == "relu"
    assert all(math.isfinite(s) and s > 0 for s in t.seconds.values())
    ratios = t.ratios()
    assert ratios["relu"] == 1.0
    for key in keys:
        assert ratios[key] == t.seconds[key] / t.seconds["relu"]
    assert t.ratios("tanh")["tanh"] == 1.0
    assert t.nbytes == 8000
    assert t.nanoseconds_per_element()["gelu"] == pytest.approx(1e9 * t.seconds["gelu"] / 1000)
    with pytest.raises(TypeError):
        t.seconds["relu"] = 1.0  # read-only


def test_scripted_clock_gives_exact_ratios_through_time_activations():
    # three functions (relu first), two rounds, number 1: round times relu 2, 3; tanh 4, 8; elu 10, 5
    steps = [2, 0, 4, 0, 10, 0, 3, 0, 8, 0, 5, 0]
    t = bench.time_activations(["tanh", "elu"], size=10, repeats=2, warmup=0, clock=ScriptedClock(steps))
    assert dict(t.seconds) == {"relu": 2.0, "tanh": 4.0, "elu": 5.0}
    assert t.ratios() == {"relu": 1.0, "tanh": 2.0, "elu": 2.5}


def test_other_reference_is_timed_first():
    t = bench.time_activations(["relu"], size=10, repeats=1, reference="sigmoid")
    assert list(t.seconds) == ["sigmoid", "relu"] and t.ratios()["sigmoid"] == 1.0


def test_benchmark_input_is_seeded_standard_normal():
    x = bench.benchmark_input(10_000, "float32", seed=3)
    assert x.dtype == np.float32 and x.shape == (10_000,)
    np.testing.assert_array_equal(x, bench.benchmark_input(10_000, np.float32, seed=3))
    assert not np.array_equal(x, bench.benchmark_input(10_000, "float32", seed=4))
    assert abs(x.mean()) < 0.05 and abs(x.std() - 1) < 0.05


@pytest.mark.parametrize("kwargs, error, match", [
    ({"keys": "tanh"}, TypeError, "keys"), ({"keys": ["nope"]}, ValueError, "nope"),
    ({"keys": [3]}, TypeError, "key"), ({"size": 0}, ValueError, "size"),
    ({"size": 10.0}, TypeError, "size"), ({"dtype": "int32"}, ValueError, "dtype"),
    ({"dtype": "float16"}, ValueError, "dtype"), ({"dtype": 5}, TypeError, "dtype"),
    ({"framework": "torch"}, ValueError, "framework"), ({"framework": None}, TypeError, "framework"),
    ({"repeats": 0}, ValueError, "repeats"), ({"seed": -1}, ValueError, "seed"),
    ({"reference": "nope"}, ValueError, "nope"),
])
def test_time_activations_validates(kwargs, error, match):
    args = {"keys": ["tanh"], "size": 10, **kwargs}
    keys = args.pop("keys")
    with pytest.raises(error, match=match):
        bench.time_activations(keys, **args)


def test_numpy_function_is_the_registry_reference():
    x = np.linspace(-3, 3, 13)
    for key in ("relu", "gelu_tanh", "leaky_relu"):
        np.testing.assert_array_equal(bench.numpy_function(key)(x), get_activation(key)(x))


# --- TensorFlow -------------------------------------------------------------------------------

def test_tensorflow_keys_follow_the_registry_without_importing_tensorflow():
    keys = bench.tensorflow_keys()
    assert set(keys) <= set(ACTIVATIONS)
    assert {"relu", "sigmoid", "tanh", "gelu", "gelu_tanh", "silu", "elu", "softplus"} <= set(keys)
    for key in set(ACTIVATIONS) - set(keys):  # e.g. PReLU: no Keras function, and no sibling with one
        assert ACTIVATIONS[key].keras is None
    with pytest.raises(ValueError, match="no TensorFlow function"):
        bench.tensorflow_function("prelu")


@needs_tf
@pytest.mark.parametrize("key", bench.tensorflow_keys())
def test_tensorflow_function_agrees_with_the_reference(key):
    x = np.linspace(-5, 5, 101)
    got = np.asarray(bench.tensorflow_function(key)(x.astype(np.float32)), dtype=float)
    np.testing.assert_allclose(got, get_activation(key)(x), rtol=1e-4, atol=1e-5)


@needs_tf
def test_tensorflow_function_rejects_a_stand_in_that_differs(monkeypatch):
    # pretend Keras's leaky_relu were used with its own default slope (0.2) instead of the registry's
    import relu_course.benchmark as module

    real = module.inspect.signature
    monkeypatch.setattr(module.inspect, "signature",
                        lambda f: real(lambda x: None) if getattr(f, "__name__", "") == "leaky_relu" else real(f))
    with pytest.raises(ValueError, match="differs from the reference"):
        bench.tensorflow_function("leaky_relu")


@needs_tf
def test_tensorflow_timing_structure():
    t = bench.time_activations(["sigmoid"], size=256, framework="tensorflow", repeats=2, number=1)
    assert t.framework == "tensorflow" and list(t.seconds) == ["relu", "sigmoid"]
    assert t.ratios()["sigmoid"] == t.seconds["sigmoid"] / t.seconds["relu"]


# --- dense layer ------------------------------------------------------------------------------------

@pytest.mark.parametrize("framework", ["numpy", pytest.param("tensorflow", marks=needs_tf)])
def test_dense_layer_timing_structure(framework):
    t = bench.time_dense_layer(["tanh"], batch=8, width=16, framework=framework, repeats=2)
    assert list(t.seconds) == [bench.MATMUL, "relu", "tanh"]
    assert t.size == 8 * 16 and t.reference == "relu"
    assert t.ratios()[bench.MATMUL] == t.seconds[bench.MATMUL] / t.seconds["relu"]


@pytest.mark.parametrize("kwargs, match", [({"batch": 0}, "batch"), ({"width": -2}, "width"),
                                           ({"framework": "jax"}, "framework")])
def test_dense_layer_validates(kwargs, match):
    args = {"batch": 4, "width": 4, **kwargs}
    with pytest.raises(ValueError, match=match):
        bench.time_dense_layer(["tanh"], **args)


# --- copy reference ------------------------------------------------------------------------------

def test_copy_reference_arithmetic_with_a_scripted_clock():
    # rounds: copy 2 s then relu 3 s; copy 1 s then relu 4 s -> best copy 1, best relu 3
    c = bench.copy_reference(1000, "float32", repeats=2, warmup=0, clock=ScriptedClock([2, 0, 3, 0, 1, 0, 4, 0]))
    assert (c.copy_seconds, c.relu_seconds) == (1.0, 3.0) and list(c.seconds) == ["copy", "relu"]
    assert c.nbytes == 4000 and c.relu_to_copy == 3.0
    assert c.bandwidth() == 8000.0 and c.bandwidth("relu") == pytest.approx(8000.0 / 3)
    assert c.ratios() == {"copy": 1 / 3, "relu": 1.0}
    with pytest.raises(ValueError, match="which"):
        c.bandwidth("tanh")


def test_copy_reference_times_extra_ufuncs_after_copy_and_relu():
    # one round, scripted: copy 1 s, relu 2 s, tanh 6 s
    c = bench.copy_reference(100, "float64", ufuncs={"tanh": np.tanh}, repeats=1, warmup=0,
                             clock=ScriptedClock([1, 0, 2, 0, 6, 0]))
    assert list(c.seconds) == ["copy", "relu", "tanh"]
    assert c.ratios()["tanh"] == 3.0 and c.bandwidth("tanh") == 2 * 800 / 6


def test_copy_reference_runs_for_real_and_reports_positive_times():
    c = bench.copy_reference(4096, "float64", ufuncs={"exp": np.exp}, repeats=2, number=2)
    assert c.size == 4096 and c.dtype == "float64" and c.nbytes == 4096 * 8
    assert all(v > 0 and math.isfinite(v) for v in c.seconds.values())
    assert c.relu_to_copy == c.relu_seconds / c.copy_seconds
    assert c.ratios("copy")["exp"] == c.seconds["exp"] / c.seconds["copy"]


@pytest.mark.parametrize("size, dtype, error", [(0, "float32", ValueError), (10, "int8", ValueError),
                                                ("10", "float32", TypeError)])
def test_copy_reference_validates(size, dtype, error):
    with pytest.raises(error, match="size|dtype"):
        bench.copy_reference(size, dtype)


@pytest.mark.parametrize("ufuncs, error", [({"relu": np.tanh}, ValueError), ({"copy": np.exp}, ValueError),
                                           ({"max": np.maximum}, TypeError), ({"f": lambda x: x}, TypeError),
                                           ([np.tanh], TypeError), ({3: np.tanh}, ValueError)])
def test_copy_reference_validates_ufuncs(ufuncs, error):
    with pytest.raises(error, match="ufuncs"):
        bench.copy_reference(10, ufuncs=ufuncs)


def test_importing_the_benchmark_does_not_import_tensorflow():
    import subprocess
    import sys

    code = ("import sys, relu_course.benchmark, relu_course.image_filters, "
            "relu_course.widgets.activation_growth, relu_course.checks.ch06_advantages_disadvantages; "
            "print(sorted(m for m in ('tensorflow', 'keras', 'ipywidgets', 'sklearn') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


# --- reporting -------------------------------------------------------------------------------------

def fixed_timing(seconds, framework="numpy"):
    return bench.Timing(framework, 100, "float32", 1, 1, dict(seconds))


def test_ratio_table_rows_columns_and_values():
    timings = {"numpy large": fixed_timing({"relu": 2e-6, "tanh": 5e-6}),
               "tf large": fixed_timing({"relu": 4e-6, "tanh": 2e-6, "gelu": 8e-6}, "tensorflow")}
    lines = bench.ratio_table(timings).splitlines()
    assert lines[0].split()[-4:] == ["numpy", "large", "tf", "large"]
    rows = {line[:20].strip(): line[20:].split() for line in lines[1:]}
    assert rows["ReLU"] == ["1.00", "1.00"]
    assert rows["Tanh"] == ["2.50", "0.50"]
    assert rows["GELU"] == ["-", "2.00"]           # not timed in the first run
    assert rows["(reference, µs)"] == ["2.0", "4.0"]
    assert len({len(line) for line in lines}) == 1  # aligned columns


def test_ratio_table_with_another_reference_and_validation():
    table = bench.ratio_table({"a": fixed_timing({"relu": 1.0, "tanh": 4.0})}, reference="tanh")
    assert "0.25" in table and "4000000.0" in table
    with pytest.raises(TypeError, match="timings"):
        bench.ratio_table({})
    with pytest.raises(TypeError, match="timings"):
        bench.ratio_table({"a": {"relu": 1.0}})
    with pytest.raises(ValueError, match="width"):
        bench.ratio_table({"a": fixed_timing({"relu": 1.0})}, width=0)


def test_command_line_prints_one_column_per_framework_and_size(capsys):
    table = bench.main(["tanh", "--size", "64", "--size", "128", "--frameworks", "numpy", "--repeats", "1"])
    assert capsys.readouterr().out.strip() == table
    header = table.splitlines()[0]
    assert "numpy 64" in header and "numpy 128" in header
    assert [line.split()[0] for line in table.splitlines()[1:3]] == ["ReLU", "Tanh"]
    with pytest.raises(SystemExit):
        bench.main(["--dtype", "int8"])
