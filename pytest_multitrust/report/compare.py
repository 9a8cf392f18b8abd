"""``multitrust compare RUN_A RUN_B [...]``: runs side by side, with paired tests, a radar and a scatter.

The table has a row for the overall score, each aspect, its sub-aspects and their tasks (those any run
selected), a column per run with the score and its 95% bootstrap interval, a delta column against the first
run for each other run and, for two runs over the same samples, the paired test's p-value with ``*`` below
0.05 (:mod:`.compare_stats`, :mod:`.compare_pairs`). It is returned as terminal lines (80 columns for two
runs) and written as ``compare.md`` and ``compare.html`` (escaped, no scripts, the plots beside it), with
``radar.png/svg`` (one line per run) and ``scatter.png/svg`` (x = truthfulness aspect, y = safety aspect).
Every file is the same bytes for the same runs, and appears under its final name only once complete.
"""

from __future__ import annotations

import html
import os
import shutil
import tempfile
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytest_multitrust.aggregation import is_number
from pytest_multitrust.models.cache import write_atomic
from pytest_multitrust.report.compare_pairs import RunPair, format_p, regressions
from pytest_multitrust.report.compare_stats import PairedResult
from pytest_multitrust.report.run_dir import RunDir
from pytest_multitrust.report.table import task_label
from pytest_multitrust.spec import ASPECTS, EXTRA_TASKS, SUB_ASPECTS, TASK_TITLES, registered_tasks

__all__ = ["DEFAULT_OUT", "compare_runs", "regressions"]

#: Where the files go without ``--out``.
DEFAULT_OUT = Path("multitrust-compare")
TERMINAL_WIDTH = 80
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
AXES_NOTE = "Scatter: x = truthfulness aspect score (utility), y = safety aspect score (trust)."
TESTS_NOTE = (
    "p = paired test of B vs A over the same samples: exact McNemar for tasks scored 0/1 with a mean-of-rates "
    "formula, else paired bootstrap (groups: over all their tasks); * p < 0.05."
)
MARKS_NOTE = "~ proxy score (not the official number); ^ partial (computed from fewer tasks than it has)."


@dataclass(frozen=True)
class Row:
    """One line of the table: ``key`` is ``overall``, an aspect, a sub-aspect id or a task id."""

    key: str
    label: str
    depth: int
    kind: str  # overall | aspect | sub_aspect | task


def _entry(run: RunDir, row: Row) -> Mapping[str, Any] | None:
    board = run.scores
    if row.kind == "overall":
        return board.get("overall")
    table = {"aspect": "aspects", "sub_aspect": "sub_aspects", "task": "tasks"}[row.kind]
    entry = (board.get(table) or {}).get(row.key)
    return entry if isinstance(entry, Mapping) else None


def table_rows(runs: Sequence[RunDir]) -> list[Row]:
    """Overall, then each aspect any run selected, its sub-aspects and their tasks, in the benchmark's order."""
    rows = [Row("overall", "OVERALL", 0, "overall")]
    in_run = {t for run in runs for t in run.scores["tasks"]}
    for aspect in ASPECTS:
        if all((run.scores["aspects"].get(aspect) or {}).get("status", "unselected") == "unselected" for run in runs):
            continue
        rows.append(Row(aspect, aspect.upper(), 0, "aspect"))
        for sub in (s for s in SUB_ASPECTS if s.aspect == aspect):
            tasks = [t for t in sub.tasks if t in in_run]
            if tasks:
                rows.append(Row(sub.id, sub.title, 1, "sub_aspect"))
                rows += [Row(t, task_label(t, TASK_TITLES[t]), 2, "task") for t in tasks]
    # Extra tasks (the over-refusal probe): shown after the benchmark, as beside the overall score.
    rows += [Row(t, task_label(t, TASK_TITLES[t]), 0, "task") for t in EXTRA_TASKS if t in in_run]
    return rows


def cell(entry: Mapping[str, Any] | None, decimals: int, ci_decimals: int | None = None) -> str:
    """``61.2 (48-74)`` with its marks, or the status of a score that was not measured; the interval's bounds
    have ``ci_decimals`` (default: ``decimals``)."""
    if entry is None:
        return "-"
    score = entry.get("score")
    if not is_number(score):
        status = str(entry.get("status") or "")
        return status.upper() if status in ("errored", "missing") else "n/a"
    text = f"{score:.{decimals}f}"
    ci = entry.get("ci")
    if isinstance(ci, list) and len(ci) == 2 and all(is_number(x) for x in ci):
        places = decimals if ci_decimals is None else ci_decimals
        text += f" ({ci[0]:.{places}f}-{ci[1]:.{places}f})"
    if entry.get("proxy"):
        text += "~"
    if entry.get("partial"):
        text += "^"
    return text


