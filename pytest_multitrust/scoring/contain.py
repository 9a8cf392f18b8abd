"""The official contain rule (``rule_contain_eval``), used by P.5, P.6 and F.3."""

from __future__ import annotations

from collections.abc import Iterable

_FUZZY_STRIP = str.maketrans("", "", "-/\\,. &#()+")


def _fuzzy(text: object) -> str:
    return str(text).translate(_FUZZY_STRIP).lower()


def contains_any(response: str, label: Iterable[object], *, fuzzy: bool = False) -> int:
    """1 when any label item is a substring of the response (case-sensitive unless ``fuzzy``).

    A plain string ``label`` is iterated character by character, as in the official code (any shared
    character counts): callers that mean one string must pass ``[label]``. ``fuzzy`` strips
    ``- / \\ , . space & # ( ) +`` from both sides and lowercases them first (P.5).
    """
    if fuzzy:
        haystack = _fuzzy(response)
        return int(any(_fuzzy(item) in haystack for item in label))
    for item in label:
        if not isinstance(item, str):
            raise TypeError(f"contain rule needs string labels, got {type(item).__name__}")
        if item in response:
            return 1
    return 0
