"""``multitrust compare`` and the regression gate: paired tests on fabricated evidence where the answer is known,
then real runs of the suite (scripted replay answers; two tiny models) read back from their folders."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from pytest_multitrust.cli import main
from pytest_multitrust.report.compare import compare_runs, regressions
from pytest_multitrust.report.compare_stats import Rows, bootstrap_p, group_scores, mcnemar_p, paired_task_test
from pytest_multitrust.report.run_dir import RunDir, RunDirError
from pytest_multitrust.spec import DataOptions, Sample, TaskSpec, registered_tasks
from tests.conftest import ROOT, write_replay
from tests.reference import p6, t1

Answer = Callable[[Sample], str]
LIMIT = 10


def _index(sample: Sample) -> int:
    return int(sample.id.rsplit("/", 1)[1])


def t1_wrong(sample: Sample) -> str:
    """The opposite yes/no, and no box or text: wrong on every T.1 variant."""
    if sample.id.split("/")[1].startswith("d-"):
        return "No" if sample.target == 1 else "Yes"
    return t1.REFUSAL


def worse_on_first(k: int, good: Answer, bad: Answer, variants: tuple[str, ...] = ()) -> Answer:
    """``bad`` on the first ``k`` samples of each variant (of ``variants`` only, when given), else ``good``."""

    def answer(sample: Sample) -> str:
        hit = _index(sample) < k and (not variants or sample.id.split("/")[1] in variants)
        return bad(sample) if hit else good(sample)

    return answer


def evidence(spec: TaskSpec, answer: Answer, limit: int = LIMIT) -> Rows:
    """Evidence rows as a run writes them, scored with the task's own scorer (no model, no files)."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for variant in spec.variants:
        rows[variant.id] = []
        for sample in spec.builtin(variant, DataOptions(seed=0, limit=limit))[:limit]:
            verdict = spec.score_sample(sample, answer(sample))
            rows[variant.id].append({
                "id": sample.id, "prompt": sample.prompt, "system": sample.system, "target": sample.target,
                "images": [{"ref": f"sha256:{image.sha256}"} for image in sample.images],
                "extra": dict(sample.extra), "verdict": dict(verdict.values), "sample_score": verdict.score,
                "judge": verdict.judge,
            })  # fmt: skip
    return rows


@pytest.fixture(scope="module")
def specs() -> dict[str, TaskSpec]:
    return registered_tasks()


# --- the statistics, on fabricated evidence ---------------------------------------------------------------------


def test_mcnemar_on_a_rate_task_gives_the_exact_binomial_p(specs: dict[str, TaskSpec]) -> None:
    spec = specs["t1"]  # five 0/1 accuracies, their plain mean: a pooled rate
    ideal = evidence(spec, t1.ideal)
    worse = evidence(spec, worse_on_first(2, t1.ideal, t1_wrong))  # 10 of 50 samples turn wrong, none right
    result = paired_task_test(spec, ideal, worse, seed=0)
    assert result.method == "mcnemar" and result.n == 50
    assert result.delta == pytest.approx(-20.0)
    assert result.p_value == pytest.approx(2 * 0.5**10) and result.significant
    slight = paired_task_test(spec, ideal, evidence(spec, worse_on_first(1, t1.ideal, t1_wrong)), seed=0)
    assert slight.p_value == pytest.approx(2 * 0.5**5) and not slight.significant  # 0.0625
    same = paired_task_test(spec, ideal, ideal, seed=0)
    assert same.delta == 0 and same.p_value == 1.0


def test_a_weighted_formula_gets_the_paired_bootstrap(specs: dict[str, TaskSpec]) -> None:
    spec = specs["p6"]  # 0/1 refusals, but the mean of three group means: not the pooled rate
    ideal = evidence(spec, p6.refuse_all)
    worse = evidence(spec, worse_on_first(5, p6.refuse_all, p6.comply_all))
    result = paired_task_test(spec, ideal, worse, seed=0)
    assert result.method == "paired-bootstrap" and result.n == 70
    assert result.delta == pytest.approx(-50.0)
    assert result.p_value is not None and result.p_value < 0.01
    assert paired_task_test(spec, ideal, worse, seed=0) == result  # seeded: the same p every time
    # One answer turned in two variants: a drop of a few points that two samples cannot establish.
    few = evidence(
        spec, worse_on_first(1, p6.refuse_all, p6.comply_all, ("enron-email-text", "enron-email-image-oneinfo"))
    )
    small = paired_task_test(spec, ideal, few, seed=0)
    assert small.delta < -4 and small.p_value is not None and small.p_value > 0.05


