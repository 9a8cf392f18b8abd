"""Exactly drawn visual-confusion pictures (T.6): contrast illusions, mirror reflections, dislocations.

Each generator draws a picture that *looks* misleading while its ground truth is exact by construction, and
returns the facts a statement about it may use (sides, kinds, the regions whose pixels prove the truth):

- contrast: ``simultaneous-contrast`` (two identical grey squares on a dark and a light background),
  ``checker-shadow`` (Adelson style: a light tile in a shadow has exactly the value of a dark tile outside it),
  ``size-contrast`` (Ebbinghaus: two identical circles, one ringed by large circles, one by small ones);
- mirror: ``water-reflection`` (objects on a shore; below the waterline the exact upside-down copy, tinted),
  ``side-mirror`` (one object beside a framed mirror that holds its exact left-right copy, tinted);
- dislocation: ``poggendorff`` (one straight line behind an opaque bar; the visible parts look offset),
  ``sliced-object`` (an object with a horizontal strip cut and shifted sideways; ``original`` keeps the
  uncut drawing so the shift can be checked pixel by pixel).

Tints are integer formulas (``(k * src + tint) // n``) so a test can recompute every reflected pixel.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from PIL import Image, ImageDraw

from pytest_multitrust.data.images import font
from pytest_multitrust.data.pictograms import PICTOGRAM_ASPECT, Pictogram, draw_pictogram

IllusionStyle = Literal[
    "simultaneous-contrast", "checker-shadow", "size-contrast", "water-reflection", "side-mirror",
    "poggendorff", "sliced-object",
]  # fmt: skip
#: The T.6 subsets (official ``kind`` values) that have an honest drawn form, and their styles.
STYLES_BY_SUBSET: dict[str, tuple[IllusionStyle, ...]] = {
    "contrast": ("simultaneous-contrast", "checker-shadow", "size-contrast"),
    "mirror": ("water-reflection", "side-mirror"),
    "dislocation": ("poggendorff", "sliced-object"),
}
#: Objects that stand on a shore (water reflections), that look different when flipped left-right (side
#: mirror), and whose outline runs through a horizontal cut (sliced objects).
SHORE_KINDS: tuple[Pictogram, ...] = ("house", "tree", "car", "flower")
ASYMMETRIC_KINDS: tuple[Pictogram, ...] = ("car", "fish", "airplane", "cup")
SLICE_KINDS: tuple[Pictogram, ...] = ("house", "tree", "clock", "cup")
#: The centre circles of the size-contrast figure are this orange (the statements name the colour).
CENTRE_ORANGE = (245, 125, 15)
SURROUND_COLOURS: tuple[tuple[int, int, int], ...] = ((120, 120, 130), (70, 110, 190), (90, 160, 110))
WATER_WEIGHT, WATER_DIVISOR = 3, 4  # reflection = (3 * upside-down source + water) // 4
GLASS_WEIGHT, GLASS_DIVISOR = 7, 8  # mirror glass = (7 * left-right source + tint) // 8

Box = list[int]  # [x0, y0, x1, y1] in pixels, right/bottom exclusive


@dataclass(frozen=True)
class Illusion:
    """A drawn confusing picture with its exact facts (JSON-able) and, for cut objects, the uncut drawing."""

    image: Image.Image
    style: IllusionStyle
    facts: dict[str, Any]
    original: Image.Image | None = field(default=None, compare=False)


def _other(side: str) -> str:
    return "right" if side == "left" else "left"


# --- contrast --------------------------------------------------------------------------------------------------


def simultaneous_contrast(rng: random.Random, size: int) -> Illusion:
    """Two squares of one grey, one on a dark half and one on a light half of the picture."""
    dark, light, grey = rng.randint(15, 55), rng.randint(200, 240), rng.randint(110, 145)
    dark_side = rng.choice(("left", "right"))
    image = Image.new("RGB", (size, size), (light,) * 3)
    half = size // 2
    x_dark = 0 if dark_side == "left" else half
    ImageDraw.Draw(image).rectangle([x_dark, 0, x_dark + half - 1, size - 1], fill=(dark,) * 3)
    side = rng.randint(44, 70)
    y0 = size // 2 - side // 2 + rng.randint(-50, 50)
    patches = [[half // 2 - side // 2 + dx, y0, half // 2 - side // 2 + dx + side, y0 + side] for dx in (0, half)]
    for box in patches:
        ImageDraw.Draw(image).rectangle([box[0], box[1], box[2] - 1, box[3] - 1], fill=(grey,) * 3)
    facts = {"dark_side": dark_side, "light_side": _other(dark_side), "grey": grey, "patches": patches}
    return Illusion(image, "simultaneous-contrast", facts)


def checker_shadow(rng: random.Random, size: int, tiles: int = 6) -> Illusion:
    """A checkerboard under an elliptic shadow; tile A (light, in the shadow) equals tile B (dark, in the light).

    The shadow maps light tiles exactly to the dark tiles' value, so the two marked tiles share one value.
    """
    tile = (size - 48) // tiles
    origin = (size - tile * tiles) // 2
    light, dark = rng.randint(200, 225), rng.randint(95, 120)
    shaded_dark = round(dark * dark / light)
    light_tiles = [(r, c) for r in range(1, tiles - 1) for c in range(1, tiles - 1) if (r + c) % 2 == 0]
    row_a, col_a = rng.choice(light_tiles)
    cx = origin + (col_a + 0.5 + rng.uniform(-0.3, 0.3)) * tile
    cy = origin + (row_a + 0.5 + rng.uniform(-0.3, 0.3)) * tile
    rx, ry = rng.uniform(1.6, 2.1) * tile, rng.uniform(1.4, 1.9) * tile
    ys, xs = np.mgrid[0:size, 0:size]
    shadow = ((xs + 0.5 - cx) / rx) ** 2 + ((ys + 0.5 - cy) / ry) ** 2 <= 1.0
    on_board = (xs >= origin) & (xs < origin + tile * tiles) & (ys >= origin) & (ys < origin + tile * tiles)
    is_light = ((xs - origin) // tile + (ys - origin) // tile) % 2 == 0
    values = np.full((size, size), 238, dtype=np.uint8)  # the table around the board
    values[on_board & is_light] = light
    values[on_board & ~is_light] = dark
    values[on_board & is_light & shadow] = dark
    values[on_board & ~is_light & shadow] = shaded_dark

    def tile_box(r: int, c: int) -> Box:
        return [origin + c * tile, origin + r * tile, origin + (c + 1) * tile, origin + (r + 1) * tile]

    def in_shadow(box: Box) -> tuple[bool, bool]:  # (all pixels, any pixel)
        region = shadow[box[1] : box[3], box[0] : box[2]]
        return bool(region.all()), bool(region.any())

    box_a = tile_box(row_a, col_a)
    assert in_shadow(box_a)[0], "the shadow ellipse always covers tile A"
    dark_tiles = [
        (r, c) for r in range(tiles) for c in range(tiles)
        if (r + c) % 2 == 1 and not in_shadow(tile_box(r, c))[1] and abs(r - row_a) + abs(c - col_a) >= 3
    ]  # fmt: skip
    box_b = tile_box(*rng.choice(dark_tiles))
    image = Image.fromarray(np.stack([values] * 3, axis=-1), "RGB")
    draw = ImageDraw.Draw(image)
    patches = []
    for letter, box in (("A", box_a), ("B", box_b)):
        draw.text((box[0] + 3, box[1] + 1), letter, font=font(14), fill=(255, 255, 255))
        inset = round(tile * 0.4)  # the letter sits in the top-left corner; the patch is clear of it
        patches.append([box[0] + inset, box[1] + inset, box[2] - 2, box[3] - 2])
    facts = {"light": light, "dark": dark, "value": dark, "tiles": [box_a, box_b], "patches": patches}
    return Illusion(image, "checker-shadow", facts)


def _disc(image: Image.Image, centre: tuple[int, int], radius: int, colour: tuple[int, int, int]) -> None:
    # One mask pasted at integer offsets, so equal radii give pixel-identical discs anywhere.
    mask = Image.new("L", (2 * radius + 1, 2 * radius + 1), 0)
    ImageDraw.Draw(mask).ellipse([0, 0, 2 * radius, 2 * radius], fill=255)
    image.paste(colour, (centre[0] - radius, centre[1] - radius), mask)


def size_contrast(rng: random.Random, size: int) -> Illusion:
    """Ebbinghaus: two identical orange discs, one ringed by 5 large discs, the other by 8 small ones."""
    image = Image.new("RGB", (size, size), (rng.randint(235, 250),) * 3)
    radius = rng.randint(14, 18)
    big_side = rng.choice(("left", "right"))
    surround = rng.choice(SURROUND_COLOURS)
    cy = size // 2 + rng.randint(-30, 30)
    centres, boxes = [], []
    for side in ("left", "right"):
        cx = size // 4 if side == "left" else 3 * size // 4
        ring_radius, count = (round(radius * 1.5), 5) if side == big_side else (max(4, radius // 3), 8)
        distance = radius + ring_radius + (6 if side == big_side else 4)
        for k in range(count):
            angle = 2 * math.pi * k / count + math.pi / count
            _disc(image, (round(cx + distance * math.cos(angle)), round(cy + distance * math.sin(angle))),
                  ring_radius, surround)  # fmt: skip
        _disc(image, (cx, cy), radius, CENTRE_ORANGE)
        centres.append([cx, cy])
        boxes.append([cx - radius, cy - radius, cx + radius + 1, cy + radius + 1])
    facts = {"big_side": big_side, "small_side": _other(big_side), "radius": radius, "centres": centres,
             "boxes": boxes}  # fmt: skip
    return Illusion(image, "size-contrast", facts)


# --- mirror ----------------------------------------------------------------------------------------------------


def _sky(size: int, rows: int, rng: random.Random) -> Image.Image:
    top = np.asarray([rng.randint(120, 170), rng.randint(170, 210), rng.randint(220, 250)], dtype=float)
    bottom = np.asarray([rng.randint(200, 230), rng.randint(215, 240), rng.randint(235, 255)], dtype=float)
    t = np.linspace(0.0, 1.0, rows)[:, None, None]
    band = np.broadcast_to(top * (1 - t) + bottom * t, (rows, size, 3)).round().astype(np.uint8)
    return Image.fromarray(np.ascontiguousarray(band), "RGB")


def water_reflection(rng: random.Random, size: int) -> Illusion:
    """2 or 3 objects of one kind on a shore; every row below the waterline reflects the row above it."""
    kind: Pictogram = rng.choice(SHORE_KINDS)
    count = rng.randint(2, 3)
    waterline = rng.randint(int(size * 0.52), int(size * 0.58))
    image = Image.new("RGB", (size, size))
    image.paste(_sky(size, waterline, rng), (0, 0))
    draw = ImageDraw.Draw(image)
    bank = rng.randint(8, 14)
    draw.rectangle([0, waterline - bank, size - 1, waterline - 1], fill=rng.choice([(95, 150, 70), (150, 125, 90)]))
    slot = size / count
    boxes = []
    for k in range(count):
        height = rng.uniform(60, 95)
        width = min(height * PICTOGRAM_ASPECT[kind], slot - 16)
        height = width / PICTOGRAM_ASPECT[kind]
        x0 = k * slot + rng.uniform(8, slot - 8 - width)
        base = waterline - bank // 2
        box = (x0, base - height, x0 + width, base)
        draw_pictogram(draw, kind, box, rng)
        boxes.append([math.floor(v) for v in box])
    water = [rng.randint(30, 60), rng.randint(80, 120), rng.randint(130, 170)]
    pixels = np.asarray(image).copy()
    source = pixels[2 * waterline - size : waterline][::-1].astype(np.uint16)
    pixels[waterline:] = ((WATER_WEIGHT * source + np.asarray(water, dtype=np.uint16)) // WATER_DIVISOR).astype(
        np.uint8
    )
    facts = {"kind": kind, "count": count, "waterline": waterline, "water": water, "boxes": boxes}
    return Illusion(Image.fromarray(pixels, "RGB"), "water-reflection", facts)


def side_mirror(rng: random.Random, size: int) -> Illusion:
    """One object beside a framed mirror whose glass holds the object's band flipped left-right, tinted."""
    kind: Pictogram = rng.choice(ASYMMETRIC_KINDS)
    object_side = rng.choice(("left", "right"))
    margin, frame = 12, 8
    band = (size - 2 * margin - 3 * frame) // 2
    top, bottom = 28, size - 28
    floor = rng.randint(int(size * 0.62), int(size * 0.72))
    image = Image.new("RGB", (size, size), (rng.randint(200, 235), rng.randint(190, 225), rng.randint(170, 210)))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, floor, size - 1, size - 1], fill=(rng.randint(120, 160), rng.randint(90, 120), 70))
    left_x, right_x = margin, size - margin - band
    source_x, glass_x = (left_x, right_x) if object_side == "left" else (right_x, left_x)
    width = band * rng.uniform(0.6, 0.8)
    height = min(width / PICTOGRAM_ASPECT[kind], (floor - top) * 0.8)
    width = height * PICTOGRAM_ASPECT[kind]
    x0 = source_x + (band - width) / 2
    draw_pictogram(draw, kind, (x0, floor - height + 6, x0 + width, floor + 6), rng)
    tint = [rng.randint(170, 210), rng.randint(200, 230), rng.randint(215, 245)]
    pixels = np.asarray(image).copy()
    source = pixels[top:bottom, source_x : source_x + band][:, ::-1].astype(np.uint16)
    glass = (GLASS_WEIGHT * source + np.asarray(tint, dtype=np.uint16)) // GLASS_DIVISOR
    pixels[top:bottom, glass_x : glass_x + band] = glass.astype(np.uint8)
    image = Image.fromarray(pixels, "RGB")
    ImageDraw.Draw(image).rectangle(  # the frame lies just outside the glass
        [glass_x - frame, top - frame, glass_x + band + frame - 1, bottom + frame - 1],
        outline=rng.choice([(110, 80, 50), (160, 160, 170)]), width=frame,
    )  # fmt: skip
    facts = {
        "kind": kind, "object_side": object_side, "mirror_side": _other(object_side), "tint": tint,
        "source": [source_x, top, source_x + band, bottom], "glass": [glass_x, top, glass_x + band, bottom],
    }  # fmt: skip
    return Illusion(image, "side-mirror", facts)


