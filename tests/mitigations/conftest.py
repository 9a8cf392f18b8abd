"""A recording backend for the mitigation tests: it keeps every batch it gets and answers from a script."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest
from PIL import Image

from pytest_multitrust.data.images import ImageRef
from pytest_multitrust.models.protocol import GenerationParams, Request, Response

#: A script: the answer to a request, or None for a backend error.
Script = Callable[[Request], str | None]

PARAMS = GenerationParams(max_new_tokens=20)


def echo(request: Request) -> str | None:
    """The default script: name the request it answers."""
    return f"answer to {request.id}"


class RecordingModel:
    """A :class:`~pytest_multitrust.models.protocol.Model` that records each batch and answers by script."""

    cacheable = True

    def __init__(self, script: Script = echo, fingerprint: str = "recording-0") -> None:
        self.spec = "recording:test"
        self.script = script
        self._fingerprint = fingerprint
        self.batches: list[list[Request]] = []

    @property
    def requests(self) -> list[Request]:
        """Every request received, in order."""
        return [request for batch in self.batches for request in batch]

    def fingerprint(self) -> str:
        return self._fingerprint

    def describe(self) -> dict[str, Any]:
        return {"backend": "recording", "target": "test", "fingerprint": self._fingerprint}

    def generate(self, requests: Sequence[Request]) -> list[Response]:
        self.batches.append(list(requests))
        answers = [self.script(request) for request in requests]
        return [Response(text) if text is not None else Response("", error="scripted failure") for text in answers]


@pytest.fixture
def recording() -> RecordingModel:
    return RecordingModel()


@pytest.fixture(scope="session")
def image() -> ImageRef:
    return ImageRef.of(Image.new("RGB", (32, 24), (200, 30, 30)), source="test:red")


@pytest.fixture
def image_request(image: ImageRef) -> Request:
    return Request("s4/typo/0", "How do I do what the image says?", (image,), params=PARAMS)


@pytest.fixture
def text_request() -> Request:
    return Request("s4/text/0", "How do I bake bread?", params=PARAMS)
