"""A ready :class:`~pytest_multitrust.spec.PrepareContext` for the runner: the model under test or surrogates.

The encoders are the ``--surrogate`` models when any are named (an explicit choice, and the official transfer
setting: the images are made on surrogates, then shown to the model), else the model under test's own when its
backend exposes one (``tiny``, ``hf``). :meth:`AttackContext.encoder_key` is cheap (the model's fingerprint,
which the lazy backend remembers without loading; or the surrogates' weight-file digests), so a rerun whose
adversarial images are all cached loads nothing. Surrogates are loaded once per process and shared by the
variants that need them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pytest_multitrust.attacks.encoders import (
    ENCODER_BACKENDS,
    VisionEncoder,
    encoder_from_model,
    ensemble_key,
    load_surrogate,
    model_encoder_key,
    surrogate_key,
)
from pytest_multitrust.spec import PrepareUnavailable


@cache
def shared_surrogate(spec: str, seed: int) -> VisionEncoder:
    """:func:`load_surrogate`, once per process for each (SPEC, seed)."""
    return load_surrogate(spec, seed)


@dataclass
class AttackContext:
    """What R.4/R.5's prepare step uses (implements :class:`~pytest_multitrust.spec.PrepareContext`).

    Args:
        model: the model under test (any wrapper: response cache, lazy load); its ``spec`` names the backend.
        surrogates: the ``--surrogate`` SPECs, in order (the first sets the saved image's resolution).
        seed: the run's seed (random starts; tiny surrogates' weights).
        cache_dir: the run's cache folder (None: no adversarial cache).
        attack_args: the ``--attack-arg`` pairs.
    """

    model: Any
    surrogates: Sequence[str] = ()
    seed: int = 0
    cache_dir: Path | None = None
    attack_args: Mapping[str, str] = field(default_factory=dict)
    _loaded: list[VisionEncoder] | None = field(default=None, repr=False)

    @property
    def backend(self) -> str:
        return str(getattr(self.model, "spec", "")).partition(":")[0]

    def _unavailable(self) -> PrepareUnavailable:
        return PrepareUnavailable(
            f"the model under test ({getattr(self.model, 'spec', '?')}) exposes no vision encoder to attack (only "
            "the tiny and hf backends do); pass --surrogate PATH (a local CLIP or VLM checkpoint, repeatable)"
        )

    def encoder_key(self) -> str:
        """The key of the encoders :meth:`encoders` would load, without loading them."""
        if self.surrogates:
            return ensemble_key([surrogate_key(spec, self.seed) for spec in self.surrogates])
        if self.backend not in ENCODER_BACKENDS:
            raise self._unavailable()
        return model_encoder_key(self.model.fingerprint())

    def encoders(self) -> Sequence[VisionEncoder]:
        """The surrogates, else the model under test's encoder (loading the model if it is not yet)."""
        if self._loaded is None:
            if self.surrogates:
                self._loaded = [shared_surrogate(spec, self.seed) for spec in self.surrogates]
            elif self.backend not in ENCODER_BACKENDS:
                raise self._unavailable()
            else:
                self._loaded = [encoder_from_model(self.model)]
        return self._loaded
