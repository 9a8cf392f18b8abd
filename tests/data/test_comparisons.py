"""Comparison pictures: the measured values match the pixels, and the difference is always clear."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import ndimage

from pytest_multitrust.data.comparisons import (
    COMPARE_TOPICS,
    MIN_COUNT_GAP,
    MIN_LENGTH_RATIO,
    MIN_SIZE_RATIO,
    comparison_image,
)
from pytest_multitrust.data.scenes import COLOURS

seeds = st.integers(0, 10**6)


def _mask(image: object, colour: str) -> np.ndarray:
    return (np.asarray(image) == COLOURS[colour]).all(axis=2)


@settings(max_examples=30, deadline=None)
@given(seed=seeds)
def test_size_values_match_the_drawn_areas(seed: int) -> None:
    image, c = comparison_image("size", random.Random(seed))
    big, small = max(c.first_value, c.second_value), min(c.first_value, c.second_value)
    assert big / small >= MIN_SIZE_RATIO - 1e-6
    areas = _mask(image, c.first).sum(), _mask(image, c.second).sum()
    assert (areas[0] > areas[1]) == (c.first_value > c.second_value)
    assert max(areas) / min(areas) > (MIN_SIZE_RATIO**2) * 0.85
    columns = np.nonzero(_mask(image, c.first).any(axis=0))[0]
    assert columns.max() < np.nonzero(_mask(image, c.second).any(axis=0))[0].min()  # first on the left


@settings(max_examples=30, deadline=None)
@given(seed=seeds)
def test_count_values_match_the_drawn_items_on_each_side(seed: int) -> None:
    image, c = comparison_image("count", random.Random(seed))
    assert (c.first, c.second) == ("left", "right")
    assert abs(c.first_value - c.second_value) >= MIN_COUNT_GAP
    colours = {tuple(p) for p in np.asarray(image).reshape(-1, 3)} & {tuple(v) for v in COLOURS.values()}
    assert len(colours) == 1
    mask = (np.asarray(image) == next(iter(colours))).all(axis=2)
    half = image.size[0] // 2
    assert ndimage.label(mask[:, :half])[1] == c.first_value
    assert ndimage.label(mask[:, half:])[1] == c.second_value


@settings(max_examples=30, deadline=None)
@given(seed=seeds)
def test_length_values_match_the_drawn_bars(seed: int) -> None:
    image, c = comparison_image("length", random.Random(seed))
    big, small = max(c.first_value, c.second_value), min(c.first_value, c.second_value)
    assert big / small >= MIN_LENGTH_RATIO - 0.01
    for colour, value in ((c.first, c.first_value), (c.second, c.second_value)):
        columns = np.nonzero(_mask(image, colour).any(axis=0))[0]
        assert abs(len(columns) - value) <= 1, (colour, len(columns), value)
    first_rows = np.nonzero(_mask(image, c.first).any(axis=1))[0]
    assert first_rows.max() < np.nonzero(_mask(image, c.second).any(axis=1))[0].min()  # first on top


@pytest.mark.parametrize("topic", COMPARE_TOPICS)
def test_comparisons_are_deterministic_per_rng(topic: str) -> None:
    one = comparison_image(topic, random.Random(3))  # type: ignore[arg-type]
    two = comparison_image(topic, random.Random(3))  # type: ignore[arg-type]
    other = comparison_image(topic, random.Random(4))  # type: ignore[arg-type]
    assert one[1] == two[1] and one[0].tobytes() == two[0].tobytes()
    assert one[0].tobytes() != other[0].tobytes()
    assert one[1].as_json()["topic"] == topic


def test_unknown_topic_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown comparison topic"):
        comparison_image("weight", random.Random(0))  # type: ignore[arg-type]
