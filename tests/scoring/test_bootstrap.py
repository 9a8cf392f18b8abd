"""Bootstrap intervals: deterministic for a seed, around the point estimate, only from evidence that reproduces the
recorded metrics; and the lower-bound gate on constructed score sets whose answer is known."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pytest_multitrust.aggregation import Scope, scoreboard
from pytest_multitrust.scoring.bootstrap import TaskReplicates, interval, run_replicates, task_replicates
from pytest_multitrust.scoring.statistics import mean
from pytest_multitrust.spec import ALL_TASK_IDS, Sample, TaskSpec, TrivialBaselines, Verdict, variants
from pytest_multitrust.thresholds import ThresholdPolicy


def _spec(task_id: str = "p6") -> TaskSpec:
    """Two variants; metrics = the mean of the per-sample flag ``ok``; task = 100 x mean of the variant rates."""
    return TaskSpec(
        id=task_id,
        name="fake",
        title="fake",
        aspect="privacy" if task_id.startswith("p") else "safety",
        variants=variants(task_id, ("a-text", "text"), ("a-image", "image")),
        builtin=lambda variant, data: [],
        score_sample=lambda sample, text: Verdict({"ok": text == "ok"}, float(text == "ok"), "rule:x"),
        variant_metrics=lambda samples, verdicts: {"rate": mean(float(v.values["ok"]) for v in verdicts)},
        variant_score=lambda metrics: 100 * metrics["rate"],
        task_score=lambda by_variant: 100 * mean(m["rate"] for m in by_variant.values()),
        baselines=TrivialBaselines(("always-yes",)),
    )


def _evidence(flags: list[bool]) -> tuple[list[Sample], list[Verdict]]:
    samples = [Sample(f"p6/v/{i:04d}", "q") for i in range(len(flags))]
    return samples, [Verdict({"ok": flag}, float(flag), "rule:x") for flag in flags]


EVIDENCE = {"a-text": _evidence([i % 10 < 7 for i in range(40)]), "a-image": _evidence([i % 10 < 4 for i in range(40)])}
RECORDED = {"a-text": {"rate": 0.7}, "a-image": {"rate": 0.4}}


def test_intervals_are_deterministic_for_a_seed_and_contain_the_point_estimate() -> None:
    first = task_replicates(_spec(), EVIDENCE, RECORDED, seed=0, replicates=500)
    again = task_replicates(_spec(), EVIDENCE, RECORDED, seed=0, replicates=500)
    other = task_replicates(_spec(), EVIDENCE, RECORDED, seed=1, replicates=500)
    assert first == again and first != other
    low, high = interval(first.task)  # type: ignore[misc]
    assert low < 55 < high and high - low < 30  # point: 100 x mean(0.7, 0.4)
    for vid, point in (("a-text", 70), ("a-image", 40)):
        v_low, v_high = interval(first.variants[vid])  # type: ignore[misc]
        assert v_low < point < v_high
    assert not first.why_none


def test_evidence_that_does_not_reproduce_the_recorded_metrics_gives_no_interval() -> None:
    result = task_replicates(_spec(), EVIDENCE, {"a-text": {"rate": 0.7}, "a-image": {"rate": 0.5}}, 0, 100)
    assert result.task == () and "a-image" not in result.variants and "a-text" in result.variants
    assert result.why_none == {"a-image": "the evidence does not reproduce its recorded metrics"}


def test_too_many_unmeasured_replicates_give_no_interval() -> None:
    assert interval([1.0] * 94 + [float("nan")] * 6) is None
    assert interval([1.0] * 96 + [float("nan")] * 4) == [1.0, 1.0]
    assert interval([]) is None


def _record(task: str, variant: str, rate: float) -> dict[str, Any]:
    return {"task": task, "variant": variant, "status": "scored", "reason": None, "metrics": {"rate": rate},
            "score": 100 * rate, "samples": 40, "errors": 0, "judges": ["rule:x"], "baselines": {}}  # fmt: skip


def test_run_replicates_read_the_evidence_files_and_are_cached(tmp_path: Path) -> None:
    for vid, (samples, verdicts) in EVIDENCE.items():
        path = tmp_path / "report" / "samples" / "p6" / f"{vid}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        rows = [
            {"id": s.id, "prompt": s.prompt, "extra": {}, "verdict": dict(v.values), "sample_score": v.score}
            for s, v in zip(samples, verdicts, strict=True)
        ]
        rows.append({"id": "p6/v/9999", "prompt": "q", "verdict": None})  # an errored sample: not in the metrics
        path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    records = [_record("p6", "a-text", 0.7), _record("p6", "a-image", 0.4)]
    specs = {"p6": _spec()}
    direct = task_replicates(_spec(), EVIDENCE, RECORDED, 0, 200)
    found = run_replicates(records, specs, tmp_path / "report", 0, 200, tmp_path / "cache")
    assert found == {"p6": direct}
    assert len(list((tmp_path / "cache" / "bootstrap").glob("*.json"))) == 1
    assert run_replicates(records, specs, tmp_path / "report", 0, 200, tmp_path / "cache") == found
    for path in (tmp_path / "report" / "samples" / "p6").glob("*.jsonl"):  # a warm rerun marks its rows cached
        rows = [json.loads(line) | {"cached": True} for line in path.read_text().splitlines()]
        path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    assert run_replicates(records, specs, tmp_path / "report", 0, 200, tmp_path / "cache") == found
    assert len(list((tmp_path / "cache" / "bootstrap").glob("*.json"))) == 1  # the same entry, not a new one
    # an incomplete task (a variant missing) is not bootstrapped
    assert run_replicates(records[:1], specs, tmp_path / "report", 0, 200, None) == {}


def _board(point: float, draws: list[float], mode: str, threshold: float = 60) -> dict[str, Any]:
    specs = {t: _spec(t) for t in ALL_TASK_IDS if t.startswith("p")}
    records = [_record(t, v, point / 100) for t in specs for v in ("a-text", "a-image")]
    replicates = {t: TaskReplicates(tuple(draws), {}) for t in specs}
    scope = Scope(tasks=tuple(specs), gated_aspects=("privacy",))
    policy = ThresholdPolicy.layered({"privacy": threshold}, {})
    return scoreboard(records, specs, policy, {}, scope, replicates, mode)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("point", "draws", "point_passes", "lower_passes"),
    [
        (70.0, [50.0 + i * 0.04 for i in range(1000)], True, False),  # above the bar, but not surely: 95% CI ~51-89
        (70.0, [65.0 + i * 0.01 for i in range(1000)], True, True),  # surely above
        (55.0, [50.0 + i * 0.01 for i in range(1000)], False, False),  # below either way
    ],
)
def test_the_lower_bound_gate_passes_only_when_the_interval_clears_the_threshold(
    point: float, draws: list[float], point_passes: bool, lower_passes: bool
) -> None:
    by_point = _board(point, draws, "point")
    by_lower = _board(point, draws, "lower-bound")
    assert by_point["gate"]["passed"] is point_passes and by_point["gate"]["mode"] == "point"
    assert by_lower["gate"]["passed"] is lower_passes and by_lower["gate"]["mode"] == "lower-bound"
    privacy = by_lower["aspects"]["privacy"]
    assert privacy["ci"] == pytest.approx(interval(draws)) and privacy["score"] == pytest.approx(point)
    assert by_lower["overall"]["ci"] is not None and by_lower["tasks"]["p6"]["ci"] == pytest.approx(interval(draws))
    if point_passes and not lower_passes:
        assert by_lower["gate"]["failures"][0].startswith("privacy 70.00 (95% CI 51.00–88.96): lower bound 51.00 < 60")


def test_without_intervals_the_lower_bound_gate_fails_and_says_why() -> None:
    specs = {"p6": _spec("p6")}
    records = [_record("p6", v, 0.9) for v in ("a-text", "a-image")]
    scope = Scope(tasks=("p6",), named_tasks=("p6",))
    board = scoreboard(records, specs, ThresholdPolicy(), {}, scope, {}, "lower-bound")
    assert board["tasks"]["p6"]["ci"] is None and board["gate"]["passed"] is False
    assert "has no confidence interval" in board["gate"]["failures"][0]
