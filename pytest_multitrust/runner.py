"""Run one variant of a task: build samples, one batch to the model, score, compute the variant metrics.

No pytest here: the fixture in ``evaluate.py`` wraps this with evidence, recording and the threshold check.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from pytest_multitrust.data.sample_cache import SampleCache, sample_key
from pytest_multitrust.judges.base import JudgeParseError, LLMJudge
from pytest_multitrust.models.protocol import Model, Request, Response
from pytest_multitrust.progress import Progress, chunks
from pytest_multitrust.scoring.refusal import RefusalList, refusal_list
from pytest_multitrust.spec import (
    TRIVIAL_ANSWERS,
    DataOptions,
    Metrics,
    PrepareContext,
    PrepareUnavailable,
    Sample,
    TaskSpec,
    Variant,
    Verdict,
)
from pytest_multitrust.timing import CLOCK


class DataUnavailable(Exception):
    """The chosen data source has no samples for this variant (e.g. no official loader yet)."""


#: Where a sample's error happened: the model's backend, the LLM judge, or the task's rule scorer.
ErrorKind = Literal["backend", "judge", "scorer"]
ERROR_KINDS: tuple[ErrorKind, ...] = ("backend", "judge", "scorer")


@dataclass(frozen=True)
class SampleRecord:
    """One sample with what the model said and how it was judged (``verdict`` None when it errored).

    Errors are kept by where they happened, so that a replay of the run replays only the backend's: the
    backend's is ``response.error``; ``scorer_error`` and ``judge_error`` name the scorer or judge that failed.
    """

    sample: Sample
    response: Response
    verdict: Verdict | None
    scorer_error: str | None = None
    judge_error: str | None = None
    judge_output: str | None = None

    @property
    def backend_error(self) -> str | None:
        return self.response.error

    @property
    def error_kind(self) -> ErrorKind | None:
        """Where the sample's error happened. A sample has at most one: one the backend failed is not scored,
        and the LLM judge, where a task has one, replaces the rule scorer."""
        if self.response.error is not None:
            return "backend"
        if self.scorer_error is not None:
            return "scorer"
        return "judge" if self.judge_error is not None else None

    @property
    def error(self) -> str | None:
        """Any error, prefixed with where it happened (``backend: ...``, ``scorer t1: ...``, ``judge ...: ...``)."""
        if self.response.error is not None:
            return f"backend: {self.response.error}"
        return self.scorer_error if self.scorer_error is not None else self.judge_error

    def as_json(self) -> dict[str, Any]:
        """The whole record as JSON-able values (``error``: any error; then each kind in its own field)."""
        return {
            "id": self.sample.id,
            "system": self.sample.system,
            "prompt": self.sample.prompt,
            "images": [{"ref": image.ref, "source": image.source} for image in self.sample.images],
            "target": self.sample.target,
            "extra": dict(self.sample.extra),
            "response": self.response.text if self.response.ok else None,
            "cached": self.response.cached,
            "error": self.error,
            "backend_error": self.backend_error,
            "judge_error": self.judge_error,
            "scorer_error": self.scorer_error,
            "verdict": dict(self.verdict.values) if self.verdict else None,
            "sample_score": self.verdict.score if self.verdict else None,
            "judge": self.verdict.judge if self.verdict else None,
            "judge_output": self.judge_output,
        }


@dataclass(frozen=True)
class VariantRun:
    """The outcome of one variant: per-sample records, the official per-file metrics and a 0–100 score."""

    spec: TaskSpec
    variant: Variant
    records: tuple[SampleRecord, ...]
    metrics: dict[str, float]
    score: float
    #: The variant metrics each of the task's trivial answers gets on the same (scored) samples.
    baselines: dict[str, Metrics] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        """Samples left without a verdict by any error (backend, judge or scorer)."""
        return sum(1 for r in self.records if r.error is not None)

    @property
    def error_counts(self) -> dict[ErrorKind, int]:
        """How many samples errored in the backend, the judge and the scorer (they add up to :attr:`errors`)."""
        kinds = [r.error_kind for r in self.records]
        return {kind: kinds.count(kind) for kind in ERROR_KINDS}

    @property
    def error_rate(self) -> float:
        return self.errors / len(self.records) if self.records else 0.0

    @property
    def judges(self) -> list[str]:
        return sorted({r.verdict.judge for r in self.records if r.verdict})

    def worst(self, count: int) -> list[SampleRecord]:
        """The worst answers (errors first, then the lowest sample scores), in a stable order."""

        def badness(record: SampleRecord) -> float:
            if record.verdict is None:
                return 2.0
            return 1.0 - (record.verdict.score if record.verdict.score is not None else 1.0)

        bad = [r for r in self.records if badness(r) > 0]
        return sorted(bad, key=lambda r: (-badness(r), r.sample.id))[:count]


def build_samples(
    spec: TaskSpec, variant: Variant, data: DataOptions, limit: int | None, cache: SampleCache | None = None
) -> list[Sample]:
    """The variant's samples from the chosen source, the first ``limit`` of them (from ``cache`` when it has
    them; else built, and stored there)."""
    key = sample_key(spec, variant, data) if cache is not None else ""
    if cache is not None:
        found = cache.load(key, limit)
        if found is not None:
            return found
    if data.source == "official":
        if spec.official is None:
            raise DataUnavailable(
                f"{spec.id} {variant.id}: no loader for the official data layout yet; use --data builtin"
            )
        samples = spec.official(variant, data)
    else:
        samples = spec.builtin(variant, replace(data, limit=limit))
    if not samples:
        raise DataUnavailable(f"{spec.id} {variant.id}: the {data.source} data has no samples for this variant")
    kept = samples[:limit] if limit else samples
    for sample in kept:  # decode the kept images now (official ones are lazy): a broken file fails here
        for image in sample.images:
            _ = image.sha256
    if cache is not None:
        # A generator that stopped at the limit leaves the variant's full length unknown.
        complete = data.source == "official" or not limit or len(samples) < limit
        cache.store(key, len(samples) if complete else None, kept)
    return kept


def score_responses(spec: TaskSpec, samples: Sequence[Sample], responses: Sequence[Response]) -> list[SampleRecord]:
    """Judge each answered sample with the task's rule; a backend error or a scorer crash stays an error."""
    records = []
    for sample, response in zip(samples, responses, strict=True):
        if not response.ok:
            records.append(SampleRecord(sample, response, None))
            continue
        try:
            verdict = spec.score_sample(sample, response.text)
        except Exception as exc:  # a scorer bug must not cost the other samples
            error = f"scorer {spec.id}: {type(exc).__name__}: {exc}"
            records.append(SampleRecord(sample, response, None, scorer_error=error))
            continue
        records.append(SampleRecord(sample, response, verdict))
    return records


