"""The same documents as photographed by a blind user (P.1's ``vizwiz-recognition``).

VizWiz-Priv (Gurari et al., CVPR 2019) holds photos taken by blind people: often tilted, badly framed (part of
the object out of the picture), out of focus, under- or over-exposed and noisy. Its public images (the
``Filling_Images`` the official loader reads) have every private region replaced by filled-in content, and a
photo's label says whether the *original* showed private information: the model has to judge from context
(a card's layout, a letter's shape, the labels next to the blanks).

:func:`blind_user_photo` does the same to a drawn document, in this order and from the ``rng`` only:

1. fill: every private value's box (a little enlarged) is painted with the median colour of a ring around it
   and softened, as an inpainted region (benign pictures have no private values, so nothing is filled);
2. tilt: a rotation of 6-22 degrees either way, the corners filled with the image's border colour;
3. framing: a zoom of 1.1-1.35 around a shifted centre, so one or two edges of the document leave the frame;
4. focus: a Gaussian blur of radius 0.8-2.2 px;
5. exposure: a brightness factor of 0.55-0.8 or 1.2-1.45, times a left-to-right or top-to-bottom gradient;
6. noise: Gaussian sensor noise, sigma 3-9.

The document's kind, and so its label, is never changed; the conditions drawn are returned for the report.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass

import numpy as np
from PIL import Image, ImageFilter

from pytest_multitrust.data.documents_base import Box, Document
from pytest_multitrust.data.images import np_rng_for

#: Pixels added around a value's box before filling, so no stroke of a glyph survives.
FILL_MARGIN = 4


@dataclass(frozen=True)
class PhotoConditions:
    """What :func:`blind_user_photo` did to one image (JSON-able through :meth:`as_json`)."""

    filled: int
    tilt: float
    zoom: float
    shift: tuple[float, float]
    blur: float
    exposure: float
    gradient: str
    noise: float

    def as_json(self) -> dict[str, object]:
        return {key: list(value) if isinstance(value, tuple) else value for key, value in asdict(self).items()}


def fill_private_regions(image: Image.Image, boxes: list[Box]) -> Image.Image:
    """Paint each box (enlarged by :data:`FILL_MARGIN`) with the median colour of a ring around it, softened."""
    filled = image.copy()
    pixels = np.asarray(image, dtype=np.uint8)
    height, width = pixels.shape[:2]
    for x0, y0, x1, y1 in boxes:
        a, b = max(0, x0 - FILL_MARGIN), max(0, y0 - FILL_MARGIN)
        c, d = min(width, x1 + FILL_MARGIN), min(height, y1 + FILL_MARGIN)
        ring = np.concatenate(
            [
                pixels[max(0, b - 6) : b, a:c].reshape(-1, 3),
                pixels[d : min(height, d + 6), a:c].reshape(-1, 3),
                pixels[b:d, max(0, a - 6) : a].reshape(-1, 3),
                pixels[b:d, c : min(width, c + 6)].reshape(-1, 3),
            ]
        )
        colour = np.median(ring, axis=0) if len(ring) else pixels[b:d, a:c].reshape(-1, 3).mean(axis=0)
        patch = Image.new("RGB", (c - a, d - b), (int(colour[0]), int(colour[1]), int(colour[2])))
        filled.paste(patch, (a, b))
    return filled


def blind_user_photo(image: Image.Image, document: Document, rng: random.Random) -> tuple[Image.Image, PhotoConditions]:
    """``image`` (showing ``document``) as a blind user's photo with its private regions filled (see module)."""
    size = image.size[0]
    photo = fill_private_regions(image, [f.box for f in document.fields])
    edge = np.asarray(photo, dtype=float)[[0, -1]].reshape(-1, 3).mean(axis=0)
    border = (int(edge[0]), int(edge[1]), int(edge[2]))
    tilt = rng.uniform(6.0, 22.0) * rng.choice((-1, 1))
    photo = photo.rotate(tilt, resample=Image.Resampling.BICUBIC, fillcolor=border)
    zoom = rng.uniform(1.1, 1.35)
    room = (1 - 1 / zoom) / 2  # how far the crop centre may move and stay inside the image
    shift = (rng.uniform(-room, room), rng.uniform(-room, room))
    half = size / zoom / 2
    cx, cy = size / 2 + shift[0] * size, size / 2 + shift[1] * size
    photo = photo.crop((round(cx - half), round(cy - half), round(cx + half), round(cy + half)))
    photo = photo.resize((size, size), Image.Resampling.BICUBIC)
    blur = rng.uniform(0.8, 2.2)
    photo = photo.filter(ImageFilter.GaussianBlur(blur))
    exposure = rng.uniform(0.55, 0.8) if rng.random() < 0.5 else rng.uniform(1.2, 1.45)
    gradient = rng.choice(("left-right", "top-bottom"))
    noise = rng.uniform(3.0, 9.0)
    ramp = np.linspace(1.15, 0.85, size)
    light = ramp[None, :, None] if gradient == "left-right" else ramp[:, None, None]
    grain = np_rng_for("blind-user-photo", rng.getrandbits(64)).normal(0.0, noise, size=(size, size, 3))
    pixels = np.clip(np.asarray(photo, dtype=float) * exposure * light + grain, 0, 255).astype(np.uint8)
    conditions = PhotoConditions(
        filled=len(document.fields),
        tilt=round(tilt, 2),
        zoom=round(zoom, 3),
        shift=(round(shift[0], 3), round(shift[1], 3)),
        blur=round(blur, 2),
        exposure=round(exposure, 3),
        gradient=gradient,
        noise=round(noise, 2),
    )
    return Image.fromarray(pixels, "RGB"), conditions
