"""Training checkpoints under ``<out>/.resa-state/``: written atomically, read back to resume after a kill.

Each checkpoint is a folder ``step-NNNNNNNN`` holding the trainable weights (all of them for full
fine-tuning, the adapters for LoRA; safetensors), the optimizer state, the torch RNG states (dropout draws)
and ``state.json`` (step, the current epoch's data order, the loss log, the options and data hash it was
trained with). It is written in a temporary folder beside it and renamed into place, so a kill at any moment
leaves either the whole checkpoint or none; the newest complete one wins on resume, older ones are pruned.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Folder inside the output folder that holds the checkpoints.
STATE_DIR = ".resa-state"

#: Checkpoints kept on disk: the newest, and one before it in case the newest is unreadable.
KEEP_CHECKPOINTS = 2

_PREFIX = "step-"
_TMP_PREFIX = ".tmp-"


@dataclass
class Progress:
    """Where training stands: everything besides tensors that a resumed run must continue from."""

    step: int = 0
    order: list[int] = field(default_factory=list)
    order_epoch: int = -1
    loss_log: list[tuple[int, float]] = field(default_factory=list)
    seconds: float = 0.0
    target_tokens: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "order": self.order,
            "order_epoch": self.order_epoch,
            "loss_log": [list(item) for item in self.loss_log],
            "seconds": self.seconds,
            "target_tokens": self.target_tokens,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Progress:
        return cls(
            step=int(data["step"]),
            order=[int(i) for i in data["order"]],
            order_epoch=int(data["order_epoch"]),
            loss_log=[(int(s), float(v)) for s, v in data["loss_log"]],
            seconds=float(data["seconds"]),
            target_tokens=int(data["target_tokens"]),
        )


def state_root(out: Path) -> Path:
    return out / STATE_DIR


def save_checkpoint(
    out: Path, progress: Progress, key: dict[str, Any], parameters: dict[str, Any], optimizer: Any
) -> Path:
    """Write a checkpoint of ``progress`` atomically and prune older ones.

    Args:
        out: the training's output folder.
        progress: the step reached (after its optimizer update) and the state besides tensors.
        key: the options and data identity this training runs with (checked on resume).
        parameters: the trainable parameters by name.
        optimizer: the torch optimizer.

    Returns:
        The checkpoint folder.
    """
    import torch
    from safetensors.torch import save_file

    root = state_root(out)
    root.mkdir(parents=True, exist_ok=True)
    final = root / f"{_PREFIX}{progress.step:08d}"
    tmp = root / f"{_TMP_PREFIX}{final.name}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    save_file(
        {name: p.detach().to("cpu").contiguous() for name, p in parameters.items()}, tmp / "trainable.safetensors"
    )
    torch.save(optimizer.state_dict(), tmp / "optimizer.pt")
    rng: dict[str, Any] = {"torch": torch.get_rng_state()}
    if torch.cuda.is_available():
        rng["cuda"] = torch.cuda.get_rng_state_all()
    torch.save(rng, tmp / "rng.pt")
    (tmp / "state.json").write_text(json.dumps({"key": key, "progress": progress.to_json()}, indent=1), "utf-8")
    _fsync_folder(tmp)
    if final.exists():  # the same step saved by an earlier, interrupted run: replace it whole
        shutil.rmtree(final)
    os.replace(tmp, final)
    for old in checkpoints(out)[:-KEEP_CHECKPOINTS]:
        shutil.rmtree(old, ignore_errors=True)
    return final


def checkpoints(out: Path) -> list[Path]:
    """The complete checkpoints under ``out``, oldest first."""
    root = state_root(out)
    if not root.is_dir():
        return []
    found = [p for p in root.iterdir() if p.name.startswith(_PREFIX) and (p / "state.json").is_file()]
    return sorted(found, key=lambda p: p.name)


def clear_partial(out: Path) -> None:
    """Remove temporary folders a killed run left half-written."""
    root = state_root(out)
    if root.is_dir():
        for leftover in root.iterdir():
            if leftover.name.startswith(_TMP_PREFIX):
                shutil.rmtree(leftover, ignore_errors=True)


def read_key(checkpoint: Path) -> dict[str, Any]:
    """The options and data identity a checkpoint was trained with."""
    key: dict[str, Any] = json.loads((checkpoint / "state.json").read_text("utf-8"))["key"]
    return key


def load_checkpoint(checkpoint: Path, parameters: dict[str, Any], optimizer: Any) -> Progress:
    """Restore trainable weights, optimizer and RNG state from ``checkpoint``; return its progress."""
    import torch
    from safetensors.torch import load_file

    saved = load_file(checkpoint / "trainable.safetensors")
    if set(saved) != set(parameters):
        raise ValueError(f"{checkpoint}: the saved parameters do not match this model's; remove {checkpoint.parent}")
    with torch.no_grad():
        for name, parameter in parameters.items():
            parameter.copy_(saved[name])
    optimizer.load_state_dict(torch.load(checkpoint / "optimizer.pt", weights_only=True))
    rng = torch.load(checkpoint / "rng.pt", weights_only=True)
    torch.set_rng_state(rng["torch"])
    if "cuda" in rng and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(rng["cuda"])
    data = json.loads((checkpoint / "state.json").read_text("utf-8"))
    return Progress.from_json(data["progress"])


def remove_state(out: Path) -> None:
    """Delete all checkpoints once the output is complete (they can be as large as the model)."""
    shutil.rmtree(state_root(out), ignore_errors=True)


def _fsync_folder(folder: Path) -> None:
    # Flush file contents before the rename publishes the folder: otherwise a power cut could leave a renamed
    # checkpoint whose files are empty.
    for path in folder.iterdir():
        with path.open("rb") as handle:
            os.fsync(handle.fileno())
