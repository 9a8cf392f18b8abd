"""How each model family's vision encoder turns normalised pixels into one feature vector per image.

A :class:`View` is what the attack needs of a family: the input resolution its processor feeds the vision
tower, the processor's normalisation (mean, std), the resampling filter it resizes with, and ``embed``:
normalised pixels ``(B, 3, H, W)`` at that resolution -> pooled features ``(B, D)``, differentiable. For the
vision-language families the features are the **projected image tokens the language model reads**, mean-pooled
over tokens; for CLIP and SigLIP checkpoints, the image embedding (CLIP: the projected pooled output, as the
official surrogates use it).

| family (``model_type``) | view attacked |
|---|---|
| ``llava`` | the whole input (336 px for LLaVA-1.5): the tower's chosen layer, CLS dropped if so configured |
| ``llava_next`` | the base (global) view at the tower's resolution; the anyres tiles see an upsampled copy |
| ``qwen2_vl``, ``qwen2_5_vl`` | the image at ``smart_resize`` of a 336 px square, patchified as the processor does |
| ``idefics3`` (SmolVLM) | the global image at ``max_image_size``; the processor's tiles see an upsampled copy |
| ``gemma3`` | the whole (fixed-size) input |
| ``clip``, ``clip_vision_model``, ``siglip``, ``siglip_vision_model`` | the whole input (surrogates) |

Other families (``mllama``'s tiled aspect-ratio input, ...) raise :class:`~pytest_multitrust.spec.PrepareUnavailable`
naming the family. torch and transformers are imported inside functions only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pytest_multitrust.spec import PrepareUnavailable

#: CLIP's normalisation (OpenAI), the default when a checkpoint names none.
CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)
#: PIL resampling codes (``Image.Resampling``), as image processors store them.
BICUBIC, BILINEAR, LANCZOS = 3, 2, 1
#: The built-in clean images are 336 px squares: Qwen2-VL's resolution is the processor's for that size.
REFERENCE_SIDE = 336

#: Vision-language families with a view (``model_type`` values).
VLM_FAMILIES = ("llava", "llava_next", "qwen2_vl", "qwen2_5_vl", "idefics3", "gemma3")
#: Contrastive image-text checkpoints usable as surrogates.
CLIP_FAMILIES = ("clip", "clip_vision_model", "siglip", "siglip_vision_model")

Embed = Callable[[Any], Any]
Triple = tuple[float, float, float]


@dataclass(frozen=True)
class View:
    """What the attack needs of one family (see the module docstring)."""

    family: str
    input_size: tuple[int, int]  # (height, width)
    mean: Triple
    std: Triple
    resample: int
    crop: bool  # resize the shortest edge then centre-crop (CLIP-style), or resize to the size directly
    embed: Embed
    note: str


def _triple(value: Any) -> Triple:
    if isinstance(value, int | float):
        return (float(value),) * 3
    first, second, third = (float(x) for x in value)
    return first, second, third


def _normalisation(image_processor: Any) -> tuple[Triple, Triple]:
    """The processor's (mean, std); (0, 1) when it does not normalise."""
    if not getattr(image_processor, "do_normalize", True):
        return (0.0, 0.0, 0.0), (1.0, 1.0, 1.0)
    mean = getattr(image_processor, "image_mean", None) or CLIP_MEAN
    std = getattr(image_processor, "image_std", None) or CLIP_STD
    return _triple(mean), _triple(std)


def _get(size: Any, key: str) -> Any:
    return size.get(key) if isinstance(size, dict) else getattr(size, key, None)


def _input_size(image_processor: Any, fallback: int) -> tuple[int, int]:
    """The (height, width) a CLIP-style processor feeds the tower: the crop if it crops, else its size."""
    crop = getattr(image_processor, "crop_size", None)
    if getattr(image_processor, "do_center_crop", False) and crop and _get(crop, "height"):
        return int(_get(crop, "height")), int(_get(crop, "width"))
    size = getattr(image_processor, "size", None)
    if size is not None and _get(size, "height") and _get(size, "width"):
        return int(_get(size, "height")), int(_get(size, "width"))
    if size is not None and _get(size, "shortest_edge"):
        edge = int(_get(size, "shortest_edge"))
        return edge, edge
    return fallback, fallback


def _inner(model: Any) -> Any:
    """The base model holding the vision parts (``model.model`` in transformers 5, the model itself before)."""
    base = getattr(model, "model", None)
    return base if base is not None and hasattr(base, "get_image_features") else model


def _pooled_tokens(output: Any) -> Any:
    """Mean over tokens of ``get_image_features``' projected tokens: a tensor (B, N, D) or a list of (N, D)."""
    import torch

    tokens = getattr(output, "pooler_output", output)
    if isinstance(tokens, list | tuple):
        return torch.stack([t.reshape(-1, t.shape[-1]).mean(0) for t in tokens])
    return tokens.mean(dim=1) if tokens.dim() == 3 else tokens


def _llava(model: Any, image_processor: Any) -> tuple[tuple[int, int], Embed, str]:
    inner = _inner(model)
    tower, projector, config = inner.vision_tower, inner.multi_modal_projector, model.config
    layer, strategy = config.vision_feature_layer, config.vision_feature_select_strategy

    def embed(x: Any) -> Any:
        import torch

        hidden = tower(x, output_hidden_states=True).hidden_states
        chosen = hidden[layer] if isinstance(layer, int) else torch.cat([hidden[i] for i in layer], dim=-1)
        if strategy == "default":  # the CLS token is dropped before the projector, as the model does
            chosen = chosen[:, 1:]
        return projector(chosen).mean(dim=1)

    size = _input_size(image_processor, int(config.vision_config.image_size))
    note = "base view (anyres tiles see an upsampled copy)" if config.model_type == "llava_next" else "whole image"
    return size, embed, note


