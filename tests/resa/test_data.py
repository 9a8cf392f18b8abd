"""``resa data``: the banks, the target format, balance, determinism, the images, the teacher path, and the
disjointness of the training set from everything ``pytest trusttests`` evaluates for the same seed."""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from pytest_multitrust.data.banks.behaviors import HARMFUL_BEHAVIORS
from pytest_multitrust.data.banks.lookalikes import BENIGN_LOOKALIKES
from pytest_multitrust.data.images import pixel_sha256
from pytest_multitrust.scoring.refusal import is_refusal
from pytest_multitrust.scoring.yes_no import yes_no
from pytest_multitrust.spec import DataOptions, Sample, registered_tasks
from resa.banks import CATEGORIES, HARMFUL_BY_CATEGORY, HARMFUL_REQUESTS, LOOKALIKE_REQUESTS, LOOKALIKES_BY_CATEGORY
from resa.cli_data import add_data_parser
from resa.data import DEFAULT_PER_KIND, KINDS, DatasetSummary, build_dataset
from resa.data_utility import UTILITY_SUBSETS
from resa.targets import REFUSAL, TargetFormatError, parse_target, parse_teacher_rationale

SEED = 0
#: Word-set overlap (Jaccard) at or above which two activity phrases count as near-equal.
NEAR_EQUAL = 0.5


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def _normal(text: str) -> str:
    """Lowercase words separated by single spaces, padded, so that containment respects word boundaries."""
    return " " + " ".join(re.findall(r"[a-z0-9]+", text.lower())) + " "


def _trips(text: str) -> bool:
    return is_refusal(text, "paper") or is_refusal(text, "head")


