"""The terminal table: aspects, sub-aspects and tasks with scores, 95% intervals, best trivial baselines,
thresholds and verdicts, then the overall score and the gate line. Readable at 80 columns: each row's notes go on
an indented line of their own below it.

Verdict words (:func:`~pytest_multitrust.aggregation.task_verdict`, shared with the HTML report): ``PASS`` /
``FAIL`` (gated), ``ok`` (a task measured and above its trivial baselines, gated through its aspect), ``TRIVIAL``
(does not clear its best trivial baseline), ``ERRORED`` and ``MISSING`` (no score), ``PARTIAL`` (an aspect computed
from fewer tasks than it has: it cannot pass). A score computed from a proxy rule instead of the official scorer
(``proxy`` in scores.json) is followed by ``~`` and its note says so.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from pytest_multitrust.aggregation import format_score, group_verdict, is_number, task_verdict
from pytest_multitrust.spec import ASPECTS, EXTRA_TASKS, SUB_ASPECTS

WIDTH = 80
_NAME_WIDTH = 36
_NOTE_INDENT = " " * 8


def ci_short(ci: Sequence[float] | None) -> str:
    """A 95% interval in one decimal (``35.1–47.3``), or nothing."""
    return f"{ci[0]:.1f}–{ci[1]:.1f}" if ci else ""


def _name(text: str) -> str:
    return text if len(text) <= _NAME_WIDTH else text[: _NAME_WIDTH - 1] + "…"


def _row(entry: Mapping[str, Any] | None, name: str, trivial: str, threshold: float | None, verdict: str) -> str:
    score = entry.get("score") if entry else None
    score_text = format_score(score) + ("~" if entry and entry.get("proxy") and is_number(score) else "")
    ci = ci_short(entry.get("ci")) if entry else ""
    threshold_text = f"{threshold:g}" if threshold is not None else ""
    line = f"{_name(name):<{_NAME_WIDTH}} {score_text:>7} {ci:>11} {trivial:>7} {threshold_text:>4}  {verdict}"
    return line.rstrip()


def _notes(notes: Sequence[str]) -> list[str]:
    if not notes:
        return []
    return textwrap.wrap("; ".join(notes), WIDTH, initial_indent=_NOTE_INDENT, subsequent_indent=_NOTE_INDENT)


def group_notes(entry: Mapping[str, Any]) -> list[str]:
    """What a sub-aspect, aspect or the overall score lacks, and which proxy scores it includes."""
    notes = []
    if entry.get("missing_tasks"):
        notes.append("missing: " + ", ".join(entry["missing_tasks"]))
    if entry.get("errored_tasks"):
        notes.append("errored: " + ", ".join(entry["errored_tasks"]))
    if entry.get("missing_sub_aspects"):
        notes.append(f"{len(entry['missing_sub_aspects'])} of 10 sub-aspects incomplete")
    if entry.get("proxy"):
        notes.append("~ includes proxy scores: " + ", ".join(entry.get("proxy_tasks") or []))
    return notes


def task_notes(task: Mapping[str, Any]) -> list[str]:
    """Why a task has no score, how it compares with its trivial baselines, and whether it is a proxy."""
    if task["status"] != "scored":
        return [f"{task['status']}: {reason}" for reason in task.get("reasons") or []] or [str(task["status"])]
    notes = []
    if not is_number(task.get("score")):
        notes.append("not measured: the official score is NaN")
    if task.get("proxy"):
        proxies = [str(j).removeprefix("proxy:") for j in task.get("judges") or [] if str(j).startswith("proxy:")]
        notes.append(f"~ PROXY score ({', '.join(proxies)}), not the official scorer")
    trivial = task.get("trivial") or {}
    if trivial.get("best_score") is not None:
        note = f"trivial: {trivial['best']} {format_score(trivial['best_score'])}, n={trivial['n']}"
        if task.get("clears_trivial") is False:
            note += ", not cleared"
        if not trivial.get("must_clear"):
            note += ", the desired answer (not gating)"
        notes.append(note)
    return notes


def task_label(task_id: str, title: str) -> str:
    """``T.1 Basic world understanding``; an extra task by its title alone (``or``: Over-refusal ...)."""
    return title if task_id in EXTRA_TASKS else f"{task_id.upper()[0]}.{task_id[1:]} {title}"


def _task_rows(task_id: str, task: Mapping[str, Any]) -> list[str]:
    name = f"    {task_label(task_id, task['title'])}"
    trivial = task.get("trivial") or {}
    best = trivial.get("best_score") if task["status"] == "scored" else None
    threshold = task["threshold"] if task["gated"] and task["status"] == "scored" else None
    row = _row(task, name, format_score(best) if best is not None else "", threshold, task_verdict(task))
    notes = task_notes(task)
    if task["status"] != "scored":
        notes = notes[:1]  # the first reason; scores.json holds them all
    return [row, *_notes(notes)]


def render(board: Mapping[str, Any]) -> list[str]:
    """Lines of the summary table for ``board`` (a ``scores.json`` document)."""
    manifest = board["manifest"]
    lines = [
        f"model {manifest.get('model')} ({manifest.get('model_spec')}), data {manifest.get('data')}, "
        f"seed {manifest.get('seed')}" + (f", limit {manifest['limit']} per variant" if manifest.get("limit") else ""),
        f"{'':<{_NAME_WIDTH}} {'score':>7} {'95% CI':>11} {'trivial':>7} {'thr':>4}  verdict",
    ]
    tasks = board["tasks"]
    for aspect in ASPECTS:
        entry = board["aspects"][aspect]
        if entry["status"] == "unselected":
            continue
        threshold = entry["threshold"] if entry["gated"] else None
        lines.append(_row(entry, aspect.upper(), "", threshold, group_verdict(entry)))
        lines.extend(_notes(group_notes(entry)))
        for sub in SUB_ASPECTS:
            sub_entry = board["sub_aspects"][sub.id]
            if sub.aspect != aspect or sub_entry["status"] == "unselected":
                continue
            partial = "PARTIAL" if sub_entry["status"] in ("partial", "missing") else ""
            lines.append(_row(sub_entry, f"  {sub.title}", "", None, partial))
            for task_id in sub.tasks:
                if task_id in tasks:
                    lines.extend(_task_rows(task_id, tasks[task_id]))
    overall = board["overall"]
    lines.append(_row(overall, "OVERALL", "", None, "PARTIAL" if overall["partial"] else ""))
    lines.extend(_notes(group_notes(overall)))
    extras = [t for t, task in tasks.items() if task.get("extra")]
    if extras:
        lines.append("BESIDE THE OVERALL SCORE (not part of it)")
        for task_id in extras:
            lines.extend(_task_rows(task_id, tasks[task_id]))
    gate = board["gate"]
    if gate["passed"]:
        lines.append(
            "gate: PASS" + (" (lower bounds of the 95% intervals)" if gate.get("mode") == "lower-bound" else "")
        )
    else:
        lines.append(f"gate: FAIL — {gate['failures'][0]}")
        lines.extend(f"      also — {failure}" for failure in gate["failures"][1:])
    return lines
