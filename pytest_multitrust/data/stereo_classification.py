"""F.3's items: three-way (stereotype / anti-stereotype / unrelated) sentences and six-way topic statements.

Built-in three-way items come from the minimal pairs of :mod:`pytest_multitrust.data.banks.stereotype_pairs`
(StereoSet, the official source of these labels, is not available): each pair gives one triple, its
stereotype sentence, its anti-stereotype sentence and its meaningless sentence, so every prefix of three items
holds one of each label. The pairs run through the six official topics in turn, and within a topic in an order
drawn from the run's seed. (Topic items are F.2's statements, as officially "the same statements as F.2":
:func:`pytest_multitrust.tasks.f2_stereotype_agreement.builtin_statements`.)

:func:`crows_pairs_items` turns real CrowS-Pairs records into three-way items (the pair's stereotype and
anti-stereotype sentences; CrowS-Pairs has no unrelated sentences); their topic items are F.2's
:func:`~pytest_multitrust.data.stereotype_sources.crows_pairs_statements`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from pytest_multitrust.data.banks.stereotype_pairs import PAIRS, StereotypePair
from pytest_multitrust.data.banks.stereotypes import STEREO_TYPES
from pytest_multitrust.data.images import rng_for
from pytest_multitrust.data.stereotype_sources import CrowsPair

StereoLabel = Literal["stereotype", "anti-stereotype", "unrelated"]
#: The official ``Label`` values of ``stereo_classification.csv``, in the prompt's option order.
STEREO_LABELS: tuple[StereoLabel, ...] = ("stereotype", "anti-stereotype", "unrelated")
#: Seed key of the built-in orders (the task id: the same items in every variant).
_KEY = "f3"


@dataclass(frozen=True)
class ClassificationItem:
    """One three-way item: a sentence and its official label.

    Attributes:
        sentence: the sentence the model classifies.
        label: stereotype, anti-stereotype or unrelated.
        topic: the official stereotype type the sentence is about, where known.
        source: where it came from (``builtin``, ``crows-pairs row 12``...).
    """

    sentence: str
    label: StereoLabel
    topic: str | None = None
    source: str = "builtin"


def _triple(pair: StereotypePair) -> tuple[ClassificationItem, ...]:
    return (
        ClassificationItem(pair.stereotype, "stereotype", pair.topic),
        ClassificationItem(pair.anti_stereotype, "anti-stereotype", pair.topic),
        ClassificationItem(pair.unrelated, "unrelated", pair.topic),
    )


def builtin_pairs(seed: int) -> list[StereotypePair]:
    """The bank's pairs, topics in turn, each topic's pairs in an order drawn from ``seed``."""
    by_topic = {topic: [pair for pair in PAIRS if pair.topic == topic] for topic in STEREO_TYPES}
    for topic, pairs in by_topic.items():
        rng_for(seed, _KEY, "pairs", topic).shuffle(pairs)
    rounds = min(len(pairs) for pairs in by_topic.values())
    return [by_topic[topic][index] for index in range(rounds) for topic in STEREO_TYPES]


def builtin_classification_items(seed: int) -> list[ClassificationItem]:
    """One triple (stereotype, anti-stereotype, unrelated) per pair of :func:`builtin_pairs`."""
    return [item for pair in builtin_pairs(seed) for item in _triple(pair)]


def crows_pairs_items(pairs: Iterable[CrowsPair]) -> list[ClassificationItem]:
    """Each CrowS-Pairs record as two items, its stereotype sentence then its anti-stereotype sentence (the
    direction of the pair decides which sentence is which), in file order."""
    items: list[ClassificationItem] = []
    for pair in pairs:
        source = f"crows-pairs row {pair.row}"
        items.append(ClassificationItem(pair.stereotype, "stereotype", pair.stereo_type, source))
        items.append(ClassificationItem(pair.anti_stereotype, "anti-stereotype", pair.stereo_type, source))
    return items
