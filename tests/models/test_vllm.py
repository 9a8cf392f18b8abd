"""The ``vllm`` backend: settings validation here, the real engine (vLLM CPU) in its own environment.

The engine runs in a subprocess with the vLLM environment's Python (``tests/servers/vllm_driver.py``), once
per module for all checkpoints; its greedy answers must equal ``transformers``' on the same tiny checkpoints,
with the same prompts and images: a tiny Idefics3 (``hf`` backend, and plain ``generate``) and a tiny
text-only Llama (plain ``generate``).

Answers are compared without their tail of U+FFFD and whitespace: random weights emit arbitrary bytes, and
where an answer stops inside a UTF-8 sequence, ``transformers`` decodes the torn bytes as U+FFFD while vLLM's
incremental detokeniser holds them back, together with whatever it decoded since its last complete
character. Everything before that tail must match exactly.

Under xdist, ``--dist loadfile`` keeps this module on one worker, so the engine starts once; with the default
``load`` distribution every worker that gets one of its tests starts its own.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from pytest_multitrust.data.images import ImageRef
from pytest_multitrust.models.protocol import GenerationParams, Request
from pytest_multitrust.models.registry import parse_spec, validate_args
from pytest_multitrust.models.vllm import VLLMSettings, messages

from ..conftest import scores
from ..servers.vllm_server import ENGINE_ARGS, VLLM_ENV, driver_job, require_vllm, run_driver
from .conftest import SHORT, noise_image

#: A text-only chat model in Llama 3's layout (bos in the template, as Llama 3's own template has it).
TEXT_SPECIALS = ("<|begin_of_text|>", "<|eot_id|>", "<|pad|>", "<|start_header_id|>", "<|end_header_id|>")
TEXT_CHAT_TEMPLATE = (
    "<|begin_of_text|>{% for message in messages %}<|start_header_id|>{{ message['role'] }}<|end_header_id|>\n\n"
    "{% if message['content'] is string %}{{ message['content'] }}{% else %}"
    "{% for part in message['content'] %}{{ part['text'] }}{% endfor %}{% endif %}<|eot_id|>{% endfor %}"
    "{% if add_generation_prompt %}<|start_header_id|>assistant<|end_header_id|>\n\n{% endif %}"
)
_TORN_TAIL = re.compile(r"[\s\ufffd]+\Z")
#: Longer than the engine's context (2048 byte tokens): the one request of its batch that must fail.
TOO_LONG = "x" * 2100


def settled(text: str) -> str:
    """An answer without its tail of U+FFFD and whitespace (see the module docstring)."""
    return _TORN_TAIL.sub("", text)


# ---------------------------------------------------------------- settings (no vLLM needed)


def test_import_does_not_load_vllm_or_torch() -> None:
    code = (
        "import sys, pytest_multitrust.models.vllm\n"
        "print(','.join(sorted(m for m in ('vllm', 'torch', 'transformers') if m in sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_model_args_become_engine_arguments() -> None:
    settings = VLLMSettings.from_args(
        {
            "dtype": "bfloat16",
            "max_model_len": "4096",
            "tensor_parallel_size": "2",
            "gpu_memory_utilization": "0.5",
            "max_batch_size": "16",
            "kv_cache_memory_bytes": "1073741824",
            "enforce_eager": "True",
        }
    )
    assert settings.engine_kwargs() == {
        "dtype": "bfloat16",
        "max_model_len": 4096,
        "tensor_parallel_size": 2,
        "gpu_memory_utilization": 0.5,
        "max_num_seqs": 16,
        "kv_cache_memory_bytes": 1 << 30,
        "enforce_eager": True,
    }
    # Unset arguments stay vLLM's to decide.
    assert VLLMSettings.from_args({}).engine_kwargs() == {
        "dtype": "auto",
        "tensor_parallel_size": 1,
        "enforce_eager": False,
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"max_tokens": "5"}, r"unknown model-arg\(s\) max_tokens for vllm; known: dtype, max_model_len"),
        ({"dtype": "fp8"}, r"dtype must be one of auto, float32, bfloat16, float16, got 'fp8'"),
        ({"max_model_len": "0"}, r"max_model_len must be a whole number >= 1, got '0'"),
        ({"max_batch_size": "2.5"}, r"max_batch_size must be a whole number >= 1, got '2.5'"),
        ({"tensor_parallel_size": "two"}, r"tensor_parallel_size must be a whole number >= 1"),
        ({"gpu_memory_utilization": "1.5"}, r"gpu_memory_utilization must be in \(0, 1\], got '1.5'"),
        ({"gpu_memory_utilization": "nan"}, r"gpu_memory_utilization must be a number > 0, got 'nan'"),
        ({"kv_cache_memory_bytes": "-1"}, r"kv_cache_memory_bytes must be a whole number >= 1"),
        ({"enforce_eager": "maybe"}, r"enforce_eager must be true or false, got 'maybe'"),
    ],
)
def test_bad_model_args_are_one_line_errors_at_configure_time(
    tmp_path: Path, args: dict[str, str], message: str
) -> None:
    (tmp_path / "config.json").write_text('{"model_type": "idefics3"}')
    with pytest.raises(ValueError, match=message) as raised:
        validate_args(parse_spec(f"vllm:{tmp_path}"), args)
    assert "\n" not in str(raised.value)


def test_cache_tag_is_a_setting_but_not_an_engine_argument() -> None:
    settings = VLLMSettings.from_args({"cache_tag": " ckpt-7 ", "dtype": "float32"})
    assert settings.cache_tag == "ckpt-7" and VLLMSettings.from_args({}).cache_tag is None
    assert "cache_tag" not in settings.engine_kwargs()


def test_fingerprint_follows_transformers_the_render_schema_and_the_cache_tag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fingerprint's composition, on a real checkpoint folder; the engine is a stand-in that only reports
    its dtype and version (the real engine's fingerprint is checked in the vLLM environment below)."""
    import transformers

    from pytest_multitrust.models import vllm
    from pytest_multitrust.models.tiny_zoo import save_tiny_family

    folder = save_tiny_family("idefics3", tmp_path / "idefics3", seed=0)
    engine = SimpleNamespace(llm_engine=SimpleNamespace(model_config=SimpleNamespace(dtype="torch.float32")))

    def fresh(**args: str) -> vllm.VLLMModel:
        model = vllm.VLLMModel(engine, spec=f"vllm:{folder}", folder=folder, settings=VLLMSettings.from_args(args))
        model.__dict__["vllm_version"] = "0.32.0"  # what the stand-in engine would report
        return model

    base = fresh()
    assert fresh().fingerprint() == base.fingerprint()
    assert fresh(cache_tag="ckpt-7").fingerprint() != base.fingerprint()
    with monkeypatch.context() as patch:
        patch.setattr(vllm, "PROMPT_RENDER_SCHEMA", vllm.PROMPT_RENDER_SCHEMA + 1)
        assert fresh().fingerprint() != base.fingerprint()
    with monkeypatch.context() as patch:
        patch.setattr(transformers, "__version__", "4.0.0")
        assert fresh().fingerprint() != base.fingerprint()


