"""Seeded bootstrap confidence intervals over samples, for every score the board reports.

For a task, each replicate draws every variant's scored samples with replacement (as many as it has,
independently per variant, from a stream seeded by the run's seed, the task and the variant), recomputes the
variant's official per-file metrics (``TaskSpec.variant_metrics``) on the draw, and applies the official
formulas to the result: the variant score to each variant, the task formula to all of them. Sub-aspects,
aspects and the overall score average the task replicates with the same weights as the point estimates
(:mod:`pytest_multitrust.aggregation`). The interval is the 2.5th–97.5th percentile of the replicates (numpy's
linear interpolation), so every interval contains or nearly contains its point estimate and is the same for the
same seed, samples and code, whatever the worker count.

The inputs are the per-sample evidence files the workers wrote (``samples/<task>/<variant>.jsonl``): each row
holds the sample's target and extra facts and its verdict's values, which is all an official metric reads. The
rows are checked first: the metrics recomputed from all of them must equal the metrics the run recorded, else
the variant (and so its task) gets no interval rather than one computed from something else. A replicate whose
formula cannot run or gives NaN counts as not measured; more than :data:`MAX_UNMEASURED_SHARE` of those and
there is no interval either.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from pytest_multitrust.aggregation import DEFAULT_REPLICATES
from pytest_multitrust.spec import Metrics, Sample, TaskSpec, Verdict

#: A confidence level of 95%: the percentiles of the replicates that bound the interval.
PERCENTILES = (2.5, 97.5)
#: Version of the cached replicates' format and method.
BOOTSTRAP_SCHEMA = 1
#: More unmeasured replicates than this share, and a score has no interval.
MAX_UNMEASURED_SHARE = 0.05


@dataclass(frozen=True)
class TaskReplicates:
    """The bootstrap replicates of one task's scores (NaN where a replicate could not be measured).

    Attributes:
        task: the task formula on each replicate.
        variants: variant id -> the variant score on each replicate.
        why_none: variant id -> why it has no replicates (its evidence does not reproduce its metrics...).
    """

    task: tuple[float, ...] = ()
    variants: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    why_none: Mapping[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"task": list(self.task), "variants": {k: list(v) for k, v in self.variants.items()},
                "why_none": dict(self.why_none)}  # fmt: skip

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TaskReplicates:
        return cls(
            tuple(float(x) for x in data["task"]),
            {k: tuple(float(x) for x in v) for k, v in data["variants"].items()},
            dict(data["why_none"]),
        )


def interval(replicates: Sequence[float]) -> list[float] | None:
    """The 95% percentile interval of ``replicates``; None when there are none or too many are unmeasured."""
    values = np.asarray(replicates, dtype=float)
    if values.size == 0:
        return None
    finite = values[np.isfinite(values)]
    if finite.size < values.size * (1 - MAX_UNMEASURED_SHARE) or finite.size == 0:
        return None
    low, high = np.percentile(finite, PERCENTILES)
    return [float(low), float(high)]


def resample_indices(seed: int, task_id: str, variant_id: str, n: int, replicates: int) -> np.ndarray:
    """``replicates`` x ``n`` sample indices drawn with replacement, from a stream of (seed, task, variant)."""
    digest = hashlib.sha256(f"bootstrap:{seed}:{task_id}:{variant_id}".encode()).digest()
    rng = np.random.default_rng(int.from_bytes(digest[:8], "little"))
    return rng.integers(0, n, size=(replicates, n)) if n else np.zeros((replicates, 0), dtype=np.int64)


def scored_rows(rows: Iterable[Mapping[str, Any]]) -> tuple[list[Sample], list[Verdict]]:
    """The samples and verdicts of a variant's evidence rows, scored rows only (as the metrics were computed)."""
    samples: list[Sample] = []
    verdicts: list[Verdict] = []
    for row in rows:
        if row.get("verdict") is None:
            continue
        samples.append(
            Sample(row["id"], row["prompt"], row.get("target"), (), row.get("system"), row.get("extra") or {})
        )
        verdicts.append(Verdict(row["verdict"], row.get("sample_score"), row.get("judge") or ""))
    return samples, verdicts


def read_scored_rows(path: Path) -> tuple[list[Sample], list[Verdict]]:
    """:func:`scored_rows` of a variant's evidence file."""
    return scored_rows(_rows(path))


#: The fields of an evidence row that a variant's metrics can read (the cache key of its intervals).
_SCORED_FIELDS = ("id", "prompt", "system", "target", "extra", "verdict", "sample_score", "judge")


def _rows(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def same_metrics(left: Mapping[str, float], right: Mapping[str, float]) -> bool:
    """Equal keys and values (NaN equals NaN; None, JSON's NaN, too; floats within 1e-9)."""
    if set(left) != set(right):
        return False
    for key, a in left.items():
        b = right[key]
        a = math.nan if a is None else float(a)
        b = math.nan if b is None else float(b)
        if not (math.isnan(a) and math.isnan(b)) and not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9):
            return False
    return True


