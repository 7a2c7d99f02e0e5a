"""The architecture explorer of chapter 9, driven over every architecture of a census made of small
hand-written records (no model is built here), checking what each marker shows."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

from relu_course.architecture_census import Census, Site
from relu_course.widgets import census as cw


def site(index, kind, role="hidden"):
    return Site(index, f"layer_{index}", "Activation", kind, f"Activation({kind!r})", role)


def fake_censuses():
    """Three small architectures: a plain ReLU net, a switching one with SE branches, an unknown kind."""
    return {
        "plain": Census("plain", 10, (site(1, "relu"), site(4, "relu"), site(7, "relu"), site(9, "softmax", "head"))),
        "switching": Census("switching", 20, (
            site(1, "hard_silu"), site(3, "relu"), site(5, "relu", "squeeze"), site(6, "hard_sigmoid", "gate"),
            site(8, "relu"), site(11, "hard_silu"), site(12, "relu", "squeeze"), site(13, "hard_sigmoid", "gate"),
            site(15, "hard_silu"), site(19, "softmax", "head"))),
        "odd": Census("odd", 8, (site(2, "mystery"), site(5, "other_mystery"), site(7, "softmax", "head"))),
    }


def markers(fig):
    """gid -> (x positions, y positions) of every scatter of a figure."""
    out = {}
    for ax in fig.axes:
        for coll in ax.collections:
            if coll.get_gid():
                xy = np.asarray(coll.get_offsets())
                out[coll.get_gid()] = (xy[:, 0], xy[:, 1])
    return out


@pytest.mark.parametrize("name", list(fake_censuses()))
def test_panel_draws_every_site_at_its_depth_in_its_lane(name):
    censuses = fake_censuses()
    census = censuses[name]
    fig = cw.census_panel(censuses, name)
    drawn = markers(fig)
    lane_of = {role: row for row, (_, roles) in enumerate(cw.LANES) for role in roles}
    lane_name = {role: lane for lane, roles in cw.LANES for role in roles}
    expected = {}
    for s in census.sites:
        key = f"{name}|{lane_name[s.role]}|{s.kind}"
        expected.setdefault(key, ([], []))
        expected[key][0].append(s.index / census.n_layers)
        expected[key][1].append(lane_of[s.role])
    assert set(drawn) == set(expected)
    for key, (x, y) in expected.items():
        np.testing.assert_allclose(drawn[key][0], x)
        np.testing.assert_allclose(drawn[key][1], y)
    assert name in fig.axes[0].get_title()
    plt.close(fig)


def test_switch_point_is_marked_where_the_last_kind_takes_over():
    censuses = fake_censuses()
    fig = cw.census_panel(censuses, "switching")
    lines = [line for line in fig.axes[0].lines if line.get_gid() == "takeover"]
    assert len(lines) == 1
    # hidden kinds: h-swish(1), relu(3), relu(8), h-swish(11), h-swish(15): the final run starts at 11
    np.testing.assert_allclose(lines[0].get_xdata(), [11 / 20, 11 / 20])
    plain = cw.census_panel(censuses, "plain")
    assert not [line for line in plain.axes[0].lines if line.get_gid() == "takeover"]
    plt.close("all")


def test_every_kind_has_its_own_colour_and_marker():
    styles = list(cw.KIND_STYLES.values())
    assert len(set(styles)) == len(styles)
    assert len({marker for _, marker in styles}) == len(styles)   # shapes alone tell kinds apart
    seen = ["relu", "mystery", "other_mystery"]
    assert cw.kind_style("mystery", seen) != cw.kind_style("other_mystery", seen)
    assert cw.kind_style("relu", seen) == cw.KIND_STYLES["relu"]


def test_legend_lists_each_kind_once_with_its_marker():
    fig = cw.census_small_multiples(fake_censuses())
    legend = fig.legends[0]
    labels = [t.get_text() for t in legend.get_texts()]
    assert len(labels) == len(set(labels))
    assert set(labels) == {"ReLU", "softmax", "h-swish", "hard sigmoid", "mystery", "other_mystery"}
    shapes = [h.get_marker() for h in legend.legend_handles]
    assert len(set(shapes)) == len(shapes)
    plt.close(fig)


def test_small_multiples_one_row_per_architecture_se_below():
    censuses = fake_censuses()
    fig = cw.census_small_multiples(censuses)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == list(censuses)
    drawn = markers(fig)
    for row, (name, census) in enumerate(censuses.items()):
        for s in census.sites:
            part = "se" if s.role in ("squeeze", "gate") else "main"
            x, y = drawn[f"{name}|{part}|{s.kind}"]
            at = np.isclose(x, s.index / census.n_layers)
            assert at.sum() == 1
            assert y[at][0] == pytest.approx(row + (cw.SE_OFFSET if part == "se" else 0.0))
    total = sum(len(x) for x, _ in drawn.values())
    assert total == sum(len(c.sites) for c in censuses.values())
    sub = cw.census_small_multiples(censuses, ["odd"])
    assert [t.get_text() for t in sub.axes[0].get_yticklabels()] == ["odd"]
    plt.close("all")


@pytest.mark.parametrize("call, error, word", [
    (lambda: cw.census_panel({}, "x"), TypeError, "censuses"),
    (lambda: cw.census_panel({"a": 1}, "a"), TypeError, "Census"),
    (lambda: cw.census_panel(fake_censuses(), "nope"), ValueError, "architecture"),
    (lambda: cw.census_small_multiples(fake_censuses(), []), ValueError, "empty"),
    (lambda: cw.census_small_multiples(fake_censuses(), ["nope"]), ValueError, "architecture"),
])
def test_bad_arguments_are_named(call, error, word):
    with pytest.raises(error, match=word):
        call()


def test_live_explorer_offers_every_architecture():
    pytest.importorskip("ipywidgets")
    explorer = cw.census_explorer(fake_censuses())
    menu = explorer.children[0]
    assert list(menu.options) == list(fake_censuses())
    plt.close("all")
