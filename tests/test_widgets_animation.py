"""Offline animations (relu_course.widgets.animation): nothing fetched, accessible, one frame per value."""
import re

import pytest

from relu_course.widgets.animation import BUTTON_SYMBOLS, panel_animation
from relu_course.widgets.regions import regions_animation


def _draw(ax, value):
    ax.plot([0, 1], [0, value])


def test_the_player_fetches_nothing_and_has_one_frame_per_value():
    page = panel_animation(_draw, [1, 2, 3], alt="a line getting steeper", slider_label="slope")
    assert "http" not in page and "<link" not in page and "fa fa-" not in page
    assert len(re.findall(r"data:image/png;base64", page)) == 3
    assert re.search(r'<img id="_anim_img\w+" alt="a line getting steeper"', page)
    assert re.search(r'<input id="_anim_slider\w+" type="range" aria-label="slope"', page)


def test_every_button_gets_a_character_for_its_icon():
    page = panel_animation(_draw, [1, 2], alt="a", slider_label="s")
    symbols = re.findall(r'<span aria-hidden="true">([^<]*)</span>', page)
    assert len(symbols) == 9 and "?" not in symbols
    assert set(symbols) <= set(BUTTON_SYMBOLS.values())


@pytest.mark.parametrize("kwargs, error, name", [
    ({"draw": None}, TypeError, "draw"),
    ({"values": [1]}, ValueError, "values"),
    ({"values": "ab"}, ValueError, "values"),
    ({"alt": " "}, ValueError, "alt"),
    ({"slider_label": None}, ValueError, "slider_label"),
    ({"fps": 0}, ValueError, "fps"),
])
def test_bad_arguments_name_themselves(kwargs, error, name):
    arguments = {"draw": _draw, "values": [1, 2], "alt": "a", "slider_label": "s", **kwargs}
    with pytest.raises(error, match=name):
        panel_animation(**arguments)


def test_the_regions_animation_describes_its_frames():
    page = regions_animation([1, 4], depth=1, seed=0).data
    assert len(re.findall(r"data:image/png;base64", page)) == 2
    assert "grows from 1 to 4 units" in page
    with pytest.raises(ValueError, match="widths"):
        regions_animation([0, 4])
    with pytest.raises(ValueError, match="depth"):
        regions_animation([1, 4], depth=9)
