"""Two finished runs held side by side: are they comparable, the paired test of each task and group, and the
regression gate (``--baseline RUN_DIR --max-drop POINTS``).

The statistics are in :mod:`.compare_stats`; this module reads the runs (their manifests, ``scores.json`` and
evidence files) and decides what may be tested. Two runs are paired only when they were built over the same
samples: the same manifest ``seed``, ``data``, ``limit`` and ``official_bugs`` (:data:`SAMPLE_SETTINGS`), then per
task the same sample ids, prompts and image refs. A task's evidence must reproduce the metrics its run recorded
(else the files are not what was scored, and there is no test).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from pytest_multitrust.aggregation import DEFAULT_REPLICATES, format_score, is_number
from pytest_multitrust.report.compare_stats import (
    PairedResult,
    Rows,
    bootstrap_p,
    group_scores,
    no_test,
    paired_replicates,
    paired_samples,
    paired_task_test,
    task_score_of,
)
from pytest_multitrust.report.run_dir import RunDir, RunDirError
from pytest_multitrust.scoring.bootstrap import same_metrics, scored_rows
from pytest_multitrust.spec import ALL_TASK_IDS, ASPECTS, TASK_IDS, TaskSpec

#: Manifest settings that decide which samples a run is built from: runs that differ in one are never paired.
SAMPLE_SETTINGS = ("seed", "data", "limit", "official_bugs")
#: Manifest settings that decide how answers are scored: compared runs may differ (the table says so), but the
#: regression gate cannot vouch for a checkpoint scored differently from its baseline.
SCORING_SETTINGS = ("judge", "refusal_list")


def setting_differences(a: RunDir, b: RunDir, keys: Sequence[str]) -> list[str]:
    """``["seed 0 vs 1", ...]`` for each of ``keys`` whose manifest values differ."""
    ma, mb = a.manifest, b.manifest
    return [f"{key} {ma.get(key)!r} vs {mb.get(key)!r}" for key in keys if ma.get(key) != mb.get(key)]


class RunPair:
    """Run A and run B, with each task's and group's paired test computed once, on demand."""

    def __init__(
        self, a: RunDir, b: RunDir, specs: Mapping[str, TaskSpec], replicates: int = DEFAULT_REPLICATES
    ) -> None:
        self.a, self.b, self.specs, self.replicates = a, b, specs, replicates
        differences = setting_differences(a, b, SAMPLE_SETTINGS)
        #: Why no sample of the two runs can be paired (None: they may be).
        self.why_not = f"the runs differ in {', '.join(differences)}" if differences else None
        self.scoring_differences = setting_differences(a, b, SCORING_SETTINGS)
        seed = a.manifest.get("seed")
        self.seed = seed if isinstance(seed, int) else 0
        self._tests: dict[str, PairedResult] = {}
        self._draws: dict[str, tuple[np.ndarray, np.ndarray] | str] = {}

    def _rows(self, run: RunDir, task_id: str, spec: TaskSpec) -> Rows | str:
        """The task's evidence rows of ``run`` per variant, or why they cannot be used."""
        task = run.scores["tasks"].get(task_id) or {}
        if task.get("status") != "scored":
            return f"{task_id} is {task.get('status', 'missing')} in {run.name}"
        rows: dict[str, list[dict[str, Any]]] = {}
        for variant in spec.variants:
            rows[variant.id] = run.variant_rows(task_id, variant.id)
            path = run.path / "samples" / task_id / f"{variant.id}.jsonl"
            if not rows[variant.id]:
                return f"{run.name} has no evidence file {path}"
            try:
                again = spec.variant_metrics(*scored_rows(rows[variant.id]))
            except KeyError as exc:
                raise RunDirError(f"{path}: a row lacks {exc} (not a MultiTrust evidence file)") from None
            except Exception:  # a formula that fails on its own evidence: reported as not reproduced below
                again = {}
            recorded = (task.get("variants") or {}).get(variant.id, {}).get("metrics") or {}
            if not same_metrics(again, recorded):
                return f"{path} does not reproduce the metrics recorded in scores.json"
        return rows

    def _pair(self, task_id: str) -> tuple[TaskSpec, Rows, Rows] | str:
        if self.why_not:
            return self.why_not
        spec = self.specs.get(task_id)
        if spec is None:
            return f"{task_id}: no task definition installed"
        rows_a = self._rows(self.a, task_id, spec)
        rows_b = self._rows(self.b, task_id, spec) if not isinstance(rows_a, str) else rows_a
        if isinstance(rows_a, str) or isinstance(rows_b, str):
            return rows_a if isinstance(rows_a, str) else str(rows_b)
        return spec, rows_a, rows_b

    def task_test(self, task_id: str) -> PairedResult:
        """The paired test of one task (McNemar or paired bootstrap; ``none`` with the reason)."""
        if task_id not in self._tests:
            pair = self._pair(task_id)
            if isinstance(pair, str):
                self._tests[task_id] = no_test(pair)
            else:
                self._tests[task_id] = paired_task_test(*pair, seed=self.seed, replicates=self.replicates)
        return self._tests[task_id]

    def _task_draws(self, task_id: str) -> tuple[np.ndarray, np.ndarray] | str:
        if task_id not in self._draws:
            pair = self._pair(task_id)
            paired = pair if isinstance(pair, str) else paired_samples(*pair)
            if isinstance(paired, str):
                self._draws[task_id] = paired
            else:
                spec, a, b = self.specs[task_id], paired[0], paired[1]
                draws = paired_replicates(spec, a, b, self.seed, self.replicates)
                # Index 0 holds the point estimate on the paired samples, the replicates follow.
                self._draws[task_id] = (
                    np.concatenate([[task_score_of(spec, a)], draws[0]]),
                    np.concatenate([[task_score_of(spec, b)], draws[1]]),
                )
        return self._draws[task_id]

    def group_test(self, key: str) -> PairedResult:
        """The paired bootstrap of a sub-aspect, an aspect or ``overall`` over all its tasks' samples jointly."""
        if key in self._tests:
            return self._tests[key]
        entries = [self._group_entry(run, key) for run in (self.a, self.b)]
        tasks = [self._group_tasks(run, key) for run in (self.a, self.b)]
        if self.why_not:
            result = no_test(self.why_not)
        elif not all(e and is_number(e.get("score")) for e in entries):
            result = no_test(f"{key}: no score in both runs")
        elif tasks[0] != tasks[1]:
            result = no_test(f"{key}: scored from different tasks ({', '.join(tasks[0])} vs {', '.join(tasks[1])})")
        else:
            draws = {t: self._task_draws(t) for t in tasks[0]}
            why = next((d for d in draws.values() if isinstance(d, str)), None)
            if why is not None:
                result = no_test(why)
            else:
                a = group_scores({t: d[0] for t, d in draws.items() if not isinstance(d, str)}, key)
                b = group_scores({t: d[1] for t, d in draws.items() if not isinstance(d, str)}, key)
                n = sum(self.task_test(t).n for t in tasks[0])
                p_value = bootstrap_p(b[1:] - a[1:])
                delta = float(b[0] - a[0])
                result = (
                    PairedResult(delta, p_value, "paired-bootstrap", n)
                    if p_value is not None
                    else no_test(f"{key}: too many bootstrap replicates not measured", delta, n)
                )
        self._tests[key] = result
        return result

    @staticmethod
    def _group_entry(run: RunDir, key: str) -> Mapping[str, Any] | None:
        board = run.scores
        if key == "overall":
            return board.get("overall")
        entry = (board.get("sub_aspects") or {}).get(key) or board["aspects"].get(key)
        return entry if isinstance(entry, Mapping) else None

    @staticmethod
    def _group_tasks(run: RunDir, key: str) -> list[str]:
        """The tasks a group's score was computed from (scored ones), in board order."""
        tasks = run.scores["tasks"]
        return [
            t
            for t in ALL_TASK_IDS
            if (tasks.get(t) or {}).get("status") == "scored"
            and key in ("overall", tasks[t].get("aspect"), tasks[t].get("sub_aspect"))
        ]


