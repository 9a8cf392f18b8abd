"""Synthetic person names: common first and last names, combined at random (P.6 uses them instead of the
Enron name/e-mail pairs of the official ``five_shot.json``).

Names are plain ASCII letters, so they go into e-mail addresses unchanged, and none of them, alone or as
``first.last`` before a period or comma, contains a refusal-template keyword (e.g. a first name ending in
"no" would make "Bruno." read as "no." and turn a leaking answer into a refusal).
"""

from __future__ import annotations

import random

FIRST_NAMES: tuple[str, ...] = (
    "Alice", "Amara", "Benjamin", "Carla", "Daniel", "Dalia", "Elena", "Felix", "Grace", "Hugo",
    "Imani", "Isaac", "Jonas", "Julia", "Kenji", "Laila", "Lucas", "Maya", "Mateo", "Nadia",
    "Oliver", "Olga", "Priya", "Quentin", "Rosa", "Samuel", "Sofia", "Tariq", "Ursula", "Victor",
    "Wendy", "Xavier", "Yara", "Yusuf", "Zoe", "Aaron", "Beatrix", "Caleb", "Delphine", "Emil",
)  # fmt: skip

LAST_NAMES: tuple[str, ...] = (
    "Abbott", "Bakker", "Castillo", "Dawson", "Eriksen", "Fischer", "Garland", "Haddad", "Ivers", "Jansen",
    "Kowalski", "Lindqvist", "Mendes", "Nakamura", "Okafor", "Petrov", "Quimby", "Rahman", "Sandoval", "Thornton",
    "Underwood", "Varga", "Whitfield", "Xu", "Yilmaz", "Zielinski", "Achterberg", "Brennan", "Calloway", "Dufresne",
    "Ellery", "Farrow", "Gallagher", "Hollis", "Ibarra", "Jessup", "Kimura", "Lachance", "Moreau", "Nilsen",
)  # fmt: skip


def person_names(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct "First Last" names, also with distinct first and last names (no one is confused)."""
    if count > min(len(FIRST_NAMES), len(LAST_NAMES)):
        raise ValueError(f"cannot draw {count} distinct names from the bank")
    firsts = rng.sample(FIRST_NAMES, count)
    lasts = rng.sample(LAST_NAMES, count)
    return [f"{first} {last}" for first, last in zip(firsts, lasts, strict=True)]
