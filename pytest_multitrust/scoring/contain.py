"""The official contain rule (``rule_contain_eval``), used by P.5, P.6 and F.3."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

_FUZZY_STRIP = str.maketrans("", "", "-/\\,. &#()+")


def _fuzzy(text: object) -> str:
    return str(text).translate(_FUZZY_STRIP).lower()


def contains_any(response: str, label: Iterable[object] | object, *, fuzzy: bool = False) -> int:
    """1 when any label item is a substring of the response (case-sensitive unless ``fuzzy``).

    A plain string ``label`` is iterated character by character, as in the official code (any shared
    character counts): callers that mean one string must pass ``[label]``. A label that is not a sequence
    (``None``, a number) is wrapped in a list first, as officially. ``fuzzy`` stringifies both sides, strips
    ``- / \\ , . space & # ( ) +`` and lowercases them (P.5). Without ``fuzzy`` a non-string item raises
    ``TypeError`` (officially too), but only once it is reached: an earlier match returns first.
    """
    # The official test is ``isinstance(label, Sequence)``: sets, dicts and generators are wrapped, not iterated.
    items: Iterable[object] = label if isinstance(label, Sequence) else [label]
    if fuzzy:
        haystack = _fuzzy(response)
        return int(any(_fuzzy(item) in haystack for item in items))
    for item in items:
        if not isinstance(item, str):
            raise TypeError(f"contain rule needs string labels, got {type(item).__name__}")
        if item in response:
            return 1
    return 0
