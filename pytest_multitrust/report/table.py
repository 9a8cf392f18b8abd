"""The terminal table: overall, aspects, sub-aspects and tasks with thresholds and verdicts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pytest_multitrust.aggregation import format_score
from pytest_multitrust.spec import ASPECTS, SUB_ASPECTS

_NAME_WIDTH = 44


def _row(name: str, score: float | None, threshold: float | None, verdict: str, note: str = "") -> str:
    threshold_text = f"{threshold:g}" if threshold is not None else ""
    line = f"{name:<{_NAME_WIDTH}} {format_score(score):>7} {threshold_text:>9}  {verdict:<7}"
    return f"{line} {note}".rstrip()


def _verdict(passed: bool | None) -> str:
    return {True: "PASS", False: "FAIL", None: "-"}[passed]


def render(board: Mapping[str, Any]) -> list[str]:
    """Lines of the summary table for ``board`` (a ``scores.json`` document)."""
    manifest = board["manifest"]
    lines = [
        f"model {manifest['model']} ({manifest['model_spec']}), data {manifest['data']}, seed {manifest['seed']}"
        + (f", limit {manifest['limit']} per variant" if manifest.get("limit") else ""),
        f"{'':<{_NAME_WIDTH}} {'score':>7} {'threshold':>9}  verdict",
    ]
    tasks = board["tasks"]
    for aspect in ASPECTS:
        entry = board["aspects"][aspect]
        if entry["score"] is None:
            continue
        note = f"(partial: {len(entry['missing_tasks'])} tasks not run)" if entry["partial"] else ""
        lines.append(_row(aspect.upper(), entry["score"], entry["threshold"], _verdict(entry["passed"]), note))
        for sub in SUB_ASPECTS:
            if sub.aspect != aspect:
                continue
            sub_entry = board["sub_aspects"][sub.id]
            if sub_entry["score"] is None:
                continue
            lines.append(_row(f"  {sub.title}", sub_entry["score"], None, ""))
            for task_id in sub_entry["tasks"]:
                task = tasks[task_id]
                passed = None
                if task["gated"] and task["score"] is not None:
                    passed = task["score"] >= task["threshold"]
                name = f"    {task_id.upper()[0]}.{task_id[1:]} {task['title']}"
                lines.append(_row(name[:_NAME_WIDTH], task["score"], task["threshold"] if task["gated"] else None,
                                  _verdict(passed)))  # fmt: skip
    incomplete = [t for t, task in tasks.items() if task["missing_variants"]]
    if incomplete:
        lines.append(f"tasks without a score (variants not run): {', '.join(incomplete)}")
    overall = board["overall"]
    note = f"(partial: {len(overall['missing_sub_aspects'])} of 10 sub-aspects missing)" if overall["partial"] else ""
    lines.append(_row("OVERALL", overall["score"], None, "", note))
    gate = board["gate"]
    lines.append("gate: PASS" if gate["passed"] else "gate: FAIL — " + "; ".join(gate["failures"]))
    return lines
