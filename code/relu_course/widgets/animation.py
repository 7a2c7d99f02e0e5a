"""Explorers as offline animations: the same panel, drawn once per slider value, played in the page.

matplotlib's ``to_jshtml`` embeds every frame and a small player (play, step, a slider) in one HTML
fragment, so a reader of the static site can move through the values a live slider would offer, with no
kernel and nothing fetched. Three things of ``to_jshtml`` are changed: its stylesheet link to a CDN
(Font Awesome 4 for the buttons' icons) is dropped and the icons become plain characters, the image
gets alt text and the slider an accessible label.
"""
from __future__ import annotations

import html
import re
from typing import Any, Callable, Sequence

from matplotlib import animation
from matplotlib.axes import Axes

from relu_course.style import PANEL_HEIGHT, PANEL_WIDTH, figure

#: Resolution of the embedded frames: enough for a panel on screen, small enough to keep pages light.
FRAME_DPI = 60
#: Characters for the player's buttons (each button already has a title and an aria-label).
BUTTON_SYMBOLS = {"fa-minus": "\u2212", "fa-plus": "+", "fa-fast-backward": "\u00ab", "fa-step-backward": "\u2039",
                  "fa-play fa-flip-horizontal": "\u25c0", "fa-pause": "II", "fa-play": "\u25b6",
                  "fa-step-forward": "\u203a", "fa-fast-forward": "\u00bb"}
_ICON = re.compile(r"<i class=\"fa ([a-z -]+)\"></i>")
_STYLESHEET_LINK = re.compile(r"<link rel=\"stylesheet\"\s+href=\"[^\"]*\">\s*")


def offline_player(page: str, alt: str, slider_label: str) -> str:
    """``to_jshtml``'s output with nothing to fetch, icons as characters, alt text and a slider label."""
    page = _STYLESHEET_LINK.sub("", page)
    page = _ICON.sub(lambda m: f'<span aria-hidden="true">{BUTTON_SYMBOLS.get(m.group(1), "?")}</span>', page)
    page = re.sub(r"<img id=\"(_anim_img\w+)\"", lambda m: f'<img id="{m.group(1)}" alt="{html.escape(alt)}"',
                  page, count=1)
    return re.sub(r"<input id=\"(_anim_slider\w+)\" type=\"range\"",
                  lambda m: f'<input id="{m.group(1)}" type="range" aria-label="{html.escape(slider_label)}"',
                  page, count=1)


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    return value.strip()


def panel_animation(draw: Callable[[Axes, Any], Any], values: Sequence[Any], *, alt: str, slider_label: str,
                    width: float = PANEL_WIDTH * 1.5, height: float = PANEL_HEIGHT, fps: float = 2.0) -> str:
    """One frame per entry of ``values``: ``draw(ax, value)`` on a cleared axis; returns the player's HTML.

    ``alt`` describes what the frames show (the image's alt text); ``slider_label`` names what the
    slider moves through (its aria-label).
    """
    if not callable(draw):
        raise TypeError(f"draw must be a function draw(ax, value), got {type(draw).__name__}")
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) or len(values) < 2:
        raise ValueError(f"values must be a sequence of at least two slider values, got {values!r}")
    alt, slider_label = _text(alt, "alt"), _text(slider_label, "slider_label")
    if not isinstance(fps, (int, float)) or isinstance(fps, bool) or not 0 < fps <= 30:
        raise ValueError(f"fps must be a number in (0, 30], got {fps!r}")
    import matplotlib.pyplot as plt

    fig, ax = figure(width=width, height=height)
    fig.set_dpi(FRAME_DPI)

    def frame(value: Any) -> list[Any]:
        ax.clear()
        draw(ax, value)
        return []

    try:
        player = animation.FuncAnimation(fig, frame, frames=list(values), interval=1000 / fps, blit=False)
        page = player.to_jshtml(fps=fps, default_mode="once")
    finally:
        plt.close(fig)
    return offline_player(page, alt, slider_label)


def show_animation(draw: Callable[[Axes, Any], Any], values: Sequence[Any], **kwargs: Any) -> Any:
    """:func:`panel_animation` as an IPython display object, for a notebook cell."""
    from IPython.display import HTML

    return HTML(panel_animation(draw, values, **kwargs))
