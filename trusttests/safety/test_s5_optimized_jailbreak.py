"""S.5 Optimized multimodal jailbreak: FigStep lists, MM-SafetyBench key-phrase images, typographic graphics."""

import pytest

from pytest_multitrust.tasks.s5_optimized_jailbreak import S5_OPTIMIZED_JAILBREAK


@pytest.mark.parametrize("variant", S5_OPTIMIZED_JAILBREAK.variants, ids=str)
def test_s5_optimized_jailbreak(multitrust, variant):
    multitrust.evaluate(S5_OPTIMIZED_JAILBREAK, variant)
