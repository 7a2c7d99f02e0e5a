"""Pictures of a 2-D classifier on a grid: its decision regions and its linear regions.

The network is evaluated in NumPy from its ``(W, b)`` layers (see :mod:`relu_course.linear_regions`),
so drawing needs no TensorFlow call and gives the same numbers as the region counts.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap

from relu_course._validation import as_real_array, positive_int
from relu_course.linear_regions import (activation_patterns, check_layers, pattern_ids,
                                        relu_network)
from relu_course.style import PALETTE

#: Fill colour and marker of each class, so classes also differ in greyscale.
CLASS_COLOURS = (PALETTE["function"], PALETTE["derivative"], PALETTE["pass"], PALETTE["extra"])
CLASS_MARKERS = ("o", "^", "s", "D")


@dataclass(frozen=True)
class Grid2D:
    """A regular grid over a rectangle: ``xx``, ``yy`` of shape (n, n) and ``points`` of shape (n*n, 2)."""

    xx: np.ndarray
    yy: np.ndarray

    @property
    def points(self) -> np.ndarray:
        return np.column_stack([self.xx.ravel(), self.yy.ravel()])

    @property
    def extent(self) -> tuple[float, float, float, float]:
        return (float(self.xx[0, 0]), float(self.xx[0, -1]), float(self.yy[0, 0]), float(self.yy[-1, 0]))


def _limits(value: Any, name: str) -> tuple[float, float]:
    arr = as_real_array(value, name)
    if arr.shape != (2,) or not np.all(np.isfinite(arr)) or not arr[0] < arr[1]:
        raise ValueError(f"{name} must be a pair (low, high) of finite numbers with low < high, got {value!r}")
    return float(arr[0]), float(arr[1])


def grid_2d(xlim: Sequence[float], ylim: Sequence[float], resolution: int = 200) -> Grid2D:
    """A ``resolution`` x ``resolution`` grid over the rectangle ``xlim`` x ``ylim``."""
    (x0, x1), (y0, y1) = _limits(xlim, "xlim"), _limits(ylim, "ylim")
    n = positive_int(resolution, "resolution")
    if n < 2:
        raise ValueError(f"resolution must be at least 2, got {n}")
    xx, yy = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    return Grid2D(xx, yy)


def grid_around(X: Any, resolution: int = 200, margin: float = 0.15) -> Grid2D:
    """A square-cell grid covering the 2-D data ``X`` with a margin (a fraction of its span)."""
    X = as_real_array(X, "X")
    if X.ndim != 2 or X.shape[1] != 2 or X.shape[0] == 0:
        raise ValueError(f"X must be a non-empty array of 2-D points, shape (n, 2), got {X.shape}")
    low, high = X.min(axis=0), X.max(axis=0)
    pad = margin * float(np.max(high - low) or 1.0)
    return grid_2d((low[0] - pad, high[0] + pad), (low[1] - pad, high[1] + pad), resolution)


def predicted_classes(layers: Any, points: Any) -> np.ndarray:
    """The class (argmax of the logits) a ReLU network predicts at each point."""
    return np.argmax(relu_network(layers, points), axis=1)


def _check_labels(X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    X = as_real_array(X, "X")
    y = np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must hold 2-D points, shape (n, 2), got {X.shape}")
    if y.shape != (X.shape[0],) or y.dtype.kind not in "iu":
        raise ValueError(f"y must be integer labels, one per row of X; got shape {y.shape}, dtype {y.dtype}")
    return X, y


def draw_data(ax: Axes, X: Any, y: Any) -> None:
    """Scatter the points, one colour and marker per class."""
    X, y = _check_labels(X, y)
    for c in np.unique(y):
        k = int(c) % len(CLASS_COLOURS)
        ax.scatter(*X[y == c].T, s=12, color=CLASS_COLOURS[k], marker=CLASS_MARKERS[k],
                   edgecolor=PALETTE["ink"], linewidth=0.3, label=f"class {int(c)}")


def draw_decision_regions(ax: Axes, layers: Any, X: Any, y: Any, grid: Grid2D | None = None) -> float:
    """Shade the predicted class over a grid, draw the boundary and the data; return the accuracy on X."""
    layers = check_layers(layers)
    X, y = _check_labels(X, y)
    grid = grid if grid is not None else grid_around(X)
    if not isinstance(grid, Grid2D):
        raise TypeError(f"grid must be a Grid2D (from grid_2d), got {type(grid).__name__}")
    n_classes = layers[-1][0].shape[1]
    classes = predicted_classes(layers, grid.points).reshape(grid.xx.shape)
    colours = [CLASS_COLOURS[k % len(CLASS_COLOURS)] for k in range(n_classes)]
    ax.imshow(classes, origin="lower", extent=grid.extent, cmap=ListedColormap(colours),
              vmin=-0.5, vmax=n_classes - 0.5, alpha=0.25, interpolation="nearest", aspect="auto")
    ax.contour(grid.xx, grid.yy, classes, levels=np.arange(n_classes - 1) + 0.5,
               colors=PALETTE["ink"], linewidths=1.2)
    draw_data(ax, X, y)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.grid(False)
    return float(np.mean(predicted_classes(layers, X) == y))


def region_edges(ids: Any) -> np.ndarray:
    """Boolean mask of the grid cells whose right or upper neighbour has another region id."""
    try:
        ids = np.asarray(ids)
    except ValueError:
        raise ValueError("ids must be a 2-D integer array (one region id per grid cell), got a ragged sequence") from None
    if ids.ndim != 2 or ids.dtype.kind not in "iu":
        raise ValueError(f"ids must be a 2-D integer array (one region id per grid cell), got "
                         f"shape {ids.shape}, dtype {ids.dtype}")
    edges = np.zeros(ids.shape, dtype=bool)
    edges[:, :-1] |= ids[:, 1:] != ids[:, :-1]
    edges[:-1, :] |= ids[1:, :] != ids[:-1, :]
    return edges


def draw_activation_regions(ax: Axes, layers: Any, grid: Grid2D) -> int:
    """Draw the linear regions a ReLU network shows on ``grid``; return how many there are.

    Each region is shaded by how many hidden units are active in it (a colour-blind-safe
    sequential map) and outlined in black; the network's decision boundary is drawn on top.
    """
    layers = check_layers(layers)
    if not isinstance(grid, Grid2D):
        raise TypeError(f"grid must be a Grid2D (from grid_2d), got {type(grid).__name__}")
    patterns = activation_patterns(layers, grid.points)
    ids = pattern_ids(patterns).reshape(grid.xx.shape)
    active = patterns.sum(axis=1).reshape(grid.xx.shape)
    image = ax.imshow(active, origin="lower", extent=grid.extent, cmap="cividis", alpha=0.9,
                      interpolation="nearest", aspect="auto")
    edges = np.ma.masked_where(~region_edges(ids), np.ones(ids.shape))
    ax.imshow(edges, origin="lower", extent=grid.extent, cmap=ListedColormap([PALETTE["ink"]]),
              interpolation="nearest", aspect="auto")
    n_classes = layers[-1][0].shape[1]
    classes = predicted_classes(layers, grid.points).reshape(grid.xx.shape)
    ax.contour(grid.xx, grid.yy, classes, levels=np.arange(n_classes - 1) + 0.5,
               colors=PALETTE["accent"], linewidths=2.0)
    ax.figure.colorbar(image, ax=ax, label="active hidden units", shrink=0.85)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.grid(False)
    return int(ids.max()) + 1
