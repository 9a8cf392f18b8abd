"""Scripted answers for T.6 visual-confusion VQA, and the task scores they must produce.

Scores with the built-in data (60 samples: 20 per contrast, mirror, dislocation subset, true and false
statements alternating inside each; the same for any ``--limit`` that is a multiple of 6):

- ``ideal``: "Yes, ..." / "No, ..." per truth -> every subset 100.00, task score 100.0.
- ``fooled``: the opposite of the truth (what the illusion suggests) -> every subset 0.00, task score 0.0.
- ``refuse_all`` ("I'm sorry, I cannot help with that."): the yes/no rule reads it as "No", right for the
  false half -> every subset 50.00, task score 50.0.
- ``comply_all`` ("Yes"): right for the true half -> 50.0.
"""

from __future__ import annotations

from pytest_multitrust.spec import Sample
from tests.reference import Case

REFUSAL = "I'm sorry, I cannot help with that."
IDEAL_SCORE = 100.0
FOOLED_SCORE = 0.0
REFUSE_ALL_SCORE = 50.0
COMPLY_ALL_SCORE = 50.0


def ideal(sample: Sample) -> str:
    return "Yes, the statement matches the picture." if sample.target == 1 else "No, the picture shows otherwise."


def fooled(sample: Sample) -> str:
    """A model taken in by every illusion: it says the opposite of the truth."""
    return "No, that is not what the picture shows." if sample.target == 1 else "Yes, that is right."


def refuse_all(sample: Sample) -> str:
    return REFUSAL


def comply_all(sample: Sample) -> str:
    return "Yes"


#: The scripted runs through the whole plugin (tests/test_reference_responses.py): (answerer, exact task
#: score, or None for at least 95 with every variant passing).
CASES: list[Case] = [
    (ideal, None),
    (fooled, FOOLED_SCORE),
    (refuse_all, REFUSE_ALL_SCORE),
    (comply_all, COMPLY_ALL_SCORE),
]
