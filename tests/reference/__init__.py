"""Scripted answers per task (``ideal``, ``refuse_all``, ``comply_all``...) and the scores they must give."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from pytest_multitrust.spec import DataOptions, Sample, TaskSpec


def built_samples(spec: TaskSpec, seed: int = 0) -> dict[str, list[Sample]]:
    """Every variant's full built-in sample list."""
    return {variant.id: spec.builtin(variant, DataOptions(seed=seed)) for variant in spec.variants}


def official_samples(spec: TaskSpec, root: Path, variant_id: str, seed: int = 0) -> list[Sample]:
    """A variant's samples read by the task's official loader from ``root`` (a tree in the official layout)."""
    assert spec.official is not None, f"{spec.id} has no official loader"
    return spec.official(spec.variant(variant_id), DataOptions(seed=seed, source="official", data_dir=root))


def scripted_scores(
    spec: TaskSpec, answer: Callable[[Sample], str], built: Mapping[str, Sequence[Sample]] | None = None
) -> tuple[dict[str, dict[str, float]], float]:
    """Score ``answer(sample)`` for every sample through the task's own functions: (variant metrics, task score)."""
    metrics = {
        variant_id: spec.variant_metrics(samples, [spec.score_sample(s, answer(s)) for s in samples])
        for variant_id, samples in (built or built_samples(spec)).items()
    }
    return metrics, spec.task_score(metrics)
