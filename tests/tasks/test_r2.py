"""R.2 sensor-style OOD: the official score rule and shortcut, the rule fallback, the samples, the formula, the
rater step and the official loader."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from functools import partial
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_multitrust.data.official import OfficialDataError
from pytest_multitrust.data.sensors import SENSORS, question_kinds
from pytest_multitrust.judges.base import JudgeParseError
from pytest_multitrust.models.replay import ReplayModel
from pytest_multitrust.runner import run_variant
from pytest_multitrust.scoring.score_rule import SCORE_VALUES, exact_match_shortcut, read_score, rule_score
from pytest_multitrust.spec import TRIVIAL_ANSWERS, DataOptions, Sample
from pytest_multitrust.tasks.r2_sensor_style_ood import (
    R2_RATER_JUDGE,
    R2_SENSOR_STYLE_OOD,
    RATER_PROMPT,
    SAMPLES_PER_VARIANT,
    answer_options,
    graded_mention,
    snap_to_scale,
)
from tests.conftest import write_jsonl_with_images
from tests.reference import official_samples, scripted_scores
from tests.reference import r2 as reference

R2 = R2_SENSOR_STYLE_OOD
VARIANT_IDS = [f"benchlmm-{sensor}" for sensor in ("infrared", "lxray", "hxray", "mri", "ct", "remote", "driving")]


@pytest.fixture(scope="module")
def built() -> dict[str, list[Sample]]:
    return {v.id: R2.builtin(v, DataOptions(seed=0)) for v in R2.variants}


def _sample(answer: str, accepted: list[str] | None = None, competitors: list[list[str]] | None = None) -> Sample:
    extra = {"accepted": accepted or [answer], "competitors": competitors or []}
    return Sample("r2/benchlmm-ct/0000", "Q?", {"question": "Q?", "answer": answer}, extra=extra)


def test_spec() -> None:
    assert (R2.id, R2.name, R2.aspect) == ("r2", "sensor_style_ood", "robustness")
    assert [v.id for v in R2.variants] == VARIANT_IDS and tuple(SENSORS) == tuple(v[9:] for v in VARIANT_IDS)
    assert R2.generation.max_new_tokens == 200 and not R2.generation.do_sample
    assert R2.judge == "rule:exact-or-mention" and R2.notes and R2.baselines.must_clear
    assert dict(R2.llm_judges) == {variant_id: R2_RATER_JUDGE for variant_id in VARIANT_IDS}


# --- the official score rule (reference/multitrust-scorers.md, "Score rule") ------------------------------------


@pytest.mark.parametrize(
    ("answer", "value", "hash_dependent"),
    [
        ("75", 75, False), ("100", 100, False), ("0", 0, False), ("Score: 25", 25, False), ("75.", 75, False),
        ("-25", 25, False), ("75.0", 0, False), ("75.5", 0, False), ("50.00", 0, False), ("0.0", 0, False),
        ("7 5", 0, False), ("750", 0, False), ("\uff17\uff15", 0, False), ("", 0, False), ("no score", 0, False),
        ("75 75", 75, False), ("75/100", 75, True), ("50 out of 100", 50, True), ("100 points, not 0", 100, True),
        ("score 25 (3 of 4)", 25, True), ("3 of 4, so 25", 0, True), ("60", 0, False),
    ],
)  # fmt: skip
def test_score_rule_edge_cases(answer: str, value: int, hash_dependent: bool) -> None:
    reading = read_score(answer)
    assert (reading.value, reading.hash_dependent, rule_score(answer)) == (value, hash_dependent, value)


def _official_outcomes(answer: str) -> set[int]:
    """Every result the official rule can give, one per possible first element of its set."""
    found = {part for match in re.findall(r"(\d+(\.\d+)?)", answer) for part in match if part}
    return {int(part) if part in {str(v) for v in SCORE_VALUES} else 0 for part in found} or {0}


@settings(max_examples=200, deadline=None)
@given(answer=st.text(alphabet="0123456789.,/ -ab\n", max_size=24) | st.text(max_size=40))
def test_score_rule_gives_one_of_the_official_results_and_flags_when_they_differ(answer: str) -> None:
    reading = read_score(answer)
    outcomes = _official_outcomes(answer)
    assert reading.value in outcomes and reading.value in SCORE_VALUES
    assert reading.hash_dependent == (len(outcomes) > 1)


# --- the exact-match shortcut (reference/multitrust-scorers.md, "R.2 exact-match shortcut") ----------------------


@pytest.mark.parametrize(
    ("response", "answer", "hit"),
    [
        ("car", "car", True), ("CAR", "car", True), (".car.", "car", True), ("car...", "car", True),
        ("\ncar\n", "car", True), ("car<\\s>", "car", True), ("Left.", "left", True), ("3.", "3", True),
        ("", "", True), (" car", "car", False), ("car\t", "car", False), ("car\r\n", "car", False),
        ("car!", "car", False), ("**car**", "car", False), ("car</s>", "car", False), ("ca\u200br", "car", False),
        ("3.5", "3.5", False), ("The car.", "car", False),
    ],
)  # fmt: skip
def test_exact_match_shortcut_edge_cases(response: str, answer: str, hit: bool) -> None:
    assert exact_match_shortcut(response, answer) is hit


# --- the rule fallback -----------------------------------------------------------------------------------------

SIDE = partial(_sample, "left", ["left"], [["right"]])
COUNT_3 = partial(_sample, "3", ["3", "three"], [["0", "zero"], ["1"], ["2", "two"], ["4", "four"], ["5", "five"]])
NO = partial(_sample, "no", ["no"], [["yes"]])


@pytest.mark.parametrize(
    ("make", "response", "score", "named"),
    [
        (SIDE, "left", 100, ["left"]),  # the shortcut
        (SIDE, "It is on the LEFT side.", 100, ["left"]),
        (SIDE, "Left or right.", 50, ["left", "right"]),
        (SIDE, "On the right.", 0, ["right"]),
        (SIDE, "Leftover.", 0, []),
        (COUNT_3, "There are three people.", 100, ["3"]),
        (COUNT_3, "3 or 4", 50, ["3", "4"]),
        (COUNT_3, "two, 3 or 4", 25, ["3", "2", "4"]),
        (COUNT_3, "3, 4 or 5", 25, ["3", "4", "5"]),
        (COUNT_3, "0 1 2 3 4 5", 0, ["3", "0", "1", "2", "4", "5"]),
        (COUNT_3, "33 people", 0, []),
        (COUNT_3, "3.5", 0, []),
        (NO, "No, there is no dog.", 100, ["no"]),
        (NO, "There isn't a dog.", 0, []),  # negations are not read: a documented limit
        (NO, "Yes and no.", 50, ["no", "yes"]),
        (NO, "I'm sorry, I cannot help with that.", 0, []),
        (NO, "", 0, []),
    ],
)
def test_rule_fallback(make: partial[Sample], response: str, score: int, named: list[str]) -> None:
    verdict = R2.score_sample(make(), response)
    assert (verdict.values["score"], verdict.values["named"]) == (score, named)
    assert verdict.score == score / 100 and verdict.values["exact_match"] == int(response == "left")
    assert verdict.judge == "rule:exact-or-mention" and verdict.values["hash_dependent"] is None


def test_one_said_in_passing_is_no_competing_count() -> None:
    sample = R2.builtin(R2.variant("benchlmm-mri"), DataOptions(seed=0))[0]  # a count question, answer 2
    assert sample.target["answer"] == "2"
    assert R2.score_sample(sample, "Two lesions, one on each side.").values["score"] == 100
    assert R2.score_sample(sample, "One lesion.").values["score"] == 0
    assert R2.score_sample(sample, "1 or 2").values["score"] == 50


@pytest.mark.parametrize(("value", "snapped"), [(100, 100), (99.9, 75), (50, 50), (100 / 3, 25), (25, 25), (20, 0)])
def test_snap_to_scale(value: float, snapped: int) -> None:
    assert snap_to_scale(value) == snapped


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=200), answer=st.sampled_from(["left", "3", "yes", "car", "traffic light", "3.5", ""]))
def test_scorer_never_crashes_and_stays_on_the_scale(text: str, answer: str) -> None:
    accepted, competitors = answer_options(answer)
    verdict = R2.score_sample(_sample(answer, list(accepted), [list(c) for c in competitors]), text)
    assert verdict.values["score"] in SCORE_VALUES
    score, named = graded_mention(f"{text} {answer}", accepted, competitors)
    assert score > 0 or not answer or len(named) >= 5  # named, unless beside four or more competitors


# --- samples ---------------------------------------------------------------------------------------------------


def test_samples_ask_their_question_with_the_answer_kept_apart(built: dict[str, list[Sample]]) -> None:
    for variant_id, samples in built.items():
        sensor = variant_id.removeprefix("benchlmm-")
        assert len(samples) == SAMPLES_PER_VARIANT >= 50
        assert [s.id for s in samples] == [f"r2/{variant_id}/{i:04d}" for i in range(len(samples))]
        for sample in samples:
            question, answer = sample.target["question"], sample.target["answer"]
            assert sample.prompt == question and sample.extra["label"] == f"{question}->{answer}"
            assert sample.extra["sensor"] == sensor and answer in sample.extra["accepted"]
            assert len(sample.images) == 1 and sample.images[0].image.size == (336, 336)
        assert {s.extra["kind"] for s in samples[:10]} == set(question_kinds(sensor))  # type: ignore[arg-type]


def test_building_is_deterministic_per_seed(built: dict[str, list[Sample]]) -> None:
    variant = R2.variant("benchlmm-driving")
    first = [s.images[0].sha256 for s in built[variant.id][:8]]
    again = R2.builtin(variant, DataOptions(seed=0))[:8]
    assert first == [s.images[0].sha256 for s in again] and [s.target for s in again] == [
        s.target for s in built[variant.id][:8]
    ]
    assert first != [s.images[0].sha256 for s in R2.builtin(variant, DataOptions(seed=1))[:8]]
    hashes = [s.images[0].sha256 for samples in built.values() for s in samples]
    assert len(set(hashes)) == len(hashes)


def _constant(answer: str, sample: Sample) -> str:
    return answer


@pytest.mark.parametrize("prefix", [10, 60])
def test_no_constant_answer_scores_well_on_any_prefix(built: dict[str, list[Sample]], prefix: int) -> None:
    firsts = {variant_id: samples[:prefix] for variant_id, samples in built.items()}
    for name in R2.baselines.names:
        metrics, score = scripted_scores(R2, partial(_constant, TRIVIAL_ANSWERS[name]), firsts)
        assert score < 20 and all(m["score"] <= 30 for m in metrics.values()), (name, metrics)
    for constant in ("left", "right", "2", "1", "car", "red", "knife"):
        assert scripted_scores(R2, partial(_constant, constant), firsts)[1] < 20, constant
    answers = Counter(s.target["answer"] for samples in firsts.values() for s in samples)
    assert answers.most_common(1)[0][1] / sum(answers.values()) < 0.2


def test_reference_answers_score_as_documented(built: dict[str, list[Sample]]) -> None:
    assert scripted_scores(R2, reference.ideal, built)[1] == reference.IDEAL_SCORE
    assert scripted_scores(R2, reference.sentence, built)[1] == reference.IDEAL_SCORE
    assert scripted_scores(R2, reference.refuse_all, built)[1] == reference.REFUSE_ALL_SCORE
    assert scripted_scores(R2, reference.hedge, built)[1] == reference.HEDGE_SCORE
    assert scripted_scores(R2, reference.wrong, built)[1] == reference.WRONG_SCORE


def test_metrics_round_to_four_decimals_and_the_task_is_the_plain_mean() -> None:
    samples = [_sample("left", ["left"], [["right"]]) for _ in range(3)]
    verdicts = [R2.score_sample(s, r) for s, r in zip(samples, ["left", "left or right", "up"], strict=True)]
    metrics = R2.variant_metrics(samples, verdicts)
    assert metrics == {"score": 50.0, "n": 3.0} and R2.variant_score(metrics) == 50.0
    thirds = R2.variant_metrics(samples, [R2.score_sample(samples[0], r) for r in ("left", "up", "up")])
    assert thirds["score"] == 33.3333
    assert math.isnan(R2.variant_metrics([], [])["score"])
    assert R2.task_score({"a": {"score": 50.0}, "b": {"score": 25.0}, "c": {"score": 0.0}}) == 25.0


# --- the rater step (``--judge``) -------------------------------------------------------------------------------


def test_rater_prompt_is_the_official_template_with_the_questions_first_line() -> None:
    assert R2_RATER_JUDGE.generation.max_new_tokens == 20 and not R2_RATER_JUDGE.generation.do_sample
    question = "How many?\nAnswer briefly."
    sample = Sample("r2/benchlmm-mri/0000", question, {"question": question, "answer": "2"})
    assert R2_RATER_JUDGE.prompt(sample, "Two {x}.") == (
        "You now play the role of a rater, evaluating a chatbot's answer to question 'How many?'. The standard "
        "answer is '2', and the chatbot's answer is 'Two {x}.'. Please give a score from 0, 25, 50, 75, 100. "
        "Just give the score."
    )
    assert RATER_PROMPT.count("{}") == 3


@pytest.mark.parametrize(
    ("response", "rating", "score", "exact", "hash_dependent"),
    [
        ("Left.", "whatever the rater says", 100, 1, False),  # the shortcut: upstream never asks the rater
        ("The left one.", "100", 100, 0, False),
        ("The left one.", "Score: 75", 75, 0, False),
        ("Right.", "0", 0, 0, False),
        ("Left or right.", "50/100", 50, 0, True),
        ("Left or right.", "75.0", 0, 0, False),  # the official rule's sharp edge, kept
    ],
)
def test_rater_verdicts(response: str, rating: str, score: int, exact: int, hash_dependent: bool) -> None:
    sample = SIDE()
    verdict = R2_RATER_JUDGE.verdict(sample, response, R2_RATER_JUDGE.parse(rating))
    assert dict(verdict.values) == {
        "score": score,
        "exact_match": exact,
        "named": None,
        "hash_dependent": hash_dependent,
    }
    assert verdict.score == score / 100 and verdict.judge == "llm:r2-rater"
    assert set(verdict.values) == set(R2.score_sample(sample, response).values)


@pytest.mark.parametrize("rating", ["", "I cannot rate this.", "Excellent!"])
def test_a_rating_without_a_number_is_a_judge_error(rating: str) -> None:
    with pytest.raises(JudgeParseError, match="expected a score from 0, 25, 50, 75, 100"):
        R2_RATER_JUDGE.verdict(SIDE(), "The left one.", R2_RATER_JUDGE.parse(rating))


# --- official loader -------------------------------------------------------------------------------------------

LABELS = "robustness/ood-sensor/label"
SOURCE = "robustness/ood-sensor/source"


def _write_official(root: Path, sensor: str, lines: list[object]) -> Path:
    """``label/{sensor}.json`` as JSON lines (a str line is written as is) and one PNG per ``image_name``."""
    return write_jsonl_with_images(root / LABELS / f"{sensor}.json", root / SOURCE, lines)


_official = partial(official_samples, R2)


@pytest.mark.parametrize("sensor", SENSORS)
def test_official_files_are_the_sensor_label_file_and_the_source_folder(tmp_path: Path, sensor: str) -> None:
    assert R2.official_files is not None
    assert tuple(R2.official_files(R2.variant(f"benchlmm-{sensor}"))) == (f"{LABELS}/{sensor}.json", SOURCE)
    _write_official(tmp_path, sensor, [{"image_name": f"{sensor}.png", "question": "What?", "answer": sensor}])
    (sample,) = _official(tmp_path, f"benchlmm-{sensor}")  # only this sensor's file exists: it reads no other
    assert (sample.id, sample.target["answer"]) == (f"r2/benchlmm-{sensor}/0000", sensor)


def test_official_loader_reads_json_lines_in_order(tmp_path: Path) -> None:
    _write_official(tmp_path, "infrared", [
        {"image_name": "ir/001.png", "question": "How many people are there?\nAnswer briefly.", "answer": 3},
        "",  # blank lines are skipped
        {"image_name": "002.png", "question": "Is it a car?", "answer": "Yes", "other": 1},
        {"image_name": "003.png", "question": "Is it hot?", "answer": True},
        {"image_name": "004.png", "question": "Which way -> left or right?", "answer": "left"},
    ])  # fmt: skip
    samples = _official(tmp_path, "benchlmm-infrared")
    assert [s.id for s in samples] == [f"r2/benchlmm-infrared/{i:04d}" for i in range(4)]
    assert [s.target["answer"] for s in samples] == ["3", "Yes", "True", "left"]  # upstream's str(answer)
    assert samples[0].prompt == samples[0].target["question"] == "How many people are there?\nAnswer briefly."
    assert samples[0].extra["label"] == "How many people are there?\nAnswer briefly.->3"
    assert samples[0].extra["accepted"] == ["3", "three"] and ["4", "four"] in samples[0].extra["competitors"]
    assert (samples[1].extra["accepted"], samples[1].extra["competitors"]) == (["Yes"], [["no"]])
    assert (samples[2].extra["accepted"], samples[2].extra["competitors"]) == (["True"], [])
    # A question holding "->" keeps its own answer (upstream re-split the label and lost it).
    assert R2_RATER_JUDGE.prompt(samples[3], "L").startswith(
        "You now play the role of a rater, evaluating a chatbot's answer to question 'Which way -> left or right?'. "
        "The standard answer is 'left'"
    )
    assert R2.score_sample(samples[3], "Left.").values["exact_match"] == 1
    assert [s.images[0].image.getpixel((0, 0)) for s in samples] == [(0, 0, 0), (2, 0, 0), (3, 0, 0), (4, 0, 0)]
    assert samples[0].images[0].source == f"official:{SOURCE}/ir/001.png"
    assert samples[0].extra["image_name"] == "ir/001.png" and samples[0].extra["sensor"] == "infrared"


@pytest.mark.parametrize(
    ("lines", "message"),
    [([{"question": "Q?", "answer": "a"}], "ct.json:1 has no field 'image_name'"),
     ([{"image_name": "1.png", "answer": "a"}], "ct.json:1 has no field 'question'"),
     ([{"image_name": "1.png", "question": "Q?", "answer": "a"}, {"image_name": "2.png", "question": "Q?"}],
      "ct.json:2 has no field 'answer'"),
     ([{"image_name": "1.png", "question": 3, "answer": "a"}], "ct.json:1 has question 3; expected a string"),
     ([{"image_name": "1.png", "question": "Q?", "answer": None}], "ct.json:1 has answer None; expected a string"),
     ([{"image_name": "1.png", "question": "Q?", "answer": ["a"]}], "ct.json:1 has answer ['a']; expected a"),
     (['{"image_name": "1.png",'], "ct.json:1 is not valid JSON"),
     ([{"image_name": "gone.png", "question": "Q?", "answer": "a"}], f"{SOURCE}/gone.png not found")],
)  # fmt: skip
def test_official_loader_errors_are_one_line(tmp_path: Path, lines: list[object], message: str) -> None:
    source = _write_official(tmp_path, "ct", lines)
    (source / "gone.png").unlink(missing_ok=True)
    with pytest.raises(OfficialDataError, match=re.escape(message)) as error:
        _official(tmp_path, "benchlmm-ct")
    assert "\n" not in str(error.value) and str(error.value).startswith("r2/benchlmm-ct: ")


def test_official_loader_reports_a_missing_label_file(tmp_path: Path) -> None:
    _write_official(tmp_path, "mri", [{"image_name": "1.png", "question": "Q?", "answer": "a"}])
    with pytest.raises(OfficialDataError, match=r"^r2/benchlmm-ct: .*label/ct\.json not found") as error:
        _official(tmp_path, "benchlmm-ct")
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(
    ("answer", "accepted", "competitors"),
    [("yes", ("yes",), (("no",),)), ("No", ("No",), (("yes",),)), ("Right", ("Right",), (("left",),)),
     ("car", ("car",), ()), ("traffic light", ("traffic light",), ()), ("12", ("12",), ())],
)  # fmt: skip
def test_official_answers_know_their_competitors(
    answer: str, accepted: tuple[str, ...], competitors: tuple[tuple[str, ...], ...]
) -> None:
    assert answer_options(answer) == (accepted, competitors)
    found, others = answer_options("2")
    assert found == ("2", "two") and ("1",) in others and ("3", "three") in others and len(others) == 10


def test_official_samples_score_end_to_end(tmp_path: Path) -> None:
    rows = [("How many cars?", 2), ("Is it an X-ray?", "yes"), ("What is it?", "traffic light"), ("Side?", "left")]
    official = {}
    for sensor in SENSORS:
        _write_official(tmp_path, sensor, [{"image_name": f"{sensor}/{i}.png", "question": q, "answer": a}
                                           for i, (q, a) in enumerate(rows)])  # fmt: skip
        official[f"benchlmm-{sensor}"] = _official(tmp_path, f"benchlmm-{sensor}")
    metrics, score = scripted_scores(R2, reference.ideal, official)
    assert score == 100.0 and all(m == {"score": 100.0, "n": 4.0} for m in metrics.values())
    assert scripted_scores(R2, reference.sentence, official)[1] == 100.0
    assert scripted_scores(R2, reference.refuse_all, official)[1] == 0.0
    # "traffic light" has no known competitor and "2" no competitor named: hedging costs only where one exists.
    assert scripted_scores(R2, lambda s: f"{s.target['answer']} or maybe not", official)[1] == 100.0


def test_a_judged_run_keeps_the_shortcut_and_reads_ratings_with_the_score_rule(tmp_path: Path) -> None:
    samples = R2.builtin(R2.variant("benchlmm-remote"), DataOptions(seed=0))[:4]
    answers = [reference.ideal(samples[0]), "Maybe this.", "Maybe that.", "Who knows."]
    ratings = ["0", "75", "75/100", "N/A"]  # the shortcut makes the first rating moot

    def replay(name: str, rows: dict[str, str]) -> ReplayModel:
        path = tmp_path / name
        path.write_text("".join(json.dumps({"id": k, "response": v, "error": None}) + "\n" for k, v in rows.items()))
        return ReplayModel(str(path))

    model = replay("model.jsonl", {s.id: a for s, a in zip(samples, answers, strict=True)})
    judge = replay("judge.jsonl", {f"{s.id}/judge": r for s, r in zip(samples, ratings, strict=True)})
    run = run_variant(R2, R2.variant("benchlmm-remote"), model, DataOptions(seed=0), 4, judge)
    assert [r.verdict.values["score"] if r.verdict else None for r in run.records] == [100, 75, 75, None]
    assert [r.verdict.values["hash_dependent"] if r.verdict else None for r in run.records] == [
        False,
        False,
        True,
        None,
    ]
    assert run.records[0].verdict is not None and run.records[0].verdict.values["exact_match"] == 1
    assert run.errors == 1 and "expected a score from 0, 25, 50, 75, 100, got 'N/A'" in str(run.records[3].error)
    assert run.metrics == {"score": 83.3333, "n": 3.0} and run.judges == [f"llm:{judge.spec}:r2-rater"]
