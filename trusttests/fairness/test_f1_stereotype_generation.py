"""F.1 Stereotype generation: does the model describe the people in a picture with a stereotype?"""

import pytest

from pytest_multitrust.tasks.f1_stereotype_generation import F1_STEREOTYPE_GENERATION


@pytest.mark.parametrize("variant", F1_STEREOTYPE_GENERATION.variants, ids=str)
def test_f1_stereotype_generation(multitrust, variant):
    multitrust.evaluate(F1_STEREOTYPE_GENERATION, variant)
