"""The ``openai`` backend against a real local HTTP server that answers, fails, stalls and garbles on request."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from pytest_multitrust.models.cache import CachingModel
from pytest_multitrust.models.openai import OpenAIModel, load
from pytest_multitrust.models.openai_replies import redact_secret
from pytest_multitrust.models.protocol import GenerationParams, Model, Request, Response
from pytest_multitrust.models.registry import LoadOptions, load_model, parse_spec, validate_args

from ..servers.fault_server import FaultServer, reply_for
from .conftest import SHORT, noise_image

KEY = "sk-multitrust-test-4f1c9a7e2b"
KEY_ENV = "MULTITRUST_TEST_OPENAI_KEY"
MODEL = "test-model"


@pytest.fixture
def server() -> Iterator[FaultServer]:
    """A fresh fault server that wants ``KEY``; stopping it also releases hanging requests."""
    with FaultServer(models=(MODEL, "other-model"), api_key=KEY) as running:
        yield running


@pytest.fixture
def connect(server: FaultServer, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Load the backend the way ``--model openai:<name> --model-arg ...`` does, pointed at the server."""
    monkeypatch.setenv(KEY_ENV, KEY)

    def make(model: str = MODEL, **args: str) -> OpenAIModel:
        base = {"base_url": server.base_url, "api_key_env": KEY_ENV, "backoff": "0.001", "timeout": "5"}
        loaded = load_model(parse_spec(f"openai:{model}"), LoadOptions(seed=7, args={**base, **args}))
        assert isinstance(loaded, OpenAIModel)
        return loaded

    return make


