"""Tiny Llama-3.2-Vision (Mllama) and Gemma 3: the two families that do not splice image tokens the LLaVA way.

Mllama keeps one ``<|image|>`` token in the text and lets cross-attention layers read the tiled image (tiles
of 32 px here, 560 px in the real one; up to 4 tiles); its chat template refuses a system message next to an
image. Gemma 3 expands ``<start_of_image>`` into a fixed run of soft tokens (4 here, 256 in the real one,
average-pooled from the SigLIP patches) and attends bidirectionally within an image; its decoder alternates
sliding-window and global layers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pytest_multitrust.models.tiny_templates import (
    GEMMA3_CHAT_TEMPLATE,
    GEMMA3_SPECIAL_TOKENS,
    MLLAMA_CHAT_TEMPLATE,
    MLLAMA_SPECIAL_TOKENS,
)
from pytest_multitrust.models.tiny_zoo import (
    byte_tokenizer,
    decoder_config,
    draw_zero_initialised,
    seeded,
    set_generation_ids,
    token_id,
    token_ids,
)

if TYPE_CHECKING:
    from transformers import PreTrainedModel, ProcessorMixin

_MLLAMA_TILE = 32
#: Tile layouts (rows, columns) the tiny Mllama accepts: all of the real model's for at most 4 tiles.
_MLLAMA_ASPECT_RATIOS = [[1, 1], [1, 2], [1, 3], [1, 4], [2, 1], [2, 2], [3, 1], [4, 1]]

_GEMMA3_IMAGE_SIZE = 32
_GEMMA3_SOFT_TOKENS = 4  # 4x4 patches of 8 px, average-pooled 2x2 into 2x2 soft tokens
#: Read with getattr by SiglipVisionModel: Gemma 3's tower has no pooling head (nothing would use it).
_GEMMA3_NO_POOLING_HEAD: dict[str, Any] = {"vision_use_head": False}
#: Gemma 3's local layers see 1024 tokens; 16 is shorter than any test prompt (one token per byte), so the
#: batching tests cross the window and prove left padding keeps the sliding mask right.
_GEMMA3_SLIDING_WINDOW = 16


def build_mllama(seed: int) -> tuple[PreTrainedModel, ProcessorMixin]:
    """Llama-3.2-11B-Vision-Instruct in miniature: one self-attention and one cross-attention decoder layer."""
    from transformers import MllamaConfig, MllamaForConditionalGeneration, MllamaImageProcessorPil, MllamaProcessor
    from transformers.models.mllama.configuration_mllama import MllamaTextConfig, MllamaVisionConfig

    pad, eos, bos = "<|finetune_right_pad_id|>", "<|eot_id|>", "<|begin_of_text|>"
    tokenizer = byte_tokenizer(MLLAMA_SPECIAL_TOKENS, pad=pad, eos=eos, bos=bos, unk=None)
    text = decoder_config(
        MllamaTextConfig,
        tokenizer,
        pad=pad,
        eos=eos,
        bos=bos,
        cross_attention_layers=[1],
        rope_parameters={"rope_type": "default", "rope_theta": 500000.0},
    )
    vision_hidden = 32
    vision = MllamaVisionConfig(
        hidden_size=vision_hidden,
        intermediate_size=64,
        num_hidden_layers=2,
        num_global_layers=1,
        attention_heads=2,
        image_size=_MLLAMA_TILE,
        patch_size=8,
        max_num_tiles=4,
        intermediate_layers_indices=[0],
        vision_output_dim=vision_hidden * 2,  # the last layer and one intermediate layer, concatenated
        supported_aspect_ratios=_MLLAMA_ASPECT_RATIOS,
    )
    config = MllamaConfig(vision_config=vision, text_config=text, image_token_index=token_id(tokenizer, "<|image|>"))
    model: PreTrainedModel = seeded(MllamaForConditionalGeneration, config, seed)
    # tanh(gate) scales the cross-attention and the tile embeddings: N(0, 1) opens them to about +-0.7.
    draw_zero_initialised(model, ("gate",), seed=seed, std=1.0)
    set_generation_ids(model)
    image_processor = MllamaImageProcessorPil(size={"height": _MLLAMA_TILE, "width": _MLLAMA_TILE}, max_image_tiles=4)
    processor = MllamaProcessor(  # type: ignore[no-untyped-call]
        image_processor=image_processor, tokenizer=tokenizer, chat_template=MLLAMA_CHAT_TEMPLATE
    )
    return model, processor


def build_gemma3(seed: int) -> tuple[PreTrainedModel, ProcessorMixin]:
    """gemma-3-4b-it in miniature: grouped-query attention, a sliding layer then a global one, tied embeddings."""
    from transformers import (
        Gemma3Config,
        Gemma3ForConditionalGeneration,
        Gemma3ImageProcessorPil,
        Gemma3Processor,
        SiglipVisionConfig,
    )
    from transformers.models.gemma3.configuration_gemma3 import Gemma3TextConfig

    image_tokens = {"boi_token": "<start_of_image>", "eoi_token": "<end_of_image>", "image_token": "<image_soft_token>"}
    tokenizer = byte_tokenizer(
        GEMMA3_SPECIAL_TOKENS, pad="<pad>", eos="<eos>", bos="<bos>", unk="<unk>", named=image_tokens
    )
    ids = token_ids(tokenizer, GEMMA3_SPECIAL_TOKENS)
    text = decoder_config(
        Gemma3TextConfig,
        tokenizer,
        pad="<pad>",
        eos=("<eos>", "<end_of_turn>"),  # gemma-3-*-it stops at <end_of_turn> as well as <eos>
        bos="<bos>",
        num_key_value_heads=1,
        head_dim=32,
        query_pre_attn_scalar=32,
        sliding_window=_GEMMA3_SLIDING_WINDOW,
        layer_types=["sliding_attention", "full_attention"],
    )
    vision = SiglipVisionConfig(
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=2,
        image_size=_GEMMA3_IMAGE_SIZE,
        patch_size=8,
        **_GEMMA3_NO_POOLING_HEAD,
    )
    config = Gemma3Config(
        text_config=text,
        vision_config=vision,
        mm_tokens_per_image=_GEMMA3_SOFT_TOKENS,
        boi_token_index=ids["<start_of_image>"],
        eoi_token_index=ids["<end_of_image>"],
        image_token_index=ids["<image_soft_token>"],
    )
    model: PreTrainedModel = seeded(Gemma3ForConditionalGeneration, config, seed)
    draw_zero_initialised(model, ("mm_input_projection_weight",), seed=seed, std=0.02)
    set_generation_ids(model)
    side = _GEMMA3_IMAGE_SIZE
    image_processor = Gemma3ImageProcessorPil(size={"height": side, "width": side})
    processor = Gemma3Processor(
        image_processor=image_processor,
        tokenizer=tokenizer,
        chat_template=GEMMA3_CHAT_TEMPLATE,
        image_seq_length=_GEMMA3_SOFT_TOKENS,
    )
    return model, processor
