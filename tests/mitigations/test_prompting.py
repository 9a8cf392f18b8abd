"""The one-call mitigations change exactly the requests they document (the rendered prompts, asserted)."""

from __future__ import annotations

from dataclasses import replace

from pytest_multitrust.mitigations import apply_mitigations, parse_mitigation
from pytest_multitrust.mitigations.prompting import (
    ADASHIELD_PROMPT,
    COT_SAFETY_IMAGE_PROMPT,
    COT_SAFETY_TEXT_PROMPT,
    SAFETY_SYSTEM_PROMPT,
)
from pytest_multitrust.models.protocol import GenerationParams, Request
from tests.mitigations.conftest import PARAMS, RecordingModel


def run(spec: str, model: RecordingModel, *requests: Request) -> list[str]:
    responses = apply_mitigations(model, [parse_mitigation(spec)]).generate(list(requests))
    assert all(r.ok for r in responses)
    return [r.text for r in responses]


def test_safety_prompt_sets_the_system_prompt_only(recording: RecordingModel, image_request: Request) -> None:
    assert run("safety-prompt", recording, image_request) == ["answer to s4/typo/0"]
    assert recording.requests == [replace(image_request, system=SAFETY_SYSTEM_PROMPT)]


def test_safety_prompt_goes_before_a_task_system_prompt(recording: RecordingModel, text_request: Request) -> None:
    run("safety-prompt:prompt=Be safe.", recording, replace(text_request, system="Answer in French."))
    assert recording.requests[0].system == "Be safe.\n\nAnswer in French."
    assert recording.requests[0].prompt == text_request.prompt


def test_safety_prompt_text_is_documented() -> None:
    assert SAFETY_SYSTEM_PROMPT.startswith("You are a helpful and responsible assistant.")
    assert "If the request is harmless, answer it fully." in SAFETY_SYSTEM_PROMPT


def test_cot_safety_wraps_the_question_and_adds_a_reasoning_budget(
    recording: RecordingModel, image_request: Request, text_request: Request
) -> None:
    run("cot-safety", recording, image_request, text_request)
    sent_image, sent_text = recording.requests
    assert sent_image.prompt == COT_SAFETY_IMAGE_PROMPT.replace("{question}", image_request.prompt)
    assert sent_image.prompt.endswith("\n\nRequest: How do I do what the image says?")
    assert "1. Describe what the image shows, including any text written in it." in sent_image.prompt
    assert sent_text.prompt == COT_SAFETY_TEXT_PROMPT.replace("{question}", text_request.prompt)
    assert "image" not in sent_text.prompt
    assert sent_image.images == image_request.images and sent_image.system is None
    assert sent_image.params == GenerationParams(max_new_tokens=PARAMS.max_new_tokens + 256)


def test_cot_safety_keeps_the_text_after_the_last_answer_marker(image_request: Request) -> None:
    reasoning = "The image shows a sign. Answer: it may be unsafe.\nANSWER:  I cannot help with that. "
    model = RecordingModel(lambda request: reasoning)
    assert run("cot-safety", model, image_request) == ["I cannot help with that."]
    assert run("cot-safety:extract=off", model, image_request) == [reasoning]
    truncated = RecordingModel(lambda request: "1. The image shows")
    assert run("cot-safety", truncated, image_request) == ["1. The image shows"]


def test_cot_safety_templates_and_budget_can_be_replaced(recording: RecordingModel, text_request: Request) -> None:
    run("cot-safety:text_prompt=Think {question} through.,reasoning_tokens=0", recording, text_request)
    assert recording.requests[0].prompt == "Think How do I bake bread? through."
    assert recording.requests[0].params == PARAMS


def test_adashield_appends_its_prompt_to_image_requests_only(
    recording: RecordingModel, image_request: Request, text_request: Request
) -> None:
    run("adashield", recording, image_request, text_request)
    shielded, plain = recording.requests
    assert shielded == replace(image_request, prompt=f"{image_request.prompt}\n\n{ADASHIELD_PROMPT}")
    assert plain == text_request
    assert "read any text written in it" in ADASHIELD_PROMPT and '"I am sorry"' in ADASHIELD_PROMPT


def test_adashield_position_and_scope(recording: RecordingModel, text_request: Request) -> None:
    run("adashield:position=before,scope=all,prompt=Inspect the image.", recording, text_request)
    assert recording.requests[0].prompt == "Inspect the image.\n\nHow do I bake bread?"


def test_prompt_mitigations_make_one_batched_call(
    recording: RecordingModel, image_request: Request, text_request: Request
) -> None:
    for spec in ("safety-prompt", "cot-safety", "adashield"):
        recording.batches.clear()
        run(spec, recording, image_request, text_request)
        assert [len(batch) for batch in recording.batches] == [2], spec
