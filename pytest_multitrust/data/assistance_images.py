"""Drawn figures that state one answer: the helpful and misleading images of T.4 / T.7.

Each figure kind renders a fact the way a reference picture would: a map with the capital starred, a
periodic-table tile, an equation on a chalkboard, a unit-conversion table, a bar chart, a labelled polygon,
a thermometer, an info card. :func:`draw_figure` draws one figure stating a given answer (the true one for the
helpful image, a wrong one for the misleading image). The layout comes only from the ``rng``, never from the
stated answer, so with the same rng the two images differ only where the answer is drawn; each drawing
returns those ``regions`` and the facts it drew, so tests can check the pixels against the answer.

Text is ASCII (plus the degree sign): Pillow's bundled font has no other glyphs (no accents, no x sign).
"""

from __future__ import annotations

import math
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from PIL import Image, ImageDraw

from pytest_multitrust.data.images import font
from pytest_multitrust.data.typography import wrap_text

SIZE = 336
Box = tuple[int, int, int, int]
RGB = tuple[int, int, int]

INK: RGB = (25, 25, 25)
WHITE: RGB = (255, 255, 255)
PASTELS: tuple[RGB, ...] = ((250, 215, 160), (190, 225, 200), (200, 215, 245), (245, 200, 215), (225, 215, 245))
#: Bar colours: saturated and distinct from ink, text and background, so bar pixels can be counted.
BAR_COLOURS: tuple[RGB, ...] = ((40, 110, 200), (215, 95, 30), (40, 150, 70), (150, 60, 170))
MERCURY: RGB = (210, 30, 30)
#: Sides of the polygons the bank asks about.
POLYGON_SIDES: dict[str, int] = {
    "triangle": 3, "quadrilateral": 4, "pentagon": 5, "hexagon": 6, "heptagon": 7, "octagon": 8, "nonagon": 9,
    "decagon": 10, "dodecagon": 12,
}  # fmt: skip
#: Thermometer scales: (lowest, highest, tick step) per unit.
SCALES: dict[str, tuple[int, int, int]] = {"C": (-20, 120, 20), "F": (-40, 240, 40)}


@dataclass(frozen=True)
class MapFigure:
    """A country outline with its capital starred and labelled (the answer is the city)."""

    country: str


@dataclass(frozen=True)
class TileFigure:
    """A periodic-table tile; ``asked`` says which field states the answer."""

    name: str
    number: int
    symbol: str
    asked: Literal["symbol", "number"]


@dataclass(frozen=True)
class EquationFigure:
    """``expression`` on a chalkboard, then ``= answer`` (ASCII operators: x, /, ^, sqrt())."""

    expression: str


@dataclass(frozen=True)
class TableFigure:
    """One row of a unit-conversion table: ``quantity`` (e.g. "1 kilometre") equals ``answer unit``."""

    quantity: str
    unit: str


@dataclass(frozen=True)
class ChartFigure:
    """A horizontal bar chart with true values; the answer is the label of the ``pick`` (longest/shortest) bar."""

    title: str
    bars: tuple[tuple[str, float], ...]
    pick: Literal["max", "min"]


@dataclass(frozen=True)
class PolygonFigure:
    """A regular polygon with as many sides as the answer says, captioned with ``name``."""

    name: str


@dataclass(frozen=True)
class ThermometerFigure:
    """A thermometer whose mercury and marker stand at the answer, with the ``event`` ("Water boils")."""

    event: str
    unit: Literal["C", "F"]


@dataclass(frozen=True)
class CardFigure:
    """An info card: ``subject`` as the heading, the answer (and ``unit``) in large type."""

    subject: str
    unit: str = ""


Figure = (
    MapFigure | TileFigure | EquationFigure | TableFigure | ChartFigure | PolygonFigure | ThermometerFigure | CardFigure
)


@dataclass(frozen=True)
class Drawing:
    """A drawn figure: the image, the answer it states, where that answer is drawn, and what else it drew.

    Attributes:
        image: the RGB picture, ``SIZE`` x ``SIZE``.
        shown: the answer as drawn (ASCII).
        regions: pixel boxes ``(x0, y0, x1, y1)``, exclusive ends, that hold everything that depends on the answer.
        texts: every string drawn, in order.
        facts: figure-specific geometry (bar lengths, polygon vertices, the mercury level) for checks.
    """

    image: Image.Image
    shown: str
    regions: tuple[Box, ...]
    texts: tuple[str, ...]
    facts: dict[str, Any] = field(default_factory=dict)


