"""Recognisable pictograms of everyday objects, drawn from a few primitives into a given box.

R.1 asks a model to describe an object shown in an artistic style; the object must be identifiable by a
person at a glance, so each pictogram keeps the canonical silhouette and parts of its object (a car has
wheels and windows, a clock a face, ticks and hands). Colours vary with the ``rng``; the layout is fixed
relative to the box so the object always fills it.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Literal

from PIL import ImageDraw

Pictogram = Literal["house", "tree", "car", "boat", "flower", "umbrella", "clock", "fish", "cup", "airplane"]
PICTOGRAMS: tuple[Pictogram, ...] = (
    "house", "tree", "car", "boat", "flower", "umbrella", "clock", "fish", "cup", "airplane",
)  # fmt: skip

#: Width / height of each pictogram's box, so it keeps its natural proportions.
PICTOGRAM_ASPECT: dict[Pictogram, float] = {
    "house": 1.0, "tree": 0.75, "car": 1.8, "boat": 1.2, "flower": 0.6,
    "umbrella": 0.9, "clock": 1.0, "fish": 1.7, "cup": 1.2, "airplane": 1.6,
}  # fmt: skip

Colour = tuple[int, int, int]
Point = tuple[float, float]
_OUTLINE: Colour = (40, 35, 30)


class _Frame:
    """Maps unit coordinates ``(u, v)`` in ``[0, 1]^2`` onto the target box."""

    def __init__(self, box: tuple[float, float, float, float]) -> None:
        self.x0, self.y0 = box[0], box[1]
        self.w, self.h = box[2] - box[0], box[3] - box[1]

    def p(self, u: float, v: float) -> Point:
        return (self.x0 + u * self.w, self.y0 + v * self.h)

    def rect(self, u0: float, v0: float, u1: float, v1: float) -> list[Point]:
        return [self.p(u0, v0), self.p(u1, v1)]

    def poly(self, *uv: Point) -> list[Point]:
        return [self.p(u, v) for u, v in uv]


def _bright(rng: random.Random) -> Colour:
    return rng.choice([(210, 50, 45), (40, 90, 200), (240, 180, 30), (60, 150, 70), (150, 60, 170), (235, 120, 30)])


def _house(d: ImageDraw.ImageDraw, f: _Frame, rng: random.Random) -> None:
    wall = rng.choice([(235, 215, 170), (220, 180, 140), (245, 240, 225), (200, 210, 225)])
    d.rectangle(f.rect(0.12, 0.45, 0.88, 1.0), fill=wall, outline=_OUTLINE, width=3)
    d.polygon(f.poly((0.0, 0.47), (0.5, 0.0), (1.0, 0.47)), fill=rng.choice([(170, 50, 40), (90, 60, 50)]))
    d.rectangle(f.rect(0.66, 0.08, 0.76, 0.3), fill=(120, 70, 50))  # chimney
    d.rectangle(f.rect(0.42, 0.66, 0.58, 1.0), fill=(110, 70, 40), outline=_OUTLINE, width=2)
    for u in (0.2, 0.66):
        d.rectangle(f.rect(u, 0.56, u + 0.14, 0.7), fill=(170, 215, 240), outline=_OUTLINE, width=2)


def _tree(d: ImageDraw.ImageDraw, f: _Frame, rng: random.Random) -> None:
    d.rectangle(f.rect(0.42, 0.55, 0.58, 1.0), fill=(110, 70, 35))
    leaf = rng.choice([(50, 140, 55), (70, 160, 60), (35, 115, 50)])
    for u0, v0, u1, v1 in ((0.05, 0.2, 0.6, 0.65), (0.4, 0.2, 0.95, 0.65), (0.15, 0.0, 0.85, 0.5)):
        d.ellipse(f.rect(u0, v0, u1, v1), fill=leaf)
    for _ in range(4):  # fruit
        u, v = rng.uniform(0.2, 0.75), rng.uniform(0.15, 0.5)
        d.ellipse(f.rect(u, v, u + 0.07, v + 0.05), fill=(210, 40, 40))


def _car(d: ImageDraw.ImageDraw, f: _Frame, rng: random.Random) -> None:
    body = _bright(rng)
    d.polygon(f.poly((0.25, 0.45), (0.35, 0.12), (0.68, 0.12), (0.8, 0.45)), fill=body)
    d.rounded_rectangle(f.rect(0.0, 0.42, 1.0, 0.8), radius=f.h * 0.1, fill=body, outline=_OUTLINE, width=2)
    d.polygon(f.poly((0.3, 0.43), (0.38, 0.18), (0.5, 0.18), (0.5, 0.43)), fill=(180, 220, 240))
    d.polygon(f.poly((0.53, 0.43), (0.53, 0.18), (0.65, 0.18), (0.75, 0.43)), fill=(180, 220, 240))
    for u in (0.22, 0.78):
        d.ellipse(f.rect(u - 0.11, 0.6, u + 0.11, 1.0), fill=(25, 25, 25))
        d.ellipse(f.rect(u - 0.05, 0.7, u + 0.05, 0.9), fill=(170, 170, 170))
    d.ellipse(f.rect(0.92, 0.48, 0.99, 0.58), fill=(250, 240, 150))  # headlight


def _boat(d: ImageDraw.ImageDraw, f: _Frame, rng: random.Random) -> None:
    d.line([f.p(0.5, 0.0), f.p(0.5, 0.68)], fill=(90, 60, 40), width=max(int(f.w * 0.03), 2))
    d.polygon(f.poly((0.52, 0.03), (0.52, 0.6), (0.9, 0.6)), fill=(250, 250, 245), outline=_OUTLINE)
    d.polygon(f.poly((0.48, 0.12), (0.48, 0.6), (0.18, 0.6)), fill=_bright(rng), outline=_OUTLINE)
    d.polygon(f.poly((0.0, 0.68), (1.0, 0.68), (0.82, 0.88), (0.18, 0.88)), fill=(130, 70, 40), outline=_OUTLINE)
    for k in range(4):  # waves
        u = 0.05 + k * 0.24
        d.arc(f.rect(u, 0.86, u + 0.2, 1.0), 0, 180, fill=(40, 90, 170), width=3)


def _flower(d: ImageDraw.ImageDraw, f: _Frame, rng: random.Random) -> None:
    d.line([f.p(0.5, 0.4), f.p(0.5, 1.0)], fill=(50, 130, 50), width=max(int(f.w * 0.06), 2))
    d.ellipse(f.rect(0.5, 0.68, 0.9, 0.8), fill=(60, 150, 60))
    d.ellipse(f.rect(0.1, 0.76, 0.5, 0.88), fill=(60, 150, 60))
    petal = rng.choice([(235, 80, 120), (250, 250, 250), (240, 140, 40), (150, 90, 200), (220, 40, 50)])
    cx, cy, rad = 0.5, 0.3, 0.3
    for k in range(8):
        a = 2 * math.pi * k / 8
        u, v = cx + rad * math.cos(a), cy + rad * 0.6 * math.sin(a)
        d.ellipse(f.rect(u - 0.2, v - 0.12, u + 0.2, v + 0.12), fill=petal, outline=_OUTLINE)
    d.ellipse(f.rect(0.32, 0.19, 0.68, 0.41), fill=(250, 200, 40), outline=_OUTLINE)


def _umbrella(d: ImageDraw.ImageDraw, f: _Frame, rng: random.Random) -> None:
    canopy = _bright(rng)
    d.pieslice(f.rect(0.0, 0.02, 1.0, 0.82), 180, 360, fill=canopy, outline=_OUTLINE, width=2)
    for k in range(4):  # scalloped rim: bumps hanging below the canopy's edge
        u = k * 0.25
        d.pieslice(f.rect(u, 0.34, u + 0.25, 0.5), 0, 180, fill=canopy, outline=_OUTLINE)
    d.line([f.p(0.5, 0.02), f.p(0.5, 0.9)], fill=_OUTLINE, width=max(int(f.w * 0.03), 2))
    d.arc(f.rect(0.36, 0.8, 0.52, 0.98), 0, 180, fill=_OUTLINE, width=max(int(f.w * 0.03), 2))


def _clock(d: ImageDraw.ImageDraw, f: _Frame, rng: random.Random) -> None:
    d.ellipse(f.rect(0.0, 0.0, 1.0, 1.0), fill=rng.choice([(40, 40, 40), (150, 40, 40), (40, 70, 150)]))
    d.ellipse(f.rect(0.07, 0.07, 0.93, 0.93), fill=(250, 250, 245))
    for k in range(12):
        a = 2 * math.pi * k / 12
        d.line([f.p(0.5 + 0.36 * math.cos(a), 0.5 + 0.36 * math.sin(a)),
                f.p(0.5 + 0.42 * math.cos(a), 0.5 + 0.42 * math.sin(a))], fill=_OUTLINE, width=3)  # fmt: skip
    hour, minute = rng.uniform(0, 2 * math.pi), rng.uniform(0, 2 * math.pi)
    d.line([f.p(0.5, 0.5), f.p(0.5 + 0.22 * math.sin(hour), 0.5 - 0.22 * math.cos(hour))], fill=_OUTLINE, width=5)
    d.line([f.p(0.5, 0.5), f.p(0.5 + 0.34 * math.sin(minute), 0.5 - 0.34 * math.cos(minute))], fill=_OUTLINE, width=3)
    d.ellipse(f.rect(0.47, 0.47, 0.53, 0.53), fill=_OUTLINE)


def _fish(d: ImageDraw.ImageDraw, f: _Frame, rng: random.Random) -> None:
    body = rng.choice([(240, 130, 30), (60, 140, 210), (230, 200, 40), (200, 70, 90)])
    d.polygon(f.poly((0.62, 0.5), (1.0, 0.12), (1.0, 0.88)), fill=body, outline=_OUTLINE)  # tail
    d.polygon(f.poly((0.35, 0.2), (0.5, 0.0), (0.6, 0.22)), fill=body, outline=_OUTLINE)  # dorsal fin
    d.ellipse(f.rect(0.0, 0.15, 0.75, 0.85), fill=body, outline=_OUTLINE, width=2)
    d.ellipse(f.rect(0.12, 0.35, 0.2, 0.47), fill=(255, 255, 255), outline=_OUTLINE)
    d.ellipse(f.rect(0.145, 0.38, 0.18, 0.44), fill=(0, 0, 0))
    for u in (0.35, 0.45):  # gill / scale curves
        d.arc(f.rect(u - 0.1, 0.3, u, 0.7), 300, 60, fill=_OUTLINE, width=2)


def _cup(d: ImageDraw.ImageDraw, f: _Frame, rng: random.Random) -> None:
    colour = _bright(rng)
    d.ellipse(f.rect(0.05, 0.82, 0.9, 1.0), fill=(235, 235, 235), outline=_OUTLINE)  # saucer
    d.ellipse(f.rect(0.6, 0.35, 0.95, 0.75), outline=colour, width=max(int(f.w * 0.05), 3))  # handle
    d.polygon(f.poly((0.15, 0.25), (0.75, 0.25), (0.68, 0.88), (0.22, 0.88)), fill=colour, outline=_OUTLINE)
    d.ellipse(f.rect(0.15, 0.18, 0.75, 0.32), fill=(110, 70, 40), outline=_OUTLINE)  # coffee
    for u in (0.32, 0.45, 0.58):  # steam
        d.arc(f.rect(u - 0.04, 0.0, u + 0.04, 0.15), 90, 270, fill=(150, 150, 150), width=2)


def _airplane(d: ImageDraw.ImageDraw, f: _Frame, rng: random.Random) -> None:
    colour = rng.choice([(235, 235, 240), (220, 225, 235), (200, 60, 50)])
    d.polygon(f.poly((0.45, 0.45), (0.62, 0.45), (0.4, 0.98), (0.3, 0.98)), fill=(170, 175, 185), outline=_OUTLINE)
    d.polygon(f.poly((0.05, 0.45), (0.17, 0.45), (0.08, 0.0), (0.0, 0.0)), fill=_bright(rng), outline=_OUTLINE)
    d.ellipse(f.rect(0.0, 0.33, 1.0, 0.6), fill=colour, outline=_OUTLINE, width=2)
    d.polygon(f.poly((0.45, 0.48), (0.6, 0.48), (0.42, 0.05), (0.34, 0.05)), fill=(170, 175, 185), outline=_OUTLINE)
    for k in range(7):
        u = 0.25 + k * 0.08
        d.ellipse(f.rect(u, 0.4, u + 0.035, 0.46), fill=(60, 90, 140))
    d.polygon(f.poly((0.9, 0.38), (0.99, 0.45), (0.9, 0.45)), fill=(60, 90, 140))  # cockpit


_DRAWERS: dict[Pictogram, Callable[[ImageDraw.ImageDraw, _Frame, random.Random], None]] = {
    "house": _house, "tree": _tree, "car": _car, "boat": _boat, "flower": _flower,
    "umbrella": _umbrella, "clock": _clock, "fish": _fish, "cup": _cup, "airplane": _airplane,
}  # fmt: skip


def draw_pictogram(
    draw: ImageDraw.ImageDraw, kind: Pictogram, box: tuple[float, float, float, float], rng: random.Random
) -> None:
    """Draw ``kind`` filling ``box`` (pixels, ``x1, y1, x2, y2``), with colours from ``rng``."""
    drawer = _DRAWERS.get(kind)
    if drawer is None:
        raise ValueError(f"unknown pictogram {kind!r}; expected one of {PICTOGRAMS}")
    drawer(draw, _Frame(box), rng)


#: Words that count as naming each object: the label, its plural and close synonyms a describer would use.
LABEL_WORDS: dict[str, tuple[str, ...]] = {
    "house": ("house", "houses", "home", "homes", "cottage", "cottages", "hut", "huts", "cabin", "cabins"),
    "tree": ("tree", "trees"),
    "car": ("car", "cars", "automobile", "automobiles", "sedan", "sedans", "taxi", "taxis"),
    "boat": ("boat", "boats", "sailboat", "sailboats", "ship", "ships", "yacht", "yachts"),
    "flower": ("flower", "flowers", "blossom", "blossoms", "daisy", "daisies", "sunflower", "sunflowers"),
    "umbrella": ("umbrella", "umbrellas", "parasol", "parasols"),
    "clock": ("clock", "clocks", "timepiece", "timepieces"),
    "fish": ("fish", "fishes", "goldfish"),
    "cup": ("cup", "cups", "mug", "mugs", "teacup", "teacups"),
    "airplane": ("airplane", "airplanes", "aeroplane", "aeroplanes", "plane", "planes", "aircraft", "jet", "jets"),
}


def label_words(label: str) -> tuple[str, ...]:
    """The words that name ``label``; a label we have no list for (official data) as itself or its plural."""
    return LABEL_WORDS.get(label, (label, f"{label}s"))
