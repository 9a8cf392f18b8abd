"""Tiny LLaVA-1.5 and LLaVA-NeXT: a CLIP vision tower, an MLP projector, a Llama / Mistral decoder.

LLaVA-1.5 sees a 32 px centre crop as 4x4 patches of 8 px: 16 visual tokens per image (the real one: 336 px,
14 px patches, 576 tokens). LLaVA-NeXT adds "anyres": the image is also cut into 32 px tiles on the best of
a few grid shapes (the real grid pinpoints are multiples of 336), and its token count depends on the image's
aspect ratio, with a newline embedding closing each row of unpadded features.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pytest_multitrust.models.tiny_templates import (
    LLAVA_CHAT_TEMPLATE,
    LLAVA_NEXT_CHAT_TEMPLATE,
    LLAVA_NEXT_SPECIAL_TOKENS,
    LLAVA_SPECIAL_TOKENS,
)
from pytest_multitrust.models.tiny_zoo import byte_tokenizer, decoder_config, seeded, set_generation_ids, token_id

if TYPE_CHECKING:
    from transformers import PreTrainedModel, ProcessorMixin

_IMAGE_SIZE = 32
_PATCH_SIZE = 8

_CLIP_SIZES: dict[str, Any] = {
    "hidden_size": 32,
    "intermediate_size": 64,
    "num_hidden_layers": 2,
    "num_attention_heads": 2,
    "image_size": _IMAGE_SIZE,
    "patch_size": _PATCH_SIZE,
    "projection_dim": 32,
}

#: Config settings both LLaVA generations share: 16 tokens per 32 px view, CLIP's penultimate layer, CLS dropped.
_LLAVA_CONFIG: dict[str, Any] = {
    "image_seq_length": (_IMAGE_SIZE // _PATCH_SIZE) ** 2,
    "vision_feature_layer": -2,
    "vision_feature_select_strategy": "default",
}

#: Processor settings both share; CLIP's CLS token is counted, then dropped again by the "default" strategy.
_LLAVA_PROCESSOR: dict[str, Any] = {
    "patch_size": _PATCH_SIZE,
    "vision_feature_select_strategy": "default",
    "image_token": "<image>",
    "num_additional_image_tokens": 1,
}

_CROP = {"size": {"shortest_edge": _IMAGE_SIZE}, "crop_size": {"height": _IMAGE_SIZE, "width": _IMAGE_SIZE}}

#: LLaVA-NeXT's anyres grids, in tiles of the vision tower's input size (the real ones reach 3x3 of 336 px).
_GRID_PINPOINTS = [[_IMAGE_SIZE, 2 * _IMAGE_SIZE], [2 * _IMAGE_SIZE, _IMAGE_SIZE], [2 * _IMAGE_SIZE, 2 * _IMAGE_SIZE]]


def build_llava(seed: int) -> tuple[PreTrainedModel, ProcessorMixin]:
    """LLaVA-1.5 in miniature (``tiny-llava``): CLIP's penultimate layer, CLS dropped, Llama decoder."""
    from transformers import (
        CLIPImageProcessorPil,
        CLIPVisionConfig,
        LlamaConfig,
        LlavaConfig,
        LlavaForConditionalGeneration,
        LlavaProcessor,
    )

    tokenizer = byte_tokenizer(LLAVA_SPECIAL_TOKENS, pad="<pad>", eos="</s>", bos="<s>", unk="<unk>")
    config = LlavaConfig(
        vision_config=CLIPVisionConfig(**_CLIP_SIZES),
        text_config=decoder_config(LlamaConfig, tokenizer, pad="<pad>", eos="</s>", bos="<s>"),
        image_token_index=token_id(tokenizer, "<image>"),
        **_LLAVA_CONFIG,
    )
    model: PreTrainedModel = seeded(LlavaForConditionalGeneration, config, seed)
    set_generation_ids(model)
    processor = LlavaProcessor(  # type: ignore[no-untyped-call]
        image_processor=CLIPImageProcessorPil(**_CROP),
        tokenizer=tokenizer,
        chat_template=LLAVA_CHAT_TEMPLATE,
        **_LLAVA_PROCESSOR,
    )
    return model, processor


def build_llava_next(seed: int) -> tuple[PreTrainedModel, ProcessorMixin]:
    """LLaVA-NeXT (v1.6, Mistral) in miniature: anyres tiles of 32 px on 1x2, 2x1 or 2x2 grids."""
    from transformers import (
        CLIPVisionConfig,
        LlavaNextConfig,
        LlavaNextForConditionalGeneration,
        LlavaNextImageProcessorPil,
        LlavaNextProcessor,
        MistralConfig,
    )

    # llava-v1.6-mistral pads with <unk>: Mistral's tokenizer has no pad token of its own.
    tokenizer = byte_tokenizer(LLAVA_NEXT_SPECIAL_TOKENS, pad="<unk>", eos="</s>", bos="<s>", unk="<unk>")
    # Mistral-7B-Instruct-v0.2, the v1.6 base, attends to the whole context: no sliding window.
    text = decoder_config(MistralConfig, tokenizer, pad="<unk>", eos="</s>", bos="<s>", sliding_window=None)
    config = LlavaNextConfig(
        vision_config=CLIPVisionConfig(**_CLIP_SIZES),
        text_config=text,
        image_token_index=token_id(tokenizer, "<image>"),
        image_grid_pinpoints=_GRID_PINPOINTS,
        **_LLAVA_CONFIG,
    )
    model: PreTrainedModel = seeded(LlavaNextForConditionalGeneration, config, seed)
    set_generation_ids(model)
    processor = LlavaNextProcessor(  # type: ignore[no-untyped-call]
        image_processor=LlavaNextImageProcessorPil(**_CROP, image_grid_pinpoints=_GRID_PINPOINTS),
        tokenizer=tokenizer,
        chat_template=LLAVA_NEXT_CHAT_TEMPLATE,
        **_LLAVA_PROCESSOR,
    )
    return model, processor
