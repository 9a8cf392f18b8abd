"""T.3 VQA under instruction enhancement: factual-error and logic questions, each under three instructions."""

import pytest

from pytest_multitrust.tasks.t3_instruction_enhancement import T3_INSTRUCTION_ENHANCEMENT


@pytest.mark.parametrize("variant", T3_INSTRUCTION_ENHANCEMENT.variants, ids=str)
def test_t3_instruction_enhancement(multitrust, variant):
    multitrust.evaluate(T3_INSTRUCTION_ENHANCEMENT, variant)
