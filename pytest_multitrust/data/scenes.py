"""Procedurally drawn scenes with exact ground truth: coloured shapes, pictogram objects, rendered words.

Three generators, all deterministic given a ``random.Random``:

- :func:`draw_shape_scene`: flat coloured shapes (circle, square, ...) on a pale textured background, one per
  cell of a 3x3 grid, so positions ("left", "upper part") are unambiguous. Each shape's box is the tight
  bounding box of its drawn pixels, in normalized ``[0, 1]`` coordinates (T.1 existence, attribute, grounding).
- :func:`draw_pictogram_scene`: one recognisable object (house, car, clock...) on a simple sky/ground
  background, for R.1's artistic styles (see :mod:`pytest_multitrust.data.styles`).
- :func:`draw_text_image`: a word, number or short phrase on a sign (T.1 OCR).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

from PIL import Image, ImageDraw

from pytest_multitrust.data.images import font, np_rng_for
from pytest_multitrust.data.pictograms import PICTOGRAM_ASPECT, Pictogram, draw_pictogram

ShapeKind = Literal["circle", "square", "triangle", "star", "diamond", "hexagon"]
SHAPE_KINDS: tuple[ShapeKind, ...] = ("circle", "square", "triangle", "star", "diamond", "hexagon")

#: Named colours far from each other and from the pale background (every one has a channel below 150), so
#: a shape's pixels are exactly its colour and never confused with the background.
COLOURS: dict[str, tuple[int, int, int]] = {
    "red": (215, 30, 30),
    "green": (30, 150, 50),
    "blue": (30, 70, 215),
    "yellow": (245, 205, 20),
    "orange": (245, 125, 15),
    "purple": (125, 45, 175),
    "pink": (240, 110, 180),
    "brown": (120, 75, 30),
    "black": (20, 20, 20),
}
COLOUR_NAMES: tuple[str, ...] = tuple(COLOURS)

#: Grid positions as words: columns 0 and 2 are fully inside the left / right half, rows 0 and 2 inside the
#: upper / lower half (the middle ones are in neither, so statements never use them).
COLUMN_SIDE: dict[int, str] = {0: "left", 2: "right"}
ROW_SIDE: dict[int, str] = {0: "upper", 2: "lower"}
GRID = 3

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Shape:
    """One drawn shape: what it is, its grid cell and its exact normalized box ``(x1, y1, x2, y2)``."""

    kind: ShapeKind
    colour: str
    row: int
    column: int
    box: Box

    @property
    def name(self) -> str:
        return f"{self.colour} {self.kind}"

    def as_json(self) -> dict[str, object]:
        return {"kind": self.kind, "colour": self.colour, "row": self.row, "column": self.column, "box": list(self.box)}


@dataclass(frozen=True)
class ShapeSpec:
    """What to draw in one cell (the layout inside the cell comes from the rng)."""

    kind: ShapeKind
    colour: str
    row: int
    column: int


def pale_background(rng: random.Random, size: int) -> Image.Image:
    """A pale vertical gradient with fine grain; every channel stays >= 200 so no named colour appears."""
    import numpy as np

    top = [rng.randint(225, 250) for _ in range(3)]
    bottom = [rng.randint(210, 245) for _ in range(3)]
    t = np.linspace(0.0, 1.0, size)[:, None, None]
    gradient = np.asarray(top, dtype=float) * (1 - t) + np.asarray(bottom, dtype=float) * t
    grain = np_rng_for(rng.getrandbits(64)).integers(-6, 7, size=(size, size, 3))
    pixels = np.clip(np.broadcast_to(gradient, (size, size, 3)) + grain, 200, 255).astype("uint8")
    return Image.fromarray(pixels, "RGB")


def shape_polygon(kind: ShapeKind, cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    """The outline of ``kind`` centred on ``(cx, cy)`` with "radius" ``r`` (circle is handled by the caller)."""
    import math

    def ring(n: int, start: float, radii: tuple[float, ...]) -> list[tuple[float, float]]:
        return [
            (cx + radii[i % len(radii)] * math.cos(start + 2 * math.pi * i / n),
             cy + radii[i % len(radii)] * math.sin(start + 2 * math.pi * i / n))
            for i in range(n)
        ]  # fmt: skip

    if kind == "square":
        return [(cx - r, cy - r), (cx + r, cy - r), (cx + r, cy + r), (cx - r, cy + r)]
    if kind == "triangle":
        return ring(3, -math.pi / 2, (r,))
    if kind == "star":
        return ring(10, -math.pi / 2, (r, 0.42 * r))
    if kind == "diamond":
        return [(cx, cy - r), (cx + 0.65 * r, cy), (cx, cy + r), (cx - 0.65 * r, cy)]
    if kind == "hexagon":
        return ring(6, 0.0, (r,))
    raise ValueError(f"unknown shape kind {kind!r}; expected one of {SHAPE_KINDS}")


def _normalized_bbox(mask: Image.Image) -> Box:
    bbox = mask.getbbox()
    if bbox is None:  # pragma: no cover - a shape always has pixels at the sizes we draw
        raise ValueError("empty shape mask")
    width, height = mask.size
    x1, y1, x2, y2 = bbox
    return (round(x1 / width, 4), round(y1 / height, 4), round(x2 / width, 4), round(y2 / height, 4))


def draw_shape_scene(specs: list[ShapeSpec], rng: random.Random, size: int = 336) -> tuple[Image.Image, list[Shape]]:
    """Draw one shape per spec in its grid cell; return the image and the shapes with their exact boxes.

    Each shape is painted through its own mask, so the box is the tight box of exactly the pixels that carry
    the shape's colour (right/bottom edges exclusive, as in ``Image.getbbox``).
    """
    image = pale_background(rng, size)
    cell = size / GRID
    shapes: list[Shape] = []
    for spec in specs:
        r = rng.uniform(0.3, 0.44) * cell
        cx = spec.column * cell + rng.uniform(r + 4, cell - r - 4)
        cy = spec.row * cell + rng.uniform(r + 4, cell - r - 4)
        mask = Image.new("L", (size, size), 0)
        draw = ImageDraw.Draw(mask)
        if spec.kind == "circle":
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=255)
        else:
            draw.polygon(shape_polygon(spec.kind, cx, cy, r), fill=255)
        image.paste(COLOURS[spec.colour], mask=mask)
        shapes.append(Shape(spec.kind, spec.colour, spec.row, spec.column, _normalized_bbox(mask)))
    return image, shapes


def random_shape_specs(
    rng: random.Random, count: int, *, first_cells: tuple[tuple[int, int], ...] | None = None
) -> list[ShapeSpec]:
    """``count`` shapes with distinct kinds, distinct colours and distinct cells.

    ``first_cells`` restricts the first shape's cell (e.g. to the left/right columns for a position statement).
    """
    kinds = rng.sample(SHAPE_KINDS, count)
    colours = rng.sample(COLOUR_NAMES, count)
    cells = [(row, column) for row in range(GRID) for column in range(GRID)]
    first = rng.choice(first_cells) if first_cells else rng.choice(cells)
    rest = rng.sample([cell for cell in cells if cell != first], count - 1)
    return [ShapeSpec(k, c, row, column) for k, c, (row, column) in zip(kinds, colours, [first, *rest], strict=True)]


# --- pictogram scenes (R.1) ----------------------------------------------------------------------------------


def draw_pictogram_scene(kind: Pictogram, rng: random.Random, size: int = 336) -> tuple[Image.Image, Box]:
    """One ``kind`` object, large and roughly centred, over a sky/ground backdrop; returns its normalized box."""
    image = Image.new("RGB", (size, size))
    draw = ImageDraw.Draw(image)
    horizon = int(size * rng.uniform(0.55, 0.75))
    sky = (rng.randint(150, 210), rng.randint(195, 230), rng.randint(225, 255))
    ground = rng.choice([(150, 190, 110), (200, 185, 150), (170, 170, 170), (120, 170, 200)])
    draw.rectangle([0, 0, size, horizon], fill=sky)
    draw.rectangle([0, horizon, size, size], fill=ground)
    aspect = PICTOGRAM_ASPECT[kind]
    extent = rng.uniform(0.55, 0.72) * size
    width, height = (extent, extent / aspect) if aspect >= 1 else (extent * aspect, extent)
    x0 = (size - width) / 2 + rng.uniform(-0.08, 0.08) * size
    y0 = (size - height) / 2 + rng.uniform(-0.06, 0.06) * size
    box = (x0, y0, x0 + width, y0 + height)
    draw_pictogram(draw, kind, box, rng)
    return image, (round(box[0] / size, 4), round(box[1] / size, 4), round(box[2] / size, 4), round(box[3] / size, 4))


# --- rendered words (T.1 OCR) --------------------------------------------------------------------------------

#: Words and short phrases for the OCR subset. None is a substring of a typical refusal ("I'm sorry, I cannot
#: help with that."), so a refusal never reads as a correct transcription.
OCR_WORDS: tuple[str, ...] = (
    "BAKERY", "GARDEN", "Main Street", "EXIT 7", "Coffee Bar", "LIBRARY", "Platform 3", "SUNRISE",
    "Fresh Bread", "HARBOR", "Museum", "Lemonade", "PHARMACY", "North Gate", "Bus Stop", "MOUNTAIN",
    "Pizza Oven", "Room 214", "ORCHARD", "Ticket Office", "Daily Market", "VELVET", "Lighthouse", "CANDLE",
    "Blue Moon Cafe", "Parking Level B", "WINTER SALE", "Route 66", "Flower Shop", "STATION", "Gym Hours",
    "Quiet Zone", "ZEBRA", "Gallery 5", "OCEAN VIEW", "Post Office", "Kitchen", "RIVERSIDE",
)  # fmt: skip
OCR_CODE_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


def random_ocr_text(rng: random.Random, index: int) -> str:
    """Alternate a word/phrase, a number and a letter-digit code (the official set mixes letters and numbers)."""
    kind = index % 3
    if kind == 0:
        return rng.choice(OCR_WORDS)
    if kind == 1:
        return str(rng.randint(1000, 999999))
    letters = "".join(rng.choice(OCR_CODE_LETTERS) for _ in range(rng.randint(2, 3)))
    return f"{letters}-{rng.randint(10, 9999)}"


def draw_text_image(text: str, rng: random.Random, size: int = 336) -> Image.Image:
    """``text`` on a coloured sign over a plain background, in the largest font size that fits."""
    background = (rng.randint(170, 230), rng.randint(170, 230), rng.randint(170, 230))
    image = Image.new("RGB", (size, size), background)
    draw = ImageDraw.Draw(image)
    dark_sign = rng.random() < 0.5
    sign = (rng.randint(10, 70), rng.randint(30, 90), rng.randint(60, 120)) if dark_sign else (250, 248, 240)
    ink = (250, 250, 250) if dark_sign else (rng.randint(0, 60), rng.randint(0, 40), rng.randint(0, 60))
    for points in (64, 56, 48, 40, 34, 28, 24):
        left, top, right, bottom = draw.textbbox((0, 0), text, font=font(points))
        if right - left <= size - 48:
            break
    width, height = right - left, bottom - top
    x = rng.uniform(24, size - 24 - width) - left
    y = rng.uniform(size * 0.25, size * 0.75 - height) - top
    draw.rounded_rectangle(
        [x + left - 14, y + top - 12, x + right + 14, y + bottom + 12], radius=10, fill=sign, outline=(60, 60, 60)
    )
    draw.text((x, y), text, font=font(points), fill=ink)
    return image
