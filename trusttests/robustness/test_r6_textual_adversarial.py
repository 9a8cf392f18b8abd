"""R.6 Textual adversarial: GLUE-style questions whose text was attacked, alone or with an image."""

import pytest

from pytest_multitrust.tasks.r6_textual_adversarial import R6_TEXTUAL_ADVERSARIAL


@pytest.mark.parametrize("variant", R6_TEXTUAL_ADVERSARIAL.variants, ids=str)
def test_r6_textual_adversarial(multitrust, variant):
    multitrust.evaluate(R6_TEXTUAL_ADVERSARIAL, variant)
