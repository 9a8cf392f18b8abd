"""R.4 Untargeted adversarial captioning: describing objects whose images were attacked away from them."""

import pytest

from pytest_multitrust.tasks.r4_untargeted_adversarial_captioning import R4_UNTARGETED_ADVERSARIAL_CAPTIONING


@pytest.mark.parametrize("variant", R4_UNTARGETED_ADVERSARIAL_CAPTIONING.variants, ids=str)
def test_r4_untargeted_adversarial_captioning(multitrust, variant):
    multitrust.evaluate(R4_UNTARGETED_ADVERSARIAL_CAPTIONING, variant)
