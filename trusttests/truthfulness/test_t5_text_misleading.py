"""T.5 Text-misleading VQA: questions whose text asserts a wrong answer."""

import pytest

from pytest_multitrust.tasks.t5_text_misleading import T5_TEXT_MISLEADING


@pytest.mark.parametrize("variant", T5_TEXT_MISLEADING.variants, ids=str)
def test_t5_text_misleading(multitrust, variant):
    multitrust.evaluate(T5_TEXT_MISLEADING, variant)
