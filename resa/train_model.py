"""The model side of ``resa train``: load the base as the suite does, wrap it in LoRA, write the checkpoint.

The base is loaded through the suite's own backends (:func:`~pytest_multitrust.models.tiny.load_tiny`,
:meth:`HFModel.from_pretrained`), so its fingerprint in the training manifest is the one a suite run of the
base reports, and the prompts are rendered by the same code.

LoRA adapters go on the language model's attention projections (the usual choice for safety SFT: the
vision tower stays as pre-trained, so what the model sees does not change, only how it answers):

| family (``model_type``) | modules (regex over module names) |
|---|---|
| ``llava``, ``llava_next``, ``qwen2_vl``, ``qwen2_5_vl``, ``gemma3`` | ``language_model``: ``self_attn.*_proj`` |
| ``idefics3`` (Idefics3, SmolVLM) | ``text_model``: ``self_attn.*_proj`` |
| ``mllama`` | ``language_model``: ``self_attn.*_proj``, ``cross_attn.*_proj`` |

(``*_proj``: ``q_proj``, ``k_proj``, ``v_proj``, ``o_proj``.)

Other families need ``--lora-targets REGEX`` (matched in full against module names, as peft does).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytest_multitrust.models.hf import HFModel
from pytest_multitrust.models.protocol import ModelLoadError
from pytest_multitrust.models.registry import parse_spec
from resa.train_options import ResaTrainError

_ATTENTION = r"(q_proj|k_proj|v_proj|o_proj)"
# "(model\.)?" keeps the patterns valid for both transformers 4 (language_model.model.layers) and 5 layouts.
_LANGUAGE_SELF_ATTENTION = rf".*language_model\.(model\.)?layers\.\d+\.self_attn\.{_ATTENTION}"

#: LoRA target modules per ``config.model_type`` (see the module docstring's table).
LORA_TARGETS: dict[str, str] = {
    "llava": _LANGUAGE_SELF_ATTENTION,
    "llava_next": _LANGUAGE_SELF_ATTENTION,
    "qwen2_vl": _LANGUAGE_SELF_ATTENTION,
    "qwen2_5_vl": _LANGUAGE_SELF_ATTENTION,
    "gemma3": _LANGUAGE_SELF_ATTENTION,
    "idefics3": rf".*text_model\.(model\.)?layers\.\d+\.self_attn\.{_ATTENTION}",
    "mllama": rf".*language_model\.(model\.)?layers\.\d+\.(self_attn|cross_attn)\.{_ATTENTION}",
}

#: Backends whose models live in this process as torch modules, hence can be trained.
TRAINABLE_BACKENDS = ("tiny", "hf")


class TrainSetupError(ResaTrainError):
    """A base, option or output folder the user can fix; the message is one line saying what to do."""


@dataclass
class Base:
    """The loaded base model: the suite's ``HFModel`` around it and what the manifest says of it."""

    hf: HFModel
    spec: str
    canonical: str
    is_tiny: bool
    fingerprint: str


def load_base(spec_text: str, *, seed: int, dtype: str, device: str) -> Base:
    """Load ``spec_text`` (``tiny-llava``, ``tiny:NAME``, ``hf:DIR``) on ``device`` in ``dtype`` for training.

    Args:
        spec_text: a model spec as ``--model`` takes it.
        seed: the weight seed of a built-in tiny model (the suite's ``--seed``); ignored for checkpoints.
        dtype: ``float32``, ``bfloat16`` or ``float16``.
        device: ``cpu``, ``cuda`` or ``cuda:N``.

    Raises:
        TrainSetupError: an unknown spec, a backend that cannot be trained, or a checkpoint that cannot load.
    """
    from pytest_multitrust.models.tiny import load_tiny

    try:
        spec = parse_spec(spec_text)
    except ValueError as exc:
        raise TrainSetupError(f"--base: {exc}") from None
    if spec.backend not in TRAINABLE_BACKENDS:
        raise TrainSetupError(
            f"--base {spec_text}: the {spec.backend} backend serves a model this process cannot train; "
            "give tiny-<family>, tiny:<name> or hf:<checkpoint folder>"
        )
    try:
        if spec.backend == "tiny":
            hf = load_tiny(spec.target, seed=seed, dtype=dtype, device=device)
        else:
            hf = HFModel.from_pretrained(spec.target, dtype=dtype, device=device)
    except (ModelLoadError, OSError) as exc:
        raise TrainSetupError(f"--base {spec_text}: {exc}") from None
    # Fingerprinted now, before training changes the weights it hashes.
    return Base(hf, spec_text, spec.canonical, spec.backend == "tiny", hf.fingerprint())


def add_lora(model: Any, *, rank: int, alpha: int, dropout: float, targets: str | None) -> tuple[Any, str]:
    """Wrap ``model`` in a peft LoRA model on the family's target modules (or ``targets``).

    Returns:
        ``(peft_model, targets regex used)``.

    Raises:
        TrainSetupError: the family has no target table and no ``targets`` was given, or nothing matched.
    """
    from peft import LoraConfig, get_peft_model

    model_type = model.config.model_type
    pattern = targets or LORA_TARGETS.get(model_type)
    if pattern is None:
        raise TrainSetupError(
            f"--lora: no LoRA target table for model_type {model_type!r}; pass --lora-targets REGEX "
            f"(known: {', '.join(sorted(LORA_TARGETS))})"
        )
    config = LoraConfig(r=rank, lora_alpha=alpha, lora_dropout=dropout, target_modules=pattern, bias="none")
    try:
        return get_peft_model(model, config), pattern
    except ValueError as exc:  # peft: "Target modules ... not found in the base model"
        raise TrainSetupError(f"--lora-targets {pattern!r} matches no module of this {model_type} model") from exc


def trainable_parameters(model: Any) -> dict[str, Any]:
    """The parameters the optimizer updates, by name (all for full fine-tuning, the adapters for LoRA)."""
    return {name: p for name, p in model.named_parameters() if p.requires_grad}


def save_output(model: Any, processor: Any, out: Path, *, lora: bool, keep_adapter: bool) -> Any:
    """Write the trained model to ``out`` as a checkpoint ``hf:out`` loads, and return what was saved.

    Full fine-tuning writes the model. LoRA writes the merged model by default; with ``keep_adapter`` it
    writes the base weights plus ``adapter_config.json`` and ``adapter_model.safetensors`` in the same
    folder, which transformers (with peft installed) loads as base + adapter.
    """
    if not lora:
        saved = model
    elif keep_adapter:
        # The adapter files first: unload() takes the LoRA layers out of the modules they wrap. transformers
        # finds config.json beside adapter_config.json and loads the base from this folder, not from the
        # base path peft recorded.
        model.save_pretrained(os.fspath(out))
        saved = model.unload()
    else:
        saved = model.merge_and_unload()
    saved.save_pretrained(os.fspath(out))
    processor.save_pretrained(os.fspath(out))
    return saved
