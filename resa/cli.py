"""The ``resa`` command: ``resa data``, ``resa train`` and ``resa loop``.

``resa loop --base SPEC`` runs the whole cycle in one folder (default ``runs/resa-<base>``):

1. ``data/resa.jsonl``: the training set (:mod:`resa.data`), compact reasoning for the built-in tiny models;
2. ``checkpoint/``: the fine-tuned model (:mod:`resa.train`; resumes after a kill);
3. ``runs/base`` and ``runs/resa``: the suite on the base and on the checkpoint, with the same seed, samples,
   selection and limit (``pytest trusttests ... --report-dir``), sharing one response cache;
4. ``compare/``: ``multitrust compare`` of the two runs (table with paired tests, radar, scatter), whose rows
   include the safety aspect and its tasks and, beside the overall score, the over-refusal probe.

Each step is skipped when its output is already there (rerun after a kill: it carries on). Run it from the
project root (the folder holding ``trusttests/``). Bad input is one line and exit status 2.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from resa.cli_data import add_data_parser
from resa.cli_train import add_train_parser
from resa.targets import Style

EXIT_USAGE = 2
#: What the loop's suite runs cover by default: the safety aspect (its jailbreak and cross-modal tasks, and the
#: over-refusal probe beside it) and the truthfulness aspect (utility), at a CPU-sized limit.
DEFAULT_SUITE_ARGS = ("--aspect", "safety", "--aspect", "truthfulness")
DEFAULT_LIMIT = 16


def _is_tiny(base: str) -> bool:
    return base.startswith("tiny")


def add_loop_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "loop",
        help="data -> train -> the suite on the base and the checkpoint -> their comparison",
        description="The RESA cycle: build the data, train, evaluate base and checkpoint alike, compare them.",
    )
    parser.add_argument("--base", required=True, metavar="SPEC", help="tiny-llava, tiny:NAME or hf:DIR")
    parser.add_argument("--out", type=Path, help="the loop's folder (default runs/resa-<base>)")
    parser.add_argument("--seed", type=int, default=0, help="data, training and suite seed (%(default)s)")
    parser.add_argument("--per-kind", type=int, default=64, metavar="N", help="training rows per kind (%(default)s)")
    parser.add_argument("--style", choices=("full", "compact"), help="reasoning style (default: compact for tiny)")
    parser.add_argument("--epochs", type=int, help="training epochs (default: 30 for tiny, else resa train's)")
    parser.add_argument("--max-steps", type=int, help="stop training after this many steps")
    parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help="samples per variant in the suite runs")
    parser.add_argument("-n", "--workers", type=int, default=2, help="pytest-xdist workers for the suite runs")
    parser.add_argument(
        "--suite-arg",
        action="append",
        metavar="ARG",
        help=f"an argument for both suite runs (repeatable; default: {' '.join(DEFAULT_SUITE_ARGS)})",
    )
    parser.set_defaults(handler=run_loop)


def _step(title: str) -> None:
    print(f"resa loop: {title}", file=sys.stderr, flush=True)


def _suite(model: str, report: Path, cache: Path, args: argparse.Namespace) -> None:
    extra = args.suite_arg or list(DEFAULT_SUITE_ARGS)
    command = [sys.executable, "-m", "pytest", "trusttests", "-q", "-p", "no:cacheprovider", f"--model={model}",
               f"--seed={args.seed}", f"--limit={args.limit}", f"--report-dir={report}", f"--cache-dir={cache}",
               "-n", str(args.workers), *extra]  # fmt: skip
    _step(" ".join(command[2:]))
    done = subprocess.run(command, check=False)
    if done.returncode not in (0, 1):  # 1: a gate or a variant failed, as it may; anything else is a crash
        raise RuntimeError(f"the suite run on {model} ended with exit status {done.returncode}")


def run_loop(args: argparse.Namespace) -> int:
    """The loop (see the module docstring); returns the exit status."""
    if not Path("trusttests").is_dir():
        print("resa loop: error: run it from the project root (the folder holding trusttests/)", file=sys.stderr)
        return EXIT_USAGE
    base: str = args.base
    out: Path = args.out or Path("runs") / f"resa-{base.replace(':', '-').replace('/', '-').strip('-.')}"
    style: Style = "compact" if (args.style or ("compact" if _is_tiny(base) else "full")) == "compact" else "full"
    data = out / "data" / "resa.jsonl"
    checkpoint = out / "checkpoint"
    try:
        if not data.is_file():
            from resa.data import build_dataset

            _step(f"building the training set ({style} reasoning) -> {data}")
            build_dataset(data, args.seed, per_kind=args.per_kind, style=style, progress=_step)
        if not (checkpoint / "resa_manifest.json").is_file():
            from resa.train import train
            from resa.train_options import TrainOptions

            # 30 epochs of the tiny model: measured to trade less over-refusal for its safety gain than 12 (README)
            epochs = args.epochs or (30 if _is_tiny(base) else TrainOptions().epochs)
            options = TrainOptions(epochs=epochs, max_steps=args.max_steps, seed=args.seed, base_seed=args.seed)
            _step(f"training {base} for {epochs} epochs -> {checkpoint}")
            train(base, data, checkpoint, options, echo=_step)
        runs = out / "runs"
        for name, model in (("base", base), ("resa", f"hf:{checkpoint}")):
            if not (runs / name / "scores.json").is_file():
                _suite(model, runs / name, out / "cache", args)
        from pytest_multitrust.report.compare import compare_runs

        for line in compare_runs([runs / "base", runs / "resa"], out / "compare"):
            print(line)
    except (ValueError, RuntimeError) as exc:  # the data, trainer and report errors are one line each
        print(f"resa loop: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"resa loop: the comparison is in {out / 'compare'} (compare.md, compare.html, radar, scatter)")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``resa data|train|loop``; returns the exit status."""
    parser = argparse.ArgumentParser(prog="resa", description="RESA: reasoning-enhanced safety alignment.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_data_parser(commands)
    add_train_parser(commands)
    add_loop_parser(commands)
    args = parser.parse_args(argv)
    status: int = args.handler(args)
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
