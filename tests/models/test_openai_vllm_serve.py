"""The ``openai`` backend against a real ``vllm serve`` of a tiny Idefics3: the scale-out path.

One server per module (it takes ~40 s to start on 2 cores). While it starts, the ``vllm`` offline engine answers
the same requests in the driver subprocess: greedy answers over HTTP must equal the offline engine's, text and
image requests alike, with 8 requests in flight at once. Then the real suite runs against the server with two
xdist workers, the recipe the README gives for one engine and many clients.

Under xdist, ``--dist loadfile`` keeps this module on one worker, so one server starts; with the default
``load`` distribution every worker that gets one of its tests starts its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from pytest_multitrust.data.images import ImageRef
from pytest_multitrust.models.openai import OpenAIModel
from pytest_multitrust.models.protocol import GenerationParams, Request
from pytest_multitrust.models.registry import LoadOptions, load_model, parse_spec

from ..conftest import scores
from ..servers.vllm_server import VLLMServer, driver_job, require_vllm, run_driver, vllm_serve
from .conftest import SHORT, noise_image

SERVED_NAME = "tiny-idefics3"


def serve_requests() -> list[Request]:
    """Eight different requests: text only (with and without a system prompt), one and two images."""
    images: list[ImageRef] = [noise_image(f"serve-{i}", (48 + 16 * i, 64 - 8 * i)) for i in range(4)]
    return [
        Request("serve/text", "What is the capital of France?", params=SHORT),
        Request("serve/image", "Describe it.", (images[0],), params=SHORT),
        Request("serve/2", "Describe it.", (images[1],), params=SHORT),
        Request("serve/3", "Tell me a story.", system="You are terse.", params=SHORT),
        Request("serve/4", "Compare the two images.", (images[2], images[3]), params=SHORT),
        Request("serve/5", "Is this safe?", (images[3],), system="You are a careful assistant.", params=SHORT),
        Request("serve/6", "Hi", params=GenerationParams(max_new_tokens=24)),
        Request("serve/7", "What colour dominates?", (images[1],), params=GenerationParams(max_new_tokens=24)),
    ]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[VLLMServer, list[str]]]:
    """``vllm serve`` on a tiny Idefics3, and the offline engine's answers to :func:`serve_requests`."""
    require_vllm()
    from pytest_multitrust.models.tiny_zoo import save_tiny_family

    work = tmp_path_factory.mktemp("vllm-serve")
    folder = save_tiny_family("idefics3", work / "idefics3", seed=0)
    job = driver_job(f"vllm:{folder}", serve_requests(), work)
    with ThreadPoolExecutor(max_workers=1) as pool:
        offline = pool.submit(run_driver, [job], work)
        with vllm_serve(folder, name=SERVED_NAME, log=work / "serve.log") as server:
            (result,) = offline.result()
            answers = [r["text"] for r in result["responses"]]
            assert [r["error"] for r in result["responses"]] == [None] * len(answers)
            yield server, answers


def connect(server: VLLMServer, **args: str) -> OpenAIModel:
    """The backend as ``--model openai:<served name> --model-arg base_url=...`` loads it."""
    spec = parse_spec(f"openai:{server.model}")
    model = load_model(spec, LoadOptions(args={"base_url": server.base_url, "max_retries": "0", **args}))
    assert isinstance(model, OpenAIModel)
    return model


def answered(responses: list[Any]) -> list[str]:
    """The texts, every response having succeeded (the offline backend strips its answers; so do we)."""
    assert [r.error for r in responses] == [None] * len(responses)
    return [r.text.strip() for r in responses]


def test_a_text_request_equals_the_offline_engine(served: tuple[VLLMServer, list[str]]) -> None:
    server, offline = served
    (text,) = answered(connect(server).generate(serve_requests()[:1]))
    assert text == offline[0]
    assert len(text) >= 4


def test_an_image_request_equals_the_offline_engine(served: tuple[VLLMServer, list[str]]) -> None:
    server, offline = served
    (text,) = answered(connect(server).generate(serve_requests()[1:2]))
    assert text == offline[1]
    # The image reaches the model: the same prompt on another image is answered differently.
    assert offline[1] != offline[2]


def test_eight_concurrent_requests_equal_the_offline_engine(served: tuple[VLLMServer, list[str]]) -> None:
    server, offline = served
    model = connect(server, concurrency="8")
    assert answered(model.generate(serve_requests())) == offline


def test_the_suite_runs_against_the_server_with_two_workers(
    served: tuple[VLLMServer, list[str]], suite: pytest.Pytester
) -> None:
    server, _ = served
    result = suite.runpytest_subprocess(
        "trusttests",
        f"--model=openai:{server.model}",
        "--model-arg",
        f"base_url={server.base_url}",
        "-n",
        "2",
        "--limit",
        "2",
        "--task",
        "p6",
        "-p",
        "no:cacheprovider",
    )
    # Random weights may fail the gate (exit 1), but no sample may error on the way.
    assert result.ret in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED), result.stdout.str()[-3000:]
    outcomes = result.parseoutcomes()
    assert outcomes.get("errors", 0) == 0
    assert outcomes.get("passed", 0) + outcomes.get("failed", 0) >= 2
    board = scores(suite, model=SERVED_NAME)
    assert set(board["tasks"]) == {"p6"}
    assert board["tasks"]["p6"]["score"] is not None
    assert board["manifest"]["model_info"]["backend"] == "openai"
