"""The runner's prepare context: surrogates first, else the model under test; cheap keys; nothing loaded on a
rerun whose adversarial images are cached."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_multitrust.attacks.context import AttackContext, shared_surrogate
from pytest_multitrust.attacks.encoders import ensemble_key, model_encoder_key, surrogate_key
from pytest_multitrust.data.adversarial import clean_samples
from pytest_multitrust.models.lazy import model_loaded, open_model
from pytest_multitrust.models.registry import LoadOptions, parse_spec
from pytest_multitrust.models.tiny import load_tiny
from pytest_multitrust.spec import DataOptions, PrepareContext, PrepareUnavailable, Variant
from pytest_multitrust.tasks.adversarial_common import prepare_adversarial


class Replay:
    spec = "replay:answers.jsonl"

    def fingerprint(self) -> str:
        return "replay:x"


def test_the_model_under_test_is_attacked_when_no_surrogate_is_named() -> None:
    model = load_tiny("tiny-llava")
    context: PrepareContext = AttackContext(model, seed=0)
    (encoder,) = context.encoders()
    assert context.encoder_key() == model_encoder_key(model.fingerprint()) == encoder.fingerprint
    assert context.encoders()[0] is encoder  # loaded once per context


def test_surrogates_take_precedence_and_are_loaded_once_per_process() -> None:
    specs = ("tiny-llava", "tiny-gemma3")
    context = AttackContext(load_tiny("tiny-qwen2-vl"), surrogates=specs, seed=0)
    assert context.encoder_key() == ensemble_key([surrogate_key(spec) for spec in specs])
    first, second = context.encoders()
    assert (first.name, second.name) == ("tiny:tiny-llava", "tiny:tiny-gemma3")
    assert AttackContext(Replay(), surrogates=specs).encoders()[0] is first is shared_surrogate("tiny-llava", 0)


def test_a_backend_without_an_encoder_and_no_surrogate_is_one_line() -> None:
    context = AttackContext(Replay())
    for call in (context.encoder_key, context.encoders):
        with pytest.raises(PrepareUnavailable, match=r"replay:answers\.jsonl\) exposes no vision encoder") as error:
            call()
        assert "pass --surrogate PATH" in str(error.value) and "\n" not in str(error.value)
    assert AttackContext(Replay(), surrogates=("tiny-llava",)).encoder_key() == surrogate_key("tiny-llava")


def test_a_rerun_with_cached_images_loads_no_model(tmp_path: Path) -> None:
    spec, options = parse_spec("tiny-llava"), LoadOptions(seed=0)
    variant = Variant("r4", "adv-untarget")
    samples = clean_samples(variant, DataOptions(seed=0), targeted=False)[:2]
    args = {"steps": "3"}
    first_model = open_model("--model", spec, options, tmp_path)
    first = prepare_adversarial("untargeted", variant, samples, AttackContext(first_model, (), 0, tmp_path, args))
    assert model_loaded(first_model) and not any(s.extra["attack_cached"] for s in first)
    rerun_model = open_model("--model", spec, options, tmp_path)  # a new session: the lazy backend, unloaded
    again = prepare_adversarial("untargeted", variant, samples, AttackContext(rerun_model, (), 0, tmp_path, args))
    assert not model_loaded(rerun_model), "the rerun loaded the model although every image was cached"
    assert all(s.extra["attack_cached"] for s in again)
    assert [s.images[0].sha256 for s in again] == [s.images[0].sha256 for s in first]


def test_a_cached_rerun_imports_no_torch(tmp_path: Path) -> None:
    import subprocess
    import sys

    script = f"""
import sys
from pathlib import Path
from pytest_multitrust.attacks.context import AttackContext
from pytest_multitrust.data.adversarial import clean_samples
from pytest_multitrust.models.lazy import open_model
from pytest_multitrust.models.registry import LoadOptions, parse_spec
from pytest_multitrust.spec import DataOptions, Variant
from pytest_multitrust.tasks.adversarial_common import prepare_adversarial

variant = Variant("r5", "adv-target")
samples = clean_samples(variant, DataOptions(seed=0), targeted=True)[:2]
root = Path({str(tmp_path)!r})
model = open_model("--model", parse_spec("tiny-llava"), LoadOptions(seed=0), root)
out = prepare_adversarial("targeted", variant, samples, AttackContext(model, (), 0, root, {{"steps": "2"}}))
print(sys.argv[1], all(s.extra["attack_cached"] for s in out), "torch" in sys.modules)
"""
    runs = [subprocess.run([sys.executable, "-c", script, name], capture_output=True, text=True, check=True)
            for name in ("first", "rerun")]  # fmt: skip
    assert [run.stdout.split() for run in runs] == [["first", "False", "True"], ["rerun", "True", "False"]]
