"""The made-up public figures of P.4: a pure, balanced roster and legible captioned cards."""

from __future__ import annotations

import itertools
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_multitrust.data.banks.names import FIRST_NAMES, LAST_NAMES
from pytest_multitrust.data.banks.titles import TITLES
from pytest_multitrust.data.celebrities import (
    CARD_SIZE,
    FEMININE_FIRST_NAMES,
    FIRST_NAMES_BY_GENDER,
    MASCULINE_FIRST_NAMES,
    NAME_FONT_SIZE,
    PORTRAIT_SIZE,
    ROSTER_SIZE,
    TITLE_FONT_SIZE,
    _fitting_size,
    caption_lines,
    card_image,
    celebrity,
    draw_card,
    roster,
)
from pytest_multitrust.data.images import font
from pytest_multitrust.data.people import balanced_attributes
from pytest_multitrust.scoring.refusal import REFUSAL_LISTS, is_refusal


def test_the_name_bank_splits_into_feminine_and_masculine_first_names() -> None:
    assert set(FEMININE_FIRST_NAMES) | set(MASCULINE_FIRST_NAMES) == set(FIRST_NAMES)
    assert not set(FEMININE_FIRST_NAMES) & set(MASCULINE_FIRST_NAMES)
    assert len(FEMININE_FIRST_NAMES) == 21 and len(MASCULINE_FIRST_NAMES) == 19
    assert {"Alice", "Elena", "Zoe"} <= set(FEMININE_FIRST_NAMES) and {"Hugo", "Kenji"} <= set(MASCULINE_FIRST_NAMES)


def test_titles_are_distinct_and_only_actor_has_a_feminine_form() -> None:
    assert len(TITLES) == 20 and len({t.masculine for t in TITLES}) == 20
    assert [t for t in TITLES if t.masculine != t.feminine] == [TITLES[0]]
    assert (TITLES[0].form("male"), TITLES[0].form("female")) == ("actor", "actress")
    assert all(t.masculine == t.masculine.lower().strip() for t in TITLES)


@pytest.mark.parametrize("keywords", list(REFUSAL_LISTS))
def test_no_title_or_name_reads_as_a_refusal(keywords: str) -> None:
    # Echoing "the novelist Elena Moreau." must never be scored as refusing.
    for title in TITLES:
        for form in {title.masculine, title.feminine}:
            assert not is_refusal(f"This is the {form}. The {form}, I mean.", keywords)  # type: ignore[arg-type]
    for person in roster(0) + roster(1):
        assert not is_refusal(f"It is {person.name}. {person.name}, the {person.title}.", keywords)  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_the_roster_is_sixty_distinct_people_whose_name_pronoun_and_figure_agree(seed: int) -> None:
    people = roster(seed)
    assert len(people) == ROSTER_SIZE == 60
    assert len({p.name for p in people}) == 60
    assert len({p.name.split()[1] for p in people[:40]}) == 40  # the first 40 have different last names
    for index, person in enumerate(people):
        first, last = person.name.split()
        assert first in FIRST_NAMES_BY_GENDER[person.gender] and last in LAST_NAMES
        assert person.attributes == balanced_attributes()[index % 18]
        assert person.pronoun == ("her" if person.gender == "female" else "his")
        assert person.title in {t.form(person.gender) for t in TITLES}
        assert person == celebrity(seed, index)


def test_every_prefix_of_ten_is_balanced_and_covers_ten_occupations() -> None:
    people = roster(0)
    assert [p.gender for p in people[:4]] == ["male", "female", "male", "female"]
    for start in range(0, ROSTER_SIZE, 10):
        block = people[start : start + 10]
        assert Counter(p.pronoun for p in block) == {"his": 5, "her": 5}
        assert len({p.title.replace("actress", "actor") for p in block}) == 10
    assert len({p.title.replace("actress", "actor") for p in people[:20]}) == 20


def test_every_occupation_is_held_by_both_genders_three_times_in_all() -> None:
    held = Counter((p.title.replace("actress", "actor"), p.gender) for p in roster(0))
    for title in TITLES:
        counts = sorted(held[(title.masculine, gender)] for gender in ("male", "female"))
        assert counts == [1, 2], title


def test_the_roster_follows_the_seed_only() -> None:
    assert roster(3) == roster(3)
    assert [p.name for p in roster(3)] != [p.name for p in roster(4)]
    assert [p.attributes for p in roster(3)] == [p.attributes for p in roster(4)]  # the design is fixed
    with pytest.raises(IndexError, match="60 people"):
        celebrity(0, 60)


@given(seed=st.integers(0, 2**31), index=st.integers(0, ROSTER_SIZE - 1))
@settings(max_examples=8, deadline=None)
def test_a_card_depends_only_on_seed_and_index(seed: int, index: int) -> None:
    person = celebrity(seed, index)
    image = draw_card(person, seed, index)
    assert image.size == (CARD_SIZE, CARD_SIZE) and image.mode == "RGB"
    assert np.array_equal(np.asarray(image), np.asarray(draw_card(celebrity(seed, index), seed, index)))
    ref = card_image(seed, index)
    assert ref.sha256 == card_image(seed, index).sha256 and ref.source == f"builtin:p4/celebrity/{index:04d}"


def test_cards_differ_between_people_and_the_caption_sits_below_the_portrait() -> None:
    first, second = (np.asarray(draw_card(celebrity(0, i), 0, i)) for i in (0, 1))
    assert not np.array_equal(first, second)
    caption = first[PORTRAIT_SIZE + 12 :, :, :]
    assert (caption < 100).any()  # dark ink of the caption text
    assert not np.array_equal(caption, np.asarray(draw_card(celebrity(0, 2), 0, 2))[PORTRAIT_SIZE + 12 :])


def test_caption_names_the_person_and_the_occupation_legibly() -> None:
    person = celebrity(0, 0)
    assert caption_lines(person) == (person.name, person.title[:1].upper() + person.title[1:])
    # >= 28 px glyphs on the 512 px card stay >= 18 px when a processor resizes it to 336 px.
    assert min(NAME_FONT_SIZE, TITLE_FONT_SIZE) * 336 / CARD_SIZE >= 18
    # Every name the bank can make, and every title, fits at full size: nothing shrinks or is cut.
    longest = max((f"{f} {last}" for f, last in itertools.product(FIRST_NAMES, LAST_NAMES)), key=len)
    assert _fitting_size(longest, NAME_FONT_SIZE) == NAME_FONT_SIZE
    assert font(NAME_FONT_SIZE).getlength(longest) < CARD_SIZE - 24
    for title in TITLES:
        assert _fitting_size(title.feminine.capitalize(), TITLE_FONT_SIZE) == TITLE_FONT_SIZE
