"""R.2 ``benchlmm-remote``: a top-down remote-sensing view of fields, a road, roofs, trees and maybe a lake.

Fields are a patchwork of crop colours with row texture; the road is a straight grey band with a dashed centre
line, running across the image horizontally or vertically; buildings are seen from above as gabled roofs (one
lit and one shaded half, a ridge line) with their shadows; trees are dark round crowns. Everything is placed
without overlaps, so counts and presence are exact.
"""

from __future__ import annotations

import math
import random

from PIL import Image, ImageDraw, ImageFilter

from pytest_multitrust.data.sensor_items import (
    COUNT_OPTIONS,
    YES_NO,
    Forms,
    SensorItem,
    count,
    item,
    pick,
    yes_no,
)

REMOTE_KINDS: tuple[str, ...] = ("count", "presence", "roof", "road")
QUESTIONS: dict[str, str] = {
    "count": "How many buildings are in this aerial image? Answer with a number.",
    "presence": "Is there a lake in this aerial image? Answer yes or no.",
    "roof": "What colour are the roofs of the buildings in this aerial image? Answer with one word.",
    "road": "Does the road run horizontally or vertically in this aerial image?",
}
ROOF_COLOURS: dict[str, tuple[int, int, int]] = {
    "red": (178, 62, 44),
    "grey": (118, 120, 126),
    "white": (228, 228, 222),
}
ROOF_FORMS: dict[str, Forms] = {"red": ("red",), "grey": ("grey", "gray"), "white": ("white",)}
ROAD_FORMS: dict[str, Forms] = {"horizontal": ("horizontal", "horizontally"), "vertical": ("vertical", "vertically")}
FIELD_COLOURS: tuple[tuple[int, int, int], ...] = (
    (96, 140, 62), (122, 158, 74), (150, 132, 82), (176, 160, 96), (84, 118, 58), (134, 110, 70),
)  # fmt: skip
LAKE = (44, 86, 140)
Box = tuple[float, float, float, float]


def _fields(draw: ImageDraw.ImageDraw, rng: random.Random, area: Box, depth: int) -> None:
    """Split ``area`` recursively into fields, each a crop colour with rows in one direction."""
    left, top, right, bottom = area
    if depth == 0 or min(right - left, bottom - top) < 60:
        colour = rng.choice(FIELD_COLOURS)
        draw.rectangle(area, fill=colour)
        rows = tuple(max(0, c - 14) for c in colour)
        if rng.random() < 0.5:
            for y in range(int(top) + 3, int(bottom), 6):
                draw.line((left, y, right, y), fill=rows, width=2)
        else:
            for x in range(int(left) + 3, int(right), 6):
                draw.line((x, top, x, bottom), fill=rows, width=2)
        return
    if (right - left > bottom - top) == (rng.random() < 0.8):
        cut = rng.uniform(left + (right - left) * 0.3, right - (right - left) * 0.3)
        halves: tuple[Box, Box] = ((left, top, cut, bottom), (cut, top, right, bottom))
    else:
        cut = rng.uniform(top + (bottom - top) * 0.3, bottom - (bottom - top) * 0.3)
        halves = ((left, top, right, cut), (left, cut, right, bottom))
    for half in halves:
        _fields(draw, rng, half, depth - 1)


def _overlaps(a: Box, b: Box, margin: float) -> bool:
    return a[0] < b[2] + margin and b[0] < a[2] + margin and a[1] < b[3] + margin and b[1] < a[3] + margin


def _free_box(rng: random.Random, size: int, width: float, height: float, taken: list[Box], margin: float) -> Box:
    for _ in range(5_000):
        left, top = rng.uniform(8, size - 8 - width), rng.uniform(8, size - 8 - height)
        candidate = (left, top, left + width, top + height)
        if not any(_overlaps(candidate, other, margin) for other in taken):
            return candidate
    raise RuntimeError(f"no free {width:.0f}x{height:.0f} spot among {len(taken)} placed things")


