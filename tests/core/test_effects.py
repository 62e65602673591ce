"""Effects are pure functions of (inputs, t) returning a frame of exactly the output shape."""

from __future__ import annotations

import numpy as np
import pytest

from pdf2video.core import sample_art
from pdf2video.core.effects import (
    MOTIONS,
    TRANSITIONS,
    blend,
    blur_fill,
    contain,
    cover,
    focal_point,
    ken_burns,
    pan,
    vignette,
)

SIZE = (320, 180)


@pytest.fixture(scope="module")
def photo():
    return sample_art.photo(640, 420, seed=3)


@pytest.mark.parametrize("name", sorted(MOTIONS))
@pytest.mark.parametrize("t", [0.0, 1.3, 4.0])
def test_every_motion_returns_an_output_sized_uint8_frame(photo, name, t):
    frame = MOTIONS[name](photo, SIZE, t, 4.0)
    assert frame.shape == (180, 320, 3)
    assert frame.dtype == np.uint8
    assert 20 < frame.mean() < 240


@pytest.mark.parametrize("name", sorted(TRANSITIONS))
def test_every_transition_goes_from_a_to_b(name):
    a = np.full((180, 320, 3), 30, np.uint8)
    b = np.full((180, 320, 3), 220, np.uint8)
    start, middle, end = (TRANSITIONS[name](a, b, p) for p in (0.0, 0.5, 1.0))
    for frame in (start, middle, end):
        assert frame.shape == a.shape and frame.dtype == np.uint8
    assert abs(float(start.mean()) - 30) < 2
    assert abs(float(end.mean()) - 220) < 2


def test_ken_burns_zooms_in_towards_the_focus(photo):
    first = ken_burns(photo, SIZE, 0.0, 5.0, focus=(0.8, 0.3))
    last = ken_burns(photo, SIZE, 5.0, 5.0, focus=(0.8, 0.3))
    assert np.abs(first.astype(int) - last.astype(int)).mean() > 5
    assert (
        np.array_equal(first, cover(photo, SIZE))
        or np.abs(first.astype(int) - cover(photo, SIZE).astype(int)).mean() < 3
    )


def test_pan_travels_sideways(photo):
    left = pan(photo, SIZE, 0.0, 4.0, direction="left")
    right = pan(photo, SIZE, 4.0, 4.0, direction="left")
    # the picture moved: the right edge at the end shows what was not in view at the start
    assert np.abs(left.astype(int) - right.astype(int)).mean() > 5


def test_blur_fill_shows_a_tall_image_whole_on_a_blurred_ground():
    tall = sample_art.photo(200, 600, seed=5)
    frame = blur_fill(tall, SIZE)
    assert frame.shape == (180, 320, 3)
    fitted = contain(tall, SIZE)
    x = (320 - fitted.shape[1]) // 2
    assert np.array_equal(frame[:, x : x + fitted.shape[1]], fitted)
    assert frame[:, :10].std() < frame[:, x : x + fitted.shape[1]].std()


def test_contain_never_crops():
    wide = sample_art.table(900, 200)
    fitted = contain(wide, SIZE)
    assert fitted.shape[1] == 320 and fitted.shape[0] <= 180


def test_vignette_darkens_corners_more_than_the_centre():
    flat = np.full((180, 320, 3), 200, np.uint8)
    out = vignette(flat, 0.5)
    assert out[0, 0].mean() < out[90, 160].mean() - 40


def test_blend_composites_a_layer_and_clips_at_the_edges():
    frame = np.zeros((100, 100, 3), np.uint8)
    layer = np.zeros((40, 40, 4), np.uint8)
    layer[:, :] = (255, 255, 255, 128)
    blend(frame, layer, 80, 80)
    assert 120 < frame[90, 90, 0] < 135
    assert frame[70, 70, 0] == 0


def test_focal_point_finds_the_busy_part_of_a_plain_picture():
    image = np.full((300, 400, 3), 120, np.uint8)
    rng = np.random.default_rng(1)
    image[40:120, 260:380] = rng.integers(0, 255, (80, 120, 3))
    fx, fy = focal_point(image)
    assert fx > 0.55 and fy < 0.45
