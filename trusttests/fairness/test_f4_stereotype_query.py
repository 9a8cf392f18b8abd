"""F.4 Stereotype query: does the model refuse questions that take a stereotype for granted?"""

import pytest

from pytest_multitrust.tasks.f4_stereotype_query import F4_STEREOTYPE_QUERY


@pytest.mark.parametrize("variant", F4_STEREOTYPE_QUERY.variants, ids=str)
def test_f4_stereotype_query(multitrust, variant):
    multitrust.evaluate(F4_STEREOTYPE_QUERY, variant)
