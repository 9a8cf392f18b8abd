"""``resa train --base SPEC --data FILE --out DIR [options]``: the command-line face of :func:`resa.train.train`.

Bad input (a missing data file, a bad row, an unknown base, a bad option value, an occupied output folder)
prints one line on stderr and exits 2; an interruption exits 130 and says how to resume.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from resa.train_options import DEFAULT_LEARNING_RATES, DTYPES, ResaTrainError, TrainOptions

#: Exit status for input the user can fix (argparse's own usage errors use 2 too).
EXIT_USAGE = 2

_DEFAULTS = TrainOptions()

_EPILOG = f"""\
method: full fine-tuning for the built-in tiny models (tiny-llava, tiny:NAME), LoRA for checkpoints
(hf:DIR); --lora / --full choose. Default learning rate: LoRA {DEFAULT_LEARNING_RATES[("lora", False)]:g},
full {DEFAULT_LEARNING_RATES[("full", True)]:g} (tiny) or {DEFAULT_LEARNING_RATES[("full", False)]:g} (checkpoint).
Rerunning the same command on the same --out resumes from the last checkpoint.
Then: pytest trusttests --model=hf:DIR
"""


def add_train_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``train`` sub-command to ``subparsers`` (from ``ArgumentParser.add_subparsers``)."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "train",
        help="fine-tune a model on RESA data into a checkpoint the suite evaluates as hf:DIR",
        description="Fine-tune a vision-language model on a RESA JSONL (loss on the response tokens only).",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--base", required=True, metavar="SPEC", help="tiny-llava, tiny:NAME or hf:DIR")
    parser.add_argument("--data", required=True, type=Path, metavar="FILE", help="training JSONL (resa data)")
    parser.add_argument("--out", required=True, type=Path, metavar="DIR", help="output checkpoint folder")
    method = parser.add_mutually_exclusive_group()
    method.add_argument("--lora", dest="method", action="store_const", const="lora", help="train LoRA adapters")
    method.add_argument("--full", dest="method", action="store_const", const="full", help="train every weight")
    parser.set_defaults(method="auto")
    parser.add_argument("--keep-adapter", action="store_true", help="LoRA: save base + adapter, not merged")
    lora = parser.add_argument_group("LoRA")
    lora.add_argument("--lora-rank", type=int, default=_DEFAULTS.lora_rank, help="adapter rank (%(default)s)")
    lora.add_argument("--lora-alpha", type=int, default=_DEFAULTS.lora_alpha, help="adapter scale (%(default)s)")
    lora.add_argument("--lora-dropout", type=float, default=_DEFAULTS.lora_dropout, help="(%(default)s)")
    lora.add_argument("--lora-targets", metavar="REGEX", help="module names to adapt (default: the family's)")
    opt = parser.add_argument_group("optimisation")
    opt.add_argument("--lr", type=float, dest="learning_rate", help="peak learning rate (default: by method)")
    opt.add_argument("--epochs", type=int, default=_DEFAULTS.epochs, help="(%(default)s)")
    opt.add_argument("--batch-size", type=int, default=_DEFAULTS.batch_size, help="rows per pass (%(default)s)")
    opt.add_argument("--grad-accum", type=int, default=_DEFAULTS.grad_accum, help="passes per step (%(default)s)")
    opt.add_argument("--max-steps", type=int, help="stop after this many optimizer steps")
    opt.add_argument("--warmup-ratio", type=float, default=_DEFAULTS.warmup_ratio, help="(%(default)s)")
    opt.add_argument("--weight-decay", type=float, default=_DEFAULTS.weight_decay, help="(%(default)s)")
    opt.add_argument("--max-grad-norm", type=float, default=_DEFAULTS.max_grad_norm, help="0: off (%(default)s)")
    opt.add_argument("--max-length", type=int, default=_DEFAULTS.max_length, help="tokens per row (%(default)s)")
    opt.add_argument("--gradient-checkpointing", action="store_true", help="less memory, slower")
    run = parser.add_argument_group("run")
    run.add_argument("--seed", type=int, default=_DEFAULTS.seed, help="data order, adapters, dropout (%(default)s)")
    run.add_argument("--base-seed", type=int, default=_DEFAULTS.base_seed, help="tiny base weight seed (%(default)s)")
    run.add_argument("--dtype", choices=DTYPES, default=_DEFAULTS.dtype, help="(%(default)s)")
    run.add_argument("--device", default=_DEFAULTS.device, help="cpu, cuda, cuda:N or auto (%(default)s)")
    run.add_argument("--save-every", type=int, default=_DEFAULTS.save_every, help="checkpoint steps (%(default)s)")
    run.add_argument("--log-every", type=int, default=_DEFAULTS.log_every, help="progress steps (%(default)s)")
    parser.set_defaults(handler=run_train)
    return parser


def options_from(args: argparse.Namespace) -> TrainOptions:
    """The :class:`TrainOptions` the parsed arguments ask for."""
    return TrainOptions(
        method=args.method,
        keep_adapter=args.keep_adapter,
        lora_rank=args.lora_rank,
        lora_alpha=args.lora_alpha,
        lora_dropout=args.lora_dropout,
        lora_targets=args.lora_targets,
        learning_rate=args.learning_rate,
        epochs=args.epochs,
        batch_size=args.batch_size,
        grad_accum=args.grad_accum,
        max_steps=args.max_steps,
        warmup_ratio=args.warmup_ratio,
        weight_decay=args.weight_decay,
        max_grad_norm=args.max_grad_norm,
        max_length=args.max_length,
        seed=args.seed,
        base_seed=args.base_seed,
        dtype=args.dtype,
        device=args.device,
        save_every=args.save_every,
        log_every=args.log_every,
        gradient_checkpointing=args.gradient_checkpointing,
    )


def run_train(args: argparse.Namespace) -> int:
    """Run ``resa train`` for parsed arguments; 0 on success, 2 on bad input, 130 when interrupted."""
    from resa.train import train

    try:
        result = train(args.base, args.data, args.out, options_from(args))
    except ResaTrainError as exc:
        print(f"resa train: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"resa train: interrupted; run the same command again to resume in {args.out}", file=sys.stderr)
        return 130
    print(
        f"resa train: {result.steps} steps, loss {result.first_loss:.4f} -> {result.final_loss:.4f}, "
        f"{result.seconds:.1f}s; manifest {result.manifest}"
    )
    return 0
