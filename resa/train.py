"""``resa train``: supervised fine-tuning of a vision-language model on the RESA data, resumable, seeded.

The loop is plain PyTorch (AdamW, linear warm-up then linear decay, gradient clipping, gradient
accumulation) so that every piece of state a resume needs is in view and saved (:mod:`resa.train_state`).
The loss is the mean cross-entropy over the target tokens of an optimizer step (all its micro-batches
together), so the step's loss does not depend on how the rows fall into micro-batches.

Determinism: ``torch.manual_seed(seed)`` before the adapters are drawn; each epoch's data order comes from
``random.Random("resa-train:<seed>:<epoch>")``; dropout draws from torch's RNG, whose state is checkpointed.
A run killed after its checkpoint at step *j* and resumed reaches the same weights as an uninterrupted run
(on the same device and thread count).

The output folder is a transformers checkpoint (``hf:<out>`` in the suite) with ``resa_manifest.json``
(:mod:`resa.train_manifest`) beside it; the checkpoints are deleted once it is complete.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from resa.train_data import EncodedRow, TrainRow, collate, encode_row, end_of_turn_id, file_sha256, read_rows
from resa.train_manifest import write_manifest
from resa.train_model import TrainSetupError, add_lora, load_base, save_output, trainable_parameters
from resa.train_options import TrainOptions
from resa.train_schedule import Schedule
from resa.train_state import (
    STATE_DIR,
    Progress,
    checkpoints,
    clear_partial,
    load_checkpoint,
    read_key,
    remove_state,
    save_checkpoint,
)

__all__ = ["TrainOptions", "TrainResult", "train"]

#: Called after every optimizer step with (step reached, that step's loss); tests use it to stop a run.
StepHook = Callable[[int, float], None]


@dataclass(frozen=True)
class TrainResult:
    """What a finished training produced.

    Attributes:
        out: the checkpoint folder (``hf:<out>``).
        manifest: its ``resa_manifest.json``.
        steps: optimizer steps in all (across resumes).
        first_loss / final_loss: the loss of the first and the last step.
        losses: ``(step, loss)`` of every step.
        seconds: training time across resumes (from the checkpoints' records).
        steps_per_second: steps of this invocation over its training time.
        resumed_from: the step this invocation resumed from, or None for a fresh start.
        options: the options as resolved (method, learning rate, dtype, device decided).
    """

    out: Path
    manifest: Path
    steps: int
    first_loss: float
    final_loss: float
    losses: list[tuple[int, float]]
    seconds: float
    steps_per_second: float
    resumed_from: int | None
    options: TrainOptions


def train(
    base: str,
    data: Path,
    out: Path,
    options: TrainOptions,
    *,
    echo: Callable[[str], None] | None = None,
    on_step: StepHook | None = None,
) -> TrainResult:
    """Fine-tune ``base`` on the JSONL ``data`` and write the checkpoint to ``out``; resume if ``out`` has state.

    Args:
        base: a model spec: ``tiny-llava``, ``tiny:<name>`` or ``hf:<checkpoint folder>``.
        data: the training JSONL (``resa data``).
        out: output folder: new, empty, or holding the checkpoints of an interrupted run with the same options.
        options: see :class:`TrainOptions`.
        echo: where progress lines go (default: printed).
        on_step: called after each optimizer step with ``(step, loss)``.

    Raises:
        TrainDataError, TrainSetupError, TrainOptionError: bad input (all ``ValueError``; one line each).
    """
    import torch

    say = echo or _print
    options.validate()
    out = Path(out)
    _check_out(out)
    rows = read_rows(Path(data))
    # Decided before loading: the dtype the base is loaded in depends on the method.
    from pytest_multitrust.models.registry import parse_spec

    try:
        tiny = parse_spec(base).backend == "tiny"
    except ValueError as exc:
        raise TrainSetupError(f"--base: {exc}") from None
    options = options.resolved(tiny=tiny, cuda=torch.cuda.is_available())
    loaded = load_base(base, seed=options.base_seed, dtype=options.dtype, device=options.device)
    hf = loaded.hf
    torch.manual_seed(options.seed)
    model: Any = hf.model
    targets = None
    if options.method == "lora":
        model, targets = add_lora(
            model,
            rank=options.lora_rank,
            alpha=options.lora_alpha,
            dropout=options.lora_dropout,
            targets=options.lora_targets,
        )
    if options.gradient_checkpointing:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    eos_id = end_of_turn_id(hf.model, hf.processor)
    encoded = [encode_row(hf, row, eos_id, options.max_length) for row in rows]
    truncated = sum(item.truncated for item in encoded)
    if truncated:
        say(f"resa train: warning: {truncated} of {len(rows)} targets cut at --max-length {options.max_length}")
    parameters = trainable_parameters(model)
    optimizer = torch.optim.AdamW(
        parameters.values(), lr=options.learning_rate or 0.0, weight_decay=options.weight_decay
    )
    data_sha = file_sha256(Path(data))
    key: dict[str, Any] = {
        "base": loaded.canonical,
        "base_fingerprint": loaded.fingerprint,
        "data_sha256": data_sha,
        "options": options.resume_key(),
    }
    progress, resumed_from = _resume(out, key, parameters, optimizer, say)

    separate = hf.quirks.text_only_batches_apart
    schedule = Schedule(rows, options, separate)
    say(
        f"resa train: {loaded.spec} ({options.method}, {len(parameters)} trainable tensors, "
        f"{sum(p.numel() for p in parameters.values()):,} parameters) on {len(rows)} rows, "
        f"{schedule.total} steps, device {options.device}"
    )
    model.train()
    started, first_step = time.monotonic(), progress.step
    mark = started
    while progress.step < schedule.total:
        micro = schedule.micro_batches(progress)
        tokens = sum(len(encoded[i].target_ids) for batch in micro for i in batch)
        for group in optimizer.param_groups:
            group["lr"] = schedule.learning_rate(progress.step)
        optimizer.zero_grad(set_to_none=True)
        loss_sum = 0.0
        for batch in micro:
            loss_sum += _backward(model, hf, [rows[i] for i in batch], [encoded[i] for i in batch], tokens)
        if options.max_grad_norm > 0:
            torch.nn.utils.clip_grad_norm_(list(parameters.values()), options.max_grad_norm)
        optimizer.step()
        progress.step += 1
        loss = loss_sum / tokens
        progress.loss_log.append((progress.step, loss))
        progress.target_tokens += tokens
        if progress.step % options.log_every == 0 or progress.step in (1, schedule.total):
            rate = (progress.step - first_step) / max(time.monotonic() - started, 1e-9)
            say(_progress_line(progress.step, schedule, loss, rate))
        now = time.monotonic()
        progress.seconds, mark = progress.seconds + now - mark, now
        if progress.step % options.save_every == 0 or progress.step == schedule.total:
            save_checkpoint(out, progress, key, parameters, optimizer)
        if on_step is not None:
            on_step(progress.step, loss)
    model.eval()
    run_seconds = time.monotonic() - started
    ran = progress.step - first_step
    saved = save_output(model, hf.processor, out, lora=options.method == "lora", keep_adapter=options.keep_adapter)
    manifest = write_manifest(
        out,
        base=loaded,
        data=Path(data),
        data_sha256=data_sha,
        rows=rows,
        encoded=encoded,
        options=options,
        progress=progress,
        lora_targets=targets,
        model=saved,
        resumed_from=resumed_from,
    )
    remove_state(out)
    say(f"resa train: wrote {out} (final loss {progress.loss_log[-1][1]:.4f}); evaluate with --model=hf:{out}")
    return TrainResult(
        out=out,
        manifest=manifest,
        steps=progress.step,
        first_loss=progress.loss_log[0][1],
        final_loss=progress.loss_log[-1][1],
        losses=list(progress.loss_log),
        seconds=progress.seconds,
        steps_per_second=ran / run_seconds if ran else 0.0,
        resumed_from=resumed_from,
        options=options,
    )


def _print(line: str) -> None:
    print(line, flush=True)


def _check_out(out: Path) -> None:
    """``out`` must be new, empty, or an interrupted run's folder (it holds checkpoints)."""
    if out.exists() and not out.is_dir():
        raise TrainSetupError(f"--out {out} is a file; give a folder for the checkpoint")
    if not out.is_dir() or checkpoints(out):
        return
    entries = [entry.name for entry in out.iterdir() if entry.name != STATE_DIR]
    if "resa_manifest.json" in entries:
        raise TrainSetupError(f"--out {out} already holds a finished RESA training; choose a new folder or delete it")
    if entries:
        raise TrainSetupError(f"--out {out} exists and is not empty; choose a new folder (or empty this one)")


def _resume(
    out: Path, key: dict[str, Any], parameters: dict[str, Any], optimizer: Any, say: Callable[[str], None]
) -> tuple[Progress, int | None]:
    """The newest checkpoint's progress (weights, optimizer and RNG restored), or a fresh start."""
    clear_partial(out)
    found = checkpoints(out)
    if not found:
        return Progress(), None
    latest = found[-1]
    saved = read_key(latest)
    if saved != key:
        changed = sorted(_differences(saved, key))
        raise TrainSetupError(
            f"--out {out} holds an interrupted training with other settings ({', '.join(changed)}); rerun with "
            f"the same ones to resume, or remove {out / STATE_DIR} to start over"
        )
    progress = load_checkpoint(latest, parameters, optimizer)
    say(f"resa train: resuming from step {progress.step} ({latest})")
    return progress, progress.step


def _differences(saved: dict[str, Any], key: dict[str, Any]) -> set[str]:
    names = {name for name in saved.keys() | key.keys() if name != "options" and saved.get(name) != key.get(name)}
    old, new = saved.get("options", {}), key.get("options", {})
    return names | {name for name in old.keys() | new.keys() if old.get(name) != new.get(name)}


def _backward(model: Any, hf: Any, rows: list[TrainRow], encoded: list[EncodedRow], tokens: int) -> float:
    """Forward one micro-batch, back-propagate its share of the step's mean loss; return its summed loss."""
    import torch

    batch = collate(hf, rows, encoded)
    labels = batch.pop("labels")
    logits = model(**batch, use_cache=False).logits
    # Position t predicts token t + 1; float32 for the softmax whatever the weights' dtype.
    loss = torch.nn.functional.cross_entropy(
        logits[:, :-1].float().reshape(-1, logits.shape[-1]),
        labels[:, 1:].reshape(-1),
        ignore_index=-100,
        reduction="sum",
    )
    (loss / tokens).backward()  # type: ignore[no-untyped-call]
    return float(loss.detach())


def _progress_line(step: int, schedule: Schedule, loss: float, rate: float) -> str:
    epoch = min((step - 1) // schedule.steps_per_epoch + 1, schedule.options.epochs)
    left = (schedule.total - step) / rate if rate > 0 else 0.0
    return (
        f"resa train: step {step}/{schedule.total} epoch {epoch}/{schedule.options.epochs} loss {loss:.4f} "
        f"lr {schedule.learning_rate(step - 1):.2e} {rate:.2f} steps/s eta {left:.0f}s"
    )
