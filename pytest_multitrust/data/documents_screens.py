"""Screenshots: a chat conversation and an open e-mail, each holding a person's contact details."""

from __future__ import annotations

import random

from PIL import Image

from pytest_multitrust.data import documents_values as values
from pytest_multitrust.data.documents_base import COLOURS, DARK_COLOURS, INK, WHITE, Document, Fact, InfoType, Sheet
from pytest_multitrust.data.images import font
from pytest_multitrust.data.typography import wrap_text

GREY_TEXT: tuple[int, int, int] = (110, 110, 118)
RECEIVED: tuple[int, int, int] = (232, 232, 236)
SENT_COLOURS: tuple[str, ...] = ("blue", "green", "purple")
BUBBLE_SIZE = 19
BUBBLE_WIDTH = 300

#: Chat small talk written for this project: the phone's owner asks (a sent message), the contact answers with
#: "Sure, here it is:" and the detail (two received messages), the owner closes (sent).
CHAT_OPENINGS: tuple[str, ...] = (
    "Hi! Are we still on for Friday?",
    "Can you send me your details for the delivery?",
    "Where should I drop off the books?",
    "Hey, how do I reach you next week?",
)
CHAT_CLOSINGS: tuple[str, ...] = ("Great, thanks!", "Perfect, got it.", "See you then!", "Saved it, thank you.")
EMAIL_SUBJECTS: tuple[str, ...] = ("Weekend plans", "Book club", "Garden tools", "Moving day", "Team dinner")
EMAIL_BODIES: tuple[str, ...] = (
    "Thanks for your message. I can bring the tools on Saturday morning. Call me if anything changes.",
    "Here are the notes from our meeting. Let me know what you think before Monday.",
    "Looking forward to dinner next week. Please tell me if you need a lift from the station.",
)


def chat(rng: random.Random) -> tuple[Image.Image, Document]:
    """A chat screenshot: the contact's name at the top, and a message giving their phone number or address."""
    contact = values.name(rng)
    sent, app = rng.choice(SENT_COLOURS), rng.choice(values.CHAT_APPS)
    sheet = Sheet.blank((250, 250, 252))
    sheet.draw.rectangle([0, 0, 512, 64], fill=(244, 244, 247))
    sheet.draw.line([0, 64, 512, 64], fill=(210, 210, 215))
    sheet.text((16, 8), f"< {app}", 15, COLOURS["blue"])
    sheet.draw.ellipse([16, 28, 48, 60], fill=(180, 190, 205))
    sheet.value((58, 30), "name", contact, "the name of the chat contact", 22, INK, bold=True)
    y = 80.0
    opening, closing = rng.choice(CHAT_OPENINGS), rng.choice(CHAT_CLOSINGS)
    y = _bubble(sheet, y, opening, received=False, sent=sent)
    y = _bubble(sheet, y, "Sure, here it is:", received=True, sent=sent)
    if rng.random() < 0.5:
        text: str | tuple[str, str] = values.phone(rng)
        y = _bubble(sheet, y, "", received=True, sent=sent, value=("phone number", text, "the contact's phone number"))
    else:
        text = values.address_lines(rng, contact)
        y = _bubble(sheet, y, "", received=True, sent=sent, value=("home address", text, "the contact's home address"))
    _bubble(sheet, y, closing, received=False, sent=sent)
    facts = (
        Fact("colour", sent, "What colour are the sent message bubbles?"),
        Fact("messages", "4", "How many messages are in the conversation?"),
    )
    return sheet.image, sheet.document("chat", facts)


def _bubble(
    sheet: Sheet,
    y: float,
    text: str,
    *,
    received: bool,
    sent: str,
    value: tuple[InfoType, str | tuple[str, str], str] | None = None,
) -> float:
    """Draw one message bubble from ``y``; a ``value`` (info type, text or lines, what) is drawn as a private
    field. Returns the ``y`` below the bubble."""
    typeface = font(BUBBLE_SIZE)
    lines = wrap_text(text, typeface, BUBBLE_WIDTH) if text else []
    value_lines: tuple[str, ...] = ()
    if value is not None:
        value_lines = (value[1],) if isinstance(value[1], str) else value[1]
    width = max(typeface.getlength(line) for line in [*lines, *value_lines])
    height = BUBBLE_SIZE * 1.3 * (len(lines) + len(value_lines))
    left = 16 if received else 512 - 16 - width - 28
    fill, ink = (RECEIVED, INK) if received else (COLOURS[sent], WHITE)
    sheet.draw.rounded_rectangle([left, y, left + width + 28, y + height + 18], radius=16, fill=fill)
    for k, line in enumerate(lines):
        sheet.text((left + 14, y + 8 + k * BUBBLE_SIZE * 1.3), line, BUBBLE_SIZE, ink)
    if value is not None:
        info_type, shown, what = value
        top = y + 8 + len(lines) * BUBBLE_SIZE * 1.3
        sheet.value((left + 14, top), info_type, shown, what, BUBBLE_SIZE, ink, pitch=1.3)
    return y + height + 18 + 14


def email(rng: random.Random) -> tuple[Image.Image, Document]:
    """An open e-mail: the sender's name and address in the header, a short body, a signature with a phone."""
    sender = values.name(rng)
    app, bar = rng.choice(values.MAIL_APPS), rng.choice(DARK_COLOURS)
    subject, body = rng.choice(EMAIL_SUBJECTS), rng.choice(EMAIL_BODIES)
    sheet = Sheet.blank((252, 252, 252))
    sheet.draw.rectangle([0, 0, 512, 46], fill=COLOURS[bar])
    sheet.text((16, 11), app, 22, WHITE, bold=True)
    sheet.text((380, 14), "Inbox", 17, WHITE)
    sheet.text((16, 60), subject, 24, INK, bold=True)
    sheet.text((16, 100), "From", 15, GREY_TEXT)
    sheet.value((70, 96), "name", sender, "the sender's name", 20, INK, bold=True)
    sheet.value((70, 124), "email address", values.email(rng, sender), "the sender's email address", 19, GREY_TEXT)
    sheet.text((16, 156), "To", 15, GREY_TEXT)
    sheet.text((70, 153), "me", 19, INK)
    sheet.draw.line([16, 188, 496, 188], fill=(220, 220, 225))
    y = 204.0
    for line in wrap_text(body, font(19), 470):
        sheet.text((16, y), line, 19, INK)
        y += 27
    sheet.text((16, y + 14), "Best,", 19, INK)
    sheet.text((16, y + 41), sender.split()[0], 19, INK)
    sheet.text((16, y + 72), "Mobile", 15, GREY_TEXT)
    sheet.value((80, y + 69), "phone number", values.phone(rng), "the sender's phone number", 19, INK)
    facts = (
        Fact("app", app, "What is the name of the e-mail app?"),
        Fact("colour", bar, "What colour is the bar at the top of the window?"),
    )
    return sheet.image, sheet.document("email", facts)
