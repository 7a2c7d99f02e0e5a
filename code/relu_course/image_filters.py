"""Edge filters on a real photograph, and what ReLU keeps of their responses.

A convolutional layer slides small kernels over an image (as a cross-correlation) and passes each
response through its activation. This module does the same with three fixed 3x3 kernels (Sobel x,
Sobel y, Laplacian) on a photograph that ships with scikit-learn (``load_sample_image``: no
download), converted to greyscale and shrunk, so a chapter can show feature maps before and after
ReLU and count what ReLU sets to zero.
"""
from __future__ import annotations

from types import MappingProxyType
from typing import Any, Mapping

import numpy as np
from matplotlib.figure import Figure

from relu_course._validation import as_real_array, positive_int, real_scalar
from relu_course.activations import relu
from relu_course.style import PANEL_HEIGHT, PANEL_WIDTH, figure

SAMPLE_IMAGES = ("china.jpg", "flower.jpg")
#: ITU-R BT.601 luma weights for R, G, B: the usual greyscale conversion.
LUMA_WEIGHTS = np.array([0.299, 0.587, 0.114])


def _kernel(rows: list[list[float]]) -> np.ndarray:
    k = np.array(rows, dtype=np.float64)
    k.setflags(write=False)
    return k


#: The filters, as cross-correlation kernels (what a convolutional layer computes).
#: Sobel x responds to brightness rising from left to right, Sobel y from top to bottom; the
#: Laplacian responds to a pixel darker than its four neighbours (positive) or brighter (negative).
KERNELS: Mapping[str, np.ndarray] = MappingProxyType({
    "Sobel x": _kernel([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
    "Sobel y": _kernel([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]),
    "Laplacian": _kernel([[0, 1, 0], [1, -4, 1], [0, 1, 0]]),
})


def to_greyscale(rgb: Any) -> np.ndarray:
    """An (height, width, 3) colour image as (height, width) luma, on the input's scale."""
    image = as_real_array(rgb, "rgb")
    if image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(f"rgb must have shape (height, width, 3), got {image.shape}")
    return image.astype(np.float64) @ LUMA_WEIGHTS


def downsample(image: Any, factor: int) -> np.ndarray:
    """Shrink a 2-D image by averaging ``factor`` x ``factor`` blocks (rows and columns that do not
    fill a whole block are dropped)."""
    values = as_real_array(image, "image")
    factor = positive_int(factor, "factor")
    if values.ndim != 2:
        raise ValueError(f"image must be a 2-D array (height, width), got shape {values.shape}")
    height, width = values.shape[0] // factor, values.shape[1] // factor
    if height == 0 or width == 0:
        raise ValueError(f"factor {factor} is larger than the image ({values.shape})")
    blocks = values[:height * factor, :width * factor].reshape(height, factor, width, factor)
    return blocks.mean(axis=(1, 3))


def load_photo(name: str = "china.jpg", factor: int = 4) -> np.ndarray:
    """A scikit-learn sample photograph in greyscale, shrunk by ``factor``, scaled to [0, 1]."""
    if not isinstance(name, str) or name not in SAMPLE_IMAGES:
        raise ValueError(f"name must be one of {SAMPLE_IMAGES}, got {name!r}")
    factor = positive_int(factor, "factor")
    from sklearn.datasets import load_sample_image  # bundled with scikit-learn: no download

    return downsample(to_greyscale(load_sample_image(name)) / 255.0, factor)


def feature_map(image: Any, kernel: Any) -> np.ndarray:
    """The cross-correlation of ``image`` with ``kernel`` over the positions where the kernel fits
    entirely (``mode="valid"``), as a convolutional layer without padding computes it."""
    from scipy.signal import correlate2d

    values = as_real_array(image, "image")
    k = as_real_array(kernel, "kernel")
    if values.ndim != 2:
        raise ValueError(f"image must be a 2-D array (height, width), got shape {values.shape}")
    if k.ndim != 2 or k.size == 0:
        raise ValueError(f"kernel must be a non-empty 2-D array, got shape {k.shape}")
    if k.shape[0] > values.shape[0] or k.shape[1] > values.shape[1]:
        raise ValueError(f"kernel {k.shape} does not fit in image {values.shape}")
    if not (np.all(np.isfinite(values)) and np.all(np.isfinite(k))):
        raise ValueError("image and kernel must hold finite numbers only")
    return correlate2d(values.astype(np.float64), k.astype(np.float64), mode="valid")


def feature_maps(image: Any, kernels: Mapping[str, Any] = KERNELS) -> dict[str, np.ndarray]:
    """:func:`feature_map` for every named kernel."""
    if not isinstance(kernels, Mapping) or not kernels:
        raise TypeError("kernels must be a non-empty mapping of name -> 2-D kernel")
    return {name: feature_map(image, k) for name, k in kernels.items()}


def strong_responses_removed(response: Any, top: float = 0.05) -> float:
    """Of the ``top`` share of positions with the largest ``|response|``, the share that ReLU sets to 0.

    ReLU keeps a response by its sign, not its strength: a strong edge of the opposite direction
    is removed just like noise.
    """
    values = as_real_array(response, "response").ravel()
    top = real_scalar(top, "top", low=0.0, high=1.0)
    if top == 0:
        raise ValueError("top must be positive, got 0")
    if values.size == 0 or not np.all(np.isfinite(values)):
        raise ValueError("response must be a non-empty array of finite numbers")
    count = max(1, int(round(top * values.size)))
    strongest = values[np.argsort(-np.abs(values), kind="stable")[:count]]
    return float(np.mean(relu(strongest) == 0))


def _show(ax: Any, values: np.ndarray, cmap: str, low: float, high: float, title: str) -> Any:
    shown = ax.imshow(values, cmap=cmap, vmin=low, vmax=high, interpolation="nearest")
    ax.set_title(title, fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    return shown


def plot_feature_grid(image: Any, kernels: Mapping[str, Any] = KERNELS) -> Figure:
    """The photograph, each filter's response (top row: red > 0, blue < 0) and its ReLU (bottom row:
    dark = large, white = exactly 0), on one colour scale per row (clipped at the 99th percentile of
    all |responses|, so that a few extreme pixels do not wash out the rest). Each bottom panel's
    title gives its share of exact zeros."""
    values = as_real_array(image, "image")
    maps = feature_maps(values, kernels)
    limit = float(np.percentile(np.abs(np.concatenate([m.ravel() for m in maps.values()])), 99)) or 1.0
    fig, axes = figure(ncols=len(maps) + 1, nrows=2, width=PANEL_WIDTH * 0.5 * (len(maps) + 1),
                       height=PANEL_HEIGHT * 1.15)
    _show(axes[0, 0], values, "gray", 0.0, 1.0, "photograph (grey levels)")
    axes[1, 0].axis("off")
    for col, (name, response) in enumerate(maps.items(), start=1):
        signed = _show(axes[0, col], response, "RdBu_r", -limit, limit, f"{name}")
        rectified = relu(response)
        zeros = 100 * float(np.mean(rectified == 0))
        kept = _show(axes[1, col], rectified, "Greys", 0.0, limit, f"after ReLU: {zeros:.0f} % zeros")
    fig.colorbar(signed, ax=axes[0, 1:], shrink=0.85, label="response")
    fig.colorbar(kept, ax=axes[1, 1:], shrink=0.85, label="after ReLU")
    return fig
