"""R.2 ``benchlmm-infrared``: drawn people, dogs and cars as a thermal camera shows them.

The scene is a temperature map (cold sky, cool ground, cool buildings on the horizon, warm bodies), blurred like
thermal optics, with sensor noise, shown in an "ironbow" false-colour palette: black-purple for cold, orange to
white for hot. Every object's temperature is set by the question, so "the warmest" and "how many" are exact.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from functools import partial

import numpy as np
from PIL import ImageDraw

from pytest_multitrust.data.sensor_items import (
    COUNT_OPTIONS,
    SIDES,
    YES_NO,
    Forms,
    SensorItem,
    blur,
    box,
    count,
    gaussian_noise,
    item,
    palette,
    pick,
    rgb_image,
    shape_mask,
    smooth_noise,
    yes_no,
)

INFRARED_KINDS: tuple[str, ...] = ("count", "side", "presence", "warmest")
THERMAL_OBJECTS: tuple[str, ...] = ("person", "dog", "car")
#: The words that name each kind of object in an answer.
OBJECT_FORMS: dict[str, Forms] = {
    "person": ("person", "people", "human", "man", "woman", "pedestrian"),
    "dog": ("dog", "puppy", "animal"),
    "car": ("car", "vehicle", "automobile"),
}
QUESTIONS: dict[str, str] = {
    "count": "How many people are in this thermal image? Answer with a number.",
    "side": "Is the warmest object on the left or the right side of this thermal image?",
    "presence": "Is there a dog in this thermal image? Answer yes or no.",
    "warmest": "What kind of object is the warmest in this thermal image? Answer with one word.",
}
#: Ironbow: cold black/purple, through red and orange, to hot yellow-white.
IRONBOW: tuple[tuple[float, tuple[int, int, int]], ...] = (
    (0.0, (0, 0, 10)), (0.25, (40, 0, 110)), (0.5, (170, 20, 110)),
    (0.7, (235, 90, 20)), (0.86, (255, 190, 30)), (1.0, (255, 252, 225)),
)  # fmt: skip
#: Object width over height, to fit objects in their columns.
FOOTPRINT: dict[str, float] = {"person": 0.4, "dog": 1.9, "car": 2.5}
HEIGHT: dict[str, float] = {"person": 0.45, "dog": 0.21, "car": 0.18}  # as a share of the image size
HOT, WARM, COOL = (0.93, 1.0), (0.78, 0.88), (0.5, 0.62)

#: Draws an object standing at ``x`` on the ``ground`` row, ``h`` tall, facing left (-1) or right (1).
Drawer = Callable[[float, float, float, int, ImageDraw.ImageDraw], None]


def _person(x: float, ground: float, h: float, facing: int, draw: ImageDraw.ImageDraw) -> None:
    draw.ellipse((x - 0.075 * h, ground - 0.99 * h, x + 0.075 * h, ground - 0.82 * h), fill=255)
    draw.rounded_rectangle((x - 0.12 * h, ground - 0.8 * h, x + 0.12 * h, ground - 0.42 * h), 0.04 * h, fill=255)
    for side in (-1, 1):
        draw.rectangle(box(x + side * 0.11 * h, ground - 0.78 * h, x + side * 0.175 * h, ground - 0.46 * h), fill=255)
        draw.rectangle(box(x + side * 0.015 * h, ground - 0.44 * h, x + side * 0.1 * h, ground), fill=255)


def _dog(x: float, ground: float, h: float, facing: int, draw: ImageDraw.ImageDraw) -> None:
    draw.ellipse((x - 0.6 * h, ground - 0.78 * h, x + 0.55 * h, ground - 0.38 * h), fill=255)
    for offset in (-0.45, -0.28, 0.22, 0.38):
        leg = x + facing * offset * h
        draw.rectangle((leg - 0.05 * h, ground - 0.5 * h, leg + 0.05 * h, ground), fill=255)
    head = x + facing * 0.68 * h
    draw.ellipse((head - 0.2 * h, ground - 1.05 * h, head + 0.2 * h, ground - 0.68 * h), fill=255)
    snout = head + facing * 0.2 * h
    draw.ellipse((snout - 0.12 * h, ground - 0.92 * h, snout + 0.12 * h, ground - 0.76 * h), fill=255)
    tail = x - facing * 0.55 * h
    draw.line((tail, ground - 0.7 * h, tail - facing * 0.28 * h, ground - 0.98 * h), fill=255, width=int(0.07 * h) + 1)


def _car(x: float, ground: float, h: float, facing: int, draw: ImageDraw.ImageDraw) -> None:
    draw.rounded_rectangle((x - 1.2 * h, ground - 0.8 * h, x + 1.2 * h, ground - 0.25 * h), 0.12 * h, fill=255)
    cabin = [(-0.65, -0.8), (-0.4, -1.2), (0.45, -1.2), (0.75, -0.8)]
    draw.polygon([(x + facing * dx * h, ground + dy * h) for dx, dy in cabin], fill=255)
    for side in (-1, 1):
        wheel = x + side * 0.75 * h
        draw.ellipse((wheel - 0.24 * h, ground - 0.48 * h, wheel + 0.24 * h, ground), fill=255)


def _rectangle(area: tuple[float, float, float, float], draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle(area, fill=255)


DRAWERS: dict[str, Drawer] = {"person": _person, "dog": _dog, "car": _car}


def _background(rng: random.Random, size: int, horizon: int) -> np.ndarray:
    rows = np.arange(size, dtype=np.float64)[:, None]
    ground = 0.2 + 0.1 * (rows - horizon) / max(1, size - horizon)
    temperature = np.where(rows < horizon, 0.06 + 0.04 * rows / horizon, ground) * np.ones((1, size))
    for _ in range(rng.randint(1, 3)):  # cool buildings on the horizon: never the warmest thing
        left, width, height = rng.uniform(0, size * 0.8), rng.uniform(40, 90), rng.uniform(30, 70)
        building = (left, horizon - height, left + width, horizon + 4)
        temperature[shape_mask((size, size), partial(_rectangle, building))] = rng.uniform(0.26, 0.34)
    result: np.ndarray = temperature + smooth_noise(rng, size, 10.0, 0.04)
    return result


def _render(
    rng: random.Random, size: int, objects: list[tuple[str, float]]
) -> tuple[np.ndarray, list[dict[str, object]]]:
    """Objects ``(kind, temperature)`` left to right, one per equal column; the thermal image and the facts."""
    horizon = int(size * rng.uniform(0.4, 0.5))
    ground = size * rng.uniform(0.86, 0.93)
    temperature = _background(rng, size, horizon)
    column = size / len(objects)
    facts: list[dict[str, object]] = []
    for index, (kind, heat) in enumerate(objects):
        h = min(HEIGHT[kind] * size, 0.85 * column / FOOTPRINT[kind])
        slack = max(0.0, (column - FOOTPRINT[kind] * h) / 2 - 2)
        x = column * (index + 0.5) + rng.uniform(-slack, slack)
        facing = rng.choice((-1, 1))
        mask = shape_mask((size, size), partial(DRAWERS[kind], x, ground, h, facing))
        temperature[mask] = heat
        facts.append({"kind": kind, "x": round(x / size, 3), "temperature": round(heat, 3)})
    thermal = blur(temperature, 1.6) + gaussian_noise(rng, temperature.shape, 0.012)
    return thermal, facts


def render_infrared(kind: str, slot: int, rng: random.Random, size: int) -> SensorItem:
    """One thermal image and its question of ``kind`` (see :data:`INFRARED_KINDS`)."""
    objects: list[tuple[str, float]]
    if kind == "count":
        people = count(slot)
        objects = [("person", rng.uniform(*WARM)) for _ in range(people)]
        if people <= 2:  # a cooler distractor that is not a person
            objects.insert(rng.randint(0, people), (rng.choice(("dog", "car")), rng.uniform(*COOL)))
        answer, options = str(people), COUNT_OPTIONS
    elif kind == "side":
        answer, options = pick(slot, ("left", "right")), SIDES
        hot = (rng.choice(THERMAL_OBJECTS), rng.uniform(*HOT))
        cool = (rng.choice(THERMAL_OBJECTS), rng.uniform(*COOL))
        objects = [hot, cool] if answer == "left" else [cool, hot]
    elif kind == "presence":
        answer, options = yes_no(slot), YES_NO
        others = [(rng.choice(("person", "car")), rng.uniform(*WARM)) for _ in range(2 if answer == "no" else 1)]
        objects = [*others, ("dog", rng.uniform(*WARM))] if answer == "yes" else others
        rng.shuffle(objects)
    elif kind == "warmest":
        answer, options = pick(slot, THERMAL_OBJECTS), {name: OBJECT_FORMS[name] for name in THERMAL_OBJECTS}
        other = rng.choice([name for name in THERMAL_OBJECTS if name != answer])
        objects = [(answer, rng.uniform(*HOT)), (other, rng.uniform(*COOL))]
        rng.shuffle(objects)
    else:
        raise KeyError(f"infrared has no question kind {kind!r}; expected one of {', '.join(INFRARED_KINDS)}")
    thermal, facts = _render(rng, size, objects)
    image = rgb_image(palette(thermal, IRONBOW))
    return item(image, QUESTIONS[kind], answer, options, kind, {"objects": facts})
