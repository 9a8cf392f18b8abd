"""Drawn people: exact attributes, balanced ordering, attribute-independent background and clothes."""

from __future__ import annotations

import itertools
import random
from collections import Counter

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_multitrust.data.people import (
    AGES,
    GENDERS,
    GREY_HAIR,
    MONK_SCALE,
    NATURAL_HAIR,
    OFFICIAL_COLUMNS,
    PERSON_SIZE,
    SKIN_TONE_BINS,
    SKIN_TONES,
    PersonAttributes,
    balanced_attributes,
    draw_person,
    person_image,
    random_look,
)

attributes = st.builds(PersonAttributes, st.sampled_from(GENDERS), st.sampled_from(AGES), st.sampled_from(SKIN_TONES))
seeds = st.integers(min_value=0, max_value=2**32)


def _pixels_of(image_array: np.ndarray, colour: tuple[int, int, int]) -> int:
    return int(np.all(image_array == np.array(colour, dtype=np.uint8), axis=-1).sum())


def test_monk_bins_cover_the_scale_once_and_match_the_official_columns() -> None:
    tones = sorted(t for bin_ in SKIN_TONE_BINS.values() for t in bin_)
    assert tones == list(range(1, 11))
    assert len(MONK_SCALE) == 10
    assert SKIN_TONE_BINS["light"] == (1, 2, 3)
    assert SKIN_TONE_BINS["medium"] == (4, 5, 6)
    assert OFFICIAL_COLUMNS["light"] == "skin_tone_1_3"
    assert OFFICIAL_COLUMNS["dark"] == "skin_tone_7_10"
    assert set(OFFICIAL_COLUMNS) == {*GENDERS, *AGES, *SKIN_TONES}


def test_balanced_attributes_are_the_full_factorial() -> None:
    combos = balanced_attributes()
    assert set(combos) == {PersonAttributes(*c) for c in itertools.product(GENDERS, AGES, SKIN_TONES)}
    assert len(combos) == 18


def test_every_prefix_is_balanced_per_attribute_and_every_nine_cover_age_by_skin() -> None:
    combos = balanced_attributes()
    for n in range(1, len(combos) + 1):
        for field, values in (("gender", GENDERS), ("age", AGES), ("skin_tone", SKIN_TONES)):
            counts = Counter(getattr(c, field) for c in combos[:n])
            assert max(counts[v] for v in values) - min(counts[v] for v in values) <= 1, (n, field, counts)
    for half in (combos[:9], combos[9:]):
        assert {(c.age, c.skin_tone) for c in half} == set(itertools.product(AGES, SKIN_TONES))


@settings(max_examples=40, deadline=None)
@given(attrs=attributes, seed=seeds)
def test_look_follows_the_attributes(attrs: PersonAttributes, seed: int) -> None:
    look = random_look(attrs, random.Random(seed))
    assert look.monk_tone in SKIN_TONE_BINS[attrs.skin_tone]
    assert look.skin == MONK_SCALE[look.monk_tone - 1]
    assert look.hair in (GREY_HAIR if attrs.age == "older" else NATURAL_HAIR)
    if attrs.gender == "female":
        assert look.beard == "none"
        assert look.outfit in ("dress", "skirt")
        assert look.hair_style in ("long", "bob", "bun")
    else:
        assert look.outfit == "trousers"
        assert look.hair_style in ("crop", "side-part", "curly", "receding")


@settings(max_examples=25, deadline=None)
@given(a=attributes, b=attributes, seed=seeds)
def test_background_and_clothes_do_not_depend_on_the_attributes(
    a: PersonAttributes, b: PersonAttributes, seed: int
) -> None:
    look_a, look_b = random_look(a, random.Random(seed)), random_look(b, random.Random(seed))
    assert (look_a.background, look_a.top, look_a.bottom, look_a.dx) == (
        look_b.background,
        look_b.top,
        look_b.bottom,
        look_b.dx,
    )
    assert look_a.top != look_a.bottom


@settings(max_examples=15, deadline=None)
@given(attrs=attributes, seed=seeds)
def test_drawing_is_deterministic_and_shows_the_skin_and_hair_colours(attrs: PersonAttributes, seed: int) -> None:
    image = person_image(attrs, random.Random(seed))
    again = person_image(attrs, random.Random(seed))
    assert image.size == (PERSON_SIZE, PERSON_SIZE)
    assert image.mode == "RGB"
    assert image.tobytes() == again.tobytes()
    pixels = np.asarray(image)
    look = random_look(attrs, random.Random(seed))
    # Face, neck and hands are flat regions of the exact skin colour; the hair too (cap or side patches).
    assert _pixels_of(pixels, look.skin) > 600
    assert _pixels_of(pixels, look.hair) > 150
    # No tone from another skin bin is used as a flat colour.
    for other in set(range(1, 11)) - set(SKIN_TONE_BINS[attrs.skin_tone]):
        if MONK_SCALE[other - 1] not in (look.background, look.top, look.bottom, look.hair):
            assert _pixels_of(pixels, MONK_SCALE[other - 1]) < 20


def test_attributes_change_the_picture_for_the_same_rng() -> None:
    base = PersonAttributes("male", "young", "light")
    pictures = {
        attrs: draw_person(attrs, random_look(attrs, random.Random(7))).tobytes()
        for attrs in (base, PersonAttributes("female", "young", "light"), PersonAttributes("male", "older", "light"),
                      PersonAttributes("male", "young", "dark"))
    }  # fmt: skip
    assert len(set(pictures.values())) == 4


def test_older_figures_get_grey_hair_and_younger_ones_do_not() -> None:
    for seed in range(30):
        for gender, skin in itertools.product(GENDERS, SKIN_TONES):
            older = random_look(PersonAttributes(gender, "older", skin), random.Random(seed))
            young = random_look(PersonAttributes(gender, "young", skin), random.Random(seed))
            assert older.hair in GREY_HAIR
            assert young.hair not in GREY_HAIR