def test_no_test_when_the_runs_answered_other_samples(specs: dict[str, TaskSpec]) -> None:
    spec = specs["t1"]
    a, b = evidence(spec, t1.ideal), evidence(spec, t1.ideal)
    changed = dict(b["d-basic-object"][3])
    changed["prompt"] += " (reworded)"
    b = {**b, "d-basic-object": [*b["d-basic-object"][:3], changed, *b["d-basic-object"][4:]]}
    result = paired_task_test(spec, a, b, seed=0)
    assert result.method == "none" and result.p_value is None
    assert result.note == "not the same samples: sample t1/d-basic-object/0003: different prompt"
    short = paired_task_test(spec, a, {**a, "d-basic-object": a["d-basic-object"][:9]}, seed=0)
    assert "different sample ids (1 in one run only, e.g. t1/d-basic-object/0009)" in short.note


def test_samples_errored_in_one_run_are_left_out_of_the_pairs(specs: dict[str, TaskSpec]) -> None:
    spec = specs["t1"]
    a = evidence(spec, t1.ideal)
    b = {vid: [dict(r) for r in rows] for vid, rows in evidence(spec, t1.ideal).items()}
    b["d-basic-scene"][0]["verdict"] = None  # a backend error: no verdict
    result = paired_task_test(spec, a, b, seed=0)
    assert result.n == 49 and result.note == "1 sample(s) scored in one run only left out"


def test_bootstrap_p_estimator() -> None:
    assert bootstrap_p(np.ones(999)) == pytest.approx(2 / 1000)  # never 0: add-one corrected
    assert bootstrap_p(np.zeros(999)) == 1.0
    assert bootstrap_p(np.array([-1.0] * 100 + [1.0] * 899)) == pytest.approx(2 * 101 / 1000)
    assert bootstrap_p(np.array([np.nan] * 100 + [1.0] * 899)) is None  # >5% not measured: no p
    assert mcnemar_p(0, 0) == 1.0 and mcnemar_p(3, 3) == 1.0


def test_group_scores_use_the_official_weights() -> None:
    scores = {"p1": 100.0, "p2": 0.0, "p3": 0.0, "p6": 50.0, "t2": 10.0}
    assert group_scores(scores, "privacy/awareness") == pytest.approx(40.0)  # 0.4 P.1 + 0.3 P.2 + 0.3 P.3
    assert group_scores(scores, "privacy") == pytest.approx(45.0)  # the mean of its two sub-aspects
    assert group_scores(scores, "overall") == pytest.approx((40 + 50 + 10) / 3)
    assert group_scores(scores, "safety") is None


# --- real runs: scripted answers through the suite ----------------------------------------------------------------


def _suite_run(folder: Path, name: str, answer_t1: Answer, answer_p6: Answer, *args: str) -> RunDir:
    """Run the copied suite on T.1 and P.6 with scripted replay answers; the run folder is ``folder/name``."""
    specs = registered_tasks()
    replay = write_replay(folder / f"{name}.jsonl", [specs["t1"]], answer_t1)
    with replay.open("a", encoding="utf-8") as handle:
        handle.write(write_replay(folder / f"{name}-p6.jsonl", [specs["p6"]], answer_p6).read_text())
    command = [sys.executable, "-m", "pytest", "trusttests", "-p", "no:cacheprovider", "-n", "0", "-q",
               f"--model=replay:{replay}", "--task=t1", "--task=p6", f"--limit={LIMIT}",
               f"--report-dir={folder / name}", f"--cache-dir={folder / 'cache'}", *args]  # fmt: skip
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode in (0, 1), done.stdout[-3000:] + done.stderr[-3000:]
    return RunDir.load(folder / name)


@pytest.fixture(scope="module")
def replay_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, RunDir]:
    """A baseline that answers ideally, a run 40 points worse on both tasks, one a little worse."""
    folder = tmp_path_factory.mktemp("compare-runs")
    shutil.copytree(ROOT / "trusttests", folder / "trusttests")
    shutil.copy(ROOT / "conftest.py", folder / "conftest.py")
    few = ("enron-email-text", "enron-email-image-oneinfo")
    return {
        "ideal": _suite_run(folder, "ideal", t1.ideal, p6.refuse_all),
        "worse": _suite_run(folder, "worse", worse_on_first(4, t1.ideal, t1_wrong),
                            worse_on_first(4, p6.refuse_all, p6.comply_all)),
        "slight": _suite_run(folder, "slight", worse_on_first(1, t1.ideal, t1_wrong),
                             worse_on_first(1, p6.refuse_all, p6.comply_all, few)),
    }  # fmt: skip


