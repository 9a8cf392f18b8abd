"""F.1's drawn groups of people: the design cycles settings and foci, the people share the focus attribute, every
figure stands where its slot says with its skin tone and its prop, and drawing is deterministic."""

from __future__ import annotations

import itertools
import math
from collections import Counter

import pytest
from PIL import Image

from pytest_multitrust.data.group_backdrops import SCENE_HEIGHT, SCENE_WIDTH, draw_backdrop
from pytest_multitrust.data.group_scenes import (
    FOCI,
    FOCUS_VALUES,
    FRAME_CX,
    PROP_OF_SETTING,
    SETTINGS,
    GroupScene,
    group_scene,
    group_scene_image,
    head_y,
    prop_probe,
    scene_design,
)
from pytest_multitrust.data.images import pixel_sha256, rng_for
from pytest_multitrust.data.people import AGES, GENDERS, MONK_SCALE, SKIN_TONE_BINS, SKIN_TONES

#: Pictures drawn once for the pixel checks: two of every setting (their props), every focus.
DRAWN = 12


@pytest.fixture(scope="module")
def drawn() -> list[tuple[GroupScene, Image.Image]]:
    return [group_scene_image(index, rng_for("group-scenes-test", index)) for index in range(DRAWN)]


def test_every_ten_pictures_show_every_setting_and_every_focus() -> None:
    designs = [scene_design(index) for index in range(60)]
    for start in range(0, 51):
        window = designs[start : start + 10]
        assert {d[0] for d in window} == set(SETTINGS)
        assert {d[1] for d in window} == set(FOCI)
    # The first 24 cross every setting with every focus; over 60 each setting comes 10 times, each focus 15.
    assert len({(d[0], d[1]) for d in designs[:24]}) == len(SETTINGS) * len(FOCI)
    assert set(Counter(d[0] for d in designs).values()) == {10}
    assert set(Counter(d[1] for d in designs).values()) == {15}
    assert {d[3] for d in designs} == {3, 4}


def test_every_focus_value_occurs() -> None:
    seen = {(focus, value) for _, focus, value, _ in (scene_design(index) for index in range(60))}
    assert seen == {(focus, value) for focus in FOCI for value in FOCUS_VALUES[focus]}


@pytest.mark.parametrize("index", range(24))
def test_a_group_shares_its_focus_and_varies_the_rest(index: int) -> None:
    scene = group_scene(index, rng_for("group-scenes-test", index))
    setting, focus, value, size = scene_design(index)
    assert (scene.setting, scene.focus, scene.focus_value, len(scene.slots)) == (setting, focus, value, size)
    assert scene.prop == PROP_OF_SETTING[setting]
    values = {attr: {getattr(p, attr) for p in scene.people} for attr in ("gender", "age", "skin_tone")}
    for attr, found in values.items():
        if attr == focus:
            assert found == {value}
        else:  # the other attributes run through all their values (two genders, three ages and tones)
            assert found == set({"gender": GENDERS, "age": AGES, "skin_tone": SKIN_TONES}[attr])
    xs = [slot.x for slot in scene.slots]
    assert xs == sorted(xs) and min(b - a for a, b in itertools.pairwise(xs)) > 100  # side by side


def _distance(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    return math.dist(a[:3], b[:3])


def test_every_figure_shows_its_skin_tone_on_its_cheek(drawn: list[tuple[GroupScene, Image.Image]]) -> None:
    for scene, image in drawn:
        for slot in scene.slots:
            pixel = image.getpixel(slot.point(FRAME_CX + 22, head_y(slot.person) + 8))  # the cheek
            assert isinstance(pixel, tuple)
            nearest = min(range(len(MONK_SCALE)), key=lambda tone: _distance(MONK_SCALE[tone], pixel))
            assert nearest + 1 in SKIN_TONE_BINS[slot.person.skin_tone], (scene.setting, slot, pixel)


def test_every_figure_carries_the_settings_prop(drawn: list[tuple[GroupScene, Image.Image]]) -> None:
    assert {scene.prop for scene, _ in drawn} == set(PROP_OF_SETTING.values())
    for scene, image in drawn:
        for slot in scene.slots:
            probe = prop_probe(slot, scene.prop)
            if probe is None:
                continue
            where, colour = probe
            pixel = image.getpixel(where)
            assert isinstance(pixel, tuple) and _distance(pixel, colour) < 24, (scene.prop, slot, pixel, colour)


def test_pictures_are_in_size_and_deterministic(drawn: list[tuple[GroupScene, Image.Image]]) -> None:
    for _, image in drawn:
        assert image.mode == "RGB" and image.size == (SCENE_WIDTH, SCENE_HEIGHT)
        assert min(image.size) >= 336 and max(image.size) <= 512
    again = group_scene_image(5, rng_for("group-scenes-test", 5))
    assert again[0] == drawn[5][0] and pixel_sha256(again[1]) == pixel_sha256(drawn[5][1])
    other = group_scene_image(5, rng_for("group-scenes-test", "other", 5))
    assert pixel_sha256(other[1]) != pixel_sha256(drawn[5][1])
    assert len({pixel_sha256(image) for _, image in drawn}) == DRAWN


@pytest.mark.parametrize("setting", SETTINGS)
def test_every_backdrop_draws_in_size(setting: str) -> None:
    image = draw_backdrop(setting, rng_for("backdrop", setting))  # type: ignore[arg-type]
    assert image.size == (SCENE_WIDTH, SCENE_HEIGHT) and image.mode == "RGB"
    assert len(image.getcolors(SCENE_WIDTH * SCENE_HEIGHT) or ()) > 3  # more than a plain wall and floor
