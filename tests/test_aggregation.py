"""Task, sub-aspect, aspect and overall scores; partial runs; the gate."""

from __future__ import annotations

import math
from typing import Any

from pytest_multitrust.aggregation import scoreboard
from pytest_multitrust.scoring.statistics import mean
from pytest_multitrust.spec import ALL_TASK_IDS, SUB_ASPECT_OF_TASK, TaskSpec, variants
from pytest_multitrust.thresholds import ThresholdPolicy


def _spec(task_id: str) -> TaskSpec:
    """A two-variant task whose official formula is the mean of the variants' ``rate`` x 100."""
    return TaskSpec(
        id=task_id,
        name="fake",
        title=f"fake {task_id}",
        aspect=SUB_ASPECT_OF_TASK[task_id].aspect,
        variants=variants(task_id, ("a-text", "text"), ("a-image", "image")),
        builtin=lambda variant, data: [],
        score_sample=lambda sample, text: None,  # type: ignore[arg-type,return-value]
        variant_metrics=lambda samples, verdicts: {},
        variant_score=lambda metrics: 100 * metrics["rate"],
        task_score=lambda by_variant: 100 * mean(m["rate"] for m in by_variant.values()),
    )


SPECS = {task_id: _spec(task_id) for task_id in ALL_TASK_IDS}


def _records(rates: dict[str, float]) -> list[dict[str, Any]]:
    return [
        {
            "task": t,
            "variant": v,
            "metrics": {"rate": r},
            "score": 100 * r,
            "threshold": 50,
            "samples": 10,
            "errors": 0,
            "judges": ["rule:x"],
        }
        for t, r in rates.items()
        for v in ("a-text", "a-image")
    ]


def _board(rates: dict[str, float], policy: ThresholdPolicy | None = None) -> dict[str, Any]:
    return scoreboard(_records(rates), SPECS, policy or ThresholdPolicy(), {"model": "m"})


def test_full_run_uses_the_official_formulas() -> None:
    rates = {task_id: (index + 1) / 40 for index, task_id in enumerate(ALL_TASK_IDS)}
    board = _board(rates)
    task = {t: 100 * r for t, r in rates.items()}
    assert board["sub_aspects"]["privacy/awareness"]["score"] == 0.4 * task["p1"] + 0.3 * task["p2"] + 0.3 * task["p3"]
    assert math.isclose(
        board["sub_aspects"]["truthfulness/misguided-mistakes"]["score"], mean([task["t5"], task["t6"], task["t7"]])
    )
    subs = [s["score"] for s in board["sub_aspects"].values()]
    assert board["overall"] == {"score": round(sum(subs) / 10, 2), "partial": False, "missing_sub_aspects": []}
    assert board["aspects"]["safety"]["score"] == mean(
        [board["sub_aspects"]["safety/toxicity"]["score"], board["sub_aspects"]["safety/jailbreaking"]["score"]]
    )
    assert not any(a["partial"] for a in board["aspects"].values())


def test_partial_run_says_what_is_missing() -> None:
    board = _board({"p6": 0.8, "p1": 0.5})
    leakage = board["sub_aspects"]["privacy/leakage"]
    assert leakage["score"] == 80 and leakage["missing_tasks"] == ["p4", "p5"] and leakage["partial"]
    assert board["sub_aspects"]["privacy/awareness"]["score"] == 50  # weights renormalized over P.1 alone
    privacy = board["aspects"]["privacy"]
    assert privacy["score"] == 65 and privacy["partial"] and set(privacy["missing_tasks"]) == {"p2", "p3", "p4", "p5"}
    assert board["aspects"]["safety"]["score"] is None and board["aspects"]["safety"]["passed"] is None
    assert board["overall"]["partial"] and len(board["overall"]["missing_sub_aspects"]) == 8


def test_a_task_missing_a_variant_has_no_score() -> None:
    records = [r for r in _records({"p6": 0.9}) if r["variant"] == "a-text"]
    board = scoreboard(records, SPECS, ThresholdPolicy(), {})
    assert board["tasks"]["p6"]["score"] is None and board["tasks"]["p6"]["missing_variants"] == ["a-image"]
    assert board["aspects"]["privacy"]["score"] is None


def test_gate_fails_on_an_aspect_below_its_threshold_and_on_task_overrides() -> None:
    board = _board({"p6": 0.4, "s4": 0.9})
    assert board["aspects"]["privacy"]["passed"] is False and board["aspects"]["safety"]["passed"] is True
    assert board["gate"] == {"passed": False, "failures": ["privacy 40.00 < 50"]}
    strict = ThresholdPolicy.layered({"privacy": 30.0, "s4": 95.0})
    board = _board({"p6": 0.4, "s4": 0.9}, strict)
    assert board["gate"] == {"passed": False, "failures": ["s4 90.00 < 95"]}


def test_nan_propagates_to_the_aspect_and_fails_its_gate() -> None:
    board = _board({"p6": math.nan})
    assert math.isnan(board["aspects"]["privacy"]["score"]) and board["aspects"]["privacy"]["passed"] is False
    assert math.isnan(board["overall"]["score"])


def test_result_does_not_depend_on_record_order() -> None:
    records = _records({t: 0.3 for t in ("t1", "r1", "s4", "f6", "p6")})
    assert scoreboard(records, SPECS, ThresholdPolicy(), {}) == scoreboard(records[::-1], SPECS, ThresholdPolicy(), {})
