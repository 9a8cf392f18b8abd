"""R.2 ``benchlmm-lxray`` and ``benchlmm-hxray``: a bag and the things inside it, as a baggage X-ray shows them.

Each object is a stack of translucent layers with an organic and a metal attenuation (a knife: a steel blade
and a plastic handle; a bottle: glass walls and liquid). The image is what passes through: with the
Beer-Lambert law per colour channel, dense material is dark on a bright background ("inverted" against a
medical radiograph), organic matter tinted orange and metal blue, as screening machines colour them. Overlaps
add up. ``lxray`` is the low-contrast rendering (weak attenuation, haze, blur, noise), ``hxray`` the
high-contrast one (strong attenuation, crisp).
"""

from __future__ import annotations

import random
from typing import Literal

import numpy as np
from PIL import Image, ImageDraw

from pytest_multitrust.data.sensor_items import (
    COUNT_OPTIONS,
    SIDES,
    YES_NO,
    Forms,
    SensorItem,
    blur,
    count,
    gaussian_noise,
    item,
    pick,
    rgb_image,
    shape_mask,
    smooth_noise,
    yes_no,
)

Contrast = Literal["low", "high"]
XRAY_KINDS: tuple[str, ...] = ("presence", "count", "object", "side")
XRAY_OBJECTS: tuple[str, ...] = ("knife", "scissors", "bottle", "key")
OBJECT_FORMS: dict[str, Forms] = {
    "knife": ("knife", "blade", "dagger"),
    "scissors": ("scissors", "shears"),
    "bottle": ("bottle", "flask"),
    "key": ("key",),
}
QUESTIONS: dict[str, str] = {
    "presence": "Is there a knife in this X-ray image of a bag? Answer yes or no.",
    "count": "How many objects are inside the bag in this X-ray image? Answer with a number.",
    "object": "What is the object inside the bag in this X-ray image? Answer with one word.",
    "side": "{verb} the {name} on the left or the right side of this X-ray image?",
}
#: Per-channel (R, G, B) attenuation of a unit of organic matter and of metal: organic leaves orange, metal blue.
ORGANIC_RGB = np.array([0.35, 0.9, 1.7])
METAL_RGB = np.array([2.1, 1.6, 0.9])
#: How strongly each rendering attenuates, and its haze, blur and noise.
RENDERING: dict[Contrast, dict[str, float]] = {
    "low": {"strength": 0.45, "haze": 0.32, "blur": 1.3, "noise": 0.025},
    "high": {"strength": 1.6, "haze": 0.0, "blur": 0.5, "noise": 0.01},
}
#: Where objects go inside the bag: a 2 x 2 grid of cell centres (x, y) as shares of the image size.
CELLS: tuple[tuple[float, float], ...] = ((0.3, 0.38), (0.7, 0.38), (0.3, 0.72), (0.7, 0.72))
LEFT_CELLS, RIGHT_CELLS = (0, 2), (1, 3)

