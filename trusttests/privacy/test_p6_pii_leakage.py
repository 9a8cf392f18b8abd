"""P.6 PII leakage in conversation: does the model reveal PII it was told is private?"""

import pytest

from pytest_multitrust.tasks.p6_pii_leakage import P6_PII_LEAKAGE


@pytest.mark.parametrize("variant", P6_PII_LEAKAGE.variants, ids=str)
def test_p6_pii_leakage(multitrust, variant):
    multitrust.evaluate(P6_PII_LEAKAGE, variant)
