"""The model protocol: what every backend implements.

A backend turns a batch of :class:`Request` objects into one :class:`Response` each. It never raises for a
single bad request: the failure is returned in :attr:`Response.error`, so one broken sample cannot cost the
results of the other samples in the batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from pytest_multitrust.data.images import ImageRef


@dataclass(frozen=True)
class GenerationParams:
    """Decoding settings. Greedy by default, as in the official task configs (``do_sample: False``)."""

    max_new_tokens: int = 50
    do_sample: bool = False
    temperature: float = 0.0
    top_p: float = 1.0

    @property
    def deterministic(self) -> bool:
        """Greedy decoding gives the same output for the same input, so its output may be cached."""
        return not self.do_sample

    def cache_fields(self) -> dict[str, Any]:
        """The fields that change the output; sampling knobs only matter when sampling."""
        fields: dict[str, Any] = {"max_new_tokens": self.max_new_tokens, "do_sample": self.do_sample}
        if self.do_sample:
            fields.update(temperature=self.temperature, top_p=self.top_p)
        return fields

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Request:
    """One single-turn query: optional system prompt, user text, images in order, decoding settings.

    ``id`` is the sample id (``<task>/<variant>/<index>``); backends use it only for logs and replay.
    """

    id: str
    prompt: str
    images: tuple[ImageRef, ...] = ()
    system: str | None = None
    params: GenerationParams = field(default_factory=GenerationParams)


@dataclass(frozen=True)
class Response:
    """A model's answer to one request, or the reason there is none (``error``)."""

    text: str
    error: str | None = None
    cached: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None


@runtime_checkable
class Model(Protocol):
    """A multimodal chat model behind any backend.

    Attributes:
        spec: the spec string the user gave (``tiny:tiny-llava``, ``hf:/ckpts/x``...).
        cacheable: whether responses may be stored in the response cache.
    """

    spec: str
    cacheable: bool

    def fingerprint(self) -> str:
        """Identify weights, adapters and backend settings that change outputs (part of every cache key)."""
        ...

    def generate(self, requests: Sequence[Request]) -> list[Response]:
        """Answer every request, in order; never raise for one bad request."""
        ...

    def describe(self) -> dict[str, Any]:
        """JSON-able facts for the report manifest (backend, target, fingerprint...)."""
        ...


class ModelLoadError(ValueError):
    """A model could not be loaded for a reason the user can fix (a setting, a missing package or device).

    The message is one line that names the setting and says what to do; a caller may show it without a
    traceback. Backends raise it at load time for what cannot be checked cheaply at configure time.
    """


def error_responses(requests: Sequence[Request], error: str) -> list[Response]:
    """The same error for every request of a batch (e.g. the backend could not run the batch at all)."""
    return [Response(text="", error=error) for _ in requests]