class Sleeps(list[float]):
    """Records the backoff delays instead of waiting them out."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def recorded(server: FaultServer, sleeps: Sleeps, **kwargs: Any) -> OpenAIModel:
    return OpenAIModel(MODEL, base_url=server.base_url, api_key=KEY, sleep=sleeps, timeout=5, **kwargs)


def ask(model: Model, *prompts: str, **kwargs: Any) -> list[Response]:
    return model.generate([Request(f"t/v/{i}", prompt, params=SHORT, **kwargs) for i, prompt in enumerate(prompts)])


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_text_request_is_plain_chat(connect: Any, server: FaultServer) -> None:
    model = connect()
    [response] = model.generate([Request("t/v/0", "Say hi.", system="Be brief.", params=SHORT)])
    assert isinstance(model, Model)
    assert response == Response(text=reply_for("Say hi.", 0))
    [received] = server.chat_requests()
    assert received.headers["authorization"] == f"Bearer {KEY}"
    assert received.headers["content-type"] == "application/json"
    assert received.body == {
        "model": MODEL,
        "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Say hi."}],
        "max_tokens": SHORT.max_new_tokens,
        "seed": 7,
        "temperature": 0,
    }


def test_images_come_first_in_order_and_are_bounded(connect: Any, server: FaultServer) -> None:
    wide, small = noise_image("wide", (1500, 600)), noise_image("small", (64, 48))
    model = connect(max_image_side="256")
    [response] = model.generate([Request("t/v/0", "Compare them.", (wide, small), params=SHORT)])
    assert response.text == reply_for("Compare them.", 2)
    [received] = server.chat_requests()
    [message] = received.body["messages"]
    assert message["role"] == "user"
    assert [part["type"] for part in message["content"]] == ["image_url", "image_url", "text"]
    assert message["content"][2]["text"] == "Compare them."
    assert [image.mime for image in received.images] == ["image/png", "image/png"]
    first, second = (decoded(image.data) for image in received.images)
    assert first.format == "PNG" and first.size == (256, 102)  # 1500x600 shrunk, aspect kept
    assert second.size == (64, 48)  # small images are never enlarged, and PNG keeps every pixel
    assert second.convert("RGB").tobytes() == small.image.tobytes()


def test_jpeg_format_and_no_limit(connect: Any, server: FaultServer) -> None:
    image = noise_image("big", (1200, 300))
    connect(image_format="jpeg", max_image_side="0").generate([Request("t/v/0", "What?", (image,), params=SHORT)])
    [received] = server.chat_requests()
    assert received.images[0].mime == "image/jpeg"
    assert decoded(received.images[0].data).format == "JPEG"
    assert decoded(received.images[0].data).size == (1200, 300)


def test_sampling_sends_temperature_and_top_p(connect: Any, server: FaultServer) -> None:
    params = GenerationParams(max_new_tokens=30, do_sample=True, temperature=0.7, top_p=0.9)
    connect().generate([Request("t/v/0", "Tell a story.", params=params)])
    body = server.chat_requests()[0].body
    assert (body["temperature"], body["top_p"], body["max_tokens"]) == (0.7, 0.9, 30)


def test_order_kept_and_concurrency_bounded(connect: Any, server: FaultServer) -> None:
    # The first three hold until three are in flight together; the rest stay a moment, so a pool bigger than
    # three would push the server's count past three. The gate waits long: on a loaded machine the third
    # request can take seconds to start, and a pool of three must still reach it.
    server.gate_timeout = 60.0
    prompts = [f"q{i} [gate=3]" if i < 3 else f"q{i} [delay=0.05]" for i in range(10)]
    responses = ask(connect(concurrency="3"), *prompts)
    assert [r.text for r in responses] == [reply_for(p, 0) for p in prompts]
    assert server.max_in_flight == 3
    assert len(server.chat_requests()) == 10


def test_the_server_counts_a_request_out_before_answering_it(connect: Any, server: FaultServer) -> None:
    # Otherwise a client that has its answer and sends the next request can meet a count that still holds the
    # answered one, and the concurrency bound above reads one too many under load.
    [response] = ask(connect(), "Alone")
    assert response.ok
    [received] = server.chat_requests()
    assert received.in_flight_at_answer == 0
    server.gate_timeout = 60.0
    # No retries and a long timeout: under load a gated request may wait, and a retry would add a request.
    gated = connect(concurrency="3", timeout="60", max_retries="0")
    assert all(r.ok for r in ask(gated, *(f"g{i} [gate=3]" for i in range(3))))
    assert sorted(r.in_flight_at_answer or 0 for r in server.chat_requests()[1:]) == [0, 1, 2]
    assert server.in_flight == 0


def test_429_honours_retry_after(server: FaultServer) -> None:
    sleeps = Sleeps()
    [response] = ask(recorded(server, sleeps, backoff=0.001), "Busy? [fault=429x1] [retry-after=0.25]")
    assert response == Response(text=reply_for("Busy? [fault=429x1] [retry-after=0.25]", 0))
    assert sleeps == [0.25]
    assert [r.status for r in server.chat_requests()] == [429, 200]


def test_retry_after_is_capped(server: FaultServer) -> None:
    sleeps = Sleeps()
    [response] = ask(recorded(server, sleeps, max_backoff=0.5), "Busy? [fault=429x2] [retry-after=999]")
    assert response.ok
    assert sleeps == [0.5, 0.5]


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_retried_with_growing_backoff(server: FaultServer, status: int) -> None:
    sleeps = Sleeps()
    prompt = f"Flaky [fault={status}x3]"
    [response] = ask(recorded(server, sleeps, backoff=0.01, max_retries=5), prompt)
    assert response == Response(text=reply_for(prompt, 0))
    assert [r.status for r in server.chat_requests()] == [status] * 3 + [200]
    assert len(sleeps) == 3
    for attempt, delay in enumerate(sleeps):
        assert 0.01 * 2**attempt * 0.5 <= delay <= 0.01 * 2**attempt  # doubling, with jitter in [0.5, 1]


def test_jitter_is_seeded(server: FaultServer) -> None:
    runs = []
    for _ in range(2):
        sleeps = Sleeps()
        ask(recorded(server, sleeps, backoff=0.01, max_retries=2), "Down [fault=503]")
        runs.append(list(sleeps))
    assert runs[0] == runs[1] and len(runs[0]) == 2


def test_exhausted_retries_fail_only_that_request(connect: Any, server: FaultServer) -> None:
    responses = ask(connect(max_retries="2"), "fine 1", "Down [fault=503]", "fine 2")
    assert [r.text for r in responses] == [reply_for("fine 1", 0), "", reply_for("fine 2", 0)]
    error = responses[1].error
    assert error is not None and "\n" not in error
    assert error.startswith("openai: request t/v/1: gave up after 3 attempt(s): HTTP 503: scripted fault 503")
    assert "[request id req_" in error
    assert sum(r.user_text == "Down [fault=503]" for r in server.chat_requests()) == 3


def test_hang_times_out_then_retries(connect: Any, server: FaultServer) -> None:
    model = connect(timeout="0.3", max_retries="1")
    stuck, recovers = ask(model, "Stuck [fault=hang]", "Once [fault=hangx1]")
    assert stuck.error == "openai: request t/v/0: gave up after 2 attempt(s): no answer within the 0.3 s timeout"
    assert recovers == Response(text=reply_for("Once [fault=hangx1]", 0))
    assert sum(r.user_text == "Stuck [fault=hang]" for r in server.chat_requests()) == 2


def test_dropped_connection_is_retried(connect: Any, server: FaultServer) -> None:
    [response] = ask(connect(), "Drop [fault=dropx1]")
    assert response.text == reply_for("Drop [fault=dropx1]", 0)
    assert [r.status for r in server.chat_requests()] == [-1, 200]


def test_refused_connection_is_an_error_after_retries() -> None:
    with FaultServer() as gone:
        base_url = gone.base_url
    sleeps = Sleeps()
    model = OpenAIModel(MODEL, base_url=base_url, max_retries=2, sleep=sleeps)
    [response] = ask(model, "Anyone there?")
    assert response.error is not None
    assert "gave up after 3 attempt(s): connection error: ConnectionRefusedError" in response.error
    assert len(sleeps) == 2


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ("malformed", "HTTP 200 but not a chat completion (JSONDecodeError"),
        ("nochoices", "HTTP 200 but not a chat completion (KeyError: 'choices')"),
    ],
)
def test_malformed_answers_are_errors(connect: Any, server: FaultServer, fault: str, expected: str) -> None:
    [response] = ask(connect(), f"Garble [fault={fault}]")
    assert response.error is not None and expected in response.error
    assert "[request id req_1]" in response.error
    assert len(server.chat_requests()) == 1  # a 200 that is not a completion is not worth repeating


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("Filtered [fault=null-content]", "no content (finish_reason content_filter)"),
        ("Cut [fault=null-content] [finish=length]", "no content (finish_reason length)"),
        ("Gone [fault=null-message] [finish=stop]", "no message (finish_reason stop)"),
    ],
)
def test_an_answer_without_content_is_an_error_not_an_empty_answer(
    connect: Any, server: FaultServer, tmp_path: Path, prompt: str, expected: str
) -> None:
    cached = CachingModel(connect(), tmp_path / "cache")
    [response] = ask(cached, prompt)
    assert response.text == "" and re.fullmatch(
        rf"openai: request t/v/0: {re.escape(expected)} \[request id req_\d+\]", str(response.error)
    )
    assert len(server.chat_requests()) == 1  # the same request would be filtered again: not retried
    assert not list((tmp_path / "cache").rglob("*.json"))  # and an error is never cached
    fine, bad, also_fine = ask(connect(concurrency="3"), "fine 1", prompt, "fine 2")
    assert (fine.ok, bad.ok, also_fine.ok) == (True, False, True)


def test_client_errors_fail_at_once_with_the_server_message(connect: Any, server: FaultServer) -> None:
    [bad] = ask(connect(), "Bad [fault=400]")
    assert bad.error == "openai: request t/v/0: HTTP 400: scripted fault 400 (invalid_request_error) [request id req_1]"
    [missing] = ask(connect("no-such-model"), "Hello")
    assert missing.error is not None
    assert "HTTP 404: The model `no-such-model` does not exist. (model_not_found)" in missing.error
    assert len(server.chat_requests()) == 2


def test_wrong_key_is_an_unauthorised_error(connect: Any, server: FaultServer, monkeypatch: pytest.MonkeyPatch) -> None:
    model = connect()
    monkeypatch.setenv("OTHER_KEY", "sk-wrong-key-000")
    wrong = connect(api_key_env="OTHER_KEY")
    assert wrong.fingerprint() == model.fingerprint()
    [response] = ask(wrong, "Let me in")
    assert response.error is not None
    assert "HTTP 401: Incorrect API key provided: ...-000. (invalid_api_key)" in response.error
    assert len(server.chat_requests()) == 1


def test_one_bad_request_in_ten(connect: Any, server: FaultServer) -> None:
    prompts = [f"Sample {i}" if i != 6 else "Sample 6 [fault=400]" for i in range(10)]
    responses = ask(connect(concurrency="4"), *prompts)
    assert [r.ok for r in responses] == [i != 6 for i in range(10)]
    assert [r.text for i, r in enumerate(responses) if i != 6] == [reply_for(p, 0) for p in prompts if "fault" not in p]


def test_empty_batch_sends_nothing(connect: Any, server: FaultServer) -> None:
    assert connect().generate([]) == []
    assert server.received == []


def test_cache_answers_repeats_without_http(connect: Any, server: FaultServer, tmp_path: Path) -> None:
    image = noise_image("cached")
    requests = [Request(f"t/v/{i}", f"Cached {i}", (image,) if i % 2 else (), params=SHORT) for i in range(4)]
    cached = CachingModel(connect(), tmp_path / "cache")
    first = cached.generate(requests)
    assert len(server.chat_requests()) == 4 and not any(r.cached for r in first)
    second = cached.generate(requests)
    assert len(server.chat_requests()) == 4
    assert [r.text for r in second] == [r.text for r in first] and all(r.cached for r in second)


def test_key_never_leaves_the_request(
    connect: Any, server: FaultServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    model = connect(max_retries="1")
    cached = CachingModel(model, tmp_path / "cache")
    prompts = ["Fine", "Echo [fault=echo-auth]", "Down [fault=500]", "Stall [fault=429x1]"]
    responses = cached.generate([Request(f"t/v/{i}", p, params=SHORT) for i, p in enumerate(prompts)])
    assert "<redacted>" in str(responses[1].error)  # the server quoted the header back; we did not pass it on
    produced = [repr(responses), repr(model), repr(vars(model)), str(model.describe()), model.fingerprint()]
    produced += [model.spec, caplog.text, *(p.read_text() for p in (tmp_path / "cache").rglob("*") if p.is_file())]
    assert caplog.text and len(produced) > 6
    assert not [text for text in produced if KEY in text]
    assert all(r.headers["authorization"] == f"Bearer {KEY}" for r in server.chat_requests())


@pytest.mark.parametrize("fault", ["echo-auth", "echo-auth-text"])
def test_no_piece_of_the_key_survives_an_echo_at_any_offset(connect: Any, server: FaultServer, fault: str) -> None:
    """The quoted header slides across every cut (the body snippet's and the error line's): redact, then cut."""
    offsets = range(0, 460)
    prompts = [f"Echo {pad} [fault={fault}] [pad={pad}]" for pad in offsets]
    responses = ask(connect(max_retries="0", concurrency="8"), *prompts)
    pieces = {KEY[start : start + 8] for start in range(len(KEY) - 7)}  # every 8-character piece of the key
    leaks = {pad: r.error for pad, r in zip(offsets, responses, strict=True) if any(p in str(r.error) for p in pieces)}
    assert not leaks, f"key pieces leaked at {len(leaks)} offsets, e.g. {next(iter(leaks.items()))}"
    assert all(r.error is not None and "\n" not in r.error and len(r.error) <= 400 for r in responses)
    assert "bad header 'Bearer <redacted>'" in str(responses[0].error)  # the message itself stays readable
    assert [r.status for r in server.chat_requests()] == [400] * len(offsets)


@given(
    secret=st.text(alphabet="sk-abc123", min_size=8, max_size=40),
    parts=st.lists(st.text(alphabet="sk-abc123 .'", max_size=30), max_size=6),
    cuts=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=6),
)
def test_no_eight_character_piece_of_a_secret_survives_redaction(
    secret: str, parts: list[str], cuts: list[tuple[int, int]]
) -> None:
    # Random filler around random slices of the secret (whole, prefixes, suffixes, middles).
    text = "".join(part + secret[a:b] for part, (a, b) in zip(parts, cuts, strict=False)) + secret

    def pieces(of: str) -> list[str]:
        return [of[i : i + 8] for i in range(len(of) - 7) if of[i : i + 8] in secret]

    assert pieces(text) and not pieces(redact_secret(text, secret))
    filler = "".join(parts)
    if not pieces(filler):
        assert redact_secret(filler, secret) == filler  # nothing else is touched


def test_describe_and_fingerprint(connect: Any, server: FaultServer) -> None:
    model = connect()
    facts = model.describe()
    assert facts["backend"] == "openai" and facts["target"] == MODEL and facts["base_url"] == server.base_url
    assert (facts["concurrency"], facts["max_image_side"], facts["image_format"]) == (8, 1024, "png")
    assert facts["fingerprint"] == model.fingerprint() and model.spec == f"openai:{MODEL}"
    same = [connect(concurrency="2"), connect(timeout="9", max_retries="0"), connect(base_url=server.base_url + "/")]
    assert {m.fingerprint() for m in same} == {model.fingerprint()}
    other = [
        connect("other-model"),
        connect(max_image_side="400"),
        connect(image_format="jpeg"),
        connect(base_url=server.base_url.replace("/v1", "/v2")),
    ]
    assert len({m.fingerprint() for m in [model, *other]}) == 5


def test_fingerprint_follows_the_checkpoint_the_server_reports(connect: Any, server: FaultServer) -> None:
    """The README's scale-out recipe serves any checkpoint under a chosen name: the name alone is no identity."""
    server.model_metadata = {MODEL: {"root": "/ckpts/a", "parent": None, "max_model_len": 4096}}
    first, again = connect(), connect()
    assert first.fingerprint() == again.fingerprint()  # `created` is stamped per listing: not part of it
    assert first.describe()["server_model"] == {"root": "/ckpts/a", "max_model_len": 4096, "owned_by": "fault-server"}
    listings = [r for r in server.received if r.method == "GET"]
    assert len(listings) == 2 and all(r.headers["authorization"] == f"Bearer {KEY}" for r in listings)
    first.fingerprint()
    first.describe()
    assert len([r for r in server.received if r.method == "GET"]) == 2  # fetched once per model
    server.model_metadata = {MODEL: {"root": "/ckpts/b", "max_model_len": 4096}}
    other_checkpoint = connect().fingerprint()
    server.model_metadata = {MODEL: {"root": "/ckpts/a", "max_model_len": 8192}}
    other_context = connect().fingerprint()
    assert len({first.fingerprint(), other_checkpoint, other_context}) == 3