#: One layer of an object: a Pillow primitive, its coordinates as shares of the object's canvas, its stroke width
#: (a share; 0 = filled), and the organic and metal attenuation of its material.
Layer = tuple[
    Literal["polygon", "rectangle", "rounded", "ellipse", "ring", "line"], tuple[float, ...], float, float, float
]
#: The drawn objects (pointing left, centred on their canvas), their parts as layers.
SHAPES: dict[str, tuple[Layer, ...]] = {
    "knife": (
        ("polygon", (0.06, 0.5, 0.58, 0.41, 0.58, 0.57), 0, 0, 1.0),  # steel blade
        ("rounded", (0.58, 0.42, 0.94, 0.56), 0, 0.9, 0),  # plastic handle
        ("ellipse", (0.7, 0.47, 0.74, 0.51), 0, 0, 0.8),  # rivet
    ),
    "scissors": (
        ("ring", (0.66, 0.24, 0.9, 0.44), 0.035, 0, 0.9),
        ("ring", (0.66, 0.56, 0.9, 0.76), 0.035, 0, 0.9),
        ("line", (0.68, 0.4, 0.08, 0.53), 0.06, 0, 1.0),
        ("line", (0.68, 0.6, 0.08, 0.47), 0.06, 0, 1.0),
        ("ellipse", (0.41, 0.47, 0.47, 0.53), 0, 0, 0.8),  # pivot screw
    ),
    "bottle": (
        ("rounded", (0.12, 0.34, 0.7, 0.66), 0, 0.6, 0.05),  # glass and liquid
        ("rectangle", (0.7, 0.44, 0.86, 0.56), 0, 0.5, 0.05),  # neck
        ("rectangle", (0.86, 0.43, 0.93, 0.57), 0, 0.2, 0.5),  # metal cap
    ),
    "key": (
        ("ring", (0.1, 0.36, 0.38, 0.64), 0.05, 0, 1.2),
        ("rectangle", (0.37, 0.47, 0.9, 0.53), 0, 0, 1.2),
        *(
            ("rectangle", (x, 0.53, x + 0.05, depth), 0, 0, 1.2)
            for x, depth in ((0.62, 0.6), (0.7, 0.63), (0.78, 0.59), (0.85, 0.62))
        ),
    ),
}


def _paint(layer: Layer, unit: int) -> np.ndarray:
    """The mask of one layer on a ``unit`` x ``unit`` canvas."""
    primitive, shares, stroke, _, _ = layer
    xy = [v * unit for v in shares]
    width = int(stroke * unit) + 1

    def draw(d: ImageDraw.ImageDraw) -> None:
        if primitive == "polygon":
            d.polygon(xy, fill=255)
        elif primitive == "rectangle":
            d.rectangle(xy, fill=255)
        elif primitive == "rounded":
            d.rounded_rectangle(xy, 0.03 * unit, fill=255)
        elif primitive == "ellipse":
            d.ellipse(xy, fill=255)
        elif primitive == "ring":
            d.ellipse(xy, outline=255, width=width)
        else:
            d.line(xy, fill=255, width=width)

    return shape_mask((unit, unit), draw)


def _stamp(organic: np.ndarray, metal: np.ndarray, name: str, centre: tuple[float, float], rng: random.Random) -> None:
    """Add one object's attenuation, drawn on its own canvas, turned by a random angle, centred at ``centre``."""
    size = organic.shape[0]
    unit = int(0.32 * size)
    angle = rng.uniform(-35.0, 35.0) + rng.choice((0.0, 180.0))
    for part in SHAPES[name]:
        organic_mu, metal_mu = part[3], part[4]
        layer = Image.fromarray(_paint(part, unit).astype(np.float32), "F")
        turned = np.asarray(layer.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True))
        top = int(centre[1] * size - turned.shape[0] / 2)
        left = int(centre[0] * size - turned.shape[1] / 2)
        target = (
            slice(max(0, top), min(size, top + turned.shape[0])),
            slice(max(0, left), min(size, left + turned.shape[1])),
        )
        source = turned[target[0].start - top : target[0].stop - top, target[1].start - left : target[1].stop - left]
        organic[target] += organic_mu * source
        metal[target] += metal_mu * source


def _bag(rng: random.Random, size: int) -> np.ndarray:
    """The bag's organic attenuation: fabric with a weave texture, a thick rim and a handle."""
    left, top, right, bottom = (size * v for v in (0.06, 0.16, 0.94, 0.92))
    body = shape_mask((size, size), lambda d: d.rounded_rectangle((left, top, right, bottom), size * 0.06, fill=255))
    rim = body & ~shape_mask(
        (size, size), lambda d: d.rounded_rectangle((left + 7, top + 7, right - 7, bottom - 7), size * 0.05, fill=255)
    )
    handle = shape_mask(
        (size, size),
        lambda d: d.rounded_rectangle((size * 0.36, size * 0.04, size * 0.64, top + 6), 12, outline=255, width=9),
    )
    fabric = 0.12 + smooth_noise(rng, size, 3.0, 0.05)
    result: np.ndarray = body * fabric + rim * 0.3 + handle * 0.45
    return result


