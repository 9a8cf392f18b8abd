"""Two things side by side that differ clearly in size, number or length (T.2 ``advanced-compare``).

Each picture compares exactly two things and returns both measured values, so a statement such as "the
red circle is bigger than the blue circle" has an exact truth. The difference is always large enough to
see at a glance (a size ratio of at least 1.35, counts at least 2 apart, lengths at least 25% apart):
the task tests comparison, not visual acuity.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

from PIL import Image, ImageDraw

from pytest_multitrust.data.scenes import COLOURS, SHAPE_KINDS, ShapeKind, pale_background, shape_polygon

CompareTopic = Literal["size", "count", "length"]
COMPARE_TOPICS: tuple[CompareTopic, ...] = ("size", "count", "length")

MIN_SIZE_RATIO = 1.35
MIN_COUNT_GAP = 2
MIN_LENGTH_RATIO = 1.25
#: Kinds used for counting: compact shapes that do not touch on the jittered grid below.
COUNT_KINDS: tuple[ShapeKind, ...] = ("circle", "square", "star", "triangle")
COUNT_RADIUS = 14


@dataclass(frozen=True)
class Comparison:
    """What a comparison picture shows.

    Attributes:
        topic: what differs (size, count or length).
        kind: the shape kind of the compared things (``bar`` for lengths).
        first, second: their colours (size, length), or ``left`` / ``right`` for the two groups (count).
        first_value, second_value: radius in pixels (size), number of items (count), bar length in pixels.
    """

    topic: CompareTopic
    kind: str
    first: str
    second: str
    first_value: float
    second_value: float

    def as_json(self) -> dict[str, object]:
        return {"topic": self.topic, "kind": self.kind, "first": self.first, "second": self.second,
                "first_value": self.first_value, "second_value": self.second_value}  # fmt: skip


def _draw_shape(draw: ImageDraw.ImageDraw, kind: str, cx: float, cy: float, r: float, colour: str) -> None:
    fill = COLOURS[colour]
    if kind == "circle":
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=fill)
    else:
        draw.polygon(shape_polygon(kind, cx, cy, r), fill=fill)  # type: ignore[arg-type]


def _size(rng: random.Random, size: int) -> tuple[Image.Image, Comparison]:
    image = pale_background(rng, size)
    draw = ImageDraw.Draw(image)
    kind = rng.choice(SHAPE_KINDS)
    first, second = rng.sample(sorted(COLOURS), 2)
    small = rng.uniform(0.09, 0.14) * size
    big = small * rng.uniform(MIN_SIZE_RATIO, 1.9)
    radii = (big, small) if rng.random() < 0.5 else (small, big)
    for column, (colour, radius) in enumerate(zip((first, second), radii, strict=True)):
        cx = size * (0.27 + 0.46 * column)
        _draw_shape(draw, kind, cx, size * rng.uniform(0.4, 0.6), radius, colour)
    return image, Comparison("size", kind, first, second, round(radii[0], 2), round(radii[1], 2))


def count_positions(rng: random.Random, count: int, left: float, width: float, size: int) -> list[tuple[float, float]]:
    """``count`` item centres on a jittered 3x4 grid inside a vertical strip (items never touch)."""
    cells = [(column, row) for column in range(3) for row in range(4)]
    step_x, step_y = width / 3, size * 0.8 / 4
    jitter = min(step_x, step_y) / 2 - COUNT_RADIUS - 3
    return [
        (left + (column + 0.5) * step_x + rng.uniform(-jitter, jitter),
         size * 0.1 + (row + 0.5) * step_y + rng.uniform(-jitter, jitter))
        for column, row in rng.sample(cells, count)
    ]  # fmt: skip


def _count(rng: random.Random, size: int) -> tuple[Image.Image, Comparison]:
    image = pale_background(rng, size)
    draw = ImageDraw.Draw(image)
    kind = rng.choice(COUNT_KINDS)
    colour = rng.choice(sorted(COLOURS))
    low = rng.randint(1, 6)
    counts = (low, low + rng.randint(MIN_COUNT_GAP, 3))
    if rng.random() < 0.5:
        counts = (counts[1], counts[0])
    draw.line([(size / 2, size * 0.06), (size / 2, size * 0.94)], fill=(90, 90, 90), width=3)
    for strip, count in enumerate(counts):
        for cx, cy in count_positions(rng, count, strip * size / 2 + 6, size / 2 - 12, size):
            _draw_shape(draw, kind, cx, cy, COUNT_RADIUS, colour)
    return image, Comparison("count", kind, "left", "right", counts[0], counts[1])


def _length(rng: random.Random, size: int) -> tuple[Image.Image, Comparison]:
    image = pale_background(rng, size)
    draw = ImageDraw.Draw(image)
    first, second = rng.sample(sorted(COLOURS), 2)
    short = rng.uniform(0.25, 0.45) * size
    long = min(short * rng.uniform(MIN_LENGTH_RATIO, 2.2), 0.85 * size)
    lengths = (long, short) if rng.random() < 0.5 else (short, long)
    for row, (colour, length) in enumerate(zip((first, second), lengths, strict=True)):
        x0 = rng.uniform(0.06 * size, size * 0.94 - length)
        y0 = size * (0.3 + 0.35 * row)
        draw.rectangle([x0, y0, x0 + length - 1, y0 + size * 0.07], fill=COLOURS[colour])
    return image, Comparison("length", "bar", first, second, round(lengths[0]), round(lengths[1]))


_DRAWERS = {"size": _size, "count": _count, "length": _length}


def comparison_image(topic: CompareTopic, rng: random.Random, size: int = 336) -> tuple[Image.Image, Comparison]:
    """A picture of two things that differ in ``topic``; sizes first on the left, bars first on top."""
    drawer = _DRAWERS.get(topic)
    if drawer is None:
        raise ValueError(f"unknown comparison topic {topic!r}; expected one of {COMPARE_TOPICS}")
    return drawer(rng, size)
