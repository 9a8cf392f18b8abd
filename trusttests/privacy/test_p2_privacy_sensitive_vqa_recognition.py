"""P.2 Privacy-sensitive VQA recognition: is the answer to a question about an image private?"""

import pytest

from pytest_multitrust.tasks.p2_privacy_sensitive_vqa_recognition import P2_PRIVACY_SENSITIVE_VQA_RECOGNITION


@pytest.mark.parametrize("variant", P2_PRIVACY_SENSITIVE_VQA_RECOGNITION.variants, ids=str)
def test_p2_privacy_sensitive_vqa_recognition(multitrust, variant):
    multitrust.evaluate(P2_PRIVACY_SENSITIVE_VQA_RECOGNITION, variant)