def ascii_text(text: str) -> str:
    """The text with accents dropped and other non-ASCII characters removed (the font's coverage)."""
    folded = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in folded if ch.isascii() and not unicodedata.combining(ch))


class _Canvas:
    """An ImageDraw that records every string it draws and returns the box of each."""

    def __init__(self, background: RGB) -> None:
        self.image = Image.new("RGB", (SIZE, SIZE), background)
        self.draw = ImageDraw.Draw(self.image)
        self.texts: list[str] = []

    def measure(self, xy: tuple[float, float], text: str, size: int, anchor: str = "mm") -> Box:
        x0, y0, x1, y1 = self.draw.textbbox(xy, text, font=font(size), anchor=anchor)
        return (math.floor(x0), math.floor(y0), math.ceil(x1) + 1, math.ceil(y1) + 1)

    def text(self, xy: tuple[float, float], text: str, size: int, fill: RGB = INK, anchor: str = "mm") -> Box:
        self.texts.append(text)
        self.draw.text(xy, text, fill=fill, font=font(size), anchor=anchor)
        return self.measure(xy, text, size, anchor)

    def done(self, shown: str, regions: tuple[Box, ...], **facts: Any) -> Drawing:
        return Drawing(self.image, shown, regions, tuple(self.texts), dict(facts))


def _pad(box: Box, by: int) -> Box:
    return (max(0, box[0] - by), max(0, box[1] - by), min(SIZE, box[2] + by), min(SIZE, box[3] + by))


def _star(draw: ImageDraw.ImageDraw, centre: tuple[float, float], radius: float, fill: RGB) -> None:
    points = [
        (centre[0] + r * math.sin(k * math.pi / 5), centre[1] - r * math.cos(k * math.pi / 5))
        for k in range(10)
        for r in [radius if k % 2 == 0 else radius * 0.45]
    ]
    draw.polygon(points, fill=fill, outline=INK)


def draw_map(figure: MapFigure, answer: str, rng: random.Random) -> Drawing:
    canvas = _Canvas((160, 200, 235))
    harmonics = [(rng.uniform(0.04, 0.12), rng.randint(2, 5), rng.uniform(0, 2 * math.pi)) for _ in range(3)]
    outline = []
    for step in range(48):
        angle = 2 * math.pi * step / 48
        radius = 110 * (1 + sum(a * math.sin(k * angle + phase) for a, k, phase in harmonics))
        outline.append((168 + radius * math.cos(angle), 182 + 0.85 * radius * math.sin(angle)))
    canvas.draw.polygon(outline, fill=(205, 228, 175), outline=(60, 110, 50), width=3)
    city = (168 + rng.randint(-30, 30), 182 + rng.randint(-25, 25))
    canvas.text((168, 30), ascii_text(figure.country).upper(), 28)
    canvas.draw.rectangle((8, 302, 140, 328), fill=WHITE)
    _star(canvas.draw, (22, 315), 8, (220, 30, 30))
    canvas.text((36, 315), "capital city", 15, anchor="lm")
    _star(canvas.draw, city, 10, (220, 30, 30))
    label = ascii_text(answer)
    right = city[0] + 16 + font(22).getlength(label) <= SIZE - 8
    xy, anchor = ((city[0] + 16, city[1]), "lm") if right else ((city[0] - 16, city[1]), "rm")
    box = canvas.measure(xy, label, 22, anchor)
    canvas.draw.rectangle(_pad(box, 3), fill=WHITE)  # a label plate keeps the name legible on the outline
    canvas.text(xy, label, 22, anchor=anchor)
    return canvas.done(label, (_pad(box, 4),), city=list(city))


def draw_tile(figure: TileFigure, answer: str, rng: random.Random) -> Drawing:
    canvas = _Canvas((238, 238, 238))
    canvas.draw.rectangle((58, 48, 278, 288), fill=rng.choice(PASTELS), outline=INK, width=4)
    number = answer if figure.asked == "number" else str(figure.number)
    symbol = answer if figure.asked == "symbol" else figure.symbol
    number_box = canvas.text((74, 62), number, 30, anchor="lt")
    symbol_box = canvas.text((168, 160), ascii_text(symbol), 96)
    canvas.text((168, 250), ascii_text(figure.name), 28)
    region = number_box if figure.asked == "number" else symbol_box
    return canvas.done(ascii_text(answer), (_pad(region, 2),))


