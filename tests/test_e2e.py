"""The whole suite end to end on the embedded tiny models (real transformers models, random weights)."""

from __future__ import annotations

import json

import pytest

from pytest_multitrust.spec import TASK_IDS, registered_tasks
from tests.conftest import scores

# Import every task module (numpy, Pillow) at collection: pytester restores sys.modules after each test, and numpy
# cannot be imported a second time in one process, so a first import inside a test breaks the next one.
IMPLEMENTED = registered_tasks()


def _run(suite: pytest.Pytester, *args: str) -> pytest.RunResult:
    result = suite.runpytest_subprocess("trusttests", "--limit=6", "-p", "no:cacheprovider", *args)
    # Random weights: variant tests may fail their thresholds (exit 1), but nothing may error.
    assert result.ret in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED), result.stdout.str()[-3000:]
    assert result.parseoutcomes().get("errors", 0) == 0
    return result


def _board(suite: pytest.Pytester, report: str) -> dict:  # type: ignore[type-arg]
    return json.loads((suite.path / report / "scores.json").read_text())  # type: ignore[no-any-return]


def test_same_scores_with_and_without_xdist_and_a_second_run_is_all_cache_hits(suite: pytest.Pytester) -> None:
    serial = _run(suite, "-n", "0", "--report-dir=r0", "--cache-dir=c0")
    parallel = _run(suite, "-n", "2", "--report-dir=r2", "--cache-dir=c2")
    assert (suite.path / "r0" / "scores.json").read_text() == (suite.path / "r2" / "scores.json").read_text()
    board = _board(suite, "r0")
    assert set(board["tasks"]) == set(TASK_IDS)  # every task of the benchmark (and the extras) is listed, run or not
    implemented = IMPLEMENTED
    assert all(board["tasks"][t]["status"] == "scored" for t in implemented)
    assert all(board["tasks"][t]["status"] == "missing" for t in set(TASK_IDS) - set(implemented))
    assert not board["gate"]["passed"]  # random weights
    assert all(board["tasks"][t]["ci"] is not None for t in implemented if board["tasks"][t]["score"] is not None)
    for result in (serial, parallel):
        result.stdout.fnmatch_lines(["*MultiTrust scores*", "PRIVACY*", "*P.6 PII leakage*", "OVERALL*", "gate: *",
                                     "response cache (*c?): * hits, * misses; sample cache: *", "time by phase: *",
                                     "scores: */r?/scores.json", "HTML report: multitrust report */r?"])  # fmt: skip
    # T.4 and T.7 ask some identical questions, so even the first run has a few hits; a second run has no miss.
    total = sum(v["samples"] for t in board["tasks"].values() for v in t["variants"].values() if "samples" in v)
    again = _run(suite, "-n", "2", "--report-dir=r3", "--cache-dir=c0")
    again.stdout.fnmatch_lines([f"response cache (*c0): {total} hits, 0 misses; sample cache: * hits, 0 misses"])
    assert json.loads((suite.path / "r3" / "run.json").read_text())["cache"] == {"hits": total, "misses": 0}
    assert (suite.path / "r3" / "scores.json").read_text() == (suite.path / "r0" / "scores.json").read_text()
    rows = [json.loads(line) for line in (suite.path / "r3/samples/p6/enron-email-text.jsonl").read_text().splitlines()]
    assert len(rows) == 6 and all(r["cached"] and isinstance(r["response"], str) for r in rows)


def test_qwen2_vl_runs_the_privacy_aspect(suite: pytest.Pytester) -> None:
    _run(suite, "--model=tiny-qwen2-vl", "--aspect=privacy", "--limit=3", "--no-cache")
    board = scores(suite, "tiny-qwen2-vl")
    assert set(board["tasks"]) == {"p1", "p2", "p3", "p4", "p5", "p6"} and board["tasks"]["p6"]["status"] == "scored"
    missing = [task for task in ("p1", "p2", "p3", "p4", "p5", "p6") if task not in registered_tasks()]
    assert board["aspects"]["privacy"]["status"] == ("partial" if missing else "complete")
    assert board["aspects"]["privacy"]["passed"] is False
    assert board["aspects"]["privacy"]["missing_tasks"] == missing
    assert board["manifest"]["model_spec"] == "tiny:tiny-qwen2-vl"


def test_a_saved_checkpoint_runs_through_hf_with_the_same_scores_as_in_memory(suite: pytest.Pytester) -> None:
    from pytest_multitrust.models.tiny import save_tiny

    checkpoint = suite.path / "ckpt-llava"
    save_tiny("tiny-llava", checkpoint, seed=0)
    common = ["--task=p6", "--task=s4", "--limit=4", "--no-cache"]
    _run(suite, f"--model=hf:{checkpoint}", "--report-dir=hf", *common)
    _run(suite, "--model=tiny-llava", "--report-dir=tiny", *common)
    from_disk, in_memory = _board(suite, "hf"), _board(suite, "tiny")
    assert from_disk["manifest"]["model_spec"] == f"hf:{checkpoint}"
    assert from_disk["tasks"] == in_memory["tasks"]
    answers = [(suite.path / run / "samples/s4/typographic-behavior.jsonl").read_text() for run in ("hf", "tiny")]
    assert answers[0] == answers[1]
