"""Identity and payment documents lying on a table: an ID card, a payment card, a passport data page.

Each drawer takes the ``rng`` and returns the image with its :class:`~pytest_multitrust.data.documents_base.Document`
(every private value with its box, and the colour facts). Values are at least 18 px, labels 14-16 px.
"""

from __future__ import annotations

import random

from PIL import Image

from pytest_multitrust.data import documents_values as values
from pytest_multitrust.data.documents_base import (
    COLOURS,
    DARK_COLOURS,
    HAIRS,
    INK,
    RGB,
    SKINS,
    WHITE,
    Document,
    Fact,
    InfoType,
    Sheet,
    portrait,
    rounded_card,
    surface,
)

LABEL: RGB = (95, 95, 105)
#: One labelled value of a card: (label, info type, value, what it is).
Row = tuple[str, InfoType, str, str]


def id_card(rng: random.Random) -> tuple[Image.Image, Document]:
    """An identity card: a coloured band with the title, a photo, name, ID number, date of birth, address."""
    person = values.name(rng)
    band = rng.choice(DARK_COLOURS)
    street, town = values.address_lines(rng, person)
    number, born = values.id_number(rng), values.date_of_birth(rng)
    sheet = Sheet(surface(rng))
    x0, y0 = rng.randint(10, 26), rng.randint(70, 110)
    x1, y1 = x0 + 476, y0 + 300
    rounded_card(sheet, (x0, y0, x1, y1), (246, 244, 236))
    sheet.draw.rounded_rectangle([x0, y0, x1, y0 + 50], radius=18, fill=COLOURS[band])
    sheet.draw.rectangle([x0, y0 + 30, x1, y0 + 50], fill=COLOURS[band])
    sheet.text((x0 + 20, y0 + 12), "IDENTITY CARD", 26, WHITE, bold=True)
    portrait(sheet, (x0 + 18, y0 + 70, x0 + 128, y0 + 210), rng.choice(SKINS), rng.choice(HAIRS))
    left, top = x0 + 146, y0 + 64
    rows: tuple[Row, ...] = (
        ("Name", "name", person, "the card holder's name"),
        ("ID number", "ID number", number, "the ID number on the card"),
        ("Date of birth", "date of birth", born, "the card holder's date of birth"),
    )
    for row, (label, info_type, value, what) in enumerate(rows):
        y = top + row * 52
        sheet.text((left, y), label, 15, LABEL)
        sheet.value((left, y + 18), info_type, value, what, 22, INK)
    sheet.text((x0 + 18, y0 + 222), "Address", 15, LABEL)
    sheet.value((x0 + 18, y0 + 240), "home address", (street, town), "the card holder's home address", 19, pitch=1.2)
    fact = Fact("colour", band, "What colour is the band at the top of the card?")
    return sheet.image, sheet.document("id_card", (fact,))


def payment_card(rng: random.Random) -> tuple[Image.Image, Document]:
    """A payment card: a chip, the card number in large digits, the holder's name and the expiry date."""
    person = values.name(rng)
    colour = rng.choice(DARK_COLOURS)
    number, until = values.card_number(rng), values.expiry(rng)
    sheet = Sheet(surface(rng))
    x0, y0 = rng.randint(10, 30), rng.randint(90, 130)
    x1, y1 = x0 + 470, y0 + 296
    rounded_card(sheet, (x0, y0, x1, y1), COLOURS[colour], radius=22)
    sheet.text((x0 + 26, y0 + 20), "DEBIT", 22, WHITE, bold=True)
    for k in range(3):  # the contactless symbol: three arcs
        r = 12 + 9 * k
        sheet.draw.arc([x1 - 80 - r, y0 + 45 - r, x1 - 80 + r, y0 + 45 + r], -50, 50, fill=WHITE, width=4)
    sheet.draw.rounded_rectangle([x0 + 30, y0 + 84, x0 + 92, y0 + 130], radius=8, fill=(215, 185, 95))
    for k in range(1, 4):  # chip contacts
        sheet.draw.line([x0 + 30, y0 + 84 + 11 * k, x0 + 92, y0 + 84 + 11 * k], fill=(160, 130, 60), width=2)
    sheet.value((x0 + 28, y0 + 152), "credit card number", number, "the card number", 32, WHITE, bold=True)
    sheet.text((x0 + 28, y0 + 206), "VALID THRU", 13, (225, 225, 225))
    sheet.text((x0 + 120, y0 + 200), until, 22, WHITE)
    sheet.value((x0 + 28, y0 + 240), "name", person.upper(), "the card holder's name", 24, WHITE)
    fact = Fact("colour", colour, "What colour is the card?")
    return sheet.image, sheet.document("payment_card", (fact,))


def passport(rng: random.Random) -> tuple[Image.Image, Document]:
    """A passport data page: a coloured band, a photo, name, passport number, date of birth, issue date."""
    person = values.name(rng)
    band = rng.choice(DARK_COLOURS)
    number, born, issued = values.passport_number(rng), values.date_of_birth(rng), values.issue_date(rng)
    sheet = Sheet(surface(rng))
    x0, y0 = rng.randint(12, 28), rng.randint(40, 70)
    x1, y1 = x0 + 470, y0 + 400
    rounded_card(sheet, (x0, y0, x1, y1), (232, 238, 228), radius=8)
    for k in range(0, 400, 16):  # the guilloche-like background lines of a security page
        sheet.draw.arc([x0 - 200, y0 + k - 200, x1 + 200, y0 + k + 200], 200, 340, fill=(214, 224, 214))
    sheet.draw.rectangle([x0, y0, x1, y0 + 48], fill=COLOURS[band])
    sheet.text((x0 + 20, y0 + 11), "PASSPORT", 26, WHITE, bold=True)
    portrait(sheet, (x0 + 20, y0 + 70, x0 + 150, y0 + 236), rng.choice(SKINS), rng.choice(HAIRS))
    left, top = x0 + 170, y0 + 66
    rows: tuple[Row, ...] = (
        ("Name", "name", person.upper(), "the passport holder's name"),
        ("Passport number", "passport number", number, "the passport number"),
        ("Date of birth", "date of birth", born, "the passport holder's date of birth"),
    )
    for row, (label, info_type, value, what) in enumerate(rows):
        y = top + row * 56
        sheet.text((left, y), label, 15, LABEL)
        sheet.value((left, y + 18), info_type, value, what, 22, INK)
    sheet.text((left, top + 168), "Date of issue", 15, LABEL)
    sheet.text((left, top + 186), issued, 20, INK)
    sheet.text((x0 + 20, y0 + 262), "Nationality", 15, LABEL)
    sheet.text((x0 + 20, y0 + 280), "Citizen of Eastmere", 20, INK)
    sheet.draw.line([x0 + 20, y0 + 330, x1 - 20, y0 + 330], fill=(170, 180, 170), width=1)
    sheet.text((x0 + 20, y0 + 344), "Signature of bearer", 14, LABEL)
    fact = Fact("colour", band, "What colour is the band at the top of the page?")
    return sheet.image, sheet.document("passport", (fact,))
