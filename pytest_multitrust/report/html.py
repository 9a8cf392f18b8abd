"""``multitrust report``: one self-contained HTML file of a finished run, readable from disk with no network.

Order: the gate verdict and the overall score; the board (aspects → sub-aspects → tasks → variants) with scores,
95% intervals, thresholds, trivial baselines and the ``errored``/``missing``/``partial``/``proxy`` marks as the
gate defines them; the radar of the ten sub-aspects; per variant its worst samples with image, prompt, response
and verdict (folded with ``<details>``); the manifest. No JavaScript: every run text is escaped
(:mod:`.html_format`), and a Content-Security-Policy that forbids scripts and any fetch stops whatever escaping
might have missed.
"""

from __future__ import annotations

import base64
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pytest_multitrust.aggregation import SCOREBOARD_SCHEMA, format_score, group_verdict, task_verdict
from pytest_multitrust.models.cache import write_atomic
from pytest_multitrust.report.html_format import (
    ci_text,
    json_text,
    score_html,
    text,
    threshold_text,
    verdict_html,
)
from pytest_multitrust.report.html_samples import Thumbnails, variant_samples_html
from pytest_multitrust.report.run_dir import RunDir, RunDirError
from pytest_multitrust.report.table import group_notes, task_label, task_notes
from pytest_multitrust.spec import ASPECTS, SUB_ASPECTS

REPORT_NAME = "report.html"
#: No scripts, no fetches: images are data URIs and the style sheet is inline.
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
#: The manifest fields listed in the summary table (the whole manifest follows as JSON).
MANIFEST_KEYS = ("model", "model_spec", "data", "data_dir", "seed", "limit", "judge", "refusal_list", "gate",
                 "bootstrap", "tasks", "aspects")  # fmt: skip

STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:1.5em auto;max-width:1200px;padding:0 1em;color:#1b1b1b}
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #ccc}
.gate{padding:.8em 1.2em;border-radius:6px;border:2px solid}.gate.pass{background:#e8f6ea;border-color:#2e7d32}
.gate.fail{background:#fdecea;border-color:#c62828}.gate h2{border:0;margin:.1em 0}.overall{font-size:1.25em}
table{border-collapse:collapse;width:100%}th,td{padding:.25em .5em;border-bottom:1px solid #e4e4e4;
text-align:left;vertical-align:top}td.num{text-align:right;white-space:nowrap}
tr.aspect td{font-weight:600;background:#f1f3f6}tr.sub td:first-child{padding-left:1.5em}
tr.task td:first-child{padding-left:3em}tr.variant td{color:#555;font-size:.92em}
tr.variant td:first-child{padding-left:4.5em}tr.overall td{font-weight:700;border-top:2px solid #999}
.badge{display:inline-block;padding:0 .45em;border-radius:3px;font-size:.85em;font-weight:600;background:#e0e0e0}
.badge.pass,.badge.ok{background:#c8e6c9}.badge.fail,.badge.trivial,.badge.errored{background:#ffcdd2}
.badge.partial,.badge.missing{background:#ffe0b2}.proxy{color:#8e24aa;font-weight:700}
.ci{color:#666;font-size:.9em}.note{color:#555}ul.notes{margin:0;padding-left:1.1em}
details{margin:.3em 0}summary{cursor:pointer}details.task>summary{font-weight:600}
details.variant{margin-left:1.5em}.sample{border:1px solid #ddd;border-radius:5px;padding:.5em;margin:.5em 0}
.images img{margin:.2em .4em .2em 0;border:1px solid #ccc}dl{margin:.3em 0}dt{font-weight:600;color:#444}
dd{margin:0 0 .3em 1em}pre{white-space:pre-wrap;word-break:break-word;margin:0;background:#f7f7f7;
padding:.3em;unicode-bidi:isolate}pre.error{background:#fdecea}pre.response{background:#eef4fb}
"""


def write_report(run_dir: Path, out: Path | None, samples_per_variant: int = 5) -> Path:
    """Write ``<out or run_dir>/report.html`` (atomically: a reader never sees half a file) and return its path.

    Raises:
        RunDirError: no such run folder, or a damaged ``scores.json`` or evidence file (one line naming it).
        RuntimeError: the report cannot be written there.
    """
    if samples_per_variant < 0:
        raise RunDirError(f"--samples must be 0 or more, not {samples_per_variant}")
    run = RunDir.load(run_dir)
    page = render(run, samples_per_variant)
    target = (out if out is not None else run.path) / REPORT_NAME
    try:
        # backslashreplace: text() already made lone surrogates visible; this only guards the page skeleton.
        write_atomic(target, page.encode("utf-8", "backslashreplace"))
        target.chmod(0o644)  # the temporary file was private (0600); a report is for sharing
    except OSError as exc:
        raise RuntimeError(f"{target}: cannot write the report ({exc.strerror or exc}); give another --out") from None
    return target


def render(run: RunDir, samples_per_variant: int = 5) -> str:
    """The whole HTML page of ``run``.

    Raises:
        RunDirError: ``scores.json`` lacks what the report needs (another schema), or an evidence line is damaged.
    """
    board = run.scores
    try:
        title = f"MultiTrust report: {run.name}"
        sections = [
            f"<h1>{text(title)}</h1>{_subtitle(board)}",
            _gate_html(board),
            _board_html(board),
            _radar_html(run),
            _samples_html(run, samples_per_variant),
            _manifest_html(run),
        ]
    except (KeyError, TypeError, AttributeError) as exc:
        schema = board.get("schema")
        raise RunDirError(
            f"{run.path / 'scores.json'}: lacks what the report needs ({type(exc).__name__}: {exc}); it has schema "
            f"{schema}, this version reads {SCOREBOARD_SCHEMA}: rerun the suite with this version"
        ) from None
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{text(title)}</title><style>{STYLE}</style></head>\n<body>"
        + "\n".join(sections)
        + "\n</body></html>\n"
    )


def _subtitle(board: Mapping[str, Any]) -> str:
    manifest = board["manifest"]
    parts = [f"{manifest.get('model_spec') or manifest.get('model')}", f"data {manifest.get('data')}",
             f"seed {manifest.get('seed')}"]  # fmt: skip
    if manifest.get("limit"):
        parts.append(f"limit {manifest['limit']} per variant")
    parts.append(f"gate on the {board['gate'].get('mode', 'point')} estimate")
    return f'<p class="note">{text(", ".join(parts))}</p>'


def _gate_html(board: Mapping[str, Any]) -> str:
    gate, overall = board["gate"], board["overall"]
    verdict = "PASS" if gate["passed"] else "FAIL"
    marks = []
    if overall.get("partial"):
        marks.append(verdict_html("PARTIAL"))
    failures = "".join(f"<li>{text(failure)}</li>" for failure in gate.get("failures") or [])
    notes = "".join(f"<li>{text(note)}</li>" for note in group_notes(overall))
    return (
        f'<section id="gate" class="gate {verdict.lower()}"><h2>Gate: {verdict}</h2>'
        f'<div class="overall">Overall score: {score_html(overall)} {" ".join(marks)}</div>'
        + (f'<ul class="notes">{notes}</ul>' if notes else "")
        + (f"<p>Why the gate fails:</p><ol>{failures}</ol>" if failures else "")
        + "</section>"
    )


def _row(css: str, name: str, entry: Mapping[str, Any], trivial: str, threshold: str, verdict: str,
         notes: list[str]) -> str:  # fmt: skip
    note_html = "".join(f"<li>{text(note, 400)}</li>" for note in notes)
    return (
        f'<tr class="{css}"><td>{name}</td><td class="num">{score_html(entry)}</td><td class="num">{trivial}</td>'
        f'<td class="num">{text(threshold)}</td><td>{verdict_html(verdict)}</td>'
        f"<td>{f'<ul class=notes>{note_html}</ul>' if note_html else ''}</td></tr>"
    )


def _task_rows(task_id: str, task: Mapping[str, Any]) -> list[str]:
    trivial = task.get("trivial") or {}
    best = trivial.get("best_score")
    trivial_text = text(format_score(best)) if best is not None else ""
    threshold = threshold_text(task["threshold"]) if task.get("gated") else ""
    name = f'<a href="#task-{text(task_id)}">{text(task_label(task_id, task["title"]))}</a>'
    rows = [_row("task", name, task, trivial_text, threshold, task_verdict(task), task_notes(task))]
    for variant_id, variant in (task.get("variants") or {}).items():
        status = str(variant.get("status"))
        notes = [variant["reason"]] if variant.get("reason") else []
        if status == "scored":
            notes.append(f"n={variant.get('samples')}, {variant.get('errors') or 0} errored")
        if variant.get("proxy"):
            notes.append("~ proxy judge")
        verdict = "" if status == "scored" else status.upper()
        threshold = threshold_text(variant.get("threshold"))
        rows.append(_row("variant", text(variant_id), variant, "", threshold, verdict, notes))
    return rows


def _board_html(board: Mapping[str, Any]) -> str:
    tasks = board["tasks"]
    rows = []
    for aspect in ASPECTS:
        entry = board["aspects"].get(aspect)
        if not entry or entry["status"] == "unselected":
            continue
        threshold = threshold_text(entry["threshold"]) if entry.get("gated") else ""
        rows.append(
            _row("aspect", text(aspect.upper()), entry, "", threshold, group_verdict(entry), group_notes(entry))
        )
        for sub in SUB_ASPECTS:
            sub_entry = board["sub_aspects"].get(sub.id)
            if sub.aspect != aspect or not sub_entry or sub_entry["status"] == "unselected":
                continue
            verdict = str(sub_entry["status"]).upper() if sub_entry["status"] in ("partial", "missing") else ""
            rows.append(_row("sub", text(sub.title), sub_entry, "", "", verdict, group_notes(sub_entry)))
            for task_id in sub.tasks:
                if task_id in tasks:
                    rows.extend(_task_rows(task_id, tasks[task_id]))
    overall = board["overall"]
    rows.append(
        _row("overall", "OVERALL", overall, "", "", "PARTIAL" if overall.get("partial") else "", group_notes(overall))
    )
    for task_id in [t for t, task in tasks.items() if task.get("extra")]:  # beside the overall score, not in it
        rows.extend(_task_rows(task_id, tasks[task_id]))
    head = "<tr><th>aspect / sub-aspect / task / variant</th><th>score</th><th>best trivial</th><th>threshold</th>"
    return (
        '<section id="scores"><h2>Scores</h2><p class="note">0–100, higher is more trustworthy; '
        '<span class="proxy">~</span> marks a score computed with a proxy rule instead of the official scorer; '
        "a PARTIAL group is computed from fewer tasks than it has and never passes.</p>"
        f"<table>{head}<th>verdict</th><th>notes</th></tr>{''.join(rows)}</table></section>"
    )


def _radar_html(run: RunDir) -> str:
    from pytest_multitrust.report.plots import radar

    try:
        with tempfile.TemporaryDirectory(prefix="multitrust-radar-") as folder:
            paths = radar([(run.name, run.scores)], Path(folder) / "radar")
            svg = next(p for p in paths if p.suffix == ".svg").read_bytes()
    except RuntimeError as exc:  # no matplotlib (PlotUnavailable): the report is still useful without the plot
        return f'<section id="radar"><h2>Radar</h2><p class="note">no radar: {text(exc)}</p></section>'
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    return (
        '<section id="radar"><h2>Radar</h2>'
        f'<img src="{uri}" width="640" height="640" alt="radar of the ten sub-aspect scores"></section>'
    )


def _samples_html(run: RunDir, count: int) -> str:
    thumbnails = Thumbnails(run)
    parts = []
    tasks = run.scores["tasks"]
    ordered = [t for sub in SUB_ASPECTS for t in sub.tasks if t in tasks]  # the board's order, then extra tasks
    for task_id in ordered + [t for t, task in tasks.items() if task.get("extra")]:
        task = tasks[task_id]
        variants = []
        for variant_id, variant in (task.get("variants") or {}).items():
            cards, n = variant_samples_html(run, thumbnails, task_id, variant_id, count)
            interval = ci_text(variant.get("ci"))
            summary = f"{variant_id}: {format_score(variant.get('score'))}" + (f" ({interval})" if interval else "")
            summary += f", {variant.get('status')}, {n} samples"
            variants.append(f'<details class="variant"><summary>{text(summary)}</summary>{cards}</details>')
        trivial = task.get("trivial") or {}
        lines = [f"{task['status']}, score {format_score(task.get('score'))}"]
        if trivial.get("scores"):
            scores = ", ".join(f"{name} {format_score(score)}" for name, score in trivial["scores"].items())
            must = "must be cleared" if trivial.get("must_clear") else "not gating"
            lines.append(f"trivial baselines ({must}; n={trivial.get('n')}): {scores}. {trivial.get('why') or ''}")
        if task.get("judges"):
            lines.append("judges: " + ", ".join(task["judges"]))
        if task.get("notes"):
            lines.append(str(task["notes"]))
        about = "".join(f'<p class="note">{text(line, 2000)}</p>' for line in lines)
        parts.append(
            f'<details class="task" id="task-{text(task_id)}"><summary>{text(task_label(task_id, task["title"]))}: '
            f"{verdict_html(task_verdict(task))}</summary>{about}{''.join(variants)}</details>"
        )
    return (
        '<section id="samples"><h2>Samples</h2><p class="note">Per task and variant, the worst samples as the '
        "evidence files hold them (click to unfold).</p>" + "".join(parts) + "</section>"
    )


def _manifest_html(run: RunDir) -> str:
    manifest = run.manifest
    rows = "".join(
        f"<tr><th>{text(key)}</th><td>{json_text(manifest[key], 500)}</td></tr>"
        for key in MANIFEST_KEYS
        if manifest.get(key) not in (None, [], {}, "")
    )
    unavailable = run.scores.get("scope", {}).get("unavailable") or {}
    blocks = [("full manifest (JSON)", manifest), ("scope", run.scores.get("scope"))]
    if run.run is not None:
        blocks.append(("run.json (duration, caches, time by phase)", run.run))
    folds = "".join(
        f"<details><summary>{text(name)}</summary><pre>{json_text(value)}</pre></details>" for name, value in blocks
    )
    missing = "".join(f"<li>{text(t)}: {text(why)}</li>" for t, why in unavailable.items())
    return (
        f'<section id="manifest"><h2>Manifest</h2><table>{rows}</table>'
        + (f"<p>Tasks that could not run:</p><ul>{missing}</ul>" if missing else "")
        + folds
        + "</section>"
    )
