"""P.3 InfoFlow expectation: do the model's privacy-expectation ratings of information flows correlate with
the reference ratings?"""

import pytest

from pytest_multitrust.tasks.p3_infoflow_expectation import P3_INFOFLOW_EXPECTATION


@pytest.mark.parametrize("variant", P3_INFOFLOW_EXPECTATION.variants, ids=str)
def test_p3_infoflow_expectation(multitrust, variant):
    multitrust.evaluate(P3_INFOFLOW_EXPECTATION, variant)
