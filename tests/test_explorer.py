"""The in-page activation explorer: self-contained, deterministic HTML whose script implements every
registry activation with the registry's defaults. (The numbers themselves are compared with the NumPy
references in a browser by the book's browser test; with node on PATH, a test below compares them too.)"""
import json
import math
import re
import shutil
import subprocess
from html.parser import HTMLParser

import numpy as np
import pytest

from relu_course.activation_registry import ACTIVATIONS
from relu_course.widgets.variants import PARAMETER_RANGES
from relu_course.explorer import (KINKS, explorer_html, js_reference_points,
                                  show_explorer)


class _Page(HTMLParser):
    """Collect the controls, labels, options and scripts of a fragment."""

    def __init__(self):
        super().__init__()
        self.controls, self.labels, self.options, self.ids, self.scripts = [], set(), [], [], []
        self.roots, self.svgs, self.paths = [], [], {}
        self._in_option = self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag in ("input", "select"):
            self.controls.append((tag, attrs))
        if tag == "label" and "for" in attrs:
            self.labels.add(attrs["for"])
        if tag == "option":
            self.options.append([attrs["value"], ""])
            self._in_option = True
        if tag == "script":
            self.scripts.append("")
            self._in_script = True
        if tag == "div" and "relu-explorer" in attrs.get("class", "").split():
            self.roots.append(attrs)
        if tag == "svg" and "relu-explorer-plot" in attrs.get("class", ""):
            self.svgs.append(attrs)
        if tag == "path":
            self.paths[attrs["class"]] = attrs

    def handle_endtag(self, tag):
        self._in_option = self._in_option and tag != "option"
        self._in_script = self._in_script and tag != "script"

    def handle_data(self, data):
        if self._in_option:
            self.options[-1][1] += data
        if self._in_script:
            self.scripts[-1] += data


def parse(page):
    parsed = _Page()
    parsed.feed(page)
    return parsed


def script_json(page, variable):
    """The JSON literal assigned to ``var <variable> = ...;`` in the script."""
    match = re.search(rf"var {variable} = (.*?);\n", page)
    assert match, f"no {variable} in the script"
    return json.loads(match.group(1))


def js_implementations(page):
    """The keys of the script's IMPL object, each entry checked to define f and d."""
    block = re.search(r"var IMPL = \{\n(.*?)\n\s*\};\n", page, re.S).group(1)
    entries = re.split(r"\n        (?=\w+: \{)", "\n        " + block.strip("\n").lstrip())
    found = {}
    for entry in filter(None, (e.strip() for e in entries)):
        key = re.match(r"(\w+): \{", entry).group(1)
        found[key] = bool(re.search(r"\bf: ", entry)) and bool(re.search(r"\bd: ", entry))
    return found


def test_same_input_same_string_and_ids_follow_the_name():
    assert explorer_html() == explorer_html()
    a, b = parse(explorer_html(name="Cheat sheet")), parse(explorer_html(name="variants"))
    assert a.roots[0]["data-explorer"] == "cheat-sheet" and b.roots[0]["data-explorer"] == "variants"
    assert all(i.startswith("relu-explorer-cheat-sheet") for i in a.ids)
    assert set(a.ids).isdisjoint(b.ids), "two explorers on one page need distinct ids"
    assert len(a.ids) == len(set(a.ids))


def test_default_offers_every_registry_activation_in_order():
    options = parse(explorer_html()).options
    assert [v for v, _ in options] == list(ACTIVATIONS)
    assert [t for _, t in options] == [a.name for a in ACTIVATIONS.values()]


def test_requested_keys_become_the_options():
    options = parse(explorer_html(["gelu", "gelu_tanh", "relu"], name="x")).options
    assert options == [["gelu", "GELU"], ["gelu_tanh", "GELU (tanh approximation)"], ["relu", "ReLU"]]


def test_nothing_is_fetched():
    page = explorer_html()
    for forbidden in ("http", "//cdn", "src=", "href=", "@import", "_static"):
        assert forbidden not in page, forbidden
    assert all("src" not in attrs for tag, attrs in parse(page).controls)


