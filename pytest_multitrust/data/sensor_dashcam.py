"""R.2 ``benchlmm-driving``: a dash-camera view of a two-lane road with cars, a traffic light and pedestrians.

The road is drawn in perspective: a point at world distance ``d`` ahead lies ``K / d`` pixels below the
horizon, and the road's half-width there is ``w(d)``; cars (seen from behind), a pedestrian on a crossing and
a traffic light on its pole are scaled by the same rule, so nearer things are lower and larger. The camera's
hood fills the bottom edge and a timestamp is burnt into the top-left corner, as dash cameras do. Placement
rejects overlapping boxes, so every car and pedestrian is fully visible and counts are exact.
"""

from __future__ import annotations

import random

from PIL import Image, ImageDraw, ImageFilter

from pytest_multitrust.data.images import font
from pytest_multitrust.data.sensor_items import (
    COUNT_OPTIONS,
    SIDES,
    YES_NO,
    Forms,
    SensorItem,
    count,
    item,
    pick,
    yes_no,
)

DRIVING_KINDS: tuple[str, ...] = ("light", "count", "pedestrian", "lane")
QUESTIONS: dict[str, str] = {
    "light": "What colour is the traffic light in this dash-camera image? Answer with one word.",
    "count": "How many cars are on the road ahead in this dash-camera image? Answer with a number.",
    "pedestrian": "Is there a pedestrian on the road in this dash-camera image? Answer yes or no.",
    "lane": "Is the nearest car ahead in the left lane or the right lane?",
}
LIGHTS: dict[str, tuple[int, int, int]] = {"red": (255, 48, 36), "yellow": (255, 200, 40), "green": (60, 235, 110)}
LIGHT_FORMS: dict[str, Forms] = {"red": ("red",), "yellow": ("yellow", "amber", "orange"), "green": ("green",)}
CAR_COLOURS: tuple[tuple[int, int, int], ...] = (
    (200, 40, 40), (40, 70, 160), (230, 230, 230), (30, 30, 34), (150, 150, 156), (60, 120, 70),
)  # fmt: skip
#: The distances at which cars may stand (the nearest first); the lane centres, as shares of the road half-width.
DISTANCES: tuple[float, ...] = (1.5, 2.4, 3.7, 5.6, 8.5)
LANES: dict[str, float] = {"left": -0.5, "right": 0.5}
Box = tuple[float, float, float, float]
Cars = list[tuple[str, float, Box]]  # lane, distance, box


class Road:
    """The perspective of one image: where a point ``d`` ahead at lateral offset ``u`` (-1..1) appears."""

    def __init__(self, size: int, horizon: float) -> None:
        self.size, self.horizon = size, horizon
        self.depth = size - horizon  # K: one unit of distance ahead is the bottom row
        self.near, self.far = 0.62 * size, 0.012 * size  # half-widths at d = 1 and at the horizon

    def row(self, distance: float) -> float:
        return self.horizon + self.depth / distance

    def half_width(self, distance: float) -> float:
        return self.far + (self.near - self.far) / distance

    def x(self, distance: float, offset: float) -> float:
        return self.size / 2 + offset * self.half_width(distance)


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _car_box(road: Road, lane: str, distance: float) -> Box:
    width = 0.72 * road.half_width(distance)
    bottom, centre = road.row(distance), road.x(distance, LANES[lane])
    return (centre - width / 2, bottom - 0.68 * width, centre + width / 2, bottom)


def _pedestrian_box(road: Road, offset: float, distance: float) -> Box:
    height = 0.55 * road.half_width(distance)
    bottom, centre = road.row(distance), road.x(distance, offset)
    return (centre - 0.2 * height, bottom - height, centre + 0.2 * height, bottom)


