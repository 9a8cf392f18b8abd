"""Paired tests between two runs over the same samples: is a task's (or a group's) change more than noise?

Both runs must have answered the same samples: per variant the same sample ids, each with the same prompt,
system prompt and image refs (:func:`sample_mismatch`). Only samples scored in both runs are paired (a sample
that errored in one run has no pair). Two tests:

- **McNemar** (exact: a two-sided binomial test with p = 1/2 on the discordant pairs, ``scipy.stats.binomtest``)
  when every paired sample's ``sample_score`` is 0 or 1 in both runs and the task formula is the mean of those
  rates, i.e. the task score is 100 x the pooled mean of the sample scores. That is checked on the data, not
  assumed: on both runs' paired samples and on :data:`FORMULA_CHECKS` seeded resamples of them, the formula
  must give that mean within :data:`POOLED_TOLERANCE` (the official per-file numbers are rounded). A weighted
  formula (T.2's groups, P.6's three means) or a score that is not a per-sample rate (F.6's chi-square) fails
  the check and gets the bootstrap instead, which is valid for every formula.
- **Paired bootstrap** otherwise: each replicate draws every variant's paired samples with replacement, the *same*
  indices for both runs (from :func:`~pytest_multitrust.scoring.bootstrap.resample_indices`, the stream the
  confidence intervals use), recomputes the variant metrics with the task's own ``variant_metrics`` and the task
  score with its ``task_score``, and keeps the difference B - A. The p-value (:func:`bootstrap_p`) is the
  two-sided share of replicate differences on the far side of 0, with the add-one Monte Carlo correction:
  ``p = min(1, 2 (1 + min(#{d <= 0}, #{d >= 0})) / (R + 1))`` over the R measured replicates. It is the
  smallest level at which the percentile interval of the difference excludes 0, so ``p < 0.05`` agrees with
  the 95% interval of the difference not containing 0, and it is never exactly 0 (at R = 1000 at least ~0.002).

Groups (sub-aspects, aspects, overall) use the bootstrap over all their tasks' samples jointly: each replicate
combines the task replicates with the weights of :mod:`pytest_multitrust.aggregation` (:func:`group_scores`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from pytest_multitrust.aggregation import DEFAULT_REPLICATES
from pytest_multitrust.scoring.bootstrap import MAX_UNMEASURED_SHARE, resample_indices, scored_rows
from pytest_multitrust.spec import SUB_ASPECTS, Sample, TaskSpec, Verdict

#: A change is significant below this p-value (the ``*`` in the tables, the regression gate).
SIGNIFICANCE = 0.05
#: How far (in points) a task formula may be from 100 x the pooled mean of 0/1 sample scores and still count as
#: that mean: the official per-file numbers are rounded to 2 decimals of a percentage (at most 0.005 off each).
POOLED_TOLERANCE = 0.011
#: Seeded resamples on which the pooled-mean check must also hold, so that an equality by coincidence on the
#: observed data (a weighted formula whose groups happen to score alike) does not pick McNemar.
FORMULA_CHECKS = 5

Method = Literal["mcnemar", "paired-bootstrap", "none"]
#: variant id -> that variant's evidence rows (``samples/<task>/<variant>.jsonl``, as ``RunDir.variant_rows`` reads).
Rows = Mapping[str, Sequence[Mapping[str, Any]]]
#: variant id -> (samples, verdicts), scored samples only, in the same sample order for both runs.
Scored = dict[str, tuple[list[Sample], list[Verdict]]]


@dataclass(frozen=True)
class PairedResult:
    """The paired test of one task or group between run A and run B.

    Attributes:
        delta: score B - score A (points) on the paired samples; NaN when it cannot be computed.
        p_value: two-sided p-value; None when no test was made (``note`` says why).
        method: ``mcnemar``, ``paired-bootstrap`` or ``none``.
        n: how many samples were paired (summed over variants and tasks).
        note: why no test was made, or what the test left out (samples scored in one run only).
    """

    delta: float
    p_value: float | None
    method: Method
    n: int
    note: str = ""

    @property
    def significant(self) -> bool:
        return self.p_value is not None and self.p_value < SIGNIFICANCE


def no_test(why: str, delta: float = math.nan, n: int = 0) -> PairedResult:
    return PairedResult(delta, None, "none", n, why)


def _identity(row: Mapping[str, Any]) -> tuple[Any, ...]:
    refs = tuple(image.get("ref") if isinstance(image, Mapping) else image for image in row.get("images") or ())
    return row.get("prompt"), row.get("system"), refs


def sample_mismatch(spec: TaskSpec, rows_a: Rows, rows_b: Rows) -> str | None:
    """Why the two runs did not answer the same samples of ``spec`` (None when they did)."""
    for variant in spec.variants:
        a = {row["id"]: _identity(row) for row in rows_a.get(variant.id, ())}
        b = {row["id"]: _identity(row) for row in rows_b.get(variant.id, ())}
        if not a or not b:
            return f"{spec.id}/{variant.id}: no evidence rows in run {'A' if not a else 'B'}"
        if set(a) != set(b):
            only = sorted(set(a) ^ set(b))
            return f"{spec.id}/{variant.id}: different sample ids ({len(only)} in one run only, e.g. {only[0]})"
        for sample_id in sorted(a):
            if a[sample_id] != b[sample_id]:
                what = ("prompt", "system prompt", "image refs")
                differs = [w for w, x, y in zip(what, a[sample_id], b[sample_id], strict=True) if x != y]
                return f"sample {sample_id}: different {', '.join(differs)}"
    return None


def align(spec: TaskSpec, rows_a: Rows, rows_b: Rows) -> tuple[Scored, Scored, int]:
    """Both runs' samples scored in both, per variant in run A's order; and how many were scored in one only."""
    paired_a: Scored = {}
    paired_b: Scored = {}
    unpaired = 0
    for variant in spec.variants:
        samples_a, verdicts_a = scored_rows(rows_a.get(variant.id, ()))
        samples_b, verdicts_b = scored_rows(rows_b.get(variant.id, ()))
        in_b = {s.id: i for i, s in enumerate(samples_b)}
        keep = [(i, in_b[s.id]) for i, s in enumerate(samples_a) if s.id in in_b]
        unpaired += len(samples_a) + len(samples_b) - 2 * len(keep)
        paired_a[variant.id] = ([samples_a[i] for i, _ in keep], [verdicts_a[i] for i, _ in keep])
        paired_b[variant.id] = ([samples_b[j] for _, j in keep], [verdicts_b[j] for _, j in keep])
    return paired_a, paired_b, unpaired


def paired_samples(spec: TaskSpec, rows_a: Rows, rows_b: Rows) -> tuple[Scored, Scored, int] | str:
    """:func:`align` once the runs are known to have the same samples, each variant with one pair at least; else
    why the task cannot be tested."""
    mismatch = sample_mismatch(spec, rows_a, rows_b)
    if mismatch:
        return f"not the same samples: {mismatch}"
    a, b, unpaired = align(spec, rows_a, rows_b)
    empty = [vid for vid, (samples, _) in a.items() if not samples]
    if empty:
        return f"{spec.id}/{empty[0]}: no sample scored in both runs"
    return a, b, unpaired


def task_score_of(spec: TaskSpec, scored: Scored, pick: Mapping[str, Sequence[int]] | None = None) -> float:
    """The task formula on the scored samples (or on the ``pick`` indices of each variant); NaN if it cannot run."""
    metrics = {}
    try:
        for variant_id, (samples, verdicts) in scored.items():
            chosen = pick[variant_id] if pick is not None else range(len(samples))
            metrics[variant_id] = spec.variant_metrics([samples[i] for i in chosen], [verdicts[i] for i in chosen])
        return float(spec.task_score(metrics))
    except Exception:  # a formula undefined on this draw (e.g. a test statistic): not measured
        return math.nan


def paired_replicates(
    spec: TaskSpec, a: Scored, b: Scored, seed: int, replicates: int = DEFAULT_REPLICATES
) -> tuple[np.ndarray, np.ndarray]:
    """The task score of each run on ``replicates`` joint resamples (the same indices for both runs)."""
    draws = {
        vid: resample_indices(seed, spec.id, vid, len(samples), replicates) for vid, (samples, _) in sorted(a.items())
    }
    score_a = np.empty(replicates)
    score_b = np.empty(replicates)
    for r in range(replicates):
        pick = {vid: indices[r] for vid, indices in draws.items()}
        score_a[r] = task_score_of(spec, a, pick)
        score_b[r] = task_score_of(spec, b, pick)
    return score_a, score_b


def bootstrap_p(differences: np.ndarray) -> float | None:
    """Two-sided share of replicate differences crossing 0 (add-one corrected); None when too many are NaN."""
    finite = differences[np.isfinite(differences)]
    if finite.size == 0 or finite.size < differences.size * (1 - MAX_UNMEASURED_SHARE):
        return None
    below = int(np.count_nonzero(finite <= 0))
    above = int(np.count_nonzero(finite >= 0))
    return min(1.0, 2 * (1 + min(below, above)) / (int(finite.size) + 1))


def mcnemar_p(worse: int, better: int) -> float:
    """Exact McNemar: two-sided binomial test of ``better`` successes in ``worse + better`` discordant pairs."""
    if worse + better == 0:
        return 1.0
    from scipy.stats import binomtest

    return float(binomtest(better, worse + better, 0.5, alternative="two-sided").pvalue)


def _pooled_rate_formula(spec: TaskSpec, a: Scored, b: Scored, seed: int) -> bool:
    """Whether every sample score is 0 or 1 and the task score is 100 x their pooled mean (see the module doc)."""
    scores = [v.score for run in (a, b) for _, verdicts in run.values() for v in verdicts]
    if not scores or any(s not in (0.0, 1.0) for s in scores):
        return False
    checks = paired_picks(a, seed, spec.id, FORMULA_CHECKS)
    for run in (a, b):
        for pick in [None, *checks]:
            chosen = [
                verdicts[i].score
                for vid, (_, verdicts) in run.items()
                for i in (pick[vid] if pick is not None else range(len(verdicts)))
            ]
            pooled = 100 * sum(s or 0.0 for s in chosen) / len(chosen)
            if not math.isclose(task_score_of(spec, run, pick), pooled, abs_tol=POOLED_TOLERANCE):
                return False
    return True


def paired_picks(scored: Scored, seed: int, task_id: str, count: int) -> list[dict[str, Sequence[int]]]:
    """``count`` resamples of every variant's indices, from a stream apart from the bootstrap's."""
    draws = {
        vid: resample_indices(seed, f"{task_id}:formula-check", vid, len(s), count) for vid, (s, _) in scored.items()
    }
    return [{vid: list(indices[r]) for vid, indices in draws.items()} for r in range(count)]


def paired_task_test(
    spec: TaskSpec, rows_a: Rows, rows_b: Rows, seed: int, replicates: int = DEFAULT_REPLICATES
) -> PairedResult:
    """The paired test of one task between run A and run B from their evidence rows (``variant id -> rows``).

    McNemar when the task is a pooled rate of 0/1 sample scores, else the paired bootstrap (module doc). No test
    (``method="none"``, ``note`` says why) when the runs answered different samples or none was scored in both.
    """
    paired = paired_samples(spec, rows_a, rows_b)
    if isinstance(paired, str):
        return no_test(paired)
    a, b, unpaired = paired
    n = sum(len(samples) for samples, _ in a.values())
    note = f"{unpaired} sample(s) scored in one run only left out" if unpaired else ""
    delta = task_score_of(spec, b) - task_score_of(spec, a)
    if math.isnan(delta):
        return no_test(f"{spec.id}: not measured on the paired samples (its formula gives no number)", n=n)
    if _pooled_rate_formula(spec, a, b, seed):
        pairs = [(va.score, vb.score) for vid in a for va, vb in zip(a[vid][1], b[vid][1], strict=True)]
        worse = sum(1 for x, y in pairs if x == 1.0 and y == 0.0)
        better = sum(1 for x, y in pairs if x == 0.0 and y == 1.0)
        return PairedResult(delta, mcnemar_p(worse, better), "mcnemar", n, note)
    score_a, score_b = paired_replicates(spec, a, b, seed, replicates)
    p_value = bootstrap_p(score_b - score_a)
    if p_value is None:
        return no_test(f"{spec.id}: too many bootstrap replicates not measured", delta, n)
    return PairedResult(delta, p_value, "paired-bootstrap", n, note)


def group_scores(task_scores: Mapping[str, Any], key: str) -> Any:
    """A sub-aspect (``safety/toxicity``), aspect (``safety``) or ``overall`` score from task scores (numbers or
    arrays of replicates), with the weights of :mod:`pytest_multitrust.aggregation`: a sub-aspect is the weighted
    mean of its tasks present, an aspect the mean of its sub-aspects, overall the mean of all ten (unrounded).
    None when no task of the group is given."""
    values = []
    for sub in SUB_ASPECTS:
        if key not in (sub.id, sub.aspect, "overall"):
            continue
        weights = sub.weights or tuple(1.0 for _ in sub.tasks)
        parts = [(task_scores[t], w) for t, w in zip(sub.tasks, weights, strict=True) if t in task_scores]
        if parts:
            values.append(sum(score * w for score, w in parts) / sum(w for _, w in parts))
    return sum(values) / len(values) if values else None
