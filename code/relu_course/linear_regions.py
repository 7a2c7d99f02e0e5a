"""Why activations matter, computed: linear layers collapse, ReLU layers cut the input into pieces.

Chapter 2 checks both facts on numbers instead of asserting them. :func:`compose_affine`
multiplies a stack of affine layers into one. The activation-pattern functions find where a ReLU
network is affine: along a 1-D grid (:func:`linear_pieces_1d`) or on any set of points
(:func:`activation_patterns`, :func:`count_patterns`).

Layers follow Keras's convention, as returned by :func:`relu_course.models.dense_parameters`:
a list of ``(W, b)`` pairs, where a layer maps a row vector ``x`` to ``x @ W + b``, ``W`` has
shape (inputs, outputs) and ``b`` is a vector of length outputs, or None for no bias.
A *ReLU network* applies ReLU after every layer except the last.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
from matplotlib.axes import Axes

from relu_course._validation import as_real_array, positive_int, real_scalar
from relu_course.seeding import MAX_SEED
from relu_course.style import COLOR_CYCLE, LINESTYLE_CYCLE, PALETTE, draw_zero_line

Layers = list[tuple[np.ndarray, np.ndarray]]


def check_layers(layers: Any, name: str = "layers") -> Layers:
    """Validate a list of ``(W, b)`` pairs; return float64 copies with a None bias as zeros.

    Raises TypeError/ValueError naming ``name`` for a non-list, an empty list, a non-pair,
    non-matrix weights, biases of the wrong length, non-finite values, or layers whose
    sizes do not chain (one layer's outputs must be the next layer's inputs).
    """
    if isinstance(layers, (str, bytes, np.ndarray)) or not isinstance(layers, Sequence):
        raise TypeError(f"{name} must be a list of (W, b) pairs, got {type(layers).__name__}")
    if len(layers) == 0:
        raise ValueError(f"{name} must hold at least one (W, b) pair, got an empty list")
    checked: Layers = []
    for k, pair in enumerate(layers):
        where = f"{name}[{k}]"
        if isinstance(pair, (str, bytes)) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise TypeError(f"{where} must be a (W, b) pair, got {type(pair).__name__}")
        W = np.array(as_real_array(pair[0], f"{where} weights"), dtype=np.float64)
        if W.ndim != 2 or 0 in W.shape:
            raise ValueError(f"{where} weights must be a non-empty 2-D matrix, got shape {W.shape}")
        if pair[1] is None:
            b = np.zeros(W.shape[1])
        else:
            b = np.array(as_real_array(pair[1], f"{where} bias"), dtype=np.float64)
            if b.shape != (W.shape[1],):
                raise ValueError(f"{where} bias must have shape ({W.shape[1]},) to match weights of "
                                 f"shape {W.shape}, got {b.shape}")
        if not (np.all(np.isfinite(W)) and np.all(np.isfinite(b))):
            raise ValueError(f"{where} must hold finite numbers (no NaN or infinity)")
        if checked and checked[-1][0].shape[1] != W.shape[0]:
            raise ValueError(f"{name} do not chain: layer {k - 1} has {checked[-1][0].shape[1]} "
                             f"outputs but layer {k} expects {W.shape[0]} inputs")
        checked.append((W, b))
    return checked


def _check_inputs(X: Any, layers: Layers, name: str = "X") -> np.ndarray:
    X = np.asarray(as_real_array(X, name), dtype=np.float64)
    n_in = layers[0][0].shape[0]
    if X.ndim != 2 or X.shape[1] != n_in:
        raise ValueError(f"{name} must be a 2-D array with {n_in} column(s) (one row per example), "
                         f"got shape {X.shape}")
    return X


def apply_affine_stack(layers: Any, X: Any) -> np.ndarray:
    """Apply the layers one after another with no activation: ``(...(X @ W1 + b1) @ W2 + b2...)``."""
    layers = check_layers(layers)
    out = _check_inputs(X, layers)
    for W, b in layers:
        out = out @ W + b
    return out


def compose_affine(layers: Any) -> tuple[np.ndarray, np.ndarray]:
    """Collapse a stack of affine layers into ONE: the ``(W, b)`` with ``X @ W + b`` equal to the stack.

    ``W = W1 @ W2 @ ... @ Wk`` and ``b = (...(b1 @ W2 + b2) @ W3 + b3...)``: the reason a network
    without activations is no more expressive than a single layer.
    """
    layers = check_layers(layers)
    W_total, b_total = layers[0]
    for W, b in layers[1:]:
        W_total, b_total = W_total @ W, b_total @ W + b
    return W_total, b_total


def pre_activations(layers: Any, X: Any) -> list[np.ndarray]:
    """The pre-activations ``z = h @ W + b`` of every hidden layer of a ReLU network, one array each."""
    layers = check_layers(layers)
    h = _check_inputs(X, layers)
    zs = []
    for W, b in layers[:-1]:
        z = h @ W + b
        zs.append(z)
        h = np.maximum(z, 0.0)
    return zs


def relu_network(layers: Any, X: Any) -> np.ndarray:
    """The output of a ReLU network: ReLU after every layer except the last (which gives logits)."""
    layers = check_layers(layers)
    h = _check_inputs(X, layers)
    for W, b in layers[:-1]:
        h = np.maximum(h @ W + b, 0.0)
    W, b = layers[-1]
    return h @ W + b


def activation_patterns(layers: Any, X: Any) -> np.ndarray:
    """Which hidden units are active (``z > 0``) at each input: a boolean array (examples x units).

    Units are listed layer by layer. Inputs with the same pattern lie in the same *linear region*:
    with the pattern fixed, every layer is affine in the input, so the network is affine there.
    """
    layers = check_layers(layers)
    zs = pre_activations(layers, X)
    n = _check_inputs(X, layers).shape[0]
    return np.concatenate(zs, axis=1) > 0 if zs else np.zeros((n, 0), dtype=bool)


def _check_patterns(patterns: Any) -> np.ndarray:
    try:
        array = np.asarray(patterns)
    except ValueError:
        raise ValueError("patterns must be a 2-D boolean array (examples x units), got a ragged sequence") from None
    if array.dtype.kind != "b":
        raise TypeError(f"patterns must be a boolean array (as from activation_patterns), got dtype "
                        f"{array.dtype}")
    if array.ndim != 2:
        raise ValueError(f"patterns must be 2-D (examples x units), got shape {array.shape}")
    return array


def pattern_ids(patterns: Any) -> np.ndarray:
    """Number the distinct rows of ``patterns`` 0, 1, 2, ... (same row, same id); one id per example."""
    array = _check_patterns(patterns)
    if array.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    if array.shape[1] == 0:
        return np.zeros(array.shape[0], dtype=np.int64)
    _, ids = np.unique(np.packbits(array, axis=1), axis=0, return_inverse=True)
    return np.asarray(ids, dtype=np.int64).reshape(-1)


def count_patterns(patterns: Any) -> int:
    """How many distinct activation patterns (rows) there are: the linear regions the points reach."""
    ids = pattern_ids(patterns)
    return int(ids.max()) + 1 if ids.size else 0


def first_layer_breakpoints(layers: Any) -> np.ndarray:
    """The exact inputs ``x = -b / w`` where a first-layer unit of a network on R switches, sorted.

    Units with ``w = 0`` never switch and are skipped; equal breakpoints are listed once.
    """
    layers = check_layers(layers)
    W, b = layers[0]
    if W.shape[0] != 1:
        raise ValueError(f"layers must take one input (a network on R), got {W.shape[0]} inputs")
    w = W[0]
    moving = w != 0
    return np.unique(-b[moving] / w[moving])


def input_slopes(layers: Any, xs: Any) -> np.ndarray:
    """The derivative of every output with respect to the one input, at each x (forward mode).

    Uses the same gate as :func:`activation_patterns` (a unit is on when ``z > 0``), so inside one
    linear region it is that region's exact slope. Shape (len(xs), outputs).
    """
    layers = check_layers(layers)
    if layers[0][0].shape[0] != 1:
        raise ValueError(f"layers must take one input (a network on R), got {layers[0][0].shape[0]}")
    h = _check_inputs(np.reshape(_check_grid(xs), (-1, 1)), layers)
    d = np.ones_like(h)
    for W, b in layers[:-1]:
        z = h @ W + b
        on = z > 0
        h, d = np.where(on, z, 0.0), np.where(on, d @ W, 0.0)
    return d @ layers[-1][0]


def _check_grid(xs: Any) -> np.ndarray:
    xs = np.asarray(as_real_array(xs, "xs"), dtype=np.float64)
    if xs.ndim != 1 or xs.size < 2:
        raise ValueError(f"xs must be a 1-D grid of at least 2 points, got shape {xs.shape}")
    if not np.all(np.isfinite(xs)) or not np.all(np.diff(xs) > 0):
        raise ValueError("xs must be finite and strictly increasing")
    return xs


@dataclass(frozen=True)
class PiecewiseLinear1D:
    """A ReLU network on R sampled on a grid, cut into its activation regions and linear pieces.

    ``region`` and ``piece`` number the grid points' region and piece (0, 1, ...). A *region* is a
    stretch with one activation pattern; a *piece* is a stretch with one slope. Neighbouring regions
    can share a slope (e.g. when every unit downstream of the switching unit is off), so there are
    never more pieces than regions. ``breaks`` are where the pattern changes, ``kinks`` where the
    slope changes, and ``kink_values`` the network's first output there.
    """

    xs: np.ndarray
    ys: np.ndarray
    region: np.ndarray
    piece: np.ndarray
    breaks: np.ndarray
    kinks: np.ndarray
    kink_values: np.ndarray

    @property
    def n_regions(self) -> int:
        return int(self.region[-1]) + 1

    @property
    def n_pieces(self) -> int:
        return int(self.piece[-1]) + 1


def linear_pieces_1d(layers: Any, xs: Any) -> PiecewiseLinear1D:
    """Find the activation regions and linear pieces of a ReLU network on R along the grid ``xs``.

    A grid can miss a region narrower than its spacing (two switches inside one cell count as one),
    so the counts are lower bounds that become exact as the grid gets finer. Each break is placed
    where the earliest switching unit's pre-activation, interpolated linearly across its grid cell,
    crosses zero: exact when the cell holds a single switch.
    """
    layers = check_layers(layers)
    xs = _check_grid(xs)
    if layers[0][0].shape[0] != 1:
        raise ValueError(f"layers must take one input (a network on R), got {layers[0][0].shape[0]}")
    X = xs[:, None]
    zs = pre_activations(layers, X)
    z = np.concatenate(zs, axis=1) if zs else np.zeros((xs.size, 0))
    on = z > 0
    changed = np.any(on[1:] != on[:-1], axis=1)
    region = np.concatenate([[0], np.cumsum(changed)]).astype(np.int64)
    cells = np.flatnonzero(changed)
    breaks = np.empty(cells.size)
    for k, i in enumerate(cells):
        j = np.flatnonzero(on[i] != on[i + 1])[0]  # earliest layer first: its input is affine here
        t = z[i, j] / (z[i, j] - z[i + 1, j])
        breaks[k] = xs[i] + float(np.clip(t, 0.0, 1.0)) * (xs[i + 1] - xs[i])
    slopes = input_slopes(layers, xs)
    first = np.concatenate([[0], cells + 1])  # first grid point of each region
    region_slopes = slopes[first]
    scale = 1.0 + np.max(np.abs(region_slopes))
    is_kink = np.any(np.abs(np.diff(region_slopes, axis=0)) > 1e-9 * scale, axis=1)
    piece = np.concatenate([[0], np.cumsum(is_kink)]).astype(np.int64)[region]
    kinks = breaks[is_kink]
    kink_values = (relu_network(layers, kinks[:, None])[:, 0] if kinks.size else np.zeros(0))
    ys = relu_network(layers, X)[:, 0]
    return PiecewiseLinear1D(xs, ys, region, piece, breaks, kinks, kink_values)


def count_regions_1d(layers: Any, xs: Any) -> int:
    """How many activation regions of a ReLU network on R the grid ``xs`` meets (a lower bound)."""
    return linear_pieces_1d(layers, xs).n_regions


def random_layers(widths: Sequence[int], *, seed: int = 0, gain: float = 2.0,
                  bias_std: float = 1.0) -> Layers:
    """Random layers for the sizes ``widths = [inputs, hidden..., outputs]``, reproducible from ``seed``.

    Weights are normal with variance ``gain / fan_in``: the default gain 2 is He-normal
    initialisation (untruncated), made for ReLU; gain 1 keeps a stack *without* activation at a
    steady scale. Biases are normal with standard deviation ``bias_std``: Keras starts biases at 0,
    but then every first-layer unit of a network on R switches at x = 0, and there is little to see.
    """
    if isinstance(widths, (str, bytes)) or not isinstance(widths, Sequence):
        raise TypeError(f"widths must be a sequence of layer sizes, got {type(widths).__name__}")
    sizes = [positive_int(w, "widths") for w in widths]
    if len(sizes) < 2:
        raise ValueError(f"widths must list at least the input and output sizes, got {list(widths)}")
    gain = real_scalar(gain, "gain", low=0.0, high=1e6)
    bias_std = real_scalar(bias_std, "bias_std", low=0.0, high=1e6)
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an integer in [0, {MAX_SEED}], got {seed!r}")
    if not 0 <= seed <= MAX_SEED:
        raise ValueError(f"seed must be an integer in [0, {MAX_SEED}], got {seed}")
    rng = np.random.default_rng(int(seed))
    return [(rng.normal(0.0, np.sqrt(gain / n_in), (n_in, n_out)), rng.normal(0.0, bias_std, n_out))
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def random_piece_counts(width: int, depth: int, seeds: Sequence[int], xs: Any, *,
                        bias_std: float = 1.0) -> np.ndarray:
    """Linear pieces on the grid ``xs`` of random ReLU networks ``1 -> depth x width -> 1``
    (:func:`random_layers`, He-normal weights), one count per seed."""
    width, depth = positive_int(width, "width"), positive_int(depth, "depth")
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Sequence) or len(seeds) == 0:
        raise TypeError(f"seeds must be a non-empty sequence of integers, got {seeds!r}")
    xs = _check_grid(xs)
    return np.array([linear_pieces_1d(random_layers([1] + [width] * depth + [1], seed=s,
                                                    bias_std=bias_std), xs).n_pieces
                     for s in seeds])


def sawtooth_network(depth: int) -> Layers:
    """A hand-built ReLU network on R with 2 units per layer whose graph on [0, 1] has 2**depth pieces.

    Each layer computes the tent map ``t(x) = 2 relu(x) - 4 relu(x - 1/2)`` (up 0 -> 1 on [0, 1/2],
    down on [1/2, 1]); ``depth`` tents composed zigzag 2**(depth - 1) times, with kinks at the
    multiples of 1/2**depth. It shows how depth can multiply pieces that width only adds.
    """
    depth = positive_int(depth, "depth")
    first = (np.array([[1.0, 1.0]]), np.array([0.0, -0.5]))
    middle = (np.array([[2.0, 2.0], [-4.0, -4.0]]), np.array([0.0, -0.5]))
    last = (np.array([[2.0], [-4.0]]), np.array([0.0]))
    return [first] + [middle] * (depth - 1) + [last]


def draw_linear_pieces(ax: Axes, pieces: PiecewiseLinear1D, *, show_kinks: bool = True) -> None:
    """Draw the sampled function with each linear piece in its own colour and line style.

    Pieces are joined at their exact kinks; neighbouring pieces never share a colour. Kinks are
    marked with open circles.
    """
    if not isinstance(pieces, PiecewiseLinear1D):
        raise TypeError(f"pieces must be a PiecewiseLinear1D (from linear_pieces_1d), got "
                        f"{type(pieces).__name__}")
    draw_zero_line(ax)
    edges_x = np.concatenate([[pieces.xs[0]], pieces.kinks, [pieces.xs[-1]]])
    edges_y = np.concatenate([[pieces.ys[0]], pieces.kink_values, [pieces.ys[-1]]])
    for p in range(pieces.n_pieces):
        inside = pieces.piece == p
        x = np.concatenate([[edges_x[p]], pieces.xs[inside], [edges_x[p + 1]]])
        y = np.concatenate([[edges_y[p]], pieces.ys[inside], [edges_y[p + 1]]])
        ax.plot(x, y, color=COLOR_CYCLE[p % len(COLOR_CYCLE)],
                linestyle=LINESTYLE_CYCLE[p % len(LINESTYLE_CYCLE)])
    if show_kinks and pieces.kinks.size:
        ax.plot(pieces.kinks, pieces.kink_values, "o", color=PALETTE["ink"], markerfacecolor="white",
                markersize=4, linestyle="none", zorder=3)
    ax.set_xlabel("x")
    ax.set_ylabel("network output f(x)")
