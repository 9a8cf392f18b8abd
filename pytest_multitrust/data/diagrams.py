"""Drawn everyday gadgets with a known state: clocks, traffic lights, speed signs, balance scales, circuits.

T.2 asks yes/no questions that need a step of inference beyond reading the picture (what time it will be,
whether a car may go, why a scale tips). Each drawing here shows one exact state and returns the geometry it
drew, so tests can check the pixels against the state: the hand tips of a clock, the centre of the lit
lamp, the pan positions of a scale. Colours and small offsets vary with the ``rng``; the state never does.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Literal

from PIL import Image, ImageDraw

from pytest_multitrust.data.images import font

Point = tuple[float, float]
Colour = tuple[int, int, int]
LightState = Literal["red", "green"]

INK: Colour = (25, 25, 30)
#: Lamp colours of a traffic light, lit and unlit; the unlit ones are dark greys, far from every lit colour.
LAMP_LIT: dict[str, Colour] = {"red": (235, 30, 25), "yellow": (250, 200, 20), "green": (30, 210, 80)}
LAMP_OFF: Colour = (70, 70, 70)
BULB_LIT: Colour = (255, 225, 60)
BULB_OFF: Colour = (150, 150, 150)
SIGN_RED: Colour = (200, 25, 30)


def _paper(rng: random.Random, size: tuple[int, int]) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    tint = rng.randint(232, 250)
    image = Image.new("RGB", size, (tint, tint, min(255, tint + rng.randint(0, 8))))
    return image, ImageDraw.Draw(image)


def _centred_text(draw: ImageDraw.ImageDraw, centre: Point, text: str, size: int, fill: Colour = INK) -> None:
    draw.text(centre, text, font=font(size), fill=fill, anchor="mm")


# --- clocks -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClockTime:
    """A time on a 12-hour dial: ``hour`` 1-12, ``minute`` 0-59."""

    hour: int
    minute: int

    def __post_init__(self) -> None:
        if not (1 <= self.hour <= 12 and 0 <= self.minute < 60):
            raise ValueError(f"not a 12-hour clock time: {self.hour}:{self.minute:02d}")

    @property
    def minutes(self) -> int:
        """Minutes past 12 o'clock (0-719)."""
        return (self.hour % 12) * 60 + self.minute

    def plus(self, minutes: int) -> ClockTime:
        total = (self.minutes + minutes) % 720
        return ClockTime(total // 60 or 12, total % 60)

    def __str__(self) -> str:
        return f"{self.hour}:{self.minute:02d}"


@dataclass(frozen=True)
class ClockHands:
    """Where a drawn clock's hands point: its centre and the tips of the hour and minute hands (pixels)."""

    centre: Point
    hour_tip: Point
    minute_tip: Point


def hand_angles(time: ClockTime) -> tuple[float, float]:
    """(hour, minute) hand angles in degrees, clockwise from 12; the hour hand moves with the minutes."""
    return (time.hour % 12) * 30 + time.minute * 0.5, time.minute * 6.0


def draw_clock(
    draw: ImageDraw.ImageDraw, centre: Point, radius: float, time: ClockTime, rng: random.Random
) -> ClockHands:
    """A round dial with the 12 numbers and two hands showing ``time``."""
    cx, cy = centre
    rim = rng.choice([(40, 40, 40), (150, 40, 40), (40, 70, 150), (60, 110, 60)])
    draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], fill=rim)
    inner = radius * 0.92
    draw.ellipse([cx - inner, cy - inner, cx + inner, cy + inner], fill=(252, 252, 246))
    for number in range(1, 13):
        angle = math.radians(number * 30)
        _centred_text(draw, (cx + 0.82 * inner * math.sin(angle), cy - 0.82 * inner * math.cos(angle)),
                      str(number), max(10, int(radius * 0.18)))  # fmt: skip
    tips = []
    for degrees, length, width in zip(hand_angles(time), (0.45, 0.68), (0.07, 0.04), strict=True):
        angle = math.radians(degrees)
        tip = (cx + length * inner * math.sin(angle), cy - length * inner * math.cos(angle))
        draw.line([centre, tip], fill=INK, width=max(2, int(width * radius)))
        tips.append(tip)
    dot = radius * 0.06
    draw.ellipse([cx - dot, cy - dot, cx + dot, cy + dot], fill=INK)
    return ClockHands(centre, tips[0], tips[1])


