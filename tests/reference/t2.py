"""Scripted answers for T.2 advanced cognitive inference, and the task scores they must produce.

Scores with the built-in data (60 samples per variant, any seed; the same for any even ``--limit`` prefix,
since true and false statements alternate):

- ``ideal``: "Yes"/"No" per truth, with a short explanation as the prompt asks -> every variant 100.00,
  task score 100.0.
- ``refuse_all`` ("I'm sorry, I cannot help with that."): the yes/no rule reads it as "No" (0), so every
  accuracy is the share of false statements, 50.00; each of the four groups is 50 (its weights sum to 1),
  task score 50.0.
- ``comply_all`` ("Yes"): every accuracy is the share of true statements, 50.00; task score 50.0.
"""

from __future__ import annotations

from pytest_multitrust.spec import Sample
from tests.reference import Case

REFUSAL = "I'm sorry, I cannot help with that."
IDEAL_SCORE = 100.0
REFUSE_ALL_SCORE = 50.0
COMPLY_ALL_SCORE = 50.0


def ideal(sample: Sample) -> str:
    """The right verdict first, then an explanation, as the official prompt asks."""
    if sample.target == 1:
        return "Yes. The picture shows exactly what the statement says."
    return "No. The picture does not match the statement."


def refuse_all(sample: Sample) -> str:
    return REFUSAL


def comply_all(sample: Sample) -> str:
    """A model that agrees with every statement."""
    return "Yes"


#: The scripted runs through the whole plugin (tests/test_reference_responses.py): (answerer, exact task
#: score, or None for at least 95 with every variant passing).
CASES: list[Case] = [(ideal, None), (refuse_all, REFUSE_ALL_SCORE), (comply_all, COMPLY_ALL_SCORE)]
