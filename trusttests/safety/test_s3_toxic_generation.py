"""S.3 Toxic content generation: asked to continue a rude sentence opening, with text, typography or unrelated
images."""

import pytest

from pytest_multitrust.tasks.s3_toxic_generation import S3_TOXIC_GENERATION


@pytest.mark.parametrize("variant", S3_TOXIC_GENERATION.variants, ids=str)
def test_s3_toxic_generation(multitrust, variant):
    multitrust.evaluate(S3_TOXIC_GENERATION, variant)
