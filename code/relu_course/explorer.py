"""An activation explorer that runs in the page itself: HTML, an inline SVG plot and a little JavaScript.

The course site is static HTML with no kernel, so the ipywidgets explorers only run in JupyterLab.
ReLU and its relatives are cheap enough to compute in the browser, so :func:`explorer_html` writes one
self-contained fragment (style, controls, plot, script; nothing fetched) in which a reader picks an
activation, moves its parameter and reads f(x) and f'(x) at a point. The JavaScript re-implements the
package's NumPy references (:mod:`relu_course.variants`) with the same stable formulas and the same
conventions at the kinks, and the registry's default parameters are written into the script, so the
page computes the functions the chapters compute. Output is deterministic: ids derive from ``name``.
"""
from __future__ import annotations

import html
import json
import math
import re
from typing import Any, Sequence

import numpy as np

from relu_course import variants as _variants
from relu_course._validation import real_scalar, sequence_of
from relu_course.activation_registry import ACTIVATIONS
from relu_course.widgets.variants import PARAMETER_RANGES

EXPLORER_CLASS = "relu-explorer"
EXPLORER_VERSION = "1.0"

#: The places where a derivative jumps (or a function has a corner), for :func:`js_reference_points`.
KINKS: tuple[float, ...] = (-3.0, 0.0, 3.0, 6.0)

_N_POINTS = 801                 # points per curve
_VIEW = (560, 330)              # the SVG's viewBox width and height
_MARGIN = (52, 14, 14, 34)      # left, right, top, bottom: room for tick labels

_STYLE = """<style>
.relu-explorer { border: 1px solid #999; border-radius: 6px; padding: 0.6em 1em; margin: 1em 0; max-width: 42em; }
.relu-explorer-controls { display: grid; grid-template-columns: minmax(12em, max-content) 1fr; gap: 0.35em 0.8em;
  align-items: center; }
.relu-explorer-controls select { width: 100%; max-width: 22em; }
.relu-explorer-controls input[type="range"] { width: 75%; max-width: 18em; vertical-align: middle; }
.relu-explorer-note { font-style: italic; }
.relu-explorer-readout { display: block; margin: 0.4em 0; font-family: monospace; min-height: 1.3em; }
.relu-explorer-plot { display: block; width: 100%; height: auto; }
.relu-explorer-plot text { fill: currentColor; font-size: 12px; font-family: sans-serif; }
.relu-explorer-axis { stroke: currentColor; stroke-width: 1.2; opacity: 0.75; }
.relu-explorer-grid line { stroke: currentColor; stroke-width: 1; opacity: 0.15; }
.relu-explorer-curve { fill: none; stroke: __FUNCTION__; stroke-width: 2.5; }
.relu-explorer-dcurve { fill: none; stroke: __DERIVATIVE__; stroke-width: 2; stroke-dasharray: 8 5; }
.relu-explorer-reference { fill: none; stroke: __REFERENCE__; stroke-width: 1.3; stroke-dasharray: 2 4; }
.relu-explorer-guide { stroke: currentColor; stroke-width: 1; opacity: 0.4; stroke-dasharray: 3 3; }
.relu-explorer-point { fill: __FUNCTION__; } .relu-explorer-dpoint { fill: __DERIVATIVE__; }
.relu-explorer-legend { margin: 0.2em 0 0; font-size: 0.9em; }
.relu-explorer-legend svg { width: 2.4em; height: 0.8em; vertical-align: middle; }
.relu-explorer-legend span { margin-right: 1.2em; white-space: nowrap; }
</style>"""