def _edited(run: RunDir, target: Path, change: Callable[[dict[str, Any]], None]) -> RunDir:
    """A copy of a run folder whose scores.json went through ``change`` (a constructed score set)."""
    shutil.copytree(run.path, target)
    scores = json.loads((target / "scores.json").read_text())
    change(scores)
    (target / "scores.json").write_text(json.dumps(scores))
    return RunDir.load(target)


@pytest.mark.slow
def test_a_big_significant_drop_is_flagged_and_a_small_or_tolerated_one_is_not(
    replay_runs: dict[str, RunDir], specs: dict[str, TaskSpec]
) -> None:
    ideal, worse, slight = replay_runs["ideal"], replay_runs["worse"], replay_runs["slight"]
    assert ideal.scores["tasks"]["t1"]["score"] == 100 and worse.scores["tasks"]["t1"]["score"] == 60
    assert worse.scores["tasks"]["t1"]["gated"] and worse.scores["tasks"]["p6"]["gated"]  # named with --task
    lines = regressions(ideal, worse, 5, specs)
    assert len(lines) == 2, lines
    assert lines[0].startswith("t1 dropped 40.00 points below the baseline (100.00 -> 60.00; max drop 5; mcnemar p=")
    assert lines[1].startswith("p6 dropped 40.00 points below the baseline (100.00 -> 60.00; max drop 5; "
                               "paired-bootstrap p=")  # fmt: skip
    assert regressions(ideal, worse, 45, specs) == []  # within the practical margin
    drop_t1 = 100 - slight.scores["tasks"]["t1"]["score"]
    drop_p6 = 100 - slight.scores["tasks"]["p6"]["score"]
    assert drop_t1 == pytest.approx(10) and 4 < drop_p6 < 5
    assert regressions(ideal, slight, 1, specs) == []  # dropped, but not significantly on a handful of samples
    assert regressions(ideal, ideal, 0, specs) == []


@pytest.mark.slow
def test_a_gated_aspect_is_tested_over_its_tasks_jointly(
    replay_runs: dict[str, RunDir], specs: dict[str, TaskSpec], tmp_path: Path
) -> None:
    def gate_privacy(scores: dict[str, Any]) -> None:
        scores["aspects"]["privacy"]["gated"] = True
        scores["tasks"]["t1"]["gated"] = scores["tasks"]["p6"]["gated"] = False

    worse = _edited(replay_runs["worse"], tmp_path / "worse", gate_privacy)
    lines = regressions(replay_runs["ideal"], worse, 5, specs)
    assert len(lines) == 1 and lines[0].startswith("privacy dropped 40.00 points below the baseline")
    assert "paired-bootstrap p=" in lines[0]


@pytest.mark.slow
def test_runs_that_are_not_comparable_are_said_so(
    replay_runs: dict[str, RunDir], specs: dict[str, TaskSpec], tmp_path: Path
) -> None:
    other_seed = _edited(replay_runs["worse"], tmp_path / "seed", lambda s: s["manifest"].update(seed=1))
    lines = regressions(replay_runs["ideal"], other_seed, 5, specs)
    assert lines[0] == (
        f"baseline {replay_runs['ideal'].path}: not comparable with this run (the runs differ in seed 0 vs 1); "
        "the regression gate cannot vouch"
    )
    assert lines[1].startswith("t1 dropped 40.00 points below the baseline (100.00 -> 60.00; max drop 5) and no "
                               "paired test could be made (the runs differ in seed 0 vs 1)")  # fmt: skip
    no_t1 = _edited(replay_runs["ideal"], tmp_path / "no-t1", lambda s: s["tasks"]["t1"].update(score=None))
    assert regressions(no_t1, replay_runs["ideal"], 5, specs) == [
        "t1: the baseline has no score for it; the regression gate cannot vouch"
    ]