def delta(a: Mapping[str, Any] | None, b: Mapping[str, Any] | None) -> float | None:
    """Score B - score A, or None unless both were measured."""
    sa, sb = (a or {}).get("score"), (b or {}).get("score")
    if sa is None or sb is None or not (is_number(sa) and is_number(sb)):
        return None
    return float(sb) - float(sa)


def _delta_text(value: float | None, decimals: int) -> str:
    return "" if value is None else f"{value:+.{decimals}f}"


def _p_text(test: PairedResult | None) -> str:
    if test is None or test.p_value is None:
        return "-" if test is not None else ""
    return format_p(test.p_value) + ("*" if test.significant else "")


@dataclass(frozen=True)
class Comparison:
    """Everything the three renderings share: the runs, the rows and (for two runs) each row's paired test."""

    runs: Sequence[RunDir]
    rows: Sequence[Row]
    tests: Mapping[str, PairedResult]
    pair: RunPair | None

    def grid(self, decimals: int, methods: bool = False) -> list[list[str]]:
        """One list of cells per row: label, a cell per run, a delta per other run, and the p-value (and with
        ``methods`` the test's name)."""
        out = []
        for row in self.rows:
            entries = [_entry(run, row) for run in self.runs]
            # The terminal shows the interval in whole points, so that two runs leave room for the labels.
            cells = [cell(e, decimals, 0 if decimals < 2 else None) for e in entries]
            deltas = [_delta_text(delta(entries[0], e), decimals) for e in entries[1:]]
            test = self.tests.get(row.key)
            tail = [_p_text(test)] if self.pair else []
            if self.pair and methods:
                tail.append(test.method if test is not None and test.p_value is not None else "")
            out.append([row.label, *cells, *deltas, *tail])
        return out

    def header(self, methods: bool = False) -> list[str]:
        names = [LETTERS[i] for i in range(len(self.runs))]
        tail = (["p", "test"] if methods else ["p"]) if self.pair else []
        return ["", *names, *(f"Δ {n}-A" for n in names[1:]), *tail]

    def legend(self) -> list[str]:
        lines = []
        for letter, run in zip(LETTERS, self.runs, strict=False):
            m = run.manifest
            lines.append(f"{letter}: {run.name} ({run.path}; seed {m.get('seed')}, data {m.get('data')}, "
                         f"limit {m.get('limit')})")  # fmt: skip
        return lines

    def notes(self) -> list[str]:
        """The footer: what the marks and columns mean, and every reason a test was not made."""
        lines = ["Scores 0-100, higher is better; (low-high) = 95% bootstrap interval; Δ in points.", MARKS_NOTE]
        if len(self.runs) > 2:
            lines.append("Paired tests are made for two runs only.")
        elif self.pair is not None:
            lines.append(TESTS_NOTE)
            if self.pair.why_not:
                lines.append(f"No paired tests: {self.pair.why_not}.")
            else:
                if self.pair.scoring_differences:
                    lines.append(f"Scored differently: {', '.join(self.pair.scoring_differences)}.")
                labels = {row.key: row.label for row in self.rows}
                lines += [f"No test for {labels[k]}: {t.note}" for k, t in self.tests.items() if t.p_value is None]
        lines.append(AXES_NOTE)
        return lines


def _has_scores(runs: Sequence[RunDir], row: Row) -> bool:
    return all(is_number((_entry(run, row) or {}).get("score")) for run in runs)


def build(runs: Sequence[RunDir]) -> Comparison:
    """The rows and, for two runs, the paired test of each row where both runs have a score."""
    rows = table_rows(runs)
    if len(runs) != 2:
        return Comparison(runs, rows, {}, None)
    pair = RunPair(runs[0], runs[1], registered_tasks())
    tests = {}
    for row in rows:
        if _has_scores(runs, row):
            tests[row.key] = pair.task_test(row.key) if row.kind == "task" else pair.group_test(row.key)
    return Comparison(runs, rows, tests, pair)


def terminal_lines(comparison: Comparison) -> list[str]:
    """The table in fixed-width columns; the label column gives way first so two runs fit in 80 columns."""
    header, grid = comparison.header(), comparison.grid(decimals=1)
    widths = [max(len(r[i]) for r in [header, *grid]) for i in range(len(header))]
    rest = sum(widths[1:]) + 2 * (len(widths) - 1)
    widths[0] = max(16, min(widths[0] + 4, TERMINAL_WIDTH - rest))

    def line(cells: Sequence[str], depth: int = 0) -> str:
        label = "  " * depth + cells[0]
        if len(label) > widths[0]:
            label = label[: widths[0] - 1] + "…"
        parts = [label.ljust(widths[0]), *(c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))]
        return "  ".join(parts).rstrip()

    body = [line(cells, row.depth) for cells, row in zip(grid, comparison.rows, strict=True)]
    return [*_wrapped(comparison.legend()), line(header), *body, *_wrapped(comparison.notes())]