# The script: a guarded global (defined once per page, whoever comes first) and the initialisation of
# every explorer on the page. __DEFAULTS__, __SLIDERS__, __CONSTANTS__ and __VERSION__ are replaced
# by JSON from Python. IMPL holds one entry per registry key: f(x, p) and d(x, p) on one number.
_SCRIPT = """<script>
(function () {
  "use strict";
  if (!window.reluCourseExplorer) {
    window.reluCourseExplorer = (function () {
      var DEFAULTS = __DEFAULTS__;
      var SLIDERS = __SLIDERS__;
      var C = __CONSTANTS__;
      var SQRT2 = Math.sqrt(2), SQRTPI = Math.sqrt(Math.PI), SQRT_2PI = Math.sqrt(2 * Math.PI);
      var SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

      /* erf by its Taylor series for |x| < 1.5 and erfc by a continued fraction beyond (the algorithm
         of CPython's math module up to 3.12): about 1e-16 absolute, 1e-14 relative for x < 20. */
      function erfSeries(x) {
        var x2 = x * x, acc = 0, fk = 25.5;
        for (var i = 0; i < 25; i++) { acc = 2 + x2 * acc / fk; fk -= 1; }
        return acc * x * Math.exp(-x2) / SQRTPI;
      }
      function erfcContfrac(x) {
        if (x >= 30) { return 0; }
        var x2 = x * x, a = 0, da = 0.5, p = 1, pLast = 0, q = da + x2, qLast = 1, t, b;
        for (var i = 0; i < 50; i++) {
          a += da; da += 2; b = da + x2;
          t = p; p = b * p - a * pLast; pLast = t;
          t = q; q = b * q - a * qLast; qLast = t;
        }
        return p / q * x * Math.exp(-x2) / SQRTPI;
      }
      function erfc(x) {
        if (x !== x) { return NaN; }
        if (Math.abs(x) < 1.5) { return 1 - erfSeries(x); }
        var cf = erfcContfrac(Math.abs(x));
        return x > 0 ? cf : 2 - cf;
      }
      /* logistic sigmoid without overflow, accurate for x << 0 */
      function expit(x) {
        if (x >= 0) { return 1 / (1 + Math.exp(-x)); }
        var e = Math.exp(x);
        return e / (1 + e);
      }
      /* log(1 + e^y) = max(y, 0) + log1p(e^-|y|), NumPy's logaddexp(0, y) */
      function logaddexp0(y) { return y === 0 ? Math.LN2 : Math.max(y, 0) + Math.log1p(Math.exp(-Math.abs(y))); }
      function sech2(x) { var c = Math.cosh(x); return 1 / (c * c); }
      /* the mathematical limit at x = -inf / +inf, where a formula gives inf * 0 = NaN */
      function limits(value, x, atMinus, atPlus) {
        return x === -Infinity ? atMinus : x === Infinity ? atPlus : value;
      }
      function leaky(x, a) { return x > 0 ? x : a * x; }
      function leakyD(x, a) { return x !== x ? NaN : x > 0 ? 1 : a; }
      function relu6(x) { return Math.min(x > 0 ? x : (x === x ? 0 : NaN), 6); }
      function elu(x, a) { return x > 0 ? x : a * Math.expm1(Math.min(x, 0)); }
      function eluD(x, a) { return x > 0 ? 1 : a * Math.exp(Math.min(x, 0)); }
      function geluTanhGate(x) {
        var c = Math.min(Math.max(x, -1e6), 1e6);
        var u = SQRT_2_OVER_PI * (c + 0.044715 * c * c * c);
        return [expit(2 * u), expit(-2 * u), SQRT_2_OVER_PI * (1 + 3 * 0.044715 * c * c)];
      }
      function gelu(x, p) {
        var gate = p.approximate ? geluTanhGate(x)[0] : 0.5 * erfc(-x / SQRT2);
        return limits(x * gate, x, 0, Infinity);
      }
      function geluD(x, p) {
        var out;
        if (p.approximate) {
          var g = geluTanhGate(x);
          out = g[0] + 2 * x * g[0] * g[1] * g[2];
        } else {
          out = 0.5 * erfc(-x / SQRT2) + x * Math.exp(-0.5 * x * x) / SQRT_2PI;
        }
        return limits(out, x, 0, 1);
      }
      function swishLimits(value, x, b, f0, f1) {
        return b > 0 ? limits(value, x, f0[0], f0[1]) : b < 0 ? limits(value, x, f1[0], f1[1]) : value;
      }

      var IMPL = {
        relu: {
          f: function (x) { return x > 0 ? x : (x === x ? 0 : NaN); },
          d: function (x, p) { return x !== x ? NaN : x > 0 ? 1 : x === 0 ? (p.at_zero || 0) : 0; }
        },
        leaky_relu: {
          f: function (x, p) { return leaky(x, p.negative_slope); },
          d: function (x, p) { return leakyD(x, p.negative_slope); }
        },
        prelu: {
          f: function (x, p) { return leaky(x, p.slope); },
          d: function (x, p) { return leakyD(x, p.slope); }
        },
        rrelu: {
          f: function (x, p) { return leaky(x, (p.lower + p.upper) / 2); },
          d: function (x, p) { return leakyD(x, (p.lower + p.upper) / 2); }
        },
        relu6: {
          f: function (x) { return relu6(x); },
          d: function (x) { return x !== x ? NaN : (x > 0 && x < 6) ? 1 : 0; }
        },
        hard_swish: {
          f: function (x) { return limits(x * relu6(x + 3) / 6, x, 0, Infinity); },
          d: function (x) { return x < -3 ? 0 : x > 3 ? 1 : (2 * x + 3) / 6; }
        },
        elu: {
          f: function (x, p) { return elu(x, p.alpha); },
          d: function (x, p) { return eluD(x, p.alpha); }
        },
        selu: {
          f: function (x) { return C.selu_scale * elu(x, C.selu_alpha); },
          d: function (x) { return C.selu_scale * eluD(x, C.selu_alpha); }
        },
        gelu: {
          f: gelu,
          d: geluD
        },
        gelu_tanh: {
          f: gelu,
          d: geluD
        },
        silu: {
          f: function (x, p) { return swishLimits(x * expit(p.beta * x), x, p.beta, [0, Infinity], [-Infinity, 0]); },
          d: function (x, p) {
            var b = p.beta, s = expit(b * x);
            return swishLimits(s + b * x * s * expit(-b * x), x, b, [0, 1], [1, 0]);
          }
        },
        mish: {
          f: function (x) { return limits(x * Math.tanh(logaddexp0(x)), x, 0, Infinity); },
          d: function (x) {
            var sp = logaddexp0(x);
            return limits(Math.tanh(sp) + x * sech2(sp) * expit(x), x, 0, 1);
          }
        },
        softplus: {
          f: function (x, p) { return logaddexp0(p.beta * x) / p.beta; },
          d: function (x, p) { return expit(p.beta * x); }
        },
        softsign: {
          f: function (x) { return limits(x / (1 + Math.abs(x)), x, -1, 1); },
          d: function (x) { var s = 1 + Math.abs(x); return 1 / (s * s); }
        },
        sigmoid: {
          f: function (x) { return expit(x); },
          d: function (x) { return expit(x) * expit(-x); }
        },
        tanh: {
          f: function (x) { return Math.tanh(x); },
          d: function (x) { return sech2(x); }
        }
      };
      var POSITIVE = {alpha: true, beta: true};

      function known(key) {
        if (!Object.prototype.hasOwnProperty.call(IMPL, key)) {
          throw new Error("unknown activation " + JSON.stringify(key) + "; known: " + Object.keys(IMPL).join(", "));
        }
      }
      /* the registry's defaults, overridden by the numbers in params */
      function merged(key, params) {
        var p = {}, name;
        for (name in DEFAULTS[key]) { p[name] = DEFAULTS[key][name]; }
        for (name in (params || {})) { p[name] = params[name]; }
        for (name in p) {
          if (typeof p[name] === "number" && !isFinite(p[name])) {
            throw new RangeError(name + " must be a finite number, got " + p[name]);
          }
          if (POSITIVE[name] && key !== "silu" && !(p[name] > 0)) {
            throw new RangeError(name + " must be positive, got " + p[name]);
          }
        }
        return p;
      }
      function apply(which, key, xs, params) {
        known(key);
        var p = merged(key, params), fn = IMPL[key][which];
        var list = typeof xs === "number" ? [xs] : Array.prototype.slice.call(xs);
        return list.map(function (x) { return fn(Number(x), p); });
      }
      function evaluate(key, xs, params) { return apply("f", key, xs, params); }
      function derivative(key, xs, params) { return apply("d", key, xs, params); }

      /* ------------------------------------------------------------------ drawing */
      function fmt(v) {
        if (v !== v) { return "NaN"; }
        if (!isFinite(v)) { return v > 0 ? "\\u221e" : "\\u2212\\u221e"; }
        var a = Math.abs(v);
        var s = a === 0 ? "0" : (a >= 1e-4 && a < 1e6) ? String(Number(v.toPrecision(6))) : v.toExponential(4);
        return s.replace("-", "\\u2212");
      }
      function niceTicks(lo, hi) {
        var raw = (hi - lo) / 6, mag = Math.pow(10, Math.floor(Math.log(raw) / Math.LN10)), r = raw / mag;
        var step = (r < 1.5 ? 1 : r < 3 ? 2 : r < 7 ? 5 : 10) * mag, out = [];
        for (var k = Math.ceil(lo / step - 1e-9); k * step <= hi + 1e-9 * step; k++) {
          out.push(Number((k * step).toPrecision(12)));
        }
        return out;
      }
      function init(root) {
        if (!root || root.getAttribute("data-ready") === "1") { return; }
        root.setAttribute("data-ready", "1");
        function q(cls) { return root.querySelector("." + cls); }
        var select = q("relu-explorer-activation"), param = q("relu-explorer-param"),
            paramLabel = q("relu-explorer-param-label"), note = q("relu-explorer-note"),
            value = q("relu-explorer-param-value"),
            showD = q("relu-explorer-derivative"), xin = q("relu-explorer-x"), readout = q("relu-explorer-readout"),
            svg = q("relu-explorer-plot"), plot = q("relu-explorer-area"), curve = q("relu-explorer-curve"),
            dcurve = q("relu-explorer-dcurve"), ref = q("relu-explorer-reference"), guide = q("relu-explorer-guide"),
            point = q("relu-explorer-point"), dpoint = q("relu-explorer-dpoint"), gridG = q("relu-explorer-grid"),
            xAxis = q("relu-explorer-xaxis"), yAxis = q("relu-explorer-yaxis");
        var ns = svg.namespaceURI;
        var x0 = Number(root.getAttribute("data-x-min")), x1 = Number(root.getAttribute("data-x-max"));
        var box = JSON.parse(root.getAttribute("data-box"));  /* [left, top, width, height] of the plot area */
        var n = Number(root.getAttribute("data-points")), xs = [], i, yLo = 0, yHi = 1;
        for (i = 0; i < n; i++) { xs.push(x0 + (x1 - x0) * i / (n - 1)); }
        function sx(x) { return (x - x0) / (x1 - x0) * box[2]; }
        function sy(y) { return (yHi - y) / (yHi - yLo) * box[3]; }
        function path(ys) {
          var d = "", pen = false, span = yHi - yLo;
          for (var k = 0; k < xs.length; k++) {
            if (!isFinite(ys[k])) { pen = false; continue; }
            var jump = pen && Math.abs(ys[k] - ys[k - 1]) > 0.1 * span;
            d += (pen && !jump ? "L" : "M") + sx(xs[k]).toFixed(2) + " " + sy(ys[k]).toFixed(2);
            pen = true;
          }
          return d;
        }
        function el(tag, attrs, text) {
          var e = document.createElementNS(ns, tag);
          for (var a in attrs) { e.setAttribute(a, attrs[a]); }
          if (text !== undefined) { e.textContent = text; }
          return e;
        }
        function current() {
          var key = select.value, slider = SLIDERS[key], params = {};
          if (slider) { params[slider.name] = Number(param.value); }
          return {key: key, slider: slider, params: params};
        }
        function setActivation() {
          var key = select.value, slider = SLIDERS[key];
          if (slider) {
            param.min = slider.min; param.max = slider.max; param.step = slider.step;
            param.value = DEFAULTS[key][slider.name];
            param.hidden = false; param.disabled = false;
            note.textContent = "";
          } else {
            param.hidden = true; param.disabled = true;
            note.textContent = key === "rrelu"
              ? "no parameter to move: fixed at test time, slope (lower + upper) / 2 = " +
                fmt((DEFAULTS.rrelu.lower + DEFAULTS.rrelu.upper) / 2)
              : "no parameter";
          }
          /* one vertical range per activation, over its whole slider, so the axes stay still while it moves */
          var values = slider ? [0, 0.25, 0.5, 0.75, 1].map(function (t) {
            return slider.min + t * (slider.max - slider.min); }) : [null];
          var lo = 0, hi = 1;
          values.forEach(function (v) {
            var p = {};
            if (slider) { p[slider.name] = v; }
            evaluate(key, xs, p).concat(derivative(key, xs, p)).forEach(function (y) {
              if (isFinite(y)) { lo = Math.min(lo, y); hi = Math.max(hi, y); }
            });
          });
          var pad = 0.06 * (hi - lo);
          yLo = lo - pad; yHi = hi + pad;
          drawFrame();
        }
        function drawFrame() {
          while (gridG.firstChild) { gridG.removeChild(gridG.firstChild); }
          niceTicks(x0, x1).forEach(function (t) {
            var X = box[0] + sx(t);
            gridG.appendChild(el("line", {x1: X, x2: X, y1: box[1], y2: box[1] + box[3]}));
            gridG.appendChild(el("text", {x: X, y: box[1] + box[3] + 16, "text-anchor": "middle"}, fmt(t)));
          });
          niceTicks(yLo, yHi).forEach(function (t) {
            var Y = box[1] + sy(t);
            gridG.appendChild(el("line", {x1: box[0], x2: box[0] + box[2], y1: Y, y2: Y}));
            gridG.appendChild(el("text", {x: box[0] - 6, y: Y + 4, "text-anchor": "end"}, fmt(t)));
          });
          var zeroY = box[1] + sy(0), zeroX = box[0] + sx(0);
          xAxis.setAttribute("y1", zeroY); xAxis.setAttribute("y2", zeroY);
          yAxis.setAttribute("x1", zeroX); yAxis.setAttribute("x2", zeroX);
          yAxis.style.display = (x0 <= 0 && 0 <= x1) ? "" : "none";
          ref.setAttribute("d", path(evaluate("relu", xs)));
        }
        function draw() {
          var s = current(), act = select.options[select.selectedIndex].text;
          var show = showD.checked, x = Number(xin.value);
          curve.setAttribute("d", path(evaluate(s.key, xs, s.params)));
          dcurve.setAttribute("d", path(derivative(s.key, xs, s.params)));
          dcurve.style.display = show ? "" : "none";
          dpoint.style.display = show ? "" : "none";
          var fx = evaluate(s.key, [x], s.params)[0], dx = derivative(s.key, [x], s.params)[0];
          guide.setAttribute("x1", sx(x)); guide.setAttribute("x2", sx(x));
          point.setAttribute("cx", sx(x)); point.setAttribute("cy", isFinite(fx) ? sy(fx) : -99);
          dpoint.setAttribute("cx", sx(x)); dpoint.setAttribute("cy", isFinite(dx) ? sy(dx) : -99);
          var setting = s.slider ? ", " + s.slider.label + " = " + fmt(s.params[s.slider.name]) : "";
          paramLabel.textContent = s.slider ? "Parameter " + s.slider.label : "Parameter";
          value.textContent = s.slider ? "= " + fmt(s.params[s.slider.name]) : "";
          readout.textContent = "x = " + fmt(x) + ":  f(x) = " + fmt(fx) + ",  f\\u2032(x) = " + fmt(dx);
          svg.setAttribute("aria-label", "Graph of " + act + setting + " for x from " + fmt(x0) + " to " +
            fmt(x1) + " (solid line)" + (show ? ", with its derivative (dashed line)" : "") +
            ", and ReLU dotted for reference. At x = " + fmt(x) + ", f(x) = " + fmt(fx) +
            " and f\\u2032(x) = " + fmt(dx) + ".");
        }
        select.addEventListener("change", function () { setActivation(); draw(); });
        param.addEventListener("input", draw);
        showD.addEventListener("change", draw);
        xin.addEventListener("input", draw);
        setActivation();
        draw();
      }
      return {version: __VERSION__, keys: Object.keys(IMPL), defaults: DEFAULTS, evaluate: evaluate,
              derivative: derivative, init: init};
    })();
  }
  function initAll() {
    var roots = document.querySelectorAll(".relu-explorer");
    for (var i = 0; i < roots.length; i++) { window.reluCourseExplorer.init(roots[i]); }
  }
  initAll();
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", initAll); }
})();
</script>"""


