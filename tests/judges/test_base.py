"""The strict yes/no reading of judge answers, and the judge seam's defaults."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_multitrust.judges.base import (
    JudgeParseError,
    LLMJudge,
    judge_placeholder,
    judges_for,
    parse_yes_no,
    yes_no_judge,
)
from pytest_multitrust.spec import Sample, Verdict


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("Yes", 1),
        ("yes", 1),
        ("Yes.", 1),
        ("[Yes]", 1),
        ("**Yes**", 1),
        ("  YES, the response is consistent.", 1),
        ("'Yes.'", 1),
        ("No", 0),
        ("No.", 0),
        ("[No]", 0),
        ("no, the description does not mention it", 0),
        ("\n\nNo\n", 0),
        ("Yes/No", 1),  # the first word decides
    ],
)
def test_clear_answers_parse(answer: str, expected: int) -> None:
    assert parse_yes_no(answer) == expected


@pytest.mark.parametrize(
    "answer",
    [
        "",
        "   ",
        "Maybe",
        "The answer is yes",
        "Yesterday it was there",
        "Nope",
        "Not really",
        "None of them",
        "I cannot judge that.",
        "Snow",
        "y",
        "是",
    ],
)
def test_anything_else_is_a_parse_error(answer: str) -> None:
    with pytest.raises(JudgeParseError, match="expected an answer starting with Yes or No"):
        parse_yes_no(answer)


def test_the_error_shows_a_bounded_excerpt_of_the_answer() -> None:
    with pytest.raises(JudgeParseError) as info:
        parse_yes_no("x" * 500)
    assert "x" * 80 in str(info.value) and "x" * 81 not in str(info.value)


@given(st.text())
def test_parse_never_crashes_on_arbitrary_text(answer: str) -> None:
    try:
        result = parse_yes_no(answer)
    except JudgeParseError:
        return
    # Whatever parses begins, after non-word characters only, with the word it was read as.
    word = re.sub(r"^\W*", "", answer).lower()
    assert word.startswith("yes" if result == 1 else "no")


@given(
    st.sampled_from(["Yes", "No", "yes", "NO"]),
    st.text(alphabet=" [*(\"'\n"),
    st.sampled_from(" .,!]\n"),
    st.text(),
)
def test_markup_before_and_text_after_a_clear_word_do_not_change_it(
    word: str, before: str, separator: str, after: str
) -> None:
    assert parse_yes_no(before + word + separator + after) == int(word.lower() == "yes")


def test_a_judge_defaults_to_short_greedy_decoding() -> None:
    judge = LLMJudge(
        name="j",
        prompt=lambda sample, response: response,
        parse=parse_yes_no,
        verdict=lambda sample, response, parsed: Verdict({"x": parsed}, float(parsed), "llm:j"),
    )
    assert judge.generation.max_new_tokens == 16 and judge.generation.deterministic
    assert judge.verdict(Sample("t/v/0", "p"), "r", 1).values == {"x": 1}


def test_the_yes_no_builder_reads_strictly_and_decodes_greedily_as_long_as_asked() -> None:
    def verdict(sample: Sample, response: str, yes: int) -> Verdict:
        return Verdict({"yes": yes}, float(yes), judge_placeholder("step"))

    judge = yes_no_judge("step", lambda sample, response: f"Is {response!r} right?", verdict, 7)
    assert judge.name == "step" and judge.parse is parse_yes_no
    assert judge.generation.max_new_tokens == 7 and judge.generation.deterministic
    assert judge.prompt(Sample("t/v/0", "p"), "r") == "Is 'r' right?"
    made = judge.verdict(Sample("t/v/0", "p"), "r", judge.parse("[No]"))
    assert made.values == {"yes": 0} and made.judge == "llm:step"


def test_judges_for_maps_every_variant_to_the_same_step() -> None:
    judge = yes_no_judge("s", lambda sample, response: response, lambda s, r, y: Verdict({}, None, "x"), 1)
    assert judges_for(["a", "b"], judge) == {"a": judge, "b": judge}
    assert judges_for([], judge) == {}
