"""Built-in tiny vision-language models: random weights, real architectures, offline, CPU, seconds.

``tiny-llava`` is a LLaVA-1.5 (CLIP vision tower + Llama decoder) and ``tiny-qwen2-vl`` a Qwen2-VL, both built
from their ``transformers`` config classes at toy sizes (hidden 64, 2 heads of 32, 2 layers, ~150-250K
parameters) with the families' real processor classes and chat-template layouts. The tokenizer is built in
process: byte-level BPE without merges (one token per UTF-8 byte) plus each family's special tokens, so no
vocabulary file is downloaded. Weights come from the config's initialiser under ``torch.manual_seed(seed)``:
same (name, seed), same weights and outputs; another seed, other weights. Their answers are noise; they
exist to exercise the whole pipeline (prompts, images, batching, caching, scoring) quickly.

``save_tiny`` writes a checkpoint folder that ``hf:<folder>`` loads. The LLaVA folder round-trips through
``AutoProcessor``; the Qwen2-VL folder does too, but only through :meth:`HFModel.from_pretrained`'s image-only
fallback, because ``Qwen2VLProcessor`` insists on a video processor and that needs torchvision.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Literal, get_args

from pytest_multitrust.models.hf import HFModel
from pytest_multitrust.models.hf_checkpoint import image_only_qwen2_vl_processor

if TYPE_CHECKING:
    from transformers import PreTrainedModel, PreTrainedTokenizerFast, ProcessorMixin

    from pytest_multitrust.models.registry import LoadOptions

TinyName = Literal["tiny-llava", "tiny-qwen2-vl"]

#: Names accepted by :func:`build_tiny` (and by the ``tiny:`` spec prefix).
TINY_MODELS: tuple[TinyName, ...] = get_args(TinyName)

#: Default largest batch: the tiny models are cheap per row, so larger batches just save Python overhead.
TINY_MAX_BATCH_SIZE = 16

#: Context length of both tiny decoders (tokens = UTF-8 bytes); LLaVA-1.5's own is 4096 too.
TINY_CONTEXT = 4096

# Text decoder shared by both families: hidden 64 with 2 heads keeps head_dim at 32 (RoPE needs an even,
# not-too-small head_dim; mrope's sections must add up to head_dim / 2).
_TEXT_SIZES: dict[str, Any] = {
    "hidden_size": 64,
    "intermediate_size": 128,
    "num_hidden_layers": 2,
    "num_attention_heads": 2,
    "num_key_value_heads": 2,
    "max_position_embeddings": TINY_CONTEXT,
}

# CLIP sees a 32 px centre crop as 4x4 patches of 8 px: 16 visual tokens per image (LLaVA-1.5: 336/14 -> 576).
_LLAVA_IMAGE_SIZE = 32
_LLAVA_PATCH_SIZE = 8

#: LLaVA-1.5's layout ("USER: <image>\n{text} ASSISTANT:"), system text first as in llava-hf's template.
LLAVA_CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{% if message['role'] != 'system' %}{{ message['role'].upper() + ': ' }}{% endif %}"
    "{% if message['content'] is string %}{{ message['content'] + ' ' }}{% else %}"
    "{% for content in message['content'] | selectattr('type', 'equalto', 'image') %}{{ '<image>\n' }}{% endfor %}"
    "{% for content in message['content'] | selectattr('type', 'equalto', 'text') %}"
    "{{ content['text'] + ' ' }}{% endfor %}{% endif %}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ 'ASSISTANT:' }}{% endif %}"
)

#: Qwen2-VL's ChatML layout with its default system prompt and vision placeholders, as in Qwen's template.
QWEN2_VL_CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{% if loop.first and message['role'] != 'system' %}"
    "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n{% endif %}"
    "<|im_start|>{{ message['role'] }}\n"
    "{% if message['content'] is string %}{{ message['content'] }}<|im_end|>\n{% else %}"
    "{% for content in message['content'] %}"
    "{% if content['type'] == 'image' %}<|vision_start|><|image_pad|><|vision_end|>"
    "{% elif content['type'] == 'text' %}{{ content['text'] }}{% endif %}"
    "{% endfor %}<|im_end|>\n{% endif %}"
    "{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)

LLAVA_SPECIAL_TOKENS = ("<pad>", "<s>", "</s>", "<unk>", "<image>")
QWEN2_VL_SPECIAL_TOKENS = (
    "<|endoftext|>",
    "<|im_start|>",
    "<|im_end|>",
    "<|vision_start|>",
    "<|vision_end|>",
    "<|image_pad|>",
    "<|video_pad|>",
)


def _byte_tokenizer(
    specials: tuple[str, ...], *, pad: str, eos: str, bos: str | None, unk: str | None
) -> PreTrainedTokenizerFast:
    """Byte-level BPE without merges: every UTF-8 byte is one token, specials get the first ids."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    vocab = {token: index for index, token in enumerate(specials)}
    for char in sorted(pre_tokenizers.ByteLevel.alphabet()):
        vocab[char] = len(vocab)
    backend = Tokenizer(models.BPE(vocab=vocab, merges=[], unk_token=unk))
    backend.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)
    backend.decoder = decoders.ByteLevel()
    if bos is not None:
        # Llama tokenizers prepend <s>; Qwen's add nothing.
        backend.post_processor = processors.TemplateProcessing(
            single=f"{bos} $A", pair=f"{bos} $A {bos} $B", special_tokens=[(bos, vocab[bos])]
        )
    named = {"pad": pad, "eos": eos, "bos": bos, "unk": unk}
    tokenizer = PreTrainedTokenizerFast(  # type: ignore[no-untyped-call]
        tokenizer_object=backend,
        padding_side="left",
        **{f"{role}_token": token for role, token in named.items() if token is not None},
    )
    extra = [token for token in specials if token not in named.values()]
    tokenizer.add_special_tokens({"additional_special_tokens": extra})
    return tokenizer


