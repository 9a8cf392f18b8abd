"""Sentiment sentences under style shift (R.3 OOD-text sentiment): the built-in generator and the readers of
DecodingTrust's ``style.json`` and MultiTrust's ``label.json``.

Both files hold, per style key, a list of records ``{"sentence": str, "label": "0" | "1", "id": int}``
(labels are strings: "1" positive, "0" negative), plus ``base``, the original sentences, aligned by position.
MultiTrust's ``robustness/ood-text/label.json`` holds the style keys at the top level (``OODText`` indexes
``test_data_dict[category]``); DecodingTrust's ``data/ood/style.json`` holds them under ``dev`` (with
few-shot demos under ``train_demo``). :func:`parse_style_sets` reads either shape, so the same reader serves
``--data official`` and the tests on the real DecodingTrust file.

The built-in items (:func:`builtin_style_items`) are our bank's base sentences rewritten by rule at every
official style key (:mod:`pytest_multitrust.data.style_rewrites`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytest_multitrust.data.banks.sentiment import NEGATIVE_SENTENCES, POSITIVE_SENTENCES
from pytest_multitrust.data.images import rng_for
from pytest_multitrust.data.style_rewrites import STYLE_KEYS, StyleKey, rewrite

#: The label strings of the files (and of the official contain-exact rule).
LABELS: tuple[str, ...] = ("1", "0")
#: Items per built-in variant: every base sentence twice, in two different styles.
BUILTIN_ITEMS = 2 * (len(POSITIVE_SENTENCES) + len(NEGATIVE_SENTENCES))
#: The key of the original (unstyled) sentences in both files.
BASE_KEY = "base"
#: Where DecodingTrust's ``style.json`` keeps the test sets.
DECODINGTRUST_SPLIT = "dev"


class StyleDataError(ValueError):
    """A style file is missing or malformed; the message is one line naming the file and record."""


@dataclass(frozen=True)
class StyleItem:
    """One sentence to label.

    Attributes:
        sentence: the sentence in its style (what the prompt shows).
        label: "1" (positive) or "0" (negative).
        id: the record's ``id`` (the official related image is ``related/{id}.png``).
        style: the style key it belongs to.
        base: the original sentence (the official related image was generated from it), None if the file has
            no ``base`` record at this position.
    """

    sentence: str
    label: str
    id: int | str
    style: StyleKey
    base: str | None


def builtin_style_items(seed: int, key: str = "r3") -> list[StyleItem]:
    """:data:`BUILTIN_ITEMS` items: styles in the official order, in turn; labels balanced in every prefix.

    Item ``i`` has style ``STYLE_KEYS[i % 10]`` and is positive when ``(i + i // 10)`` is even, so any ten items
    in a row hold every style and five sentences of each label (any even prefix is balanced), and a style's
    label alternates between rounds. The k-th item of a label takes the k-th base sentence of that label in an
    order drawn from ``seed`` (positives and negatives separately): each base sentence comes back once, five
    rounds later, where the label parity puts it in another style. ``key`` namespaces the draws (the task id),
    not the variant: every variant of a task labels the same sentences, as officially.
    """
    banks = {"1": POSITIVE_SENTENCES, "0": NEGATIVE_SENTENCES}
    order = {label: rng_for(seed, key, "base-order", label).sample(bank, len(bank)) for label, bank in banks.items()}
    taken = dict.fromkeys(LABELS, 0)
    items = []
    for index in range(BUILTIN_ITEMS):
        style = STYLE_KEYS[index % len(STYLE_KEYS)]
        label = "1" if (index + index // len(STYLE_KEYS)) % 2 == 0 else "0"
        base = order[label][taken[label] % len(order[label])]
        taken[label] += 1
        sentence = rewrite(style, base, rng_for(seed, key, "rewrite", index))
        items.append(StyleItem(sentence, label, index, style, base))
    return items


def style_sets(data: Any) -> Mapping[str, Any] | None:
    """The mapping that holds the style keys: the object itself (MultiTrust) or its ``dev`` (DecodingTrust)."""
    if not isinstance(data, dict):
        return None
    if not any(key in data for key in STYLE_KEYS) and isinstance(data.get(DECODINGTRUST_SPLIT), dict):
        return data[DECODINGTRUST_SPLIT]  # type: ignore[no-any-return]
    return data


def parse_style_sets(data: Any, source: str, error: Callable[[str], Exception]) -> list[StyleItem]:
    """Every record of the official style keys, style-major in the official order, as the official loader reads.

    Checked, each failure one line through ``error``: the file is a JSON object with every style key holding
    a list; each record has a string ``sentence``, a ``label`` "0" or "1" (a string, as DecodingTrust writes
    it: officially any other label could never be scored correct) and an ``id`` (an integer or a string). Keys
    other than the style keys are ignored; ``base`` records give each item its ``base`` by position (the
    official ``base[tid]``), and an absent ``base`` is allowed (the official loader needs it only to generate
    images).
    """
    sets = style_sets(data)
    if sets is None:
        raise error(f"{source} must hold a JSON object of style sets (style key -> list of records)")
    missing = [key for key in STYLE_KEYS if key not in sets]
    if missing:
        raise error(f"{source} has no style set {', '.join(repr(k) for k in missing)}")
    bases = sets.get(BASE_KEY)
    base_sentences = (
        [r.get("sentence") if isinstance(r, dict) else None for r in bases] if isinstance(bases, list) else []
    )
    items: list[StyleItem] = []
    for style in STYLE_KEYS:
        records = sets[style]
        if not isinstance(records, list):
            raise error(f"{source} style set {style!r} must be a list of records, got {type(records).__name__}")
        for number, record in enumerate(records, start=1):
            where = f"{source} {style!r} record {number}"
            if not isinstance(record, dict):
                raise error(f"{where} must be a JSON object with sentence, label and id")
            for field in ("sentence", "label", "id"):
                if field not in record:
                    raise error(f"{where} has no field {field!r}")
            sentence, label, text_id = record["sentence"], record["label"], record["id"]
            if not isinstance(sentence, str):
                raise error(f"{where} has sentence {sentence!r}; expected a string")
            if label not in LABELS:
                raise error(f"{where} has label {label!r}; expected the string '1' (positive) or '0' (negative)")
            if isinstance(text_id, bool) or not isinstance(text_id, int | str) or text_id == "":
                raise error(f"{where} has id {text_id!r}; expected an integer or a non-empty string")
            base = base_sentences[number - 1] if number <= len(base_sentences) else None
            items.append(StyleItem(sentence, label, text_id, style, base if isinstance(base, str) else None))
    return items


def read_style_json(path: str | Path) -> list[StyleItem]:
    """The style sets of a DecodingTrust ``style.json`` (or a MultiTrust ``label.json``) on disk.

    Raises:
        StyleDataError: one line naming the file (and record) when it is missing or malformed.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise StyleDataError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise StyleDataError(f"{path}: not valid JSON ({exc})") from None
    return parse_style_sets(data, str(path), StyleDataError)
