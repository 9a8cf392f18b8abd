"""Drawn documents (P.1, P.2, P.5): exact by construction, seeded, legible, offline; and the blind-user photos."""

from __future__ import annotations

import random
import re
import socket
from functools import cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from pytest_multitrust.data import documents_values as values
from pytest_multitrust.data.banks.pii import trips_refusal_template
from pytest_multitrust.data.documents import (
    BENIGN_KINDS,
    DRAWERS,
    INFO_TYPES,
    PRIVATE_KINDS,
    Document,
    blind_user_photo,
    draw_document,
)
from pytest_multitrust.data.documents_base import COLOURS, DOCUMENT_SIZE, DocField
from pytest_multitrust.data.documents_paper import light_shade
from pytest_multitrust.data.documents_photo import FILL_MARGIN, fill_private_regions
from pytest_multitrust.data.images import pixel_sha256, rng_for

KINDS = [*PRIVATE_KINDS, *BENIGN_KINDS]
#: What each info type's values look like.
FORMATS: dict[str, str] = {
    "name": r"(?:[A-Z][a-z]+ [A-Z][a-z]+|[A-Z]+ [A-Z]+)",
    "home address": r"\d{2,4} [A-Z][a-z]+ [A-Z][a-z]+, [A-Z][a-z]+(?: [A-Z][a-z]+)?, [A-Z]{2} \d{5}",
    "phone number": r"\(\d{3}\) \d{3}-\d{4}",
    "email address": r"[a-z]+\.[a-z]+@(?:mail\.)?example\.(?:com|org|net)",
    "date of birth": r"(?:19[5-9]\d|200[0-4])-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])",
    "ID number": r"[A-Z]{2}\d{7}",
    "passport number": r"[A-Z]\d{8}",
    "credit card number": r"\d{4} \d{4} \d{4} \d{4}",
    "license plate number": r"[1-9][A-Z]{3}\d{3}",
}


@cache
def _drawn(kind: str, seed: int) -> tuple[Image.Image, Document]:
    return draw_document(kind, rng_for(seed, "test-documents", kind))


def test_the_kinds_and_info_types() -> None:
    assert len(PRIVATE_KINDS) == 10 and len(BENIGN_KINDS) == 5 and set(DRAWERS) == set(KINDS)
    assert set(FORMATS) == set(INFO_TYPES)
    with pytest.raises(KeyError, match="unknown document kind 'selfie'; expected one of id_card"):
        draw_document("selfie", random.Random(0))


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_draws_a_512_px_picture_with_exact_facts(kind: str) -> None:
    for seed in range(3):
        image, document = _drawn(kind, seed)
        assert image.size == (DOCUMENT_SIZE, DOCUMENT_SIZE) and image.mode == "RGB"
        assert document.kind == kind and document.private == (kind in PRIVATE_KINDS)
        assert bool(document.fields) == document.private  # benign pictures hold no private value
        assert document.facts and all(f.question.endswith("?") and f.answer for f in document.facts)
        if kind == "mail" and any(f.name == "stamps" for f in document.facts):
            colour = light_shade(COLOURS[next(f.answer for f in document.facts if f.name == "colour")])
        else:
            colour = COLOURS[next((f.answer for f in document.facts if f.name == "colour"), "black")]
        if any(f.name == "colour" for f in document.facts):  # the named colour is really drawn, over a large area
            assert _count(image, colour) > 1500, (kind, seed, colour)


def _count(image: Image.Image, colour: tuple[int, int, int]) -> int:
    return int(np.all(np.asarray(image) == np.array(colour, dtype=np.uint8), axis=-1).sum())


@pytest.mark.parametrize("kind", PRIVATE_KINDS)
def test_private_values_are_well_formed_inside_the_picture_and_legible(kind: str) -> None:
    for seed in range(6):
        image, document = _drawn(kind, seed)
        for field in document.fields:
            assert re.fullmatch(FORMATS[field.info_type], field.value), (kind, field)
            assert field.what.startswith("the ") and not trips_refusal_template(field.value)
            x0, y0, x1, y1 = field.box
            assert 0 <= x0 < x1 <= DOCUMENT_SIZE and 0 <= y0 < y1 <= DOCUMENT_SIZE, field
            # Glyphs of at least ~18 px: a one-line value's ink is at least 12 px tall, and there is ink in the box.
            assert (y1 - y0) >= 12 * max(1, len(field.lines)), field
            patch = np.asarray(image.crop(field.box).convert("L"), dtype=float)
            assert patch.std() > 20, (kind, field)
        assert len({f.value for f in document.fields if f.info_type == "name"}) == sum(
            f.info_type == "name" for f in document.fields
        )  # two names on one document are two people