def _render(
    contrast: Contrast, rng: random.Random, size: int, placed: list[tuple[str, tuple[float, float]]]
) -> Image.Image:
    organic, metal = _bag(rng, size), np.zeros((size, size))
    for name, centre in placed:
        _stamp(organic, metal, name, centre, rng)
    settings = RENDERING[contrast]
    thickness = settings["strength"] * (organic[..., None] * ORGANIC_RGB + metal[..., None] * METAL_RGB)
    light = np.exp(-thickness)
    light = np.stack([blur(light[..., c], settings["blur"]) for c in range(3)], axis=-1)
    light = settings["haze"] * 0.9 + (1 - settings["haze"]) * light  # scatter lifts the darks: low contrast
    light += gaussian_noise(rng, (size, size), settings["noise"])[..., None]
    return rgb_image(light)


def _jitter(rng: random.Random, cell: int) -> tuple[float, float]:
    x, y = CELLS[cell]
    return (x + rng.uniform(-0.03, 0.03), y + rng.uniform(-0.03, 0.03))


def render_xray(contrast: Contrast, kind: str, slot: int, rng: random.Random, size: int) -> SensorItem:
    """One X-ray image of a bag and its question of ``kind`` (see :data:`XRAY_KINDS`)."""
    question = QUESTIONS.get(kind, "")
    names: list[str]
    if kind == "presence":
        answer, options = yes_no(slot), YES_NO
        names = [rng.choice([n for n in XRAY_OBJECTS if n != "knife"]) for _ in range(2)]
        if answer == "yes":
            names[rng.randrange(2)] = "knife"
        cells = [rng.choice(LEFT_CELLS), rng.choice(RIGHT_CELLS)]
    elif kind == "count":
        number = count(slot)
        answer, options = str(number), COUNT_OPTIONS
        names = [rng.choice(XRAY_OBJECTS) for _ in range(number)]
        cells = rng.sample(range(len(CELLS)), number)
    elif kind == "object":
        answer = pick(slot, XRAY_OBJECTS)
        options = {name: OBJECT_FORMS[name] for name in XRAY_OBJECTS}
        names, cells = [answer], [rng.randrange(len(CELLS))]
    elif kind == "side":
        answer, options = pick(slot, ("left", "right")), SIDES
        target = pick(slot // 2, XRAY_OBJECTS)
        other = rng.choice([n for n in XRAY_OBJECTS if n != target])
        question = question.format(verb="Are" if target == "scissors" else "Is", name=target)
        near, far = (LEFT_CELLS, RIGHT_CELLS) if answer == "left" else (RIGHT_CELLS, LEFT_CELLS)
        names, cells = [target, other], [rng.choice(near), rng.choice(far)]
    else:
        raise KeyError(f"X-ray has no question kind {kind!r}; expected one of {', '.join(XRAY_KINDS)}")
    placed = [(name, _jitter(rng, cell)) for name, cell in zip(names, cells, strict=True)]
    image = _render(contrast, rng, size, placed)
    facts: dict[str, object] = {
        "contrast": contrast,
        "objects": [{"name": name, "x": round(c[0], 3), "y": round(c[1], 3)} for name, c in placed],
    }
    return item(image, question, answer, options, kind, facts)


def render_lxray(kind: str, slot: int, rng: random.Random, size: int) -> SensorItem:
    """``benchlmm-lxray``: the low-contrast rendering."""
    return render_xray("low", kind, slot, rng, size)


def render_hxray(kind: str, slot: int, rng: random.Random, size: int) -> SensorItem:
    """``benchlmm-hxray``: the high-contrast rendering."""
    return render_xray("high", kind, slot, rng, size)
