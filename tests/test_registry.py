"""Model spec strings, aliases and the replay backend."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from pytest_multitrust.models.protocol import Request
from pytest_multitrust.models.registry import (
    ALIASES,
    TINY_MODEL_NAMES,
    LoadOptions,
    load_model,
    parse_spec,
    validate_args,
)
from pytest_multitrust.settings import resolve

#: A CPU-only torch wheel (``+cpu``) cannot run CUDA: that much is known without importing torch.
CPU_ONLY_TORCH = importlib.metadata.version("torch").partition("+")[2] == "cpu"
cpu_only_torch = pytest.mark.skipif(not CPU_ONLY_TORCH, reason="this torch build may have CUDA")
without_vllm = pytest.mark.skipif(importlib.util.find_spec("vllm") is not None, reason="vLLM is installed here")


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
    (tmp_path / "config.json").write_text('{"model_type": "llava"}')
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


@pytest.mark.parametrize("backend", ["hf", "vllm"])
@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('{"model_type": "llava",', "config.json is not valid JSON (Expecting property name"),
        ("[1, 2]", "config.json is not a JSON object"),
        ('{"architectures": ["LlavaForConditionalGeneration"]}', 'config.json has no "model_type"'),
        ('{"model_type": ""}', 'config.json has no "model_type"'),
    ],
)
def test_a_broken_config_is_a_one_line_error_before_loading(
    tmp_path: Path, backend: str, config: str, message: str
) -> None:
    (tmp_path / "config.json").write_text(config)
    with pytest.raises(ValueError) as info:
        parse_spec(f"{backend}:{tmp_path}")
    assert str(info.value).startswith(f"{backend}: {tmp_path / 'config.json'}")
    assert message in str(info.value) and "\n" not in str(info.value)
    with pytest.raises(ValueError, match=r"config\.json"):
        resolve({"model": f"{backend}:{tmp_path}"}, {}, tmp_path)


@cpu_only_torch
@pytest.mark.parametrize(
    ("model", "args", "setting"),
    [
        ("tiny-llava", {"device": "cuda"}, "device=cuda"),
        ("hf:{folder}", {"device": "cuda:1"}, "device=cuda:1"),
        ("hf:{folder}", {"device_map": "cuda:0"}, "device_map=cuda:0"),
    ],
)
def test_cuda_asked_of_a_cpu_only_torch_is_a_configure_time_error(
    tmp_path: Path, model: str, args: dict[str, str], setting: str
) -> None:
    (tmp_path / "config.json").write_text('{"model_type": "llava"}')
    spec = parse_spec(model.format(folder=tmp_path))
    with pytest.raises(ValueError) as info:
        validate_args(spec, args)
    message = str(info.value)
    assert f"--model-arg {setting} asks for CUDA" in message and "CPU-only" in message and "\n" not in message
    assert "device=cpu" in message  # what to do instead
    cli: dict[str, Any] = {"model": spec.text, "model_arg": [f"{k}={v}" for k, v in args.items()]}
    with pytest.raises(ValueError, match="asks for CUDA"):
        resolve(cli, {}, tmp_path)
    validate_args(spec, {"device": "cpu"})


@without_vllm
def test_vllm_without_vllm_is_a_configure_time_error(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text('{"model_type": "idefics3"}')
    spec = parse_spec(f"vllm:{tmp_path}")
    with pytest.raises(ValueError) as info:
        validate_args(spec, {"dtype": "float32"})
    message = str(info.value)
    assert message.startswith("vllm: the vllm package is not installed") and "\n" not in message
    assert "openai:" in message  # the other way to reach a vLLM engine
    with pytest.raises(ValueError, match="vllm package is not installed"):
        resolve({"model": spec.text}, {}, tmp_path)
    with pytest.raises(ValueError, match="dtype must be"):  # a bad argument is still named first
        validate_args(spec, {"dtype": "fp8"})


#: Each way a run used to end in a traceback per test: the arguments, and what the one line must say.
STOPS_AT_CONFIGURE: dict[str, tuple[list[str], str]] = {
    "broken-config": (["--model=hf:ckpt-broken"], "ckpt-broken/config.json is not valid JSON"),
    "cuda": (["--model=tiny-llava", "--model-arg=device=cuda"], "--model-arg device=cuda asks for CUDA"),
    "vllm": (["--model=vllm:ckpt"], "vllm: the vllm package is not installed"),
}


@pytest.mark.parametrize(
    "case", ["broken-config", pytest.param("cuda", marks=cpu_only_torch), pytest.param("vllm", marks=without_vllm)]
)
def test_the_suite_stops_with_one_line_and_exit_4(suite: pytest.Pytester, case: str) -> None:
    for folder, config in (("ckpt", '{"model_type": "idefics3"}'), ("ckpt-broken", '{"model_type": "llava", }')):
        (suite.path / folder).mkdir()
        (suite.path / folder / "config.json").write_text(config)
    args, expected = STOPS_AT_CONFIGURE[case]
    result = suite.runpytest_subprocess("trusttests", *args, "-p", "no:cacheprovider")
    lines = [line for line in result.stderr.lines if line.strip()]
    assert result.ret == pytest.ExitCode.USAGE_ERROR, result.stdout.str()[-2000:] + result.stderr.str()
    assert len(lines) == 1 and "Traceback" not in result.stdout.str() + result.stderr.str(), result.stderr.str()
    assert expected in lines[0]