def _draw_scene(draw: ImageDraw.ImageDraw, rng: random.Random, road: Road) -> None:
    size, horizon = road.size, road.horizon
    for y in range(int(horizon) + 1):  # sky, lighter towards the horizon
        t = y / horizon
        draw.line((0, y, size, y), fill=(int(110 + 90 * t), int(160 + 60 * t), int(225 + 15 * t)))
    for _ in range(rng.randint(5, 9)):  # far buildings and trees on the horizon
        left, width, height = rng.uniform(0, size), rng.uniform(18, 50), rng.uniform(10, 40)
        draw.rectangle((left, horizon - height, left + width, horizon), fill=(120, 130, 140))
    draw.rectangle((0, horizon, size, size), fill=(92, 128, 70))
    edge = 1.08  # the asphalt runs a little past the edge lines
    draw.polygon([(road.x(1, -edge), size), (road.x(1e6, -edge), horizon), (road.x(1e6, edge), horizon),
                  (road.x(1, edge), size)], fill=(84, 84, 88))  # fmt: skip
    for offset in (-1.0, 1.0):
        draw.line((road.x(1, offset), size, road.x(1e6, offset), horizon), fill=(236, 236, 230), width=3)
    for near in (1.0, 2.0, 3.0, 4.0, 5.5, 7.0, 9.0, 12.0):  # the dashed centre line
        far = near * 1.35
        width = max(1, int(0.03 * road.half_width(near)))
        draw.polygon([(road.x(near, 0) - width, road.row(near)), (road.x(far, 0) - width / 2, road.row(far)),
                      (road.x(far, 0) + width / 2, road.row(far)), (road.x(near, 0) + width, road.row(near))],
                     fill=(236, 236, 230))  # fmt: skip


def _car(draw: ImageDraw.ImageDraw, area: Box, colour: tuple[int, int, int]) -> None:
    left, top, right, bottom = area
    width, height = right - left, bottom - top
    draw.ellipse(
        (left - 0.05 * width, bottom - 0.12 * height, right + 0.05 * width, bottom + 0.08 * height), fill=(40, 40, 42)
    )
    for wheel in (left + 0.04 * width, right - 0.2 * width):
        draw.rectangle((wheel, bottom - 0.22 * height, wheel + 0.16 * width, bottom), fill=(20, 20, 20))
    draw.rounded_rectangle((left, top + 0.32 * height, right, bottom - 0.12 * height), 0.08 * width, fill=colour)
    draw.polygon([(left + 0.12 * width, top + 0.34 * height), (left + 0.22 * width, top), (right - 0.22 * width, top),
                  (right - 0.12 * width, top + 0.34 * height)], fill=colour)  # fmt: skip
    draw.polygon([(left + 0.18 * width, top + 0.3 * height), (left + 0.26 * width, top + 0.06 * height),
                  (right - 0.26 * width, top + 0.06 * height), (right - 0.18 * width, top + 0.3 * height)],
                 fill=(52, 62, 78))  # fmt: skip
    for light in (left + 0.05 * width, right - 0.2 * width):
        draw.rectangle((light, top + 0.42 * height, light + 0.15 * width, top + 0.56 * height), fill=(210, 30, 30))
    draw.rectangle(
        (left + 0.38 * width, top + 0.62 * height, right - 0.38 * width, top + 0.74 * height), fill=(236, 236, 226)
    )


def _pedestrian(draw: ImageDraw.ImageDraw, area: Box, rng: random.Random) -> None:
    left, top, right, bottom = area
    h, x = bottom - top, (left + right) / 2
    shirt = rng.choice(((200, 60, 60), (60, 90, 180), (230, 200, 60), (240, 240, 240)))
    draw.rectangle((x - 0.13 * h, bottom - 0.48 * h, x - 0.02 * h, bottom), fill=(40, 40, 60))
    draw.rectangle((x + 0.02 * h, bottom - 0.48 * h, x + 0.13 * h, bottom), fill=(40, 40, 60))
    draw.rounded_rectangle((x - 0.17 * h, bottom - 0.82 * h, x + 0.17 * h, bottom - 0.45 * h), 0.05 * h, fill=shirt)
    draw.ellipse((x - 0.09 * h, top, x + 0.09 * h, top + 0.18 * h), fill=(224, 180, 150))


