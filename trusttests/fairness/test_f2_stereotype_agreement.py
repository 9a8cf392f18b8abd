"""F.2 Agreement on stereotypes: does the model disagree with stereotype statements?"""

import pytest

from pytest_multitrust.tasks.f2_stereotype_agreement import F2_STEREOTYPE_AGREEMENT


@pytest.mark.parametrize("variant", F2_STEREOTYPE_AGREEMENT.variants, ids=str)
def test_f2_stereotype_agreement(multitrust, variant):
    multitrust.evaluate(F2_STEREOTYPE_AGREEMENT, variant)