def judge_responses(judge: LLMJudge, judge_model: Model, records: Sequence[SampleRecord]) -> list[SampleRecord]:
    """Replace the rule verdicts of answered samples with the LLM judge's; its failures become judge errors.

    The judge stands in for the rule scorer, so a sample sent to it carries no scorer error: at most one error,
    the judge's.
    """
    answered = [r for r in records if r.response.ok]
    requests = [
        Request(f"{r.sample.id}/judge", judge.prompt(r.sample, r.response.text), (), None, judge.generation)
        for r in answered
    ]
    outputs = dict(zip((r.sample.id for r in answered), judge_model.generate(requests), strict=True))
    label = f"llm:{judge_model.spec}:{judge.name}"
    judged = []
    for record in records:
        output = outputs.get(record.sample.id)
        if output is None:  # the model errored: nothing to judge
            judged.append(record)
            continue
        sent = replace(record, scorer_error=None)
        if not output.ok:
            judged.append(replace(sent, verdict=None, judge_error=f"judge {label}: {output.error}"))
            continue
        try:
            parsed = judge.parse(output.text)
            verdict = replace(judge.verdict(sent.sample, sent.response.text, parsed), judge=label)
        except JudgeParseError as exc:
            error = f"judge {label}: {exc}"
            judged.append(replace(sent, verdict=None, judge_error=error, judge_output=output.text))
            continue
        except Exception as exc:  # a verdict bug must not cost the other samples, as in score_responses
            error = f"judge {label}: {type(exc).__name__}: {exc}"
            judged.append(replace(sent, verdict=None, judge_error=error, judge_output=output.text))
            continue
        judged.append(replace(sent, verdict=verdict, judge_output=output.text))
    return follow_up(judge, judge_model, judged, label) if judge.followup is not None else judged


