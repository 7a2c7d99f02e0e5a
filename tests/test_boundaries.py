"""2-D grid pictures: the grid, predicted classes, decision regions and linear-region maps."""
import numpy as np
import pytest

from relu_course.boundaries import (Grid2D, draw_activation_regions, draw_data, draw_decision_regions,
                                    grid_2d, grid_around, predicted_classes, region_edges)
from relu_course.linear_regions import activation_patterns, count_patterns
from relu_course.style import figure

# Logits (x1, -x1): class 0 right of the x2 axis, class 1 left of it.
SPLIT_X1 = [(np.array([[1.0, -1.0], [0.0, 0.0]]), np.zeros(2))]
# Hidden units relu(x1), relu(x2): four quadrants, four regions.
QUADRANTS = [(np.eye(2), np.zeros(2)), (np.array([[1.0, 0.0], [0.0, 1.0]]), np.zeros(2))]


def test_grid_covers_the_rectangle_row_by_row():
    grid = grid_2d((-1.0, 2.0), (0.0, 1.0), resolution=4)
    assert isinstance(grid, Grid2D) and grid.xx.shape == grid.yy.shape == (4, 4)
    assert grid.extent == (-1.0, 2.0, 0.0, 1.0)
    assert grid.points.shape == (16, 2)
    assert grid.points[1].tolist() == [0.0, 0.0] and grid.points[4].tolist() == [-1.0, 1 / 3]


@pytest.mark.parametrize("xlim, ylim, resolution, error, word", [
    ((1.0, 0.0), (0, 1), 10, ValueError, "xlim"), ((0, 1), (0, np.inf), 10, ValueError, "ylim"),
    ((0, 1, 2), (0, 1), 10, ValueError, "xlim"), ((0, 1), (0, 1), 1, ValueError, "resolution"),
    ((0, 1), (0, 1), 2.5, TypeError, "resolution"), ("ab", (0, 1), 10, TypeError, "xlim")])
def test_bad_grids_are_rejected(xlim, ylim, resolution, error, word):
    with pytest.raises(error, match=word):
        grid_2d(xlim, ylim, resolution)


def test_grid_around_the_data_leaves_a_margin():
    X = np.array([[0.0, 0.0], [2.0, 1.0]])
    x0, x1, y0, y1 = grid_around(X, resolution=10, margin=0.1).extent
    assert (x0, x1, y0, y1) == pytest.approx((-0.2, 2.2, -0.2, 1.2))
    with pytest.raises(ValueError, match="X"):
        grid_around(np.ones((3, 3)))


def test_predicted_classes_follow_the_largest_logit():
    points = np.array([[1.0, 5.0], [-1.0, -5.0], [0.5, 0.0]])
    assert predicted_classes(SPLIT_X1, points).tolist() == [0, 1, 0]


def test_decision_regions_report_the_accuracy():
    X = np.array([[1.0, 0.0], [2.0, 1.0], [-1.0, 0.5], [-2.0, -1.0]])
    fig, ax = figure()
    assert draw_decision_regions(ax, SPLIT_X1, X, np.array([0, 0, 1, 1])) == 1.0
    assert draw_decision_regions(ax, SPLIT_X1, X, np.array([0, 1, 1, 1])) == 0.75
    assert len(ax.collections) >= 2  # the boundary and the points were drawn
    with pytest.raises(ValueError, match="y must"):
        draw_decision_regions(ax, SPLIT_X1, X, np.array([0.0, 1.0, 1.0, 0.0]))
    with pytest.raises(TypeError, match="grid"):
        draw_decision_regions(ax, SPLIT_X1, X, np.array([0, 0, 1, 1]), grid=(0, 1))


def test_data_are_drawn_one_series_per_class():
    fig, ax = figure()
    draw_data(ax, np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.0]]), np.array([0, 1, 1]))
    assert [len(c.get_offsets()) for c in ax.collections] == [1, 2]


def test_region_edges_on_a_hand_made_map():
    ids = np.array([[0, 0, 1], [0, 0, 1], [2, 2, 2]])
    assert region_edges(ids).tolist() == [[False, True, False], [True, True, True], [False, False, False]]
    with pytest.raises(ValueError, match="ids"):
        region_edges(np.zeros(3, dtype=int))


def test_the_quadrant_network_has_four_regions():
    grid = grid_2d((-1.0, 1.0), (-1.0, 1.0), resolution=51)
    fig, ax = figure()
    assert draw_activation_regions(ax, QUADRANTS, grid) == 4
    with pytest.raises(TypeError, match="grid"):
        draw_activation_regions(ax, QUADRANTS, "grid")


def test_region_count_agrees_with_counting_patterns():
    rng = np.random.default_rng(1)
    layers = [(rng.normal(size=(2, 6)), rng.normal(size=6)), (rng.normal(size=(6, 5)), rng.normal(size=5)),
              (rng.normal(size=(5, 2)), rng.normal(size=2))]
    grid = grid_2d((-2.0, 2.0), (-2.0, 2.0), resolution=120)
    fig, ax = figure()
    assert draw_activation_regions(ax, layers, grid) == count_patterns(activation_patterns(layers, grid.points))
