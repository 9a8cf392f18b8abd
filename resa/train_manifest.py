"""``resa_manifest.json``: what a RESA checkpoint was trained from and how, written beside its weights.

The suite reads the folder as ``hf:<out>``; the manifest lets a report say which base (by the fingerprint
the suite gives that base), which data (sha256 of the JSONL) and which settings produced the checkpoint.
"""

from __future__ import annotations

import json
import os
import platform
import tempfile
from collections import Counter
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pytest_multitrust.models.hf_checkpoint import checkpoint_digest

if TYPE_CHECKING:
    from resa.train_data import EncodedRow, TrainRow
    from resa.train_model import Base
    from resa.train_options import TrainOptions
    from resa.train_state import Progress

#: File name of the manifest inside the output folder.
MANIFEST_NAME = "resa_manifest.json"

#: Bumped when a field changes meaning.
MANIFEST_SCHEMA = 1

#: Distributions whose versions change what training computes.
_VERSIONED = ("torch", "transformers", "peft", "safetensors", "pytest-multitrust")


def write_manifest(
    out: Path,
    *,
    base: Base,
    data: Path,
    data_sha256: str,
    rows: Sequence[TrainRow],
    encoded: Sequence[EncodedRow],
    options: TrainOptions,
    progress: Progress,
    lora_targets: str | None,
    model: Any,
    resumed_from: int | None,
) -> Path:
    """Write ``out/resa_manifest.json`` atomically and return its path."""
    losses = progress.loss_log
    manifest = {
        "schema": MANIFEST_SCHEMA,
        "tool": "resa train",
        "base": {
            "spec": base.spec,
            "canonical": base.canonical,
            "fingerprint": base.fingerprint,
            "model_type": model.config.model_type,
            "parameters": sum(p.numel() for p in model.parameters()),
        },
        "data": {
            "path": os.fspath(data),
            "sha256": data_sha256,
            "rows": len(rows),
            "kinds": dict(sorted(Counter(row.kind for row in rows).items())),
            "truncated_rows": sum(item.truncated for item in encoded),
        },
        "params": options.as_dict(),
        "lora": None if lora_targets is None else {"targets": lora_targets, "merged": not options.keep_adapter},
        "training": {
            "steps": progress.step,
            "first_loss": losses[0][1] if losses else None,
            "final_loss": losses[-1][1] if losses else None,
            # Sampled at the progress lines' steps (and the last): the full log would dwarf the manifest.
            "loss_log": {
                str(step): round(loss, 6)
                for step, loss in losses
                if step % options.log_every == 0 or step in (1, progress.step)
            },
            "target_tokens": progress.target_tokens,
            "seconds": round(progress.seconds, 3),
            "resumed_from": resumed_from,
        },
        "output": {"weights_sha256": checkpoint_digest(os.fspath(out))},
        "versions": {"python": platform.python_version(), **_versions()},
    }
    path = out / MANIFEST_NAME
    # Written beside the target, then renamed: a reader never sees half a manifest.
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=out, suffix=".tmp", delete=False) as handle:
        json.dump(manifest, handle, indent=2)
        handle.write("\n")
    os.replace(handle.name, path)
    return path


def read_manifest(folder: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The manifest of a checkpoint folder, or None when it has none (not a RESA checkpoint)."""
    path = Path(folder) / MANIFEST_NAME
    if not path.is_file():
        return None
    loaded: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return loaded


def _versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for name in _VERSIONED:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found
