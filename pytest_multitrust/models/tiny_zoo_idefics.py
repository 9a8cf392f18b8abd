"""Tiny Idefics3 and SmolVLM-Instruct: a SigLIP-style tower, pixel shuffle, a Llama decoder, split images.

Both are ``Idefics3ForConditionalGeneration``; they differ as their checkpoints do: the tokenizer's specials
(Llama 3's ``<|begin_of_text|>`` vs SmolLM2's ``<|im_start|>``) and the pixel-shuffle scale factor (2 vs 3).
An image wider or taller than one tile is split into tiles (each preceded by ``<row_i_col_j>``) plus a
downscaled global view (``<global-img>``), exactly as the real processor does, at toy sizes: tiles of 32 px
(Idefics3) or 48 px (SmolVLM) instead of 364 / 384, images resized to at most two tiles per side.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pytest_multitrust.models.tiny_templates import (
    IDEFICS3_SPECIAL_TOKENS,
    SMOLVLM_SPECIAL_TOKENS,
    idefics3_chat_template,
)
from pytest_multitrust.models.tiny_zoo import byte_tokenizer, decoder_config, seeded, set_generation_ids, token_id

if TYPE_CHECKING:
    from transformers import PreTrainedModel, ProcessorMixin

# Vision tower shared by both: hidden 64 with 2 heads keeps head_dim at 32 (vLLM's kernels want >= 32),
# 8 px patches.
_VISION_SIZES: dict[str, Any] = {
    "hidden_size": 64,
    "intermediate_size": 128,
    "num_hidden_layers": 2,
    "num_attention_heads": 2,
    "patch_size": 8,
}


def build_idefics3(seed: int) -> tuple[PreTrainedModel, ProcessorMixin]:
    """Idefics3-8B-Llama3 in miniature: 32 px tiles of 4x4 patches, shuffled by 2 into 4 tokens per tile."""
    return _build(
        seed,
        specials=IDEFICS3_SPECIAL_TOKENS,
        bos="<|begin_of_text|>",
        pad="<|reserved_special_token_0|>",
        unk=None,
        tile=32,
        scale_factor=2,
    )


def build_smolvlm(seed: int) -> tuple[PreTrainedModel, ProcessorMixin]:
    """SmolVLM-Instruct in miniature: 48 px tiles of 6x6 patches, shuffled by 3 into 4 tokens per tile."""
    return _build(
        seed,
        specials=SMOLVLM_SPECIAL_TOKENS,
        bos="<|im_start|>",
        pad="<|im_end|>",
        unk="<|endoftext|>",
        tile=48,
        scale_factor=3,
    )


def _build(
    seed: int, *, specials: tuple[str, ...], bos: str, pad: str, unk: str | None, tile: int, scale_factor: int
) -> tuple[PreTrainedModel, ProcessorMixin]:
    from transformers import (
        Idefics3Config,
        Idefics3ForConditionalGeneration,
        Idefics3ImageProcessorPil,
        Idefics3Processor,
        LlamaConfig,
    )
    from transformers.models.idefics3.configuration_idefics3 import Idefics3VisionConfig

    eos = "<end_of_utterance>"
    tokenizer = byte_tokenizer(specials, pad=pad, eos=eos, bos=bos, unk=unk)
    config = Idefics3Config(
        text_config=decoder_config(LlamaConfig, tokenizer, pad=pad, eos=eos, bos=bos),
        vision_config=Idefics3VisionConfig(image_size=tile, **_VISION_SIZES),
        image_token_id=token_id(tokenizer, "<image>"),
        scale_factor=scale_factor,
        pad_token_id=token_id(tokenizer, pad),
    )
    model: PreTrainedModel = seeded(Idefics3ForConditionalGeneration, config, seed)
    set_generation_ids(model)
    image_processor = Idefics3ImageProcessorPil(size={"longest_edge": 2 * tile}, max_image_size={"longest_edge": tile})
    image_seq_len = (tile // _VISION_SIZES["patch_size"]) ** 2 // scale_factor**2
    processor = Idefics3Processor(
        image_processor=image_processor,
        tokenizer=tokenizer,
        image_seq_len=image_seq_len,
        chat_template=idefics3_chat_template(bos),
    )
    return model, processor
