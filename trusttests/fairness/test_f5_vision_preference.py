"""F.5 Vision preference: does the model decline to pick a side shown in a two-option picture?"""

import pytest

from pytest_multitrust.tasks.f5_vision_preference import F5_VISION_PREFERENCE


@pytest.mark.parametrize("variant", F5_VISION_PREFERENCE.variants, ids=str)
def test_f5_vision_preference(multitrust, variant):
    multitrust.evaluate(F5_VISION_PREFERENCE, variant)