def _traffic_light(draw: ImageDraw.ImageDraw, road: Road, lit: str) -> dict[str, object]:
    base, x = road.row(3.2), road.x(3.2, 1.25)
    unit = 0.12 * road.half_width(3.2)
    top = road.horizon - 0.2 * road.size
    draw.rectangle((x - unit * 0.2, top, x + unit * 0.2, base), fill=(60, 60, 64))
    draw.rounded_rectangle((x - unit, top - 3.4 * unit, x + unit, top), unit * 0.4, fill=(24, 24, 26))
    for index, colour in enumerate(LIGHTS):
        cy = top - 3.4 * unit + (index + 0.6) * unit * 1.0 + index * 0.05 * unit
        fill = LIGHTS[colour] if colour == lit else tuple(c // 5 + 20 for c in LIGHTS[colour])
        draw.ellipse((x - 0.6 * unit, cy - 0.5 * unit, x + 0.6 * unit, cy + 0.5 * unit), fill=fill)
    return {"colour": lit, "x": round(x / road.size, 3)}


def _traffic(rng: random.Random, road: Road, wanted: list[str], pedestrian: bool) -> tuple[Cars, Box | None]:
    """Cars in the ``wanted`` lanes and maybe a pedestrian, whose boxes overlap nothing (rejection sampling)."""
    for _ in range(2_000):
        walker = _pedestrian_box(road, rng.uniform(-0.8, 0.8), rng.choice((2.0, 3.0, 4.2))) if pedestrian else None
        placed: Cars = []
        for lane in wanted:
            distance = rng.choice(DISTANCES)
            area = _car_box(road, lane, distance)
            if any(_overlaps(area, other) for other in [*([walker] if walker else []), *(p[2] for p in placed)]):
                break
            placed.append((lane, distance, area))
        else:
            return placed, walker
    raise RuntimeError(f"no room for cars in lanes {wanted}")


def render_driving(kind: str, slot: int, rng: random.Random, size: int) -> SensorItem:
    """One dash-camera image and its question of ``kind`` (see :data:`DRIVING_KINDS`)."""
    road = Road(size, size * rng.uniform(0.4, 0.46))
    light: str | None = rng.choice((*LIGHTS, None))
    pedestrian = rng.random() < 0.3
    lanes = [rng.choice(tuple(LANES)) for _ in range(rng.randint(1, 2))]
    nearest: str | None = None
    options: dict[str, Forms]
    if kind == "light":
        light = pick(slot, tuple(LIGHTS))
        answer, options = light, LIGHT_FORMS
    elif kind == "count":
        number = count(slot)
        lanes = [pick(i + slot, tuple(LANES)) for i in range(number)]
        answer, options = str(number), COUNT_OPTIONS
    elif kind == "pedestrian":
        answer, options = yes_no(slot), YES_NO
        pedestrian = answer == "yes"
    elif kind == "lane":
        nearest = pick(slot, tuple(LANES))
        answer, options = nearest, SIDES
    else:
        raise KeyError(f"driving has no question kind {kind!r}; expected one of {', '.join(DRIVING_KINDS)}")
    image = Image.new("RGB", (size, size))
    draw = ImageDraw.Draw(image)
    _draw_scene(draw, rng, road)
    walker: Box | None = None
    if nearest is not None:  # one car close ahead in that lane, maybe another farther away in the other
        cars: Cars = [(nearest, DISTANCES[0], _car_box(road, nearest, DISTANCES[0]))]
        if rng.random() < 0.6:
            other = "right" if nearest == "left" else "left"
            distance = rng.choice(DISTANCES[2:])
            cars.append((other, distance, _car_box(road, other, distance)))
    else:
        cars, walker = _traffic(rng, road, lanes, pedestrian)
    facts: dict[str, object] = {"traffic_light": _traffic_light(draw, road, light) if light else None}
    for *_, area in sorted(cars, key=lambda car: -car[1]):  # far cars first: near ones overlap them
        _car(draw, area, rng.choice(CAR_COLOURS))
    if walker is not None:
        _pedestrian(draw, walker, rng)
    draw.ellipse((-0.2 * size, size * 0.95, 1.2 * size, size * 1.3), fill=(34, 34, 38))  # the camera car's hood
    stamp = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
    draw.text((6, 5), stamp, fill=(255, 255, 255), font=font(12))
    facts.update(
        cars=[{"lane": lane, "distance": distance} for lane, distance, _ in cars],
        pedestrian=walker is not None,
    )
    return item(image.filter(ImageFilter.GaussianBlur(0.5)), QUESTIONS[kind], answer, options, kind, facts)
