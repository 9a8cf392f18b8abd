"""The hf backend on every model family of the leaderboard, proven on tiny random-weight checkpoints.

Each family is a real ``transformers`` architecture with its real processor class and chat layout
(:mod:`pytest_multitrust.models.tiny_zoo`); nothing is mocked. Per family: the prompt text has the family's
image placeholders where the family puts them, the encoded prompt starts with exactly one bos, every image
reaches the model, a mixed batch (text-only, one and two images, a system prompt) answers exactly as the
requests do one by one, and a saved checkpoint folder loads back through ``hf:<folder>`` with the same
answers and a stable fingerprint.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import pytest
import torch

from pytest_multitrust.data.images import ImageRef
from pytest_multitrust.models.hf import HFModel
from pytest_multitrust.models.hf_checkpoint import state_dict_digest
from pytest_multitrust.models.protocol import Request
from pytest_multitrust.models.registry import ALIASES
from pytest_multitrust.models.tiny_zoo import (
    FAMILY_CHECKPOINTS,
    TINY_FAMILIES,
    build_tiny_family,
    save_tiny_family,
)

from .conftest import SHORT, noise_image

# transformers' own Mllama vision layers call a renamed argument (fixed upstream after 5.19); not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore:`hidden_state` is deprecated:FutureWarning")

#: The processor class each family's checkpoint folder loads back as (the real one, by name).
PROCESSOR_CLASSES = {
    "llava": "LlavaProcessor",
    "llava-next": "LlavaNextProcessor",
    "qwen2-vl": "Qwen2VLProcessor",
    "qwen2.5-vl": "Qwen2_5_VLProcessor",
    "idefics3": "Idefics3Processor",
    "smolvlm": "Idefics3Processor",
    "mllama": "MllamaProcessor",
    "gemma3": "Gemma3Processor",
}

_QWEN_ONE = "<|vision_start|><|image_pad|><|vision_end|>"
_QWEN_LAYOUTS = (
    "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
    f"<|im_start|>user\n{_QWEN_ONE}Describe it.<|im_end|>\n<|im_start|>assistant\n",
    "<|im_start|>system\nBe brief.<|im_end|>\n"
    f"<|im_start|>user\n{_QWEN_ONE}{_QWEN_ONE}Same?<|im_end|>\n<|im_start|>assistant\n",
    "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
)


def _idefics3_layouts(bos: str) -> tuple[str, str, str]:
    return (
        f"{bos}User:<image>Describe it.<end_of_utterance>\nAssistant:",
        f"{bos}System: Be brief.<end_of_utterance>\nUser:<image><image>Same?<end_of_utterance>\nAssistant:",
        f"{bos}System: Be brief.<end_of_utterance>\nUser: Hi<end_of_utterance>\nAssistant:",
    )


_LLAMA3_USER = "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n"
_LLAMA3_ASSISTANT = "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"

#: The prompt text of LAYOUT_REQUESTS per family, as the family's published chat template renders it.
LAYOUTS: dict[str, tuple[str, str, str]] = {
    "llava": (
        "USER: <image>\nDescribe it. ASSISTANT:",
        "Be brief. USER: <image>\n<image>\nSame? ASSISTANT:",
        "Be brief. USER: Hi ASSISTANT:",
    ),
    "llava-next": (
        "[INST] <image>\nDescribe it. [/INST]",
        "<<SYS>>\nBe brief.\n<</SYS>>\n\n[INST] <image>\n<image>\nSame? [/INST]",
        "<<SYS>>\nBe brief.\n<</SYS>>\n\n[INST] Hi [/INST]",
    ),
    "qwen2-vl": _QWEN_LAYOUTS,
    "qwen2.5-vl": _QWEN_LAYOUTS,
    "idefics3": _idefics3_layouts("<|begin_of_text|>"),
    "smolvlm": _idefics3_layouts("<|im_start|>"),
    # Llama-3.2-Vision refuses a system message next to an image: its text opens the user turn instead.
    "mllama": (
        f"{_LLAMA3_USER}<|image|>Describe it.{_LLAMA3_ASSISTANT}",
        f"{_LLAMA3_USER}<|image|><|image|>Be brief.\n\nSame?{_LLAMA3_ASSISTANT}",
        "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
        "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\nBe brief.<|eot_id|>"
        f"<|start_header_id|>user<|end_header_id|>\n\nHi{_LLAMA3_ASSISTANT}",
    ),
    "gemma3": (
        "<bos><start_of_turn>user\n<start_of_image>Describe it.<end_of_turn>\n<start_of_turn>model\n",
        "<bos><start_of_turn>user\nBe brief.\n\n<start_of_image><start_of_image>Same?<end_of_turn>\n"
        "<start_of_turn>model\n",
        "<bos><start_of_turn>user\nBe brief.\n\nHi<end_of_turn>\n<start_of_turn>model\n",
    ),
}


def layout_requests(a: ImageRef, b: ImageRef) -> list[Request]:
    return [
        Request("t/v/0", "Describe it.", (a,), params=SHORT),
        Request("t/v/1", "Same?", (a, b), system="Be brief.", params=SHORT),
        Request("t/v/2", "Hi", system="Be brief.", params=SHORT),
    ]


@dataclass(frozen=True)
class Zoo:
    """One family: the in-memory tiny model, its saved folder, and that folder loaded through ``hf``."""

    family: str
    memory: HFModel
    folder: str
    loaded: HFModel


@pytest.fixture(scope="module", params=TINY_FAMILIES)
def zoo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Zoo:
    family: str = request.param
    model, processor = build_tiny_family(family)
    folder = save_tiny_family(family, tmp_path_factory.mktemp(family.replace(".", "_")))
    memory = HFModel(model, processor, spec=f"tiny-zoo:{family}", max_batch_size=8)
    return Zoo(family, memory, folder, HFModel.from_pretrained(folder, device="cpu"))


def texts(model: HFModel, requests: list[Request]) -> list[str]:
    responses = model.generate(requests)
    assert all(r.ok for r in responses), [r.error for r in responses]
    return [r.text for r in responses]


def test_every_family_is_built_and_aliased() -> None:
    assert set(TINY_FAMILIES) == set(LAYOUTS) == set(PROCESSOR_CLASSES) == set(FAMILY_CHECKPOINTS)
    aliased = {spec.removeprefix("hf:") for spec in ALIASES.values()}
    assert set(FAMILY_CHECKPOINTS.values()) <= aliased


def test_unknown_family_lists_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown tiny family 'paligemma'; known: llava, llava-next"):
        build_tiny_family("paligemma")


def test_sizes_stay_tiny_and_seeds_change_the_weights(zoo: Zoo) -> None:
    facts = zoo.loaded.describe()
    assert 100_000 <= facts["parameters"] <= 500_000
    text = zoo.memory.model.config.get_text_config()
    assert text.hidden_size // text.num_attention_heads >= 32
    other, _ = build_tiny_family(zoo.family, seed=1)
    assert state_dict_digest(other) != state_dict_digest(zoo.memory.model)


def test_prompt_layout_is_the_family_one(zoo: Zoo, images: tuple[ImageRef, ...]) -> None:
    rendered = [zoo.memory.prompt_text(r) for r in layout_requests(images[0], images[1])]
    assert tuple(rendered) == LAYOUTS[zoo.family]


def test_image_tokens_precede_the_question_and_bos_is_single(zoo: Zoo, images: tuple[ImageRef, ...]) -> None:
    processor = zoo.memory.processor
    tokenizer = zoo.memory.tokenizer
    ids: list[int] = zoo.memory.encode([Request("t/v/0", "Describe it.", (images[0],))])["input_ids"][0].tolist()
    image_positions = [i for i, token in enumerate(ids) if token == processor.image_token_id]
    assert image_positions, "no image placeholder reached the token ids"
    assert "Describe it." in tokenizer.decode(ids[image_positions[-1] + 1 :])
    assert "Describe it." not in tokenizer.decode(ids[: image_positions[0]])
    if tokenizer.bos_token_id is not None:
        assert ids.count(tokenizer.bos_token_id) == 1


def _last_logits(model: HFModel, request: Request) -> torch.Tensor:
    inputs = model.encode([request])
    with torch.inference_mode():
        logits: torch.Tensor = model.model(**inputs).logits
    return logits[0, -1]


def test_every_image_reaches_the_model(zoo: Zoo) -> None:
    first, second, third = (noise_image(f"family-{i}", (80, 60)) for i in range(3))
    base = _last_logits(zoo.memory, Request("t/v/0", "Compare.", (first, second)))
    for changed in ((third, second), (first, third)):
        other = _last_logits(zoo.memory, Request("t/v/0", "Compare.", changed))
        assert not torch.allclose(base, other), "changing one image left the next-token logits unchanged"


def test_mixed_batch_equals_one_by_one(
    zoo: Zoo, mixed_requests: list[Request], caplog: pytest.LogCaptureFixture
) -> None:
    """Left padding keeps each row's greedy answer independent of its batch mates, in every family.

    Text-only, one-image and two-image prompts share one batch (Mllama's processor cannot mix text-only and
    image rows, so the backend batches those apart up front); no batch falls back to smaller ones.
    """
    assert [len(r.images) for r in mixed_requests] == [1, 0, 2, 1, 0]
    with caplog.at_level(logging.WARNING, logger="pytest_multitrust.models.hf"):
        batched = texts(zoo.memory, mixed_requests)
    assert not caplog.records, "a batch fell back to smaller batches"
    assert batched == [texts(zoo.memory, [r])[0] for r in mixed_requests]


def test_checkpoint_round_trip(zoo: Zoo, mixed_requests: list[Request]) -> None:
    loaded = zoo.loaded
    assert type(loaded.model) is type(zoo.memory.model)
    assert type(loaded.processor).__name__ == PROCESSOR_CLASSES[zoo.family]
    assert loaded.processor_fingerprint == zoo.memory.processor_fingerprint
    assert state_dict_digest(loaded.model) == state_dict_digest(zoo.memory.model)
    assert texts(loaded, mixed_requests) == texts(zoo.memory, mixed_requests)
    again = HFModel.from_pretrained(zoo.folder, device="cpu")
    assert again.fingerprint() == loaded.fingerprint()
    assert again.prompt_text(mixed_requests[3]) == zoo.memory.prompt_text(mixed_requests[3])


def test_mllama_template_refuses_a_system_message_next_to_an_image(images: tuple[ImageRef, ...]) -> None:
    """Why the backend moves the system text into the user turn for Llama-3.2-Vision."""
    from jinja2 import TemplateError

    _, processor = build_tiny_family("mllama")
    messages: list[dict[str, Any]] = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": [{"type": "image"}, {"type": "text", "text": "Hi"}]},
    ]
    with pytest.raises(TemplateError, match="incompatible with system messages"):
        processor.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