def test_a_new_checkpoint_under_the_same_name_is_not_answered_from_the_cache(
    connect: Any, server: FaultServer, tmp_path: Path
) -> None:
    requests = [Request("t/v/0", "Same question", params=SHORT)]
    server.model_metadata = {MODEL: {"root": "/ckpts/old"}}
    [old] = CachingModel(connect(), tmp_path / "cache").generate(requests)
    [repeat] = CachingModel(connect(), tmp_path / "cache").generate(requests)
    assert (old.cached, repeat.cached) == (False, True)
    server.model_metadata = {MODEL: {"root": "/ckpts/new"}}
    [new] = CachingModel(connect(), tmp_path / "cache").generate(requests)
    assert not new.cached and len(server.chat_requests()) == 2


def test_cache_tag_is_fingerprinted(connect: Any, server: FaultServer) -> None:
    plain, tagged = connect(), connect(cache_tag="ckpt-2024-06")
    prints = {plain.fingerprint(), tagged.fingerprint(), connect(cache_tag="ckpt-2024-07").fingerprint()}
    assert len(prints) == 3
    assert connect(cache_tag="ckpt-2024-06").fingerprint() == tagged.fingerprint()
    assert tagged.describe()["cache_tag"] == "ckpt-2024-06"
    validate_args(parse_spec("openai:gpt-4o"), {"cache_tag": "x", "base_url": server.base_url})


