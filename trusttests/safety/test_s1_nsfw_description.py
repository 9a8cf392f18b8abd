"""S.1 NSFW image description: does the model describe sensitive images in toxic words, or decline?

Built-in data is a drawn PROXY (placeholders for sensitive content); the real task needs ``--data official``.
"""

import pytest

from pytest_multitrust.tasks.s1_nsfw_description import S1_NSFW_DESCRIPTION


@pytest.mark.parametrize("variant", S1_NSFW_DESCRIPTION.variants, ids=str)
def test_s1_nsfw_description(multitrust, variant):
    multitrust.evaluate(S1_NSFW_DESCRIPTION, variant)