def clock_panels(
    times: tuple[ClockTime, ...], labels: tuple[str, ...], rng: random.Random, panel: int = 240
) -> tuple[Image.Image, list[ClockHands]]:
    """One clock per panel side by side, each captioned with its label; returns the image and the hands."""
    image, draw = _paper(rng, (panel * len(times), panel + 40))
    hands = []
    for k, (time, label) in enumerate(zip(times, labels, strict=True)):
        centre = (panel * k + panel / 2, 40 + panel / 2)
        if label:
            _centred_text(draw, (centre[0], 22), label, 24)
        hands.append(draw_clock(draw, centre, panel * 0.42, time, rng))
    return image, hands


# --- traffic ------------------------------------------------------------------------------------------------


def _street(rng: random.Random, size: int) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (size, size), (rng.randint(160, 200), rng.randint(200, 225), rng.randint(230, 250)))
    draw = ImageDraw.Draw(image)
    horizon = int(size * 0.62)
    draw.rectangle([0, horizon, size, size], fill=(95, 95, 100))
    for x in range(0, size, 48):  # lane markings
        draw.rectangle([x + 8, size * 0.82, x + 32, size * 0.84], fill=(240, 240, 240))
    return image, draw


def traffic_light_image(state: LightState, rng: random.Random, size: int = 336) -> tuple[Image.Image, Point]:
    """A three-lamp traffic light over a road with the ``state`` lamp lit; returns the lit lamp's centre."""
    image, draw = _street(rng, size)
    x = size * rng.uniform(0.38, 0.55)
    top = size * rng.uniform(0.08, 0.14)
    width, lamp = size * 0.2, size * 0.072
    draw.rectangle([x + width / 2 - 5, top, x + width / 2 + 5, size * 0.8], fill=(60, 60, 65))  # pole
    draw.rounded_rectangle([x, top, x + width, top + 3.3 * width], radius=12, fill=(30, 30, 32))
    lit_centre = (0.0, 0.0)
    for k, colour in enumerate(("red", "yellow", "green")):
        centre = (x + width / 2, top + width * (0.55 + 1.1 * k))
        draw.ellipse([centre[0] - lamp, centre[1] - lamp, centre[0] + lamp, centre[1] + lamp],
                     fill=LAMP_LIT[colour] if colour == state else LAMP_OFF)  # fmt: skip
        if colour == state:
            lit_centre = centre
    return image, lit_centre


def speed_limit_image(limit: int, rng: random.Random, size: int = 336) -> tuple[Image.Image, Point]:
    """A round speed-limit sign (red ring, the limit in km/h in the middle) by a road; returns its centre."""
    image, draw = _street(rng, size)
    centre = (size * rng.uniform(0.42, 0.58), size * rng.uniform(0.3, 0.36))
    radius = size * 0.24
    cx, cy = centre
    draw.rectangle([cx - 5, cy, cx + 5, size * 0.85], fill=(120, 120, 125))
    draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], fill=SIGN_RED)
    inner = radius * 0.78
    draw.ellipse([cx - inner, cy - inner, cx + inner, cy + inner], fill=(250, 250, 250))
    _centred_text(draw, centre, str(limit), int(radius * (0.85 if limit < 100 else 0.68)))
    return image, centre


# --- causality ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Balance:
    """A drawn two-pan balance: the weights on each pan (kg) and where each pan hangs (pixel centres)."""

    left_kg: int
    right_kg: int
    left_pan: Point
    right_pan: Point


