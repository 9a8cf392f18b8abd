"""Adversarial versions of clean images for a task's ``prepare`` step: cache first, attack only the misses.

:func:`adversarial_images` takes clean images (and, for a targeted attack, the target renderings), looks each up
in the adversarial cache under ``context.cache_dir`` by (clean pixels, ``context.encoder_key()``, parameters,
mode, target pixels, seed), re-measures the ε bound of every hit against the clean image, and loads the
encoders (``context.encoders()``) only when something is missing, so a rerun loads and attacks nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pytest_multitrust.attacks.cache import ADVERSARIAL_DIR, AdversarialCache, adversarial_key
from pytest_multitrust.attacks.pgd import AttackParams, Mode
from pytest_multitrust.data.images import ImageRef
from pytest_multitrust.spec import PrepareContext, PrepareUnavailable

if TYPE_CHECKING:
    from pytest_multitrust.attacks.encoders import VisionEncoder


@dataclass(frozen=True)
class AttackJob:
    """One image to attack: the clean image and, for a targeted attack, the target rendering."""

    clean: ImageRef
    target: ImageRef | None = None


@dataclass(frozen=True)
class Adversarial:
    """An adversarial image and what the report records about it.

    Attributes:
        image: the adversarial image (8-bit RGB at the encoder's input resolution).
        linf_255: L∞ distance to the clean image at that resolution, measured on the saved pixels (8-bit levels).
        input_size: (height, width).
        cached: read from the cache instead of computed in this run.
        objective_start, objective_end: mean cosine to the reference features at the clean and the adversarial
            image (untargeted: to the clean features; targeted: to the target's).
        seconds: the attack's wall time when it was computed.
        encoder_key: the key of the encoder(s) it was computed against.
    """

    image: ImageRef
    linf_255: int
    input_size: tuple[int, int]
    cached: bool
    objective_start: float | None
    objective_end: float | None
    seconds: float | None
    encoder_key: str

    def as_extra(self, mode: Mode, params: AttackParams) -> dict[str, Any]:
        """JSON-able facts for the sample's ``extra`` (reports)."""
        return {
            "attack": f"pgd-{mode}", **params.as_json(), "encoder_key": self.encoder_key, "linf_255": self.linf_255,
            "input_size": list(self.input_size), "attack_cached": self.cached,
            "cosine_start": self.objective_start, "cosine_end": self.objective_end, "attack_seconds": self.seconds,
        }  # fmt: skip


def _from_cache(
    cache: AdversarialCache, key: str, job: AttackJob, params: AttackParams, encoder_key: str
) -> Adversarial | None:
    from pytest_multitrust.attacks.encoders import resize_for
    from pytest_multitrust.attacks.pgd import linf_255

    entry = cache.get(key)
    if entry is None:
        return None
    try:
        height, width = (int(v) for v in entry.meta["input_size"])
        clean = resize_for(job.clean.image, (height, width), int(entry.meta["resample"]), bool(entry.meta["crop"]))
        measured = linf_255(entry.image, clean)
    except (KeyError, TypeError, ValueError):
        return None
    if measured > params.eps_255:  # never trust a stored image over the bound: recompute it
        return None
    source = f"adversarial:{job.clean.source}"
    start, end = entry.meta.get("objective_start"), entry.meta.get("objective_end")
    return Adversarial(ImageRef.of(entry.image, source), measured, (height, width), True, start, end, None, encoder_key)


def _attack(
    encoders: Sequence[VisionEncoder], job: AttackJob, mode: Mode, params: AttackParams, seed: int, encoder_key: str
) -> tuple[Adversarial, dict[str, Any]]:
    from pytest_multitrust.attacks.pgd import pgd, start_seed

    canvas = encoders[0]  # the first encoder's input resolution is the saved image's
    clean = canvas.resize(job.clean.image)
    target = canvas.resize(job.target.image) if job.target is not None else None
    result = pgd(encoders, clean, mode, params, start_seed(seed, job.clean.sha256, mode), target)
    if result.linf_255 > params.eps_255:  # quantise() clips in uint8 space; this would be a bug in it
        raise RuntimeError(f"adversarial image exceeds the bound: {result.linf_255} > {params.eps_255} levels")
    adversarial = Adversarial(ImageRef.of(result.image, f"adversarial:{job.clean.source}"), result.linf_255,
                              canvas.input_size, False, result.objective_start, result.objective_end,
                              result.seconds, encoder_key)  # fmt: skip
    meta = {
        "input_size": list(canvas.input_size), "resample": canvas.view.resample, "crop": canvas.view.crop,
        "linf_255": result.linf_255, "objective_start": result.objective_start, "objective_end": result.objective_end,
        "seconds": result.seconds, "encoders": [encoder.name for encoder in encoders], "params": params.as_json(),
    }  # fmt: skip
    return adversarial, meta


def adversarial_images(
    mode: Mode, jobs: Sequence[AttackJob], context: PrepareContext, params: AttackParams
) -> list[Adversarial]:
    """The adversarial version of each job's clean image, from the cache or computed now (then cached).

    Raises:
        PrepareUnavailable: something had to be computed and there is no encoder (one line from the context).
    """
    encoder_key = context.encoder_key()
    cache = AdversarialCache(Path(context.cache_dir) / ADVERSARIAL_DIR) if context.cache_dir is not None else None
    encoders: list[VisionEncoder] | None = None
    results = []
    for job in jobs:
        target = job.target.sha256 if job.target is not None else None
        key = adversarial_key(job.clean.sha256, encoder_key, params, mode, target, context.seed)
        hit = _from_cache(cache, key, job, params, encoder_key) if cache is not None else None
        if hit is not None:
            results.append(hit)
            continue
        if encoders is None:
            encoders = list(context.encoders())
            if not encoders:
                raise PrepareUnavailable("no vision encoder to attack; pass --surrogate PATH")
        adversarial, meta = _attack(encoders, job, mode, params, context.seed, encoder_key)
        if cache is not None:
            cache.put(key, adversarial.image.image, meta)
        results.append(adversarial)
    return results