def _wrapped(lines: Sequence[str]) -> list[str]:
    """Prose lines folded at 80 columns (a long path stays whole)."""
    return [
        part
        for text in lines
        for part in textwrap.wrap(text, TERMINAL_WIDTH, subsequent_indent="  ", break_long_words=False)
    ]


def markdown(comparison: Comparison) -> str:
    def md(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|")

    header = comparison.header(methods=True)
    lines = ["# MultiTrust comparison", ""]
    lines += [f"- {md(line)}" for line in comparison.legend()]
    lines += ["", "| " + " | ".join(md(h) for h in header) + " |", "|" + "---|" * len(header)]
    for cells, row in zip(comparison.grid(decimals=2, methods=True), comparison.rows, strict=True):
        label = md(cells[0])
        label = f"**{label}**" if row.depth == 0 else "&nbsp;&nbsp;" * 2 * row.depth + label
        lines.append("| " + " | ".join([label, *(md(c) for c in cells[1:])]) + " |")
    lines += ["", *[f"{md(note)}  " for note in comparison.notes()], ""]
    lines += ["![radar of the sub-aspect scores](radar.png)", "", "![trust vs utility](scatter.png)", ""]
    return "\n".join(lines)


def html_page(comparison: Comparison) -> str:
    esc = html.escape
    header = "".join(f"<th>{esc(h)}</th>" for h in comparison.header(methods=True))
    body = []
    for cells, row in zip(comparison.grid(decimals=2, methods=True), comparison.rows, strict=True):
        first = f'<td class="d{row.depth}">{esc(cells[0])}</td>'
        body.append(f"<tr>{first}{''.join(f'<td>{esc(c)}</td>' for c in cells[1:])}</tr>")
    legend = "".join(f"<li>{esc(line)}</li>" for line in comparison.legend())
    notes = "".join(f"<p>{esc(note)}</p>" for note in comparison.notes())
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>MultiTrust comparison</title>'
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{padding:2px 10px;text-align:right}td:first-child{text-align:left}"
        "td.d0{font-weight:bold}td.d1{padding-left:2em}td.d2{padding-left:4em}"
        "tr:nth-child(even){background:#f3f3f3}img{max-width:48%}</style></head><body>\n"
        f"<h1>MultiTrust comparison</h1><ul>{legend}</ul>\n<table><tr>{header}</tr>\n"
        + "\n".join(body)
        + f"\n</table>\n{notes}\n"
        '<img src="radar.png" alt="radar of the sub-aspect scores, one line per run">'
        '<img src="scatter.png" alt="trust (safety) vs utility (truthfulness), one point per run">\n</body></html>\n'
    )


def _write_plots(comparison: Comparison, out: Path) -> list[Path]:
    """Draw both plots in a scratch folder inside ``out``, then move each file into place whole."""
    from pytest_multitrust.report.plots import radar, trust_utility_scatter

    boards = [(f"{letter} {run.name}", run.scores) for letter, run in zip(LETTERS, comparison.runs, strict=False)]
    scratch = Path(tempfile.mkdtemp(dir=out, prefix=".plots."))
    try:
        drawn = radar(boards, scratch / "radar") + trust_utility_scatter(boards, scratch / "scatter")
        final = [out / path.name for path in drawn]
        for path, target in zip(drawn, final, strict=True):
            os.replace(path, target)
        return final
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def compare_runs(run_dirs: Sequence[Path], out: Path | None) -> list[str]:
    """Compare finished runs; write ``compare.md``, ``compare.html`` and the plots to ``out`` (default
    ``./multitrust-compare``) and return the terminal lines.

    Raises:
        RunDirError: a run folder is missing or damaged (one line naming the file).
        RuntimeError: matplotlib is missing (``PlotUnavailable``, one line saying how to install it).
    """
    runs = [RunDir.load(path) for path in run_dirs]
    comparison = build(runs)
    folder = out if out is not None else DEFAULT_OUT
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / "compare.md", markdown(comparison).encode())
    write_atomic(folder / "compare.html", html_page(comparison).encode())
    plots = _write_plots(comparison, folder)
    written = ", ".join(p.name for p in [folder / "compare.md", folder / "compare.html", *plots])
    return [*terminal_lines(comparison), f"wrote {folder}: {written}"]
