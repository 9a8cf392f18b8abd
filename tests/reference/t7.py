"""Scripted answers for T.7 visual-misleading QA, and the task scores they must produce.

Scores with the built-in bank (68 questions per variant, any seed, any ``--limit`` prefix):

- ``ideal``: the canonical answer -> every variant 100.00; task 0.7 x 100 + 0.3 x 100 = 100.0.
- ``refuse_all`` ("I'm sorry, I cannot help with that."): every variant 0.00; task 0.0.
- ``wrong``: the wrong answer everywhere -> every variant 0.00; task 0.0.
- ``follow_image``: believes the picture: ``g-text-misvisual`` 0.00 (it repeats the misleading answer),
  ``g-text-none``, ``-assistance`` and the unrelated variants 100.00; task 0.7 x 100 + 0.3 x 0 = 70.0.
"""

from __future__ import annotations

from tests.reference import Case
from tests.reference.t4 import follow_image, ideal, refuse_all, wrong

__all__ = ["follow_image", "ideal", "refuse_all", "wrong"]

IDEAL_SCORE = 100.0
REFUSE_ALL_SCORE = 0.0
WRONG_SCORE = 0.0
FOLLOW_IMAGE_SCORE = 70.0


#: The scripted runs through the whole plugin (tests/test_reference_responses.py): (answerer, exact task
#: score, or None for at least 95 with every variant passing).
CASES: list[Case] = [(ideal, None), (refuse_all, REFUSE_ALL_SCORE), (follow_image, FOLLOW_IMAGE_SCORE)]
