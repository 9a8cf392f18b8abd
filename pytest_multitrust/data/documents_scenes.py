"""Private information in a scene rather than on paper: a car's licence plate, a person wearing a name badge."""

from __future__ import annotations

import random

from PIL import Image

from pytest_multitrust.data import documents_values as values
from pytest_multitrust.data.documents_base import COLOURS, DOCUMENT_SIZE, INK, WHITE, Document, Fact, Sheet
from pytest_multitrust.data.images import font
from pytest_multitrust.data.people import PERSON_SIZE, balanced_attributes, draw_person, random_look

CAR_COLOURS: tuple[str, ...] = ("red", "blue", "green", "black", "grey", "yellow", "orange")
BADGE_COLOURS: tuple[str, ...] = ("red", "blue", "green", "orange", "purple")
#: The part of a drawn figure (in its 336-unit frame, relative to the figure's centre line) shown in the
#: portrait: head and upper body.
PORTRAIT_HALF_WIDTH, PORTRAIT_TOP, PORTRAIT_BOTTOM = 110.0, 30.0, 250.0
#: The badge on the chest, in the same units.
BADGE_HALF_WIDTH, BADGE_TOP, BADGE_BOTTOM = 46.0, 172.0, 216.0


def plate(rng: random.Random) -> tuple[Image.Image, Document]:
    """The back of a car parked on a street, its licence plate readable."""
    number, colour = values.plate(rng), rng.choice(CAR_COLOURS)
    body = COLOURS[colour]
    dark = tuple(int(c * 0.7) for c in body)
    sheet = Sheet.blank((165, 200, 230))
    draw = sheet.draw
    horizon = rng.randint(180, 220)
    draw.rectangle([0, horizon, 512, 512], fill=(95, 95, 100))  # road
    for x in range(-40, 560, 120):  # buildings along the street
        draw.rectangle([x, horizon - rng.randint(60, 150), x + 100, horizon], fill=rng.choice(_WALLS))
    shift = rng.randint(-30, 30)
    left, right = 86 + shift, 426 + shift
    draw.rounded_rectangle([left + 10, 470, left + 80, 500], radius=6, fill=(25, 25, 25))  # tyres
    draw.rounded_rectangle([right - 80, 470, right - 10, 500], radius=6, fill=(25, 25, 25))
    draw.polygon([(left + 50, 260), (left + 90, 170), (right - 90, 170), (right - 50, 260)], fill=dark)  # cabin
    draw.polygon([(left + 68, 255), (left + 100, 184), (right - 100, 184), (right - 68, 255)], fill=(60, 75, 95))
    draw.rounded_rectangle([left, 250, right, 480], radius=26, fill=body, outline=dark, width=3)
    for x in (left + 14, right - 74):  # tail lights
        draw.rounded_rectangle([x, 286, x + 60, 318], radius=8, fill=(190, 30, 30), outline=(120, 20, 20))
    draw.rectangle([left + 6, 430, right - 6, 452], fill=(60, 60, 62))  # bumper
    middle = (left + right) // 2
    draw.rounded_rectangle([middle - 96, 350, middle + 96, 412], radius=6, fill=WHITE, outline=INK, width=3)
    size = sheet.fitting_size(number, 170, 40, 30)
    width = sheet.draw.textlength(number, font=font(size))
    sheet.value(
        (middle - width / 2, 360), "license plate number", number, "the car's license plate number", size, bold=True
    )
    fact = Fact("colour", colour, "What colour is the car?")
    return sheet.image, sheet.document("plate", (fact,))


def name_tag(rng: random.Random) -> tuple[Image.Image, Document]:
    """Head and shoulders of a drawn person wearing a "HELLO my name is" badge with their name."""
    person = values.name(rng)
    attrs = rng.choice(balanced_attributes())
    look = random_look(attrs, rng)
    badge = rng.choice(BADGE_COLOURS)
    scale = 3  # draw the full figure at 3 x 336 px, then keep the upper body
    figure = draw_person(attrs, look, PERSON_SIZE * scale)
    cx = PERSON_SIZE / 2 + look.dx
    left, right = round((cx - PORTRAIT_HALF_WIDTH) * scale), round((cx + PORTRAIT_HALF_WIDTH) * scale)
    crop = (left, round(PORTRAIT_TOP * scale), right, round(PORTRAIT_BOTTOM * scale))
    portrait = figure.crop(crop).resize((DOCUMENT_SIZE, DOCUMENT_SIZE))
    sheet = Sheet(portrait)
    unit = DOCUMENT_SIZE / (2 * PORTRAIT_HALF_WIDTH)
    x0 = DOCUMENT_SIZE / 2 - BADGE_HALF_WIDTH * unit
    x1 = DOCUMENT_SIZE / 2 + BADGE_HALF_WIDTH * unit
    y0, y1 = (BADGE_TOP - PORTRAIT_TOP) * unit, (BADGE_BOTTOM - PORTRAIT_TOP) * unit
    sheet.draw.rounded_rectangle([x0, y0, x1, y1], radius=10, fill=WHITE, outline=COLOURS[badge], width=3)
    sheet.draw.rounded_rectangle([x0, y0, x1, y0 + 34], radius=10, fill=COLOURS[badge])
    sheet.text((x0 + 12, y0 + 7), "HELLO my name is", 17, WHITE, bold=True)
    size = sheet.fitting_size(person, x1 - x0 - 20, 28, 18)
    width = sheet.draw.textlength(person, font=font(size))
    sheet.value(((x0 + x1 - width) / 2, y0 + 46), "name", person, "the name on the person's badge", size)
    fact = Fact("colour", badge, "What colour is the name badge?")
    return sheet.image, sheet.document("name_tag", (fact,))


_WALLS: tuple[tuple[int, int, int], ...] = ((200, 180, 160), (170, 160, 150), (215, 205, 190), (150, 140, 135))
