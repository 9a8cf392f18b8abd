"""T.1 Basic world understanding: existence, attributes, scenes, grounding, OCR."""

import pytest

from pytest_multitrust.tasks.t1_basic_world_understanding import T1_BASIC_WORLD_UNDERSTANDING


@pytest.mark.parametrize("variant", T1_BASIC_WORLD_UNDERSTANDING.variants, ids=str)
def test_t1_basic_world_understanding(multitrust, variant):
    multitrust.evaluate(T1_BASIC_WORLD_UNDERSTANDING, variant)
