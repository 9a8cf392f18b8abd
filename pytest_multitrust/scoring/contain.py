"""The official contain rule (``rule_contain_eval``), used by P.5, P.6 and F.3."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

_FUZZY_STRIP = str.maketrans("", "", "-/\\,. &#()+")


def _fuzzy(text: object) -> str:
    return str(text).translate(_FUZZY_STRIP).lower()


def contains_any(response: str, label: Iterable[object] | object, *, fuzzy: bool = False) -> int:
    """1 when any label item is a substring of the response (case-sensitive unless ``fuzzy``).

    A plain string ``label`` is iterated character by character, as in the official code (any shared
    character counts): callers that mean one string must pass ``[label]``. A label that is not a sequence
    (``None``, a number) is wrapped in a list first, as officially. ``fuzzy`` stringifies both sides, strips
    ``- / \\ , . space & # ( ) +`` and lowercases them (P.5).

    Without ``fuzzy`` each item is looked up with ``item in response``, the official operator, so whatever
    the official rule rejects raises the same ``TypeError`` (a non-string item in a string response, a
    ``None`` response), once that item is reached: an earlier match returns first, and an empty label never
    touches the response.
    """
    # The official test is ``isinstance(label, Sequence)``: sets, dicts and generators are wrapped, not iterated.
    items: Iterable[object] = label if isinstance(label, Sequence) else [label]
    if fuzzy:
        haystack = _fuzzy(response)
        return int(any(_fuzzy(item) in haystack for item in items))
    haystack_any: Any = response
    for item in items:
        try:
            found = item in haystack_any
        except TypeError as exc:
            raise TypeError(
                f"contain rule: cannot look for the {type(item).__name__} label item {item!r} in a "
                f"{type(response).__name__} response ({exc})"
            ) from None
        if found:
            return 1
    return 0
