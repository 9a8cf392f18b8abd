"""Fixtures for the model backend tests: the tiny models built once per session, and a few test images."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pytest
from PIL import Image

from pytest_multitrust.data.images import ImageRef, np_rng_for
from pytest_multitrust.models.protocol import GenerationParams, Request

if TYPE_CHECKING:
    from pytest_multitrust.models.hf import HFModel

#: Short answers keep every test fast; long enough for outputs of different models to tell apart.
SHORT = GenerationParams(max_new_tokens=12)


def noise_image(key: str, size: tuple[int, int] = (96, 72)) -> ImageRef:
    """A seeded RGB noise image (different keys, different pixels)."""
    pixels = np_rng_for("tests/models", key).integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
    return ImageRef.of(Image.fromarray(pixels), source=f"test:{key}")


@pytest.fixture(scope="session")
def images() -> tuple[ImageRef, ...]:
    """Four distinct noise images of different sizes."""
    return tuple(noise_image(str(i), (64 + 16 * i, 48 + 24 * i)) for i in range(4))


@pytest.fixture(scope="session")
def mixed_requests(images: tuple[ImageRef, ...]) -> list[Request]:
    """Requests with 0, 1 and 2 images, prompts of different lengths, with and without a system prompt."""
    return [
        Request("t/v/0", "What is shown in the image?", (images[0],), params=SHORT),
        Request("t/v/1", "A text-only question that is quite a bit longer than the others.", params=SHORT),
        Request("t/v/2", "Compare the two images.", (images[1], images[2]), params=SHORT),
        Request("t/v/3", "Is this safe?", (images[3],), system="You are a careful assistant.", params=SHORT),
        Request("t/v/4", "Hi", params=SHORT),
    ]


@pytest.fixture(scope="session")
def tiny_llava() -> HFModel:
    """``tiny:tiny-llava`` with seed 0, shared by the session: tests must not change it."""
    from pytest_multitrust.models.tiny import load_tiny

    return load_tiny("tiny-llava")


@pytest.fixture(scope="session")
def tiny_qwen2_vl() -> HFModel:
    """``tiny:tiny-qwen2-vl`` with seed 0, shared by the session: tests must not change it."""
    from pytest_multitrust.models.tiny import load_tiny

    return load_tiny("tiny-qwen2-vl")


@pytest.fixture(params=["tiny-llava", "tiny-qwen2-vl"])
def tiny(request: pytest.FixtureRequest) -> HFModel:
    """Each tiny model in turn."""
    fixture = "tiny_llava" if request.param == "tiny-llava" else "tiny_qwen2_vl"
    model: HFModel = request.getfixturevalue(fixture)
    return model
