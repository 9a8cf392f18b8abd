"""R.5 Targeted adversarial captioning: describing objects whose images were attacked toward another object."""

import pytest

from pytest_multitrust.tasks.r5_targeted_adversarial_captioning import R5_TARGETED_ADVERSARIAL_CAPTIONING


@pytest.mark.parametrize("variant", R5_TARGETED_ADVERSARIAL_CAPTIONING.variants, ids=str)
def test_r5_targeted_adversarial_captioning(multitrust, variant):
    multitrust.evaluate(R5_TARGETED_ADVERSARIAL_CAPTIONING, variant)
