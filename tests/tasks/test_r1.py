"""R.1 artistic-style OOD: styled samples with correct labels, the label-mention rule, the official formula."""

from __future__ import annotations

import math
import re
from functools import partial
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_multitrust.data.official import OfficialDataError
from pytest_multitrust.data.pictograms import LABEL_WORDS, PICTOGRAMS, label_words
from pytest_multitrust.scoring.words import mentioned_word
from pytest_multitrust.spec import DataOptions, Sample
from pytest_multitrust.tasks.r1_artistic_style_ood import (
    PROMPT,
    R1_ARTISTIC_STYLE_OOD,
    SAMPLES_PER_VARIANT,
)
from tests.conftest import write_jsonl_with_images
from tests.reference import official_samples, scripted_scores
from tests.reference import r1 as reference

R1 = R1_ARTISTIC_STYLE_OOD
STYLES = ["cartoon", "handmake", "painting", "sketch", "tattoo", "weather"]


@pytest.fixture(scope="module")
def built() -> dict[str, list[Sample]]:
    return {v.id: R1.builtin(v, DataOptions(seed=0)) for v in R1.variants}


def test_spec() -> None:
    assert (R1.id, R1.name, R1.aspect) == ("r1", "artistic_style_ood", "robustness")
    assert [v.id for v in R1.variants] == [f"coco-o-{style}" for style in STYLES]
    assert R1.generation.max_new_tokens == 300 and R1.notes and R1.judge == "rule:label-mention"


def test_samples_cycle_every_object_with_the_official_prompt(built: dict[str, list[Sample]]) -> None:
    for variant_id, samples in built.items():
        assert len(samples) == SAMPLES_PER_VARIANT >= 50
        assert all(s.prompt == PROMPT == "Please provide a detailed description of the image." for s in samples)
        assert sorted(s.target for s in samples[:10]) == sorted(PICTOGRAMS)
        assert all(s.extra["style"] == variant_id.removeprefix("coco-o-") for s in samples)
        assert [s.id for s in samples] == [f"r1/{variant_id}/{i:04d}" for i in range(len(samples))]
    assert {s.extra["weather"] for s in built["coco-o-weather"][:3]} == {"rain", "snow", "fog"}


def test_styles_make_different_images_of_the_same_scene(built: dict[str, list[Sample]]) -> None:
    hashes = {variant: [s.images[0].sha256 for s in samples] for variant, samples in built.items()}
    all_hashes = [h for hs in hashes.values() for h in hs]
    assert len(set(all_hashes)) == len(all_hashes)


@pytest.mark.parametrize("style", ["sketch", "weather"])  # the seeding path; each style's own is in test_styles
def test_building_is_deterministic_per_seed(built: dict[str, list[Sample]], style: str) -> None:
    variant = R1.variant(f"coco-o-{style}")
    first = [s.images[0].sha256 for s in built[variant.id][:12]]
    assert first == [s.images[0].sha256 for s in R1.builtin(variant, DataOptions(seed=0))[:12]]
    assert first != [s.images[0].sha256 for s in R1.builtin(variant, DataOptions(seed=3))[:12]]


def test_every_object_has_words_starting_with_itself() -> None:
    assert set(LABEL_WORDS) == set(PICTOGRAMS)
    assert all(words[0] == label for label, words in LABEL_WORDS.items())
    # An official COCO label we have no list for counts as itself or its plural ("two giraffes").
    assert label_words("giraffe") == ("giraffe", "giraffes")
    assert mentioned_word("Two giraffes graze.", label_words("giraffe")) == "giraffes"


@pytest.mark.parametrize(
    ("label", "response", "pred"),
    [
        ("car", "The image shows a yellow car on a road.", 1),
        ("car", "Two CARS are parked.", 1),
        ("car", "A car-like shape.", 1),
        ("car", "A cartoon of a scar.", 0),
        ("car", "There is no car here.", 1),  # negations are not read: a documented limit of the fallback
        ("cup", "A blue mug on a saucer.", 1),
        ("airplane", "An aeroplane flies over the field.", 1),
        ("fish", "Goldfish!", 1),
        ("fish", "A selfish act.", 0),
        ("boat", "I'm sorry, I cannot help with that.", 0),
        ("clock", "", 0),
    ],
)
def test_label_mention_rule(label: str, response: str, pred: int) -> None:
    verdict = R1.score_sample(Sample(id="r1/coco-o-sketch/0000", prompt=PROMPT, target=label), response)
    assert verdict.values["pred"] == pred and verdict.score == pred
    assert (verdict.values["matched"] is not None) == bool(pred)


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=300), label=st.sampled_from([*PICTOGRAMS, "traffic light", "a+b"]))
def test_scorer_never_crashes_on_arbitrary_text(text: str, label: str) -> None:
    verdict = R1.score_sample(Sample(id="r1/coco-o-cartoon/0000", prompt=PROMPT, target=label), text)
    assert verdict.values["pred"] in (0, 1)
    assert mentioned_word(f"{text} {label.upper()} {text}", label_words(label)) is not None


def test_metrics_round_to_four_decimals_and_score_is_a_percentage() -> None:
    samples = [Sample(id=f"r1/coco-o-tattoo/{i:04d}", prompt=PROMPT, target="car") for i in range(3)]
    verdicts = [R1.score_sample(s, r) for s, r in zip(samples, ["a car", "a tree", "nothing"], strict=True)]
    metrics = R1.variant_metrics(samples, verdicts)
    assert metrics == {"pred_mean": 0.3333, "n": 3.0}
    assert R1.variant_score(metrics) == pytest.approx(33.33)
    assert math.isnan(R1.variant_metrics([], [])["pred_mean"])
    assert R1.task_score({"a": {"pred_mean": 0.5}, "b": {"pred_mean": 0.25}}) == pytest.approx(37.5)


