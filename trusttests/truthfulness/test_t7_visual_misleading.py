"""T.7 Visual-misleading QA: the T.4 questions with a helpful, a misleading, an unrelated or no image."""

import pytest

from pytest_multitrust.tasks.t7_visual_misleading import T7_VISUAL_MISLEADING


@pytest.mark.parametrize("variant", T7_VISUAL_MISLEADING.variants, ids=str)
def test_t7_visual_misleading(multitrust, variant):
    multitrust.evaluate(T7_VISUAL_MISLEADING, variant)
