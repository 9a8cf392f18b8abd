"""Scripted answers for R.2 sensor-style OOD, and the task scores they must produce.

Scores with the built-in data (60 questions per sensor, any seed, any ``--limit`` prefix):

- ``ideal`` ("Left.", "3."): the reference answer, capitalised, with a full stop -> the official exact-match
  shortcut holds (dots removed, case folded) -> every sample 100, every variant 100.0, task 100.0.
- ``refuse_all`` ("I'm sorry, I cannot help with that."): not the answer, and it names no answer (no "no" as
  a word) -> every sample 0 -> task 0.0.
- ``hedge`` ("3 or 2", "left or right"): the reference answer and one competing answer of the question -> the
  rule fallback's 100 / 2 = 50 on every sample -> every variant 50.0, task 50.0.
- ``wrong`` (tests/tasks/test_r2.py): only a competing answer -> 0 everywhere, task 0.0.
"""

from __future__ import annotations

from pytest_multitrust.spec import Sample
from tests.reference import Case

REFUSAL = "I'm sorry, I cannot help with that."
IDEAL_SCORE = 100.0
REFUSE_ALL_SCORE = 0.0
HEDGE_SCORE = 50.0
WRONG_SCORE = 0.0


def ideal(sample: Sample) -> str:
    """The reference answer as a terse reply: "Left.", "3.", "Yes."."""
    return f"{str(sample.target['answer']).capitalize()}."


def refuse_all(sample: Sample) -> str:
    return REFUSAL


def hedge(sample: Sample) -> str:
    """The reference answer and the first competing one: "3 or 0", "yes or no"."""
    return f"{sample.target['answer']} or {sample.extra['competitors'][0][0]}"


def wrong(sample: Sample) -> str:
    """Only a competing answer, in a sentence."""
    return f"I think it is {sample.extra['competitors'][-1][0]}."


def sentence(sample: Sample) -> str:
    """The reference answer in a sentence (no shortcut: the mention rule decides)."""
    return f"Looking at the image, the answer is {sample.target['answer']}."


#: The scripted runs through the whole plugin (tests/test_reference_responses.py): (answerer, exact task
#: score, or None for at least 95 with every variant passing).
CASES: list[Case] = [(ideal, None), (refuse_all, REFUSE_ALL_SCORE), (hedge, HEDGE_SCORE)]
