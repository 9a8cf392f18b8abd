"""The visual-confusion pictures: what each statement relies on is true of the pixels."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import ndimage

from pytest_multitrust.data.illusions import (
    CENTRE_ORANGE,
    GLASS_DIVISOR,
    GLASS_WEIGHT,
    STYLES_BY_SUBSET,
    WATER_DIVISOR,
    WATER_WEIGHT,
    Illusion,
    IllusionStyle,
    draw_illusion,
)

SIZE = 336
seeds = st.integers(min_value=0, max_value=2**32 - 1)
ALL_STYLES: list[IllusionStyle] = [style for styles in STYLES_BY_SUBSET.values() for style in styles]


def _draw(style: IllusionStyle, seed: int) -> tuple[Illusion, np.ndarray]:
    illusion = draw_illusion(style, random.Random(seed), SIZE)
    return illusion, np.asarray(illusion.image).astype(int)


def _region(pixels: np.ndarray, box: list[int]) -> np.ndarray:
    return pixels[box[1] : box[3], box[0] : box[2]]


def _uniform_value(region: np.ndarray) -> tuple[int, int, int]:
    values = np.unique(region.reshape(-1, 3), axis=0)
    assert len(values) == 1, f"region is not one colour: {values[:5]}"
    return (int(values[0][0]), int(values[0][1]), int(values[0][2]))


@settings(max_examples=25, deadline=None)
@given(seed=seeds)
def test_simultaneous_contrast_squares_are_identical_on_different_backgrounds(seed: int) -> None:
    illusion, pixels = _draw("simultaneous-contrast", seed)
    left, right = illusion.facts["patches"]
    assert (
        _uniform_value(_region(pixels, left)) == _uniform_value(_region(pixels, right)) == (illusion.facts["grey"],) * 3
    )
    assert left[2] - left[0] == right[2] - right[0] >= 40
    for box, side in ((left, "left"), (right, "right")):
        beside = int(pixels[box[1], box[0] - 5, 0])  # the background just left of the square
        if side == illusion.facts["dark_side"]:
            assert beside < illusion.facts["grey"] - 50
        else:
            assert beside > illusion.facts["grey"] + 50


@settings(max_examples=25, deadline=None)
@given(seed=seeds)
def test_checker_shadow_tiles_a_and_b_have_one_value_though_a_is_a_light_tile(seed: int) -> None:
    illusion, pixels = _draw("checker-shadow", seed)
    facts = illusion.facts
    patch_a, patch_b = facts["patches"]
    value = _uniform_value(_region(pixels, patch_a))
    assert value == _uniform_value(_region(pixels, patch_b)) == (facts["dark"],) * 3
    tile_a, tile_b = facts["tiles"]
    tile = tile_a[2] - tile_a[0]
    # B is an unshaded dark tile (its value is the board's dark value); A sits an odd number of tiles away,
    # so it is a light tile of the board, and unshaded light tiles are much lighter than A.
    assert ((tile_b[0] - tile_a[0]) // tile + (tile_b[1] - tile_a[1]) // tile) % 2 == 1
    assert facts["light"] - facts["dark"] >= 80 and np.any(np.all(pixels == facts["light"], axis=-1))
    for patch, tile_box in zip(facts["patches"], facts["tiles"], strict=True):
        assert tile_box[0] < patch[0] < patch[2] <= tile_box[2] and tile_box[1] < patch[1] < patch[3] <= tile_box[3]


@settings(max_examples=25, deadline=None)
@given(seed=seeds)
def test_size_contrast_centre_discs_are_pixel_identical_and_only_the_rings_differ(seed: int) -> None:
    illusion, pixels = _draw("size-contrast", seed)
    orange = np.all(pixels == CENTRE_ORANGE, axis=-1)
    left, right = (_region(orange[..., None], box)[..., 0] for box in illusion.facts["boxes"])
    assert left.sum() > 400 and np.array_equal(left, right)
    assert orange.sum() == 2 * left.sum()  # no other orange in the picture
    ring = np.any(pixels != pixels[0, 0], axis=-1) & ~orange
    labels, _ = ndimage.label(ring)
    area = {side: np.bincount(labels[:, half].ravel())[1:] for side, half in
            (("left", slice(0, SIZE // 2)), ("right", slice(SIZE // 2, SIZE)))}  # fmt: skip
    big, small = illusion.facts["big_side"], illusion.facts["small_side"]
    assert area[big][area[big] > 0].min() > 3 * area[small][area[small] > 0].max()


@settings(max_examples=25, deadline=None)
@given(seed=seeds)
def test_water_reflection_rows_are_the_tinted_upside_down_rows_above(seed: int) -> None:
    illusion, pixels = _draw("water-reflection", seed)
    waterline, water = illusion.facts["waterline"], np.asarray(illusion.facts["water"])
    above = pixels[2 * waterline - SIZE : waterline][::-1]
    assert np.array_equal(pixels[waterline:], (WATER_WEIGHT * above + water) // WATER_DIVISOR)
    assert illusion.facts["count"] in (2, 3) and len(illusion.facts["boxes"]) == illusion.facts["count"]
    for box in illusion.facts["boxes"]:  # each object stands wholly above the water, so it is reflected whole
        assert 2 * waterline - SIZE <= box[1] < box[3] <= waterline


@settings(max_examples=25, deadline=None)
@given(seed=seeds)
def test_side_mirror_glass_is_the_tinted_left_right_copy_of_the_object(seed: int) -> None:
    illusion, pixels = _draw("side-mirror", seed)
    facts = illusion.facts
    source, glass = _region(pixels, facts["source"]), _region(pixels, facts["glass"])
    tint = np.asarray(facts["tint"])
    assert np.array_equal(glass, (GLASS_WEIGHT * source[:, ::-1] + tint) // GLASS_DIVISOR)
    assert not np.array_equal(glass, (GLASS_WEIGHT * source + tint) // GLASS_DIVISOR)  # a real flip, visibly
    mirror_x = (facts["glass"][0] + facts["glass"][2]) / 2
    assert (mirror_x > SIZE / 2) == (facts["mirror_side"] == "right") != (facts["object_side"] == "right")


@settings(max_examples=25, deadline=None)
@given(seed=seeds)
def test_poggendorff_segments_lie_on_one_straight_line(seed: int) -> None:
    illusion, pixels = _draw("poggendorff", seed)
    bar = illusion.facts["bar"]
    ys, xs = np.nonzero(np.all(pixels == illusion.facts["line_colour"], axis=-1))
    left, right = xs < bar[0], xs >= bar[2]
    assert not np.any((xs >= bar[0]) & (xs < bar[2]))  # the bar hides the middle
    assert left.sum() > 150 and right.sum() > 150
    slope, intercept = np.polyfit(xs[left], ys[left], 1)
    predicted = slope * xs[right] + intercept
    assert abs(float(np.mean(ys[right] - predicted))) < 1.0  # the right part continues the left one
    assert abs(slope) > 0.4


@settings(max_examples=25, deadline=None)
@given(seed=seeds)
def test_sliced_object_is_the_original_with_one_strip_shifted(seed: int) -> None:
    illusion, pixels = _draw("sliced-object", seed)
    assert illusion.original is not None
    original = np.asarray(illusion.original).astype(int)
    top, bottom = illusion.facts["band"]
    shift, background = illusion.facts["shift"], illusion.facts["background"]
    assert np.array_equal(pixels[:top], original[:top]) and np.array_equal(pixels[bottom:], original[bottom:])
    expected = np.empty_like(original[top:bottom])
    expected[:] = background
    if shift > 0:
        expected[:, shift:] = original[top:bottom, :-shift]
    else:
        expected[:, :shift] = original[top:bottom, -shift:]
    assert np.array_equal(pixels[top:bottom], expected)
    assert illusion.facts["direction"] == ("right" if shift > 0 else "left") and abs(shift) >= 20
    assert not np.array_equal(pixels[top:bottom], original[top:bottom])  # the strip holds part of the object


@pytest.mark.parametrize("style", ALL_STYLES)
def test_drawing_is_deterministic_per_seed(style: IllusionStyle) -> None:
    first, again, other = (draw_illusion(style, random.Random(seed), SIZE) for seed in (7, 7, 8))
    assert first.image.tobytes() == again.image.tobytes() and first.facts == again.facts
    assert first.image.tobytes() != other.image.tobytes()
    assert first.image.size == (SIZE, SIZE) and first.style == style


def test_unknown_style_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown illusion style 'kanizsa'"):
        draw_illusion("kanizsa", random.Random(0))  # type: ignore[arg-type]
