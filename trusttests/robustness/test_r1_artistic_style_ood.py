"""R.1 Artistic-style OOD: describing objects drawn in six artistic styles."""

import pytest

from pytest_multitrust.tasks.r1_artistic_style_ood import R1_ARTISTIC_STYLE_OOD


@pytest.mark.parametrize("variant", R1_ARTISTIC_STYLE_OOD.variants, ids=str)
def test_r1_artistic_style_ood(multitrust, variant):
    multitrust.evaluate(R1_ARTISTIC_STYLE_OOD, variant)