def test_messages_put_the_system_first_and_the_images_before_the_text() -> None:
    first, second = noise_image("vllm-a"), noise_image("vllm-b")
    chat = messages(Request("t/v/0", "Compare them.", (first, second), system="Be careful."))
    assert chat == [
        {"role": "system", "content": [{"type": "text", "text": "Be careful."}]},
        {
            "role": "user",
            "content": [
                {"type": "image_pil", "image_pil": first.image},
                {"type": "image_pil", "image_pil": second.image},
                {"type": "text", "text": "Compare them."},
            ],
        },
    ]
    assert messages(Request("t/v/1", "Hi")) == [{"role": "user", "content": [{"type": "text", "text": "Hi"}]}]


# ---------------------------------------------------------------- the real engine


def save_tiny_llama(path: Path, seed: int = 0) -> str:
    """A tiny random ``LlamaForCausalLM`` with a byte tokenizer and a Llama 3 style chat template."""
    from transformers import LlamaConfig, LlamaForCausalLM

    from pytest_multitrust.models.tiny_zoo import TEXT_SIZES, byte_tokenizer, seeded, token_ids

    tokenizer = byte_tokenizer(TEXT_SPECIALS, pad="<|pad|>", eos="<|eot_id|>", bos=None, unk=None)
    tokenizer.chat_template = TEXT_CHAT_TEMPLATE
    ids = token_ids(tokenizer, TEXT_SPECIALS)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        bos_token_id=ids["<|begin_of_text|>"],
        eos_token_id=ids["<|eot_id|>"],
        pad_token_id=ids["<|pad|>"],
        **TEXT_SIZES,
    )
    # The generation config takes its pad, eos and bos ids from this config.
    model = seeded(LlamaForCausalLM, config, seed)
    model.save_pretrained(path)
    tokenizer.save_pretrained(path)
    return str(path)


def image_requests(images: Sequence[ImageRef]) -> list[Request]:
    """Mixed requests for the vision model: 0, 1 and 2 images, a system prompt, the same text on two images."""
    return [
        Request("vl/0", "Describe it.", (images[0],), params=SHORT),
        Request("vl/1", "Describe it.", (images[1],), params=SHORT),
        Request("vl/2", "A text-only question that is quite a bit longer than the others.", params=SHORT),
        Request("vl/3", "Compare the two images.", (images[1], images[2]), params=SHORT),
        Request("vl/4", "Is this safe?", (images[3],), system="You are a careful assistant.", params=SHORT),
        Request("vl/5", "Describe it in detail.", (images[2],), params=GenerationParams(max_new_tokens=24)),
    ]


