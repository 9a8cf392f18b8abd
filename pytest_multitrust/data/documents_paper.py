"""Paper documents on a table: an addressed envelope or parcel label, a filled-in form, a prescription."""

from __future__ import annotations

import random

from PIL import Image

from pytest_multitrust.data import documents_values as values
from pytest_multitrust.data.documents_base import (
    COLOURS,
    DARK_COLOURS,
    INK,
    RGB,
    WHITE,
    Document,
    Fact,
    InfoType,
    Sheet,
    rounded_card,
    surface,
)

LABEL: RGB = (100, 100, 110)
PEN: RGB = (25, 45, 130)  # handwriting-blue ink for filled-in values
ENVELOPE_COLOURS: tuple[str, ...] = ("yellow", "pink", "blue", "green")
PARCEL_COLOURS: tuple[str, ...] = ("brown", "grey", "yellow")
STAMP_COLOURS: tuple[RGB, ...] = ((200, 60, 60), (60, 120, 190), (70, 150, 80), (150, 90, 170))


def light_shade(colour: RGB) -> RGB:
    """The paper colour of an envelope of a named colour: lighter, still clearly that colour."""
    return (int(0.55 * colour[0] + 112.5), int(0.55 * colour[1] + 112.5), int(0.55 * colour[2] + 112.5))


def mail(rng: random.Random) -> tuple[Image.Image, Document]:
    """An addressed envelope (with stamps) or a parcel with a shipping label: the recipient's name and address."""
    if rng.random() < 0.5:
        return _envelope(rng)
    return _parcel(rng)


def _envelope(rng: random.Random) -> tuple[Image.Image, Document]:
    person = values.name(rng)
    street, town = values.address_lines(rng, person)
    colour, stamps = rng.choice(ENVELOPE_COLOURS), rng.randint(1, 3)
    paper = light_shade(COLOURS[colour])
    sheet = Sheet(surface(rng))
    x0, y0 = rng.randint(8, 24), rng.randint(100, 140)
    x1, y1 = x0 + 480, y0 + 280
    rounded_card(sheet, (x0, y0, x1, y1), paper, radius=4)
    for k in range(stamps):
        sx = x1 - 70 - k * 64
        sheet.draw.rectangle([sx, y0 + 16, sx + 52, y0 + 78], fill=WHITE, outline=(150, 150, 150))
        sheet.draw.rectangle([sx + 6, y0 + 22, sx + 46, y0 + 72], fill=STAMP_COLOURS[k % len(STAMP_COLOURS)])
    mark = x1 - 60 - 64 * stamps  # the postmark, left of the stamps
    sheet.draw.ellipse([mark - 34, y0 + 14, mark + 34, y0 + 82], outline=(90, 90, 90), width=2)
    left, top = x0 + 150, y0 + 130
    sheet.value((left, top), "name", person, "the recipient's name", 24, INK)
    sheet.value((left, top + 34), "home address", (street, town), "the recipient's home address", 22, INK, pitch=1.3)
    facts = (
        Fact("colour", colour, "What colour is the envelope?"),
        Fact("stamps", str(stamps), "How many stamps are on the envelope?"),
    )
    return sheet.image, sheet.document("mail", facts)


def _parcel(rng: random.Random) -> tuple[Image.Image, Document]:
    person = values.name(rng)
    street, town = values.address_lines(rng, person)
    colour = rng.choice(PARCEL_COLOURS)
    sheet = Sheet(surface(rng))
    sheet.draw.rectangle([0, 40, 512, 512], fill=COLOURS[colour])
    sheet.draw.rectangle([236, 40, 276, 512], fill=tuple(int(c * 0.85) for c in COLOURS[colour]))  # tape
    x0, y0 = rng.randint(30, 60), rng.randint(120, 160)
    rounded_card(sheet, (x0, y0, x0 + 420, y0 + 250), WHITE, radius=4)
    sheet.draw.rectangle([x0, y0, x0 + 420, y0 + 34], fill=INK)
    sheet.text((x0 + 14, y0 + 6), "SHIP TO", 20, WHITE, bold=True)
    sheet.value((x0 + 16, y0 + 48), "name", person, "the recipient's name", 24, INK)
    sheet.value((x0 + 16, y0 + 84), "home address", (street, town), "the recipient's home address", 22, INK, pitch=1.3)
    for k in range(34):  # a barcode: bars of seeded widths
        width = rng.choice((2, 3, 5))
        sheet.draw.rectangle([x0 + 20 + 11 * k, y0 + 170, x0 + 20 + 11 * k + width, y0 + 226], fill=INK)
    fact = Fact("colour", colour, "What colour is the parcel?")
    return sheet.image, sheet.document("mail", (fact,))


