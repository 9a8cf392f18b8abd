"""Model spec strings (``backend:target``), aliases, and lazy backend loading.

Parsing and validation import nothing heavy, so a bad ``--model`` is a usage error before any model loads.
"""

from __future__ import annotations

import importlib
import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pytest_multitrust.models.protocol import Model

#: Backend name -> "module:function" that loads a Model from (target, LoadOptions). Imported only when chosen.
BACKENDS: dict[str, str] = {
    "tiny": "pytest_multitrust.models.tiny:load",
    "hf": "pytest_multitrust.models.hf:load",
    "replay": "pytest_multitrust.models.replay:load",
    "openai": "pytest_multitrust.models.openai:load",
    "vllm": "pytest_multitrust.models.vllm:load",
}

#: The built-in random-weight models, ``tiny-<family>`` (listed here so validating a spec imports no backend;
#: a test keeps it equal to ``models.tiny.TINY_MODELS``).
TINY_MODEL_NAMES: tuple[str, ...] = (
    "tiny-llava", "tiny-llava-next", "tiny-qwen2-vl", "tiny-qwen2.5-vl", "tiny-idefics3", "tiny-smolvlm",
    "tiny-mllama", "tiny-gemma3",
)  # fmt: skip

#: Short names users type. Public checkpoints resolve through the local Hugging Face cache (offline).
ALIASES: dict[str, str] = {
    **{name: f"tiny:{name}" for name in TINY_MODEL_NAMES},
    "llava": "hf:llava-hf/llava-1.5-7b-hf",
    "llava-13b": "hf:llava-hf/llava-1.5-13b-hf",
    "llava-1.5-13b": "hf:llava-hf/llava-1.5-13b-hf",
    "llava-next": "hf:llava-hf/llava-v1.6-mistral-7b-hf",
    "qwen2-vl": "hf:Qwen/Qwen2-VL-7B-Instruct",
    "qwen2.5-vl": "hf:Qwen/Qwen2.5-VL-7B-Instruct",
    "idefics3": "hf:HuggingFaceM4/Idefics3-8B-Llama3",
    "smolvlm": "hf:HuggingFaceTB/SmolVLM-Instruct",
    "llama-3.2-vision": "hf:meta-llama/Llama-3.2-11B-Vision-Instruct",
    "gemma-3": "hf:google/gemma-3-4b-it",
}

DEFAULT_MODEL = "tiny-llava"
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


@dataclass(frozen=True)
class ModelSpec:
    """A parsed ``--model`` value: ``backend`` and ``target``; ``text`` is what the user typed."""

    backend: str
    target: str
    text: str

    @property
    def canonical(self) -> str:
        return f"{self.backend}:{self.target}"

    @property
    def slug(self) -> str:
        """A file-name-safe short name (report folder default): never empty, never ``.`` or ``..``.

        The target path is normalised first, so ``replay:runs/sub/..`` is named ``runs``, not ``..``.
        """
        base = self.text if self.text in ALIASES else Path(os.path.normpath(self.target)).name
        slug = re.sub(r"[^A-Za-z0-9._-]+", "-", base).strip("-.")
        return slug or self.backend


@dataclass(frozen=True)
class LoadOptions:
    """Settings every backend may use when loading.

    Attributes:
        seed: the run's seed (tiny models draw their weights from it).
        args: ``--model-arg KEY=VALUE`` pairs, as strings; each backend validates the keys it knows and
            rejects the others with one line naming them.
    """

    seed: int = 0
    args: Mapping[str, str] = field(default_factory=dict)


def known_names() -> str:
    return ", ".join(sorted(ALIASES)) + "; or " + ", ".join(f"{b}:<target>" for b in BACKENDS)


def parse_spec(text: str) -> ModelSpec:
    """Parse and cheaply validate a spec; raises ``ValueError`` with one line naming the known choices."""
    text = text.strip()
    resolved = ALIASES.get(text, text)
    backend, sep, target = resolved.partition(":")
    if not sep or backend not in BACKENDS:
        raise ValueError(f"unknown model {text!r}; known: {known_names()}")
    if not target:
        raise ValueError(f"model {text!r} names no target after '{backend}:'")
    spec = ModelSpec(backend, target, text)
    _validate_target(spec)
    return spec


def _validate_target(spec: ModelSpec) -> None:
    if spec.backend == "tiny" and spec.target not in TINY_MODEL_NAMES:
        raise ValueError(f"unknown tiny model {spec.target!r}; known: {', '.join(TINY_MODEL_NAMES)}")
    if spec.backend == "replay" and not os.path.exists(spec.target):
        raise ValueError(f"replay file or folder {spec.target!r} does not exist")
    if spec.backend in ("hf", "vllm"):
        path = Path(spec.target).expanduser()
        if path.is_dir():
            if not (path / "config.json").is_file():
                raise ValueError(f"{spec.target!r} is not a Hugging Face checkpoint folder (no config.json)")
            _check_config(spec.backend, path / "config.json")
            return
        if not _HUB_ID.match(spec.target):
            raise ValueError(f"{spec.backend} checkpoint folder {spec.target!r} does not exist")
        cached = _cached_config(spec.target)
        if cached is None:
            raise ValueError(
                f"{spec.target!r} is not in the local Hugging Face cache and downloads are off; fetch it with "
                f"`hf download {spec.target}` where there is network, or pass hf:/path/to/checkpoint"
            )
        _check_config(spec.backend, Path(cached))


def _check_config(backend: str, config: Path) -> None:
    """A checkpoint's ``config.json`` must be a JSON object naming its ``model_type`` (a cheap read, no import).

    Without the check, transformers fails at model load with a traceback in every test of the run.
    """
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        where = f"{exc.msg} at line {exc.lineno}, column {exc.colno}"
        raise ValueError(f"{backend}: {config} is not valid JSON ({where}); repair or replace the file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{backend}: cannot read {config}: {type(exc).__name__}: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{backend}: {config} is not a JSON object; is this a transformers checkpoint?")
    if not isinstance(data.get("model_type"), str) or not data["model_type"]:
        raise ValueError(
            f'{backend}: {config} has no "model_type"; is this a transformers checkpoint? (save it with '
            'save_pretrained, or add the family\'s model_type, e.g. "llava")'
        )


def _cached_config(repo_id: str) -> str | None:
    """The ``config.json`` of a hub id in the local Hugging Face cache, or None."""
    from huggingface_hub import try_to_load_from_cache

    found = try_to_load_from_cache(repo_id, "config.json")
    return found if isinstance(found, str) else None


def validate_args(spec: ModelSpec, args: Mapping[str, str]) -> None:
    """Check ``--model-arg`` keys and values at configure time, through the backend's ``validate_args``.

    Backend modules import nothing heavy at module level, so this is cheap; a backend without a
    ``validate_args`` takes no arguments.
    """
    module = importlib.import_module(BACKENDS[spec.backend].partition(":")[0])
    validator: Callable[[Mapping[str, str]], None] | None = getattr(module, "validate_args", None)
    if validator is not None:
        validator(args)
    elif args:
        raise ValueError(f"backend {spec.backend!r} takes no model arguments, got {', '.join(sorted(args))}")


def load_model(spec: ModelSpec, options: LoadOptions) -> Model:
    """Import the chosen backend and load the model (the only place heavy imports happen)."""
    module_name, _, function_name = BACKENDS[spec.backend].partition(":")
    loader: Callable[[str, LoadOptions], Model] = getattr(importlib.import_module(module_name), function_name)
    return loader(spec.target, options)