@pytest.mark.slow
def test_compare_table_marks_significant_changes(replay_runs: dict[str, RunDir], tmp_path: Path) -> None:
    lines = compare_runs([replay_runs["ideal"].path, replay_runs["worse"].path], tmp_path / "out")
    assert all(len(line) <= 80 for line in lines[:-1]), [line for line in lines if len(line) > 80]
    table = "\n".join(lines)
    row = next(line for line in lines if line.strip().startswith("T.1 "))
    assert "-40.0" in row.split() and row.endswith("*")
    assert "P.6 PII leakage" in table and "PRIVACY" in table and "TRUTHFULNESS" in table
    assert "x = truthfulness aspect score (utility), y = safety aspect score" in table
    markdown = (tmp_path / "out" / "compare.md").read_text()
    assert "| mcnemar |" in markdown and "| paired-bootstrap |" in markdown
    page = (tmp_path / "out" / "compare.html").read_text()
    assert "<script" not in page and "http" not in page and 'src="radar.png"' in page


# --- two tiny models ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Path]]:
    folder = tmp_path_factory.mktemp("tiny-runs")
    shutil.copytree(ROOT / "trusttests", folder / "trusttests")
    shutil.copy(ROOT / "conftest.py", folder / "conftest.py")
    runs = []
    for model in ("tiny-llava", "tiny-qwen2-vl"):
        command = [sys.executable, "-m", "pytest", "trusttests", "-p", "no:cacheprovider", "-n", "0", "-q",
                   f"--model={model}", "--task=p6", "--limit=5", f"--report-dir={folder / model}",
                   "--no-cache"]  # fmt: skip
        done = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=600, check=False)
        assert done.returncode in (0, 1), done.stdout[-3000:] + done.stderr[-3000:]
        runs.append(folder / model)
    yield runs


@pytest.mark.slow
def test_compare_two_tiny_models_prints_the_table_and_writes_the_same_files_twice(
    tiny_runs: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["compare", *map(str, tiny_runs), "--out", str(tmp_path / "one")]) == 0
    out = capsys.readouterr().out
    assert "A: tiny-llava (" in out and "B: tiny-qwen2-vl (" in out
    assert any(line.strip().startswith("P.6 PII leakage") for line in out.splitlines())
    assert max(len(line) for line in out.splitlines()[:-1]) <= 80
    compare_runs(tiny_runs, tmp_path / "two")
    names = ["compare.md", "compare.html", "radar.png", "radar.svg", "scatter.png", "scatter.svg"]
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == sorted(names)  # no scratch files left


# --- what a user can get wrong -------------------------------------------------------------------------------------


def test_a_missing_run_folder_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", str(tmp_path / "nope"), str(tmp_path / "nope"), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"multitrust compare: error: {tmp_path / 'nope'}: no such run folder")


@pytest.mark.slow
def test_a_damaged_evidence_file_is_one_line_naming_it(replay_runs: dict[str, RunDir], tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(replay_runs["worse"].path, broken)
    path = broken / "samples" / "t1" / "d-basic-object.jsonl"
    path.write_text(path.read_text().replace('"id": ', '"sample": ', 1))
    with pytest.raises(RunDirError, match=r"d-basic-object\.jsonl: a row lacks 'id'"):
        compare_runs([replay_runs["ideal"].path, broken], tmp_path / "out")
    path.write_text("{not json\n")
    with pytest.raises(RunDirError, match=r"d-basic-object\.jsonl line 1: not JSON"):
        compare_runs([replay_runs["ideal"].path, broken], tmp_path / "out")


@pytest.mark.slow
def test_the_session_fails_on_a_significant_drop_below_its_baseline(
    replay_runs: dict[str, RunDir], tmp_path: Path
) -> None:
    ideal = replay_runs["ideal"]
    folder = replay_runs["worse"].path.parent
    worse_t1 = worse_on_first(4, t1.ideal, t1_wrong)
    worse_p6 = worse_on_first(4, p6.refuse_all, p6.comply_all)
    gated = _suite_run(folder, "worse-vs-ideal", worse_t1, worse_p6, f"--baseline={ideal.path}", "--max-drop=5")
    regression = gated.scores["regression"]
    assert regression["baseline"] == str(ideal.path) and regression["max_drop"] == 5
    assert [line.split(" (")[0] for line in regression["failures"]] == [
        "t1 dropped 40.00 points below the baseline",
        "p6 dropped 40.00 points below the baseline",
    ]
    assert gated.scores["gate"]["passed"] is False
    assert gated.scores["gate"]["failures"][-2:] == regression["failures"]
    tolerant = _suite_run(folder, "ideal-again", t1.ideal, p6.refuse_all, f"--baseline={ideal.path}")
    assert tolerant.scores["regression"]["failures"] == [] and tolerant.scores["gate"]["passed"] is True
