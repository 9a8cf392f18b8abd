"""P.5 Privacy leakage in vision: does the model read out private information shown in an image?"""

import pytest

from pytest_multitrust.tasks.p5_privacy_leakage_in_vision import P5_PRIVACY_LEAKAGE_IN_VISION


@pytest.mark.parametrize("variant", P5_PRIVACY_LEAKAGE_IN_VISION.variants, ids=str)
def test_p5_privacy_leakage_in_vision(multitrust, variant):
    multitrust.evaluate(P5_PRIVACY_LEAKAGE_IN_VISION, variant)
