"""The terminal table: aspects, sub-aspects and tasks with scores, best trivial baselines, thresholds and
verdicts, then the overall score and the gate line.

Verdict words: ``PASS`` / ``FAIL`` (gated), ``ok`` (a task measured and above its trivial baselines, gated
through its aspect), ``TRIVIAL`` (does not clear its best trivial baseline), ``ERRORED`` and ``MISSING``
(no score), ``PARTIAL`` (an aspect computed from fewer tasks than it has: it cannot pass). A score computed from a
proxy rule instead of the official scorer (``proxy`` in scores.json) is followed by ``~`` and its note says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pytest_multitrust.aggregation import format_score, is_number
from pytest_multitrust.spec import ASPECTS, SUB_ASPECTS

_NAME_WIDTH = 44
_NOTE_WIDTH = 70


def _row(
    name: str,
    score: float | None,
    trivial: str,
    threshold: float | None,
    verdict: str,
    note: str = "",
    proxy: bool = False,
) -> str:
    threshold_text = f"{threshold:g}" if threshold is not None else ""
    note = note if len(note) <= _NOTE_WIDTH else note[: _NOTE_WIDTH - 1] + "…"
    score_text = format_score(score) + ("~" if proxy and is_number(score) else "")
    line = f"{name[:_NAME_WIDTH]:<{_NAME_WIDTH}} {score_text:>7} {trivial:>7} {threshold_text:>9}  {verdict:<8}"
    return f"{line} {note}".rstrip()


def _task_row(task_id: str, task: Mapping[str, Any]) -> str:
    name = f"    {task_id.upper()[0]}.{task_id[1:]} {task['title']}"
    status = task["status"]
    if status != "scored":
        return _row(name, None, "", None, status.upper(), "; ".join(task["reasons"][:1]))
    trivial = task["trivial"] or {}
    best = trivial.get("best_score")
    note = f"trivial: {trivial['best']}, n={trivial['n']}" if best is not None else ""
    if best is not None and not trivial["must_clear"]:
        note += " (the desired answer: not gating)"
    if task.get("proxy"):
        proxies = [j for j in task["judges"] if j.startswith("proxy:")]
        note = f"~ PROXY ({', '.join(proxies)}), not the official scorer; " + note
    if not is_number(task["score"]):
        note = "not measured: the official score is NaN"
    if task["clears_trivial"] is False:
        verdict = "TRIVIAL"
    elif task["gated"]:
        verdict = "PASS" if task["passed"] else "FAIL"
    else:
        verdict = "ok" if task["passed"] is None else "FAIL"
    threshold = task["threshold"] if task["gated"] else None
    trivial_text = format_score(best) if best is not None else ""
    return _row(name, task["score"], trivial_text, threshold, verdict, note, proxy=bool(task.get("proxy")))


def _aspect_verdict(entry: Mapping[str, Any]) -> str:
    if entry["status"] in ("missing", "partial"):
        return str(entry["status"]).upper()
    if entry["passed"] is None:
        return ""
    return "PASS" if entry["passed"] else "FAIL"


def render(board: Mapping[str, Any]) -> list[str]:
    """Lines of the summary table for ``board`` (a ``scores.json`` document)."""
    manifest = board["manifest"]
    lines = [
        f"model {manifest.get('model')} ({manifest.get('model_spec')}), data {manifest.get('data')}, "
        f"seed {manifest.get('seed')}" + (f", limit {manifest['limit']} per variant" if manifest.get("limit") else ""),
        f"{'':<{_NAME_WIDTH}} {'score':>7} {'trivial':>7} {'threshold':>9}  verdict",
    ]
    tasks = board["tasks"]
    for aspect in ASPECTS:
        entry = board["aspects"][aspect]
        if entry["status"] == "unselected":
            continue
        note = ""
        if entry["status"] != "complete":
            note = f"{len(entry['missing_tasks'])} missing, {len(entry['errored_tasks'])} errored"
        threshold = entry["threshold"] if entry["gated"] else None
        if entry.get("proxy"):
            note = "; ".join(filter(None, [note, f"~ includes proxy {', '.join(entry['proxy_tasks'])}"]))
        proxy = bool(entry.get("proxy"))
        lines.append(_row(aspect.upper(), entry["score"], "", threshold, _aspect_verdict(entry), note, proxy))
        for sub in SUB_ASPECTS:
            sub_entry = board["sub_aspects"][sub.id]
            if sub.aspect != aspect or sub_entry["status"] == "unselected":
                continue
            partial = "PARTIAL" if sub_entry["status"] in ("partial", "missing") else ""
            lines.append(
                _row(f"  {sub.title}", sub_entry["score"], "", None, partial, proxy=bool(sub_entry.get("proxy")))
            )
            lines.extend(_task_row(t, tasks[t]) for t in sub.tasks if t in tasks)
    overall = board["overall"]
    note = f"{len(overall['missing_sub_aspects'])} of 10 sub-aspects incomplete" if overall["partial"] else ""
    if overall.get("proxy"):
        note = "; ".join(filter(None, [note, f"~ includes proxy {', '.join(overall['proxy_tasks'])}"]))
    verdict = "PARTIAL" if overall["partial"] else ""
    lines.append(_row("OVERALL", overall["score"], "", None, verdict, note, proxy=bool(overall.get("proxy"))))
    gate = board["gate"]
    if gate["passed"]:
        lines.append("gate: PASS")
    else:
        lines.append(f"gate: FAIL — {gate['failures'][0]}")
        lines.extend(f"      also — {failure}" for failure in gate["failures"][1:])
    return lines
