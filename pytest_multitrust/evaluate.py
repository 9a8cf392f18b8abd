"""The object behind the ``multitrust`` fixture: evaluate one variant inside a test."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from pytest_multitrust.aggregation import format_score
from pytest_multitrust.data.official import OfficialDataError
from pytest_multitrust.models.cache import CachingModel
from pytest_multitrust.runner import DataUnavailable, SampleRecord, VariantRun, run_variant
from pytest_multitrust.session import PROPERTY_KEY

if TYPE_CHECKING:
    from pytest_multitrust.models.protocol import Model
    from pytest_multitrust.settings import Settings
    from pytest_multitrust.spec import TaskSpec, Variant

#: How many of the worst samples a failure message shows.
WORST_IN_MESSAGE = 3


class BackendErrors(Exception):
    """Too many samples of a variant errored in the backend for its score to mean anything."""


def _short(text: str, width: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _describe_record(record: SampleRecord) -> str:
    if record.error is not None:
        return f"  {record.sample.id}: ERROR {record.error}"
    verdict = dict(record.verdict.values) if record.verdict else {}
    return f"  {record.sample.id}: {_short(record.response.text)!r} -> {verdict}"


class MultiTrust:
    """Evaluates task variants against the session's model and records the results.

    One instance per test. ``evaluate`` sends all samples of the variant to the model as one batch, scores
    them, writes per-sample evidence, records the variant metrics for the session's scoreboard, and fails the
    test when the variant's score is below its threshold.
    """

    def __init__(
        self,
        settings: Settings,
        model: Callable[[], Model],
        judge: Callable[[], Model | None],
        user_properties: list[tuple[str, object]],
        allure: bool,
    ) -> None:
        self.settings = settings
        self._model = model
        self._judge = judge
        self._user_properties = user_properties
        self._allure = allure
        self.pending_error: BackendErrors | None = None

    def evaluate(self, spec: TaskSpec, variant: Variant) -> VariantRun:
        """Run ``variant`` of ``spec`` and check its score against the threshold.

        Raises:
            pytest.skip.Exception: the chosen data source has no samples for this variant.
            pytest.fail.Exception: the variant score is below its threshold (message lists the worst samples).
        """
        model = self._model()
        cache = model if isinstance(model, CachingModel) else None
        before = cache.stats.as_dict() if cache else {"hits": 0, "misses": 0}
        try:
            judge = self._judge() if spec.llm_judges.get(variant.id) else None
            run = run_variant(
                spec, variant, model, self.settings.data, self.settings.limit, judge, self.settings.refusal_list
            )
        except DataUnavailable as exc:
            pytest.skip(str(exc))
        except OfficialDataError as exc:
            pytest.fail(str(exc), pytrace=False)
        after = cache.stats.as_dict() if cache else {"hits": 0, "misses": 0}
        threshold = self.settings.thresholds.for_task(spec.id)

        from pytest_multitrust.report.evidence import json_safe, write_variant_evidence

        evidence = write_variant_evidence(self.settings.report_dir, run)
        record: dict[str, Any] = {
            "task": spec.id,
            "variant": variant.id,
            "metrics": run.metrics,
            "score": run.score,
            "threshold": threshold,
            "samples": len(run.records),
            "errors": run.errors,
            "judges": run.judges,
            "cache": {k: after[k] - before[k] for k in after},
            "model": model.describe(),
            "judge_model": judge.describe() if judge is not None else None,
        }
        self._user_properties.append((PROPERTY_KEY, record))
        if self._allure:
            from pytest_multitrust.report.allure_evidence import attach_variant

            attach_variant(run, threshold, self.settings.allure_samples)

        if run.error_rate > self.settings.max_error_rate:
            first = next(r.error for r in run.records if r.error)
            self.pending_error = BackendErrors(
                f"{spec.id} {variant.id}: {run.errors}/{len(run.records)} samples errored (limit "
                f"{self.settings.max_error_rate:.0%}); first: {first}. Evidence: {evidence}"
            )
            return run
        if math.isnan(run.score) or run.score < threshold:
            worst = "\n".join(_describe_record(r) for r in run.worst(WORST_IN_MESSAGE))
            pytest.fail(
                f"{spec.id} {variant.id}: score {format_score(run.score)} < threshold {threshold:g} "
                f"(metrics {json_safe(run.metrics)}; {len(run.records)} samples, {run.errors} errors)\n"
                f"worst samples:\n{worst}\nevidence: {evidence}",
                pytrace=False,
            )
        return run