def _qwen(model: Any, image_processor: Any) -> tuple[tuple[int, int], Embed, str]:
    from transformers.models.qwen2_vl.image_processing_pil_qwen2_vl import smart_resize

    patch, merge, temporal = image_processor.patch_size, image_processor.merge_size, image_processor.temporal_patch_size
    size = image_processor.size
    low = getattr(image_processor, "min_pixels", None) or _get(size, "shortest_edge")
    high = getattr(image_processor, "max_pixels", None) or _get(size, "longest_edge")
    height, width = smart_resize(REFERENCE_SIDE, REFERENCE_SIDE, patch * merge, int(low), int(high))
    inner = _inner(model)

    def embed(x: Any) -> Any:
        import torch

        batch, channels = x.shape[0], x.shape[1]
        grid_h, grid_w = height // patch, width // patch
        # The processor's patchify: the still image repeated over the temporal patch, then merge-window order.
        frames = x.unsqueeze(1).expand(batch, temporal, channels, height, width)
        patches = frames.reshape(
            batch, temporal, channels, grid_h // merge, merge, patch, grid_w // merge, merge, patch
        )
        patches = patches.permute(0, 3, 6, 4, 7, 2, 1, 5, 8)
        flat = patches.reshape(batch * grid_h * grid_w, channels * temporal * patch * patch)
        grid = torch.tensor([[1, grid_h, grid_w]] * batch, device=x.device)
        return _pooled_tokens(inner.get_image_features(pixel_values=flat, image_grid_thw=grid))

    return (height, width), embed, f"whole image at {height}x{width} (smart_resize of a {REFERENCE_SIDE} px square)"


def _idefics3(model: Any, image_processor: Any) -> tuple[tuple[int, int], Embed, str]:
    side = int(_get(image_processor.max_image_size, "longest_edge"))
    inner = _inner(model)

    def embed(x: Any) -> Any:
        import torch

        mask = torch.ones((x.shape[0], 1, x.shape[2], x.shape[3]), dtype=torch.bool, device=x.device)
        return _pooled_tokens(inner.get_image_features(pixel_values=x.unsqueeze(1), pixel_attention_mask=mask))

    return (side, side), embed, "global image (the processor's tiles see an upsampled copy)"


def _gemma3(model: Any, image_processor: Any) -> tuple[tuple[int, int], Embed, str]:
    inner = _inner(model)

    def embed(x: Any) -> Any:
        return _pooled_tokens(inner.get_image_features(pixel_values=x))

    return _input_size(image_processor, int(model.config.vision_config.image_size)), embed, "whole image"


_VLM_VIEWS: dict[str, Callable[[Any, Any], tuple[tuple[int, int], Embed, str]]] = {
    "llava": _llava, "llava_next": _llava, "qwen2_vl": _qwen, "qwen2_5_vl": _qwen, "idefics3": _idefics3,
    "gemma3": _gemma3,
}  # fmt: skip


def vlm_view(model: Any, processor: Any) -> View:
    """The view of a loaded vision-language model (``PreTrainedModel`` and its processor).

    Raises:
        PrepareUnavailable: the family has no view here (one line naming it and what to pass instead).
    """
    family = str(model.config.model_type)
    build = _VLM_VIEWS.get(family)
    if build is None:
        raise PrepareUnavailable(
            f"no differentiable vision-encoder view for the {family!r} family (supported: {', '.join(VLM_FAMILIES)}); "
            "pass --surrogate PATH (a local CLIP or supported VLM checkpoint) to attack with it instead"
        )
    image_processor = getattr(processor, "image_processor", processor)
    size, embed, note = build(model, image_processor)
    mean, std = _normalisation(image_processor)
    resample = int(getattr(image_processor, "resample", BICUBIC) or BICUBIC)
    crop = family in ("llava", "llava_next")
    return View(family, size, mean, std, resample, crop, embed, note)


def clip_view(model: Any, family: str, preprocessor: dict[str, Any], vision_image_size: int) -> View:
    """The view of a CLIP or SigLIP checkpoint, given its ``preprocessor_config.json`` (may be empty)."""
    if family == "clip":

        def embed(x: Any) -> Any:  # the official surrogates: projected pooled output (image_embeds)
            return model.visual_projection(model.vision_model(pixel_values=x).pooler_output)

    elif hasattr(model, "visual_projection"):  # CLIPVisionModelWithProjection

        def embed(x: Any) -> Any:
            return model(pixel_values=x).image_embeds

    else:
        vision = getattr(model, "vision_model", model)

        def embed(x: Any) -> Any:
            return vision(pixel_values=x).pooler_output

    class _Processor:  # the JSON settings read like an image processor's attributes
        def __getattr__(self, name: str) -> Any:
            if name in preprocessor:
                return preprocessor[name]
            raise AttributeError(name)

    processor = _Processor()
    size = _input_size(processor, vision_image_size)
    mean, std = _normalisation(processor)
    default_resample = BILINEAR if family.startswith("siglip") else BICUBIC
    resample = int(preprocessor.get("resample", default_resample))
    crop = bool(preprocessor.get("do_center_crop", family.startswith("clip")))
    return View(family, size, mean, std, resample, crop, embed, "whole image")