def _js_keys(script: str) -> tuple[str, ...]:
    """The activation keys that the script's IMPL object implements, in its order."""
    block = script.split("var IMPL = {", 1)[1].split("\n      };", 1)[0]
    return tuple(re.findall(r"^        (\w+): \{$", block, re.M))


#: Every registry key the JavaScript implements, in registry order (all of them).
JS_KEYS: tuple[str, ...] = tuple(k for k in ACTIVATIONS if k in _js_keys(_SCRIPT))


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _json(value: Any) -> str:
    """JSON that is safe inside a <script> element."""
    return json.dumps(value, allow_nan=False).replace("</", "<\\/")


def _slider(key: str) -> dict[str, Any] | None:
    """The slider of ``key``: the one the live ipywidgets explorer of chapter 7 has
    (:data:`relu_course.widgets.variants.PARAMETER_RANGES`), or None (no parameter a reader moves)."""
    rng = PARAMETER_RANGES.get(key)
    if rng is None:
        return None
    return {"name": rng.name, "min": rng.low, "max": rng.high, "step": rng.step,
            "label": f"{rng.name.replace('_', ' ')} ({rng.symbol})"}


def slider_settings() -> dict[str, dict[str, Any]]:
    """The parameter slider of every activation that has one, by key (what the script receives)."""
    return {k: s for k in JS_KEYS if (s := _slider(k)) is not None}


