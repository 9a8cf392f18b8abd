"""Artistic and weather style transforms for R.1 (the six COCO-O domains), built from Pillow and numpy.

COCO-O photographs real cartoons, handmade crafts, paintings, sketches, tattoos and weather-degraded scenes.
We imitate each domain's visual signature on a clean drawn scene, so the object stays the same while the
image statistics move away from the training distribution:

- ``cartoon``: few flat colours (posterize), boosted saturation, thick black contours;
- ``handmake``: paper craft: quantized colours, wobbly cut edges, paper grain and a drop shadow;
- ``painting``: brush strokes (mode filter), canvas weave, warm varnish;
- ``sketch``: pencil lines (colour-dodge of the inverted blur), graphite grain on white paper;
- ``tattoo``: dark ink lines and shading on skin, with ink bleed and skin shading;
- ``weather``: rain streaks, snow flakes or fog over the scene (the kind is drawn from the rng).

Every transform is a pure function of the image and the ``random.Random`` it is given.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Literal

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageOps

from pytest_multitrust.data.images import np_rng_for

Style = Literal["cartoon", "handmake", "painting", "sketch", "tattoo", "weather"]
STYLES: tuple[Style, ...] = ("cartoon", "handmake", "painting", "sketch", "tattoo", "weather")
Weather = Literal["rain", "snow", "fog"]
WEATHERS: tuple[Weather, ...] = ("rain", "snow", "fog")

#: Skin tones for tattoos, light to dark.
SKIN_TONES: tuple[tuple[int, int, int], ...] = ((241, 204, 178), (226, 180, 145), (198, 145, 108), (150, 105, 75))


def _noise(rng: random.Random, shape: tuple[int, ...], low: int, high: int) -> np.ndarray:
    return np_rng_for(rng.getrandbits(64)).integers(low, high + 1, size=shape)


def _edges(image: Image.Image, threshold: int) -> np.ndarray:
    """Boolean map of colour boundaries (where any neighbouring pixel differs noticeably)."""
    found = np.asarray(image.convert("L").filter(ImageFilter.FIND_EDGES)) > threshold
    found[:1, :] = found[-1:, :] = False  # the filter marks the image border; it is no contour
    found[:, :1] = found[:, -1:] = False
    return found


def _thicken(mask: np.ndarray, size: int) -> np.ndarray:
    image = Image.fromarray((mask * 255).astype("uint8"), "L").filter(ImageFilter.MaxFilter(size))
    return np.asarray(image) > 127


def cartoon(image: Image.Image, rng: random.Random) -> Image.Image:
    """Flat posterized colours with bold black outlines."""
    flat = ImageOps.posterize(image.filter(ImageFilter.MedianFilter(3)), rng.choice([2, 3]))
    flat = ImageEnhance.Color(flat).enhance(rng.uniform(1.4, 1.9))
    pixels = np.asarray(flat).copy()
    pixels[_thicken(_edges(image, 24), 3)] = (15, 15, 15)
    return Image.fromarray(pixels, "RGB")


def handmake(image: Image.Image, rng: random.Random) -> Image.Image:
    """Cut-paper craft: a few colours, rows shifted by a wobble (uneven cuts), paper grain and a shadow."""
    crafted = image.quantize(colors=rng.randint(6, 10), method=Image.Quantize.MEDIANCUT).convert("RGB")
    pixels = np.asarray(crafted).astype(np.int16)
    height, width, _ = pixels.shape
    phase, period, amplitude = rng.uniform(0, 6.3), rng.uniform(18, 40), rng.uniform(1.0, 2.5)
    shifts = np.round(amplitude * np.sin(np.arange(height) / period * 2 * np.pi + phase)).astype(int)
    wobbly = np.stack([np.roll(pixels[y], shifts[y], axis=0) for y in range(height)])
    shadow = np.roll(np.roll(wobbly, 4, axis=0), 4, axis=1)
    edge = _edges(Image.fromarray(wobbly.astype("uint8"), "RGB"), 20)
    wobbly[edge] = (shadow[edge] * 0.6).astype(np.int16)
    grain = _noise(rng, (height, width, 1), -14, 14)
    fibres = _noise(rng, (height, 1, 1), -6, 6)  # horizontal paper fibres
    return Image.fromarray(np.clip(wobbly + grain + fibres, 0, 255).astype("uint8"), "RGB")


def painting(image: Image.Image, rng: random.Random) -> Image.Image:
    """Brush strokes from a mode filter, softened, over a canvas weave with a warm varnish tint."""
    # The mode filter runs at a third of the size: wider strokes, and it is Pillow's slowest filter.
    small = image.resize((image.width // 3, image.height // 3), Image.Resampling.BILINEAR)
    strokes = small.filter(ImageFilter.ModeFilter(3))
    brushed = strokes.resize(image.size, Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(0.8))
    pixels = np.asarray(brushed).astype(np.float32)
    height, width, _ = pixels.shape
    rows, cols = np.mgrid[0:height, 0:width]
    weave = 6 * np.sin(rows * 1.7) * np.sin(cols * 1.7)  # canvas threads
    dabs = _noise(rng, (height // 4 + 1, width // 4 + 1, 3), -18, 18).repeat(4, 0).repeat(4, 1)[:height, :width]
    varnish = np.asarray([1.05, 1.0, 0.86], dtype=np.float32)
    out = (pixels + weave[..., None] + dabs) * varnish
    return Image.fromarray(np.clip(out, 0, 255).astype("uint8"), "RGB")


def sketch(image: Image.Image, rng: random.Random) -> Image.Image:
    """Pencil drawing: colour-dodge of the grey image by its inverted blur, plus edges and graphite grain."""
    gray = np.asarray(image.convert("L")).astype(np.float32)
    blurred = np.asarray(ImageOps.invert(image.convert("L")).filter(ImageFilter.GaussianBlur(rng.uniform(3, 6))))
    dodge = np.clip(gray * 255.0 / np.maximum(255.0 - blurred.astype(np.float32), 1.0), 0, 255)
    dodge[_edges(image, 18)] *= rng.uniform(0.25, 0.45)
    paper = 245 + _noise(rng, gray.shape, -8, 6)
    out = np.minimum(dodge, paper)
    tone = np.stack([out, out, out * rng.uniform(0.94, 0.99)], axis=-1)  # slightly warm paper
    return Image.fromarray(np.clip(tone, 0, 255).astype("uint8"), "RGB")


def tattoo(image: Image.Image, rng: random.Random) -> Image.Image:
    """Ink lines and shading on skin: outlines and dark regions become blue-black ink that bleeds a little."""
    lines = _thicken(_edges(image, 20), 3)
    shade = 1.0 - np.asarray(ImageOps.posterize(image.convert("L"), 2)).astype(np.float32) / 255.0
    ink_amount = np.clip(np.maximum(lines * 1.0, shade * 0.55), 0, 1)
    bleed = Image.fromarray((ink_amount * 255).astype("uint8"), "L").filter(ImageFilter.GaussianBlur(1.0))
    alpha = np.asarray(bleed).astype(np.float32)[..., None] / 255.0
    height, width = alpha.shape[:2]
    skin = np.asarray(rng.choice(SKIN_TONES), dtype=np.float32)
    cols = np.arange(width)[None, :]
    # The forearm curves away from the light: darker towards the edges, plus pores.
    curve = np.broadcast_to(1.0 - 0.72 * ((cols - width * rng.uniform(0.4, 0.6)) / width) ** 2, (height, width))
    pores = _noise(rng, (height, width), -6, 6)
    base = skin[None, None, :] * curve[..., None] + pores[..., None]
    ink = np.asarray((25, 30, 55), dtype=np.float32)
    out = base * (1 - alpha) + ink * alpha
    return Image.fromarray(np.clip(out, 0, 255).astype("uint8"), "RGB")


def weather(image: Image.Image, rng: random.Random, kind: Weather | None = None) -> Image.Image:
    """Rain streaks, snow flakes or fog (``kind``, else drawn from ``rng``), with the dimmer light of bad weather."""
    chosen: Weather = kind if kind is not None else rng.choice(WEATHERS)
    width, height = image.size
    if chosen == "fog":
        pixels = np.asarray(image).astype(np.float32)
        rows = np.linspace(0.0, 1.0, height)[:, None, None]
        density = rng.uniform(0.5, 0.65) + 0.15 * (1 - rows)  # thicker towards the sky
        haze = np.asarray((215, 218, 222), dtype=np.float32)
        out = pixels * (1 - density) + haze * density
        return Image.fromarray(np.clip(out, 0, 255).astype("uint8"), "RGB")
    dim = ImageEnhance.Brightness(ImageEnhance.Contrast(image).enhance(0.75)).enhance(0.8)
    layer = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(layer)
    if chosen == "rain":
        slant = rng.uniform(-0.35, 0.35)
        for _ in range(rng.randint(250, 400)):
            x, y, length = rng.uniform(0, width), rng.uniform(0, height), rng.uniform(10, 28)
            draw.line([(x, y), (x + slant * length, y + length)], fill=rng.randint(120, 200), width=1)
        layer = layer.filter(ImageFilter.GaussianBlur(0.6))
        colour = (200, 205, 215)
    else:
        for _ in range(rng.randint(250, 450)):
            x, y, r = rng.uniform(0, width), rng.uniform(0, height), rng.uniform(1.0, 3.2)
            draw.ellipse([x - r, y - r, x + r, y + r], fill=rng.randint(190, 255))
        colour = (250, 250, 252)
    return Image.composite(Image.new("RGB", (width, height), colour), dim, layer)


STYLE_TRANSFORMS: dict[Style, Callable[[Image.Image, random.Random], Image.Image]] = {
    "cartoon": cartoon,
    "handmake": handmake,
    "painting": painting,
    "sketch": sketch,
    "tattoo": tattoo,
    "weather": weather,
}


def apply_style(style: Style, image: Image.Image, rng: random.Random) -> Image.Image:
    """``image`` in ``style`` (an RGB image of the same size); deterministic for the same ``rng`` state."""
    transform = STYLE_TRANSFORMS.get(style)
    if transform is None:
        raise ValueError(f"unknown style {style!r}; expected one of {STYLES}")
    return transform(image.convert("RGB"), rng)
