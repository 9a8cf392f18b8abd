from __future__ import annotations

import random
import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_multitrust.data.banks.behaviors import BEHAVIORS_BY_CATEGORY, HARMFUL_BEHAVIORS, Behavior
from pytest_multitrust.data.banks.jailbreaks import JAILBREAK_PROMPTS
from pytest_multitrust.data.banks.names import FIRST_NAMES, LAST_NAMES, person_names
from pytest_multitrust.data.banks.pii import (
    EMAIL_DOMAINS,
    PII_GENERATORS,
    PII_TYPES,
    STATES,
    STREET_SUFFIXES,
    STREETS,
    TOWNS,
    pii_value,
    trips_refusal_template,
)
from pytest_multitrust.scoring.refusal import is_refusal

#: Expected shape of each PII type (the official generators' lengths and alphabets).
PII_PATTERNS: dict[str, str] = {
    "phone number": r"\d{10}",
    "email address": r"[a-z]+\.[a-z]+@[a-z.]+",
    "address": r"\d{2,4} [A-Z][a-z]+ [A-Z][a-z]+, [A-Z][a-z]+( [A-Z][a-z]+)?, [A-Z]{2} \d{5}",
    "password": r"[A-Za-z0-9]{12}",
    "credit card number": r"\d{16}",
    "passport number": r"[A-Z0-9]{10}",
    "ssh private key": r"[A-Za-z0-9]{12}",
    "secret key": r"[A-Za-z0-9]{12}",
    "canary number": r"\d{10}",
    "canary code": r"[A-Z]{10}",
}


def _trips(text: str) -> bool:
    return is_refusal(text, "paper") or is_refusal(text, "head")


def test_behaviour_bank_is_large_unique_and_category_balanced() -> None:
    texts = [b.text for b in HARMFUL_BEHAVIORS]
    assert len(texts) >= 40 and len(set(texts)) == len(texts)
    assert len(texts) == sum(len(p) for p in BEHAVIORS_BY_CATEGORY.values())
    # Round-robin order: every prefix of len(categories) items has each category once.
    categories = list(BEHAVIORS_BY_CATEGORY)
    for start in range(0, len(HARMFUL_BEHAVIORS), len(categories)):
        assert [b.category for b in HARMFUL_BEHAVIORS[start : start + len(categories)]] == categories


@pytest.mark.parametrize("behavior", HARMFUL_BEHAVIORS, ids=lambda b: b.text[:30])
def test_behaviours_are_short_activity_names_that_never_read_as_refusals(behavior: Behavior) -> None:
    text = behavior.text
    assert 2 <= len(text.split()) <= 10 and text == text.strip() and not text.endswith((".", "?", ":"))
    assert not re.match(r"(?i)(how|give|explain|describe|write a guide|list|tell)\b", text)
    assert text[0].islower()  # a phrase, slotted into "...perform below activity: {behavior}"
    assert not _trips(text) and not _trips(f"Sure, here is how to go about {text}.")


def test_jailbreak_prompts_are_distinct_behaviour_free_and_short() -> None:
    assert len(JAILBREAK_PROMPTS) >= 3 and len(set(JAILBREAK_PROMPTS)) == len(JAILBREAK_PROMPTS)
    assert all(40 <= len(p) <= 300 for p in JAILBREAK_PROMPTS)
    assert not any("{" in p or "}" in p for p in JAILBREAK_PROMPTS)  # they go through str.format as values


def test_names_are_unique_ascii_and_never_read_as_refusals_even_in_email_addresses() -> None:
    for bank in (FIRST_NAMES, LAST_NAMES):
        assert len(set(bank)) == len(bank) >= 30 and all(n.isalpha() and n.isascii() for n in bank)
    for first in FIRST_NAMES:
        for last in LAST_NAMES:
            name = f"{first} {last}"
            assert not _trips(f"{name}'s email address is {name.lower().replace(' ', '.')}@example.com.")
            assert not _trips(f"{first}, {last}. {last}\n")


@given(seed=st.integers(0, 2**32), count=st.integers(1, 10))
def test_person_names_are_distinct_and_seeded(seed: int, count: int) -> None:
    names = person_names(random.Random(seed), count)
    assert names == person_names(random.Random(seed), count)
    assert len({n.split()[0] for n in names}) == len({n.split()[1] for n in names}) == count


def test_too_many_names_is_an_error() -> None:
    with pytest.raises(ValueError, match="distinct names"):
        person_names(random.Random(0), len(FIRST_NAMES) + 1)


def test_every_official_pii_type_has_a_generator() -> None:
    assert len(PII_TYPES) == 10 and set(PII_GENERATORS) == set(PII_TYPES)


@given(pii_type=st.sampled_from(PII_TYPES), seed=st.integers(0, 2**32))
@settings(max_examples=300)
def test_pii_values_have_the_official_shape_are_seeded_and_never_read_as_refusals(pii_type: str, seed: int) -> None:
    value = pii_value(pii_type, random.Random(seed), "Grace Okafor")
    assert re.fullmatch(PII_PATTERNS[pii_type], value), value
    assert value == pii_value(pii_type, random.Random(seed), "Grace Okafor")
    assert not _trips(f"Grace Okafor's {pii_type} is {value}.")


def test_email_addresses_come_from_the_name_on_reserved_domains() -> None:
    value = pii_value("email address", random.Random(1), "Grace Okafor")
    assert value.split("@")[0] == "grace.okafor" and value.split("@")[1] in EMAIL_DOMAINS


def test_address_parts_never_read_as_refusals() -> None:
    for street in STREETS:
        for suffix in STREET_SUFFIXES:
            for town in TOWNS:
                assert not _trips(f"is 12 {street} {suffix}, {town}, {STATES[0]} 12345.")
    assert not any(_trips(f"{town}, {state} 1") for town in TOWNS for state in STATES)


def test_values_that_read_as_refusals_are_drawn_again() -> None:
    assert trips_refusal_template("ABCDEFGHNO")  # "...NO." reads as "No."
    # Find a seed whose first passport draw ends in "NO": pii_value must skip it.
    for seed in range(200_000):
        first = PII_GENERATORS["passport number"](random.Random(seed), "x")
        if first.endswith("NO"):
            break
    else:  # pragma: no cover - the alphabet makes this about 1 in 1,300 seeds
        pytest.fail("no seed found")
    value = pii_value("passport number", random.Random(seed), "x")
    assert value != first and not value.endswith("NO")


def test_unknown_pii_type_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="phone number"):
        pii_value("blood type", random.Random(0), "x")


def test_pii_values_are_spread_out() -> None:
    rng = random.Random(0)
    values = Counter(pii_value("canary code", rng, "x") for _ in range(200))
    assert len(values) == 200
