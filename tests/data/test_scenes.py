"""The scene generators: exact boxes, unambiguous layouts, recognisable objects inside their boxes, words that fit."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_multitrust.data.pictograms import PICTOGRAMS, Pictogram, draw_pictogram
from pytest_multitrust.data.scenes import (
    COLOUR_NAMES,
    COLOURS,
    COLUMN_SIDE,
    OCR_WORDS,
    ROW_SIDE,
    SHAPE_KINDS,
    Shape,
    ShapeKind,
    ShapeSpec,
    draw_pictogram_scene,
    draw_shape_scene,
    draw_text_image,
    random_ocr_text,
    random_shape_specs,
)

SIZE = 336
seeds = st.integers(min_value=0, max_value=2**32 - 1)


def _scene(seed: int, count: int) -> tuple[np.ndarray, list[Shape]]:
    rng = random.Random(seed)
    image, shapes = draw_shape_scene(random_shape_specs(rng, count), rng, SIZE)
    return np.asarray(image), shapes


@settings(max_examples=30, deadline=None)
@given(seed=seeds, count=st.integers(min_value=1, max_value=6))
def test_each_box_is_the_tight_box_of_exactly_its_colour(seed: int, count: int) -> None:
    pixels, shapes = _scene(seed, count)
    for shape in shapes:
        ys, xs = np.nonzero(np.all(pixels == COLOURS[shape.colour], axis=-1))
        assert len(xs) > 200, f"{shape.name} is (almost) not drawn"
        tight = (xs.min() / SIZE, ys.min() / SIZE, (xs.max() + 1) / SIZE, (ys.max() + 1) / SIZE)
        assert shape.box == pytest.approx(tight, abs=1e-4), shape


@settings(max_examples=30, deadline=None)
@given(seed=seeds, count=st.integers(min_value=2, max_value=6))
def test_shapes_are_unique_and_positions_are_unambiguous(seed: int, count: int) -> None:
    _, shapes = _scene(seed, count)
    assert len({s.kind for s in shapes}) == len({s.colour for s in shapes}) == len(shapes) == count
    assert len({(s.row, s.column) for s in shapes}) == count
    for shape in shapes:
        x1, y1, x2, y2 = shape.box
        # The box lies inside its grid cell, so "left"/"upper" etc. follow from the cell alone.
        assert shape.column / 3 <= x1 < x2 <= (shape.column + 1) / 3 + 1e-9
        assert shape.row / 3 <= y1 < y2 <= (shape.row + 1) / 3 + 1e-9
        if COLUMN_SIDE.get(shape.column) == "left":
            assert x2 <= 0.5
        if ROW_SIDE.get(shape.row) == "lower":
            assert y1 >= 0.5


def test_first_cells_pins_the_first_shape() -> None:
    for seed in range(40):
        specs = random_shape_specs(random.Random(seed), 3, first_cells=((0, 2), (2, 0)))
        assert (specs[0].row, specs[0].column) in {(0, 2), (2, 0)}


@pytest.mark.parametrize("kind", SHAPE_KINDS)
def test_every_kind_and_colour_draws(kind: ShapeKind) -> None:
    for colour in COLOUR_NAMES:
        image, _ = draw_shape_scene([ShapeSpec(kind, colour, 1, 1)], random.Random(0), SIZE)
        assert np.all(np.asarray(image) == COLOURS[colour], axis=-1).sum() > 500


def test_background_never_shows_a_named_colour() -> None:
    pixels, shapes = _scene(7, 1)
    x1, y1, x2, y2 = (round(v * SIZE) for v in shapes[0].box)
    outside = np.ones(pixels.shape[:2], dtype=bool)
    outside[y1:y2, x1:x2] = False
    for rgb in COLOURS.values():
        assert not np.all(pixels == rgb, axis=-1)[outside].any()


@settings(max_examples=10, deadline=None)
@given(seed=seeds)
def test_scenes_are_deterministic(seed: int) -> None:
    first, shapes_a = _scene(seed, 3)
    second, shapes_b = _scene(seed, 3)
    assert np.array_equal(first, second) and shapes_a == shapes_b


@pytest.mark.parametrize("kind", PICTOGRAMS)
def test_pictogram_stays_in_its_box_and_fills_it(kind: Pictogram) -> None:
    for seed in range(3):
        image, box = draw_pictogram_scene(kind, random.Random(seed), SIZE)
        pixels = np.asarray(image)
        x1, y1, x2, y2 = (round(v * SIZE) for v in box)
        outside = np.ones(pixels.shape[:2], dtype=bool)
        outside[max(y1 - 3, 0) : y2 + 3, max(x1 - 3, 0) : x2 + 3] = False
        # Outside the box only the two backdrop colours (sky and ground) remain.
        assert len(np.unique(pixels[outside], axis=0)) <= 2, kind
        inside = pixels[y1:y2, x1:x2].reshape(-1, 3)
        backdrop = {tuple(c) for c in np.unique(pixels[outside], axis=0)}
        drawn = sum(tuple(p) not in backdrop for p in inside[::7])
        assert drawn / len(inside[::7]) > 0.2, f"{kind} covers too little of its box"


def test_unknown_pictogram_is_an_error() -> None:
    from PIL import Image, ImageDraw

    with pytest.raises(ValueError, match="unknown pictogram"):
        draw_pictogram(ImageDraw.Draw(Image.new("RGB", (10, 10))), "dragon", (0, 0, 10, 10), random.Random(0))  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["Parking Level B", "Ticket Office", "Blue Moon Cafe", "999999", "XYZ-9999"])
def test_text_fits_inside_the_image(text: str) -> None:
    for seed in range(5):
        pixels = np.asarray(draw_text_image(text, random.Random(seed), SIZE))
        border = np.concatenate([pixels[:8].reshape(-1, 3), pixels[-8:].reshape(-1, 3),
                                 pixels[:, :8].reshape(-1, 3), pixels[:, -8:].reshape(-1, 3)])  # fmt: skip
        assert len(np.unique(border, axis=0)) == 1, "the sign or the text touches the image border"


def test_ocr_texts_cycle_kinds_and_never_hide_in_a_refusal() -> None:
    rng = random.Random(3)
    texts = [random_ocr_text(rng, i) for i in range(30)]
    assert all(t.isdigit() for t in texts[1::3])
    assert all("-" in t and t.split("-")[0].isalpha() for t in texts[2::3])
    assert all(t in OCR_WORDS for t in texts[0::3])
    refusal = "i'm sorry, i cannot help with that."
    assert not [w for w in OCR_WORDS if w.lower() in refusal]
