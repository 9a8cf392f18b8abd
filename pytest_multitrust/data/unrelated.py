"""Unrelated images for the cross-modal variants: one colour, per-pixel noise, a drawn landscape.

The official toolkit draws them with ``random.sample`` and no seed (a run cannot be repeated); we choose
each one from the run's seed and the sample id, so the same run gives the same images on every worker.
"""

from __future__ import annotations

from typing import Literal

from PIL import Image

from pytest_multitrust.data.images import ImageRef, np_rng_for, rng_for
from pytest_multitrust.data.nature import draw_landscape, random_landscape

UnrelatedKind = Literal["color", "nature", "noise"]
UNRELATED_KINDS: tuple[UnrelatedKind, ...] = ("color", "nature", "noise")
#: A variant's modality (``unrelated-color``...) -> the kind of unrelated image its samples show.
UNRELATED_KIND: dict[str, UnrelatedKind] = {f"unrelated-{kind}": kind for kind in UNRELATED_KINDS}

#: The official method hooks make 1024 px images; a smaller side keeps CPU runs fast and still exercises
#: the model's image path. Processors resize either way.
UNRELATED_SIZE = 336


def unrelated_image(kind: UnrelatedKind, seed: int, key: str) -> ImageRef:
    """The unrelated image of ``kind`` for one sample (``key`` is usually the sample id)."""
    source = f"builtin:unrelated-{kind}:{seed}:{key}"
    if kind == "color":
        rng = rng_for(seed, "unrelated-color", key)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        return ImageRef.of(Image.new("RGB", (UNRELATED_SIZE, UNRELATED_SIZE), colour), source)
    if kind == "noise":
        pixels = np_rng_for(seed, "unrelated-noise", key).integers(
            0, 256, size=(UNRELATED_SIZE, UNRELATED_SIZE, 3), dtype="uint8"
        )
        return ImageRef.of(Image.fromarray(pixels, "RGB"), source)
    if kind == "nature":
        rng = rng_for(seed, "unrelated-nature", key)
        return ImageRef.of(draw_landscape(random_landscape(rng), rng, UNRELATED_SIZE), source)
    raise ValueError(f"unknown unrelated image kind {kind!r}; expected one of {UNRELATED_KINDS}")
