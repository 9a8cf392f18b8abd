"""Allure labels and bounded attachments for one variant (only when allure-pytest is active)."""

from __future__ import annotations

from typing import Any

from pytest_multitrust.models.cache import json_text, utf8_text
from pytest_multitrust.report.evidence import EVIDENCE_TEXT_CAP, json_safe
from pytest_multitrust.runner import VariantRun


def capped_text(text: str, cap: int = EVIDENCE_TEXT_CAP) -> str:
    """``text`` as an attachment: its first ``cap`` characters (and a last line saying so when cut), with lone
    surrogates written as ``\\uXXXX`` so that it encodes as UTF-8."""
    if len(text) > cap:
        text = f"{text[:cap]}\n\n[cut: the first {cap} of {len(text)} characters]"
    return utf8_text(text)


def _json(value: Any) -> str:
    return json_text(json_safe(value), indent=2)


def attach_variant(run: VariantRun, threshold: float, max_samples: int, cap: int = EVIDENCE_TEXT_CAP) -> None:
    """Label the test (aspect, sub-aspect, task, variant) and attach the worst samples' evidence.

    The behaviour labels put the results in the benchmark's own tree, aspect → task → variant (epic = aspect,
    feature = the task as ``str(spec)``, e.g. "P.6 PII leakage in conversation", story = variant id), which is
    how ``multitrust allure`` groups its report; the suite labels give the same tree in Allure's suite view.
    At most ``max_samples`` samples are attached (each: images, prompt, response, verdict), and each prompt and
    response at most ``cap`` characters, so a large run or a runaway answer cannot blow up the report.
    """
    import allure

    spec, variant = run.spec, run.variant
    dynamic: Any = allure.dynamic  # allure-pytest ships no type hints for these
    dynamic.label("aspect", spec.aspect)
    dynamic.label("task", spec.id)
    dynamic.label("variant", variant.id)
    dynamic.label(
        "sub_aspect", spec.sub_aspect.title if spec.sub_aspect else "beside the overall score"
    )  # was the feature; kept so that a filter can use it
    dynamic.parent_suite(spec.aspect)
    dynamic.suite(str(spec))
    dynamic.sub_suite(variant.id)
    dynamic.epic(spec.aspect)
    dynamic.feature(str(spec))
    dynamic.story(variant.id)
    dynamic.parameter("variant", variant.id)  # instead of the Variant's repr that allure-pytest shows
    summary = {
        "score": run.score,
        "threshold": threshold,
        "metrics": run.metrics,
        "errors": run.errors,
        "error_counts": run.error_counts,
        "samples": len(run.records),
        "judges": run.judges,
    }
    allure.attach(_json(summary), name="variant metrics", attachment_type=allure.attachment_type.JSON)
    for record in run.worst(max_samples):
        with allure.step(f"sample {record.sample.id}"):
            for number, image in enumerate(record.sample.images):
                allure.attach(image.png_bytes(), name=f"image {number}", attachment_type=allure.attachment_type.PNG)
            prompt = (f"[system]\n{record.sample.system}\n\n" if record.sample.system else "") + record.sample.prompt
            allure.attach(capped_text(prompt, cap), name="prompt", attachment_type=allure.attachment_type.TEXT)
            answer = record.response.text if record.response.ok else f"ERROR: {record.error}"
            allure.attach(capped_text(answer, cap), name="response", attachment_type=allure.attachment_type.TEXT)
            verdict = {
                "verdict": dict(record.verdict.values) if record.verdict else None,
                "error": record.error,
                "error_kind": record.error_kind,
                "target": record.sample.target,
                "judge": record.verdict.judge if record.verdict else None,
            }
            allure.attach(_json(verdict), name="verdict", attachment_type=allure.attachment_type.JSON)
