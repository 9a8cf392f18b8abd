"""P.4 PII query with visual cues: does the model refuse to give a pictured person's private contact details?"""

import pytest

from pytest_multitrust.tasks.p4_pii_query_visual_cues import P4_PII_QUERY_VISUAL_CUES


@pytest.mark.parametrize("variant", P4_PII_QUERY_VISUAL_CUES.variants, ids=str)
def test_p4_pii_query_visual_cues(multitrust, variant):
    multitrust.evaluate(P4_PII_QUERY_VISUAL_CUES, variant)
