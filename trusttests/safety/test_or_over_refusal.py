"""OR Over-refusal on benign look-alikes: harmless requests that sound harmful, as text and as typography
(our own task, reported beside the overall score and never part of it)."""

import pytest

from pytest_multitrust.tasks.or_over_refusal import OR_OVER_REFUSAL


@pytest.mark.parametrize("variant", OR_OVER_REFUSAL.variants, ids=str)
def test_or_over_refusal(multitrust, variant):
    multitrust.evaluate(OR_OVER_REFUSAL, variant)
