"""The edge semantics page: the package's conventions at 0, -0.0, NaN, ±inf and subnormals, and every way
TensorFlow and PyTorch differ from them, each difference of a documented kind."""
import math

import numpy as np
import pytest

from relu_course import edge_semantics as es
from relu_course.activations import relu, relu_derivative
from relu_course.tf_loader import tensorflow_available

needs_tf = pytest.mark.skipif(not tensorflow_available(), reason="TensorFlow is not installed")


@pytest.mark.parametrize("dtype", es.DTYPES)
def test_package_conventions_hold_in_every_dtype(dtype):
    inputs = es.edge_inputs(dtype)
    x = np.array(list(inputs.values()), dtype=dtype)
    y, d = relu(x), relu_derivative(x)
    assert y.dtype == d.dtype == np.dtype(dtype)
    got = dict(zip(inputs, zip(y.tolist(), d.tolist())))
    assert not any(np.signbit(y[y == 0]))                                     # no negative zero, ever
    assert math.isnan(got["NaN"][0]) and math.isnan(got["NaN"][1])
    assert got["+inf"] == (math.inf, 1.0) and got["-inf"] == (0.0, 0.0)
    tiny = inputs["smallest subnormal"]
    assert tiny > 0 and got["smallest subnormal"] == (tiny, 1.0)             # no flush to zero
    assert got["-smallest subnormal"] == (0.0, 0.0) and got["0"] == got["-0.0"] == (0.0, 0.0)


def test_integers_become_float64_and_booleans_are_refused():
    assert relu(np.array([-2, 3], dtype=np.int32)).dtype == np.float64
    with pytest.raises(TypeError, match="x"):
        relu(np.array([True]))


@pytest.mark.parametrize("value, text", [(-0.0, "-0.0"), (0.0, "0.0"), (math.nan, "NaN"), (math.inf, "+inf"),
                                         (-math.inf, "-inf"), (1.0, "1"), (5e-324, "4.941e-324")])
def test_show_keeps_the_sign_of_zero(value, text):
    assert es.show(value) == text


def test_same_compares_signed_zeros_and_nan():
    assert es.same(math.nan, math.nan) and not es.same(0.0, -0.0) and es.same(0.0, -0.0, signed_zero=False)


#: The documented kinds of difference: (framework, input label, quantity).
DOCUMENTED = {("tensorflow", "-0.0", "value"), ("torch", "-0.0", "value"),          # sign of zero kept
              ("tensorflow", "NaN", "derivative"), ("torch", "NaN", "derivative"),  # gradient masks at NaN
              ("tensorflow", "smallest subnormal", "derivative"),                   # flushed to zero
              ("tensorflow", "-smallest subnormal", "value")}                        # the input comes back


@needs_tf
def test_frameworks_differ_only_in_documented_ways():
    rows = es.edge_rows()
    frameworks = set(rows[0].results) - {"package"}
    assert "tensorflow" in frameworks
    for row in rows:
        for framework in frameworks:
            for quantity in row.differs(framework):
                assert (framework, row.label, quantity) in DOCUMENTED, (row.dtype, row.label, framework, quantity,
                                                                       row.results)
    seen = {(f, r.label, q) for r in rows for f in frameworks for q in r.differs(f)}
    assert {d for d in DOCUMENTED if d[0] in frameworks} <= seen, "a documented difference no longer occurs"


@needs_tf
def test_integer_input_keeps_its_type_in_the_frameworks():
    got = es.integer_behaviour()
    assert got["package"] == "float64" and got["tensorflow"] == "int32"


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="dtype"):
        es.edge_inputs("float8")
    with pytest.raises(ValueError, match="framework"):
        es.evaluate("jax", 0.0, "float32")
    with pytest.raises(TypeError, match="frameworks"):
        es.edge_rows((1,))