def _token_ids(tokenizer: PreTrainedTokenizerFast, tokens: tuple[str, ...]) -> dict[str, int]:
    ids = {token: tokenizer.convert_tokens_to_ids(token) for token in tokens}
    return {token: value for token, value in ids.items() if isinstance(value, int)}


def _build_llava(seed: int) -> tuple[PreTrainedModel, ProcessorMixin]:
    import torch
    from transformers import (
        CLIPImageProcessorPil,
        CLIPVisionConfig,
        LlamaConfig,
        LlavaConfig,
        LlavaForConditionalGeneration,
        LlavaProcessor,
    )

    tokenizer = _byte_tokenizer(LLAVA_SPECIAL_TOKENS, pad="<pad>", eos="</s>", bos="<s>", unk="<unk>")
    ids = _token_ids(tokenizer, LLAVA_SPECIAL_TOKENS)
    vision = CLIPVisionConfig(
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=2,
        image_size=_LLAVA_IMAGE_SIZE,
        patch_size=_LLAVA_PATCH_SIZE,
        projection_dim=32,
    )
    text = LlamaConfig(
        vocab_size=len(tokenizer),
        pad_token_id=ids["<pad>"],
        bos_token_id=ids["<s>"],
        eos_token_id=ids["</s>"],
        **_TEXT_SIZES,
    )
    config = LlavaConfig(
        vision_config=vision,
        text_config=text,
        image_token_index=ids["<image>"],
        image_seq_length=(_LLAVA_IMAGE_SIZE // _LLAVA_PATCH_SIZE) ** 2,
        vision_feature_layer=-2,  # LLaVA-1.5 reads the penultimate CLIP layer
        vision_feature_select_strategy="default",
    )
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = LlavaForConditionalGeneration(config).eval()  # type: ignore[no-untyped-call]
    _set_generation_ids(model, pad=ids["<pad>"], eos=ids["</s>"], bos=ids["<s>"])
    side = _LLAVA_IMAGE_SIZE
    image_processor = CLIPImageProcessorPil(size={"shortest_edge": side}, crop_size={"height": side, "width": side})
    processor = LlavaProcessor(  # type: ignore[no-untyped-call]
        image_processor=image_processor,
        tokenizer=tokenizer,
        patch_size=_LLAVA_PATCH_SIZE,
        vision_feature_select_strategy="default",
        chat_template=LLAVA_CHAT_TEMPLATE,
        image_token="<image>",
        num_additional_image_tokens=1,  # CLIP's CLS token, dropped again by the "default" strategy
    )
    return model, processor


def _build_qwen2_vl(seed: int) -> tuple[PreTrainedModel, ProcessorMixin]:
    import torch
    from transformers import Qwen2VLConfig, Qwen2VLForConditionalGeneration, Qwen2VLImageProcessorPil
    from transformers.models.qwen2_vl.configuration_qwen2_vl import Qwen2VLTextConfig, Qwen2VLVisionConfig

    tokenizer = _byte_tokenizer(QWEN2_VL_SPECIAL_TOKENS, pad="<|endoftext|>", eos="<|im_end|>", bos=None, unk=None)
    ids = _token_ids(tokenizer, QWEN2_VL_SPECIAL_TOKENS)
    text = Qwen2VLTextConfig(
        vocab_size=len(tokenizer),
        pad_token_id=ids["<|endoftext|>"],
        eos_token_id=ids["<|im_end|>"],
        bos_token_id=None,
        rope_parameters={"rope_type": "default", "mrope_section": [4, 6, 6]},  # sums to head_dim / 2 = 16
        **_TEXT_SIZES,
    )
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
    config = Qwen2VLConfig(
        text_config=text,
        vision_config=vision,
        image_token_id=ids["<|image_pad|>"],
        video_token_id=ids["<|video_pad|>"],
        vision_start_token_id=ids["<|vision_start|>"],
        vision_end_token_id=ids["<|vision_end|>"],
    )
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = Qwen2VLForConditionalGeneration(config).eval()  # type: ignore[no-untyped-call]
    _set_generation_ids(model, pad=ids["<|endoftext|>"], eos=ids["<|im_end|>"], bos=None)
    # 28 px = one merged 2x2 block of 14 px patches: images become 4..16 visual tokens.
    image_processor = Qwen2VLImageProcessorPil(
        min_pixels=28 * 28 * 4, max_pixels=28 * 28 * 16, patch_size=14, merge_size=2, temporal_patch_size=2
    )
    processor = image_only_qwen2_vl_processor(image_processor, tokenizer, QWEN2_VL_CHAT_TEMPLATE)
    return model, processor


def _set_generation_ids(model: Any, *, pad: int, eos: int, bos: int | None) -> None:
    """Keep generate() from guessing (and warning about) special ids the random config never had."""
    generation = model.generation_config
    generation.pad_token_id = pad
    generation.eos_token_id = eos
    generation.bos_token_id = bos


_BUILDERS = {"tiny-llava": _build_llava, "tiny-qwen2-vl": _build_qwen2_vl}


def _check_name(name: str) -> TinyName:
    if name not in TINY_MODELS:
        raise ValueError(f"unknown tiny model {name!r}; known: {', '.join(TINY_MODELS)}")
    return name


def build_tiny(name: str, seed: int = 0) -> tuple[PreTrainedModel, ProcessorMixin]:
    """Build a tiny model and its processor with random weights drawn from ``seed``.

    Args:
        name: one of :data:`TINY_MODELS`.
        seed: weight seed; the global torch RNG state is left as it was.

    Returns:
        ``(model, processor)``, the model in eval mode on CPU in float32.

    Raises:
        ValueError: ``name`` is not a tiny model.
    """
    return _BUILDERS[_check_name(name)](seed)


def save_tiny(name: str, path: str | os.PathLike[str], seed: int = 0) -> str:
    """Write a tiny model as a checkpoint folder (weights, config, processor, chat template) for ``hf:<path>``.

    Returns:
        The folder, as a string.
    """
    model, processor = build_tiny(name, seed)
    folder = os.fspath(path)
    model.save_pretrained(folder)
    processor.save_pretrained(folder)
    return folder


def load_tiny(name: str, seed: int = 0, *, max_batch_size: int = TINY_MAX_BATCH_SIZE) -> HFModel:
    """The tiny model behind ``--model=tiny:<name>`` (alias ``<name>``), ready to answer requests.

    Its fingerprint covers the name, the seed and a hash of the weights and processor.
    """
    checked = _check_name(name)
    model, processor = build_tiny(checked, seed)
    return HFModel(
        model,
        processor,
        spec=f"tiny:{checked}",
        max_batch_size=max_batch_size,
        identity={"tiny": checked, "seed": seed},
    )


def load(target: str, options: LoadOptions) -> HFModel:
    """Registry entry point for ``tiny:<name>``: the seed comes from the run's options."""
    return load_tiny(target, seed=options.seed, max_batch_size=getattr(options, "max_batch_size", TINY_MAX_BATCH_SIZE))
