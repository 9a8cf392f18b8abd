"""The PGD attack on a tiny model's vision encoder: it moves the features, holds the ε bound on the saved PNGs,
is deterministic for a seed, and a second run reads the cache instead of attacking."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from pytest_multitrust.attacks.adversarial import AttackJob, adversarial_images
from pytest_multitrust.attacks.cache import ADVERSARIAL_DIR, AdversarialCache
from pytest_multitrust.attacks.pgd import (
    AttackParams,
    linf_255,
    parse_attack_args,
    pgd,
    quantise,
    start_seed,
    to_tensor,
)
from pytest_multitrust.data.images import ImageRef, rng_for
from pytest_multitrust.data.scenes import draw_pictogram_scene
from pytest_multitrust.spec import PrepareUnavailable
from tests.attacks.context import FakeContext, tiny_encoder

#: Fewer steps than the default keep the tests fast; the feature shift is already large after 10.
FAST = AttackParams(steps=10)


def scene(label: str, key: object) -> ImageRef:
    image, _ = draw_pictogram_scene(label, rng_for("tests/attacks", key), 336)  # type: ignore[arg-type]
    return ImageRef.of(image, f"test:{label}/{key}")


def cosine(a: Image.Image, b: Image.Image) -> float:
    encoder = tiny_encoder()
    with torch.no_grad():
        fa, fb = encoder.features(to_tensor(a)), encoder.features(to_tensor(b))
    return float(torch.nn.functional.cosine_similarity(fa, fb))


# --- parameters --------------------------------------------------------------------------------------------------


def test_defaults_are_the_official_settings() -> None:
    params = parse_attack_args({})
    assert params == AttackParams() and (params.eps, params.step, params.steps) == (16 / 255, 1 / 255, 50)
    assert params.eps_255 == 16 and params.as_json()["step_255"] == 1.0


@pytest.mark.parametrize(
    ("args", "expected"),
    [({"eps": "16/255"}, AttackParams(eps=16 / 255)), ({"eps": "8/255", "step": "0.5/255", "steps": "10"},
      AttackParams(eps=8 / 255, step=0.5 / 255, steps=10)), ({"eps": " 0.05 "}, AttackParams(eps=0.05)),
     ({"steps": "0"}, AttackParams(steps=0)), ({"eps": "1"}, AttackParams(eps=1.0))],
)  # fmt: skip
def test_attack_args_parse(args: dict[str, str], expected: AttackParams) -> None:
    assert parse_attack_args(args) == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [({"epsilon": "1"}, "unknown --attack-arg 'epsilon'; known: eps, step, steps"),
     ({"eps": "sixteen"}, "eps='sixteen' is not a number"), ({"eps": "16/0"}, "divides by zero"),
     ({"eps": "2"}, "outside (0, 1]"), ({"step": "0"}, "step='0' is 0, outside (0, 1]"),
     ({"steps": "-1"}, "steps='-1'"), ({"steps": "2.5"}, "steps='2.5'"), ({"steps": "10001"}, "to 10000"),
     ({"eps": "0.5/255"}, "below one 8-bit level")],
)  # fmt: skip
def test_bad_attack_args_are_one_line_errors(args: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)) as error:
        parse_attack_args(args)
    assert "\n" not in str(error.value)


def test_eps_in_levels_is_the_largest_whole_level_inside_the_bound() -> None:
    assert AttackParams(eps=0.05).eps_255 == 12  # 12.75 levels: 12 stay inside
    assert AttackParams(eps=8 / 255).eps_255 == 8


def test_quantisation_clips_to_the_ball_in_uint8_space() -> None:
    clean = Image.fromarray(np.full((4, 4, 3), 100, dtype=np.uint8))
    far = torch.full((1, 3, 4, 4), 200 / 255)
    assert linf_255(quantise(far, clean, 16), clean) == 16
    near = torch.full((1, 3, 4, 4), 103.4 / 255)
    assert np.asarray(quantise(near, clean, 16)).max() == 103  # rounded to the nearest level
    assert np.asarray(quantise(torch.full((1, 3, 4, 4), -1.0), clean, 200)).min() == 0


# --- the attack on a tiny model -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pair() -> tuple[Image.Image, Image.Image]:
    encoder = tiny_encoder()
    return encoder.resize(scene("car", 0).image), encoder.resize(scene("fish", 1).image)


def test_untargeted_attack_pushes_the_features_away_from_the_clean_image(pair: tuple[Image.Image, Image.Image]) -> None:
    clean, _ = pair
    result = pgd([tiny_encoder()], clean, "untargeted", FAST, seed=1)
    assert result.objective_start == pytest.approx(1.0, abs=1e-5)
    assert result.objective_end < 0.9 and cosine(result.image, clean) == pytest.approx(result.objective_end, abs=1e-5)
    assert result.image.size == clean.size == (32, 32) and result.image.mode == "RGB"
    assert 0 < result.linf_255 <= 16


def test_targeted_attack_pulls_the_features_toward_the_target(pair: tuple[Image.Image, Image.Image]) -> None:
    clean, target = pair
    result = pgd([tiny_encoder()], clean, "targeted", FAST, seed=1, target=target)
    assert result.objective_start == pytest.approx(cosine(clean, target), abs=1e-5)
    assert result.objective_end > result.objective_start
    assert result.objective_end == pytest.approx(cosine(result.image, target), abs=1e-5)


def test_the_attack_is_deterministic_for_a_seed(pair: tuple[Image.Image, Image.Image]) -> None:
    clean, _ = pair
    first = pgd([tiny_encoder()], clean, "untargeted", FAST, seed=7).image.tobytes()
    assert pgd([tiny_encoder()], clean, "untargeted", FAST, seed=7).image.tobytes() == first
    assert pgd([tiny_encoder()], clean, "untargeted", FAST, seed=8).image.tobytes() != first
    assert start_seed(0, "abc", "untargeted") != start_seed(0, "abc", "targeted") != start_seed(1, "abc", "targeted")


def test_zero_steps_return_the_clean_image(pair: tuple[Image.Image, Image.Image]) -> None:
    clean, _ = pair
    result = pgd([tiny_encoder()], clean, "untargeted", AttackParams(steps=0), seed=1)
    assert result.image.tobytes() == clean.tobytes() and result.linf_255 == 0


def test_an_ensemble_of_different_resolutions_averages_the_cosines(pair: tuple[Image.Image, Image.Image]) -> None:
    clean, _ = pair
    qwen = tiny_encoder("tiny-qwen2-vl")  # 112 px input: the llava canvas (32 px) is resized in torch
    result = pgd([tiny_encoder(), qwen], clean, "untargeted", AttackParams(steps=4), seed=1)
    assert result.image.size == (32, 32) and result.objective_end < result.objective_start
    with pytest.raises(ValueError, match="at least one"):
        pgd([], clean, "untargeted", FAST, seed=1)
    with pytest.raises(ValueError, match="targeted attack takes a target"):
        pgd([tiny_encoder()], clean, "targeted", FAST, seed=1)


# --- through the prepare context and the cache -------------------------------------------------------------------


def jobs(count: int = 3, targeted: bool = False) -> list[AttackJob]:
    labels = ["house", "car", "clock", "boat"]
    return [AttackJob(scene(labels[i], i), scene("fish", 10 + i) if targeted else None) for i in range(count)]


@pytest.mark.parametrize("mode", ["untargeted", "targeted"])
def test_saved_pngs_hold_the_bound_and_a_rerun_hits_the_cache(tmp_path: Path, mode: str) -> None:
    context = FakeContext(cache_dir=tmp_path)
    todo = jobs(targeted=mode == "targeted")
    first = adversarial_images(mode, todo, context, FAST)  # type: ignore[arg-type]
    assert context.loads == 1 and not any(a.cached for a in first)
    pngs = sorted((tmp_path / ADVERSARIAL_DIR).rglob("*.png"))
    assert len(pngs) == len(todo)
    encoder = tiny_encoder()
    for job, adversarial in zip(todo, first, strict=True):
        saved = next(p for p in pngs if Image.open(p).tobytes() == adversarial.image.image.tobytes())
        clean = encoder.resize(job.clean.image)
        assert linf_255(Image.open(saved), clean) == adversarial.linf_255 <= 16
        assert adversarial.image.image.size == (32, 32) and adversarial.input_size == (32, 32)
    second = adversarial_images(mode, todo, context, FAST)  # type: ignore[arg-type]
    assert context.loads == 1, "a rerun must not load the encoders"
    assert all(a.cached for a in second)
    assert [a.image.sha256 for a in second] == [a.image.sha256 for a in first]
    assert [a.objective_end for a in second] == [a.objective_end for a in first]


def test_the_cache_key_separates_parameters_seeds_encoders_and_targets(tmp_path: Path) -> None:
    context = FakeContext(cache_dir=tmp_path)
    base = adversarial_images("untargeted", jobs(1), context, FAST)[0]
    for other in (FakeContext(cache_dir=tmp_path, seed=1), FakeContext(cache_dir=tmp_path, key="another-encoder")):
        assert not adversarial_images("untargeted", jobs(1), other, FAST)[0].cached
    assert not adversarial_images("untargeted", jobs(1), context, AttackParams(steps=9))[0].cached
    assert not adversarial_images("targeted", jobs(1, targeted=True), context, FAST)[0].cached
    assert adversarial_images("untargeted", jobs(1), context, FAST)[0].image == base.image
    assert len(list((tmp_path / ADVERSARIAL_DIR).rglob("*.png"))) == 5


@pytest.mark.parametrize("damage", ["truncate", "garbage", "over-bound", "other-key"])
def test_a_damaged_entry_is_a_miss_and_is_rewritten(tmp_path: Path, damage: str) -> None:
    context = FakeContext(cache_dir=tmp_path)
    first = adversarial_images("untargeted", jobs(1), context, FAST)[0]
    (path,) = (tmp_path / ADVERSARIAL_DIR).rglob("*.png")
    if damage == "truncate":
        path.write_bytes(path.read_bytes()[:100])
    elif damage == "garbage":
        path.write_bytes(b"not a png")
    elif damage == "over-bound":  # a valid entry whose pixels break the bound: re-measured, never trusted
        entry = AdversarialCache(tmp_path / ADVERSARIAL_DIR).get(path.stem)
        assert entry is not None
        AdversarialCache(tmp_path / ADVERSARIAL_DIR).put(
            path.stem, Image.new("RGB", (32, 32), (255, 0, 255)), entry.meta
        )
    else:
        entry = AdversarialCache(tmp_path / ADVERSARIAL_DIR).get(path.stem)
        assert entry is not None
        AdversarialCache(tmp_path / ADVERSARIAL_DIR).put("0" * 64, entry.image, entry.meta)
        path.write_bytes((path.parent.parent / "00" / f"{'0' * 64}.png").read_bytes())
    again = adversarial_images("untargeted", jobs(1), context, FAST)[0]
    assert not again.cached and context.loads == 2 and again.image == first.image
    assert adversarial_images("untargeted", jobs(1), context, FAST)[0].cached  # rewritten whole


def test_without_a_cache_dir_every_run_attacks(tmp_path: Path) -> None:
    context = FakeContext(cache_dir=None)
    adversarial_images("untargeted", jobs(1), context, FAST)
    adversarial_images("untargeted", jobs(1), context, FAST)
    assert context.loads == 2


def test_no_encoder_is_one_line_and_only_when_something_must_be_computed(tmp_path: Path) -> None:
    adversarial_images("untargeted", jobs(1), FakeContext(cache_dir=tmp_path), FAST)
    replay = FakeContext(load=None, cache_dir=tmp_path)
    assert adversarial_images("untargeted", jobs(1), replay, FAST)[0].cached  # cached: no encoder needed
    with pytest.raises(PrepareUnavailable, match="pass --surrogate PATH") as error:
        adversarial_images("untargeted", jobs(2), replay, FAST)
    assert "\n" not in str(error.value)
    with pytest.raises(PrepareUnavailable, match="no vision encoder to attack"):
        adversarial_images("untargeted", jobs(1), FakeContext(load=lambda: [], cache_dir=None), FAST)
