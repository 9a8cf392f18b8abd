"""The drawn settings behind F.1's groups of people: hospital, construction site, kitchen, office, classroom, park.

Each backdrop is a wall (or sky) above a floor line with a few objects that name the place (a red-cross sign
and a door; a crane and traffic cones; wall tiles and a counter; a window and a plant; a chalkboard; trees and a
path). Small positions and shades come from the rng, the kind of place never does.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Literal

from PIL import Image, ImageDraw

Setting = Literal["hospital", "construction-site", "kitchen", "office", "classroom", "park"]
RGB = tuple[int, int, int]

SCENE_WIDTH = 512
SCENE_HEIGHT = 384
#: Where the wall meets the floor (figures stand below it).
FLOOR_Y = 286


def _jitter(colour: RGB, rng: random.Random, spread: int = 10) -> RGB:
    shift = rng.randint(-spread, spread)
    return (
        max(0, min(255, colour[0] + shift)),
        max(0, min(255, colour[1] + shift)),
        max(0, min(255, colour[2] + shift)),
    )


def _room(wall: RGB, floor: RGB, rng: random.Random) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (SCENE_WIDTH, SCENE_HEIGHT), _jitter(wall, rng))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, FLOOR_Y, SCENE_WIDTH, SCENE_HEIGHT], fill=_jitter(floor, rng))
    draw.line([(0, FLOOR_Y), (SCENE_WIDTH, FLOOR_Y)], fill=(90, 90, 90), width=2)
    return image, draw


def _hospital(rng: random.Random) -> Image.Image:
    image, draw = _room((214, 228, 232), (188, 196, 200), rng)
    door = rng.randint(24, 60)
    draw.rectangle([door, 112, door + 74, FLOOR_Y], fill=(168, 186, 196), outline=(120, 130, 140), width=2)
    draw.rectangle([door + 14, 128, door + 60, 170], fill=(205, 225, 235))  # the door's window
    sign = rng.randint(360, 400)
    draw.rounded_rectangle([sign, 46, sign + 72, 118], radius=8, fill=(250, 250, 250), outline=(180, 40, 40), width=3)
    draw.rectangle([sign + 28, 56, sign + 44, 108], fill=(200, 30, 40))
    draw.rectangle([sign + 10, 74, sign + 62, 90], fill=(200, 30, 40))
    draw.line([(0, 222), (SCENE_WIDTH, 222)], fill=(150, 160, 168), width=4)  # a handrail
    for x in range(0, SCENE_WIDTH, 64):  # floor tiles
        draw.line([(x, FLOOR_Y), (x - 30, SCENE_HEIGHT)], fill=(170, 178, 182), width=1)
    return image


def _construction_site(rng: random.Random) -> Image.Image:
    image, draw = _room((152, 196, 234), (166, 136, 96), rng)
    left = rng.randint(30, 70)
    draw.rectangle([left, 104, left + 150, FLOOR_Y], fill=(150, 150, 150), outline=(110, 110, 110), width=2)
    for row in range(118, FLOOR_Y - 20, 34):  # an unfinished building: empty window holes
        for col in range(left + 14, left + 140, 36):
            draw.rectangle([col, row, col + 20, row + 20], fill=(70, 70, 75))
    mast = rng.randint(400, 450)
    for x in (mast, mast + 14):  # a crane: mast, jib, cable
        draw.line([(x, 30), (x, FLOOR_Y)], fill=(230, 180, 20), width=4)
    for y in range(40, FLOOR_Y, 22):
        draw.line([(mast, y), (mast + 14, y + 22)], fill=(230, 180, 20), width=2)
    draw.line([(260, 34), (SCENE_WIDTH, 34)], fill=(230, 180, 20), width=6)
    draw.line([(300, 34), (300, 96)], fill=(60, 60, 60), width=2)
    for x in (16, SCENE_WIDTH - 40):  # traffic cones
        draw.polygon([(x, FLOOR_Y + 40), (x + 24, FLOOR_Y + 40), (x + 12, FLOOR_Y + 4)], fill=(245, 120, 20))
        draw.rectangle([x + 6, FLOOR_Y + 20, x + 18, FLOOR_Y + 26], fill=(250, 250, 250))
    return image


def _kitchen(rng: random.Random) -> Image.Image:
    image, draw = _room((236, 232, 222), (122, 112, 102), rng)
    for x in range(0, SCENE_WIDTH, 32):  # wall tiles
        draw.line([(x, 0), (x, 200)], fill=(204, 200, 190), width=1)
    for y in range(0, 200, 32):
        draw.line([(0, y), (SCENE_WIDTH, y)], fill=(204, 200, 190), width=1)
    draw.rectangle([0, 200, SCENE_WIDTH, FLOOR_Y], fill=(140, 100, 66))  # the counter
    draw.rectangle([0, 194, SCENE_WIDTH, 206], fill=(204, 204, 210))
    for k in range(3):  # pots on a shelf
        x = rng.randint(20, 60) + 160 * k
        draw.rectangle([x - 30, 70, x + 40, 76], fill=(120, 90, 60))
        draw.chord([x - 20, 30, x + 30, 90], 180, 360, fill=(110, 112, 120))
        draw.rectangle([x - 20, 52, x + 30, 70], fill=(110, 112, 120))
    return image


def _office(rng: random.Random) -> Image.Image:
    image, draw = _room((206, 200, 190), (108, 114, 126), rng)
    left = rng.randint(280, 320)
    draw.rectangle([left, 40, left + 170, 190], fill=(172, 206, 236), outline=(240, 240, 240), width=6)
    draw.line([(left + 85, 40), (left + 85, 190)], fill=(240, 240, 240), width=4)
    draw.line([(left, 115), (left + 170, 115)], fill=(240, 240, 240), width=4)
    draw.rectangle([40, 236, 76, FLOOR_Y], fill=(150, 90, 60))  # a potted plant
    for dx, dy in ((-14, -10), (14, -14), (0, -30), (-8, -44), (10, -52)):
        draw.ellipse([58 + dx - 18, 236 + dy - 14, 58 + dx + 18, 236 + dy + 14], fill=(60, 140, 70))
    draw.rectangle([120, 70, 220, 140], fill=(240, 240, 236), outline=(120, 120, 120), width=2)  # a wall chart
    for k, height in enumerate((20, 38, 30, 50)):
        draw.rectangle([134 + 20 * k, 130 - height, 146 + 20 * k, 130], fill=(70, 110, 170))
    return image


def _classroom(rng: random.Random) -> Image.Image:
    image, draw = _room((226, 214, 186), (150, 115, 80), rng)
    draw.rectangle([56, 40, 456, 190], fill=(40, 80, 60), outline=(130, 95, 60), width=8)
    for row in range(62, 170, 26):  # chalk writing, as strokes
        x = 76
        while x < 430:
            length = rng.randint(16, 48)
            draw.line([(x, row + rng.randint(-2, 2)), (x + length, row + rng.randint(-2, 2))], (230, 232, 226), 3)
            x += length + rng.randint(8, 16)
    draw.rectangle([56, 190, 456, 198], fill=(130, 95, 60))  # the chalk ledge
    return image


def _park(rng: random.Random) -> Image.Image:
    image, draw = _room((160, 204, 240), (112, 172, 92), rng)
    draw.rectangle([0, 230, SCENE_WIDTH, FLOOR_Y], fill=(126, 182, 102))  # grass up to the tree line
    draw.polygon([(200, SCENE_HEIGHT), (312, SCENE_HEIGHT), (270, 230), (244, 230)], fill=(206, 192, 158))
    for x in (rng.randint(30, 90), rng.randint(380, 470)):  # trees
        draw.rectangle([x - 8, 150, x + 8, 240], fill=(110, 80, 50))
        for dx, dy, r in ((0, 120, 44), (-30, 146, 32), (30, 146, 32)):
            draw.ellipse([x + dx - r, dy - r, x + dx + r, dy + r], fill=(56, 130, 62))
    for _ in range(2):  # clouds
        cx, cy = rng.randint(140, 380), rng.randint(30, 80)
        for dx in (-24, 0, 24):
            draw.ellipse([cx + dx - 22, cy - 14, cx + dx + 22, cy + 14], fill=(246, 248, 250))
    return image


BACKDROPS: dict[Setting, Callable[[random.Random], Image.Image]] = {
    "hospital": _hospital,
    "construction-site": _construction_site,
    "kitchen": _kitchen,
    "office": _office,
    "classroom": _classroom,
    "park": _park,
}


def draw_backdrop(setting: Setting, rng: random.Random) -> Image.Image:
    """The ``SCENE_WIDTH`` x ``SCENE_HEIGHT`` backdrop of ``setting`` (RGB)."""
    return BACKDROPS[setting](rng)
