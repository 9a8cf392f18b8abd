"""S.6 cross-modal influence on jailbreak: paired built-in variants, the S.4 scoring over 4 files, and the
official loader (all samples, seeded unrelated picks, pos / neg folders) on a small tree."""

from __future__ import annotations

from collections import Counter
from functools import cache, partial
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from pytest_multitrust.data.banks.behaviors import BEHAVIORS_BY_CATEGORY, HARMFUL_BEHAVIORS
from pytest_multitrust.data.banks.jailbreaks import JAILBREAK_PROMPTS
from pytest_multitrust.data.figstep import SAFETY_CUES, keyword_image, safety_cue_image
from pytest_multitrust.data.images import ImageRef, rng_for
from pytest_multitrust.data.official import OfficialDataError
from pytest_multitrust.data.unrelated import unrelated_image
from pytest_multitrust.scoring.refusal import REFUSAL_LISTS, is_refusal
from pytest_multitrust.spec import DataOptions, Sample, Variant, registered_tasks
from pytest_multitrust.tasks.jailbreak_common import HARMBENCH_JUDGE
from pytest_multitrust.tasks.s6_crossmodal_jailbreak import (
    OFFICIAL_CSV,
    OFFICIAL_IMAGE_DIRS,
    S6_CROSSMODAL_JAILBREAK,
    TEXT_TEMPLATE,
    build_sample,
    jailbreak_index,
)
from tests.reference import official_samples, scripted_scores
from tests.reference import s6 as reference

SPEC = S6_CROSSMODAL_JAILBREAK
VARIANT_IDS = ["crossmodal-jailbreak-text", "crossmodal-jailbreak-unrelated", "crossmodal-jailbreak-pos",
               "crossmodal-jailbreak-neg"]  # fmt: skip


@cache
def _samples(variant_id: str, seed: int = 0) -> list[Sample]:
    return SPEC.builtin(SPEC.variant(variant_id), DataOptions(seed=seed))


def _sha(image: Image.Image) -> str:
    return ImageRef.of(image, "x").sha256


def test_spec_is_registered_with_the_official_variants_and_the_harmbench_judge() -> None:
    assert registered_tasks()["s6"] is SPEC
    assert (SPEC.name, SPEC.aspect, SPEC.sub_aspect.id) == ("crossmodal_jailbreak", "safety", "safety/jailbreaking")
    assert [v.id for v in SPEC.variants] == VARIANT_IDS
    assert [v.modality for v in SPEC.variants] == ["text", "unrelated", "pos-image", "neg-image"]
    assert SPEC.generation.max_new_tokens == 150 and not SPEC.generation.do_sample
    assert dict(SPEC.llm_judges) == dict.fromkeys(VARIANT_IDS, HARMBENCH_JUDGE)
    assert "first 10" in SPEC.notes and "seeds the unrelated" in SPEC.notes and SPEC.official is not None


def test_the_four_variants_share_their_text_prompts_sample_by_sample() -> None:
    text = _samples("crossmodal-jailbreak-text")
    assert len(text) == 2 * len(HARMFUL_BEHAVIORS) >= 50 and len({s.prompt for s in text}) == len(text)
    for variant_id in VARIANT_IDS[1:]:
        samples = _samples(variant_id)
        assert [(s.prompt, s.target) for s in samples] == [(s.prompt, s.target) for s in text]
        assert all(len(s.images) == 1 for s in samples)
    assert not any(s.images for s in text)


def test_text_prompts_join_a_jailbreak_and_the_behaviour_in_balanced_order() -> None:
    text = _samples("crossmodal-jailbreak-text")
    assert [s.target for s in text] == [b.text for b in HARMFUL_BEHAVIORS for _ in range(2)]
    for sample in text:
        jailbreak = JAILBREAK_PROMPTS[sample.extra["jailbreak_index"]]
        assert sample.prompt == TEXT_TEMPLATE.format(jailbreak=jailbreak, behavior=sample.target)
    assert sorted(s.extra["jailbreak_index"] for s in text[: len(JAILBREAK_PROMPTS)]) == list(range(5))
    pairs = zip(text[::2], text[1::2], strict=True)
    assert all(a.extra["jailbreak_index"] != b.extra["jailbreak_index"] for a, b in pairs)
    prefix = text[: 2 * len(BEHAVIORS_BY_CATEGORY)]
    assert Counter(s.extra["category"] for s in prefix) == dict.fromkeys(BEHAVIORS_BY_CATEGORY, 2)
    # The text alone must not read as a refusal, or an echoing model would score as safe.
    assert not any(is_refusal(s.prompt, name) for s in text for name in REFUSAL_LISTS)


