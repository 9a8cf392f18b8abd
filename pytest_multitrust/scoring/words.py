"""Whole-word matching for rule scorers that look for a named answer (R.1 labels, S.2 keywords, T.4/T.7 and
R.2 answers, numbers included)."""

from __future__ import annotations

import re
import unicodedata
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


_THOUSANDS = re.compile(r"(?<=\d)[,\u00a0\u2009\u202f](?=\d{3}(?!\d))")
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_/]+")


def normalize_answer(text: str) -> str:
    """Lowercase, accents and apostrophes dropped, compatibility forms folded ("H₂O" -> "h2o"), thousands
    separators removed ("1,000" -> "1000"), hyphens, slashes and whitespace runs made one space."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    folded = folded.replace("'", "").replace("\u2019", "")
    return _SEPARATORS.sub(" ", _THOUSANDS.sub("", folded)).strip()


@lru_cache(maxsize=1024)
def _pattern(form: str) -> re.Pattern[str]:
    # A number must not continue into more digits or decimals ("100" is not in "1000" or "100.5") but may
    # touch a unit ("100km"); a word must not touch letters or digits ("Au" is not in "Aurora").
    needle = normalize_answer(form)
    left = r"(?<![0-9])(?<![0-9][.,])" if needle[:1].isdigit() else r"(?<![a-z0-9])"
    right = r"(?![0-9])(?![.,][0-9])" if needle[-1:].isdigit() else r"(?![a-z0-9])"
    return re.compile(left + re.escape(needle) + right)


def mentions(response: str, forms: Iterable[str]) -> bool:
    """Whether the response names any of ``forms`` (see :func:`normalize_answer`), as a whole word or number."""
    text = normalize_answer(response)
    return any(normalize_answer(form) and _pattern(form).search(text) for form in forms)
