"""A :class:`~pytest_multitrust.spec.PrepareContext` for tests: given encoders, counting how often they load."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pytest_multitrust.spec import PrepareUnavailable

if TYPE_CHECKING:
    from pytest_multitrust.attacks.encoders import VisionEncoder


@cache
def tiny_encoder(name: str = "tiny-llava", seed: int = 0) -> VisionEncoder:
    """The vision encoder of a built-in tiny model (built once per process)."""
    from pytest_multitrust.attacks.encoders import encoder_from_model
    from pytest_multitrust.models.tiny import load_tiny

    return encoder_from_model(load_tiny(name, seed))


@dataclass
class FakeContext:
    """The runner's prepare context, with encoders supplied by the test.

    ``load`` returns the encoders (None: no encoder, as for a replay backend without ``--surrogate``);
    ``loads`` counts the calls of :meth:`encoders`, so a test can see that a cached rerun loads nothing.
    """

    load: Callable[[], Sequence[Any]] | None = field(default=lambda: [tiny_encoder()])
    key: str = "tiny-llava-test-key"
    seed: int = 0
    cache_dir: Path | None = None
    attack_args: Mapping[str, str] = field(default_factory=dict)
    loads: int = 0

    def encoder_key(self) -> str:
        return self.key

    def encoders(self) -> Sequence[Any]:
        self.loads += 1
        if self.load is None:
            raise PrepareUnavailable("the model under test (replay:x) exposes no vision encoder; pass --surrogate PATH")
        return self.load()