def _score(function: Any, value: Any) -> float:
    try:
        result = float(function(value))
    except Exception:  # a formula that cannot run on a replicate: that replicate is not measured
        return math.nan
    return result


def task_replicates(
    spec: TaskSpec,
    evidence: Mapping[str, tuple[Sequence[Sample], Sequence[Verdict]]],
    recorded: Mapping[str, Mapping[str, float]],
    seed: int,
    replicates: int = DEFAULT_REPLICATES,
) -> TaskReplicates:
    """Bootstrap one task from its variants' evidence (``variant id -> (samples, verdicts)``, every variant).

    ``recorded`` holds the metrics the run recorded per variant, which the evidence must reproduce.
    """
    draws: dict[str, list[Metrics | None]] = {}
    why: dict[str, str] = {}
    for variant_id, (samples, verdicts) in sorted(evidence.items()):
        try:
            again = spec.variant_metrics(samples, verdicts)
        except Exception as exc:
            why[variant_id] = f"its metrics cannot be recomputed from the evidence ({type(exc).__name__})"
            continue
        if not same_metrics(again, recorded.get(variant_id, {})):
            why[variant_id] = "the evidence does not reproduce its recorded metrics"
            continue
        indices = resample_indices(seed, spec.id, variant_id, len(samples), replicates)
        column: list[Metrics | None] = []
        for row in indices:
            try:
                column.append(spec.variant_metrics([samples[i] for i in row], [verdicts[i] for i in row]))
            except Exception:  # e.g. a test statistic undefined on this draw: not measured
                column.append(None)
        draws[variant_id] = column
    variant_scores = {
        vid: tuple(math.nan if m is None else _score(spec.variant_score, m) for m in column)
        for vid, column in draws.items()
    }
    task: tuple[float, ...] = ()
    if not why and draws:
        per_replicate = []
        for b in range(replicates):
            metrics = {vid: column[b] for vid, column in draws.items()}
            if any(m is None for m in metrics.values()):
                per_replicate.append(math.nan)
            else:
                per_replicate.append(_score(spec.task_score, metrics))
        task = tuple(per_replicate)
    return TaskReplicates(task, variant_scores, why)


def run_replicates(
    records: Sequence[Mapping[str, Any]],
    specs: Mapping[str, TaskSpec],
    report_dir: Path,
    seed: int,
    replicates: int = DEFAULT_REPLICATES,
    cache_dir: Path | None = None,
) -> dict[str, TaskReplicates]:
    """The replicates of every task whose variants were all scored, from the run's evidence files.

    Each task's result is cached under ``<cache_dir>/bootstrap`` by the bytes of its evidence, its recorded
    metrics, the seed, the number of replicates and the scoring code, so a warm rerun does not redo it.
    """
    from pytest_multitrust.models.cache import json_text, write_atomic
    from pytest_multitrust.provenance import code_digest
    from pytest_multitrust.report.evidence import samples_path

    by_task: dict[str, dict[str, Mapping[str, Any]]] = {}
    for record in records:
        by_task.setdefault(record["task"], {})[record["variant"]] = record
    code = code_digest("tasks", "scoring") if cache_dir is not None else ""
    found: dict[str, TaskReplicates] = {}
    for task_id, got in sorted(by_task.items()):
        spec = specs.get(task_id)
        if spec is None or {v.id for v in spec.variants} != set(got):
            continue
        if any(r.get("status") != "scored" or r.get("metrics") is None for r in got.values()):
            continue
        paths = {vid: samples_path(report_dir, task_id, vid) for vid in got}
        if not all(path.is_file() for path in paths.values()):
            continue
        digest = hashlib.sha256(f"{BOOTSTRAP_SCHEMA}:{task_id}:{seed}:{replicates}:{code}".encode())
        rows_by_variant = {vid: _rows(paths[vid]) for vid in sorted(paths)}
        for vid, rows in rows_by_variant.items():
            # What the metrics read, not the file's bytes: a warm rerun rewrites its evidence with other
            # ``cached`` flags, and must still find its intervals.
            scored = [[r.get(k) for k in _SCORED_FIELDS] for r in rows]
            digest.update(json_text([vid, scored, got[vid]["metrics"]], sort_keys=True).encode())
        cached = cache_dir / "bootstrap" / f"{digest.hexdigest()}.json" if cache_dir is not None else None
        if cached is not None and cached.is_file():
            try:
                found[task_id] = TaskReplicates.from_json(json.loads(cached.read_text(encoding="utf-8")))
                continue
            except (ValueError, KeyError, TypeError):  # a damaged entry is recomputed
                pass
        evidence = {vid: scored_rows(rows) for vid, rows in rows_by_variant.items()}
        recorded = {vid: record["metrics"] for vid, record in got.items()}
        result = task_replicates(spec, evidence, recorded, seed, replicates)
        found[task_id] = result
        if cached is not None:
            write_atomic(cached, json_text(result.as_json(), allow_nan=True).encode())
    return found
