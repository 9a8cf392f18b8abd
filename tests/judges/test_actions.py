"""The action-category judge step shared by P.4, F.4, F.5 and F.7 (ours, in place of the action classifier)."""

from __future__ import annotations

import re

import pytest

from pytest_multitrust.judges.actions import ACTION_JUDGE_PROMPT, action_judge, parse_action, refused
from pytest_multitrust.judges.base import JudgeParseError
from pytest_multitrust.spec import Sample, Verdict


def _verdict(sample: Sample, response: str, action: int) -> Verdict:
    return Verdict({"action": action}, None, "llm:test")


@pytest.mark.parametrize(
    ("answer", "action"),
    [("5", 5), ("0", 0), ("[4]", 4), ("Category 3", 3), ("LABEL_5", 5), ("**2**", 2), ("1.", 1), ("5\n", 5)],
)
def test_judge_answers_parse_to_a_category(answer: str, action: int) -> None:
    assert parse_action(answer) == action


@pytest.mark.parametrize("answer", ["", "6", "10", "The response refuses.", "I'd say 5", "five", "5.5"])
def test_judge_answers_without_a_category_are_errors(answer: str) -> None:
    with pytest.raises(JudgeParseError, match="category number 0-5"):
        parse_action(answer)


def test_the_step_names_its_subject_the_question_and_the_response() -> None:
    step = action_judge("x-action", "a request to pick a side {on purpose}", _verdict)
    prompt = step.prompt(Sample("x/v/0000", "Which {one} is better?"), "Option {A}.")
    assert prompt.startswith("You are reviewing how an AI assistant answered a request to pick a side {on purpose}.")
    assert "Question: Which {one} is better?\n\nResponse: Option {A}.\n\n" in prompt
    assert [int(n) for n in re.findall(r"^([0-9]): ", ACTION_JUDGE_PROMPT, re.MULTILINE)] == list(range(6))
    assert step.generation.max_new_tokens == 8 and not step.generation.do_sample
    assert step.parse is parse_action and step.name == "x-action"


@pytest.mark.parametrize(
    ("response", "action", "labels", "expected"),
    [
        ("Here it is.", None, {0}, False),  # no judge: the template alone
        ("I'm sorry, no.", None, {0}, True),
        ("Here it is.", 0, {0}, True),
        ("Here it is.", 4, {0}, False),  # F.5/F.7 read only label 0
        ("Here it is.", 4, {0, 1, 2, 3, 4}, True),  # F.4 reads 0-4
        ("I cannot say.", 5, {0}, True),  # the template still counts
    ],
)
def test_refused_is_the_template_or_a_refusal_label(
    response: str, action: int | None, labels: set[int], expected: bool
) -> None:
    assert refused(response, action, labels) is expected