def text_requests() -> list[Request]:
    return [
        Request("txt/0", "What is the capital of France?", params=SHORT),
        Request("txt/1", "Tell me a story about a robot.", system="You are terse.", params=SHORT),
        Request("txt/2", "Hi", params=GenerationParams(max_new_tokens=30)),
    ]


@pytest.fixture(scope="module")
def images() -> tuple[ImageRef, ...]:
    return tuple(noise_image(f"vllm-{i}", (40 + 20 * i, 72 - 8 * i)) for i in range(4))


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Tiny checkpoints: Idefics3 with seeds 0 and 1 (same shapes, other weights) and a text-only Llama."""
    require_vllm()  # skip before building anything when there is no engine to compare with
    from pytest_multitrust.models.tiny_zoo import save_tiny_family

    root = tmp_path_factory.mktemp("vllm-checkpoints")
    folders = {
        "idefics3": save_tiny_family("idefics3", root / "idefics3", seed=0),
        "idefics3-seed1": save_tiny_family("idefics3", root / "idefics3-seed1", seed=1),
        "llama": save_tiny_llama(root / "llama"),
    }
    # The same Llama whose generation config asks for a repetition penalty (as Qwen2-VL's does, at 1.05).
    penalised = shutil.copytree(folders["llama"], root / "llama-penalty")
    config = json.loads((penalised / "generation_config.json").read_text())
    (penalised / "generation_config.json").write_text(json.dumps({**config, "repetition_penalty": 1.5}))
    return {**folders, "llama-penalty": str(penalised)}


@pytest.fixture(scope="module")
def engine(
    checkpoints: dict[str, str], images: tuple[ImageRef, ...], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, Any]]:
    """The vllm backend's results for every checkpoint, from one driver process (one engine after another)."""
    work = tmp_path_factory.mktemp("vllm-driver")
    vision = [*image_requests(images), Request("vl/long", TOO_LONG, params=SHORT)]
    jobs = {
        "idefics3": driver_job(f"vllm:{checkpoints['idefics3']}", vision, work),
        "idefics3-seed1": driver_job(f"vllm:{checkpoints['idefics3-seed1']}", image_requests(images)[:1], work),
        "llama": driver_job(f"vllm:{checkpoints['llama']}", text_requests(), work),
        "llama-penalty": driver_job(f"vllm:{checkpoints['llama-penalty']}", text_requests(), work),
    }
    return dict(zip(jobs, run_driver(list(jobs.values()), work), strict=True))


def texts(result: dict[str, Any], count: int | None = None) -> list[str]:
    """The first ``count`` answers (all by default), which must all have succeeded."""
    responses = result["responses"][:count]
    assert [r["error"] for r in responses] == [None] * len(responses)
    return [r["text"] for r in responses]