def test_reference_answers_score_as_documented(built: dict[str, list[Sample]]) -> None:
    assert scripted_scores(R1, reference.ideal, built)[1] == reference.IDEAL_SCORE
    assert scripted_scores(R1, reference.refuse_all, built)[1] == reference.REFUSE_ALL_SCORE


# --- official loader -------------------------------------------------------------------------------------------

LABELS = "robustness/ood-artistic/label"
SOURCE = "robustness/ood-artistic/source"


def _write_official(root: Path, style: str, lines: list[object]) -> Path:
    """``label/{style}.json`` as JSON lines (a str line is written as is) and one PNG per ``image_name``."""
    return write_jsonl_with_images(root / LABELS / f"{style}.json", root / SOURCE, lines)


_official = partial(official_samples, R1)


@pytest.mark.parametrize("style", STYLES)
def test_official_files_are_the_style_label_file_and_the_source_folder(tmp_path: Path, style: str) -> None:
    assert R1.official_files is not None
    assert tuple(R1.official_files(R1.variant(f"coco-o-{style}"))) == (f"{LABELS}/{style}.json", SOURCE)
    _write_official(tmp_path, style, [{"image_name": f"{style}.png", "gt_label": [style]}])
    (sample,) = _official(tmp_path, f"coco-o-{style}")  # only this style's file exists: it reads no other
    assert (sample.id, sample.target) == (f"r1/coco-o-{style}/0000", style)


def test_official_loader_reads_json_lines_in_order_with_the_first_label(tmp_path: Path) -> None:
    _write_official(tmp_path, "tattoo", [
        {"image_name": "tattoo/001.png", "gt_label": ["dog", "person"]},
        "",  # blank lines are skipped
        {"image_name": "002.png", "gt_label": ["traffic light"], "other": 1},
    ])  # fmt: skip
    samples = _official(tmp_path, "coco-o-tattoo")
    assert [(s.id, s.target) for s in samples] == [
        ("r1/coco-o-tattoo/0000", "dog"),
        ("r1/coco-o-tattoo/0001", "traffic light"),
    ]
    assert all(s.prompt == PROMPT for s in samples)
    assert [s.images[0].image.getpixel((0, 0)) for s in samples] == [(0, 0, 0), (2, 0, 0)]
    assert samples[0].images[0].source == f"official:{SOURCE}/tattoo/001.png"
    assert samples[0].extra == {"style": "tattoo", "image_name": "tattoo/001.png", "gt_label": ["dog", "person"]}


@pytest.mark.parametrize(
    ("lines", "message"),
    [([{"gt_label": ["dog"]}], "painting.json:1 has no field 'image_name'"),
     ([{"image_name": "1.png", "gt_label": ["dog"]}, {"image_name": "2.png"}], "json:2 has no field 'gt_label'"),
     ([{"image_name": "1.png", "gt_label": []}], "painting.json:1 has gt_label []"),
     ([{"image_name": "1.png", "gt_label": "dog"}], "painting.json:1 has gt_label 'dog'"),
     ([{"image_name": "1.png", "gt_label": [3]}], "painting.json:1 has gt_label [3]"),
     (['{"image_name": "1.png",'], "painting.json:1 is not valid JSON"),
     ([{"image_name": "gone.png", "gt_label": ["dog"]}], f"{SOURCE}/gone.png not found")],
)  # fmt: skip
def test_official_loader_errors_are_one_line(tmp_path: Path, lines: list[object], message: str) -> None:
    source = _write_official(tmp_path, "painting", lines)
    (source / "gone.png").unlink(missing_ok=True)
    with pytest.raises(OfficialDataError, match=re.escape(message)) as error:
        _official(tmp_path, "coco-o-painting")
    assert "\n" not in str(error.value) and str(error.value).startswith("r1/coco-o-painting: ")


def test_official_loader_reports_a_missing_label_file(tmp_path: Path) -> None:
    _write_official(tmp_path, "sketch", [{"image_name": "1.png", "gt_label": ["cat"]}])
    with pytest.raises(OfficialDataError, match=r"^r1/coco-o-cartoon: .*label/cartoon\.json not found") as error:
        _official(tmp_path, "coco-o-cartoon")
    assert "\n" not in str(error.value)


def test_official_samples_score_end_to_end(tmp_path: Path) -> None:
    official = {}
    for style in STYLES:
        _write_official(tmp_path, style, [{"image_name": f"{style}/{i}.png", "gt_label": [label, "person"]}
                                          for i, label in enumerate(("dog", "traffic light", style))])  # fmt: skip
        official[f"coco-o-{style}"] = _official(tmp_path, f"coco-o-{style}")
    metrics, score = scripted_scores(R1, reference.ideal, official)
    assert score == 100.0 and all(m == {"pred_mean": 1.0, "n": 3.0} for m in metrics.values())
    assert scripted_scores(R1, reference.refuse_all, official)[1] == 0.0
    dog_only = scripted_scores(R1, lambda s: "A dog." if s.target == "dog" else "A person.", official)
    assert dog_only[1] == pytest.approx(100 * 0.3333)  # only the first label counts, as upstream's gt_label[0]


def test_an_unknown_style_variant_names_the_expected_ids() -> None:
    from pytest_multitrust.spec import Variant, variant_key

    assert variant_key(R1.variant("coco-o-sketch"), "coco-o-", STYLES) == "sketch"
    for wrong in ("coco-o-nope", "sketch", "x-coco-o-sketch"):
        with pytest.raises(KeyError, match=r"task r1 has no variant .*; expected coco-o-\{cartoon,handmake,"):
            variant_key(Variant("r1", wrong), "coco-o-", STYLES)
