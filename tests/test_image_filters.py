"""Edge filters on the bundled photograph: conversions checked against definitions, feature maps
against an explicit loop, the "strong responses removed" share against a count by hand."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

from relu_course import image_filters as filters
from relu_course.activations import relu

small_images = arrays(np.float64, st.tuples(st.integers(3, 9), st.integers(3, 9)),
                      elements=st.floats(-10, 10, allow_nan=False))


def correlate_by_loop(image, kernel):
    """Cross-correlation over the positions where the kernel fits, written out from its definition."""
    kh, kw = kernel.shape
    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i:i + kh, j:j + kw] * kernel)
    return out


# --- greyscale and downsampling --------------------------------------------------------------

def test_greyscale_uses_the_luma_weights():
    rgb = np.zeros((2, 2, 3))
    rgb[0, 0] = [1, 0, 0]
    rgb[0, 1] = [0, 1, 0]
    rgb[1, 0] = [0, 0, 1]
    rgb[1, 1] = [255, 255, 255]
    grey = filters.to_greyscale(rgb)
    np.testing.assert_allclose(grey, [[0.299, 0.587], [0.114, 255.0]])
    assert filters.LUMA_WEIGHTS.sum() == pytest.approx(1.0)


@pytest.mark.parametrize("bad, error", [(np.zeros((4, 4)), ValueError), (np.zeros((4, 4, 4)), ValueError),
                                        ("photo", TypeError), (None, TypeError)])
def test_greyscale_validates(bad, error):
    with pytest.raises(error, match="rgb"):
        filters.to_greyscale(bad)


def test_downsample_averages_blocks_and_drops_the_remainder():
    image = np.arange(35, dtype=float).reshape(5, 7)
    out = filters.downsample(image, 2)
    assert out.shape == (2, 3)
    assert out[0, 0] == np.mean([0, 1, 7, 8])
    assert out[1, 2] == np.mean([18, 19, 25, 26])
    np.testing.assert_array_equal(filters.downsample(image, 1), image)


@given(small_images, st.integers(1, 3))
def test_downsample_keeps_the_mean_of_the_kept_part(image, factor):
    out = filters.downsample(image, factor)
    h, w = out.shape
    kept = image[:h * factor, :w * factor]
    assert out.mean() == pytest.approx(kept.mean(), abs=1e-9)


@pytest.mark.parametrize("image, factor, error, match", [
    (np.zeros((4, 4)), 0, ValueError, "factor"), (np.zeros((4, 4)), 2.0, TypeError, "factor"),
    (np.zeros((4, 4)), 5, ValueError, "factor"), (np.zeros(4), 2, ValueError, "image"),
])
def test_downsample_validates(image, factor, error, match):
    with pytest.raises(error, match=match):
        filters.downsample(image, factor)


# --- the photograph ---------------------------------------------------------------------------

def test_load_photo_is_a_shrunk_greyscale_image_in_unit_range():
    from sklearn.datasets import load_sample_image

    rgb = load_sample_image("china.jpg")
    photo = filters.load_photo("china.jpg", factor=4)
    assert photo.shape == (rgb.shape[0] // 4, rgb.shape[1] // 4)
    assert 0.0 <= photo.min() and photo.max() <= 1.0 and photo.std() > 0.05
    block = rgb[:4, :4].astype(float) @ filters.LUMA_WEIGHTS / 255.0
    assert photo[0, 0] == pytest.approx(block.mean())
    assert filters.load_photo("flower.jpg", factor=8).shape == (rgb.shape[0] // 8, rgb.shape[1] // 8)


@pytest.mark.parametrize("name, factor, error", [("lena.png", 4, ValueError), (3, 4, ValueError),
                                                 ("china.jpg", 0, ValueError)])
def test_load_photo_validates(name, factor, error):
    with pytest.raises(error, match="name|factor"):
        filters.load_photo(name, factor)


# --- kernels and feature maps ----------------------------------------------------------------

def test_kernels_are_read_only_and_respond_to_their_edge():
    for kernel in filters.KERNELS.values():
        assert kernel.shape == (3, 3) and kernel.sum() == 0  # no response to a flat image
        with pytest.raises(ValueError):
            kernel[0, 0] = 5.0
    ramp_right = np.tile(np.arange(6.0), (6, 1))           # brighter to the right
    ramp_down = ramp_right.T                                 # brighter downwards
    assert np.all(filters.feature_map(ramp_right, filters.KERNELS["Sobel x"]) == 8.0)
    assert np.all(filters.feature_map(ramp_right, filters.KERNELS["Sobel y"]) == 0.0)
    assert np.all(filters.feature_map(ramp_down, filters.KERNELS["Sobel y"]) == 8.0)
    dark_dot = np.ones((3, 3))
    dark_dot[1, 1] = 0.0
    assert filters.feature_map(dark_dot, filters.KERNELS["Laplacian"])[0, 0] == 4.0


@settings(max_examples=50)
@given(small_images, arrays(np.float64, st.tuples(st.integers(1, 3), st.integers(1, 3)),
                            elements=st.floats(-3, 3, allow_nan=False)))
def test_feature_map_equals_the_loop_definition(image, kernel):
    np.testing.assert_allclose(filters.feature_map(image, kernel), correlate_by_loop(image, kernel),
                               atol=1e-9)


def test_feature_map_is_a_correlation_not_a_convolution():
    image = np.tile(np.arange(5.0), (5, 1))
    flipped = filters.KERNELS["Sobel x"][:, ::-1]
    assert np.all(filters.feature_map(image, flipped) == -8.0)


@pytest.mark.parametrize("image, kernel, error, match", [
    (np.zeros((2, 2)), np.zeros((3, 3)), ValueError, "does not fit"),
    (np.zeros(5), np.zeros((3, 3)), ValueError, "image"),
    (np.zeros((5, 5)), np.zeros(3), ValueError, "kernel"),
    (np.full((5, 5), np.nan), np.zeros((3, 3)), ValueError, "finite"),
    ("image", np.zeros((3, 3)), TypeError, "image"),
])
def test_feature_map_validates(image, kernel, error, match):
    with pytest.raises(error, match=match):
        filters.feature_map(image, kernel)


def test_feature_maps_one_per_kernel():
    image = np.random.default_rng(0).random((10, 12))
    maps = filters.feature_maps(image)
    assert list(maps) == list(filters.KERNELS)
    for name, m in maps.items():
        np.testing.assert_allclose(m, correlate_by_loop(image, filters.KERNELS[name]), atol=1e-12)
    with pytest.raises(TypeError, match="kernels"):
        filters.feature_maps(image, {})


# --- what ReLU removes -----------------------------------------------------------------------

def test_strong_responses_removed_counts_by_magnitude_then_sign():
    response = np.array([-10.0, 9.0, -8.0, 0.5, -0.1, 0.2, 0.0, 1.0, -1.0, 7.0])
    # the 40 % strongest by |value|: -10, 9, -8, 7 -> two of them negative
    assert filters.strong_responses_removed(response, top=0.4) == 0.5
    assert filters.strong_responses_removed(response, top=0.1) == 1.0       # only -10
    assert filters.strong_responses_removed(response, top=1.0) == np.mean(relu(response) == 0)
    assert filters.strong_responses_removed(np.array([[3.0, -1.0]]), top=0.01) == 0.0  # at least one


@given(arrays(np.float64, st.integers(1, 60), elements=st.floats(-5, 5, allow_nan=False)))
def test_strong_responses_removed_is_a_share(values):
    share = filters.strong_responses_removed(values, top=0.3)
    assert 0.0 <= share <= 1.0
    assert filters.strong_responses_removed(-values, top=1.0) == pytest.approx(np.mean(-values <= 0))


@pytest.mark.parametrize("response, top, error", [(np.ones(3), 0.0, ValueError), (np.ones(3), 1.5, ValueError),
                                                  (np.array([]), 0.5, ValueError),
                                                  (np.array([np.inf]), 0.5, ValueError),
                                                  (np.ones(3), "all", TypeError)])
def test_strong_responses_removed_validates(response, top, error):
    with pytest.raises(error, match="top|response"):
        filters.strong_responses_removed(response, top)


def test_feature_grid_titles_report_the_share_of_zeros():
    image = filters.load_photo("china.jpg", factor=8)
    fig = filters.plot_feature_grid(image)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    maps = filters.feature_maps(image)
    expected = ["photograph (grey levels)", *maps]
    expected += [f"after ReLU: {100 * np.mean(relu(r) == 0):.0f} % zeros" for r in maps.values()]
    assert titles == expected