def _roof(draw: ImageDraw.ImageDraw, area: Box, colour: tuple[int, int, int], ridge_along_x: bool) -> None:
    left, top, right, bottom = area
    draw.rectangle((left + 4, top + 4, right + 4, bottom + 4), fill=(46, 52, 40))  # shadow to the lower right
    shade = tuple(int(c * 0.72) for c in colour)
    if ridge_along_x:
        middle = (top + bottom) / 2
        draw.rectangle((left, top, right, middle), fill=colour)
        draw.rectangle((left, middle, right, bottom), fill=shade)
        draw.line((left, middle, right, middle), fill=tuple(int(c * 0.55) for c in colour), width=1)
    else:
        middle = (left + right) / 2
        draw.rectangle((left, top, middle, bottom), fill=colour)
        draw.rectangle((middle, top, right, bottom), fill=shade)
        draw.line((middle, top, middle, bottom), fill=tuple(int(c * 0.55) for c in colour), width=1)


def _road(draw: ImageDraw.ImageDraw, rng: random.Random, size: int, horizontal: bool) -> Box:
    centre, half = rng.uniform(0.3, 0.7) * size, rng.uniform(7, 10)
    band: Box = (0, centre - half, size, centre + half) if horizontal else (centre - half, 0, centre + half, size)
    draw.rectangle(band, fill=(92, 92, 96))
    for start in range(0, size, 18):
        dash = (start, centre - 1, start + 9, centre + 1) if horizontal else (centre - 1, start, centre + 1, start + 9)
        draw.rectangle(dash, fill=(214, 212, 200))
    return band


def _lake(draw: ImageDraw.ImageDraw, rng: random.Random, size: int, taken: list[Box]) -> Box:
    radius = rng.uniform(34, 52)
    area = _free_box(rng, size, 2 * radius, 2 * radius * 0.8, taken, 6)
    cx, cy = (area[0] + area[2]) / 2, (area[1] + area[3]) / 2
    points = []
    for step in range(16):
        angle = 2 * math.pi * step / 16
        r = radius * rng.uniform(0.8, 1.0)
        points.append((cx + r * math.cos(angle), cy + 0.8 * r * math.sin(angle)))
    draw.polygon(points, fill=LAKE, outline=(70, 100, 70), width=2)
    return area


def render_remote(kind: str, slot: int, rng: random.Random, size: int) -> SensorItem:
    """One aerial view and its question of ``kind`` (see :data:`REMOTE_KINDS`)."""
    horizontal = rng.random() < 0.5
    lake = rng.random() < 0.5
    buildings = rng.randint(1, 4)
    roof_colours = [rng.choice(tuple(ROOF_COLOURS)) for _ in range(4)]
    options: dict[str, Forms]
    if kind == "count":
        buildings = count(slot)
        answer, options = str(buildings), COUNT_OPTIONS
    elif kind == "presence":
        answer, options = yes_no(slot), YES_NO
        lake = answer == "yes"
    elif kind == "roof":
        answer, options = pick(slot, tuple(ROOF_COLOURS)), ROOF_FORMS
        buildings, roof_colours = rng.randint(2, 4), [answer] * 4
    elif kind == "road":
        answer, options = pick(slot, ("horizontal", "vertical")), ROAD_FORMS
        horizontal = answer == "horizontal"
    else:
        raise KeyError(f"remote has no question kind {kind!r}; expected one of {', '.join(REMOTE_KINDS)}")
    image = Image.new("RGB", (size, size))
    draw = ImageDraw.Draw(image)
    _fields(draw, rng, (0, 0, size, size), 4)
    taken = [_road(draw, rng, size, horizontal)]
    if lake:
        taken.append(_lake(draw, rng, size, taken))
    roofs: list[dict[str, object]] = []
    for index in range(buildings):
        long, short = rng.uniform(28, 42), rng.uniform(20, 28)
        width, height = (long, short) if rng.random() < 0.5 else (short, long)
        area = _free_box(rng, size, width, height, taken, 8)
        taken.append(area)
        _roof(draw, area, ROOF_COLOURS[roof_colours[index]], ridge_along_x=width > height)
        roofs.append({"box": [round(v / size, 3) for v in area], "colour": roof_colours[index]})
    for _ in range(rng.randint(6, 14)):  # tree crowns, clear of everything else
        r = rng.uniform(4, 7)
        area = _free_box(rng, size, 2 * r, 2 * r, taken, 3)
        draw.ellipse((area[0] + 2, area[1] + 2, area[2] + 2, area[3] + 2), fill=(40, 50, 34))
        draw.ellipse(area, fill=(38, 86, 40))
    image = image.filter(ImageFilter.GaussianBlur(0.6))
    facts: dict[str, object] = {"road": "horizontal" if horizontal else "vertical", "lake": lake, "buildings": roofs}
    return item(image, QUESTIONS[kind], answer, options, kind, facts)