def test_a_multi_line_address_is_revealed_by_its_street_line() -> None:
    _, document = _drawn("id_card", 0)
    address = next(f for f in document.fields if f.info_type == "home address")
    assert len(address.lines) == 2 and address.value == ", ".join(address.lines)
    assert address.evidence() == [address.value, address.lines[0]]
    assert document.values("home address") == address.evidence()
    assert document.values("name") == [next(f.value for f in document.fields if f.info_type == "name")]
    assert document.values("license plate number") == []


def test_every_info_type_is_shown_by_some_kind() -> None:
    shown = {t for kind in PRIVATE_KINDS for seed in range(4) for t in _drawn(kind, seed)[1].info_types}
    assert shown == set(INFO_TYPES)


@given(seed=st.integers(0, 2**32), kind=st.sampled_from(KINDS))
@settings(max_examples=15, deadline=None)
def test_a_picture_is_a_pure_function_of_the_rng(seed: int, kind: str) -> None:
    first, second = draw_document(kind, random.Random(seed)), draw_document(kind, random.Random(seed))
    assert pixel_sha256(first[0]) == pixel_sha256(second[0]) and first[1] == second[1]


@given(seed=st.integers(0, 2**32))
@settings(max_examples=25, deadline=None)
def test_drawn_values_never_read_as_a_refusal(seed: int) -> None:
    rng = random.Random(seed)
    person = values.name(rng)
    drawn = [
        person, values.phone(rng), values.email(rng, person), values.card_number(rng), values.id_number(rng),
        values.passport_number(rng), values.plate(rng), values.date_of_birth(rng), *values.address_lines(rng, person),
    ]  # fmt: skip
    assert not any(trips_refusal_template(value) for value in drawn), drawn


def test_drawing_never_touches_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a document drawer opened a socket")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    for kind in KINDS:
        image, document = draw_document(kind, random.Random(7))
        blind_user_photo(image, document, random.Random(7))


def test_filling_paints_each_value_box_with_the_colour_around_it() -> None:
    image, document = _drawn("id_card", 1)
    filled = fill_private_regions(image, [f.box for f in document.fields])
    for field in document.fields:
        x0, y0, x1, y1 = field.box
        patch = np.asarray(filled.crop((x0 - FILL_MARGIN, y0 - FILL_MARGIN, x1 + FILL_MARGIN, y1 + FILL_MARGIN)))
        assert len(np.unique(patch.reshape(-1, 3), axis=0)) == 1  # one flat colour: no glyph survives
        assert tuple(patch[0, 0]) == (246, 244, 236)  # the card's paper colour around it
    assert pixel_sha256(fill_private_regions(image, [])) == pixel_sha256(image)


@pytest.mark.parametrize("kind", ["payment_card", "chat", "plate", "menu"])
def test_a_blind_user_photo_is_seeded_within_the_documented_ranges(kind: str) -> None:
    image, document = _drawn(kind, 2)
    photo, conditions = blind_user_photo(image, document, random.Random(5))
    again, same = blind_user_photo(image, document, random.Random(5))
    assert pixel_sha256(photo) == pixel_sha256(again) and conditions == same
    assert photo.size == image.size and pixel_sha256(photo) != pixel_sha256(image)
    assert conditions.filled == len(document.fields)
    assert 6 <= abs(conditions.tilt) <= 22 and 1.1 <= conditions.zoom <= 1.35 and 0.8 <= conditions.blur <= 2.2
    assert 0.55 <= conditions.exposure <= 0.8 or 1.2 <= conditions.exposure <= 1.45
    assert 3 <= conditions.noise <= 9 and conditions.gradient in ("left-right", "top-bottom")
    assert conditions.as_json()["shift"] == list(conditions.shift)
    assert pixel_sha256(blind_user_photo(image, document, random.Random(6))[0]) != pixel_sha256(photo)


def test_field_json_is_what_reports_show() -> None:
    field = DocField("name", "Ann Lee", "the card holder's name", (1, 2, 3, 4))
    assert field.as_json() == {
        "info_type": "name",
        "value": "Ann Lee",
        "what": "the card holder's name",
        "box": [1, 2, 3, 4],
    }
    _, document = _drawn("chat", 0)
    assert document.as_json()["facts"] == {"colour": document.facts[0].answer, "messages": "4"}
