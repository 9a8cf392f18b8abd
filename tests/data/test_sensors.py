"""The R.2 sensor renderers: deterministic, balanced, and every answer true of what was drawn (facts and pixels)."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import ndimage

from pytest_multitrust.data.sensor_aerial import LAKE, ROOF_COLOURS
from pytest_multitrust.data.sensor_dashcam import LIGHTS
from pytest_multitrust.data.sensor_items import COUNTS, NUMBER_WORDS, SensorItem, blur, smooth_noise
from pytest_multitrust.data.sensor_medical import HEART, LUNG_AXES, LUNGS
from pytest_multitrust.data.sensors import SENSORS, Sensor, question_kinds, sensor_item

SIZE = 336


def _item(sensor: Sensor, index: int, seed: int = 0) -> SensorItem:
    return sensor_item(sensor, index, random.Random(f"{seed}:{sensor}:{index}"), SIZE)


ITEMS: dict[Sensor, list[SensorItem]] = {}


def _items(sensor: Sensor, count: int = 16) -> list[SensorItem]:
    """The first ``count`` items of a sensor, drawn once per session."""
    if len(ITEMS.get(sensor, [])) < count:
        ITEMS[sensor] = [_item(sensor, index) for index in range(count)]
    return ITEMS[sensor][:count]


def _pixels(drawn: SensorItem) -> np.ndarray:
    return np.asarray(drawn.image).astype(np.int32)


def _near(pixels: np.ndarray, colour: tuple[int, int, int], tolerance: int) -> np.ndarray:
    near: np.ndarray = np.all(np.abs(pixels - np.array(colour)) <= tolerance, axis=-1)
    return near


# --- shape of every item ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("sensor", SENSORS)
def test_items_are_rgb_squares_with_one_line_questions_and_named_answers(sensor: Sensor) -> None:
    kinds = question_kinds(sensor)
    for index, drawn in enumerate(_items(sensor)):
        assert drawn.image.size == (SIZE, SIZE) and drawn.image.mode == "RGB"
        assert drawn.kind == kinds[index % len(kinds)]
        assert "\n" not in drawn.question and "->" not in drawn.question and drawn.question.endswith(("?", "."))
        assert drawn.answer == drawn.answer.lower() and drawn.answer in drawn.accepted
        assert drawn.competitors and all(drawn.answer not in forms for forms in drawn.competitors)
        assert not set(drawn.accepted) & {form for forms in drawn.competitors for form in forms}


@pytest.mark.parametrize("sensor", SENSORS)
def test_rendering_is_deterministic_per_rng(sensor: Sensor) -> None:
    first, again, other = _item(sensor, 5), _item(sensor, 5), _item(sensor, 5, seed=1)
    assert np.array_equal(_pixels(first), _pixels(again)) and first.facts == again.facts
    assert not np.array_equal(_pixels(first), _pixels(other))


@pytest.mark.parametrize("sensor", SENSORS)
def test_every_prefix_of_ten_covers_every_kind_and_balances_answers(sensor: Sensor) -> None:
    items = _items(sensor, 16)
    kinds = question_kinds(sensor)
    assert {drawn.kind for drawn in items[:10]} == set(kinds)
    for kind in kinds:  # each kind's answers take turns: no answer is given twice more often than another
        counts = Counter(drawn.answer for drawn in items if drawn.kind == kind)
        assert len(counts) >= 2 and max(counts.values()) - min(counts.values()) <= 1, (kind, counts)
    count_answers = [drawn.answer for drawn in items if drawn.kind == "count"]
    assert count_answers == [str(COUNTS[i % len(COUNTS)]) for i in range(len(count_answers))]


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), sensor=st.sampled_from(SENSORS), index=st.integers(0, 59))
def test_any_seed_renders_and_its_facts_agree_with_the_answer(seed: int, sensor: Sensor, index: int) -> None:
    drawn = sensor_item(sensor, index, random.Random(seed), SIZE)
    FACT_CHECKS[sensor](drawn)


# --- facts: the answer follows from what was drawn ------------------------------------------------------------


def _count_answer(drawn: SensorItem, found: int) -> None:
    assert drawn.answer == str(found) and drawn.accepted == (str(found), NUMBER_WORDS[found])


def _side(x: object) -> str:
    assert isinstance(x, float) and abs(x - 0.5) > 0.02
    return "left" if x < 0.5 else "right"


def _infrared_facts(drawn: SensorItem) -> None:
    objects: list[dict[str, object]] = drawn.facts["objects"]  # type: ignore[assignment]
    warmest = max(objects, key=lambda o: float(o["temperature"]))  # type: ignore[arg-type]
    others = [float(o["temperature"]) for o in objects if o is not warmest]  # type: ignore[arg-type]
    if drawn.kind == "count":
        _count_answer(drawn, sum(o["kind"] == "person" for o in objects))
    elif drawn.kind == "presence":
        assert (drawn.answer == "yes") == any(o["kind"] == "dog" for o in objects)
    elif drawn.kind in ("side", "warmest"):
        assert float(warmest["temperature"]) > max(others) + 0.25  # type: ignore[arg-type]
        assert drawn.answer == (_side(warmest["x"]) if drawn.kind == "side" else warmest["kind"])


def _xray_facts(drawn: SensorItem) -> None:
    objects: list[dict[str, object]] = drawn.facts["objects"]  # type: ignore[assignment]
    names = [o["name"] for o in objects]
    if drawn.kind == "presence":
        assert (drawn.answer == "yes") == ("knife" in names) and len(names) == 2
    elif drawn.kind == "count":
        _count_answer(drawn, len(names))
    elif drawn.kind == "object":
        assert names == [drawn.answer]
    else:
        target = next(o for o in objects if str(o["name"]) in drawn.question)
        assert _side(target["x"]) == drawn.answer and drawn.question.count(str(target["name"])) == 1
        assert all(_side(o["x"]) != drawn.answer for o in objects if o is not target)


def _finding_facts(key: str) -> Callable[[SensorItem], None]:
    def check(drawn: SensorItem) -> None:
        findings: list[dict[str, float]] = drawn.facts[key]  # type: ignore[assignment]
        if drawn.kind == "count":
            _count_answer(drawn, len(findings))
        elif drawn.kind == "presence":
            assert (drawn.answer == "yes") == (len(findings) == 1) and len(findings) <= 1
        else:
            (finding,) = findings
            assert _side(finding["x"]) == drawn.answer

    return check


def _remote_facts(drawn: SensorItem) -> None:
    buildings: list[dict[str, object]] = drawn.facts["buildings"]  # type: ignore[assignment]
    if drawn.kind == "count":
        _count_answer(drawn, len(buildings))
    elif drawn.kind == "presence":
        assert (drawn.answer == "yes") == drawn.facts["lake"]
    elif drawn.kind == "roof":
        assert len(buildings) >= 2 and {b["colour"] for b in buildings} == {drawn.answer}
    else:
        assert drawn.facts["road"] == drawn.answer


def _driving_facts(drawn: SensorItem) -> None:
    cars: list[dict[str, object]] = drawn.facts["cars"]  # type: ignore[assignment]
    light: dict[str, object] | None = drawn.facts["traffic_light"]  # type: ignore[assignment]
    if drawn.kind == "light":
        assert light is not None and light["colour"] == drawn.answer
    elif drawn.kind == "count":
        _count_answer(drawn, len(cars))
    elif drawn.kind == "pedestrian":
        assert (drawn.answer == "yes") == drawn.facts["pedestrian"]
    else:
        nearest = min(cars, key=lambda car: float(car["distance"]))  # type: ignore[arg-type]
        assert nearest["lane"] == drawn.answer
        assert all(float(car["distance"]) > float(nearest["distance"]) for car in cars if car is not nearest)  # type: ignore[arg-type]
    assert len({(car["lane"], car["distance"]) for car in cars}) == len(cars)


FACT_CHECKS: dict[Sensor, Callable[[SensorItem], None]] = {
    "infrared": _infrared_facts,
    "lxray": _xray_facts,
    "hxray": _xray_facts,
    "mri": _finding_facts("lesions"),
    "ct": _finding_facts("nodules"),
    "remote": _remote_facts,
    "driving": _driving_facts,
}


@pytest.mark.parametrize("sensor", SENSORS)
def test_the_answers_follow_from_the_drawn_facts(sensor: Sensor) -> None:
    for drawn in _items(sensor):
        FACT_CHECKS[sensor](drawn)


# --- pixels: the facts are what the image shows -----------------------------------------------------------------


def test_thermal_the_brightest_spot_is_on_the_warmest_object() -> None:
    for drawn in _items("infrared"):
        objects: list[dict[str, float]] = drawn.facts["objects"]  # type: ignore[assignment]
        warmest = max(objects, key=lambda o: o["temperature"])
        brightness = blur(_pixels(drawn).sum(axis=-1).astype(float), 2.0)
        x = np.unravel_index(np.argmax(brightness), brightness.shape)[1] / SIZE
        assert min(objects, key=lambda o: abs(o["x"] - x)) is warmest, (drawn.kind, x, objects)


@pytest.mark.parametrize("sensor", ["lxray", "hxray"])
def test_xray_every_object_is_darker_than_the_bag_around_it(sensor: Sensor) -> None:
    for drawn in _items(sensor):
        grey = _pixels(drawn).sum(axis=-1)
        bag = np.median(grey[int(0.25 * SIZE) : int(0.85 * SIZE), int(0.15 * SIZE) : int(0.85 * SIZE)])
        for found in drawn.facts["objects"]:  # type: ignore[attr-defined]
            x, y = int(found["x"] * SIZE), int(found["y"] * SIZE)
            assert grey[y - 3 : y + 4, x - 3 : x + 4].min() < bag - 90, (sensor, found)


def _blobs(grey: np.ndarray, threshold: float, inside: np.ndarray | None = None) -> list[tuple[float, float]]:
    """Centres of the regions above ``threshold`` once the noise is smoothed away (within ``inside``)."""
    mask = blur(grey.astype(float), 1.5) > threshold
    labels, count = ndimage.label(mask if inside is None else mask & inside)
    return [(x / SIZE, y / SIZE) for y, x in ndimage.center_of_mass(mask, labels, range(1, count + 1))]


def test_mri_bright_blobs_are_exactly_the_lesions() -> None:
    for drawn in _items("mri"):
        # Lesions are drawn at 0.88-1.0 of full scale, the brightest tissue (scalp) at 0.6.
        blobs = _blobs(_pixels(drawn)[..., 0], 0.75 * 255)
        lesions: list[dict[str, float]] = drawn.facts["lesions"]  # type: ignore[assignment]
        assert len(blobs) == len(lesions), drawn.facts
        for lesion in lesions:
            assert min(abs(bx - lesion["x"]) + abs(by - lesion["y"]) for bx, by in blobs) < 0.01


def test_ct_dense_blobs_inside_the_lungs_are_exactly_the_nodules() -> None:
    yy, xx = np.mgrid[0:SIZE, 0:SIZE] / SIZE

    def ellipse(x: float, y: float, a: float, b: float) -> np.ndarray:
        inside: np.ndarray = ((xx - x) / a) ** 2 + ((yy - y) / b) ** 2 <= 1
        return inside

    # The lungs a little shrunk (their edges blur into the chest wall), without the heart over their inner sides.
    lungs = ellipse(*LUNGS[0], LUNG_AXES[0] - 0.012, LUNG_AXES[1] - 0.012)
    lungs |= ellipse(*LUNGS[1], LUNG_AXES[0] - 0.012, LUNG_AXES[1] - 0.012)
    lungs &= ~ellipse(HEART[0], HEART[1], HEART[2] + 0.012, HEART[3] + 0.012)
    for drawn in _items("ct"):
        # Nodules are drawn at 0.55-0.66 of full scale, lung tissue at about 0.03.
        blobs = _blobs(_pixels(drawn)[..., 0], 0.3 * 255, lungs)
        assert len(blobs) == len(drawn.facts["nodules"]), drawn.facts  # type: ignore[arg-type]


def test_remote_roofs_lakes_and_roads_are_drawn_as_stated() -> None:
    for drawn in _items("remote"):
        pixels = _pixels(drawn)
        for building in drawn.facts["buildings"]:  # type: ignore[attr-defined]
            left, top = (v * SIZE for v in building["box"][:2])
            corner = pixels[int(top) + 3, int(left) + 3]  # the lit half of every roof touches its top-left corner
            assert np.abs(corner - np.array(ROOF_COLOURS[building["colour"]])).max() <= 12, building
        assert (_near(pixels, LAKE, 6).sum() > 800) == drawn.facts["lake"]
        road = _near(pixels, (92, 92, 96), 8)
        across = road.mean(axis=1 if drawn.facts["road"] == "horizontal" else 0)
        assert across.max() > 0.9


def test_driving_the_lit_lamp_has_the_stated_colour() -> None:
    for drawn in _items("driving"):
        pixels = _pixels(drawn)
        light: dict[str, object] | None = drawn.facts["traffic_light"]  # type: ignore[assignment]
        for name, colour in LIGHTS.items():
            lit = _near(pixels, colour, 12).sum() > 15
            assert lit == (light is not None and light["colour"] == name), (name, drawn.facts)


def test_smooth_noise_is_bounded_and_seeded() -> None:
    first = smooth_noise(random.Random(3), 64, 10.0, 0.05)
    assert first.shape == (64, 64) and np.abs(first).max() == pytest.approx(0.05)
    assert np.array_equal(first, smooth_noise(random.Random(3), 64, 10.0, 0.05))
