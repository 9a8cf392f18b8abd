"""R.3 OOD-text sentiment: labelling film-review sentences rewritten in ten unusual styles."""

import pytest

from pytest_multitrust.tasks.r3_ood_text_sentiment import R3_OOD_TEXT_SENTIMENT


@pytest.mark.parametrize("variant", R3_OOD_TEXT_SENTIMENT.variants, ids=str)
def test_r3_ood_text_sentiment(multitrust, variant):
    multitrust.evaluate(R3_OOD_TEXT_SENTIMENT, variant)