def test_every_control_has_a_visible_label_and_its_class():
    parsed = parse(explorer_html())
    classes = {attrs["class"]: (tag, attrs) for tag, attrs in parsed.controls}
    assert set(classes) == {"relu-explorer-activation", "relu-explorer-param", "relu-explorer-derivative",
                            "relu-explorer-x"}
    assert classes["relu-explorer-param"][1]["type"] == "range" and classes["relu-explorer-x"][1]["type"] == "range"
    assert classes["relu-explorer-derivative"][1]["type"] == "checkbox"
    for tag, attrs in parsed.controls:
        assert attrs["id"] in parsed.labels, f"{attrs['class']} has no <label for=...>"
    assert '<output class="relu-explorer-readout"' in explorer_html()


def test_x_slider_spans_the_range_and_the_plot_is_accessible():
    parsed = parse(explorer_html(x_range=(-2, 5)))
    x = next(attrs for _, attrs in parsed.controls if attrs["class"] == "relu-explorer-x")
    assert float(x["min"]) == -2 and float(x["max"]) == 5 and -2 <= float(x["value"]) <= 5
    assert parsed.roots[0]["data-x-min"] == "-2.0" and parsed.roots[0]["data-x-max"] == "5.0"
    svg = parsed.svgs[0]
    assert svg["role"] == "img" and svg["aria-label"] and svg["viewbox"].startswith("0 0 ")
    assert {"relu-explorer-curve", "relu-explorer-dcurve"} <= set(parsed.paths)
    page = explorer_html()
    assert re.search(r"\.relu-explorer-dcurve \{[^}]*stroke-dasharray", page), "the derivative is dashed"
    assert re.search(r"setAttribute\(\"aria-label\"", page), "the label follows the activation"


def test_colours_are_the_course_palette():
    from relu_course.style import PALETTE

    page = explorer_html()
    curve = re.search(r"\.relu-explorer-curve \{[^}]*stroke: (#[0-9A-Fa-f]{6})", page).group(1)
    dcurve = re.search(r"\.relu-explorer-dcurve \{[^}]*stroke: (#[0-9A-Fa-f]{6})", page).group(1)
    assert (curve, dcurve) == (PALETTE["function"], PALETTE["derivative"])


def test_default_parameters_are_the_registrys():
    defaults = script_json(explorer_html(["relu"], name="one"), "DEFAULTS")
    assert defaults == {k: dict(a.params) for k, a in ACTIVATIONS.items()}


def test_sliders_move_the_first_numeric_parameter_and_start_at_its_default():
    sliders = script_json(explorer_html(), "SLIDERS")
    for key, act in ACTIVATIONS.items():
        numeric = [n for n, v in act.params.items() if isinstance(v, (int, float)) and not isinstance(v, bool)]
        if key == "rrelu" or not numeric:
            assert key not in sliders, f"{key} has no parameter to move"
            continue
        slider = sliders[key]
        assert slider["name"] == numeric[0]
        assert slider["min"] <= act.params[numeric[0]] <= slider["max"]
        steps = (act.params[numeric[0]] - slider["min"]) / slider["step"]
        assert abs(steps - round(steps)) < 1e-9, f"{key}'s default is not on its slider's step"
    assert set(sliders) == {"leaky_relu", "prelu", "elu", "silu", "softplus"}
    assert sliders["softplus"]["min"] > 0 and sliders["elu"]["min"] > 0, "softplus and ELU need > 0"
    assert sliders == {k: {"name": r.name, "min": r.low, "max": r.high, "step": r.step,
                           "label": f"{r.name.replace('_', ' ')} ({r.symbol})"}
                       for k, r in PARAMETER_RANGES.items()}, "the same sliders as the live explorer"


def test_the_script_implements_every_key_once_per_page():
    page = explorer_html(["relu"], name="one")
    implemented = js_implementations(page)
    assert set(implemented) == set(ACTIVATIONS)
    assert all(implemented.values()), "every entry defines f (value) and d (derivative)"
    assert "if (!window.reluCourseExplorer)" in page
    assert script_json(page, "C") == {"selu_alpha": pytest.approx(1.6732632423543772),
                                      "selu_scale": pytest.approx(1.0507009873554805)}


@pytest.mark.parametrize("keys, error, match", [
    (["relu", "swish"], ValueError, "keys"), ([], ValueError, "keys"), (["relu", "relu"], ValueError, "keys"),
    ("relu", TypeError, "keys"), ([1], TypeError, "keys"), (3, TypeError, "keys")])
