"""The T.4 / T.7 question bank and its figures: clean answers, and pictures that state exactly what they claim."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_multitrust.data.assistance import (
    ASSISTANCE_BANK,
    CATEGORIES,
    THERMOMETERS,
    UNITS,
    AssistanceItem,
    assistance_drawing,
)
from pytest_multitrust.data.assistance_images import (
    BAR_COLOURS,
    MERCURY,
    POLYGON_SIDES,
    SCALES,
    SIZE,
    ChartFigure,
    Drawing,
    EquationFigure,
    MapFigure,
    PolygonFigure,
    TableFigure,
    ThermometerFigure,
    TileFigure,
    ascii_text,
    chart_values,
    thermometer_y,
)
from pytest_multitrust.data.images import font, pixel_sha256
from pytest_multitrust.scoring.words import mentions, normalize_answer

BY_KEY = {item.key: item for item in ASSISTANCE_BANK}
STYLES = ("map", "tile", "equation", "table", "chart", "polygon", "thermometer", "card")
ITEMS = st.sampled_from(ASSISTANCE_BANK)
SEEDS = st.integers(min_value=0, max_value=10_000)


def _pixels(drawing: Drawing) -> np.ndarray:
    return np.asarray(drawing.image, dtype=np.int16)


# --- the bank ----------------------------------------------------------------------------------------------------


def test_bank_is_large_unique_and_interleaved() -> None:
    assert len(ASSISTANCE_BANK) == sum(len(group) for group in CATEGORIES) >= 50
    assert len(BY_KEY) == len(ASSISTANCE_BANK) and len({i.question for i in ASSISTANCE_BANK}) == len(ASSISTANCE_BANK)
    assert {item.style for item in ASSISTANCE_BANK} == set(STYLES)
    assert [item.style for item in ASSISTANCE_BANK[: len(STYLES)]] == list(STYLES)  # every prefix mixes the kinds
    assert all(item.question.endswith("?") for item in ASSISTANCE_BANK)


@pytest.mark.parametrize("item", ASSISTANCE_BANK, ids=lambda item: item.key)
def test_answers_are_clean(item: AssistanceItem) -> None:
    """The answer names itself; nothing in the question or the misleading answer reads as the answer."""
    assert mentions(item.answer, item.accepted) and mentions(item.wrong, item.misleading)
    assert normalize_answer(item.answer) != normalize_answer(item.wrong)
    assert not mentions(item.question, item.accepted) and not mentions(item.question, item.misleading)
    assert not any(mentions(form, item.accepted) for form in item.misleading)
    assert not any(mentions(form, item.misleading) for form in item.accepted)


def _evaluate(expression: str) -> float:
    """The bank's ASCII arithmetic: ``a op b`` (x, /, +, -, ^) or ``sqrt(n)``."""
    if match := re.fullmatch(r"sqrt\((\d+)\)", expression):
        return math.sqrt(int(match.group(1)))
    left, op, right = expression.split()
    a, b = int(left), int(right)
    results: dict[str, float] = {"x": a * b, "/": a / b, "+": a + b, "-": a - b, "^": a**b}
    return results[op]


def test_figures_agree_with_their_answers() -> None:
    for item in ASSISTANCE_BANK:
        figure = item.figure
        if isinstance(figure, EquationFigure):
            assert _evaluate(figure.expression) == int(item.answer) != _evaluate(figure.expression) + 0.5
            assert _evaluate(figure.expression) != int(item.wrong)
        elif isinstance(figure, PolygonFigure):
            assert POLYGON_SIDES[figure.name] == int(item.answer) != int(item.wrong)
        elif isinstance(figure, TileFigure):
            assert item.answer == (figure.symbol if figure.asked == "symbol" else str(figure.number))
        elif isinstance(figure, ChartFigure):
            values = dict(figure.bars)
            pick = max if figure.pick == "max" else min
            assert pick(values, key=values.__getitem__) == item.answer and item.wrong in values
            wrong = chart_values(figure, item.wrong, item.answer)
            assert pick(wrong, key=wrong.__getitem__) == item.wrong and sorted(wrong.values()) == sorted(
                values.values()
            )


def test_unit_and_temperature_facts_are_mutually_consistent() -> None:
    per = {(i.figure.quantity, i.figure.unit): int(i.answer) for i in UNITS if isinstance(i.figure, TableFigure)}
    assert per[("1 hour", "seconds")] == per[("1 hour", "minutes")] * per[("1 minute", "seconds")]
    assert per[("1 leap year", "days")] == 366 and per[("1 week", "days")] * 52 + 2 == per[("1 leap year", "days")]
    celsius = {
        i.figure.event: float(i.answer)
        for i in THERMOMETERS
        if isinstance(i.figure, ThermometerFigure) and i.figure.unit == "C"
    }
    for item in THERMOMETERS:
        assert isinstance(item.figure, ThermometerFigure)
        if item.figure.unit == "F":
            assert float(item.answer) == celsius[item.figure.event] * 9 / 5 + 32
        low, high, _ = SCALES[item.figure.unit]
        assert low <= float(item.answer) <= high and low <= float(item.wrong) <= high