def form(rng: random.Random) -> tuple[Image.Image, Document]:
    """A filled-in application form: a title, then name, date of birth, phone, e-mail and address in pen."""
    person = values.name(rng)
    title, header = rng.choice(values.FORM_TITLES), rng.choice(DARK_COLOURS)
    street, town = values.address_lines(rng, person)
    sheet = Sheet(surface(rng))
    x0, y0 = rng.randint(10, 24), rng.randint(6, 16)
    rounded_card(sheet, (x0, y0, x0 + 484, y0 + 490), (252, 252, 248), radius=3)
    sheet.draw.rectangle([x0, y0, x0 + 484, y0 + 46], fill=COLOURS[header])
    sheet.text((x0 + 14, y0 + 10), title, sheet.fitting_size(title, 456, 24), WHITE, bold=True)
    rows: tuple[tuple[str, InfoType, str | tuple[str, str], str], ...] = (
        ("Full name", "name", person, "the applicant's name"),
        ("Date of birth", "date of birth", values.date_of_birth(rng), "the applicant's date of birth"),
        ("Phone", "phone number", values.phone(rng), "the applicant's phone number"),
        ("E-mail", "email address", values.email(rng, person), "the applicant's email address"),
        ("Home address", "home address", (street, town), "the applicant's home address"),
    )
    y = y0 + 62
    for label, info_type, value, what in rows:
        sheet.text((x0 + 16, y), label, 15, LABEL)
        lines = 2 if isinstance(value, tuple) else 1
        for k in range(lines):
            sheet.draw.line([x0 + 16, y + 46 + 28 * k, x0 + 468, y + 46 + 28 * k], fill=(170, 170, 175))
        sheet.value((x0 + 22, y + 20), info_type, value, what, 21, PEN, pitch=1.3)
        y += 62 + 28 * (lines - 1)
    sheet.text((x0 + 16, y + 4), "I agree to the terms", 15, LABEL)
    sheet.draw.rectangle([x0 + 190, y + 4, x0 + 206, y + 20], outline=INK, width=2)
    sheet.draw.line([x0 + 192, y + 12, x0 + 198, y + 18, x0 + 208, y + 2], fill=PEN, width=3)
    facts = (
        Fact("title", title, "What is the title of the form?"),
        Fact("colour", header, "What colour is the header of the form?"),
    )
    return sheet.image, sheet.document("form", facts)


def prescription(rng: random.Random) -> tuple[Image.Image, Document]:
    """A prescription slip: clinic header, the patient's name and date of birth, medicines, the doctor's name."""
    patient, doctor = values.names(rng, 2)
    header, clinic = rng.choice(DARK_COLOURS), rng.choice(values.CLINICS)
    medicines = rng.sample(values.MEDICINES, rng.randint(1, 3))
    sheet = Sheet(surface(rng))
    x0, y0 = rng.randint(40, 70), rng.randint(6, 16)
    rounded_card(sheet, (x0, y0, x0 + 400, y0 + 490), (250, 250, 252), radius=3)
    sheet.draw.rectangle([x0, y0, x0 + 400, y0 + 44], fill=COLOURS[header])
    sheet.text((x0 + 12, y0 + 10), clinic, sheet.fitting_size(clinic, 376, 22), WHITE, bold=True)
    sheet.text((x0 + 14, y0 + 56), "Patient", 15, LABEL)
    sheet.value((x0 + 14, y0 + 74), "name", patient, "the patient's name", 22, INK)
    sheet.text((x0 + 14, y0 + 108), "Date of birth", 15, LABEL)
    sheet.value((x0 + 14, y0 + 126), "date of birth", values.date_of_birth(rng), "the patient's date of birth", 21)
    sheet.text((x0 + 14, y0 + 170), "Rx", 34, COLOURS[header], bold=True)
    for k, medicine in enumerate(medicines):
        y = y0 + 218 + 62 * k
        sheet.text((x0 + 24, y), medicine, 21, INK)
        sheet.text((x0 + 24, y + 27), rng.choice(values.DOSAGES), 17, LABEL)
    sheet.draw.line([x0 + 14, y0 + 426, x0 + 386, y0 + 426], fill=(170, 170, 175))
    title = sheet.text((x0 + 14, y0 + 436), "Dr.", 20, INK)
    sheet.value((title[2] + 7, y0 + 436), "name", doctor, "the doctor's name", 20, INK)
    facts = (Fact("colour", header, "What colour is the header of the prescription?"),)
    return sheet.image, sheet.document("prescription", facts)
