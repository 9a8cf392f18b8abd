"""Pictures of preference options: a two-panel "A | B" image (F.5) and a card showing one option (F.7).

The official F.5 images (``vision_subjective_choice_images``) present the two options of a preference topic in
one picture, and the F.7 images (``subjective_choice_images/choice_{a,b}_images``) show one option each. We draw
both from the option texts: each option is a panel with a coloured band, a simple emblem (circle, square,
triangle, diamond, star or hexagon, so the two panels differ at a glance) and the option's text, word-wrapped in
Pillow's bundled font at the largest size that fits. The two-panel image labels the panels "A" and "B" as the
prompt names them; a single-option card carries no letter, since the F.7 prompt names the options in its text.
Colours and emblems come from the rng the caller passes (seeded per sample), never from the text.
"""

from __future__ import annotations

import math
import random
from typing import Literal

from PIL import Image, ImageDraw

from pytest_multitrust.data.images import font
from pytest_multitrust.data.typography import LINE_SPACING, fit_font_size

Emblem = Literal["circle", "square", "triangle", "diamond", "star", "hexagon"]
EMBLEMS: tuple[Emblem, ...] = ("circle", "square", "triangle", "diamond", "star", "hexagon")
Colour = tuple[int, int, int]

#: The two-panel image: 512 x 384, a panel per option with a divider between them.
PANELS_SIZE = (512, 384)
#: A single option's card (F.7).
CARD_SIZE = (384, 384)
PANEL_GAP = 8
BAND_HEIGHT = 56
EMBLEM_SIZE = 72
TEXT_MARGIN = 10
TEXT_FONT_SIZE = 30
TEXT_MIN_FONT_SIZE = 14
LETTER_FONT_SIZE = 40

_WHITE: Colour = (255, 255, 255)
_INK: Colour = (25, 25, 30)
_DIVIDER: Colour = (90, 90, 90)
#: Band colours, dark enough for a white letter on top.
BAND_COLOURS: tuple[Colour, ...] = (
    (31, 94, 160), (170, 60, 40), (40, 130, 80), (120, 60, 150), (190, 120, 20), (30, 120, 130),
)  # fmt: skip


def _emblem(draw: ImageDraw.ImageDraw, kind: Emblem, centre: tuple[float, float], colour: Colour) -> None:
    x, y = centre
    r = EMBLEM_SIZE / 2
    if kind == "circle":
        draw.ellipse([x - r, y - r, x + r, y + r], fill=colour, outline=_INK, width=2)
        return
    if kind == "square":
        draw.rectangle([x - r * 0.85, y - r * 0.85, x + r * 0.85, y + r * 0.85], fill=colour, outline=_INK, width=2)
        return
    corners = {"triangle": 3, "diamond": 4, "hexagon": 6, "star": 10}[kind]
    points = []
    for k in range(corners):
        angle = -math.pi / 2 + 2 * math.pi * k / corners
        radius = r * 0.45 if kind == "star" and k % 2 else r
        points.append((x + radius * math.cos(angle), y + radius * math.sin(angle)))
    draw.polygon(points, fill=colour, outline=_INK, width=2)


def _pastel(rng: random.Random) -> Colour:
    return (rng.randrange(150, 240), rng.randrange(150, 240), rng.randrange(150, 240))


def _draw_panel(
    image: Image.Image,
    box: tuple[int, int, int, int],
    text: str,
    letter: str | None,
    emblem: Emblem,
    band: Colour,
    rng: random.Random,
) -> None:
    """One option in ``box`` (x0, y0, x1, y1): band (with ``letter``), emblem, wrapped text."""
    draw = ImageDraw.Draw(image)
    x0, y0, x1, y1 = box
    width = x1 - x0
    draw.rectangle([x0, y0, x1 - 1, y0 + BAND_HEIGHT - 1], fill=band)
    if letter is not None:
        typeface = font(LETTER_FONT_SIZE)
        draw.text((x0 + width / 2, y0 + BAND_HEIGHT / 2), letter, fill=_WHITE, font=typeface, anchor="mm")
    emblem_top = y0 + BAND_HEIGHT + 12
    _emblem(draw, emblem, (x0 + width / 2, emblem_top + EMBLEM_SIZE / 2), _pastel(rng))
    text_top = emblem_top + EMBLEM_SIZE + 8
    size, lines = fit_font_size(
        text,
        width=width,
        font_size=TEXT_FONT_SIZE,
        min_font_size=TEXT_MIN_FONT_SIZE,
        max_height=y1 - text_top,
        margin=TEXT_MARGIN,
    )
    typeface = font(size)
    pitch = size * LINE_SPACING
    for row, line in enumerate(lines):
        y = text_top + TEXT_MARGIN + round(row * pitch)
        draw.text((x0 + width / 2, y), line, fill=_INK, font=typeface, anchor="ma")


def render_choice_panels(option_a: str, option_b: str, rng: random.Random) -> Image.Image:
    """The two options side by side, labelled "A" (left) and "B" (right), as an F.5 image presents them."""
    image = Image.new("RGB", PANELS_SIZE, _WHITE)
    width, height = PANELS_SIZE
    half = (width - PANEL_GAP) // 2
    emblems = rng.sample(EMBLEMS, 2)
    bands = rng.sample(BAND_COLOURS, 2)
    _draw_panel(image, (0, 0, half, height), option_a, "A", emblems[0], bands[0], rng)
    _draw_panel(image, (width - half, 0, width, height), option_b, "B", emblems[1], bands[1], rng)
    ImageDraw.Draw(image).rectangle([half, 0, width - half - 1, height], fill=_DIVIDER)
    return image


def render_option_card(option: str, rng: random.Random) -> Image.Image:
    """One option on its own card (no letter), as an F.7 choice image shows one of the two options."""
    image = Image.new("RGB", CARD_SIZE, _WHITE)
    _draw_panel(image, (0, 0, *CARD_SIZE), option, None, rng.choice(EMBLEMS), rng.choice(BAND_COLOURS), rng)
    return image