def test_images_per_variant() -> None:
    unrelated = _samples("crossmodal-jailbreak-unrelated", seed=2)
    assert [s.extra["image"] for s in unrelated[:6]] == ["color", "nature", "noise"] * 2
    assert all(s.images[0].sha256 == unrelated_image(s.extra["image"], 2, s.id).sha256 for s in unrelated[:6])
    pos = _samples("crossmodal-jailbreak-pos", seed=2)
    assert [s.extra["image"] for s in pos[:8]] == list(SAFETY_CUES) * 2
    assert pos[5].images[0].sha256 == _sha(safety_cue_image(pos[5].extra["image"], rng_for(2, "s6", "pos", 5)))
    neg = _samples("crossmodal-jailbreak-neg", seed=2)
    behavior = HARMFUL_BEHAVIORS[2]
    assert neg[5].target == behavior.text
    expected = keyword_image(behavior.text, behavior.category, rng_for(2, "s6", "neg", 5))
    assert neg[5].images[0].sha256 == _sha(expected)
    assert len({s.images[0].sha256 for s in neg}) == len(neg)


@given(seed=st.integers(0, 10_000), index=st.integers(0, 2 * len(HARMFUL_BEHAVIORS) - 1))
@settings(max_examples=8, deadline=None)
def test_a_sample_depends_only_on_seed_variant_and_index(seed: int, index: int) -> None:
    for variant in SPEC.variants[:3:2]:  # text and pos: the cheap ones
        alone = build_sample(variant, index, seed)
        again = build_sample(variant, index, seed)
        assert alone == again and [i.sha256 for i in alone.images] == [i.sha256 for i in again.images]
        assert alone.extra["jailbreak_index"] == jailbreak_index(seed, index)


def test_the_seed_changes_the_jailbreak_pairing() -> None:
    pairings = {tuple(jailbreak_index(seed, i) for i in range(10)) for seed in range(8)}
    assert len(pairings) > 1


# --- scoring -----------------------------------------------------------------------------------------------------


def test_scripted_answers_give_the_documented_scores() -> None:
    metrics, ideal = scripted_scores(SPEC, reference.ideal)
    assert ideal == reference.REFUSE_ALL_SCORE == 100.0
    assert metrics == {v: {"suc_rate": 0.0, "RtA": 1.0, "n": 96.0} for v in VARIANT_IDS}
    assert scripted_scores(SPEC, reference.refuse_all)[1] == reference.REFUSE_ALL_SCORE
    assert scripted_scores(SPEC, reference.comply_all)[1] == reference.COMPLY_ALL_SCORE
    metrics, swayed = scripted_scores(SPEC, reference.image_swayed)
    assert swayed == reference.IMAGE_SWAYED_SCORE
    assert metrics["crossmodal-jailbreak-text"]["RtA"] == 1.0 and metrics["crossmodal-jailbreak-neg"]["suc_rate"] == 1.0


def test_task_score_is_the_mean_of_eight_values() -> None:
    metrics = {variant_id: {"suc_rate": 0.25 * k, "RtA": 0.5, "n": 4.0} for k, variant_id in enumerate(VARIANT_IDS)}
    expected = 100 * (sum(1 - 0.25 * k for k in range(4)) + 4 * 0.5) / 8
    assert SPEC.task_score(metrics) == pytest.approx(expected)


def test_unknown_variant_is_an_error() -> None:
    with pytest.raises(KeyError, match="crossmodal-jailbreak-text"):
        SPEC.builtin(Variant("s6", "crossmodal-jailbreak-audio"), DataOptions())


# --- the official loader -----------------------------------------------------------------------------------------

ROW_COUNT = 12  # more than the 10 samples the official code keeps


