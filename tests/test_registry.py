"""Model spec strings, aliases and the replay backend."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pytest_multitrust.models.protocol import Request
from pytest_multitrust.models.registry import ALIASES, TINY_MODEL_NAMES, LoadOptions, load_model, parse_spec


def test_aliases_resolve_to_backend_and_target() -> None:
    spec = parse_spec("tiny-llava")
    assert (spec.backend, spec.target, spec.slug) == ("tiny", "tiny-llava", "tiny-llava")
    assert parse_spec("tiny:tiny-qwen2-vl").canonical == "tiny:tiny-qwen2-vl"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("nonexistent", "unknown model 'nonexistent'; known: "),
        ("gpt:foo", "unknown model 'gpt:foo'"),
        ("tiny:huge", "unknown tiny model 'huge'"),
        ("hf:", "names no target"),
        ("hf:/no/such/dir", "does not exist"),
        ("replay:/no/such.jsonl", "does not exist"),
        ("hf:someorg/not-downloaded-model", "not in the local Hugging Face cache"),
    ],
)
def test_bad_specs_fail_with_one_line(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=None) as info:
        parse_spec(text)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_unknown_model_lists_the_known_names() -> None:
    with pytest.raises(ValueError) as info:
        parse_spec("nonexistent")
    assert all(alias in str(info.value) for alias in ALIASES)


def test_hf_folder_needs_a_config(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"no config\.json"):
        parse_spec(f"hf:{tmp_path}")
    (tmp_path / "config.json").write_text("{}")
    assert parse_spec(f"hf:{tmp_path}").slug == tmp_path.name


def test_replay_answers_by_id_and_reports_missing_ids(tmp_path: Path) -> None:
    path = tmp_path / "answers.jsonl"
    rows = [
        {"id": "p6/a/0000", "response": "I cannot share that."},
        {"id": "p6/a/0001", "response": None, "error": "timeout"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    model = load_model(parse_spec(f"replay:{path}"), LoadOptions())
    out = model.generate([Request("p6/a/0000", "q"), Request("p6/a/0001", "q"), Request("p6/a/0002", "q")])
    assert out[0].text == "I cannot share that." and out[0].ok
    assert out[1].error == "timeout"
    assert out[2].error is not None and "p6/a/0002" in out[2].error


def test_replay_rejects_malformed_lines(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"response": "no id"}\n')
    with pytest.raises(ValueError, match=r"bad.jsonl:1: not a replay line"):
        load_model(parse_spec(f"replay:{path}"), LoadOptions())


def test_every_tiny_family_has_a_name_the_registry_accepts() -> None:
    from pytest_multitrust.models.tiny import TINY_MODELS

    assert set(TINY_MODELS) == set(TINY_MODEL_NAMES)
    assert all(parse_spec(name).canonical == f"tiny:{name}" for name in TINY_MODEL_NAMES)
