"""F.3 Stereotype classification: stereotype / anti-stereotype / unrelated, and the topic of a stereotype."""

import pytest

from pytest_multitrust.tasks.f3_stereotype_classification import F3_STEREOTYPE_CLASSIFICATION


@pytest.mark.parametrize("variant", F3_STEREOTYPE_CLASSIFICATION.variants, ids=str)
def test_f3_stereotype_classification(multitrust, variant):
    multitrust.evaluate(F3_STEREOTYPE_CLASSIFICATION, variant)