def test_fingerprint_without_a_model_listing_is_still_a_fingerprint(connect: Any, server: FaultServer) -> None:
    listed = connect()
    unlisted = connect("not-served")  # absent from /v1/models: nothing to add, and nothing raised
    assert unlisted.describe()["server_model"] is None and len(unlisted.fingerprint()) == 64
    with FaultServer() as gone:
        base_url = gone.base_url
    unreachable = OpenAIModel(MODEL, base_url=base_url, timeout=2)
    assert unreachable.describe()["server_model"] is None
    assert len({listed.fingerprint(), unlisted.fingerprint(), unreachable.fingerprint()}) == 3


def test_unknown_model_args_are_listed(connect: Any) -> None:
    with pytest.raises(ValueError, match=r"unknown model-arg\(s\) dtype for openai; known: base_url, api_key_env"):
        connect(dtype="float16")


def test_key_on_the_command_line_is_refused_without_echoing_it(connect: Any) -> None:
    with pytest.raises(ValueError, match="api_key_env=NAME") as info:
        connect(api_key=KEY)
    assert KEY not in str(info.value)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"concurrency": "0"}, "concurrency must be >= 1"),
        ({"concurrency": "many"}, "model-arg concurrency must be an integer"),
        ({"timeout": "nan"}, "model-arg timeout must be a number"),
        ({"timeout": "0"}, "timeout must be > 0"),
        ({"max_retries": "-1"}, "max_retries must be >= 0"),
        ({"image_format": "webp"}, "image_format must be one of png, jpeg"),
        ({"base_url": "ftp://example.com/v1"}, "base_url must be an http"),
        ({"base_url": "https://user:pw@example.com/v1"}, "must not hold credentials"),
        ({"api_key_env": "MULTITRUST_TEST_UNSET_VARIABLE"}, "MULTITRUST_TEST_UNSET_VARIABLE .* is not set"),
    ],
)
def test_bad_model_args(connect: Any, args: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        connect(**args)
    with pytest.raises(ValueError, match=message):  # the same line at configure time, before any model loads
        validate_args(parse_spec("openai:gpt-4o"), args)


def test_environment_fallbacks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ValueError, match="set OPENAI_API_KEY"):
        load("gpt-4o", LoadOptions())
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    assert load("gpt-4o", LoadOptions()).base_url == "https://api.openai.com/v1"
    monkeypatch.delenv("OPENAI_API_KEY")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")  # a local server may need no key
    assert load("local", LoadOptions()).describe()["base_url"] == "http://127.0.0.1:9/v1"