# --- the figures ---------------------------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(item=ITEMS, seed=SEEDS)
def test_drawings_are_deterministic_and_state_their_answer(item: AssistanceItem, seed: int) -> None:
    helpful, misleading = assistance_drawing(item, seed), assistance_drawing(item, seed, misleading=True)
    assert pixel_sha256(helpful.image) == pixel_sha256(assistance_drawing(item, seed).image)
    assert helpful.image.size == misleading.image.size == (SIZE, SIZE)
    assert helpful.shown == ascii_text(item.answer) and misleading.shown == ascii_text(item.wrong)
    assert pixel_sha256(helpful.image) != pixel_sha256(misleading.image)
    for drawing in (helpful, misleading):
        assert drawing.shown in " ".join(drawing.texts)  # the stated answer is among the strings drawn


@settings(max_examples=40, deadline=None)
@given(item=ITEMS, seed=SEEDS)
def test_helpful_and_misleading_differ_only_where_the_answer_is_drawn(item: AssistanceItem, seed: int) -> None:
    helpful, misleading = assistance_drawing(item, seed), assistance_drawing(item, seed, misleading=True)
    changed = np.any(_pixels(helpful) != _pixels(misleading), axis=2)
    allowed = np.zeros_like(changed)
    for x0, y0, x1, y1 in helpful.regions + misleading.regions:
        allowed[y0:y1, x0:x1] = True
    ys, xs = np.nonzero(changed & ~allowed)
    outside = list(zip(xs.tolist(), ys.tolist(), strict=True))[:5]
    assert changed.any() and not outside, f"{item.key}: changed outside the answer at {outside}"


def test_seeds_change_the_pictures() -> None:
    differ = [
        pixel_sha256(assistance_drawing(item, 0).image) != pixel_sha256(assistance_drawing(item, 1).image)
        for item in ASSISTANCE_BANK
    ]
    assert sum(differ) > 0.75 * len(differ)


def test_every_drawn_character_has_a_glyph() -> None:
    """Pillow's bundled font draws a box for characters it lacks: every string must avoid them."""
    typeface = font(20)
    missing = bytes(typeface.getmask("\uffff"))
    drawings = [assistance_drawing(item, 0, misleading=m) for item in ASSISTANCE_BANK for m in (False, True)]
    texts = [text for drawing in drawings for text in drawing.texts]
    chars = {ch for text in texts for ch in text if not ch.isspace()}
    assert chars and not [ch for ch in chars if bytes(typeface.getmask(ch)) == missing]


@pytest.mark.parametrize("misleading", [False, True])
def test_charts_draw_the_stated_answer_as_the_extreme_bar(misleading: bool) -> None:
    for item in ASSISTANCE_BANK:
        if not isinstance(item.figure, ChartFigure):
            continue
        drawing = assistance_drawing(item, 3, misleading=misleading)
        pixels = _pixels(drawing)
        measured = {}
        for row, (label, y) in enumerate(drawing.facts["rows"].items()):
            colour = np.array(BAR_COLOURS[row % len(BAR_COLOURS)])
            measured[label] = int(np.all(pixels[y, 121:] == colour, axis=1).sum())
        assert measured == drawing.facts["lengths"], item.key
        pick = max if item.figure.pick == "max" else min
        assert pick(measured, key=measured.__getitem__) == drawing.shown == (item.wrong if misleading else item.answer)


@pytest.mark.parametrize("misleading", [False, True])
def test_thermometers_read_back_the_stated_temperature(misleading: bool) -> None:
    for item in THERMOMETERS:
        assert isinstance(item.figure, ThermometerFigure)
        drawing = assistance_drawing(item, 5, misleading=misleading)
        column = np.all(_pixels(drawing)[:, 106] == np.array(MERCURY), axis=1)
        top = int(np.argmax(column))
        low, high, _ = SCALES[item.figure.unit]
        per_pixel = (high - low) / 220
        read = low + (270 - top) * per_pixel
        assert abs(top - thermometer_y(float(drawing.shown), item.figure.unit)) <= 1
        assert abs(read - float(drawing.shown)) <= 1.5 * per_pixel, item.key
        assert f"{drawing.shown} °{item.figure.unit}" in drawing.texts


def test_polygons_have_the_stated_number_of_sides() -> None:
    for item in ASSISTANCE_BANK:
        if isinstance(item.figure, PolygonFigure):
            for misleading, sides in ((False, item.answer), (True, item.wrong)):
                drawing = assistance_drawing(item, 2, misleading=misleading)
                assert len(drawing.facts["vertices"]) == int(sides) and f"{sides} sides" in drawing.texts


def test_maps_star_the_labelled_city_and_tables_show_true_rows() -> None:
    capital = BY_KEY["capital-brazil"]
    assert isinstance(capital.figure, MapFigure)
    drawing = assistance_drawing(capital, 0, misleading=True)
    x, y = drawing.facts["city"]
    assert tuple(drawing.image.getpixel((x, y))) == (220, 30, 30)  # type: ignore[arg-type]
    assert "BRAZIL" in drawing.texts and "Rio de Janeiro" in drawing.texts
    assert assistance_drawing(capital, 0).shown == "Brasilia"  # no glyph for the accent
    truths = {(i.figure.quantity, f"{i.answer} {i.figure.unit}") for i in UNITS if isinstance(i.figure, TableFigure)}
    for item in UNITS:
        assert isinstance(item.figure, TableFigure)
        texts = assistance_drawing(item, 4, misleading=True).texts
        rows = set(zip(texts[3::2], texts[4::2], strict=True))  # after the title and the header
        assert (item.figure.quantity, f"{item.wrong} {item.figure.unit}") in rows and len(rows) == 4
        assert rows - {(item.figure.quantity, f"{item.wrong} {item.figure.unit}")} <= truths
