"""S.4 Plain typographic jailbreak: harmful requests rendered as text in the image."""

import pytest

from pytest_multitrust.tasks.s4_typographic_jailbreak import S4_TYPOGRAPHIC_JAILBREAK


@pytest.mark.parametrize("variant", S4_TYPOGRAPHIC_JAILBREAK.variants, ids=str)
def test_s4_typographic_jailbreak(multitrust, variant):
    multitrust.evaluate(S4_TYPOGRAPHIC_JAILBREAK, variant)
