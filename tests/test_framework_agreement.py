"""The NumPy references against Keras / TensorFlow (and PyTorch when it is installed): values and
derivatives on a grid with 0, -0.0, tiny and huge inputs, the infinities and NaN, in float32 and float64.

Every disagreement must be a documented known difference, and every documented difference must still
occur. The framework defaults are read from the frameworks and compared with FACTS.md section 2.
"""
import math

import numpy as np
import pytest

from relu_course import framework_agreement as fa
from relu_course.activation_registry import ACTIVATIONS
from relu_course.tf_loader import tensorflow_available
from relu_course.variants import SELU_ALPHA, SELU_SCALE
from relu_course.bibliography import bibliography_text

needs_tf = pytest.mark.skipif(not tensorflow_available(), reason="TensorFlow is not installed")


# ----------------------------------------------------------------------------- pure functions
def test_tolerances_are_one_per_dtype_from_machine_epsilon():
    assert tuple(fa.TOLERANCES) == fa.DTYPES == ("float32", "float64")
    for dtype, tol in fa.TOLERANCES.items():
        eps = np.finfo(dtype).eps
        assert tol.rtol == fa.ULPS_RELATIVE * eps and tol.atol == fa.ULPS_ABSOLUTE * eps
    assert fa.TOLERANCES["float32"].rtol > fa.TOLERANCES["float64"].rtol


@pytest.mark.parametrize("a, b, dtype, expected", [
    (np.nan, np.nan, "float64", True), (np.nan, 0.0, "float64", False), (0.0, np.nan, "float32", False),
    (np.inf, np.inf, "float32", True), (-np.inf, np.inf, "float32", False), (np.inf, 1e300, "float64", False),
    (-0.0, 0.0, "float64", True),  # the sign of zero is not compared
    (1.0 + 1e-6, 1.0, "float32", True), (1.0 + 1e-6, 1.0, "float64", False),
    (1e-7, 0.0, "float32", True), (1e-5, 0.0, "float32", False),
])
def test_agree(a, b, dtype, expected):
    assert fa.agree(a, b, dtype) is expected


def test_the_grid_holds_every_special_input():
    grid = fa.GRID
    assert any(x == 0 and math.copysign(1, x) < 0 for x in grid) and any(x == 0 and math.copysign(1, x) > 0
                                                                         for x in grid)
    assert {-math.inf, math.inf, 1e4, -1e4, 30.0, -30.0, 1e-6, -1e-6, 6.0, 3.0, -3.0} <= set(grid)
    assert any(math.isnan(x) for x in grid)


def test_counterparts_cover_the_registry():
    tf_keys = {c.key for c in fa.tensorflow_counterparts()}
    torch_keys = {c.key for c in fa.torch_counterparts()}
    assert tf_keys == set(ACTIVATIONS) - {"rrelu"}  # TensorFlow has no RReLU
    assert torch_keys == set(ACTIVATIONS)
    for act in ACTIVATIONS.values():
        if act.keras:
            assert any(c.call.startswith(f"keras.activations.{act.keras}(") for c in fa.tensorflow_counterparts())
        if act.torch:
            assert any(c.call.startswith(f"F.{act.torch}(") or c.call.startswith(f"torch.{act.torch}(")
                       for c in fa.torch_counterparts()), act.key
    calls = [c.call for f in fa.FRAMEWORKS for c in fa.counterparts(f)]
    assert len(calls) == len(set(calls))


def test_every_known_difference_names_existing_calls_and_a_reason():
    for known in fa.KNOWN_DIFFERENCES:
        names = {c.call for c in fa.counterparts(known.framework)}
        assert known.calls and set(known.calls) <= names
        assert known.reason and known.framework_gives and known.quantity in fa.QUANTITIES
        assert (known.inputs is None) == (known.gives is None) == (known.rtol is not None)
        assert set(known.dtypes) <= set(fa.DTYPES) and set(known.layouts) <= set(fa.LAYOUTS)


@pytest.mark.parametrize("call, error, word", [
    (lambda: fa.agree(1.0, 1.0, "float16"), ValueError, "dtype"),
    (lambda: fa.counterparts("jax"), ValueError, "framework"),
    (lambda: fa.audit("tensorflow", layouts=("diagonal",)), ValueError, "layout"),
    (lambda: fa.evaluate("relu", [1.0], "float32"), TypeError, "counterpart"),
    (lambda: fa.known_differences_table(None), TypeError, "result"),
    (lambda: fa.framework_defaults(include_torch="yes"), TypeError, "include_torch"),
    (lambda: fa.agree("1", 1.0, "float32"), TypeError, "framework_value"),
    (lambda: fa.agree(1.0, None, "float32"), TypeError, "package_value"),
    (lambda: fa.compare("relu", "float32"), TypeError, "counterpart"),
    (lambda: fa.compare(fa.tensorflow_counterparts()[0], "float16"), ValueError, "dtype"),
    (lambda: fa.explain(("relu", 1.0)), TypeError, "disagreement"),
    (lambda: fa.defaults_table(["row"]), TypeError, "settings"),
    (lambda: fa.negative_zero_signs("int8"), ValueError, "dtype"),
])
def test_bad_arguments_name_themselves(call, error, word):
    with pytest.raises(error, match=word):
        call()


