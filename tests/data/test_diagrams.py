"""Drawn gadgets show the state they claim: clock hands, lit lamps, tipped balances, lit bulbs."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from pytest_multitrust.data.diagrams import (
    BULB_LIT,
    BULB_OFF,
    LAMP_LIT,
    SIGN_RED,
    ClockTime,
    balance_image,
    circuit_image,
    clock_panels,
    hand_angles,
    speed_limit_image,
    traffic_light_image,
)

times = st.builds(ClockTime, st.integers(1, 12), st.integers(0, 59))


def _pixel(image: Image.Image, point: tuple[float, float]) -> tuple[int, int, int]:
    return image.getpixel((round(point[0]), round(point[1])))  # type: ignore[return-value]


def _dark(rgb: tuple[int, int, int]) -> bool:
    return max(rgb) < 80


def test_clock_time_arithmetic_wraps_on_the_12_hour_dial() -> None:
    assert ClockTime(11, 50).plus(20) == ClockTime(12, 10)
    assert ClockTime(12, 0).plus(60) == ClockTime(1, 0)
    assert ClockTime(1, 0).plus(-90) == ClockTime(11, 30)
    assert str(ClockTime(3, 5)) == "3:05" and ClockTime(12, 30).minutes == 30
    with pytest.raises(ValueError, match="12-hour"):
        ClockTime(13, 0)


def test_hand_angles() -> None:
    assert hand_angles(ClockTime(3, 0)) == (90.0, 0.0)
    assert hand_angles(ClockTime(6, 30)) == (195.0, 180.0)
    assert hand_angles(ClockTime(12, 45)) == (22.5, 270.0)


@settings(max_examples=25, deadline=None)
@given(time=times, seed=st.integers(0, 10**6))
def test_clock_hands_point_where_the_time_says(time: ClockTime, seed: int) -> None:
    image, (hands,) = clock_panels((time,), ("",), random.Random(seed))
    (cx, cy), radius = hands.centre, math.dist(hands.centre, hands.minute_tip)
    hour, minute = (math.radians(a) for a in hand_angles(time))
    along = (cx + 0.85 * radius * math.sin(minute), cy - 0.85 * radius * math.cos(minute))
    assert _dark(_pixel(image, along))  # on the minute hand
    opposite = (cx - 0.85 * radius * math.sin(minute), cy + 0.85 * radius * math.cos(minute))
    if abs((math.degrees(hour - minute) % 360) - 180) > 12:  # unless the hour hand points there
        assert not _dark(_pixel(image, opposite))
    hour_length = math.dist(hands.centre, hands.hour_tip)
    assert hour_length < 0.75 * radius
    assert _dark(_pixel(image, (cx + 0.8 * hour_length * math.sin(hour), cy - 0.8 * hour_length * math.cos(hour))))


def test_clock_panels_caption_each_clock() -> None:
    image, hands = clock_panels((ClockTime(1, 0), ClockTime(2, 0)), ("Start", "End"), random.Random(0))
    assert image.size == (480, 280) and len(hands) == 2 and hands[0].centre[0] < hands[1].centre[0]
    caption = np.asarray(image.crop((0, 0, 480, 36)).convert("L"))
    assert (caption[:, :240] < 100).any() and (caption[:, 240:] < 100).any()


@pytest.mark.parametrize("state", ["red", "green"])
@pytest.mark.parametrize("seed", range(4))
def test_only_the_lamp_of_the_state_is_lit(state: str, seed: int) -> None:
    image, lit = traffic_light_image(state, random.Random(seed))  # type: ignore[arg-type]
    assert _pixel(image, lit) == LAMP_LIT[state]
    pixels = np.asarray(image).reshape(-1, 3)
    for colour, rgb in LAMP_LIT.items():
        assert (pixels == rgb).all(axis=1).any() == (colour == state), colour


@pytest.mark.parametrize("limit", [30, 120])
def test_speed_sign_has_a_red_ring_and_the_number_inside(limit: int) -> None:
    image, (cx, cy) = speed_limit_image(limit, random.Random(1))
    ring = 336 * 0.24 * 0.9
    assert _pixel(image, (cx, cy - ring)) == SIGN_RED
    centre = np.asarray(image.crop((int(cx - 40), int(cy - 20), int(cx + 40), int(cy + 20))).convert("L"))
    assert (centre < 80).any()  # the digits
    other, _ = speed_limit_image(limit + 10, random.Random(1))
    assert np.asarray(other).tobytes() != np.asarray(image).tobytes()


@settings(max_examples=20, deadline=None)
@given(weights=st.lists(st.integers(1, 10), min_size=2, max_size=2, unique=True), seed=st.integers(0, 10**6))
def test_balance_tips_towards_the_heavier_weight(weights: list[int], seed: int) -> None:
    left, right = weights
    image, balance = balance_image(left, right, random.Random(seed))
    assert (balance.left_pan[1] > balance.right_pan[1]) == (left > right)
    for x, y in (balance.left_pan, balance.right_pan):  # a pan is drawn where it is said to hang
        assert _pixel(image, (x + 30, y + 5)) == (150, 150, 155)
        assert x - 44 >= 0 and x + 44 <= image.size[0]
    with pytest.raises(ValueError, match="different"):
        balance_image(3, 3, random.Random(seed))


@pytest.mark.parametrize("closed", [True, False])
@pytest.mark.parametrize("seed", range(3))
def test_the_bulb_is_lit_exactly_when_the_switch_is_closed(closed: bool, seed: int) -> None:
    image, circuit = circuit_image(closed, random.Random(seed))
    assert circuit.closed is closed
    assert _pixel(image, circuit.bulb) == (BULB_LIT if closed else BULB_OFF)


def test_drawings_are_deterministic_per_rng() -> None:
    first = circuit_image(True, random.Random(5))[0].tobytes()
    assert first == circuit_image(True, random.Random(5))[0].tobytes()
    assert first != circuit_image(True, random.Random(6))[0].tobytes()
