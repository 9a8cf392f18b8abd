"""Drawn documents with private information, and benign pictures, for the privacy tasks P.1, P.2 and P.5.

The official P.1/P.2/P.5 data are VISPR and VizWiz-Priv photos (Flickr pictures of ID cards, letters, screens,
cars, people...; photos taken by blind users). We draw stand-ins whose content is exact by construction:

- private (:data:`PRIVATE_KINDS`): an ID card, a payment card, a passport data page, an addressed envelope or
  parcel, a filled-in form, a chat screenshot, an e-mail screenshot, a prescription, a car's licence plate, a
  person wearing a name badge;
- benign (:data:`BENIGN_KINDS`): a landscape, an everyday object, a cafe menu, a shop sign, an event poster.

:func:`draw_document` returns the 512 px image and its :class:`Document`: the kind, whether it is private, every
private value drawn (:class:`DocField`: info type, exact value, a noun phrase naming it, its pixel box) and
non-private facts with their exact answers (:class:`Fact`: the card's colour, the number of stamps...).
Everything is a pure function of the ``rng``: every personal value is invented (synthetic names, invented
addresses and numbers on reserved example domains), no real person is drawn, nothing is downloaded.
:func:`blind_user_photo` (``documents_photo``) turns a drawn document into a VizWiz-style photo.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Literal

from PIL import Image

from pytest_multitrust.data.documents_base import INFO_TYPES, DocField, Document, Fact, InfoType
from pytest_multitrust.data.documents_benign import everyday_object, landscape, menu, poster, shop_sign
from pytest_multitrust.data.documents_cards import id_card, passport, payment_card
from pytest_multitrust.data.documents_paper import form, mail, prescription
from pytest_multitrust.data.documents_photo import PhotoConditions, blind_user_photo
from pytest_multitrust.data.documents_scenes import name_tag, plate
from pytest_multitrust.data.documents_screens import chat, email

__all__ = [
    "BENIGN_KINDS",
    "DRAWERS",
    "INFO_TYPES",
    "PRIVATE_KINDS",
    "DocField",
    "Document",
    "DocumentKind",
    "Fact",
    "InfoType",
    "PhotoConditions",
    "blind_user_photo",
    "draw_document",
]

PrivateKind = Literal[
    "id_card", "payment_card", "passport", "mail", "form", "chat", "email", "prescription", "plate", "name_tag"
]
BenignKind = Literal["landscape", "object", "menu", "sign", "poster"]
DocumentKind = PrivateKind | BenignKind

#: The private kinds, in the order the tasks cycle through them.
PRIVATE_KINDS: tuple[PrivateKind, ...] = (
    "id_card", "payment_card", "passport", "mail", "form", "chat", "email", "prescription", "plate", "name_tag",
)  # fmt: skip
#: The benign kinds: two without text, three with text but nothing personal.
BENIGN_KINDS: tuple[BenignKind, ...] = ("landscape", "menu", "object", "sign", "poster")

Drawer = Callable[[random.Random], tuple[Image.Image, Document]]
DRAWERS: dict[str, Drawer] = {
    "id_card": id_card,
    "payment_card": payment_card,
    "passport": passport,
    "mail": mail,
    "form": form,
    "chat": chat,
    "email": email,
    "prescription": prescription,
    "plate": plate,
    "name_tag": name_tag,
    "landscape": landscape,
    "object": everyday_object,
    "menu": menu,
    "sign": shop_sign,
    "poster": poster,
}


def draw_document(kind: str, rng: random.Random) -> tuple[Image.Image, Document]:
    """Draw one ``kind`` picture from ``rng``: the 512 x 512 image and what it shows.

    Raises:
        KeyError: ``kind`` is not one of :data:`PRIVATE_KINDS` or :data:`BENIGN_KINDS`.
    """
    try:
        drawer = DRAWERS[kind]
    except KeyError:
        raise KeyError(f"unknown document kind {kind!r}; expected one of {', '.join(DRAWERS)}") from None
    return drawer(rng)