def regressions(
    baseline: RunDir,
    current: RunDir,
    max_drop: float,
    specs: Mapping[str, TaskSpec],
    replicates: int = DEFAULT_REPLICATES,
) -> list[str]:
    """Why ``current`` regressed from ``baseline``: one line per gated aspect or task (``gated`` in the current
    ``scores.json``) whose score dropped by more than ``max_drop`` points *and* significantly (paired test,
    p < 0.05); a line when the runs are not comparable (other samples or scoring settings), and one per gated
    score the baseline lacks or the drop of which cannot be tested. Empty: no regression.

    A gated score the current run did not measure gives no line here: the session gate already fails it.
    """
    pair = RunPair(baseline, current, specs, replicates)
    lines = []
    if pair.why_not or pair.scoring_differences:
        why = pair.why_not or f"the runs differ in {', '.join(pair.scoring_differences)}"
        lines.append(
            f"baseline {baseline.path}: not comparable with this run ({why}); the regression gate cannot vouch"
        )
    board, base = current.scores, baseline.scores
    # In the benchmark's order (scores.json is written with sorted keys).
    gated: list[tuple[str, str, Mapping[str, Any]]] = [
        (a, "aspect", board["aspects"][a]) for a in ASPECTS if (board["aspects"].get(a) or {}).get("gated")
    ]
    gated += [(t, "task", board["tasks"][t]) for t in TASK_IDS if (board["tasks"].get(t) or {}).get("gated")]
    for key, kind, entry in gated:
        now = entry.get("score")
        if now is None or not is_number(now):
            continue
        before = (base["aspects"] if kind == "aspect" else base["tasks"]).get(key, {}).get("score")
        if before is None or not is_number(before):
            lines.append(f"{key}: the baseline has no score for it; the regression gate cannot vouch")
            continue
        drop = float(before) - float(now)
        if drop <= max_drop:
            continue
        test = pair.group_test(key) if kind == "aspect" else pair.task_test(key)
        scores = f"{format_score(before)} -> {format_score(now)}"
        if test.p_value is None:
            lines.append(f"{key} dropped {drop:.2f} points below the baseline ({scores}; max drop {max_drop:g}) and "
                         f"no paired test could be made ({test.note}): the regression gate cannot vouch")  # fmt: skip
        elif test.significant and test.delta < 0:
            lines.append(
                f"{key} dropped {drop:.2f} points below the baseline ({scores}; max drop {max_drop:g}; "
                f"{test.method} p={format_p(test.p_value)}, n={test.n})"
            )
    return lines


def format_p(p_value: float | None) -> str:
    """``0.034``, ``<0.001``, or ``-`` when no test was made."""
    if p_value is None or math.isnan(p_value):
        return "-"
    return "<0.001" if p_value < 0.001 else f"{p_value:.3f}"
