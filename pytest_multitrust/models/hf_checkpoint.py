"""Reading a Hugging Face checkpoint: its processor, and content digests for fingerprints.

Split from ``hf.py`` because it changes for other reasons: new model families whose processors need a
work-around, and what identifies a checkpoint. torch and transformers are imported inside functions only.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from functools import cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: Files whose bytes are the weights of a checkpoint folder (hashed instead of re-reading the tensors).
WEIGHT_FILE_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth", ".safetensors.index.json", ".bin.index.json")

#: Names of Hugging Face cache blobs: sha256 (LFS files) or git sha1 (small files) of their content.
_CONTENT_ID = re.compile(r"[0-9a-f]{64}|[0-9a-f]{40}")

#: Model types whose processor needs a video processor (hence torchvision) although we only send images, and
#: the processor class to rebuild without it.
IMAGE_ONLY_PROCESSORS: dict[str, str] = {"qwen2_vl": "Qwen2VLProcessor", "qwen2_5_vl": "Qwen2_5_VLProcessor"}


def one_line(exc: BaseException | str) -> str:
    """An exception (or message) as one line of at most 300 characters."""
    text = exc if isinstance(exc, str) else f"{type(exc).__name__}: {exc}"
    line = " ".join(text.split())
    return line if len(line) <= 300 else line[:297] + "..."


def load_processor(path: str, *, model_type: str, trust_remote_code: bool = False) -> Any:
    """``AutoProcessor`` for ``path``, or an image-only processor where the family's one needs torchvision."""
    from transformers import AutoImageProcessor, AutoProcessor, AutoTokenizer

    fallback = IMAGE_ONLY_PROCESSORS.get(model_type)
    try:
        processor = AutoProcessor.from_pretrained(  # type: ignore[no-untyped-call]
            path, local_files_only=True, trust_remote_code=trust_remote_code
        )
    except Exception as exc:
        if fallback is None:
            raise
        log.info("%s: building an image-only %s: %s", path, fallback, one_line(exc))
    else:
        # AutoProcessor quietly falls back to a bare tokenizer when it cannot resolve the processor class.
        if hasattr(processor, "image_processor"):
            return processor
        if fallback is None:
            raise ValueError(f"{path}: AutoProcessor gave a {type(processor).__name__} without an image processor")
    image_processor = AutoImageProcessor.from_pretrained(path, local_files_only=True)  # type: ignore[no-untyped-call]
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    template_file = os.path.join(path, "chat_template.jinja")
    chat_template = getattr(tokenizer, "chat_template", None)
    if os.path.isfile(template_file):
        with open(template_file, encoding="utf-8") as handle:
            chat_template = handle.read()
    return image_only_processor(fallback, image_processor, tokenizer, chat_template)


def image_only_processor(class_name: str, image_processor: Any, tokenizer: Any, chat_template: str | None) -> Any:
    """``class_name`` (e.g. ``Qwen2VLProcessor``) without its video processor, which needs torchvision."""
    processor_class = _image_only_class(class_name)
    return processor_class(image_processor=image_processor, tokenizer=tokenizer, chat_template=chat_template)


@cache
def _image_only_class(class_name: str) -> type:
    import transformers

    base: type = getattr(transformers, class_name)

    def __init__(
        self: Any, image_processor: Any = None, tokenizer: Any = None, chat_template: str | None = None, **kwargs: Any
    ) -> None:
        # The base class's own token bookkeeping runs; ProcessorMixin then keeps one sub-processor per parameter
        # of *this* signature (image processor and tokenizer), so the missing video processor is never asked for.
        base.__init__(self, image_processor, tokenizer, None, chat_template=chat_template, **kwargs)  # type: ignore[misc]

    # Saved folders record the processor class by name; the real name lets other tools load them as the family.
    return type(class_name, (base,), {"__init__": __init__, "__doc__": f"{class_name} without a video processor."})


def max_context(config: Any) -> int | None:
    """The decoder's context length (``max_position_embeddings``), looked up in the text sub-config first."""
    for candidate in (getattr(config, "text_config", None), config):
        value = getattr(candidate, "max_position_embeddings", None)
        if isinstance(value, int) and value > 0:
            return value
    return None


def state_dict_digest(model: Any) -> str:
    """sha256 over every tensor of the state dict: name, dtype, shape and raw bytes, in name order."""
    import torch

    digest = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        flat = tensor.detach().to("cpu").contiguous().reshape(-1)
        digest.update(f"{name}:{flat.dtype}:{tuple(tensor.shape)}:".encode())
        digest.update(flat.view(torch.uint8).numpy().tobytes())
    return digest.hexdigest()


def checkpoint_digest(folder: str) -> str:
    """sha256 over the weight files of a checkpoint folder (names and contents).

    Files in the Hugging Face cache are links to blobs named by their own sha256 (git sha1 for small files),
    so their content id is read from the link instead of hashing gigabytes again.
    """
    digest = hashlib.sha256()
    names = sorted(name for name in os.listdir(folder) if name.endswith(WEIGHT_FILE_SUFFIXES))
    if not names:
        raise ValueError(f"no weight files ({', '.join(WEIGHT_FILE_SUFFIXES)}) in {folder!r}")
    for name in names:
        path = os.path.join(folder, name)
        blob = os.path.basename(os.path.realpath(path)) if os.path.islink(path) else ""
        if _CONTENT_ID.fullmatch(blob):
            content = blob
        else:
            with open(path, "rb") as handle:
                content = hashlib.file_digest(handle, "sha256").hexdigest()
        digest.update(f"{name}:{content}\n".encode())
    return digest.hexdigest()


def cached_snapshot(repo_id: str) -> str | None:
    """The local snapshot folder of a hub id already in the cache, or None."""
    from huggingface_hub import snapshot_download

    try:
        return str(snapshot_download(repo_id, local_files_only=True))
    except Exception:  # not cached, or not a hub id: the state dict gets hashed instead
        return None


def processor_state(processor: Any) -> dict[str, Any]:
    """JSON-able settings of a processor that change token ids: template, sub-processors, tokenizer."""
    tokenizer = getattr(processor, "tokenizer", processor)
    image_processor = getattr(processor, "image_processor", None)
    backend = getattr(tokenizer, "backend_tokenizer", None)
    return {
        "chat_template": getattr(processor, "chat_template", None) or getattr(tokenizer, "chat_template", None),
        "image_processor": image_processor.to_dict() if image_processor is not None else None,
        "tokenizer": _tokenizer_state(backend) if backend is not None else sorted(tokenizer.get_vocab().items()),
        "special_tokens": {k: str(v) for k, v in sorted(tokenizer.special_tokens_map.items())},
    }


def _tokenizer_state(backend: Any) -> dict[str, Any]:
    """The fast tokenizer's JSON minus padding/truncation, which every padded call rewrites in place."""
    state: dict[str, Any] = json.loads(backend.to_str())
    state.pop("padding", None)
    state.pop("truncation", None)
    return state


def sha256_json(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


#: What ``resa train`` writes beside the checkpoint it trains (base, data hash, params); carried into scores.json.
TRAINING_MANIFEST = "resa_manifest.json"


def read_training_manifest(folder: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The training manifest of a local checkpoint folder, or None when it has none or it cannot be read (a
    damaged manifest must not stop an evaluation; its absence in scores.json says so)."""
    path = Path(folder) / TRAINING_MANIFEST
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None