def default_parameters() -> dict[str, dict[str, Any]]:
    """The registry's default parameters of every activation the script implements (what it receives)."""
    return {k: dict(ACTIVATIONS[k].params) for k in JS_KEYS}


def _script() -> str:
    constants = {"selu_alpha": _variants.SELU_ALPHA, "selu_scale": _variants.SELU_SCALE}
    return (_SCRIPT.replace("__DEFAULTS__", _json(default_parameters()))
            .replace("__SLIDERS__", _json(slider_settings()))
            .replace("__CONSTANTS__", _json(constants))
            .replace("__VERSION__", _json(EXPLORER_VERSION)))


def _keys(keys: Any) -> tuple[str, ...]:
    if keys is None:
        return JS_KEYS
    chosen = sequence_of(keys, str, "keys", "activation keys such as 'relu'")
    if not chosen:
        raise ValueError("keys must name at least one activation, got an empty sequence")
    for key in chosen:
        if key not in ACTIVATIONS:
            raise ValueError(f"keys: {key!r} is not a registered activation; known: {', '.join(ACTIVATIONS)}")
        if key not in JS_KEYS:
            raise ValueError(f"keys: {key!r} has no JavaScript implementation; implemented: {', '.join(JS_KEYS)}")
    if len(set(chosen)) != len(chosen):
        raise ValueError(f"keys must not repeat an activation, got {chosen}")
    return tuple(chosen)


