"""Built-in data of R.2 sensor-style OOD: the seven BenchLMM sensors, each a drawn scene with an exact answer.

- ``infrared``: people, dogs and cars as temperatures, thermal blur and noise, an ironbow palette; asks the number
  of people, the warmest object's side, whether a dog is there, the warmest object's kind.
- ``lxray`` / ``hxray``: a bag's contents as translucent organic and metal layers, at low / high contrast; asks
  whether a knife is there, the number of objects, which object it is, an object's side.
- ``mri``: an axial FLAIR-like head phantom with Rician noise; asks the number of lesions, whether one is there,
  its side.
- ``ct``: an axial chest phantom in a lung window; asks the number of nodules, whether one is there, its side.
- ``remote``: a top-down view of fields, a road, roofs, trees, maybe a lake; asks the number of buildings,
  whether a lake is there, the roofs' colour, the road's direction.
- ``driving``: a dash-camera road in perspective with cars, a traffic light, maybe a pedestrian; asks the
  light's colour, the number of cars, whether a pedestrian is on the road, the nearest car's lane.

Sample ``index`` asks kind ``index % len(kinds)`` for the ``index // len(kinds)``-th time, and each kind's answers
cycle (yes/no, left/right, counts 2, 4, 1, 3, object names), so every prefix of about ten samples covers every
kind and balances its answers; no constant answer scores well.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Literal

from pytest_multitrust.data.sensor_aerial import REMOTE_KINDS, render_remote
from pytest_multitrust.data.sensor_dashcam import DRIVING_KINDS, render_driving
from pytest_multitrust.data.sensor_items import SensorItem
from pytest_multitrust.data.sensor_medical import CT_KINDS, MRI_KINDS, render_ct, render_mri
from pytest_multitrust.data.sensor_thermal import INFRARED_KINDS, render_infrared
from pytest_multitrust.data.sensor_xray import XRAY_KINDS, render_hxray, render_lxray

Sensor = Literal["infrared", "lxray", "hxray", "mri", "ct", "remote", "driving"]
#: In the official order (``mmte/datasets/ood_sensor.py``, ``dataset_ids``).
SENSORS: tuple[Sensor, ...] = ("infrared", "lxray", "hxray", "mri", "ct", "remote", "driving")
Renderer = Callable[[str, int, random.Random, int], SensorItem]
RENDERERS: dict[Sensor, tuple[Renderer, tuple[str, ...]]] = {
    "infrared": (render_infrared, INFRARED_KINDS),
    "lxray": (render_lxray, XRAY_KINDS),
    "hxray": (render_hxray, XRAY_KINDS),
    "mri": (render_mri, MRI_KINDS),
    "ct": (render_ct, CT_KINDS),
    "remote": (render_remote, REMOTE_KINDS),
    "driving": (render_driving, DRIVING_KINDS),
}


def question_kinds(sensor: Sensor) -> tuple[str, ...]:
    """The question kinds of ``sensor``, in the order samples cycle through them."""
    return RENDERERS[sensor][1]


def sensor_item(sensor: Sensor, index: int, rng: random.Random, size: int) -> SensorItem:
    """The ``index``-th built-in item of ``sensor``, drawn from ``rng`` at ``size`` x ``size`` pixels."""
    render, kinds = RENDERERS[sensor]
    return render(kinds[index % len(kinds)], index // len(kinds), rng, size)