def test_bad_keys_name_the_argument(keys, error, match):
    with pytest.raises(error, match=match):
        explorer_html(keys)


def test_an_unknown_key_lists_the_known_ones():
    with pytest.raises(ValueError, match="leaky_relu"):
        explorer_html(["swish"])


@pytest.mark.parametrize("x_range, error", [
    ((1.0, 1.0), ValueError), ((2.0, -2.0), ValueError), ((0.0, math.inf), ValueError),
    ((math.nan, 1.0), ValueError), ((1.0, 2.0, 3.0), ValueError), ((1.0,), ValueError),
    ("ab", TypeError), (None, TypeError), (("a", 1.0), TypeError), (5.0, TypeError), ((True, 2.0), TypeError)])
def test_bad_x_range_names_the_argument(x_range, error):
    with pytest.raises(error, match="x_range"):
        explorer_html(x_range=x_range)


def test_x_range_accepts_lists_arrays_and_integers():
    assert explorer_html(x_range=[-4, 4]) == explorer_html(x_range=np.array([-4.0, 4.0])) == explorer_html()


@pytest.mark.parametrize("name, error", [(3, TypeError), (None, TypeError), ("!!", ValueError), ("", ValueError)])
def test_bad_name_names_the_argument(name, error):
    with pytest.raises(error, match="name"):
        explorer_html(name=name)


def test_show_explorer_wraps_the_same_html():
    pytest.importorskip("IPython")
    shown = show_explorer(["elu"], name="demo", x_range=(-3, 3))
    assert shown.data == explorer_html(["elu"], name="demo", x_range=(-3, 3))
    with pytest.raises(TypeError):
        show_explorer(colour="red")


def test_reference_points_cover_the_grid_zero_and_the_kinks():
    points = js_reference_points()
    assert np.all(np.diff(points) > 0) and points[0] == -20 and points[-1] == 20
    for x in (0.0, 1e-9, -1e-9, *KINKS, *(k + 1e-9 for k in KINKS), *(k - 1e-9 for k in KINKS)):
        assert x in points
    assert np.isin(np.linspace(-20, 20, 401), points).all()


NODE = shutil.which("node")


@pytest.mark.skipif(NODE is None, reason="node is not installed (the browser test checks the numbers)")
def test_script_agrees_with_the_numpy_references_in_node():
    page = explorer_html()
    script = re.search(r"<script>(.*?)</script>", page, re.S).group(1)
    xs = js_reference_points()
    cases = [(k, {}) for k in ACTIVATIONS] + [("leaky_relu", {"negative_slope": 0.2}), ("prelu", {"slope": -0.5}),
                                             ("elu", {"alpha": 2.5}), ("silu", {"beta": 0.3}),
                                             ("softplus", {"beta": 4.0}), ("rrelu", {"lower": 0.1, "upper": 0.5})]
    program = ("global.window = {}; global.document = {querySelectorAll: function () { return []; },"
               " readyState: 'complete', addEventListener: function () {}};\n" + script +
               "\nvar E = window.reluCourseExplorer, input = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
               "\nprocess.stdout.write(JSON.stringify(input.cases.map(function (c) {"
               " return [E.evaluate(c[0], input.xs, c[1]), E.derivative(c[0], input.xs, c[1])]; })));")
    out = subprocess.run([NODE, "-e", program], input=json.dumps({"xs": xs.tolist(), "cases": cases}),
                         capture_output=True, text=True, timeout=60, check=True)
    for (key, params), (value, slope) in zip(cases, json.loads(out.stdout)):
        np.testing.assert_allclose(value, ACTIVATIONS[key](xs, **params), rtol=0, atol=1e-9, err_msg=key)
        np.testing.assert_allclose(slope, ACTIVATIONS[key].grad(xs, **params), rtol=0, atol=1e-9, err_msg=key)
        at = np.isin(xs, (0.0, *KINKS))
        if ACTIVATIONS[key].family == "relu":  # conventions at the kinks are exact, not approximate
            assert np.array_equal(np.array(slope)[at], ACTIVATIONS[key].grad(xs[at], **params)), key
