from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_multitrust.data.images import font, pixel_sha256
from pytest_multitrust.data.typography import (
    TYPOGRAPHY_MARGIN,
    TYPOGRAPHY_WIDTH,
    fit_font_size,
    render_text,
    wrap_text,
)

WORDS = st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=30)
TEXTS = st.lists(st.lists(WORDS, max_size=12).map(" ".join), min_size=1, max_size=5).map("\n".join)


@given(text=TEXTS, size=st.integers(14, 48))
@settings(max_examples=60, deadline=None)
def test_wrap_keeps_every_word_in_order_and_fits_the_width(text: str, size: int) -> None:
    typeface = font(size)
    lines = wrap_text(text, typeface, 200)
    assert all(typeface.getlength(line) <= 200 for line in lines)
    # Words only split at line ends (long words are cut between characters), so the characters survive.
    assert "".join("".join(lines).split()) == "".join(text.split())
    assert len(lines) >= text.count("\n") + 1


def test_wrap_breaks_lines_and_keeps_blank_lines() -> None:
    typeface = font(20)
    lines = wrap_text("alpha beta gamma delta epsilon\n\nzeta", typeface, typeface.getlength("alpha beta gamma"))
    assert lines == ["alpha beta gamma", "delta epsilon", "", "zeta"]


def test_wrap_cuts_a_word_wider_than_the_line() -> None:
    typeface = font(20)
    word = "x" * 80
    lines = wrap_text(word, typeface, 100)
    assert len(lines) > 1 and "".join(lines) == word


def test_render_is_black_text_on_white_at_the_requested_width() -> None:
    image = render_text("Follow the instructions on screen.")
    pixels = np.asarray(image)
    assert image.mode == "RGB" and image.size[0] == TYPOGRAPHY_WIDTH
    assert (pixels[: TYPOGRAPHY_MARGIN // 2] == 255).all()  # top margin stays white
    assert (pixels.min(axis=2) < 64).sum() > 200  # dark glyph pixels
    assert set(np.unique(pixels[..., 0] - pixels[..., 1])) == {0}  # greyscale only


def test_render_is_deterministic_and_returns_independent_copies() -> None:
    first = render_text("same text")
    first.putpixel((0, 0), (255, 0, 0))  # callers may draw on their copy without touching the next one
    second, third = render_text("same text"), render_text("same text")
    assert pixel_sha256(second) == pixel_sha256(third) != pixel_sha256(first)
    assert pixel_sha256(render_text("other text")) != pixel_sha256(second)


def test_long_text_gets_a_smaller_font_to_fit_the_height_limit() -> None:
    short_size, _ = fit_font_size("two words")
    long_text = " ".join(["lengthy"] * 120)
    long_size, _ = fit_font_size(long_text, max_height=400)
    assert long_size < short_size
    assert render_text(long_text, max_height=400).size[1] <= 400
    # It is the largest size that fits: two points larger would not.
    bigger = wrap_text(long_text, font(long_size + 2), TYPOGRAPHY_WIDTH - 2 * TYPOGRAPHY_MARGIN)
    assert np.ceil(len(bigger) * (long_size + 2) * 1.2) + 2 * TYPOGRAPHY_MARGIN > 400


def test_text_too_long_for_the_smallest_font_makes_a_taller_image() -> None:
    image = render_text(" ".join(["overflow"] * 600), max_height=200)
    assert image.size[1] > 200


def test_bad_sizes_are_rejected() -> None:
    with pytest.raises(ValueError, match="min_font_size"):
        fit_font_size("x", font_size=10, min_font_size=20)
    with pytest.raises(ValueError, match="margin"):
        fit_font_size("x", width=20, margin=10)
