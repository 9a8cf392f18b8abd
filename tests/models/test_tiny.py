"""The built-in tiny models: sizes, seeded determinism, chat layouts, checkpoint round trips."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_multitrust.data.images import ImageRef
from pytest_multitrust.models.hf import HFModel
from pytest_multitrust.models.hf_checkpoint import load_processor
from pytest_multitrust.models.protocol import GenerationParams, Model, Request
from pytest_multitrust.models.tiny import TINY_MODELS, build_tiny, load_tiny, save_tiny


def texts(model: HFModel, requests: list[Request]) -> list[str]:
    responses = model.generate(requests)
    assert all(r.ok for r in responses), [r.error for r in responses]
    return [r.text for r in responses]


def test_unknown_name_lists_known_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown tiny model 'tiny-gpt'; known: tiny-llava, tiny-llava-next, "):
        build_tiny("tiny-gpt")


@pytest.mark.parametrize("name", TINY_MODELS)
def test_sizes_stay_tiny(name: str) -> None:
    model, _ = build_tiny(name)
    parameters = sum(p.numel() for p in model.parameters())
    text = model.config.text_config
    assert 100_000 <= parameters <= 300_000
    assert text.hidden_size // text.num_attention_heads >= 32
    assert model.dtype == torch.float32


def test_is_a_model(tiny: HFModel) -> None:
    assert isinstance(tiny, Model)
    assert tiny.cacheable
    assert tiny.spec.startswith("tiny:tiny-")
    facts = tiny.describe()
    assert (facts["backend"], facts["target"]) == ("tiny", tiny.spec.removeprefix("tiny:"))
    assert facts["identity"] == {"tiny": facts["target"], "seed": 0}
    assert facts["fingerprint"] == tiny.fingerprint()


def test_same_seed_same_model(tiny: HFModel, mixed_requests: list[Request]) -> None:
    name = tiny.identity["tiny"]
    again = load_tiny(name, seed=0)
    assert again.fingerprint() == tiny.fingerprint()
    assert texts(again, mixed_requests) == texts(tiny, mixed_requests)


def test_other_seed_other_model(tiny: HFModel, mixed_requests: list[Request]) -> None:
    name = tiny.identity["tiny"]
    other = load_tiny(name, seed=1)
    assert other.fingerprint() != tiny.fingerprint()
    assert texts(other, mixed_requests) != texts(tiny, mixed_requests)


def test_building_leaves_the_global_rng_alone() -> None:
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    build_tiny("tiny-llava", seed=7)
    assert torch.equal(torch.rand(3), expected)


def test_llava_chat_layout(tiny_llava: HFModel) -> None:
    template = tiny_llava.processor.apply_chat_template
    user = [{"type": "image"}, {"type": "text", "text": "What is it?"}]
    plain = template([{"role": "user", "content": user}], add_generation_prompt=True, tokenize=False)
    assert plain == "USER: <image>\nWhat is it? ASSISTANT:"
    system = [{"role": "system", "content": [{"type": "text", "text": "Be brief."}]}]
    assert template([*system, {"role": "user", "content": user}], add_generation_prompt=True, tokenize=False) == (
        "Be brief. USER: <image>\nWhat is it? ASSISTANT:"
    )


def test_qwen2_vl_chat_layout(tiny_qwen2_vl: HFModel) -> None:
    template = tiny_qwen2_vl.processor.apply_chat_template
    user = [{"type": "image"}, {"type": "image"}, {"type": "text", "text": "Same?"}]
    assert template([{"role": "user", "content": user}], add_generation_prompt=True, tokenize=False) == (
        "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
        "<|im_start|>user\n<|vision_start|><|image_pad|><|vision_end|><|vision_start|><|image_pad|><|vision_end|>"
        "Same?<|im_end|>\n<|im_start|>assistant\n"
    )


def test_every_image_gets_its_placeholder_tokens(tiny: HFModel, images: tuple[ImageRef, ...]) -> None:
    processor = tiny.processor
    for count in (1, 2, 3):
        content = [{"type": "image"}] * count + [{"type": "text", "text": "x"}]
        text = processor.apply_chat_template([{"role": "user", "content": content}], add_generation_prompt=True)
        inputs = processor(text=[text], images=[ref.image for ref in images[:count]], return_tensors="pt")
        # Qwen2-VL: one token per 2x2 merged block of 14 px patches; LLaVA: the 4x4 patches of the 32 px crop.
        grid = inputs.get("image_grid_thw")
        expected = int(grid.prod(dim=1).sum()) // 4 if grid is not None else 16 * count
        assert int((inputs["input_ids"] == processor.image_token_id).sum()) == expected


def test_checkpoint_round_trip(tiny: HFModel, mixed_requests: list[Request], tmp_path: Path) -> None:
    name = tiny.identity["tiny"]
    folder = save_tiny(name, tmp_path / name)
    loaded = HFModel.from_pretrained(folder, device="cpu")
    assert loaded.spec == f"hf:{folder}"
    assert loaded.processor_fingerprint == tiny.processor_fingerprint
    assert texts(loaded, mixed_requests) == texts(tiny, mixed_requests)
    assert HFModel.from_pretrained(folder, device="cpu").fingerprint() == loaded.fingerprint()


@pytest.mark.skipif(importlib.util.find_spec("torchvision") is not None, reason="torchvision can build the video part")
def test_qwen2_vl_folder_needs_the_image_only_processor(tmp_path: Path) -> None:
    """Without torchvision ``AutoProcessor`` cannot load a Qwen2-VL folder; :func:`load_processor` still can."""
    from transformers import AutoProcessor

    folder = save_tiny("tiny-qwen2-vl", tmp_path)
    with pytest.raises(OSError, match="video processor"):
        AutoProcessor.from_pretrained(folder, local_files_only=True)  # type: ignore[no-untyped-call]
    processor = load_processor(folder, model_type="qwen2_vl")
    assert type(processor).__name__ == "Qwen2VLProcessor"
    assert not hasattr(processor, "video_processor")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prompt=st.text(max_size=60), system=st.none() | st.text(max_size=20))
def test_any_prompt_gives_a_repeatable_string(tiny_llava: HFModel, prompt: str, system: str | None) -> None:
    request = Request("t/v/0", prompt, system=system, params=GenerationParams(max_new_tokens=6))
    first, second = tiny_llava.generate([request]), tiny_llava.generate([request])
    assert first[0].ok and isinstance(first[0].text, str)
    assert first == second


def test_load_takes_the_tiny_model_args() -> None:
    from pytest_multitrust.models import tiny
    from pytest_multitrust.models.registry import LoadOptions

    model = tiny.load("tiny-llava", LoadOptions(seed=2, args={"max_batch_size": "4", "dtype": "bfloat16"}))
    assert (model.max_batch_size, model.dtype, model.identity) == (4, "bfloat16", {"tiny": "tiny-llava", "seed": 2})
    assert model.generate([Request("t/v/0", "Hi", params=GenerationParams(max_new_tokens=4))])[0].ok
    assert tiny.load("tiny-llava", LoadOptions(args={"dtype": "auto"})).dtype == "float32"
    with pytest.raises(ValueError, match=r"^tiny: unknown --model-arg 'device_map'; accepted keys: dtype, device, max"):
        tiny.validate_args({"device_map": "auto"})


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_cuda_without_cuda_is_a_one_line_load_error() -> None:
    from pytest_multitrust.models import tiny
    from pytest_multitrust.models.protocol import ModelLoadError
    from pytest_multitrust.models.registry import LoadOptions

    for device in ("cuda", "cuda:0"):
        with pytest.raises(ModelLoadError) as info:
            tiny.load("tiny-llava", LoadOptions(args={"device": device}))
        assert str(info.value).startswith(f"tiny: --model-arg device={device} asks for CUDA, but torch ")
        assert "use device=cpu" in str(info.value) and "\n" not in str(info.value)
    assert load_tiny("tiny-llava", device="auto").device == "cpu"  # auto: CUDA when there is one