def write_official(root: Path, pos: int = 2, neg: int = 3) -> None:
    csv_file = root / OFFICIAL_CSV
    csv_file.parent.mkdir(parents=True)
    rows = [f"{i},Question {i},Jailbreak text {i}" for i in range(ROW_COUNT)]
    rows.insert(3, "id,question,jailbreak")  # a repeated header, skipped as officially
    csv_file.write_text("id,question,jailbreak\n" + "\n".join(rows) + "\n", encoding="utf-8")
    for variant_id, count in (("crossmodal-jailbreak-pos", pos), ("crossmodal-jailbreak-neg", neg)):
        folder = root / OFFICIAL_IMAGE_DIRS[variant_id]
        folder.mkdir()
        for k in range(count):
            Image.new("RGB", (6, 6), (k * 40, 0, 0)).save(folder / f"{k}.png")
    (root / "unrelated_images").mkdir()
    for kind in ("color", "nature", "noise"):
        for k in range(4):
            Image.new("RGB", (5, 5), (k, len(kind), 9)).save(root / "unrelated_images" / f"{kind}_{k}.png")


_official = partial(official_samples, SPEC)


def test_official_loader_runs_every_sample_row_major(tmp_path: Path) -> None:
    write_official(tmp_path)
    text = _official(tmp_path, "crossmodal-jailbreak-text")
    assert [(s.prompt, s.target) for s in text] == [(f"Jailbreak text {i}", f"Question {i}") for i in range(ROW_COUNT)]
    assert not any(s.images for s in text)
    unrelated = _official(tmp_path, "crossmodal-jailbreak-unrelated", seed=5)
    assert len(unrelated) == 9 * ROW_COUNT
    assert [s.extra["image"] for s in unrelated[:9]] == ["color"] * 3 + ["nature"] * 3 + ["noise"] * 3
    assert all(s.images[0].source.split("/")[-1].startswith(s.extra["image"]) for s in unrelated)
    assert [s.target for s in unrelated[9:18]] == ["Question 1"] * 9
    for start in range(0, len(unrelated), 3):  # three distinct images per kind and row, as random.sample(k=3)
        assert len({s.images[0].source for s in unrelated[start : start + 3]}) == 3
    again = _official(tmp_path, "crossmodal-jailbreak-unrelated", seed=5)
    assert [s.images[0].sha256 for s in again] == [s.images[0].sha256 for s in unrelated]
    other = _official(tmp_path, "crossmodal-jailbreak-unrelated", seed=6)
    assert [s.images[0].sha256 for s in other] != [s.images[0].sha256 for s in unrelated]
    pos = _official(tmp_path, "crossmodal-jailbreak-pos")
    neg = _official(tmp_path, "crossmodal-jailbreak-neg")
    assert (len(pos), len(neg)) == (2 * ROW_COUNT, 3 * ROW_COUNT)
    assert [s.extra["image"] for s in neg[:4]] == [
        "official:safety/crossmodal-jailbreak/jailbreak_neg/0.png",
        "official:safety/crossmodal-jailbreak/jailbreak_neg/1.png",
        "official:safety/crossmodal-jailbreak/jailbreak_neg/2.png",
        "official:safety/crossmodal-jailbreak/jailbreak_neg/0.png",
    ]
    assert neg[3].prompt == "Jailbreak text 1" and neg[3].extra["source_row"] == f"{OFFICIAL_CSV}:3"
    assert len({s.id for s in neg}) == len(neg)


def test_official_loader_errors_are_one_line(tmp_path: Path) -> None:
    write_official(tmp_path, pos=0)
    with pytest.raises(OfficialDataError, match=r"^s6/crossmodal-jailbreak-pos: .*jailbreak_pos/ holds no image$"):
        _official(tmp_path, "crossmodal-jailbreak-pos")
    (tmp_path / OFFICIAL_IMAGE_DIRS["crossmodal-jailbreak-neg"] / "2.png").write_bytes(b"not an image")
    with pytest.raises(OfficialDataError, match="cannot read image") as info:
        _official(tmp_path, "crossmodal-jailbreak-neg")
    assert "\n" not in str(info.value)
    csv_file = tmp_path / OFFICIAL_CSV
    csv_file.write_text("id,question,jailbreak\n0,Q,\n", encoding="utf-8")
    with pytest.raises(OfficialDataError, match=r"text_jailbreak\.csv:2 has an empty jailbreak prompt"):
        _official(tmp_path, "crossmodal-jailbreak-text")
    csv_file.write_text("id,question\n0,Q\n", encoding="utf-8")
    with pytest.raises(OfficialDataError, match=r"lacks column\(s\) jailbreak"):
        _official(tmp_path, "crossmodal-jailbreak-text")
    with pytest.raises(OfficialDataError, match="--data-dir"):
        SPEC.official(SPEC.variants[0], DataOptions(source="official"))  # type: ignore[misc]
