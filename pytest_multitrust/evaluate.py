"""The object behind the ``multitrust`` fixture: evaluate one variant inside a test."""

from __future__ import annotations

import math
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

from pytest_multitrust.aggregation import best_trivial, clears, format_score, trivial_scores
from pytest_multitrust.data.official import OfficialDataError
from pytest_multitrust.data.sample_cache import SampleCache
from pytest_multitrust.judges.classifiers import remember_results_in
from pytest_multitrust.models.cache import caching_layer, utf8_text
from pytest_multitrust.models.lazy import model_loaded
from pytest_multitrust.models.protocol import ModelLoadError
from pytest_multitrust.models.replay import ReplayFileError
from pytest_multitrust.progress import Progress
from pytest_multitrust.runner import DataUnavailable, SampleRecord, VariantRun, run_variant
from pytest_multitrust.session import PROPERTY_KEY
from pytest_multitrust.spec import PrepareContext, PrepareUnavailable
from pytest_multitrust.timing import CLOCK, since

if TYPE_CHECKING:
    from pytest_multitrust.models.protocol import Model
    from pytest_multitrust.settings import Settings
    from pytest_multitrust.spec import TaskSpec, Variant

#: How many of the worst samples a failure message shows.
WORST_IN_MESSAGE = 3


class BackendErrors(Exception):
    """Too many samples of a variant errored for its score to mean anything.

    Counted against ``--max-error-rate``: every sample left without a verdict, whether the model's backend, the
    LLM judge or the task's scorer failed on it (the score would stand on the other samples only).
    """


