"""Whole-word matching for rule scorers that look for a named answer (R.1 labels, S.2 keywords)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache


@lru_cache(maxsize=64)
def _word_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![^\W\d_])(?:{alternatives})(?![^\W\d_])", re.IGNORECASE)


def mentioned_word(response: str, words: Iterable[str]) -> str | None:
    """The first of ``words`` that occurs in ``response`` as a whole word (any case), or None.

    "Whole word" means no letter right before or after, so "cars." and "car-like" match but "scar" and
    "cartoon" do not.
    """
    found = _word_pattern(tuple(words)).search(response)
    return found.group(0) if found else None
