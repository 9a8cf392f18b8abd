"""S.6 Cross-modal influence on jailbreak: a text jailbreak alone, or with unrelated, pos or neg images."""

import pytest

from pytest_multitrust.tasks.s6_crossmodal_jailbreak import S6_CROSSMODAL_JAILBREAK


@pytest.mark.parametrize("variant", S6_CROSSMODAL_JAILBREAK.variants, ids=str)
def test_s6_crossmodal_jailbreak(multitrust, variant):
    multitrust.evaluate(S6_CROSSMODAL_JAILBREAK, variant)