def _short(text: str, width: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _describe_record(record: SampleRecord) -> str:
    if record.error is not None:
        return f"  {record.sample.id}: ERROR {_short(record.error, 400)}"
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
        uncaptured: Callable[[], AbstractContextManager[object]] | None = None,
        worker: str | None = None,
    ) -> None:
        self.settings = settings
        self._uncaptured = uncaptured
        self._worker = worker
        self._model = model
        self._judge = judge
        self._user_properties = user_properties
        self._allure = allure
        self.pending_error: BackendErrors | None = None

    def _record(self, spec: TaskSpec, variant: Variant, status: str, reason: str | None, **fields: Any) -> None:
        """Put the variant's result on the test report, whatever happened to it (the gate needs all of them)."""
        from pytest_multitrust.session import remember_spec

        record = {"task": spec.id, "variant": variant.id, "status": status, "reason": reason,
                  "spec": remember_spec(spec)} | fields  # fmt: skip
        self._user_properties.append((PROPERTY_KEY, record))

    def _fail_errored(self, spec: TaskSpec, variant: Variant, message: str, threshold: float) -> NoReturn:
        """Record the variant as errored and fail the test with ``message`` alone (no traceback, no chain)."""
        self._record(spec, variant, "errored", message, threshold=threshold)
        raise pytest.fail.Exception(message, pytrace=False) from None

    def _prepare_context(self, model: Model) -> PrepareContext:
        """What a task's ``prepare`` step gets: the model under test's encoder, or the ``--surrogate`` ones."""
        from pytest_multitrust.attacks.context import AttackContext
        from pytest_multitrust.mitigations.registry import unwrap_mitigations

        settings = self.settings
        # Adversarial images are computed on the model's own encoder, which a mitigation does not change.
        inner = unwrap_mitigations(model)
        return AttackContext(inner, settings.surrogates, settings.data.seed, settings.cache_dir, settings.attack_args)

    def evaluate(self, spec: TaskSpec, variant: Variant) -> VariantRun:
        """Run ``variant`` of ``spec`` and check its score against the threshold and the trivial baselines.

        Raises:
            pytest.skip.Exception: the chosen data source has no samples for this variant (recorded as missing).
            pytest.fail.Exception: the official data or the replay file is malformed (recorded as errored; one line),
                or the variant score is below its threshold or does not clear its best trivial baseline (the
                message lists the worst samples).
        """
        threshold = self.settings.thresholds.for_task(spec.id)
        clock_before = CLOCK.snapshot()
        try:
            model = self._model()
        except ReplayFileError as exc:  # one line naming the file and line, not the loader's traceback
            self._fail_errored(spec, variant, str(exc), threshold)
        cache = caching_layer(model)
        before = cache.stats.as_dict() if cache else {"hits": 0, "misses": 0}
        samples_cache = SampleCache(self.settings.cache_dir) if self.settings.cache_dir is not None else None
        remember_results_in(self.settings.cache_dir / "classifiers" if self.settings.cache_dir is not None else None)
        try:
            judge = self._judge() if spec.llm_judges.get(variant.id) else None
            run = run_variant(
                spec,
                variant,
                model,
                self.settings.data,
                self.settings.limit,
                judge,
                self.settings.refusal_list,
                samples_cache,
                self._prepare_context(model),
                lambda label, total: Progress(label, total, uncaptured=self._uncaptured, worker=self._worker),
            )
        except DataUnavailable as exc:
            self._record(spec, variant, "missing", str(exc), threshold=threshold)
            pytest.skip(str(exc))
        except (OfficialDataError, ReplayFileError, ModelLoadError, PrepareUnavailable) as exc:
            self._fail_errored(spec, variant, str(exc), threshold)
        after = cache.stats.as_dict() if cache else {"hits": 0, "misses": 0}

        from pytest_multitrust.report.evidence import json_safe, write_variant_evidence

        with CLOCK.phase("reporting"):
            evidence = write_variant_evidence(self.settings.report_dir, run)
            if self._allure:
                from pytest_multitrust.report.allure_evidence import attach_variant

                attach_variant(run, threshold, self.settings.allure_samples)
        over_budget = run.error_rate > self.settings.max_error_rate
        reason = None
        if over_budget:
            first = next(r.error for r in run.records if r.error)
            where = ", ".join(f"{count} {kind}" for kind, count in run.error_counts.items() if count)
            reason = utf8_text(
                f"{run.errors}/{len(run.records)} samples errored (limit {self.settings.max_error_rate:.0%}): "
                f"{where}; first: {_short(first, 400)}"
            )
        self._record(
            spec,
            variant,
            "errored" if over_budget else "scored",
            reason,
            metrics=run.metrics,
            score=run.score,
            threshold=threshold,
            samples=len(run.records),
            errors=run.errors,
            error_counts=run.error_counts,
            judges=run.judges,
            baselines=run.baselines,
            cache={k: after[k] - before[k] for k in after},
            sample_cache={"hits": samples_cache.hits, "misses": samples_cache.misses} if samples_cache else None,
            model=model.describe(),
            judge_model=judge.describe() if judge is not None else None,
            model_loaded=model_loaded(model),
            phases=since(clock_before),
        )
        if over_budget:
            # An error, not a failure: the score of a variant this broken means nothing and is not recorded.
            self.pending_error = BackendErrors(f"{spec.id} {variant.id}: {reason}. Evidence: {evidence}")
            return run
        problem = None
        if math.isnan(run.score) or run.score < threshold:
            problem = f"score {format_score(run.score)} < threshold {threshold:g}"
        else:
            trivial = variant_trivial(spec, run)
            if trivial is not None:
                problem = (
                    f"score {format_score(run.score)} does not clear its trivial baseline "
                    f"{trivial[0]} {format_score(trivial[1])}"
                )
        if problem:
            worst = "\n".join(_describe_record(r) for r in run.worst(WORST_IN_MESSAGE))
            pytest.fail(
                utf8_text(
                    f"{spec.id} {variant.id}: {problem} "
                    f"(metrics {json_safe(run.metrics)}; {len(run.records)} samples, {run.errors} errors)\n"
                    f"worst samples:\n{worst}\nevidence: {evidence}"
                ),
                pytrace=False,
            )
        return run


def variant_trivial(spec: TaskSpec, run: VariantRun) -> tuple[str, float] | None:
    """The best trivial baseline the variant's score does not clear, if the task must clear them; else None."""
    if not spec.baselines.must_clear:
        return None
    names = spec.baselines.names
    best = best_trivial(trivial_scores(names, lambda name: spec.variant_score(run.baselines[name])), names)
    return best if best is not None and not clears(run.score, best[1]) else None
