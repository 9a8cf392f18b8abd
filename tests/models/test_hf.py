"""The Hugging Face backend on real (tiny) models: batching, isolation of bad requests, params, fingerprints."""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from PIL import Image

from pytest_multitrust.data.images import ImageRef
from pytest_multitrust.models.hf import HFModel
from pytest_multitrust.models.hf_checkpoint import checkpoint_digest, state_dict_digest
from pytest_multitrust.models.protocol import GenerationParams, Request, Response
from pytest_multitrust.models.tiny import build_tiny, save_tiny

from .conftest import SHORT, noise_image


def rebatched(model: HFModel, max_batch_size: int) -> HFModel:
    """The same weights and processor behind another batch size."""
    return HFModel(model.model, model.processor, spec=model.spec, max_batch_size=max_batch_size)


def test_import_does_not_load_torch() -> None:
    code = (
        "import sys, pytest_multitrust.models.hf, pytest_multitrust.models.tiny\n"
        "heavy = sorted(m for m in ('torch', 'transformers', 'tokenizers') if m in sys.modules)\n"
        "print(','.join(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_batched_equals_one_by_one(tiny: HFModel, mixed_requests: list[Request]) -> None:
    """Left padding plus attention masks keep each row's answer independent of its batch mates.

    The logits are not bit-identical (matmul shapes change float rounding by ~1e-7), but far below the gaps
    between the tiny models' top tokens, so greedy answers match.
    """
    batched = rebatched(tiny, len(mixed_requests)).generate(mixed_requests)
    single = [tiny.generate([request])[0] for request in mixed_requests]
    assert all(r.ok for r in batched)
    assert batched == single


def test_same_batch_same_answers(tiny: HFModel, mixed_requests: list[Request]) -> None:
    model = rebatched(tiny, 2)
    assert model.generate(mixed_requests) == model.generate(mixed_requests)


def test_text_only_and_image_requests_share_one_batch(
    tiny: HFModel, mixed_requests: list[Request], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="pytest_multitrust.models.hf"):
        responses = rebatched(tiny, len(mixed_requests)).generate(mixed_requests)
    assert [len(r.images) for r in mixed_requests] == [1, 0, 2, 1, 0]
    assert all(r.ok and isinstance(r.text, str) for r in responses)
    assert not caplog.records, "the mixed batch fell back to smaller batches"


def test_every_image_of_a_request_is_seen(tiny: HFModel) -> None:
    first = noise_image("first")
    seconds = [noise_image(f"second-{i}") for i in range(4)]
    requests = [Request(f"t/v/{i}", "Compare the two images.", (first, s), params=SHORT) for i, s in enumerate(seconds)]
    answers = [r.text for r in tiny.generate(requests)]
    assert len(set(answers)) > 1, "changing the second image never changed the answer"


def test_a_bad_request_costs_only_itself(tiny: HFModel, mixed_requests: list[Request]) -> None:
    empty = ImageRef.of(Image.new("RGB", (0, 0)), source="test:empty")
    bad_image = Request("t/v/bad-image", "What is this?", (empty,), params=SHORT)
    too_long = Request("t/v/too-long", "x" * 5000, params=SHORT)
    requests = [mixed_requests[0], bad_image, mixed_requests[1], too_long, mixed_requests[2]]
    responses = rebatched(tiny, len(requests)).generate(requests)
    good = [tiny.generate([r])[0] for r in (mixed_requests[0], mixed_requests[1], mixed_requests[2])]
    assert [responses[i] for i in (0, 2, 4)] == good
    for response, request in ((responses[1], bad_image), (responses[3], too_long)):
        assert not response.ok and response.text == ""
        assert response.error is not None and request.id in response.error and "\n" not in response.error
    assert "context" in str(responses[3].error)


def test_each_request_keeps_its_max_new_tokens(tiny: HFModel, images: tuple[ImageRef, ...]) -> None:
    """Greedy decoding: the 4-token answer is the start of the 24-token one (params batch separately)."""
    short = Request("t/v/0", "Describe it.", (images[0],), params=GenerationParams(max_new_tokens=4))
    long = Request("t/v/1", "Describe it.", (images[0],), params=GenerationParams(max_new_tokens=24))
    a, b, c = tiny.generate([short, long, short])
    assert a == c and a.ok and b.ok
    assert len(a.text) < len(b.text)
    assert b.text.startswith(a.text.rstrip("\ufffd").rstrip())


def test_checkpoint_sampling_defaults_stay_out_of_greedy_runs(
    tiny_llava: HFModel, mixed_requests: list[Request]
) -> None:
    """Checkpoints such as Qwen2-VL ship sampling settings in generation_config; greedy requests must ignore them."""
    model, processor = build_tiny("tiny-llava")
    generation = model.generation_config
    generation.do_sample, generation.temperature, generation.top_k = True, 3.0, 0
    assert HFModel(model, processor).generate(mixed_requests) == tiny_llava.generate(mixed_requests)


def test_sampling_runs(tiny: HFModel, images: tuple[ImageRef, ...]) -> None:
    params = GenerationParams(max_new_tokens=8, do_sample=True, temperature=0.8, top_p=0.9)
    responses = tiny.generate([Request("t/v/0", "Describe it.", (images[0],), params=params)] * 2)
    assert all(r.ok and isinstance(r.text, str) for r in responses)


def test_empty_batch(tiny: HFModel) -> None:
    assert tiny.generate([]) == []


def test_fingerprint_follows_weights_processor_and_dtype(tiny_llava: HFModel, tmp_path: Path) -> None:
    same = HFModel(tiny_llava.model, tiny_llava.processor, spec="hf:x", identity=tiny_llava.identity)
    assert same.fingerprint() == tiny_llava.fingerprint()

    changed = copy.deepcopy(tiny_llava.model)
    with torch.no_grad():
        next(iter(changed.parameters())).view(-1)[0] += 1e-3
    assert state_dict_digest(changed) != state_dict_digest(tiny_llava.model)
    assert HFModel(changed, tiny_llava.processor, identity=tiny_llava.identity).fingerprint() != same.fingerprint()

    processor = copy.deepcopy(tiny_llava.processor)
    processor.chat_template = processor.chat_template.replace("ASSISTANT:", "ASSISTANT: ")
    other = HFModel(tiny_llava.model, processor, identity=tiny_llava.identity)
    assert other.processor_fingerprint != tiny_llava.processor_fingerprint
    assert other.fingerprint() != same.fingerprint()

    folder = save_tiny("tiny-llava", tmp_path)
    float32 = HFModel.from_pretrained(folder, dtype="float32", device="cpu")
    bfloat16 = HFModel.from_pretrained(folder, dtype="bfloat16", device="cpu")
    assert bfloat16.describe()["dtype"] == "bfloat16"
    assert bfloat16.fingerprint() != float32.fingerprint()
    assert bfloat16.generate([Request("t/v/0", "Hi", params=SHORT)])[0].ok


def test_fingerprint_follows_transformers_the_render_schema_and_the_cache_tag(
    tiny_llava: HFModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fix in prompt rendering, another transformers or a new tag must not reuse answers cached before."""
    import transformers

    from pytest_multitrust.models import hf_prompts

    def fresh(cache_tag: str | None = None) -> HFModel:
        return HFModel(tiny_llava.model, tiny_llava.processor, identity=tiny_llava.identity, cache_tag=cache_tag)

    base = fresh()
    facts = base.describe()
    assert facts["transformers_version"] == transformers.__version__
    assert (facts["prompt_render_schema"], facts["cache_tag"]) == (hf_prompts.PROMPT_RENDER_SCHEMA, None)
    assert fresh().fingerprint() == base.fingerprint() == tiny_llava.fingerprint()
    assert fresh("retrained-2024-06").fingerprint() != base.fingerprint()
    assert fresh("retrained-2024-06").describe()["cache_tag"] == "retrained-2024-06"
    with monkeypatch.context() as patch:
        patch.setattr(hf_prompts, "PROMPT_RENDER_SCHEMA", hf_prompts.PROMPT_RENDER_SCHEMA + 1)
        assert fresh().fingerprint() != base.fingerprint()
    with monkeypatch.context() as patch:
        patch.setattr(transformers, "__version__", "4.0.0")
        assert fresh().fingerprint() != base.fingerprint()
    assert fresh().fingerprint() == base.fingerprint()


def test_cache_tag_reaches_the_fingerprint_through_model_args(tmp_path: Path) -> None:
    from pytest_multitrust.models import hf, tiny
    from pytest_multitrust.models.registry import LoadOptions

    hf.validate_args({"cache_tag": "ckpt-7"})
    tiny.validate_args({"cache_tag": "ckpt-7"})
    plain = tiny.load("tiny-llava", LoadOptions())
    tagged = tiny.load("tiny-llava", LoadOptions(args={"cache_tag": " ckpt-7 "}))
    assert tagged.cache_tag == "ckpt-7" and tagged.fingerprint() != plain.fingerprint()
    folder = save_tiny("tiny-llava", tmp_path)
    from_folder = hf.load(folder, LoadOptions(args={"device": "cpu", "cache_tag": "ckpt-7"}))
    assert from_folder.cache_tag == "ckpt-7"
    assert from_folder.fingerprint() != hf.load(folder, LoadOptions(args={"device": "cpu"})).fingerprint()


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
@pytest.mark.parametrize(
    ("args", "setting"), [({"device": "cuda"}, "device=cuda"), ({"device_map": "cuda:1"}, "device_map=cuda:1")]
)
def test_cuda_without_cuda_is_a_one_line_load_error(tmp_path: Path, args: dict[str, str], setting: str) -> None:
    """Past configure time (a CUDA build of torch on a machine without a GPU), loading says what to change."""
    from pytest_multitrust.models import hf
    from pytest_multitrust.models.protocol import ModelLoadError
    from pytest_multitrust.models.registry import LoadOptions

    folder = save_tiny("tiny-llava", tmp_path)
    with pytest.raises(ModelLoadError) as info:
        hf.load(folder, LoadOptions(args=args))
    message = str(info.value)
    assert message.startswith(f"hf: --model-arg {setting} asks for CUDA, but torch ") and "\n" not in message
    assert "use device=cpu" in message


def test_a_model_type_transformers_does_not_know_is_a_one_line_load_error(tmp_path: Path) -> None:
    from pytest_multitrust.models.protocol import ModelLoadError
    from pytest_multitrust.models.registry import parse_spec

    folder = Path(save_tiny("tiny-llava", tmp_path))
    config = json.loads((folder / "config.json").read_text())
    (folder / "config.json").write_text(json.dumps({**config, "model_type": "no-such-family"}))
    parse_spec(f"hf:{folder}")  # a model_type is there; whether transformers knows it needs transformers
    with pytest.raises(ModelLoadError) as info:
        HFModel.from_pretrained(folder, device="cpu")
    message = str(info.value)
    assert message.startswith(f"hf: cannot load {str(folder)!r}: ") and "no-such-family" in message
    assert "\n" not in message


def test_checkpoint_digest_reads_the_weight_files(tmp_path: Path) -> None:
    folder = save_tiny("tiny-llava", tmp_path / "a")
    digest = checkpoint_digest(folder)
    assert checkpoint_digest(save_tiny("tiny-llava", tmp_path / "b")) == digest
    assert checkpoint_digest(save_tiny("tiny-llava", tmp_path / "c", seed=1)) != digest
    with pytest.raises(ValueError, match="no weight files"):
        checkpoint_digest(str(tmp_path))


def test_hub_cache_links_are_not_rehashed(tmp_path: Path) -> None:
    """A cache snapshot (links to blobs named by their sha256) has the same digest as a plain copy."""
    plain = tmp_path / "plain"
    plain.mkdir()
    weights = b"not really safetensors"
    (plain / "model.safetensors").write_bytes(weights)
    blobs, snapshot = tmp_path / "blobs", tmp_path / "snapshot"
    blobs.mkdir()
    snapshot.mkdir()
    blob = blobs / hashlib.sha256(weights).hexdigest()
    blob.write_bytes(b"the name, not these bytes, is trusted")
    (snapshot / "model.safetensors").symlink_to(blob)
    assert checkpoint_digest(str(snapshot)) == checkpoint_digest(str(plain))


def test_registry_loads_both_backends(tmp_path: Path, mixed_requests: list[Request]) -> None:
    from pytest_multitrust.models.registry import LoadOptions, load_model, parse_spec

    tiny = load_model(parse_spec("tiny-llava"), LoadOptions(seed=3))
    assert isinstance(tiny, HFModel) and tiny.spec == "tiny:tiny-llava"
    assert tiny.identity == {"tiny": "tiny-llava", "seed": 3}
    folder = save_tiny("tiny-llava", tmp_path, seed=3)
    loaded = load_model(parse_spec(f"hf:{folder}"), LoadOptions())
    assert loaded.spec == f"hf:{folder}"
    assert loaded.generate(mixed_requests) == tiny.generate(mixed_requests)


def test_describe_is_json(tiny: HFModel) -> None:
    facts = json.loads(json.dumps(tiny.describe()))
    assert facts["device"] == "cpu" and facts["dtype"] == "float32"
    assert facts["max_batch_size"] == tiny.max_batch_size
    assert len(facts["fingerprint"]) == len(facts["processor_fingerprint"]) == 64


def test_bad_settings_are_refused(tiny_llava: HFModel, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="max_batch_size"):
        HFModel(tiny_llava.model, tiny_llava.processor, max_batch_size=0)
    with pytest.raises(ValueError, match="dtype"):
        HFModel.from_pretrained(tmp_path, dtype="float8")
    with pytest.raises(ValueError, match="device or device_map"):
        HFModel.from_pretrained(tmp_path, device="cpu", device_map="cpu")
    with pytest.raises(OSError):
        HFModel.from_pretrained(tmp_path / "missing", device="cpu")


def test_responses_are_responses(tiny: HFModel, mixed_requests: list[Request]) -> None:
    responses = tiny.generate(mixed_requests)
    assert len(responses) == len(mixed_requests)
    assert all(isinstance(r, Response) and not r.cached for r in responses)


def test_model_args_reach_the_loaded_model_and_its_fingerprint(tmp_path: Path) -> None:
    """``--model-arg`` values set dtype, attention kernel and batch size; those changing outputs are fingerprinted."""
    from pytest_multitrust.models.registry import LoadOptions, load_model, parse_spec

    spec = parse_spec(f"hf:{save_tiny('tiny-llava', tmp_path)}")
    plain = load_model(spec, LoadOptions(args={"device": "cpu"}))
    eager = load_model(spec, LoadOptions(args={"device": "cpu", "attn_implementation": "eager"}))
    tuned = load_model(spec, LoadOptions(args={"dtype": "bfloat16", "device_map": "cpu", "max_batch_size": "3"}))
    assert isinstance(plain, HFModel) and isinstance(eager, HFModel) and isinstance(tuned, HFModel)
    assert (plain.attn_implementation, eager.attn_implementation) == ("sdpa", "eager")
    assert eager.fingerprint() != plain.fingerprint()
    facts = tuned.describe()
    assert (facts["dtype"], facts["device"], facts["max_batch_size"]) == ("bfloat16", "cpu", 3)
    assert tuned.fingerprint() != plain.fingerprint()
    assert eager.generate([Request("t/v/0", "Hi", params=SHORT)]) == plain.generate(
        [Request("t/v/0", "Hi", params=SHORT)]
    )


def test_bad_model_args_fail_before_loading(tmp_path: Path) -> None:
    from pytest_multitrust.models import hf
    from pytest_multitrust.models.registry import LoadOptions

    with pytest.raises(ValueError, match=r"^hf: unknown --model-arg 'temperature'; accepted keys: dtype, device"):
        hf.load(str(tmp_path / "missing"), LoadOptions(args={"temperature": "0.5"}))
    with pytest.raises(ValueError, match=r"^hf: --model-arg dtype='fp8' is not one of"):
        hf.validate_args({"dtype": "fp8"})
    hf.validate_args({"dtype": "auto", "trust_remote_code": "false"})


def test_template_on_the_tokenizer_only_or_nowhere(tiny_llava: HFModel, mixed_requests: list[Request]) -> None:
    """Older checkpoints keep the chat template in the tokenizer; base models have none (a per-request error)."""
    processor = copy.deepcopy(tiny_llava.processor)
    processor.tokenizer.chat_template, processor.chat_template = processor.chat_template, None
    model = HFModel(tiny_llava.model, processor)
    assert [model.prompt_text(r) for r in mixed_requests] == [tiny_llava.prompt_text(r) for r in mixed_requests]
    processor.tokenizer.chat_template = None
    responses = model.generate(mixed_requests[:2])
    assert all(not r.ok and "could not build the prompt" in str(r.error) for r in responses)
    assert "has no chat template" in str(responses[0].error)
