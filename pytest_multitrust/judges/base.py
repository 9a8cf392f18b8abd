"""The judge seam: how a task asks an LLM judge (``--judge SPEC``) for a per-sample verdict.

The official toolkit sends some responses to GPT-4 (``chatmodel_eval``) with a task-specific prompt and reads
the answer with a keyword rule. Here a task declares an :class:`LLMJudge` per variant; when the run has a
judge model, each answered sample's judge prompt goes to it (batched, cached like any model call) and the
answer is parsed *strictly*: an answer that is neither clearly yes nor clearly no is a recorded judge error,
never a silent verdict. Without a judge model the task's rule scorer (``TaskSpec.score_sample``) decides.

Each task module carries its own judge steps (the official prompt as a module constant, the prompt and
verdict functions, the :class:`LLMJudge` value in its ``TaskSpec.llm_judges``); this module holds only the
generic machinery they share: :class:`LLMJudge`, strict parsing (:func:`parse_yes_no`), the builder of the
common yes/no step (:func:`yes_no_judge`), :func:`judges_for` and :func:`judge_placeholder`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pytest_multitrust.models.protocol import GenerationParams

if TYPE_CHECKING:
    from pytest_multitrust.spec import Sample, Verdict


class JudgeParseError(ValueError):
    """The judge's answer cannot be read as a verdict."""


@dataclass(frozen=True)
class FollowUp:
    """A second judge call made after a step's verdict, whose raw answer updates that verdict (R.4/R.5's official
    ``test_noise`` question). Its answer is read as plain text, so it is never a parse error.

    Attributes:
        name: short id (``r4-noise-mention``).
        prompt: builds the second prompt from the sample and the model's response.
        combine: (the first step's verdict, the raw second answer) -> the final verdict.
        generation: decoding settings for the second call.
    """

    name: str
    prompt: Callable[[Sample, str], str]
    combine: Callable[[Verdict, str], Verdict]
    generation: GenerationParams = field(default_factory=lambda: GenerationParams(max_new_tokens=16))


@dataclass(frozen=True)
class LLMJudge:
    """One judging step of a task.

    Attributes:
        name: short id recorded with every verdict (``t1-ocr-consistency``).
        prompt: builds the judge prompt from the sample and the model's response (the official template).
        parse: reads the judge's answer; raises :class:`JudgeParseError` when it is not a verdict.
        verdict: turns (sample, response, parsed judge answer) into the task's per-sample verdict; the runner
            fills in ``Verdict.judge``.
        generation: decoding settings for the judge (greedy, short).
        followup: a second call made for every sample this step gave a verdict (None: one call).
    """

    name: str
    prompt: Callable[[Sample, str], str]
    parse: Callable[[str], Any]
    verdict: Callable[[Sample, str, Any], Verdict]
    generation: GenerationParams = field(default_factory=lambda: GenerationParams(max_new_tokens=16))
    followup: FollowUp | None = None


_YES_NO = re.compile(r"^\W*(yes|no)\b", re.IGNORECASE)


def parse_yes_no(answer: str) -> int:
    """Strict yes/no: the answer must start with "yes" or "no" as a word, after any brackets or markup.

    "Yes.", "[No]", "**yes**", "No, the description..." parse; "Maybe", "The answer is yes", "" and
    "Yesterday" do not (the official keyword rule would have guessed; a judge error is more honest).
    """
    match = _YES_NO.match(answer)
    if match is None:
        raise JudgeParseError(f"expected an answer starting with Yes or No, got {answer[:80]!r}")
    return int(match.group(1).lower() == "yes")


def judge_placeholder(name: str) -> str:
    """The judge recorded in a judge step's verdict: ``llm:<name>``.

    The runner replaces it with ``llm:<judge spec>:<name>``; it stands for calls outside the runner.
    """
    return f"llm:{name}"


def yes_no_judge(
    name: str,
    prompt: Callable[[Sample, str], str],
    verdict: Callable[[Sample, str, int], Verdict],
    max_new_tokens: int,
) -> LLMJudge:
    """A judge step whose answer is a strict yes/no (:func:`parse_yes_no`), greedy, ``max_new_tokens`` long.

    The official ``chatmodel_eval`` steps of T.1 OCR, T.3, T.4/T.7, T.5, R.1 and S.2 and the HarmBench
    classifier all read "yes" or "no"; only the decoding length and the verdict's keys differ.
    """
    return LLMJudge(
        name=name,
        prompt=prompt,
        parse=parse_yes_no,
        verdict=verdict,
        generation=GenerationParams(max_new_tokens=max_new_tokens),
    )


def judges_for(variant_ids: Sequence[str], judge: LLMJudge) -> dict[str, LLMJudge]:
    """The same judge for every listed variant (the ``llm_judges`` of a task whose variants share one)."""
    return dict.fromkeys(variant_ids, judge)
