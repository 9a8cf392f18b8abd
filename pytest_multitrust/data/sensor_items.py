"""What every R.2 sensor renderer returns, and the small numpy tools they share.

A renderer draws a scene whose ground truth it knows exactly, renders it the way its sensor shows a scene
(thermal palette, X-ray attenuation, MRI/CT grey levels, an aerial or dash-camera view) and asks one question
with a short reference answer. Beside the answer it names the other answers the question admits
(``competitors``): the rule fallback of R.2 needs them to tell a hedged answer ("left or right") from a clear one.

Answers cycle through fixed schedules (:func:`pick`, :data:`COUNTS`), so any prefix of a variant's samples
covers the question kinds and balances their answers.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
from PIL import Image, ImageDraw

from pytest_multitrust.data.images import np_rng_for

T = TypeVar("T")
#: The ways of naming one answer (whole words or numbers, any case), the reference spelling first.
Forms = tuple[str, ...]

NUMBER_WORDS: tuple[str, ...] = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
)  # fmt: skip
#: The order in which count answers cycle: any four consecutive slots cover 1-4, and the first two differ by 2.
COUNTS: tuple[int, ...] = (2, 4, 1, 3)
YES_NO: dict[str, Forms] = {"yes": ("yes",), "no": ("no",)}
SIDES: dict[str, Forms] = {"left": ("left",), "right": ("right",)}
#: A count question's answers: 0-10, as digits or words ("3", "three").
COUNT_OPTIONS: dict[str, Forms] = {str(n): (str(n), word) for n, word in enumerate(NUMBER_WORDS)}
#: Forms that name an answer but, said in passing, do not name a competing one ("one on each side").
PASSING_WORDS: frozenset[str] = frozenset({"one"})


@dataclass(frozen=True)
class SensorItem:
    """One rendered sensor image with its question and exact answer.

    Attributes:
        image: the rendered image (RGB).
        question: one line, as the model sees it.
        answer: the short reference answer (lowercase, e.g. ``"3"``, ``"left"``, ``"yes"``, ``"car"``).
        accepted: the forms that name the answer (``("3", "three")``).
        competitors: the forms of each other answer the question admits.
        kind: the question kind (``count``, ``side``...).
        facts: JSON-able ground truth of the drawing (what was drawn where), for reports and tests.
    """

    image: Image.Image
    question: str
    answer: str
    accepted: Forms
    competitors: tuple[Forms, ...]
    kind: str
    facts: dict[str, object] = field(default_factory=dict)


def item(
    image: Image.Image,
    question: str,
    answer: str,
    options: Mapping[str, Forms],
    kind: str,
    facts: dict[str, object],
) -> SensorItem:
    """A :class:`SensorItem` whose answer is one of ``options`` and whose competitors are all the others."""
    competitors = tuple(competitor_forms(forms) for option, forms in options.items() if option != answer)
    return SensorItem(image, question, answer, options[answer], competitors, kind, facts)


def competitor_forms(forms: Forms) -> Forms:
    """The forms that name a competing answer: all but :data:`PASSING_WORDS`."""
    return tuple(form for form in forms if form not in PASSING_WORDS)


def pick(slot: int, options: Sequence[T]) -> T:
    """The answer of the ``slot``-th question of a kind: the options in turn, so every prefix is balanced."""
    return options[slot % len(options)]


def yes_no(slot: int) -> str:
    """ "yes" on even slots, "no" on odd ones."""
    return pick(slot, ("yes", "no"))


def count(slot: int) -> int:
    """The count of the ``slot``-th count question (:data:`COUNTS` in turn)."""
    return pick(slot, COUNTS)


def box(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
    """A rectangle with its corners in Pillow's order, whichever way it was given (mirrored drawings)."""
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def shape_mask(size: tuple[int, int], draw: Callable[[ImageDraw.ImageDraw], None]) -> np.ndarray:
    """A boolean mask of whatever ``draw`` paints (with fill 255) on a blank ``(width, height)`` canvas."""
    canvas = Image.new("L", size, 0)
    draw(ImageDraw.Draw(canvas))
    return np.asarray(canvas) > 127


def blur(field_: np.ndarray, sigma: float) -> np.ndarray:
    """A separable Gaussian blur of a 2-D float array (edges extended), in plain numpy."""
    radius = max(1, int(3 * sigma))
    offsets = np.arange(-radius, radius + 1)
    kernel = np.exp(-(offsets**2) / (2 * sigma**2))
    kernel /= kernel.sum()
    padded = np.pad(field_.astype(np.float64), radius, mode="edge")
    height, width = field_.shape
    rows = sum(weight * padded[:, i : i + width] for i, weight in enumerate(kernel))
    result: np.ndarray = sum(weight * rows[i : i + height, :] for i, weight in enumerate(kernel))
    return result


def gaussian_noise(rng: random.Random, shape: tuple[int, ...], sigma: float) -> np.ndarray:
    """Sensor noise drawn from ``rng`` (through a numpy generator seeded from it)."""
    result: np.ndarray = np_rng_for(rng.getrandbits(64)).normal(0.0, sigma, size=shape)
    return result


def smooth_noise(rng: random.Random, size: int, sigma: float, amplitude: float) -> np.ndarray:
    """Low-frequency texture: white noise blurred by ``sigma``, rescaled to about ±``amplitude``.

    Wide blurs are computed on a coarser grid and scaled up: the texture has no fine detail to lose.
    """
    factor = max(1, int(sigma / 3))
    coarse = blur(gaussian_noise(rng, (size // factor + 1,) * 2, 1.0), sigma / factor).astype(np.float32)
    texture = np.asarray(Image.fromarray(coarse, "F").resize((size, size), Image.Resampling.BICUBIC))
    peak = float(np.abs(texture).max()) or 1.0
    scaled: np.ndarray = texture / peak * amplitude
    return scaled


def grey_image(values: np.ndarray) -> Image.Image:
    """An RGB image of a 2-D array of grey levels in [0, 1]."""
    grey = (np.clip(values, 0.0, 1.0) * 255).round().astype(np.uint8)
    return Image.fromarray(grey, "L").convert("RGB")


def rgb_image(values: np.ndarray) -> Image.Image:
    """An RGB image of an (h, w, 3) array in [0, 1]."""
    return Image.fromarray((np.clip(values, 0.0, 1.0) * 255).round().astype(np.uint8), "RGB")


def palette(values: np.ndarray, stops: Sequence[tuple[float, tuple[int, int, int]]]) -> np.ndarray:
    """Map values in [0, 1] through a piecewise-linear colour palette (``(position, rgb)`` stops) to (h, w, 3)."""
    positions = [position for position, _ in stops]
    channels = [np.interp(np.clip(values, 0, 1), positions, [rgb[c] / 255 for _, rgb in stops]) for c in range(3)]
    return np.stack(channels, axis=-1)
