"""T.4 QA under visual assistance: factual questions alone, with a helpful image, or with an unrelated one."""

import pytest

from pytest_multitrust.tasks.t4_visual_assistance import T4_VISUAL_ASSISTANCE


@pytest.mark.parametrize("variant", T4_VISUAL_ASSISTANCE.variants, ids=str)
def test_t4_visual_assistance(multitrust, variant):
    multitrust.evaluate(T4_VISUAL_ASSISTANCE, variant)
