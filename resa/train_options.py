"""The knobs of ``resa train``, their documented defaults, and the checks a bad value fails with.

| option | default | meaning |
|---|---|---|
| ``method`` | ``auto`` | ``full`` fine-tuning for the built-in tiny models, ``lora`` for checkpoints |
| ``keep_adapter`` | off | LoRA only: write base + adapter instead of the merged model |
| ``lora_rank`` / ``lora_alpha`` / ``lora_dropout`` | 16 / 32 / 0.05 | the adapter's size, scale and dropout |
| ``lora_targets`` | the family's table | regex over module names (see :mod:`resa.train_model`) |
| ``learning_rate`` | LoRA 2e-4; full: 1e-3 tiny, 1e-5 checkpoint | AdamW's peak rate |
| ``epochs`` | 3 | passes over the data |
| ``batch_size`` / ``grad_accum`` | 8 / 1 | rows per forward pass / passes per optimizer step |
| ``max_steps`` | none | stop after this many optimizer steps (fewer than the epochs give) |
| ``warmup_ratio`` | 0.05 | share of the steps with a linear warm-up, then linear decay to 0 |
| ``weight_decay`` / ``max_grad_norm`` | 0 / 1.0 | AdamW decay; gradient clipping (0: off) |
| ``max_length`` | 1024 | prompt + target tokens per row; longer targets are cut (and counted) |
| ``seed`` | 0 | data order, adapter initialisation, dropout |
| ``base_seed`` | 0 | weight seed of a tiny base: the suite's ``--seed`` the base is compared under |
| ``dtype`` | ``auto`` | bfloat16 for LoRA on CUDA, else float32 (full fine-tuning keeps float32 master weights) |
| ``device`` | ``auto`` | CUDA when present, else CPU |
| ``save_every`` / ``log_every`` | 50 / 10 | steps between checkpoints / progress lines |
| ``gradient_checkpointing`` | off | recompute activations in the backward pass (less memory, slower) |
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any, Literal

Method = Literal["auto", "lora", "full"]

METHODS: tuple[str, ...] = ("auto", "lora", "full")
DTYPES: tuple[str, ...] = ("auto", "float32", "bfloat16", "float16")

#: Devices ``--device`` accepts.
DEVICE_PATTERN = re.compile(r"auto|cpu|cuda(:\d+)?")

#: AdamW's peak learning rate when none is given, by (method, whether the base is a built-in tiny model).
DEFAULT_LEARNING_RATES: dict[tuple[str, bool], float] = {
    ("lora", True): 2e-4,
    ("lora", False): 2e-4,
    # The tiny models start from random weights: only a large rate moves them within CPU minutes.
    ("full", True): 1e-3,
    ("full", False): 1e-5,
}

#: Options that change neither the weights nor the data order: a resumed run may change them freely.
RESUME_FREE = ("save_every", "log_every", "device", "gradient_checkpointing")


class ResaTrainError(ValueError):
    """Input to ``resa train`` the user can fix; the message is one line naming the file or option, and the fix."""


class TrainOptionError(ResaTrainError):
    """A bad option value; the message is one line naming the command-line flag."""


@dataclass(frozen=True)
class TrainOptions:
    """Settings of one training run; the module docstring's table gives the defaults and their meaning."""

    method: Method = "auto"
    keep_adapter: bool = False
    lora_rank: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.05
    lora_targets: str | None = None
    learning_rate: float | None = None
    epochs: int = 3
    batch_size: int = 8
    grad_accum: int = 1
    max_steps: int | None = None
    warmup_ratio: float = 0.05
    weight_decay: float = 0.0
    max_grad_norm: float = 1.0
    max_length: int = 1024
    seed: int = 0
    base_seed: int = 0
    dtype: str = "auto"
    device: str = "auto"
    save_every: int = 50
    log_every: int = 10
    gradient_checkpointing: bool = False

    def validate(self) -> None:
        """Raise :class:`TrainOptionError` (one line, naming the flag) for the first bad value."""
        positive = {
            "--lora-rank": self.lora_rank,
            "--lora-alpha": self.lora_alpha,
            "--epochs": self.epochs,
            "--batch-size": self.batch_size,
            "--grad-accum": self.grad_accum,
            "--max-length": self.max_length,
            "--save-every": self.save_every,
            "--log-every": self.log_every,
        }
        for flag, value in positive.items():
            if value < 1:
                raise TrainOptionError(f"{flag} must be a whole number >= 1, got {value}")
        if self.max_steps is not None and self.max_steps < 1:
            raise TrainOptionError(f"--max-steps must be >= 1 (or left out), got {self.max_steps}")
        if self.method not in METHODS:
            raise TrainOptionError(f"method must be one of {', '.join(METHODS)}, got {self.method!r}")
        if self.dtype not in DTYPES:
            raise TrainOptionError(f"--dtype must be one of {', '.join(DTYPES)}, got {self.dtype!r}")
        if not DEVICE_PATTERN.fullmatch(self.device):
            raise TrainOptionError(f"--device must be auto, cpu, cuda or cuda:N, got {self.device!r}")
        if not 0 <= self.lora_dropout < 1:
            raise TrainOptionError(f"--lora-dropout must be in [0, 1), got {self.lora_dropout}")
        if not 0 <= self.warmup_ratio < 1:
            raise TrainOptionError(f"--warmup-ratio must be in [0, 1), got {self.warmup_ratio}")
        if self.learning_rate is not None and not 0 < self.learning_rate < 1:
            raise TrainOptionError(f"--lr must be in (0, 1), got {self.learning_rate}")
        if self.weight_decay < 0 or self.max_grad_norm < 0:
            raise TrainOptionError("--weight-decay and --max-grad-norm must be >= 0")
        if self.seed < 0 or self.base_seed < 0:
            raise TrainOptionError("--seed and --base-seed must be >= 0")
        if self.keep_adapter and self.method == "full":
            raise TrainOptionError("--keep-adapter needs LoRA; drop --full (or --keep-adapter)")

    def resolved(self, *, tiny: bool, cuda: bool) -> TrainOptions:
        """These options with ``auto`` and unset values decided for a base (tiny or not) and a machine."""
        from dataclasses import replace

        method: Method = self.method if self.method != "auto" else ("full" if tiny else "lora")
        if self.keep_adapter and method != "lora":
            raise TrainOptionError("--keep-adapter needs LoRA; add --lora (tiny bases train fully by default)")
        dtype = self.dtype
        if dtype == "auto":
            dtype = "bfloat16" if cuda and method == "lora" else "float32"
        device = self.device if self.device != "auto" else ("cuda" if cuda else "cpu")
        if device.startswith("cuda") and not cuda:
            raise TrainOptionError(f"--device {device}: torch finds no CUDA device here; use --device cpu (or auto)")
        rate = self.learning_rate if self.learning_rate is not None else DEFAULT_LEARNING_RATES[(method, tiny)]
        return replace(self, method=method, dtype=dtype, device=device, learning_rate=rate)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def resume_key(self) -> dict[str, Any]:
        """The options a checkpoint must have been trained with for a run to resume from it."""
        return {k: v for k, v in self.as_dict().items() if k not in RESUME_FREE}