# ----------------------------------------------------------------------------- TensorFlow
@pytest.fixture(scope="module")
def tf_audit():
    return fa.audit("tensorflow")


@needs_tf
def test_tensorflow_agrees_except_for_the_documented_differences(tf_audit):
    lines = [f"{d.call} {d.dtype} {d.layout} {d.quantity} at x={d.x}: framework {d.framework_value!r}, "
             f"package {d.package_value!r}" for d in tf_audit.unexplained]
    assert not lines, "undocumented differences:\n" + "\n".join(lines[:30])
    n_counterparts = len(fa.tensorflow_counterparts())
    assert tf_audit.comparisons == n_counterparts * len(fa.DTYPES) * len(fa.LAYOUTS) * 2 * len(fa.GRID)


@needs_tf
def test_every_documented_tensorflow_difference_still_occurs(tf_audit):
    stale = [(k.calls[0], k.quantity, k.inputs) for k in tf_audit.unused]
    assert not stale, f"documented differences that no longer occur: {stale}"


@needs_tf
def test_the_comparison_can_fail():
    """A wrong pairing (ReLU against tf.nn.relu6) is caught, and its disagreements are not explained."""
    wrong = fa.Counterpart("relu", "tensorflow", "tf.nn.relu6(x)", lambda ns, dtype: ns.tf.nn.relu6)
    _, found = fa.compare(wrong, "float64")
    assert {d.x for d in found if d.quantity == "value"} == {30.0, 1e4, math.inf}
    assert {d.x for d in found if d.quantity == "derivative"} >= {30.0, 1e4, math.inf}


@needs_tf
def test_a_known_difference_only_explains_the_value_it_documents():
    counterpart = next(c for c in fa.tensorflow_counterparts() if c.call == "tf.nn.selu(x)")
    base = dict(call=counterpart.call, key="selu", framework="tensorflow", dtype="float64", layout="block",
                quantity="derivative", x=0.0, package_value=SELU_SCALE * SELU_ALPHA)
    assert fa.explain(fa.Disagreement(framework_value=SELU_SCALE, **base)) is not None
    assert fa.explain(fa.Disagreement(framework_value=0.5, **base)) is None
    assert fa.explain(fa.Disagreement(framework_value=SELU_SCALE, **{**base, "x": 2.0})) is None


