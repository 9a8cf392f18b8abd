"""Built-in tiny vision-language models: random weights, real architectures, offline, CPU, seconds.

``tiny-llava`` is a LLaVA-1.5 (CLIP vision tower + Llama decoder) and ``tiny-qwen2-vl`` a Qwen2-VL, the
``llava`` and ``qwen2-vl`` families of :mod:`~pytest_multitrust.models.tiny_zoo` (hidden 64, 2 heads of 32,
2 layers, ~150-250K parameters) with the families' real processor classes and chat-template layouts and an
in-process byte-level tokenizer, so nothing is downloaded. Weights come from the config's initialiser under
``torch.manual_seed(seed)``: same (name, seed), same weights and outputs; another seed, other weights. Their
answers are noise; they exist to exercise the whole pipeline (prompts, images, batching, caching, scoring)
quickly.

``save_tiny`` writes a checkpoint folder that ``hf:<folder>`` loads. The LLaVA folder round-trips through
``AutoProcessor``; the Qwen2-VL folder does too, but only through :meth:`HFModel.from_pretrained`'s image-only
fallback, because ``Qwen2VLProcessor`` insists on a video processor and that needs torchvision.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pytest_multitrust.models.hf import HFModel
from pytest_multitrust.models.hf_args import check_cuda_build, check_cuda_device, parse_model_args
from pytest_multitrust.models.tiny_zoo import TINY_CONTEXT, TINY_FAMILIES, Family, build_tiny_family, save_tiny_family

if TYPE_CHECKING:
    from transformers import PreTrainedModel, ProcessorMixin

    from pytest_multitrust.models.registry import LoadOptions

__all__ = ["TINY_CONTEXT", "TINY_MODELS", "build_tiny", "load", "load_tiny", "save_tiny", "validate_args"]

TinyName = str

#: The :mod:`tiny_zoo` family behind each built-in name: ``tiny-<family>`` for every family.
TINY_MODEL_FAMILIES: dict[TinyName, Family] = {f"tiny-{family}": family for family in TINY_FAMILIES}

#: Names accepted by :func:`build_tiny` (and by the ``tiny:`` spec prefix).
TINY_MODELS: tuple[TinyName, ...] = tuple(TINY_MODEL_FAMILIES)

#: Default largest batch: the tiny models are cheap per row, so larger batches just save Python overhead.
TINY_MAX_BATCH_SIZE = 16

#: ``--model-arg`` keys the tiny backend accepts (the weights are built in process, so loading knobs such as
#: ``device_map`` or ``trust_remote_code`` have nothing to act on).
TINY_ARG_KEYS = ("dtype", "device", "max_batch_size", "cache_tag")


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
    return build_tiny_family(TINY_MODEL_FAMILIES[_check_name(name)], seed)


def save_tiny(name: str, path: str | os.PathLike[str], seed: int = 0) -> str:
    """Write a tiny model as a checkpoint folder (weights, config, processor, chat template) for ``hf:<path>``.

    Returns:
        The folder, as a string.
    """
    return save_tiny_family(TINY_MODEL_FAMILIES[_check_name(name)], path, seed)


def load_tiny(
    name: str,
    seed: int = 0,
    *,
    max_batch_size: int = TINY_MAX_BATCH_SIZE,
    dtype: str | None = None,
    device: str | None = None,
    cache_tag: str | None = None,
) -> HFModel:
    """The tiny model behind ``--model=tiny:<name>`` (alias ``<name>``), ready to answer requests.

    Args:
        name: one of :data:`TINY_MODELS`.
        seed: weight seed.
        max_batch_size: most requests per ``generate`` call.
        dtype: ``float32`` (the default; also what ``auto`` means here), ``bfloat16`` or ``float16``.
        device: ``cpu`` (the default), ``cuda``, ``cuda:N``, or ``auto`` (CUDA when available).
        cache_tag: folded into the fingerprint.

    Its fingerprint is :class:`HFModel`'s: the name and seed, hashes of the weights and processor, the dtype,
    the transformers version and the prompt-render schema (and ``cache_tag``).

    Raises:
        ModelLoadError: ``device`` names a CUDA device that is not there (one line).
    """
    import torch

    checked = _check_name(name)
    check_cuda_device("tiny", "device", device)
    model: Any
    model, processor = build_tiny(checked, seed)
    if dtype not in (None, "auto", "float32"):
        model = model.to(getattr(torch, dtype))
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    if device not in (None, "cpu"):
        model = model.to(device)
    return HFModel(
        model,
        processor,
        spec=f"tiny:{checked}",
        max_batch_size=max_batch_size,
        identity={"tiny": checked, "seed": seed},
        cache_tag=cache_tag,
    )


def validate_args(args: Mapping[str, str]) -> None:
    """Check ``--model-arg`` pairs at configure time: only :data:`TINY_ARG_KEYS`, with valid values (and no
    CUDA asked of a CPU-only torch)."""
    check_cuda_build("tiny", parse_model_args(args, backend="tiny", keys=TINY_ARG_KEYS))


def load(target: str, options: LoadOptions) -> HFModel:
    """Registry entry point for ``tiny:<name>``: the seed and ``--model-arg`` values come from the run's options."""
    args = parse_model_args(options.args, backend="tiny", keys=TINY_ARG_KEYS)
    return load_tiny(
        target,
        seed=options.seed,
        max_batch_size=args.max_batch_size or TINY_MAX_BATCH_SIZE,
        dtype=args.dtype,
        device=args.device,
        cache_tag=args.cache_tag,
    )
