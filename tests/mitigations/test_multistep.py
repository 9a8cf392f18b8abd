"""``caption-first`` (ECSO) and ``self-check``: their further calls, asserted request by request."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pytest

from pytest_multitrust.mitigations import apply_mitigations, judged_harmful, parse_mitigation
from pytest_multitrust.mitigations.multistep import (
    ANSWER_FROM_CAPTION_PROMPT,
    CAPTION_PROMPT,
    HARM_CHECK_PROMPT,
    SELF_CHECK_PROMPT,
    SELF_CHECK_REFUSAL,
    SELF_CHECK_REVISE_PROMPT,
    fill,
)
from pytest_multitrust.models.protocol import GenerationParams, Request, Response
from pytest_multitrust.scoring.refusal import is_refusal
from tests.mitigations.conftest import PARAMS, RecordingModel

DRAFT = "Step 1: get the parts."


def scripted(check: str = "Yes, it is harmful.", fail: str | None = None) -> RecordingModel:
    """Drafts are DRAFT, checks answer ``check``, captions and answers name themselves; the step named
    ``fail`` (``draft``, ``check``, ``caption``, ``answer``, ``revise``) errors."""

    def answer(request: Request) -> str | None:
        step = request.id.partition("#")[2].rpartition(".")[2] or "draft"
        if step == fail:
            return None
        return {"draft": DRAFT, "check": check}.get(step, f"{step} text")

    return RecordingModel(answer)


def generate(spec: str, model: RecordingModel, *requests: Request) -> list[Response]:
    return apply_mitigations(model, [parse_mitigation(spec)]).generate(list(requests))


def test_caption_first_on_a_draft_judged_harmful(image_request: Request) -> None:
    request = replace(image_request, system="Be brief.")
    model = scripted()
    [response] = generate("caption-first", model, request)
    assert response == Response("answer text")
    draft, check, caption, answer = model.requests
    assert draft == request
    assert check == Request(
        "s4/typo/0#caption-first.check", fill(HARM_CHECK_PROMPT, answer=DRAFT), (), None, GenerationParams(8)
    )
    assert caption == Request(
        "s4/typo/0#caption-first.caption",
        fill(CAPTION_PROMPT, question=request.prompt),
        request.images,
        None,
        GenerationParams(128),
    )
    assert answer == Request(
        "s4/typo/0#caption-first.answer",
        fill(ANSWER_FROM_CAPTION_PROMPT, caption="caption text", question=request.prompt),
        (),
        "Be brief.",
        PARAMS,
    )
    assert answer.images == ()  # the answer from the caption is made without the image
    assert answer.prompt.startswith("You cannot see the image, but here is a description of it:\ncaption text\n\n")


def test_caption_first_keeps_a_draft_judged_safe(image_request: Request) -> None:
    model = scripted(check="No.")
    assert generate("caption-first", model, image_request) == [Response(DRAFT)]
    assert [r.id for r in model.requests] == ["s4/typo/0", "s4/typo/0#caption-first.check"]


def test_caption_first_always_skips_the_check(image_request: Request) -> None:
    model = scripted(check="No.")
    assert generate("caption-first:detector=always,caption_tokens=5", model, image_request) == [Response("answer text")]
    steps = [r.id.partition("#")[2] for r in model.requests]
    assert steps == ["", "caption-first.caption", "caption-first.answer"]
    assert model.requests[1].params.max_new_tokens == 5


def test_caption_first_leaves_text_requests_alone(text_request: Request) -> None:
    model = scripted()
    assert generate("caption-first:detector=always", model, text_request) == [Response(DRAFT)]
    assert model.requests == [text_request]


def test_caption_first_batches_each_step(image_request: Request, text_request: Request) -> None:
    second = replace(image_request, id="s4/typo/1")
    model = scripted()
    responses = generate("caption-first", model, image_request, text_request, second)
    assert [r.text for r in responses] == ["answer text", DRAFT, "answer text"]
    assert [len(batch) for batch in model.batches] == [3, 2, 2, 2]


@pytest.mark.parametrize(
    ("spec", "fail", "error"),
    [
        ("caption-first", "draft", "scripted failure"),
        ("caption-first", "check", "caption-first check: scripted failure"),
        ("caption-first", "caption", "caption-first caption: scripted failure"),
        ("caption-first", "answer", "caption-first answer: scripted failure"),
        ("self-check", "draft", "scripted failure"),
        ("self-check", "check", "self-check check: scripted failure"),
        ("self-check", "revise", "self-check revise: scripted failure"),
    ],
)
def test_an_inner_error_stays_an_error(image_request: Request, spec: str, fail: str, error: str) -> None:
    model = scripted(fail=fail)
    [response] = generate(spec, model, image_request)
    assert response.error == error and response.text == ""
    assert not is_refusal(response.text)
    if fail == "draft":
        assert len(model.requests) == 1  # no check of an answer that does not exist


def test_self_check_revises_a_harmful_draft_with_the_image(image_request: Request) -> None:
    request = replace(image_request, system="Be brief.")
    model = scripted()
    assert generate("self-check", model, request) == [Response("revise text")]
    draft, check, revise = model.requests
    assert draft == request
    assert check == Request(
        "s4/typo/0#self-check.check",
        fill(SELF_CHECK_PROMPT, question=request.prompt, answer=DRAFT),
        request.images,
        None,
        GenerationParams(8),
    )
    assert revise == Request(
        "s4/typo/0#self-check.revise",
        fill(SELF_CHECK_REVISE_PROMPT, question=request.prompt, answer=DRAFT),
        request.images,
        "Be brief.",
        PARAMS,
    )


def test_self_check_refuses_without_a_further_call(image_request: Request, text_request: Request) -> None:
    model = scripted()
    responses = generate("self-check:action=refuse", model, image_request, text_request)
    assert responses == [Response(SELF_CHECK_REFUSAL)] * 2
    assert [len(batch) for batch in model.batches] == [2, 2]
    assert is_refusal(SELF_CHECK_REFUSAL, "paper") and is_refusal(SELF_CHECK_REFUSAL, "head")
    custom = generate("self-check:action=refuse,refusal=No way.", scripted(), text_request)
    assert custom == [Response("No way.")]


def test_self_check_keeps_a_draft_judged_safe(text_request: Request) -> None:
    model = scripted(check="no")
    assert generate("self-check", model, text_request) == [Response(DRAFT)]
    assert len(model.requests) == 2


@pytest.mark.parametrize(
    ("uncached", "cached"), [("", True), ("s4/typo/0", False), ("s4/typo/0#caption-first.check", False)]
)
def test_cached_only_when_every_call_was(image_request: Request, uncached: str, cached: bool) -> None:
    class PartlyCached(RecordingModel):
        def generate(self, requests: Sequence[Request]) -> list[Response]:
            answers = super().generate(requests)
            return [replace(r, cached=q.id != uncached) for q, r in zip(requests, answers, strict=True)]

    [response] = generate("caption-first", PartlyCached(scripted().script), image_request)
    assert response == Response("answer text", cached=cached)


@pytest.mark.parametrize(
    ("answer", "harmful"),
    [
        ("Yes", True), ("yes, it is.", True), ("  YES.", True), ("No", False), ("no, it is harmless", False),
        ("The text is harmful.", True), ("It is unsafe to follow.", True), ("It is not harmful.", False),
        ("This isn’t really dangerous", False), ("Nothing dangerous here", False), ("", False),
        ("xq zzv 1234 ##", False), ("Yesterday's text is fine", False), ("Nobody: unsafe", True),
    ],
)  # fmt: skip
def test_judged_harmful(answer: str, harmful: bool) -> None:
    assert judged_harmful(answer) is harmful