@needs_tf
def test_facts_behind_the_documented_reasons():
    tf = fa._modules("tensorflow").tf
    # tf.nn.leaky_relu keeps its slope in float32, even for float64 tensors
    x = tf.constant([-1.0], dtype=tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.leaky_relu(x, alpha=0.01)
    assert tape.gradient(y, x).numpy()[0] == float(np.float32(0.01)) != 0.01
    # a Python float cast with tf.cast passes through a float32 tensor first
    assert tf.cast(0.7071067811865476, tf.float64).numpy() == float(np.float32(0.7071067811865476))
    # SELU's gradient at 0 is the right-hand slope lambda in TensorFlow
    z = tf.constant([0.0], dtype=tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(z)
        s = tf.nn.selu(z)
    assert tape.gradient(s, z).numpy()[0] == pytest.approx(SELU_SCALE)


@needs_tf
def test_tf_relu_keeps_the_sign_of_a_lone_negative_zero():
    signs = fa.negative_zero_signs("float32")
    assert signs["alone"] is True  # tf.nn.relu(-0.0) is -0.0 ...
    from relu_course.activations import relu
    assert not np.signbit(relu(np.array([-0.0]))[0])  # ... the package's relu(-0.0) is +0.0
    assert set(signs) == {"alone", "block"}


@needs_tf
def test_tensorflow_defaults_are_read_from_tensorflow():
    rows = {(r.api, r.parameter): r for r in fa.framework_defaults(include_torch=False)}
    expected = {  # FACTS.md section 2 (measured there by hand) and the frameworks' documentation
        ("keras.layers.LeakyReLU", "negative_slope"): 0.3, ("keras.activations.leaky_relu", "negative_slope"): 0.2,
        ("tf.nn.leaky_relu", "alpha"): 0.2, ("keras.layers.PReLU", "alpha_initializer"): 0.0,
        ("keras.activations.elu", "alpha"): 1.0, ("keras.layers.ELU", "alpha"): 1.0, ("tf.nn.silu", "beta"): 1.0,
        ("tf.nn.gelu", "approximate"): "exact (erf)", ("keras.activations.gelu", "approximate"): "exact (erf)",
    }
    assert set(rows) == set(expected)
    for name, value in expected.items():
        row = rows[name]
        assert row.measured == (pytest.approx(value) if isinstance(value, float) else value), name
        if isinstance(row.declared, float):
            assert row.declared == pytest.approx(row.measured)  # the signature tells the truth
    assert rows[("keras.layers.PReLU", "alpha_initializer")].declared == "Zeros"
    assert rows[("tf.nn.gelu", "approximate")].declared is False


@needs_tf
def test_tables_render_every_row(tf_audit):
    text = fa.known_differences_table(tf_audit)
    rows = [k for k in fa.KNOWN_DIFFERENCES if k.framework == "tensorflow"]
    assert len(text.splitlines()) == 2 + len(rows)
    seen = [int(line.rsplit("|", 2)[1]) for line in text.splitlines()[2:]]
    assert seen == [tf_audit.occurrences(k) for k in rows] and min(seen) > 0
    defaults = fa.defaults_table(fa.framework_defaults(include_torch=False))
    assert "`keras.layers.LeakyReLU`" in defaults and "| 0.3 / 0.3 |" in defaults


@needs_tf
def test_evaluate_keeps_dtype_and_validates_shape():
    relu_tf = fa.tensorflow_counterparts()[1]
    values, grads = fa.evaluate(relu_tf, [-1.0, 2.0], "float32")
    assert values.dtype == grads.dtype == np.float32
    assert values.tolist() == [0.0, 2.0] and grads.tolist() == [0.0, 1.0]
    with pytest.raises(ValueError, match="x"):
        fa.evaluate(relu_tf, [[1.0]], "float32")


# ----------------------------------------------------------------------------- PyTorch
def test_torch_agrees_except_for_the_documented_differences():
    pytest.importorskip("torch")
    result = fa.audit("torch")
    lines = [f"{d.call} {d.dtype} {d.layout} {d.quantity} at x={d.x}: framework {d.framework_value!r}, "
             f"package {d.package_value!r}" for d in result.unexplained]
    assert not lines, "undocumented differences:\n" + "\n".join(lines[:30])
    stale = [(k.calls[0], k.quantity, k.inputs) for k in result.unused]
    assert not stale, f"documented differences that no longer occur: {stale}"


def test_torch_defaults_are_read_from_torch():
    pytest.importorskip("torch")
    rows = {(r.api, r.parameter): r for r in fa.framework_defaults(include_torch=True) if r.framework == "PyTorch"}
    assert rows[("torch.nn.LeakyReLU", "negative_slope")].measured == pytest.approx(0.01)
    assert rows[("F.leaky_relu", "negative_slope")].measured == pytest.approx(0.01)
    assert rows[("torch.nn.PReLU", "init")].measured == pytest.approx(0.25)
    assert rows[("torch.nn.RReLU (eval)", "(lower + upper) / 2")].measured == pytest.approx(11 / 48, rel=1e-6)
    assert rows[("torch.nn.ELU", "alpha")].measured == pytest.approx(1.0)
    assert rows[("torch.nn.GELU", "approximate")].measured == "exact (erf)"
    assert rows[("F.gelu", "approximate")].measured == "exact (erf)"


def test_torch_is_only_required_when_asked_for(monkeypatch):
    monkeypatch.setattr(fa, "torch_available", lambda: False)
    with pytest.raises(ImportError, match="PyTorch"):
        fa._modules("torch")


@needs_tf
def test_every_default_names_its_paper_in_the_bibliography():
    import re
    bib = bibliography_text()
    keys = set(re.findall(r"^@\w+\{([^,]+),", bib, re.M))
    for row in fa.framework_defaults(include_torch=False):
        assert row.source in keys and row.paper, row


def test_every_kind_of_difference_is_documented_and_says_how_it_is_known():
    kinds = {k.kind for k in fa.KNOWN_DIFFERENCES if k.framework == "tensorflow"}
    assert kinds == set(fa.KINDS)
    assert all(k.basis == "measured" for k in fa.KNOWN_DIFFERENCES if k.framework == "tensorflow")
    assert all(k.basis.startswith("measured with torch") for k in fa.KNOWN_DIFFERENCES if k.framework == "torch")
