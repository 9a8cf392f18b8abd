"""``resa loop`` end to end on tiny-llava at toy sizes, the compact reasoning style, and the training manifest
carried into the checkpoint run's scores.json."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pytest_multitrust.scoring.refusal import is_refusal
from resa.data import build_items, template_target
from resa.targets import COMPACT_IMAGE_TAGS, parse_target

ROOT = Path(__file__).resolve().parents[2]


def test_compact_targets_parse_back_and_answer_within_the_suites_token_budget() -> None:
    items = build_items(0, 8)
    for item in items:
        target = template_target(item, "compact")
        parsed = parse_target(target)
        assert parsed.answer == item.answer and parsed.rationale.verdict == item.label
        assert parsed.rationale.image in COMPACT_IMAGE_TAGS.values()
        if item.label == "harmful":
            # one token per character for the tiny tokenizers: the refusal ends within S.4-S.6's 150 tokens
            assert len(target) < 150 and all(is_refusal(target, lists) for lists in ("paper", "head"))
            assert f"asks for {item.category} harm -> harmful" in target
    assert "-> benign</reasoning>" in template_target(items[-1], "compact")


def test_a_teacher_writes_full_reasoning_only(tmp_path: Path) -> None:
    from resa.data import build_dataset

    with pytest.raises(ValueError, match="--teacher writes full reasoning"):
        build_dataset(tmp_path / "d.jsonl", 0, teacher=object(), style="compact")  # type: ignore[arg-type]


def test_the_loop_must_run_from_the_project_root(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "resa.cli", "loop", "--base", "tiny-llava"], cwd=tmp_path,
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 2 and done.stderr.strip().endswith("(the folder holding trusttests/)")


@pytest.mark.slow
def test_the_loop_runs_data_train_both_suite_runs_and_the_comparison(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "trusttests", tmp_path / "trusttests")
    shutil.copy(ROOT / "conftest.py", tmp_path / "conftest.py")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    command = [sys.executable, "-m", "resa.cli", "loop", "--base", "tiny-llava", "--out", "loop", "--per-kind", "8",
               "--max-steps", "3", "--limit", "2", "-n", "0", "--suite-arg=--task=s4",
               "--suite-arg=--task=or"]  # fmt: skip
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1"}
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, env=env, timeout=900, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    loop = tmp_path / "loop"
    summary = json.loads((loop / "data" / "resa.summary.json").read_text())
    assert summary["rows"] == 88 and summary["style"] == "compact"
    manifest = json.loads((loop / "checkpoint" / "resa_manifest.json").read_text())
    board = json.loads((loop / "runs" / "resa" / "scores.json").read_text())
    assert board["manifest"]["model_info"]["training_manifest"] == manifest
    assert board["manifest"]["model"] == "hf:loop/checkpoint"
    base = json.loads((loop / "runs" / "base" / "scores.json").read_text())
    assert base["manifest"]["seed"] == board["manifest"]["seed"] == 0 and base["manifest"]["limit"] == 2
    assert {"s4", "or"} <= set(board["tasks"]) and board["tasks"]["or"]["extra"] is True
    assert "Over-refusal" in done.stdout and "S.4 Plain typographic" in done.stdout
    assert (loop / "compare" / "radar.png").is_file() and (loop / "compare" / "compare.md").is_file()
    again = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, env=env, timeout=900, check=False)
    assert again.returncode == 0 and "training" not in again.stderr  # every step's output is there: nothing redone
