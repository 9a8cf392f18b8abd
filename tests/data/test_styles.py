"""The R.1 style transforms: shape-preserving, deterministic, and each with its domain's visual signature."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from pytest_multitrust.data.pictograms import Pictogram
from pytest_multitrust.data.scenes import draw_pictogram_scene
from pytest_multitrust.data.styles import SKIN_TONES, STYLES, WEATHERS, Style, Weather, apply_style, weather


def _base(seed: int = 0, kind: Pictogram = "car") -> Image.Image:
    return draw_pictogram_scene(kind, random.Random(seed), 336)[0]


def _array(image: Image.Image) -> np.ndarray:
    return np.asarray(image).astype(np.int32)


@pytest.mark.parametrize("style", STYLES)
def test_style_keeps_size_changes_pixels_and_is_deterministic(style: Style) -> None:
    base = _base()
    first = apply_style(style, base, random.Random(5))
    again = apply_style(style, base, random.Random(5))
    other = apply_style(style, base, random.Random(6))
    assert first.size == base.size and first.mode == "RGB"
    assert np.array_equal(_array(first), _array(again))
    assert not np.array_equal(_array(first), _array(other))
    assert np.abs(_array(first) - _array(base)).mean() > 5


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), style=st.sampled_from(STYLES))
def test_style_never_depends_on_anything_but_the_rng(seed: int, style: Style) -> None:
    base = _base(seed % 7)
    assert np.array_equal(
        _array(apply_style(style, base, random.Random(seed))),
        _array(apply_style(style, base, random.Random(seed))),
    )


def test_sketch_is_grey_pencil_on_white() -> None:
    pixels = _array(apply_style("sketch", _base(), random.Random(1)))
    assert pixels.mean() > 200
    assert np.abs(pixels[..., 0] - pixels[..., 1]).max() <= 1  # grey lines; only the paper is a touch warm
    assert (pixels.max(axis=-1) < 140).mean() > 0.005  # there are pencil lines


def test_cartoon_has_bold_black_outlines() -> None:
    pixels = _array(apply_style("cartoon", _base(), random.Random(1)))
    assert np.all(pixels == (15, 15, 15), axis=-1).mean() > 0.01


def test_tattoo_is_ink_on_skin() -> None:
    for seed in range(8):
        pixels = _array(apply_style("tattoo", _base(seed), random.Random(seed)))
        mean = pixels.reshape(-1, 3).mean(axis=0)
        assert mean[0] > mean[1] > mean[2], "skin is warm: red over green over blue"
        nearest = min(np.abs(mean - np.asarray(tone)).sum() for tone in SKIN_TONES)
        assert nearest < 120
        assert (pixels.sum(axis=-1) < 200).mean() > 0.005  # dark ink lines


@pytest.mark.parametrize("kind", WEATHERS)
def test_weather_kinds(kind: Weather) -> None:
    base = _base()
    out = _array(weather(base, random.Random(2), kind))
    if kind == "fog":
        assert out.std() < 0.6 * _array(base).std()  # fog washes contrast out
    else:
        # Streaks and flakes are lighter than the scene under them, in every channel.
        lighter = (out - _array(base)).min(axis=-1) > 25
        assert lighter.mean() > 0.01, f"no {kind} over the scene"


def test_weather_draws_every_kind_from_the_rng() -> None:
    base = _base()
    looks = {weather(base, random.Random(seed)).tobytes() for seed in range(12)}
    assert len(looks) == 12


def test_unknown_style_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown style"):
        apply_style("mosaic", _base(), random.Random(0))  # type: ignore[arg-type]
