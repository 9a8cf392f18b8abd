"""R.2 Sensor-style OOD: short questions about drawn scenes seen by seven unusual sensors."""

import pytest

from pytest_multitrust.tasks.r2_sensor_style_ood import R2_SENSOR_STYLE_OOD


@pytest.mark.parametrize("variant", R2_SENSOR_STYLE_OOD.variants, ids=str)
def test_r2_sensor_style_ood(multitrust, variant):
    multitrust.evaluate(R2_SENSOR_STYLE_OOD, variant)
