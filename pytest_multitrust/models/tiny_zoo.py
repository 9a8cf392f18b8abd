"""Tiny random-weight models of the real vision-language families in the MultiTrust leaderboard.

Each family is built from its ``transformers`` config classes at toy sizes (text decoder: hidden 64, 2 heads of
32, 2 layers; vision towers of 2 layers; 100-500K parameters), with the family's **real processor class** and a
chat template of the family's real shape (:mod:`~pytest_multitrust.models.tiny_templates`). The tokenizer is
built in process: byte-level BPE without merges (one token per UTF-8 byte) plus the family's special tokens,
so no vocabulary file is downloaded. Weights come from the config's initialiser under ``torch.manual_seed``;
parameters transformers initialises to zero so that a fresh model ignores its images (Mllama's cross-attention
gates, Gemma 3's image projection) are drawn from the seed too (:func:`draw_zero_initialised`). Answers are
noise; the models exist to prove the ``hf`` backend on every family (prompt layout, image placement, batching,
checkpoint round trips) offline, on CPU, in seconds.

| family | mirrors | architecture | processor |
|---|---|---|---|
| ``llava`` | llava-hf/llava-1.5-7b-hf | ``LlavaForConditionalGeneration`` | ``LlavaProcessor`` |
| ``llava-next`` | llava-hf/llava-v1.6-mistral-7b-hf | ``LlavaNextForConditionalGeneration`` | ``LlavaNextProcessor`` |
| ``qwen2-vl`` | Qwen/Qwen2-VL-7B-Instruct | ``Qwen2VLForConditionalGeneration`` | ``Qwen2VLProcessor``\\* |
| ``qwen2.5-vl`` | Qwen/Qwen2.5-VL-7B-Instruct | ``Qwen2_5_VLForConditionalGeneration`` | ``Qwen2_5_VLProcessor``\\* |
| ``idefics3`` | HuggingFaceM4/Idefics3-8B-Llama3 | ``Idefics3ForConditionalGeneration`` | ``Idefics3Processor`` |
| ``smolvlm`` | HuggingFaceTB/SmolVLM-Instruct | ``Idefics3ForConditionalGeneration`` | ``Idefics3Processor`` |
| ``mllama`` | meta-llama/Llama-3.2-11B-Vision-Instruct | ``MllamaForConditionalGeneration`` | ``MllamaProcessor`` |
| ``gemma3`` | google/gemma-3-4b-it | ``Gemma3ForConditionalGeneration`` | ``Gemma3Processor`` |

\\* without its video processor, which cannot be built without torchvision
(:func:`~pytest_multitrust.models.hf_checkpoint.image_only_processor`). Every image processor is the
``*ImageProcessorPil`` class, for the same reason.

Not built here: **PaliGemma**, which is not a chat model (no chat template; its processor refuses text-only
prompts, so every text-only MultiTrust variant would be an error); and **SmolVLM2** (``model_type`` smolvlm),
whose processor needs the ``num2words`` package and a video processor (SmolVLM-Instruct, the checkpoint the
``smolvlm`` alias names, is an Idefics3 model and is covered).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal, get_args

if TYPE_CHECKING:
    from transformers import PreTrainedModel, PreTrainedTokenizerFast, ProcessorMixin

Family = Literal["llava", "llava-next", "qwen2-vl", "qwen2.5-vl", "idefics3", "smolvlm", "mllama", "gemma3"]

#: The families :func:`build_tiny_family` builds.
TINY_FAMILIES: tuple[Family, ...] = get_args(Family)

#: The public checkpoint each tiny family mirrors (same architecture, processor and chat layout).
FAMILY_CHECKPOINTS: dict[Family, str] = {
    "llava": "llava-hf/llava-1.5-7b-hf",
    "llava-next": "llava-hf/llava-v1.6-mistral-7b-hf",
    "qwen2-vl": "Qwen/Qwen2-VL-7B-Instruct",
    "qwen2.5-vl": "Qwen/Qwen2.5-VL-7B-Instruct",
    "idefics3": "HuggingFaceM4/Idefics3-8B-Llama3",
    "smolvlm": "HuggingFaceTB/SmolVLM-Instruct",
    "mllama": "meta-llama/Llama-3.2-11B-Vision-Instruct",
    "gemma3": "google/gemma-3-4b-it",
}

#: Context length of every tiny decoder (tokens = UTF-8 bytes); LLaVA-1.5's own is 4096 too.
TINY_CONTEXT = 4096

# Text decoder shared by the families: hidden 64 with 2 heads keeps head_dim at 32 (RoPE needs an even,
# not-too-small head_dim; mrope's sections must add up to head_dim / 2; vLLM's kernels want >= 32).
TEXT_SIZES: dict[str, Any] = {
    "hidden_size": 64,
    "intermediate_size": 128,
    "num_hidden_layers": 2,
    "num_attention_heads": 2,
    "num_key_value_heads": 2,
    "max_position_embeddings": TINY_CONTEXT,
}

Built = tuple["PreTrainedModel", "ProcessorMixin"]


def byte_tokenizer(
    specials: tuple[str, ...],
    *,
    pad: str,
    eos: str,
    bos: str | None,
    unk: str | None,
    named: Mapping[str, str] | None = None,
) -> PreTrainedTokenizerFast:
    """Byte-level BPE without merges: every UTF-8 byte is one token, specials get the first ids.

    Args:
        specials: the family's special tokens, in id order.
        pad, eos, bos, unk: which specials play these roles (``bos`` is prepended, as Llama tokenizers do).
        named: model-specific token attributes the family's processor reads (Gemma 3: ``boi_token``...).
    """
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    vocab = {token: index for index, token in enumerate(specials)}
    for char in sorted(pre_tokenizers.ByteLevel.alphabet()):
        vocab[char] = len(vocab)
    backend = Tokenizer(models.BPE(vocab=vocab, merges=[], unk_token=unk))
    backend.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)
    backend.decoder = decoders.ByteLevel()
    if bos is not None:
        # Llama and Gemma tokenizers prepend their bos; Qwen's add nothing.
        backend.post_processor = processors.TemplateProcessing(
            single=f"{bos} $A", pair=f"{bos} $A {bos} $B", special_tokens=[(bos, vocab[bos])]
        )
    roles = {"pad": pad, "eos": eos, "bos": bos, "unk": unk}
    extra_kwargs: dict[str, Any] = {"model_specific_special_tokens": dict(named)} if named else {}
    tokenizer = PreTrainedTokenizerFast(  # type: ignore[no-untyped-call]
        tokenizer_object=backend,
        padding_side="left",
        **{f"{role}_token": token for role, token in roles.items() if token is not None},
        **extra_kwargs,
    )
    extra = [token for token in specials if token not in roles.values()]
    tokenizer.add_special_tokens({"additional_special_tokens": extra})
    return tokenizer


def token_id(tokenizer: PreTrainedTokenizerFast, token: str) -> int:
    """The id of one special token (each is a single token of the byte tokenizer)."""
    value = tokenizer.convert_tokens_to_ids(token)
    if not isinstance(value, int):
        raise TypeError(f"{token!r} is not one token")
    return value


def token_ids(tokenizer: PreTrainedTokenizerFast, tokens: tuple[str, ...]) -> dict[str, int]:
    """The ids of ``tokens`` in ``tokenizer`` (each special is one token)."""
    ids = {token: tokenizer.convert_tokens_to_ids(token) for token in tokens}
    return {token: value for token, value in ids.items() if isinstance(value, int)}


def seeded(model_class: Any, config: Any, seed: int) -> Any:
    """``model_class(config)`` with weights drawn from ``seed``; the global torch RNG is left as it was."""
    import torch

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return model_class(config).eval()


def draw_zero_initialised(model: Any, suffixes: tuple[str, ...], *, seed: int, std: float) -> None:
    """Draw from ``seed`` the parameters (names ending in ``suffixes``) that transformers initialises to zero.

    Closed gates (Mllama's cross-attention) or a zero projection (Gemma 3's image projector) would make a
    freshly initialised model ignore its images entirely, which no trained checkpoint does; the backend's
    tests could then not tell whether the images reach the model at all.
    """
    import torch

    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, parameter in sorted(model.named_parameters()):
            if name.endswith(suffixes):
                parameter.copy_(torch.randn(parameter.shape, generator=generator) * std)


def decoder_config(
    config_class: Any,
    tokenizer: PreTrainedTokenizerFast,
    *,
    pad: str,
    eos: str | tuple[str, ...],
    bos: str | None,
    **overrides: Any,
) -> Any:
    """A text-decoder config at :data:`TEXT_SIZES` (plus ``overrides``) with the tokenizer's vocabulary and ids."""
    eos_ids = token_id(tokenizer, eos) if isinstance(eos, str) else [token_id(tokenizer, token) for token in eos]
    return config_class(
        vocab_size=len(tokenizer),
        pad_token_id=token_id(tokenizer, pad),
        eos_token_id=eos_ids,
        bos_token_id=token_id(tokenizer, bos) if bos is not None else None,
        **{**TEXT_SIZES, **overrides},
    )