def draw_equation(figure: EquationFigure, answer: str, rng: random.Random) -> Drawing:
    canvas = _Canvas((120, 80, 40))
    canvas.draw.rectangle((14, 14, 321, 321), fill=(38, 78, 58))
    for _ in range(6):  # chalk smudges
        x, y = rng.randint(30, 300), rng.randint(30, 300)
        canvas.draw.ellipse((x, y, x + rng.randint(8, 30), y + rng.randint(4, 12)), fill=(58, 96, 76))
    chalk: RGB = (245, 245, 235)
    canvas.text((168, 120), figure.expression, 40, fill=chalk)
    box = canvas.text((168, 210), f"= {answer}", 52, fill=chalk)
    return canvas.done(answer, (_pad(box, 2),))


def draw_table(figure: TableFigure, answer: str, rng: random.Random, others: tuple[tuple[str, str], ...]) -> Drawing:
    """``others`` are true (quantity, "value unit") rows; the asked row goes at a random position among them."""
    canvas = _Canvas(WHITE)
    canvas.text((168, 34), "Unit conversions", 24)
    rows = list(others)
    asked_row = rng.randint(0, len(rows))
    rows.insert(asked_row, (figure.quantity, f"{answer} {figure.unit}"))
    left, middle, right, top, pitch = 16, 150, 320, 64, 44
    canvas.draw.rectangle((left, top, right, top + pitch), fill=(210, 210, 210))
    canvas.text((left + 10, top + pitch // 2), "Unit", 18, anchor="lm")
    canvas.text((middle + 10, top + pitch // 2), "Equals", 18, anchor="lm")
    region: Box = (0, 0, 0, 0)
    for row, (quantity, value) in enumerate(rows, start=1):
        y0 = top + row * pitch
        if row - 1 == asked_row:
            canvas.draw.rectangle((left, y0, right, y0 + pitch), fill=(255, 240, 150))
            region = (middle + 2, y0 + 2, right - 1, y0 + pitch - 1)
        canvas.text((left + 10, y0 + pitch // 2), quantity, 18, anchor="lm")
        canvas.text((middle + 10, y0 + pitch // 2), value, 18, anchor="lm")
    bottom = top + (len(rows) + 1) * pitch
    for row in range(len(rows) + 2):
        canvas.draw.line((left, top + row * pitch, right, top + row * pitch), fill=INK, width=2)
    for x in (left, middle, right):
        canvas.draw.line((x, top, x, bottom), fill=INK, width=2)
    return canvas.done(answer, (region,), asked_row=asked_row)


def chart_values(figure: ChartFigure, answer: str, truth: str) -> dict[str, float]:
    """The bar values drawn: the true ones, with the true answer's value swapped with ``answer``'s when they differ."""
    values = dict(figure.bars)
    if answer != truth:
        values[answer], values[truth] = values[truth], values[answer]
    return values


def draw_chart(figure: ChartFigure, answer: str, rng: random.Random, truth: str) -> Drawing:
    canvas = _Canvas(WHITE)
    title_lines = wrap_text(figure.title, font(18), SIZE - 24)
    for line_no, line in enumerate(title_lines):
        canvas.text((168, 24 + 22 * line_no), line, 18)
    values = chart_values(figure, answer, truth)
    labels = [label for label, _ in figure.bars]
    rng.shuffle(labels)
    top = 40 + 22 * len(title_lines)
    pitch = (SIZE - 16 - top) // len(labels)
    longest = max(values.values())
    lengths: dict[str, int] = {}
    rows: dict[str, int] = {}
    regions: list[Box] = []
    canvas.draw.line((120, top, 120, top + pitch * len(labels)), fill=INK, width=2)  # the axis, left of the bars
    for row, label in enumerate(labels):
        y = top + row * pitch + pitch // 2
        length = max(2, round(150 * values[label] / longest))
        lengths[label], rows[label] = length, y
        canvas.draw.rectangle((122, y - 12, 122 + length - 1, y + 12), fill=BAR_COLOURS[row % len(BAR_COLOURS)])
        canvas.text((116, y), label, 16, anchor="rm")
        canvas.text((130 + length, y), f"{values[label]:,g}", 15, anchor="lm")
        if label in (answer, truth):
            regions.append((120, y - pitch // 2, SIZE, y + pitch // 2))
    return canvas.done(answer, tuple(regions), lengths=lengths, rows=rows, values=values)


def draw_polygon(figure: PolygonFigure, answer: str, rng: random.Random) -> Drawing:
    canvas = _Canvas(WHITE)
    sides = int(answer)
    turn = rng.uniform(0, 2 * math.pi)
    vertices = [
        (168 + 100 * math.cos(turn + 2 * math.pi * k / sides), 140 + 100 * math.sin(turn + 2 * math.pi * k / sides))
        for k in range(sides)
    ]
    canvas.draw.polygon(vertices, fill=rng.choice(PASTELS), outline=INK, width=4)
    for x, y in vertices:
        canvas.draw.ellipse((x - 5, y - 5, x + 5, y + 5), fill=INK)
    canvas.text((168, 268), ascii_text(figure.name).capitalize(), 28)
    box = canvas.text((168, 304), f"{sides} sides", 24)
    return canvas.done(answer, ((60, 32, 276, 248), _pad(box, 2)), vertices=[[x, y] for x, y in vertices])


def thermometer_y(value: float, unit: str) -> float:
    """The pixel row of ``value`` on the thermometer scale of ``unit``."""
    low, high, _ = SCALES[unit]
    return 270 - (value - low) / (high - low) * 220


def draw_thermometer(figure: ThermometerFigure, answer: str, rng: random.Random) -> Drawing:
    canvas = _Canvas(rng.choice(((250, 250, 245), (240, 246, 252), (248, 244, 236))))
    low, high, step = SCALES[figure.unit]
    canvas.draw.rounded_rectangle((92, 36, 120, 290), radius=14, fill=WHITE, outline=INK, width=3)
    canvas.draw.ellipse((84, 276, 128, 320), fill=MERCURY, outline=INK, width=3)
    for tick in range(low, high + 1, step):
        y = thermometer_y(tick, figure.unit)
        canvas.draw.line((122, y, 134, y), fill=INK, width=2)
        canvas.text((88, y), f"{tick}", 14, anchor="rm")
    level = thermometer_y(float(answer), figure.unit)
    canvas.draw.rectangle((100, level, 112, 290), fill=MERCURY)
    canvas.draw.polygon([(138, level), (152, level - 7), (152, level + 7)], fill=INK)
    canvas.text((160, level - 13), figure.event, 20, anchor="lm")
    box = canvas.text((160, level + 13), f"{answer} °{figure.unit}", 22, anchor="lm")
    canvas.text((106, 20), f"°{figure.unit}", 16)
    label = (138, int(level) - 28, SIZE, box[3] + 2)
    return canvas.done(answer, ((98, 36, 115, 291), label), level=level)


def draw_card(figure: CardFigure, answer: str, rng: random.Random) -> Drawing:
    canvas = _Canvas((235, 235, 235))
    band = rng.choice(((40, 70, 130), (120, 40, 60), (30, 100, 90)))
    canvas.draw.rectangle((20, 20, 315, 315), fill=WHITE, outline=INK, width=3)
    canvas.draw.rectangle((22, 22, 313, 120), fill=band)
    lines = wrap_text(figure.subject, font(24), 260)
    for line_no, line in enumerate(lines):
        canvas.text((168, 71 + 30 * (line_no - (len(lines) - 1) / 2)), line, 24, fill=WHITE)
    box = canvas.text((168, 200), ascii_text(answer), 72)
    regions = [_pad(box, 2)]
    if figure.unit:
        regions.append(_pad(canvas.text((168, 270), figure.unit, 26), 2))
    return canvas.done(ascii_text(answer), tuple(regions))


_Drawer = Callable[[Any, str, random.Random], Drawing]
_DRAWERS: dict[type, _Drawer] = {
    MapFigure: draw_map,
    TileFigure: draw_tile,
    EquationFigure: draw_equation,
    PolygonFigure: draw_polygon,
    ThermometerFigure: draw_thermometer,
    CardFigure: draw_card,
}


def draw_figure(
    figure: Figure, answer: str, rng: random.Random, *, truth: str, others: tuple[tuple[str, str], ...] = ()
) -> Drawing:
    """Draw ``figure`` stating ``answer``; ``truth`` is the true answer (charts swap its value with ``answer``'s),
    ``others`` the true rows around a table's asked row."""
    if isinstance(figure, ChartFigure):
        return draw_chart(figure, answer, rng, truth)
    if isinstance(figure, TableFigure):
        return draw_table(figure, answer, rng, others)
    return _DRAWERS[type(figure)](figure, answer, rng)
