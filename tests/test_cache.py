"""The response cache: keys, what is stored, and safety under concurrent writers."""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from pytest_multitrust.data.images import ImageRef
from pytest_multitrust.models.cache import STALE_TEMP_SECONDS, CachingModel, cache_key
from pytest_multitrust.models.protocol import GenerationParams, Request, Response


class EchoModel:
    """A deterministic backend: answers with the reversed prompt; prompts containing 'boom' fail."""

    spec = "echo:test"
    cacheable = True

    def __init__(self, version: str = "1") -> None:
        self.version = version
        self.calls: list[int] = []

    def fingerprint(self) -> str:
        return f"echo-{self.version}"

    def generate(self, requests: Sequence[Request]) -> list[Response]:
        self.calls.append(len(requests))
        return [
            Response(text="", error="boom") if "boom" in r.prompt else Response(text=r.prompt[::-1]) for r in requests
        ]

    def describe(self) -> dict[str, Any]:
        return {"backend": "echo"}


def _req(prompt: str, **kwargs: Any) -> Request:
    return Request(id=f"x/{prompt}", prompt=prompt, **kwargs)


def test_second_pass_makes_no_generate_calls(tmp_path: Path) -> None:
    requests = [_req(f"q{i}") for i in range(5)]
    first = CachingModel(EchoModel(), tmp_path)
    answers = first.generate(requests)
    assert first.stats.as_dict() == {"hits": 0, "misses": 5}
    inner = EchoModel()
    second = CachingModel(inner, tmp_path)
    again = second.generate(requests)
    assert inner.calls == []
    assert [a.text for a in again] == [a.text for a in answers]
    assert all(a.cached for a in again) and second.stats.as_dict() == {"hits": 5, "misses": 0}


def test_errors_and_sampled_outputs_are_not_cached(tmp_path: Path) -> None:
    sampled = GenerationParams(do_sample=True, temperature=0.7)
    requests = [_req("boom"), _req("sampled", params=sampled), _req("fine")]
    CachingModel(EchoModel(), tmp_path).generate(requests)
    inner = EchoModel()
    CachingModel(inner, tmp_path).generate(requests)
    assert inner.calls == [2]  # the error and the sampled request go to the backend again
    assert len(list(tmp_path.rglob("*.json"))) == 1


def test_key_covers_everything_that_changes_the_output() -> None:
    red = ImageRef.of(Image.new("RGB", (8, 8), (255, 0, 0)), "t")
    blue = ImageRef.of(Image.new("RGB", (8, 8), (0, 0, 255)), "t")
    base = _req("q", images=(red,))
    keys = {
        cache_key("m1", base),
        cache_key("m2", base),
        cache_key("m1", _req("q", images=(blue,))),
        cache_key("m1", _req("q2", images=(red,))),
        cache_key("m1", _req("q", images=(red,), system="be safe")),
        cache_key("m1", _req("q", images=(red,), params=GenerationParams(max_new_tokens=51))),
    }
    assert len(keys) == 6
    # The request id and sampling knobs that greedy decoding ignores do not split the cache.
    same = Request(id="other/id", prompt="q", images=(red,), params=GenerationParams(temperature=0.3))
    assert cache_key("m1", same) == cache_key("m1", base)


def test_unreadable_entry_is_a_miss_and_gets_rewritten(tmp_path: Path) -> None:
    model = CachingModel(EchoModel(), tmp_path)
    model.generate([_req("abc")])
    entry = next(tmp_path.rglob("*.json"))
    entry.write_text("{truncated")
    inner = EchoModel()
    assert CachingModel(inner, tmp_path).generate([_req("abc")])[0].text == "cba"
    assert inner.calls == [1]
    assert json.loads(entry.read_text())["text"] == "cba"


def _writer(directory: str, worker: int) -> None:
    model = CachingModel(EchoModel(), Path(directory))
    for round_ in range(3):
        model.generate([_req(f"shared-{i}") for i in range(60)] + [_req(f"own-{worker}-{round_}")])


def test_concurrent_processes_corrupt_nothing(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(str(tmp_path), n)) for n in range(2)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=120)
        assert process.exitcode == 0
    entries = list(tmp_path.rglob("*.json"))
    assert len(entries) == 60 + 6
    for entry in entries:
        data = json.loads(entry.read_text())
        assert data["text"] == data["request"]["prompt"][::-1]
    assert not list(tmp_path.rglob("*.tmp"))


class SurrogateModel(EchoModel):
    """Answers every request with text holding lone surrogates (valid in JSON and Python, not in UTF-8)."""

    def generate(self, requests: Sequence[Request]) -> list[Response]:
        self.calls.append(len(requests))
        return [Response(text=f"\ud800{r.prompt}\udfff") for r in requests]


def test_a_lone_surrogate_is_stored_and_read_back_unchanged(tmp_path: Path) -> None:
    request = _req("odd \udc80 prompt")  # in the key material too
    first = CachingModel(SurrogateModel(), tmp_path).generate([request])[0]
    assert first.ok and first.text == "\ud800odd \udc80 prompt\udfff"
    entry = next(tmp_path.rglob("*.json"))
    assert json.loads(entry.read_bytes().decode("utf-8"))["text"] == first.text  # strict UTF-8 on disk
    inner = SurrogateModel()
    again = CachingModel(inner, tmp_path).generate([request])[0]
    assert inner.calls == [] and again.cached and again.text == first.text


@pytest.mark.parametrize(
    "content",
    [b"[1, 2]", b'"text"', b"null", b"42", b'{"schema": 1, "text": 5}', b'{"schema": 1}', b"\xff\xfe{}"],
    ids=["list", "string", "null", "number", "text-not-a-string", "no-text", "not-utf8"],
)
def test_an_entry_of_the_wrong_shape_is_a_miss_and_gets_rewritten(tmp_path: Path, content: bytes) -> None:
    CachingModel(EchoModel(), tmp_path).generate([_req("abc")])
    entry = next(tmp_path.rglob("*.json"))
    entry.write_bytes(content)
    for _ in range(2):  # the rerun after the repair is a hit again
        inner = EchoModel()
        assert CachingModel(inner, tmp_path).generate([_req("abc")])[0].text == "cba"
    assert inner.calls == []
    assert json.loads(entry.read_text())["text"] == "cba"


def test_temp_files_a_kill_left_behind_are_removed_fresh_ones_are_not(tmp_path: Path) -> None:
    CachingModel(EchoModel(), tmp_path).generate([_req("abc")])
    shard = next(tmp_path.rglob("*.json")).parent
    stale = shard / f".{'0' * 64}.json.k1ll3d.tmp"
    fresh = shard / f".{'1' * 64}.json.wr1t1n.tmp"  # another xdist worker is writing it right now
    for path in (stale, fresh):
        path.write_text('{"sch')
    old = time.time() - STALE_TEMP_SECONDS - 60
    os.utime(stale, (old, old))
    CachingModel(EchoModel(), tmp_path)
    assert not stale.exists() and fresh.exists()
    assert len(list(tmp_path.rglob("*.json"))) == 1
