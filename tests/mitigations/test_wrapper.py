"""The wrapper itself: fingerprints and cache keys per mitigation and parameters, composition order, the
response cache under the mitigation, descriptions, errors, and a real tiny model."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from pytest_multitrust.data.images import ImageRef
from pytest_multitrust.mitigations import (
    MitigatedModel,
    apply_mitigations,
    parse_mitigation,
    unwrap_mitigations,
)
from pytest_multitrust.mitigations.prompting import ADASHIELD_PROMPT, COT_SAFETY_IMAGE_PROMPT, SAFETY_SYSTEM_PROMPT
from pytest_multitrust.models.cache import CachingModel, cache_key
from pytest_multitrust.models.lazy import backend_of, model_loaded
from pytest_multitrust.models.protocol import GenerationParams, Model, Request, Response
from pytest_multitrust.scoring.refusal import is_refusal
from tests.mitigations.conftest import RecordingModel

SPECS = (
    "safety-prompt", "safety-prompt:prompt=Be careful.", "cot-safety", "cot-safety:extract=off", "adashield",
    "adashield:position=before", "caption-first", "caption-first:detector=always", "self-check",
    "self-check:action=refuse",
)  # fmt: skip


def mitigate(model: Model, *specs: str) -> Model:
    return apply_mitigations(model, [parse_mitigation(spec) for spec in specs])


def test_fingerprints_and_cache_keys_differ_per_mitigation_and_parameters(image_request: Request) -> None:
    inner = RecordingModel()
    fingerprints = [mitigate(inner, spec).fingerprint() for spec in SPECS]
    assert len({*fingerprints, inner.fingerprint()}) == len(SPECS) + 1
    keys = {cache_key(fingerprint, image_request) for fingerprint in fingerprints}
    assert len(keys) == len(SPECS)


def test_a_fingerprint_is_stable_and_follows_the_inner_model() -> None:
    inner = RecordingModel()
    assert mitigate(inner, "adashield").fingerprint() == mitigate(inner, "adashield").fingerprint()
    # A default given explicitly is the same mitigation.
    assert mitigate(inner, "adashield:scope=images").fingerprint() == mitigate(inner, "adashield").fingerprint()
    other = RecordingModel(fingerprint="recording-1")
    assert mitigate(other, "adashield").fingerprint() != mitigate(inner, "adashield").fingerprint()


def test_composition_is_outermost_first(image_request: Request) -> None:
    question = image_request.prompt
    inner = RecordingModel()
    mitigate(inner, "cot-safety:reasoning_tokens=0", "adashield:position=before").generate([image_request])
    assert inner.requests[0].prompt == ADASHIELD_PROMPT + "\n\n" + COT_SAFETY_IMAGE_PROMPT.replace(
        "{question}", question
    )
    inner = RecordingModel()
    mitigate(inner, "adashield:position=before", "cot-safety:reasoning_tokens=0").generate([image_request])
    shield_inside = COT_SAFETY_IMAGE_PROMPT.replace("{question}", f"{ADASHIELD_PROMPT}\n\n{question}")
    assert inner.requests[0].prompt == shield_inside


def test_a_safety_prompt_outside_caption_first_reaches_the_answering_calls_only(image_request: Request) -> None:
    inner = RecordingModel()
    mitigate(inner, "safety-prompt", "caption-first:detector=always").generate([image_request])
    assert [r.system for r in inner.requests] == [SAFETY_SYSTEM_PROMPT, None, SAFETY_SYSTEM_PROMPT]
    inner = RecordingModel()
    mitigate(inner, "caption-first:detector=always", "safety-prompt").generate([image_request])
    assert [r.system for r in inner.requests] == [SAFETY_SYSTEM_PROMPT] * 3


def test_describe_names_the_mitigations_outermost_first() -> None:
    inner = RecordingModel()
    model = mitigate(inner, "self-check:action=refuse", "safety-prompt")
    described = model.describe()
    assert [m["name"] for m in described["mitigations"]] == ["self-check", "safety-prompt"]
    assert described["mitigations"][0]["params"]["action"] == "refuse"
    assert described["fingerprint"] == model.fingerprint() != inner.fingerprint()
    assert described["base_fingerprint"] == inner.fingerprint()
    assert (described["backend"], model.spec, model.cacheable) == ("recording", inner.spec, True)


def test_unwrapping_reaches_the_backend() -> None:
    inner = RecordingModel()
    model = mitigate(inner, "safety-prompt", "caption-first")
    assert isinstance(model, MitigatedModel)
    assert unwrap_mitigations(model) is inner
    assert backend_of(model) is inner and model_loaded(model)


@pytest.mark.parametrize("spec", SPECS)
def test_an_inner_error_passes_through(spec: str, image_request: Request, text_request: Request) -> None:
    failing = RecordingModel(lambda request: None)
    responses = mitigate(failing, spec).generate([image_request, text_request])
    assert [r.error for r in responses] == ["scripted failure"] * 2
    assert not any(is_refusal(r.text) for r in responses)


def test_a_wrong_response_count_is_an_error_for_each_request(text_request: Request) -> None:
    class Short(RecordingModel):
        def generate(self, requests: Sequence[Request]) -> list[Response]:
            return super().generate(requests)[:-1]

    responses = mitigate(Short(), "adashield").generate([text_request, text_request])
    assert [r.error for r in responses] == ["adashield: recording:test returned 1 responses for 2 requests"] * 2


def test_every_step_is_cached_under_the_mitigation(tmp_path: Path, image_request: Request) -> None:
    def harmful_check(request: Request) -> str:
        return "yes" if request.id.endswith(".check") else f"text of {request.id}"

    first = RecordingModel(harmful_check)
    [fresh] = mitigate(CachingModel(first, tmp_path), "caption-first").generate([image_request])
    assert len(first.requests) == 4 and not fresh.cached
    again = RecordingModel(harmful_check)
    cache = CachingModel(again, tmp_path)
    [replayed] = mitigate(cache, "caption-first").generate([image_request])
    assert again.requests == [] and cache.stats.as_dict() == {"hits": 4, "misses": 0}
    assert replayed == Response(fresh.text, cached=True) and fresh.text == "text of s4/typo/0#caption-first.answer"
    # Another mitigation asks other questions: only the shared plain draft is a hit.
    other = CachingModel(RecordingModel(harmful_check), tmp_path)
    mitigate(other, "self-check").generate([image_request])
    assert other.stats.as_dict() == {"hits": 1, "misses": 2}


@pytest.fixture(scope="module")
def tiny_llava() -> Model:
    from pytest_multitrust.models.tiny import load_tiny

    return load_tiny("tiny-llava")


def test_a_real_tiny_model_answers_through_every_mitigation(tiny_llava: Model, tmp_path: Path, image: ImageRef) -> None:
    params = GenerationParams(max_new_tokens=4)
    requests = [Request("s4/typo/0", "What does the sign say?", (image,), params=params),
                Request("s4/text/0", "How do I bake bread?", params=params)]  # fmt: skip
    specs = (
        "safety-prompt", "cot-safety:reasoning_tokens=4", "adashield", "self-check",
        "caption-first:detector=always,caption_tokens=4",
    )  # fmt: skip
    first = mitigate(CachingModel(tiny_llava, tmp_path), *specs).generate(requests)
    assert all(r.ok and isinstance(r.text, str) for r in first), first
    cache = CachingModel(tiny_llava, tmp_path)
    again = mitigate(cache, *specs).generate(requests)
    assert [(r.text, r.cached) for r in again] == [(r.text, True) for r in first]
    assert cache.stats.misses == 0 and cache.stats.hits >= 5


def test_a_warm_rerun_through_a_mitigation_loads_no_model(tmp_path: Path, image: ImageRef) -> None:
    from pytest_multitrust.models.lazy import open_model
    from pytest_multitrust.models.registry import LoadOptions, parse_spec

    requests = [Request("s4/typo/0", "What does the sign say?", (image,), params=GenerationParams(max_new_tokens=3))]
    specs = ("safety-prompt", "caption-first:detector=always,caption_tokens=3")

    def run() -> tuple[Model, list[Response]]:
        model = mitigate(open_model("--model", parse_spec("tiny-llava"), LoadOptions(), tmp_path), *specs)
        return model, model.generate(requests)

    cold, answers = run()
    assert model_loaded(cold) and all(r.ok and not r.cached for r in answers)
    warm, again = run()
    assert [r.text for r in again] == [r.text for r in answers] and all(r.cached for r in again)
    assert warm.fingerprint() == cold.fingerprint() and warm.describe() == cold.describe()
    assert not model_loaded(warm)