def _x_range(x_range: Any) -> tuple[float, float]:
    if isinstance(x_range, np.ndarray):
        x_range = x_range.tolist()
    values = sequence_of(x_range, object, "x_range", "two numbers (low, high)")
    if len(values) != 2:
        raise ValueError(f"x_range must be two numbers (low, high), got {len(values)} values")
    low, high = (real_scalar(v, f"x_range[{i}]") for i, v in enumerate(values))
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"x_range must be two finite numbers, got ({low}, {high})")
    if not low < high:
        raise ValueError(f"x_range must be increasing (low < high), got ({low}, {high})")
    return low, high


def explorer_html(keys: Sequence[str] | None = None, *, name: str = "variants",
                  x_range: tuple[float, float] = (-4.0, 4.0)) -> str:
    """One self-contained HTML fragment: pick one of ``keys`` (default: every activation), move its parameter,
    read f(x) and f'(x) at a point. ``name`` makes the element ids unique on a page; ``x_range`` is the
    plotted interval. The same arguments always give the same string."""
    chosen = _keys(keys)
    if not isinstance(name, str):
        raise TypeError(f"name must be a string such as 'variants', got {type(name).__name__}")
    slug = _slug(name)
    if not slug:
        raise ValueError(f"name must contain letters or digits (it makes the element ids), got {name!r}")
    low, high = _x_range(x_range)

    from relu_course.style import PALETTE  # matplotlib: only when a page is written

    uid = f"{EXPLORER_CLASS}-{slug}"
    width, height = _VIEW
    left, right, top, bottom = _MARGIN
    box = [left, top, width - left - right, height - top - bottom]
    step = (high - low) / 800
    start = min(max(1.0, low), high)
    start = low + round((start - low) / step) * step
    options = "".join(f'<option value="{k}">{html.escape(ACTIVATIONS[k].name)}</option>' for k in chosen)
    style = (_STYLE.replace("__FUNCTION__", PALETTE["function"]).replace("__DERIVATIVE__", PALETTE["derivative"])
             .replace("__REFERENCE__", PALETTE["blocked"]))
    parts = [
        f'<div class="{EXPLORER_CLASS}" data-explorer="{slug}" id="{uid}" data-x-min="{low!r}" '
        f'data-x-max="{high!r}" data-points="{_N_POINTS}" data-box="{_json(box)}">',
        style,
        '<div class="relu-explorer-controls">',
        f'<label for="{uid}-activation">Activation</label>',
        f'<select id="{uid}-activation" class="relu-explorer-activation">{options}</select>',
        f'<label for="{uid}-param" class="relu-explorer-param-label">Parameter</label>',
        f'<span><input type="range" id="{uid}-param" class="relu-explorer-param" min="0" max="1" step="0.01" '
        f'value="0"> <span class="relu-explorer-param-value"></span>'
        '<span class="relu-explorer-note" aria-live="polite"></span></span>',
        f'<label for="{uid}-x">Point x</label>',
        f'<input type="range" id="{uid}-x" class="relu-explorer-x" min="{low!r}" max="{high!r}" '
        f'step="{step!r}" value="{start!r}">',
        f'<label for="{uid}-derivative">Show the derivative</label>',
        f'<span><input type="checkbox" id="{uid}-derivative" class="relu-explorer-derivative" checked></span>',
        '</div>',
        f'<output class="relu-explorer-readout" id="{uid}-readout" for="{uid}-activation {uid}-param {uid}-x" '
        'aria-live="polite"></output>',
        f'<svg class="relu-explorer-plot" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Graph of the chosen activation and its derivative for x from {low:g} to {high:g}">',
        '<g class="relu-explorer-grid"></g>',
        f'<line class="relu-explorer-axis relu-explorer-xaxis" x1="{box[0]}" x2="{box[0] + box[2]}" y1="0" y2="0"/>',
        f'<line class="relu-explorer-axis relu-explorer-yaxis" x1="0" x2="0" y1="{box[1]}" y2="{box[1] + box[3]}"/>',
        f'<svg class="relu-explorer-area" x="{box[0]}" y="{box[1]}" width="{box[2]}" height="{box[3]}">',
        f'<line class="relu-explorer-guide" x1="0" x2="0" y1="0" y2="{box[3]}"/>',
        '<path class="relu-explorer-reference" d=""/>',
        '<path class="relu-explorer-dcurve" d=""/>',
        '<path class="relu-explorer-curve" d=""/>',
        '<circle class="relu-explorer-dpoint" r="4" cx="-99" cy="-99"/>',
        '<circle class="relu-explorer-point" r="4.5" cx="-99" cy="-99"/>',
        '</svg></svg>',
        '<p class="relu-explorer-legend">' + "".join(
            f'<span><svg viewBox="0 0 30 10" aria-hidden="true"><line class="{cls}" x1="0" x2="30" y1="5" y2="5"/>'
            f'</svg> {text}</span>'
            for cls, text in (("relu-explorer-curve", "f(x), solid"), ("relu-explorer-dcurve", "f\u2032(x), dashed"),
                              ("relu-explorer-reference", "ReLU, dotted"))) + '</p>',
        _script(),
        '</div>',
    ]
    return "\n".join(parts)


def show_explorer(keys: Sequence[str] | None = None, *, name: str = "variants", **kw: Any) -> Any:
    """:func:`explorer_html` as an IPython HTML object, for a notebook cell (works on the static site)."""
    from IPython.display import HTML

    return HTML(explorer_html(keys, name=name, **kw))


def js_reference_points() -> np.ndarray:
    """The grid a browser test should compare the script with the NumPy references on: 401 points on
    [-20, 20], plus 0, +-1e-9, and each kink and its neighbours at +-1e-9 (sorted, unique)."""
    extra = [0.0, 1e-9, -1e-9] + [k + d for k in KINKS for d in (-1e-9, 0.0, 1e-9)]
    return np.unique(np.concatenate([np.linspace(-20.0, 20.0, 401), extra]))
