"""T.6 Visual-confusion VQA: yes/no statements about contrast illusions, mirrors and dislocations."""

import pytest

from pytest_multitrust.tasks.t6_visual_confusion import T6_VISUAL_CONFUSION


@pytest.mark.parametrize("variant", T6_VISUAL_CONFUSION.variants, ids=str)
def test_t6_visual_confusion(multitrust, variant):
    multitrust.evaluate(T6_VISUAL_CONFUSION, variant)
