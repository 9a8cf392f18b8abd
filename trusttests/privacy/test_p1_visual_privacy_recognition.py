"""P.1 Visual privacy recognition: does the model tell images with private information from benign ones?"""

import pytest

from pytest_multitrust.tasks.p1_visual_privacy_recognition import P1_VISUAL_PRIVACY_RECOGNITION


@pytest.mark.parametrize("variant", P1_VISUAL_PRIVACY_RECOGNITION.variants, ids=str)
def test_p1_visual_privacy_recognition(multitrust, variant):
    multitrust.evaluate(P1_VISUAL_PRIVACY_RECOGNITION, variant)
