"""Tiny Qwen2-VL and Qwen2.5-VL: a native-resolution ViT, 2x2 patch merging, a Qwen2 decoder with M-RoPE.

Images keep their aspect ratio: they are resized to between 4 and 16 merged 28 px blocks (the real ones allow
up to 16384), and each block is one ``<|image_pad|>`` token. Qwen2.5-VL's tower adds window attention (windows
of 56 px here, 112 px in the real one) with full attention in its last block, as the real one has every
eighth block.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pytest_multitrust.models.hf_checkpoint import image_only_processor
from pytest_multitrust.models.tiny_templates import (
    QWEN2_5_VL_CHAT_TEMPLATE,
    QWEN2_VL_CHAT_TEMPLATE,
    QWEN2_VL_SPECIAL_TOKENS,
)
from pytest_multitrust.models.tiny_zoo import (
    TEXT_SIZES,
    byte_tokenizer,
    decoder_config,
    seeded,
    set_generation_ids,
    token_ids,
)

if TYPE_CHECKING:
    from transformers import PreTrainedModel, PreTrainedTokenizerFast, ProcessorMixin

#: M-RoPE sections (temporal, height, width) must add up to head_dim / 2 = 16.
_ROPE = {"rope_type": "default", "mrope_section": [4, 6, 6]}

#: 28 px = one merged 2x2 block of 14 px patches: images become 4..16 visual tokens.
_PIXELS: dict[str, Any] = {
    "min_pixels": 28 * 28 * 4,
    "max_pixels": 28 * 28 * 16,
    "patch_size": 14,
    "merge_size": 2,
    "temporal_patch_size": 2,
}


def _tokenizer_and_text(text_config_class: Any) -> tuple[PreTrainedTokenizerFast, Any]:
    tokenizer = byte_tokenizer(QWEN2_VL_SPECIAL_TOKENS, pad="<|endoftext|>", eos="<|im_end|>", bos=None, unk=None)
    text = decoder_config(
        text_config_class, tokenizer, pad="<|endoftext|>", eos="<|im_end|>", bos=None, rope_parameters=dict(_ROPE)
    )
    return tokenizer, text


def _vision_ids(tokenizer: PreTrainedTokenizerFast) -> dict[str, Any]:
    ids = token_ids(tokenizer, QWEN2_VL_SPECIAL_TOKENS)
    return {
        "image_token_id": ids["<|image_pad|>"],
        "video_token_id": ids["<|video_pad|>"],
        "vision_start_token_id": ids["<|vision_start|>"],
        "vision_end_token_id": ids["<|vision_end|>"],
    }


def build_qwen2_vl(seed: int) -> tuple[PreTrainedModel, ProcessorMixin]:
    """Qwen2-VL in miniature (``tiny-qwen2-vl``)."""
    from transformers import Qwen2VLConfig, Qwen2VLForConditionalGeneration, Qwen2VLImageProcessorPil
    from transformers.models.qwen2_vl.configuration_qwen2_vl import Qwen2VLTextConfig, Qwen2VLVisionConfig

    tokenizer, text = _tokenizer_and_text(Qwen2VLTextConfig)
    vision = Qwen2VLVisionConfig(
        depth=2,
        embed_dim=32,
        hidden_size=64,
        num_heads=2,
        mlp_ratio=2,
        patch_size=14,
        spatial_merge_size=2,
        temporal_patch_size=2,
    )
    config = Qwen2VLConfig(text_config=text, vision_config=vision, **_vision_ids(tokenizer))
    model: PreTrainedModel = seeded(Qwen2VLForConditionalGeneration, config, seed)
    set_generation_ids(model)
    processor = image_only_processor(
        "Qwen2VLProcessor", Qwen2VLImageProcessorPil(**_PIXELS), tokenizer, QWEN2_VL_CHAT_TEMPLATE
    )
    return model, processor


def build_qwen2_5_vl(seed: int) -> tuple[PreTrainedModel, ProcessorMixin]:
    """Qwen2.5-VL in miniature: window attention in the tower, SwiGLU MLPs, RMSNorm."""
    from transformers import Qwen2_5_VLConfig, Qwen2_5_VLForConditionalGeneration, Qwen2VLImageProcessorPil
    from transformers.models.qwen2_5_vl.configuration_qwen2_5_vl import (
        Qwen2_5_VLTextConfig,
        Qwen2_5_VLVisionConfig,
    )

    tokenizer, text = _tokenizer_and_text(Qwen2_5_VLTextConfig)
    vision = Qwen2_5_VLVisionConfig(
        depth=2,
        hidden_size=32,
        intermediate_size=64,
        num_heads=2,
        out_hidden_size=TEXT_SIZES["hidden_size"],
        patch_size=14,
        spatial_merge_size=2,
        temporal_patch_size=2,
        window_size=56,  # 2x2 merged blocks per window: test images span several windows
        fullatt_block_indexes=[1],
    )
    config = Qwen2_5_VLConfig(text_config=text, vision_config=vision, **_vision_ids(tokenizer))
    model: PreTrainedModel = seeded(Qwen2_5_VLForConditionalGeneration, config, seed)
    set_generation_ids(model)
    processor = image_only_processor(
        "Qwen2_5_VLProcessor", Qwen2VLImageProcessorPil(**_PIXELS), tokenizer, QWEN2_5_VL_CHAT_TEMPLATE
    )
    return model, processor