def balance_image(left_kg: int, right_kg: int, rng: random.Random, size: int = 336) -> tuple[Image.Image, Balance]:
    """A balance scale tipped towards the heavier pan, each pan holding a block labelled with its weight."""
    if left_kg == right_kg:
        raise ValueError("a balance drawing needs two different weights")
    image, draw = _paper(rng, (size, size))
    pivot = (size / 2, size * 0.3)
    draw.polygon([(pivot[0], pivot[1]), (pivot[0] - 30, size * 0.9), (pivot[0] + 30, size * 0.9)], fill=(110, 80, 50))
    tilt = math.radians(rng.uniform(10, 16)) * (1 if left_kg > right_kg else -1)  # left end down when left heavier
    half = size * 0.3
    # The image y axis points down: a positive tilt lowers the left end and raises the right one.
    ends = [(pivot[0] - half * math.cos(tilt), pivot[1] + half * math.sin(tilt)),
            (pivot[0] + half * math.cos(tilt), pivot[1] - half * math.sin(tilt))]  # fmt: skip
    draw.line([ends[0], ends[1]], fill=INK, width=7)
    pans = []
    colour = rng.choice([(70, 110, 180), (160, 70, 60), (80, 140, 90)])
    for (x, y), kg in zip(ends, (left_kg, right_kg), strict=True):
        pan_y = y + size * 0.2
        draw.line([(x, y), (x - 34, pan_y)], fill=INK, width=2)
        draw.line([(x, y), (x + 34, pan_y)], fill=INK, width=2)
        draw.chord([x - 44, pan_y - 14, x + 44, pan_y + 14], 0, 180, fill=(150, 150, 155), outline=INK)
        block = 18 + 3 * kg
        draw.rectangle([x - block / 2, pan_y - block, x + block / 2, pan_y], fill=colour, outline=INK)
        _centred_text(draw, (x, pan_y + 30), f"{kg} kg", 22)
        pans.append((x, pan_y))
    draw.ellipse([pivot[0] - 7, pivot[1] - 7, pivot[0] + 7, pivot[1] + 7], fill=INK)
    return image, Balance(left_kg, right_kg, pans[0], pans[1])


@dataclass(frozen=True)
class Circuit:
    """A drawn battery-switch-bulb loop: whether the switch is closed and where the bulb is (its centre)."""

    closed: bool
    bulb: Point


def circuit_image(closed: bool, rng: random.Random, size: int = 336) -> tuple[Image.Image, Circuit]:
    """A battery, a switch and a bulb in one loop of wire; the bulb is lit exactly when the switch is closed."""
    image, draw = _paper(rng, (size, size))
    left, right = size * 0.14, size * 0.86
    top, bottom = size * 0.3, size * 0.8
    bulb = (size / 2 + rng.uniform(-10, 10), top)
    switch_a, switch_b = (size * 0.42, bottom), (size * 0.6, bottom)
    wires = (
        [(left, top), (bulb[0] - 30, top)],
        [(bulb[0] + 30, top), (right, top), (right, bottom), switch_b],
        [switch_a, (left, bottom), (left, size * 0.62)],  # the gap between 0.48 and 0.62 holds the battery
        [(left, size * 0.48), (left, top)],
    )
    for wire in wires:
        draw.line(wire, fill=INK, width=4)
    # battery: long (+) and short (-) plates across the left wire
    draw.rectangle([left - 28, size * 0.48, left + 28, size * 0.5], fill=INK)
    draw.rectangle([left - 16, size * 0.6, left + 16, size * 0.62], fill=INK)
    _centred_text(draw, (left + 40, size * 0.46), "+", 22)
    for point in (switch_a, switch_b):
        draw.ellipse([point[0] - 6, point[1] - 6, point[0] + 6, point[1] + 6], fill=INK)
    lever = switch_b if closed else (switch_a[0] + 50, bottom - 45)  # an open switch's lever points up
    draw.line([switch_a, lever], fill=INK, width=6)
    radius = 30
    if closed:
        for k in range(8):  # rays of light
            angle = 2 * math.pi * k / 8
            inner, outer = radius + 8, radius + 24
            draw.line([(bulb[0] + inner * math.cos(angle), bulb[1] + inner * math.sin(angle)),
                       (bulb[0] + outer * math.cos(angle), bulb[1] + outer * math.sin(angle))],
                      fill=(240, 170, 20), width=4)  # fmt: skip
    draw.ellipse([bulb[0] - radius, bulb[1] - radius, bulb[0] + radius, bulb[1] + radius],
                 fill=BULB_LIT if closed else BULB_OFF, outline=INK, width=3)  # fmt: skip
    _centred_text(draw, (size / 2, size * 0.93), "battery - switch - bulb", 18)
    return image, Circuit(closed, bulb)