def set_generation_ids(model: Any) -> None:
    """Copy the decoder's pad, eos and bos ids into the generation config.

    Keeps generate() from guessing (and warning about) special ids the random config never had.
    """
    text = model.config.get_text_config()
    generation = model.generation_config
    generation.pad_token_id = text.pad_token_id
    generation.eos_token_id = text.eos_token_id
    generation.bos_token_id = text.bos_token_id


#: Family -> "module:function" that builds it (imported when chosen; the modules import this one's helpers).
_BUILDERS: dict[Family, str] = {
    "llava": "tiny_zoo_llava:build_llava",
    "llava-next": "tiny_zoo_llava:build_llava_next",
    "qwen2-vl": "tiny_zoo_qwen:build_qwen2_vl",
    "qwen2.5-vl": "tiny_zoo_qwen:build_qwen2_5_vl",
    "idefics3": "tiny_zoo_idefics:build_idefics3",
    "smolvlm": "tiny_zoo_idefics:build_smolvlm",
    "mllama": "tiny_zoo_llama_gemma:build_mllama",
    "gemma3": "tiny_zoo_llama_gemma:build_gemma3",
}


def check_family(family: str) -> Family:
    """``family`` as a :data:`Family`; raises ``ValueError`` naming the known ones."""
    if family not in TINY_FAMILIES:
        raise ValueError(f"unknown tiny family {family!r}; known: {', '.join(TINY_FAMILIES)}")
    return family


def build_tiny_family(family: str, seed: int = 0) -> Built:
    """Build a tiny model of ``family`` and its processor, with random weights drawn from ``seed``.

    Returns:
        ``(model, processor)``, the model in eval mode on CPU in float32.

    Raises:
        ValueError: ``family`` is not one of :data:`TINY_FAMILIES`.
    """
    module_name, _, function_name = _BUILDERS[check_family(family)].partition(":")
    module = importlib.import_module(f"pytest_multitrust.models.{module_name}")
    builder: Callable[[int], Built] = getattr(module, function_name)
    return builder(seed)


def save_tiny_family(family: str, path: str | os.PathLike[str], seed: int = 0) -> str:
    """Write a tiny model of ``family`` as a checkpoint folder that ``hf:<path>`` (and vLLM) can load.

    The folder holds weights (safetensors), config, generation config, tokenizer, processor settings and
    the chat template, as ``save_pretrained`` writes them for the real checkpoints.

    Returns:
        The folder, as a string.
    """
    model, processor = build_tiny_family(family, seed)
    folder = os.fspath(path)
    model.save_pretrained(folder)
    processor.save_pretrained(folder)
    return folder