def follow_up(judge: LLMJudge, judge_model: Model, records: Sequence[SampleRecord], label: str) -> list[SampleRecord]:
    """The judge's second call (``judge.followup``) for every record the first gave a verdict, its raw answer
    combined into that verdict; a failed call becomes a judge error. ``judge_output`` keeps both answers."""
    step = judge.followup
    assert step is not None
    asked = [r for r in records if r.verdict is not None]
    requests = [
        Request(f"{r.sample.id}/judge-2", step.prompt(r.sample, r.response.text), (), None, step.generation)
        for r in asked
    ]
    outputs = dict(zip((r.sample.id for r in asked), judge_model.generate(requests), strict=True))
    final = []
    for record in records:
        output = outputs.get(record.sample.id)
        if output is None or record.verdict is None:
            final.append(record)
            continue
        if not output.ok:
            error = f"judge {label} ({step.name}): {output.error}"
            final.append(replace(record, verdict=None, judge_error=error))
            continue
        both = f"{record.judge_output}\n[{step.name}] {output.text}"
        try:
            verdict = replace(step.combine(record.verdict, output.text), judge=record.verdict.judge)
        except Exception as exc:  # a combine bug must not cost the other samples
            error = f"judge {label} ({step.name}): {type(exc).__name__}: {exc}"
            final.append(replace(record, verdict=None, judge_error=error, judge_output=both))
            continue
        final.append(replace(record, verdict=verdict, judge_output=both))
    return final


def trivial_baselines(spec: TaskSpec, samples: Sequence[Sample]) -> dict[str, Metrics]:
    """The variant metrics of each trivial answer of ``spec`` on ``samples``, scored with the rule scorer.

    A baseline the scorer cannot score (it raised) is left out: it has no number, so it cannot be the best;
    without samples there are no baselines at all.
    """
    found: dict[str, Metrics] = {}
    if not samples:
        return found
    for name in spec.baselines.names:
        answer = TRIVIAL_ANSWERS[name]
        try:
            verdicts = [spec.score_sample(sample, answer) for sample in samples]
            found[name] = spec.variant_metrics(samples, verdicts)
        except Exception:  # a scorer that rejects a trivial answer gives that baseline no number
            continue
    return found


def run_variant(
    spec: TaskSpec,
    variant: Variant,
    model: Model,
    data: DataOptions,
    limit: int | None,
    judge_model: Model | None = None,
    refusals: RefusalList = "paper",
    sample_cache: SampleCache | None = None,
    prepare: PrepareContext | None = None,
    progress: Callable[[str, int], Progress] | None = None,
) -> VariantRun:
    """Samples -> one batch to the model -> verdicts (rule, or the LLM judge when given) -> variant metrics.

    ``refusals`` is the refusal keyword list every refusal-template check uses while this variant is scored.
    ``sample_cache`` reuses built samples; ``prepare`` is what the task's ``prepare`` step (if any) may use;
    ``progress`` makes the :class:`~pytest_multitrust.progress.Progress` the answered samples are reported to
    (the requests then go to the model in chunks).
    Each step's time goes to its phase of :data:`timing.CLOCK`.

    Raises:
        PrepareUnavailable: the task has a ``prepare`` step and it cannot run here (or no context was given).
    """
    with CLOCK.phase("samples"):
        samples = build_samples(spec, variant, data, limit, sample_cache)
        if spec.prepare is not None:
            if prepare is None:
                raise PrepareUnavailable(f"{spec.id} {variant.id}: this task needs a prepare context to run")
            samples = spec.prepare(variant, samples, prepare)
    requests = [Request(s.id, s.prompt, s.images, s.system, spec.generation) for s in samples]
    with CLOCK.phase("generate"):
        if progress is None:
            responses = model.generate(requests)
        else:
            meter = progress(f"{spec.id} {variant.id}", len(requests))
            responses = []
            for chunk in chunks(requests):
                responses.extend(model.generate(chunk))
                meter.advance(len(chunk))
            meter.finish()
    if len(responses) != len(requests):
        raise RuntimeError(f"{model.spec} returned {len(responses)} responses for {len(requests)} requests")
    with refusal_list(refusals):
        with CLOCK.phase("scoring"):
            records = score_responses(spec, samples, responses)
        judge = spec.llm_judges.get(variant.id)
        if judge is not None and judge_model is not None:
            with CLOCK.phase("judge"):
                records = judge_responses(judge, judge_model, records)
        with CLOCK.phase("scoring"):
            scored = [r for r in records if r.verdict is not None]
            metrics = spec.variant_metrics([r.sample for r in scored], [r.verdict for r in scored if r.verdict])
            baselines = trivial_baselines(spec, [r.sample for r in scored])
    score = spec.variant_score(metrics) if scored else math.nan
    return VariantRun(spec, variant, tuple(records), metrics, score, baselines)
