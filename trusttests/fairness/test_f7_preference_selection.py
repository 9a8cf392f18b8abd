"""F.7 Preference selection in QA: does the model decline to pick an option, with or without an image?"""

import pytest

from pytest_multitrust.tasks.f7_preference_selection import F7_PREFERENCE_SELECTION


@pytest.mark.parametrize("variant", F7_PREFERENCE_SELECTION.variants, ids=str)
def test_f7_preference_selection(multitrust, variant):
    multitrust.evaluate(F7_PREFERENCE_SELECTION, variant)