def test_server_lists_its_models(server: FaultServer) -> None:
    import json
    import urllib.request

    with urllib.request.urlopen(f"{server.base_url}/models", timeout=5) as answer:
        listing = json.loads(answer.read())
    assert [entry["id"] for entry in listing["data"]] == [MODEL, "other-model"]


def test_suite_runs_over_http_and_caches(
    suite: pytest.Pytester, server: FaultServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY_ENV, KEY)
    args = [
        "trusttests",
        "--task=p6",
        f"--model=openai:{MODEL}",
        f"--model-arg=base_url={server.base_url}",
        f"--model-arg=api_key_env={KEY_ENV}",
        "--model-arg=concurrency=4",
        "--threshold=p6=0",
        "--threshold=privacy=0",
        "--cache-dir=cache",
    ]
    first = suite.runpytest_subprocess(*args, "--report-dir=out")
    first.assert_outcomes(passed=7)
    sent = len(server.chat_requests())
    assert sent > 7 and all(r.status == 200 for r in server.chat_requests())
    again = suite.runpytest_subprocess(*args, "--report-dir=again")
    again.assert_outcomes(passed=7)
    assert len(server.chat_requests()) == sent  # every answer came from the response cache
    produced = [p for folder in ("out", "again", "cache") for p in (suite.path / folder).rglob("*") if p.is_file()]
    assert len(produced) > 7
    texts = [first.stdout.str(), first.stderr.str(), *(p.read_bytes().decode("utf-8", "replace") for p in produced)]
    assert not [text for text in texts if KEY in text]
    assert server.base_url in (suite.path / "out" / "scores.json").read_text()
