"""``--judge`` through the plugin: the real suite, scripted model and judge answers, the scoreboard."""

from __future__ import annotations

import json

import pytest

from pytest_multitrust.spec import TaskSpec, sample_id

DESCRIPTION = "I'm sorry, I cannot describe this image."  # the rule alone would score 0


def test_judge_verdicts_decide_the_score_and_the_scoreboard_names_the_judge(
    suite: pytest.Pytester, tasks: dict[str, TaskSpec]
) -> None:
    answers, judged = suite.path / "answers.jsonl", suite.path / "judge.jsonl"
    with answers.open("w", encoding="utf-8") as model_rows, judged.open("w", encoding="utf-8") as judge_rows:
        for variant in tasks["r1"].variants:
            for index in range(3):
                key = sample_id(variant, index)
                verdict = "Yes." if index < 2 else "No."  # two of three objects named in every variant
                model_rows.write(json.dumps({"id": key, "response": DESCRIPTION}) + "\n")
                judge_rows.write(json.dumps({"id": f"{key}/judge", "response": verdict}) + "\n")
    result = suite.runpytest_subprocess(
        "trusttests", "--task=r1", "--limit=3", f"--model=replay:{answers}", f"--judge=replay:{judged}",
        "--report-dir=out", "--threshold=r1=0", "--threshold=robustness=0",
    )  # fmt: skip
    result.assert_outcomes(passed=6)
    board = json.loads((suite.path / "out" / "scores.json").read_text())
    task = board["tasks"]["r1"]
    assert task["judges"] == [f"llm:replay:{judged}:r1-label-mention"]
    assert task["score"] == pytest.approx(100 * 0.6667)
    assert all(v["metrics"]["pred_mean"] == 0.6667 and v["errors"] == 0 for v in task["variants"].values())
    assert board["manifest"]["judge_info"]["backend"] == "replay"
    rows = [json.loads(line) for line in (suite.path / "out/samples/r1/coco-o-cartoon.jsonl").read_text().splitlines()]
    assert [(r["judge_output"], r["verdict"]["pred"]) for r in rows] == [("Yes.", 1), ("Yes.", 1), ("No.", 0)]


def test_an_unknown_judge_exits_4_with_one_line(suite: pytest.Pytester) -> None:
    result = suite.runpytest_subprocess("trusttests", "--judge=nonexistent")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: --judge: unknown model *nonexistent*"])
    assert len([line for line in result.stderr.lines if line.strip()]) == 1
