"""Vision encoders: the processor's normalisation inside torch (features equal the processor pipeline's), gradients
reach the pixels, one-line errors for what cannot be attacked, surrogates from tiny names and checkpoint folders."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from pytest_multitrust.attacks.encoders import (
    check_surrogate,
    encoder_from_model,
    ensemble_key,
    load_surrogate,
    model_encoder_key,
    surrogate_key,
)
from pytest_multitrust.attacks.families import _inner, _pooled_tokens
from pytest_multitrust.attacks.pgd import to_tensor
from pytest_multitrust.models.cache import CachingModel
from pytest_multitrust.models.tiny import load_tiny, save_tiny
from pytest_multitrust.spec import PrepareUnavailable
from tests.attacks.context import tiny_encoder


def noise(size: tuple[int, int] = (336, 336), key: int = 0) -> Image.Image:
    pixels = np.random.default_rng(key).integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
    return Image.fromarray(pixels, "RGB")


def processor_features(name: str, image: Image.Image) -> torch.Tensor:
    """The pooled projected image tokens through the model's own processor (the reference)."""
    hf = load_tiny(name)
    out = hf.processor.image_processor(images=[image], return_tensors="pt")
    kwargs = {"pixel_values": out["pixel_values"]}
    if "image_grid_thw" in out:
        kwargs["image_grid_thw"] = out["image_grid_thw"]
    with torch.no_grad():
        return _pooled_tokens(_inner(hf.model).get_image_features(**kwargs))


@pytest.mark.parametrize(
    ("name", "size"),
    [
        ("tiny-llava", (32, 32)),
        ("tiny-qwen2-vl", (112, 112)),
        ("tiny-qwen2.5-vl", (112, 112)),
        ("tiny-gemma3", (32, 32)),
    ],
)
def test_features_equal_the_processor_pipeline_at_the_input_resolution(name: str, size: tuple[int, int]) -> None:
    encoder = tiny_encoder(name)
    assert encoder.input_size == size
    image = encoder.resize(noise())
    assert image.size == size[::-1] and encoder.resize(image) is not image  # RGB copy, same pixels
    with torch.no_grad():
        mine = encoder.features(to_tensor(image))
    assert mine.shape == (1, 64) and mine.dtype == torch.float32
    assert torch.allclose(mine, processor_features(name, image), atol=1e-5)


def test_llava_next_attacks_the_base_view_the_processor_makes() -> None:
    encoder = tiny_encoder("tiny-llava-next")
    image = encoder.resize(noise())
    hf = load_tiny("tiny-llava-next")
    base = hf.processor.image_processor(images=[image], return_tensors="pt")["pixel_values"][0, 0]
    mean, std = torch.tensor(encoder.view.mean).view(3, 1, 1), torch.tensor(encoder.view.std).view(3, 1, 1)
    assert torch.allclose((to_tensor(image)[0] - mean) / std, base, atol=1e-6)


@pytest.mark.parametrize("name", ["tiny-llava", "tiny-llava-next", "tiny-qwen2-vl", "tiny-idefics3", "tiny-smolvlm",
                                  "tiny-gemma3"])  # fmt: skip
def test_gradients_reach_the_pixels(name: str) -> None:
    encoder = tiny_encoder(name)
    pixels = to_tensor(encoder.resize(noise())).requires_grad_(True)
    (gradient,) = torch.autograd.grad(encoder.features(pixels).sum(), pixels)
    assert gradient.shape == pixels.shape and float(gradient.abs().sum()) > 0


def test_pixels_at_another_resolution_are_resized_inside_torch() -> None:
    encoder = tiny_encoder()
    pixels = to_tensor(noise((64, 64))).requires_grad_(True)
    (gradient,) = torch.autograd.grad(encoder.features(pixels).sum(), pixels)
    assert encoder.features(pixels).shape == (1, 64) and float(gradient.abs().sum()) > 0


def test_a_family_without_a_view_is_one_line_naming_it() -> None:
    with pytest.raises(PrepareUnavailable) as error:
        encoder_from_model(load_tiny("tiny-mllama"))
    message = str(error.value)
    assert "'mllama' family" in message and "--surrogate" in message and "\n" not in message


class NoEncoder:
    spec = "replay:answers.jsonl"
    cacheable = False

    def fingerprint(self) -> str:
        return "x"


def test_a_backend_without_an_encoder_says_to_pass_a_surrogate(tmp_path: Path) -> None:
    for model in (NoEncoder(), CachingModel(NoEncoder(), tmp_path)):  # type: ignore[arg-type]
        with pytest.raises(PrepareUnavailable, match=r"replay:answers\.jsonl\) exposes no vision encoder.*--surrogate"):
            encoder_from_model(model)


def test_the_model_under_test_is_found_behind_the_response_cache(tmp_path: Path) -> None:
    hf = load_tiny("tiny-llava")
    encoder = encoder_from_model(CachingModel(hf, tmp_path))
    assert encoder.fingerprint == model_encoder_key(hf.fingerprint()) == tiny_encoder().fingerprint
    assert encoder.name == "tiny:tiny-llava" and encoder.device == torch.device("cpu")
    assert model_encoder_key("a") != model_encoder_key("b")


# --- surrogates ----------------------------------------------------------------------------------------------