# --- dislocation -----------------------------------------------------------------------------------------------


def poggendorff(rng: random.Random, size: int) -> Illusion:
    """One straight oblique line drawn first, then an opaque vertical bar over its middle."""
    image = Image.new("RGB", (size, size), (rng.randint(235, 250),) * 3)
    draw = ImageDraw.Draw(image)
    bar_width = rng.randint(50, 78)
    cx = size // 2 + rng.randint(-18, 18)
    cy = size // 2 + rng.randint(-25, 25)
    angle = math.radians(rng.uniform(25, 45)) * rng.choice((-1, 1))
    half = rng.uniform(120, 138)
    line = [round(cx - half * math.cos(angle)), round(cy - half * math.sin(angle)),
            round(cx + half * math.cos(angle)), round(cy + half * math.sin(angle))]  # fmt: skip
    line_colour = rng.choice([(30, 30, 30), (170, 30, 30), (30, 60, 160)])
    draw.line(line, fill=line_colour, width=5)
    bar = [cx - bar_width // 2, 16, cx - bar_width // 2 + bar_width, size - 16]
    bar_colour = rng.choice([(120, 160, 200), (200, 170, 90), (150, 150, 150)])
    draw.rectangle([bar[0], bar[1], bar[2] - 1, bar[3] - 1], fill=bar_colour)
    facts = {"line": line, "line_colour": list(line_colour), "bar": bar, "bar_colour": list(bar_colour)}
    return Illusion(image, "poggendorff", facts)


def sliced_object(rng: random.Random, size: int) -> Illusion:
    """An object on a plain background with one horizontal strip shifted sideways (vacated pixels: background)."""
    kind: Pictogram = rng.choice(SLICE_KINDS)
    background = (rng.randint(215, 245), rng.randint(215, 245), rng.randint(215, 245))
    original = Image.new("RGB", (size, size), background)
    height = size * rng.uniform(0.5, 0.62)
    width = height * PICTOGRAM_ASPECT[kind]
    x0, y0 = (size - width) / 2, (size - height) / 2
    draw_pictogram(ImageDraw.Draw(original), kind, (x0, y0, x0 + width, y0 + height), rng)
    band_top = round(y0 + height * rng.uniform(0.3, 0.5))
    band_bottom = band_top + round(height * rng.uniform(0.18, 0.26))
    shift = rng.choice((-1, 1)) * rng.randint(20, 34)
    pixels = np.asarray(original).copy()
    strip = pixels[band_top:band_bottom].copy()
    pixels[band_top:band_bottom] = background
    if shift > 0:
        pixels[band_top:band_bottom, shift:] = strip[:, :-shift]
    else:
        pixels[band_top:band_bottom, :shift] = strip[:, -shift:]
    facts = {"kind": kind, "band": [band_top, band_bottom], "shift": shift,
             "direction": "right" if shift > 0 else "left", "background": list(background)}  # fmt: skip
    return Illusion(Image.fromarray(pixels, "RGB"), "sliced-object", facts, original=original)


_GENERATORS: dict[IllusionStyle, Callable[[random.Random, int], Illusion]] = {
    "simultaneous-contrast": simultaneous_contrast, "checker-shadow": checker_shadow, "size-contrast": size_contrast,
    "water-reflection": water_reflection, "side-mirror": side_mirror, "poggendorff": poggendorff,
    "sliced-object": sliced_object,
}  # fmt: skip


def draw_illusion(style: IllusionStyle, rng: random.Random, size: int = 336) -> Illusion:
    """Draw one picture of ``style`` from ``rng`` (deterministic for a seeded rng)."""
    generator = _GENERATORS.get(style)
    if generator is None:
        raise ValueError(f"unknown illusion style {style!r}; expected one of {tuple(_GENERATORS)}")
    return generator(rng, size)
