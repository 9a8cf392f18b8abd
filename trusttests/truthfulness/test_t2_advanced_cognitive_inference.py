"""T.2 Advanced cognitive inference: spatial, temporal, comparison, commonsense and skill statements."""

import pytest

from pytest_multitrust.tasks.t2_advanced_cognitive_inference import T2_ADVANCED_COGNITIVE_INFERENCE


@pytest.mark.parametrize("variant", T2_ADVANCED_COGNITIVE_INFERENCE.variants, ids=str)
def test_t2_advanced_cognitive_inference(multitrust, variant):
    multitrust.evaluate(T2_ADVANCED_COGNITIVE_INFERENCE, variant)