def test_a_tiny_surrogate_is_the_tiny_models_encoder() -> None:
    surrogate = load_surrogate("tiny-llava", device="cpu")
    assert surrogate.fingerprint == surrogate_key("tiny:tiny-llava") == surrogate_key("tiny-llava")
    assert surrogate_key("tiny-llava", seed=1) != surrogate.fingerprint
    pixels = to_tensor(surrogate.resize(noise()))
    with torch.no_grad():
        assert torch.equal(surrogate.features(pixels), tiny_encoder().features(pixels))


def test_a_vlm_checkpoint_folder_is_a_surrogate(tmp_path: Path) -> None:
    folder = save_tiny("tiny-llava", tmp_path / "ckpt")
    check_surrogate(folder)
    surrogate = load_surrogate(f"hf:{folder}", device="cpu")
    assert surrogate.fingerprint == surrogate_key(folder) == surrogate_key(f"hf:{folder}")
    pixels = to_tensor(surrogate.resize(noise()))
    with torch.no_grad():
        assert torch.allclose(surrogate.features(pixels), tiny_encoder().features(pixels), atol=1e-6)


def write_clip(folder: Path, *, seed: int = 0, vision_only: bool = False) -> Path:
    """A tiny random CLIP checkpoint with its image processor settings, as save_pretrained writes them."""
    from transformers import (
        CLIPConfig,
        CLIPImageProcessorPil,
        CLIPModel,
        CLIPTextConfig,
        CLIPVisionConfig,
        CLIPVisionModelWithProjection,
    )

    vision = {"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 2,
              "image_size": 48, "patch_size": 8, "projection_dim": 16}  # fmt: skip
    torch.manual_seed(seed)
    if vision_only:
        model = CLIPVisionModelWithProjection(CLIPVisionConfig(**vision))
    else:
        text = CLIPTextConfig(hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=2,
                              vocab_size=100, projection_dim=16)  # fmt: skip
        model = CLIPModel(CLIPConfig(text_config=text.to_dict(), vision_config=vision, projection_dim=16))
    model.eval().save_pretrained(folder)
    CLIPImageProcessorPil(size={"shortest_edge": 48}, crop_size={"height": 48, "width": 48}).save_pretrained(folder)
    return folder


@pytest.mark.parametrize("vision_only", [False, True])
def test_a_clip_checkpoint_is_a_surrogate_with_the_official_image_embedding(tmp_path: Path, vision_only: bool) -> None:
    from transformers import CLIPImageProcessorPil, CLIPModel, CLIPVisionModelWithProjection

    folder = write_clip(tmp_path / "clip", vision_only=vision_only)
    surrogate = load_surrogate(str(folder), device="cpu")
    assert surrogate.input_size == (48, 48) and surrogate.view.family == (
        "clip_vision_model" if vision_only else "clip"
    )
    image = surrogate.resize(noise((400, 300)))
    assert image.size == (48, 48)
    pixel_values = CLIPImageProcessorPil.from_pretrained(folder)(images=[image], return_tensors="pt")["pixel_values"]
    with torch.no_grad():
        if vision_only:
            expected = CLIPVisionModelWithProjection.from_pretrained(folder)(pixel_values=pixel_values).image_embeds
        else:
            clip = CLIPModel.from_pretrained(folder)
            expected = clip.visual_projection(clip.vision_model(pixel_values=pixel_values).pooler_output)
        assert torch.allclose(surrogate.features(to_tensor(image)), expected, atol=1e-5)


def test_surrogate_keys_follow_the_weights_and_ensembles_their_order(tmp_path: Path) -> None:
    first, second = write_clip(tmp_path / "a", seed=0), write_clip(tmp_path / "b", seed=1)
    assert surrogate_key(str(first)) == surrogate_key(str(first)) != surrogate_key(str(second))
    keys = [surrogate_key(str(first)), surrogate_key(str(second))]
    assert ensemble_key(keys[:1]) == keys[0] and ensemble_key(keys) != ensemble_key(keys[::-1])


@pytest.mark.parametrize(
    ("make", "message"),
    [(lambda p: str(p / "absent"), "not a checkpoint folder, a hub id in the local cache, or a tiny model name"),
     (lambda p: str(p), "cannot read"),
     (lambda p: (p / "config.json").write_text('{"model_type": "bert"}') and str(p), "model_type 'bert' has no vision"),
     (lambda p: (p / "config.json").write_text("{") and str(p), "cannot read"),
     (lambda p: "someorg/not-cached", "not a checkpoint folder")],
)  # fmt: skip
def test_a_bad_surrogate_is_a_one_line_configure_time_error(tmp_path: Path, make: object, message: str) -> None:
    spec = make(tmp_path)  # type: ignore[operator]
    with pytest.raises(ValueError, match=re.escape(message)) as error:
        check_surrogate(spec)
    assert str(error.value).startswith(f"--surrogate {spec}: ") and "\n" not in str(error.value)
    check_surrogate("tiny-qwen2-vl")


def test_preprocessor_settings_are_read_from_the_checkpoint(tmp_path: Path) -> None:
    folder = write_clip(tmp_path / "clip")
    settings = json.loads((folder / "preprocessor_config.json").read_text())
    settings.update(image_mean=[0.5, 0.5, 0.5], image_std=[0.25, 0.25, 0.25])
    (folder / "preprocessor_config.json").write_text(json.dumps(settings))
    surrogate = load_surrogate(str(folder), device="cpu")
    assert (surrogate.view.mean, surrogate.view.std) == ((0.5,) * 3, (0.25,) * 3)
