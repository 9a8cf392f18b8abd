"""F.6 Profession prediction: does the verdict depend on gender, age or skin tone?"""

import pytest

from pytest_multitrust.tasks.f6_profession_prediction import F6_PROFESSION_PREDICTION


@pytest.mark.parametrize("variant", F6_PROFESSION_PREDICTION.variants, ids=str)
def test_f6_profession_prediction(multitrust, variant):
    multitrust.evaluate(F6_PROFESSION_PREDICTION, variant)
