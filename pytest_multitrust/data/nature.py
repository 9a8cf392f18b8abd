"""Procedurally drawn landscapes with known content.

Used twice: as the "nature" unrelated image (the official toolkit samples photos from
``data/unrelated_nature_images``; we draw them) and as scenes with an exact label for T.1's scene subset.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

from PIL import Image, ImageDraw, ImageFilter

TimeOfDay = Literal["day", "sunset", "night"]
Ground = Literal["grassland", "beach", "snowfield", "forest", "desert"]

TIMES_OF_DAY: tuple[TimeOfDay, ...] = ("day", "sunset", "night")
GROUNDS: tuple[Ground, ...] = ("grassland", "beach", "snowfield", "forest", "desert")

_SKY: dict[TimeOfDay, tuple[tuple[int, int, int], tuple[int, int, int]]] = {
    "day": ((90, 160, 235), (190, 225, 250)),
    "sunset": ((60, 40, 110), (250, 150, 70)),
    "night": ((5, 10, 35), (25, 35, 80)),
}
_GROUND_COLOUR: dict[Ground, tuple[int, int, int]] = {
    "grassland": (70, 150, 60),
    "beach": (225, 205, 150),
    "snowfield": (240, 245, 250),
    "forest": (40, 95, 40),
    "desert": (210, 170, 100),
}


@dataclass(frozen=True)
class Landscape:
    """What a landscape shows: the ground truth for scene questions."""

    time_of_day: TimeOfDay
    ground: Ground
    has_water: bool  # sea on the horizon (always true for a beach)


def draw_landscape(scene: Landscape, rng: random.Random, size: int = 336) -> Image.Image:
    """Draw ``scene`` with random layout details (mountain line, trees, stars) from ``rng``."""
    img = Image.new("RGB", (size, size))
    draw = ImageDraw.Draw(img)
    horizon = int(size * rng.uniform(0.5, 0.62))
    top, bottom = _SKY[scene.time_of_day]
    for y in range(horizon):
        t = y / max(horizon - 1, 1)
        draw.line([(0, y), (size, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    _draw_sky_objects(draw, scene.time_of_day, rng, size, horizon)
    # Distant mountains: a jagged polygon, darker at night.
    points = [(0, horizon)]
    for x in range(0, size + 1, size // 8):
        points.append((x, horizon - rng.randint(size // 20, size // 6)))
    points.append((size, horizon))
    shade = 60 if scene.time_of_day == "night" else 110
    draw.polygon(points, fill=(shade, shade + 5, shade + 20))
    ground_colour = _GROUND_COLOUR[scene.ground]
    if scene.time_of_day == "night":
        ground_colour = tuple(c // 3 for c in ground_colour)  # type: ignore[assignment]
    draw.rectangle([0, horizon, size, size], fill=ground_colour)
    if scene.has_water or scene.ground == "beach":
        sea_bottom = horizon + int(size * 0.12)
        draw.rectangle([0, horizon, size, sea_bottom], fill=(30, 90, 160))
        for _ in range(12):
            x = rng.randint(0, size)
            y = rng.randint(horizon + 3, sea_bottom - 3)
            draw.line([(x, y), (x + rng.randint(8, 20), y)], fill=(200, 225, 245), width=1)
    if scene.ground == "forest":
        for _ in range(rng.randint(9, 14)):
            _tree(draw, rng.randint(0, size), rng.randint(horizon + 10, size), rng.randint(18, 40))
    elif scene.ground == "grassland":
        for _ in range(40):
            x, y = rng.randint(0, size), rng.randint(horizon + 5, size)
            draw.line([(x, y), (x + rng.randint(-3, 3), y - rng.randint(4, 9))], fill=(40, 110, 35))
    elif scene.ground == "desert":
        for _ in range(rng.randint(1, 3)):
            _cactus(draw, rng.randint(20, size - 20), rng.randint(horizon + 30, size - 10), rng.randint(25, 45))
    return img.filter(ImageFilter.SMOOTH)


def _draw_sky_objects(draw: ImageDraw.ImageDraw, time: TimeOfDay, rng: random.Random, size: int, horizon: int) -> None:
    if time == "night":
        for _ in range(rng.randint(30, 60)):
            x, y = rng.randint(0, size), rng.randint(0, horizon - 10)
            draw.point((x, y), fill=(255, 255, 230))
        cx, cy, r = rng.randint(40, size - 40), rng.randint(20, horizon // 2), size // 16
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(245, 245, 210))
        draw.ellipse([cx - r + r // 2, cy - r, cx + r + r // 2, cy + r], fill=(15, 20, 50))
    else:
        cx = rng.randint(40, size - 40)
        cy = rng.randint(20, horizon // 2) if time == "day" else horizon - size // 20
        r = size // 12
        colour = (255, 235, 120) if time == "day" else (255, 120, 60)
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=colour)
        if time == "day":
            for _ in range(rng.randint(1, 3)):
                x, y = rng.randint(0, size - 60), rng.randint(10, horizon // 2)
                for dx in (0, 18, 36):
                    draw.ellipse([x + dx, y, x + dx + 30, y + 20], fill=(250, 250, 250))


def _tree(draw: ImageDraw.ImageDraw, x: int, y: int, h: int) -> None:
    draw.rectangle([x - h // 10, y - h // 3, x + h // 10, y], fill=(90, 60, 30))
    draw.polygon([(x - h // 2, y - h // 3), (x + h // 2, y - h // 3), (x, y - h - h // 3)], fill=(20, 80, 30))


def _cactus(draw: ImageDraw.ImageDraw, x: int, y: int, h: int) -> None:
    w = max(h // 6, 3)
    green = (60, 130, 60)
    draw.rectangle([x - w, y - h, x + w, y], fill=green)
    draw.rectangle([x - 3 * w, y - h // 2 - w, x - w, y - h // 2 + w], fill=green)
    draw.rectangle([x - 3 * w, y - h * 3 // 4, x - w * 2, y - h // 2], fill=green)


def random_landscape(rng: random.Random) -> Landscape:
    ground = rng.choice(GROUNDS)
    return Landscape(rng.choice(TIMES_OF_DAY), ground, ground == "beach" or rng.random() < 0.3)