def transformers_answers(folder: str, requests: Sequence[Request]) -> list[str]:
    """Greedy answers of plain ``transformers``: ``apply_chat_template(tokenize=True)`` + ``generate``."""
    import torch
    from transformers import AutoModelForCausalLM, AutoModelForImageTextToText, AutoProcessor, AutoTokenizer

    vision = any(request.images for request in requests)
    auto_model: Any = AutoModelForImageTextToText if vision else AutoModelForCausalLM
    auto_processor: Any = AutoProcessor if vision else AutoTokenizer
    model = auto_model.from_pretrained(folder, dtype=torch.float32).eval()
    processor = auto_processor.from_pretrained(folder)
    tokenizer = getattr(processor, "tokenizer", processor)
    answers = []
    for request in requests:
        content: list[dict[str, Any]] = [{"type": "image", "image": ref.image} for ref in request.images]
        content.append({"type": "text", "text": request.prompt})
        chat: list[dict[str, Any]] = [{"role": "user", "content": content}]
        if request.system:
            chat.insert(0, {"role": "system", "content": [{"type": "text", "text": request.system}]})
        inputs = processor.apply_chat_template(
            chat, add_generation_prompt=True, tokenize=True, return_dict=True, return_tensors="pt"
        )
        with torch.inference_mode():
            output = model.generate(**inputs, max_new_tokens=request.params.max_new_tokens, do_sample=False)
        answers.append(tokenizer.decode(output[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True).strip())
    return answers


def test_idefics3_answers_equal_transformers(
    engine: dict[str, dict[str, Any]], checkpoints: dict[str, str], images: tuple[ImageRef, ...]
) -> None:
    ours = texts(engine["idefics3"], -1)
    reference = transformers_answers(checkpoints["idefics3"], image_requests(images))
    assert [settled(t) for t in ours] == [settled(t) for t in reference]
    # Not a comparison of empty strings: the answers are long, and the image changes the answer.
    assert all(len(settled(t)) >= 4 for t in ours)
    assert ours[0] != ours[1]


def test_idefics3_answers_equal_the_hf_backend(
    engine: dict[str, dict[str, Any]], checkpoints: dict[str, str], images: tuple[ImageRef, ...]
) -> None:
    from pytest_multitrust.models.hf import HFModel

    hf = HFModel.from_pretrained(checkpoints["idefics3"], dtype="float32", device="cpu")
    reference = [r.text for r in hf.generate(image_requests(images))]
    assert [settled(t) for t in texts(engine["idefics3"], -1)] == [settled(t) for t in reference]


def test_text_model_answers_equal_transformers(engine: dict[str, dict[str, Any]], checkpoints: dict[str, str]) -> None:
    ours = texts(engine["llama"])
    assert [settled(t) for t in ours] == [
        settled(t) for t in transformers_answers(checkpoints["llama"], text_requests())
    ]
    assert all(len(settled(t)) >= 4 for t in ours)


def test_the_checkpoints_repetition_penalty_applies_as_in_transformers(
    engine: dict[str, dict[str, Any]], checkpoints: dict[str, str]
) -> None:
    ours = texts(engine["llama-penalty"])
    reference = transformers_answers(checkpoints["llama-penalty"], text_requests())
    assert [settled(t) for t in ours] == [settled(t) for t in reference]
    assert ours != texts(engine["llama"])  # the penalty changes the answers
    assert engine["llama-penalty"]["describe"]["checkpoint_defaults"] == {"repetition_penalty": 1.5}


def test_a_request_longer_than_the_context_errors_alone(engine: dict[str, dict[str, Any]]) -> None:
    *answered, too_long = engine["idefics3"]["responses"]
    assert all(r["error"] is None and r["text"] for r in answered)
    assert too_long["text"] == ""
    assert too_long["error"].startswith("vllm: request vl/long: generation failed: ")
    assert "maximum context length is 2048" in too_long["error"]
    assert "\n" not in too_long["error"]


def test_fingerprint_follows_the_weights_and_describe_names_the_engine(
    engine: dict[str, dict[str, Any]], checkpoints: dict[str, str]
) -> None:
    prints = {name: result["fingerprint"] for name, result in engine.items()}
    assert all(len(value) == 64 for value in prints.values())
    # The penalised Llama differs from the plain one in its generation config only.
    assert len(set(prints.values())) == 4
    # Other weights, other answers: the engine really runs the checkpoint it was given.
    assert texts(engine["idefics3-seed1"]) != texts(engine["idefics3"], 1)
    described = engine["idefics3"]["describe"]
    assert described["backend"] == "vllm"
    assert described["target"] == checkpoints["idefics3"]
    assert described["fingerprint"] == prints["idefics3"]
    assert described["dtype"] == "float32"
    assert described["max_model_len"] == 2048
    assert described["vllm_version"].startswith("0.32")
    assert described["transformers_version"] and described["prompt_render_schema"] >= 1
    assert described["cache_tag"] is None
    assert described["settings"]["max_batch_size"] == 8


def test_the_suite_runs_on_the_vllm_backend(
    checkpoints: dict[str, str], suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``pytest trusttests --model=vllm:<folder>`` in the vLLM environment: the plugin loads the engine once."""
    for name, value in {**VLLM_ENV, "VLLM_ENABLE_V1_MULTIPROCESSING": "0"}.items():
        monkeypatch.setenv(name, value)
    model_args = [arg for key, value in ENGINE_ARGS.items() for arg in ("--model-arg", f"{key}={value}")]
    python = require_vllm() / "python"
    result = suite.run(
        python, "-m", "pytest", "trusttests", f"--model=vllm:{checkpoints['idefics3']}", *model_args,
        "--limit", "2", "--task", "p6", "-p", "no:cacheprovider",
    )  # fmt: skip
    # Random weights fail the gate (exit 1), but no sample may error on the way.
    assert result.ret in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED), result.stdout.str()[-3000:]
    outcomes = result.parseoutcomes()
    assert outcomes.get("errors", 0) == 0
    assert outcomes.get("passed", 0) + outcomes.get("failed", 0) >= 2
    board = scores(suite, model="idefics3")
    assert board["tasks"]["p6"]["score"] is not None
    assert board["manifest"]["model_info"]["backend"] == "vllm"
    assert board["manifest"]["model_info"]["dtype"] == "float32"
