"""What a run costs besides the model: cold vs warm reruns, overhead by phase, collection time.

Run from the repository root: ``python -m benchmarks.fixed_costs [--workers 2] [--skip-default]``. Every figure
comes from real ``pytest trusttests`` runs in subprocesses, with fresh cache and report folders under a temporary
directory; the phase figures are read from each run's ``run.json``. Prints the figures beside the goals of the
fixed-costs issue; asserts nothing.

1. The default suite (the README's first command, ``pytest trusttests -n 2``) cold (empty cache) and warm (the
   same command again): wall time of the whole command.
2. The suite at ``--limit 20`` in one process on ``tiny-llava`` and on the ~5M-parameter LLaVA of
   ``benchmarks.hf_batching`` (saved as a checkpoint and run as ``hf:``), with empty caches: time by phase and
   the overhead outside model load and generation as a share of generation.
3. ``pytest trusttests --collect-only``: pytest's own figure, and whether torch was imported.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _pytest(*args: str, env_extra: dict[str, str] | None = None) -> tuple[float, subprocess.CompletedProcess[str]]:
    env = os.environ | {"HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1"} | (env_extra or {})
    started = time.perf_counter()
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode not in (0, 1):
        tail = (done.stdout + done.stderr)[-3000:]
        raise SystemExit(f"pytest exited {done.returncode}: {' '.join(args)}\n{tail}")
    return wall, done


def _suite(work: Path, name: str, *args: str) -> tuple[float, dict[str, Any]]:
    wall, _ = _pytest(
        "-m", "pytest", "trusttests", "-q", "-p", "no:cacheprovider", f"--report-dir={work / name}",
        f"--cache-dir={work / 'cache'}", *args,
    )  # fmt: skip
    run: dict[str, Any] = json.loads((work / name / "run.json").read_text())
    return wall, run


def _five_million_checkpoint(folder: Path) -> Path:
    from benchmarks.hf_batching import build_model

    model, processor = build_model()
    model.save_pretrained(folder)  # type: ignore[attr-defined]
    processor.save_pretrained(folder)  # type: ignore[attr-defined]
    return folder


def _phases(label: str, run: dict[str, Any]) -> str:
    phases = run["phases_s"]
    order = ("samples", "model_load", "generate", "judge", "scoring", "reporting", "rest")
    parts = ", ".join(f"{name} {phases[name]:.1f}" for name in order)
    return f"  {label}: wall {run['duration_s']:.1f} s; {parts}; overhead/generate {phases['overhead_share']}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="2", help="xdist workers for the default suite (the README's -n 2)")
    parser.add_argument("--skip-default", action="store_true", help="skip the full default suite (slow)")
    parser.add_argument("--default-only", action="store_true", help="only the default suite, cold and warm")
    args = parser.parse_args()
    figures: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if not args.skip_default:
            cold, cold_run = _suite(work / "default", "cold", "-n", args.workers)
            warm, warm_run = _suite(work / "default", "warm", "-n", args.workers)
            print(f"default suite (-n {args.workers}): cold {cold:.1f} s, warm {warm:.1f} s")
            print(_phases("cold", cold_run))
            print(_phases("warm", warm_run))
            print(f"  warm: model loaded {warm_run['model_loaded']}, response cache {warm_run['cache']}, "
                  f"sample cache {warm_run['sample_cache']}")  # fmt: skip
            figures.append(("warm rerun / cold run, default suite", f"{warm / cold:.3f}", "<= 0.05"))
        for label, model in () if args.default_only else (("tiny-llava", "tiny-llava"), ("~5M LLaVA", "five-million")):
            spec = model
            if model == "five-million":
                spec = f"hf:{_five_million_checkpoint(work / 'llava-5m')}"
            _, run = _suite(work / model, "cold", "-n", "0", "--limit=20", f"--model={spec}")
            print(f"--limit 20, one process, {label}, empty caches:")
            print(_phases("cold", run))
            figures.append((f"overhead / generate ({label}, --limit 20)", str(run["phases_s"]["overhead_share"]),
                            "<= 0.3 (5M LLaVA)"))  # fmt: skip
        _, collected = _pytest("-X", "importtime", "-m", "pytest", "trusttests", "--collect-only", "-q",
                               "-p", "no:cacheprovider")  # fmt: skip
        seconds = re.search(r"in ([0-9.]+)s", collected.stdout.splitlines()[-1])
        modules = {line.rsplit("|", 1)[1].strip().split(".")[0] for line in collected.stderr.splitlines()
                   if line.startswith("import time:") and "|" in line}  # fmt: skip
        count = re.search(r"(\d+) tests? collected", collected.stdout)
        print(f"--collect-only: {count.group(1) if count else '?'} tests, pytest's figure "
              f"{seconds.group(1) if seconds else '?'} s, torch imported: {'torch' in modules}")  # fmt: skip
        figures.append(("--collect-only (pytest's figure), no torch",
                        f"{seconds.group(1) if seconds else '?'} s, torch {'yes' if 'torch' in modules else 'no'}",
                        "<= 1.5 s, no torch"))  # fmt: skip
    print()
    print(f"{'figure':<52} {'measured':>22}  goal")
    for name, value, goal in figures:
        print(f"{name:<52} {value:>22}  {goal}")


if __name__ == "__main__":
    main()
