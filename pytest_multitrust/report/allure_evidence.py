"""Allure labels and bounded attachments for one variant (only when allure-pytest is active)."""

from __future__ import annotations

import json
from typing import Any

from pytest_multitrust.report.evidence import json_safe
from pytest_multitrust.runner import VariantRun


def attach_variant(run: VariantRun, threshold: float, max_samples: int) -> None:
    """Label the test (aspect, sub-aspect, task, variant) and attach the worst samples' evidence.

    At most ``max_samples`` samples are attached (each: images, prompt, response, verdict), so a large run
    cannot blow up the report.
    """
    import allure

    spec, variant = run.spec, run.variant
    dynamic: Any = allure.dynamic  # allure-pytest ships no type hints for these
    dynamic.label("aspect", spec.aspect)
    dynamic.label("task", spec.id)
    dynamic.label("variant", variant.id)
    dynamic.parent_suite(spec.aspect)
    dynamic.suite(str(spec))
    dynamic.sub_suite(variant.id)
    dynamic.feature(spec.sub_aspect.title)
    dynamic.story(str(spec))
    summary = {
        "score": run.score,
        "threshold": threshold,
        "metrics": run.metrics,
        "errors": run.errors,
        "samples": len(run.records),
        "judges": run.judges,
    }
    allure.attach(
        json.dumps(json_safe(summary), indent=2), name="variant metrics", attachment_type=allure.attachment_type.JSON
    )
    for record in run.worst(max_samples):
        with allure.step(f"sample {record.sample.id}"):
            for number, image in enumerate(record.sample.images):
                allure.attach(image.png_bytes(), name=f"image {number}", attachment_type=allure.attachment_type.PNG)
            prompt = (f"[system]\n{record.sample.system}\n\n" if record.sample.system else "") + record.sample.prompt
            allure.attach(prompt, name="prompt", attachment_type=allure.attachment_type.TEXT)
            answer = record.response.text if record.response.ok else f"ERROR: {record.error}"
            allure.attach(answer, name="response", attachment_type=allure.attachment_type.TEXT)
            verdict = {
                "verdict": dict(record.verdict.values) if record.verdict else None,
                "error": record.error,
                "target": record.sample.target,
                "judge": record.verdict.judge if record.verdict else None,
            }
            allure.attach(
                json.dumps(json_safe(verdict), indent=2), name="verdict", attachment_type=allure.attachment_type.JSON
            )