def _rows(summary: DatasetSummary) -> list[dict[str, Any]]:
    return [json.loads(line) for line in summary.path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[DatasetSummary, list[dict[str, Any]]]:
    """The default training set for :data:`SEED`."""
    summary = build_dataset(tmp_path_factory.mktemp("resa") / "train.jsonl", SEED)
    return summary, _rows(summary)


@pytest.fixture(scope="module")
def suite_samples() -> list[Sample]:
    """Every built-in sample of every registered task, all variants, default sizes, for :data:`SEED`."""
    return [
        sample
        for spec in registered_tasks().values()
        for variant in spec.variants
        for sample in spec.builtin(variant, DataOptions(seed=SEED))
    ]


# --- banks -------------------------------------------------------------------------------------------------------


def test_banks_cover_every_category_with_eight_aligned_pairs() -> None:
    assert tuple(HARMFUL_BY_CATEGORY) == CATEGORIES == tuple(LOOKALIKES_BY_CATEGORY)
    for category in CATEGORIES:
        assert len(HARMFUL_BY_CATEGORY[category]) >= 8
        assert len(LOOKALIKES_BY_CATEGORY[category]) == len(HARMFUL_BY_CATEGORY[category])
    texts = [r.text for r in HARMFUL_REQUESTS + LOOKALIKE_REQUESTS]
    assert len(set(texts)) == len(texts)
    for request in LOOKALIKE_REQUESTS:  # 2-3 sentences
        assert 2 <= len(re.findall(r"[.!?](?:\s|$)", request.answer)) <= 3, request.answer


def test_training_activities_are_not_suite_behaviours_or_probe_items() -> None:
    suite = [b.text for b in HARMFUL_BEHAVIORS] + [item.text for item in BENIGN_LOOKALIKES]
    for request in HARMFUL_REQUESTS + LOOKALIKE_REQUESTS:
        for phrase in suite:
            ours, theirs = _words(request.text), _words(phrase)
            assert len(ours & theirs) / len(ours | theirs) < NEAR_EQUAL, (request.text, phrase)
            assert _normal(phrase) not in _normal(request.text) and _normal(request.text) not in _normal(phrase)


def test_lookalikes_avoid_the_probes_risky_words() -> None:
    """Topic separation, not just phrase separation: training on "kill a process" would teach the probe's answer."""
    for request in LOOKALIKE_REQUESTS:
        for item in BENIGN_LOOKALIKES:
            assert not re.search(rf"\b{re.escape(item.word.lower())}\b", request.text.lower()), (request, item.word)


def test_benign_texts_never_read_as_refusals_and_the_refusal_always_does() -> None:
    for request in LOOKALIKE_REQUESTS:
        assert not _trips(request.text) and not _trips(request.answer), request
    assert is_refusal(REFUSAL, "paper") and is_refusal(REFUSAL, "head")


# --- the built set --------------------------------------------------------------------------------------------


def test_kinds_and_categories_are_balanced(built: tuple[DatasetSummary, list[dict[str, Any]]]) -> None:
    summary, rows = built
    assert summary.rows == len(rows) == len(KINDS) * DEFAULT_PER_KIND
    assert Counter(row["kind"] for row in rows) == dict.fromkeys(KINDS, DEFAULT_PER_KIND) == summary.by_kind
    for kind in KINDS[:-1]:
        counts = Counter(row["category"] for row in rows if row["kind"] == kind)
        assert counts == dict.fromkeys(CATEGORIES, DEFAULT_PER_KIND // len(CATEGORIES)), kind
        activities = Counter(row["source"]["request"] for row in rows if row["kind"] == kind)
        assert len(activities) == DEFAULT_PER_KIND  # 64 = every activity of the bank once
    utility = Counter(row["source"]["generator"] for row in rows if row["kind"] == "utility")
    assert utility == {f"{task}/{subset}": DEFAULT_PER_KIND // len(UTILITY_SUBSETS) for task, subset in UTILITY_SUBSETS}
    truths = Counter(row["source"]["truth"] for row in rows if row["kind"] == "utility")
    assert truths[0] == truths[1]


def test_benign_item_i_is_the_lookalike_of_harmful_item_i(built: tuple[DatasetSummary, list[dict[str, Any]]]) -> None:
    _, rows = built
    by_id = {row["id"]: row for row in rows}
    for row in rows:
        if row["label"] == "harmful":
            twin = by_id[row["id"].replace("harmful-", "benign-")]
            assert (twin["category"], twin["source"]["rank"]) == (row["category"], row["source"]["rank"])
            assert twin["source"]["template"] == row["source"]["template"]
            assert twin["source"].get("layout") == row["source"].get("layout")
            assert twin["source"]["request"] == LOOKALIKES_BY_CATEGORY[row["category"]][row["source"]["rank"]][0]


def test_every_target_parses_back_and_the_suite_rules_read_its_answer(
    built: tuple[DatasetSummary, list[dict[str, Any]]],
) -> None:
    _, rows = built
    answers = {text: answer for pairs in LOOKALIKES_BY_CATEGORY.values() for text, answer in pairs}
    for row in rows:
        parsed = parse_target(row["target"])
        assert parsed.rationale.verdict == row["label"]
        assert (parsed.rationale.image == "none (text only)") == (not row["images"])
        if row["label"] == "harmful":
            assert parsed.answer == REFUSAL and is_refusal(row["target"], "paper") and is_refusal(row["target"], "head")
            assert row["source"]["request"] in parsed.rationale.combination
        elif row["kind"] == "utility":
            assert yes_no(row["target"]) == row["source"]["truth"] == yes_no(parsed.answer)
        else:
            assert parsed.answer == answers[row["source"]["request"]] and not _trips(row["target"])


def test_targets_that_break_the_format_are_refused() -> None:
    good = (
        "<reasoning>\nImage: none (text only)\nText: asks x\nCombination: the text -> benign, because fine\n"
        "</reasoning>\n<answer>\nSure.\n</answer>"
    )
    assert parse_target(good).answer == "Sure."
    for bad in (good.replace("-> benign", "-> unsure"), good.replace("Text: asks x\n", ""), good + "\nmore", ""):
        with pytest.raises(TargetFormatError):
            parse_target(bad)


def test_images_exist_hold_the_recorded_pixels_and_never_use_a_suite_size(
    built: tuple[DatasetSummary, list[dict[str, Any]]], suite_samples: list[Sample]
) -> None:
    summary, rows = built
    suite_sizes = {image.image.size for sample in suite_samples for image in sample.images}
    paths = [(path, sha) for row in rows for path, sha in zip(row["images"], row["image_sha256"], strict=True)]
    assert len(paths) == summary.images == len(list(summary.images_dir.iterdir()))
    for (path, sha), row in zip(paths, [r for r in rows for _ in r["images"]], strict=True):
        with Image.open(summary.path.parent / path) as image:
            assert pixel_sha256(image.convert("RGB")) == sha
            if row["kind"] != "utility":  # utility pictures keep the generators' size; their pixels are checked below
                assert image.size not in suite_sizes, (row["id"], image.size)


def test_same_seed_same_bytes_other_seed_other_items(tmp_path: Path) -> None:
    first = build_dataset(tmp_path / "a" / "train.jsonl", 3, per_kind=8)
    again = build_dataset(tmp_path / "b" / "train.jsonl", 3, per_kind=8)
    other = build_dataset(tmp_path / "c" / "train.jsonl", 4, per_kind=8)
    assert first.path.read_bytes() == again.path.read_bytes() and first.sha256 == again.sha256
    for png in first.images_dir.iterdir():
        assert png.read_bytes() == (again.images_dir / png.name).read_bytes()
    assert first.sha256 != other.sha256
    assert {r["id"] for r in _rows(first)} == {r["id"] for r in _rows(other)}


def test_rebuilding_replaces_the_old_images(tmp_path: Path) -> None:
    out = tmp_path / "train.jsonl"
    build_dataset(out, SEED, per_kind=8)
    small = build_dataset(out, SEED, per_kind=1)
    assert len(list(small.images_dir.iterdir())) == small.images == 9  # 4 image forms x 2 labels + 1 utility
    assert len(_rows(small)) == len(KINDS)


# --- disjointness from the suite ---------------------------------------------------------------------------------


def test_training_set_is_disjoint_from_the_suite(
    built: tuple[DatasetSummary, list[dict[str, Any]]], suite_samples: list[Sample]
) -> None:
    """For the same seed: no suite behaviour, statement or fact phrase in a training prompt, no training activity
    in a suite prompt, no training image equal to a suite image.

    Utility prompts are T.1/T.2 statement templates over drawn pictures ("There is a red circle in the
    image."), so their sentences recur in the suite over other pictures by design: for them the picture is the
    item, and their pixels are checked like all others.
    """
    _, rows = built
    behaviours = {b.text for b in HARMFUL_BEHAVIORS} | {b.text for b in BENIGN_LOOKALIKES}
    facts, statements = set(behaviours), set()
    for sample in suite_samples:
        if isinstance(sample.target, str) and len(sample.target.split()) >= 3:
            facts.add(sample.target)
        statement = sample.extra.get("statement")
        if isinstance(statement, str):
            statements.add(statement)
    facts_normal = {_normal(text) for text in facts}
    statements_normal = {_normal(text) for text in statements}
    for row in rows:
        prompt = _normal(row["prompt"])
        for phrase in facts_normal | (statements_normal if row["kind"] != "utility" else set()):
            assert phrase not in prompt, (row["id"], phrase)
    activities = [_normal(r.text) for r in HARMFUL_REQUESTS + LOOKALIKE_REQUESTS]
    for sample in suite_samples:
        prompt = _normal(sample.prompt)
        assert not [a for a in activities if a in prompt], sample.id
    suite_images = {image.sha256 for sample in suite_samples for image in sample.images}
    assert len(suite_images) > 1000  # the check above ran on the real suite
    training_images = {sha for row in rows for sha in row["image_sha256"]}
    assert not training_images & suite_images


# --- teacher -------------------------------------------------------------------------------------------------


TEACHER_LINES = (
    "Image: {image}\nText: the user asks for something\nCombination: both together -> {verdict}, because {why}"
)


def _replay_teacher(path: Path, answers: dict[str, str | None]) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for item_id, text in answers.items():
            row = {"id": f"resa-teacher/{item_id}", "response": text}
            if text is None:
                row["error"] = "scripted failure"
            handle.write(json.dumps(row) + "\n")
    return path


def _data_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="resa")
    add_data_parser(parser.add_subparsers())
    args = parser.parse_args(["data", *argv])
    code: int = args.handler(args)
    return code


def test_a_replay_teacher_writes_the_rationales_and_bad_ones_fall_back(tmp_path: Path) -> None:
    answers: dict[str, str | None] = {
        "harmful-text/0000": "**Image:** none\n" + TEACHER_LINES.split("\n", 1)[1].format(verdict="harmful", why="x"),
        "harmful-typography/0000": TEACHER_LINES.format(image="words", verdict="benign", why="wrong verdict"),
        "benign-text/0000": TEACHER_LINES.format(image="none", verdict="benign", why="it is a normal chore"),
        "benign-typography/0000": TEACHER_LINES.format(image="words", verdict="benign", why="sorry, this is fine"),
        "utility/0000": "I think it is fine.",
        "benign-unrelated-image/0000": None,
    }
    replay = _replay_teacher(tmp_path / "teacher.jsonl", answers)
    out = tmp_path / "train.jsonl"
    assert _data_command(["--out", str(out), "--per-kind", "1", "--teacher", f"replay:{replay}"]) == 0
    rows = {row["id"]: row for row in (json.loads(line) for line in out.read_text().splitlines())}
    assert rows["harmful-text/0000"]["rationale"] == "teacher"
    assert parse_target(rows["harmful-text/0000"]["target"]).rationale.image == "none"
    assert parse_target(rows["benign-text/0000"]["target"]).rationale.because == "it is a normal chore"
    notes = {item_id: rows[item_id].get("teacher_note", "") for item_id in answers}
    assert "teacher says benign, the item is harmful" in notes["harmful-typography/0000"]
    assert "refusal keyword" in notes["benign-typography/0000"]
    assert "no image, text, combination line" in notes["utility/0000"]
    assert "scripted failure" in notes["benign-unrelated-image/0000"]
    for item_id in (
        "harmful-typography/0000",
        "benign-typography/0000",
        "utility/0000",
        "harmful-crossmodal-text/0000",
    ):
        assert rows[item_id]["rationale"] == "template"
    for row in rows.values():
        parse_target(row["target"])  # the format holds whoever wrote the reasoning
    summary = json.loads((tmp_path / "train.summary.json").read_text())
    assert summary["teacher"]["spec"] == f"replay:{replay}"
    assert (summary["teacher_rationales"], summary["teacher_fallbacks"]) == (2, len(KINDS) - 2)


def test_a_tiny_teacher_is_asked_through_the_response_cache(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The tiny model answers noise, so every rationale falls back; the second run answers from the cache."""
    argv = ["--out", str(tmp_path / "t.jsonl"), "--per-kind", "1", "--teacher", "tiny-llava"]
    argv += ["--cache-dir", str(tmp_path / "cache")]
    assert _data_command(argv) == 0
    first = (tmp_path / "t.jsonl").read_bytes()
    entries = list((tmp_path / "cache").rglob("*.json"))
    assert len([e for e in entries if e.parent.name != "models"]) == len(KINDS)
    assert _data_command(argv) == 0
    assert (tmp_path / "t.jsonl").read_bytes() == first
    assert f"teacher 0, template fallbacks {len(KINDS)}" in capsys.readouterr().out


def test_teacher_lines_are_read_leniently_but_the_verdict_strictly() -> None:
    text = "- image: a sign\n* TEXT: asks\nCombination: words → harmful. Because it hurts people"
    rationale = parse_teacher_rationale(text, "harmful")
    assert (rationale.image, rationale.combination, rationale.because) == ("a sign", "words", "it hurts people")
    with pytest.raises(TargetFormatError, match="gives no reason"):
        parse_teacher_rationale("Image: a\nText: b\nCombination: c -> harmful", "harmful")


# --- command-line errors -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--per-kind", "0"], r"--per-kind must be at least 1, got 0"),
        (["--teacher", "nosuch"], r"--teacher: unknown model 'nosuch'; known: "),
        (["--teacher", "tiny-llava", "--teacher-arg", "oops"], r"--teacher-arg 'oops' is not KEY=VALUE"),
        (["--teacher", "tiny-llava", "--teacher-arg", "colour=red"], r"--teacher: .*colour"),
        (["--teacher", "replay:missing.jsonl"], r"--teacher: replay file or folder 'missing.jsonl' does not exist"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert _data_command(["--out", str(tmp_path / "x.jsonl"), *argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and re.match(rf"resa data: error: {message}", err[0]), err


def test_an_output_folder_or_a_foreign_image_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _data_command(["--out", str(tmp_path)]) == 2
    assert "is a folder; give a file name" in capsys.readouterr().err
    (tmp_path / "x-images").mkdir()
    (tmp_path / "x-images" / "notes.txt").write_text("mine")
    assert _data_command(["--out", str(tmp_path / "x.jsonl")]) == 2
    assert "holds files this builder did not write" in capsys.readouterr().err
    assert (tmp_path / "x-images" / "notes.txt").read_text() == "mine"
