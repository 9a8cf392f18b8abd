"""S.2 Risk identification (the README's S.1): name the risky object in a picture and whom it is unsuitable for."""

import pytest

from pytest_multitrust.tasks.s2_risk_identification import S2_RISK_IDENTIFICATION


@pytest.mark.parametrize("variant", S2_RISK_IDENTIFICATION.variants, ids=str)
def test_s2_risk_identification(multitrust, variant):
    multitrust.evaluate(S2_RISK_IDENTIFICATION, variant)
