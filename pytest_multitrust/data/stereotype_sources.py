"""Readers for the public stereotype sets MultiTrust's F.2/F.3 data derives from, in their own formats.

The official F.2 file (``fairness/stereo_statement.csv``) is a curated subset of these sources that is not
published row by row; the suite reads it with ``--data official``. These readers let the tests (and, if wanted,
a future switch) run F.2 on the real public statements: each returns frozen records, and a missing file, a
missing column, an undecodable file or a bad value is one :class:`StereotypeSourceError` line naming the file
(and the data row, counted from 1 after the header, which a quoted multi-line field does not shift).

- CrowS-Pairs (``nyu-mll/crows-pairs``, ``data/crows_pairs_anonymized.csv``; 1,508 pairs): an unnamed
  (or ``index``) 0-based index column, ``sent_more``, ``sent_less``, ``stereo_antistereo``, ``bias_type``,
  ``annotations``, ``anon_writer``, ``anon_annotators``. Its bias types map onto the six official types by
  :data:`CROWS_BIAS_TO_TYPE`.
- DecodingTrust stereotypes (``AI-secure/DecodingTrust``, ``data/stereotype/dataset/user_prompts.csv``; 1,152
  rows = 16 topics x 3 templates x 24 target groups): ``stereotype_topic``, ``target_group``,
  ``stereotype_template`` (with a ``[target_group]`` slot), ``user_prompt``. Target groups map onto the six
  types by :data:`DT_GROUP_TO_TYPE`.

:func:`crows_pairs_statements` and :func:`decodingtrust_statements` turn records into
:class:`StereoStatement` items (the official file's ``Type`` + ``Stereo Statement``), and
:func:`interleave_types` orders any items so that every prefix covers the types (runs use ``--limit``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pytest_multitrust.data.banks.stereotypes import STATEMENTS, STEREO_TYPES
from pytest_multitrust.data.images import rng_for

Direction = Literal["stereo", "antistereo"]

CROWS_COLUMNS = ("sent_more", "sent_less", "stereo_antistereo", "bias_type")
DT_COLUMNS = ("stereotype_topic", "target_group", "stereotype_template", "user_prompt")
#: The slot of a DecodingTrust template.
DT_SLOT = "[target_group]"

#: CrowS-Pairs bias type -> official F.2 ``Type`` (None: a bias the official six types do not cover).
CROWS_BIAS_TO_TYPE: dict[str, str | None] = {
    "race-color": "Race",
    "socioeconomic": "Socioeconomic",
    "gender": "Gender",
    "religion": "Religion",
    "age": "Age",
    "nationality": "Nationality",
    "sexual-orientation": None,
    "disability": None,
    "physical-appearance": None,
}

#: DecodingTrust target group -> official F.2 ``Type``. Groups by origin or citizenship (and immigrants, as
#: CrowS-Pairs files them) are Nationality; "Asians" and "Caucasians" are racial groups, as DecodingTrust pairs
#: them with "Black people" and "White people"; "Jews" is Religion (DecodingTrust lists it with the faiths).
#: Sexual orientation and disability groups have no official type (None).
DT_GROUP_TO_TYPE: dict[str, str | None] = {
    "Old people": "Age",
    "Young people": "Age",
    "Men": "Gender",
    "Women": "Gender",
    "Americans": "Nationality",
    "Canadians": "Nationality",
    "Europeans": "Nationality",
    "Immigrants": "Nationality",
    "Latin Americans": "Nationality",
    "Mexicans": "Nationality",
    "Asians": "Race",
    "Black people": "Race",
    "Caucasians": "Race",
    "White people": "Race",
    "Atheists": "Religion",
    "Buddhists": "Religion",
    "Christians": "Religion",
    "Jews": "Religion",
    "Muslims": "Religion",
    "Poor people": "Socioeconomic",
    "Rich people": "Socioeconomic",
    "Homosexuals": None,
    "Able-bodied people": None,
    "Physically disabled people": None,
}


class StereotypeSourceError(ValueError):
    """A public stereotype file is missing or malformed; the message is one line naming the file and row."""


@dataclass(frozen=True)
class CrowsPair:
    """One CrowS-Pairs minimal pair; ``row`` is its data row (from 1), ``stereo_type`` the official Type."""

    row: int
    sent_more: str
    sent_less: str
    direction: Direction
    bias_type: str
    stereo_type: str | None

    @property
    def stereotype(self) -> str:
        """The sentence that states the stereotype: ``sent_more`` for "stereo" pairs, else ``sent_less``."""
        return self.sent_more if self.direction == "stereo" else self.sent_less

    @property
    def anti_stereotype(self) -> str:
        """The other sentence of the pair."""
        return self.sent_less if self.direction == "stereo" else self.sent_more


@dataclass(frozen=True)
class DTStereotype:
    """One DecodingTrust stereotype prompt; ``statement`` is the template with its target group filled in."""

    row: int
    topic: str
    target_group: str
    template: str
    statement: str

    @property
    def stereo_type(self) -> str | None:
        """The official Type of the target group (:data:`DT_GROUP_TO_TYPE`), None where none applies."""
        return DT_GROUP_TO_TYPE.get(self.target_group)


@dataclass(frozen=True)
class StereoStatement:
    """An F.2 item: one stereotype statement and its official ``Type``; ``source`` says where it came from."""

    stereo_type: str
    statement: str
    source: str = "builtin"


def _rows(path: Path, required: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(data row from 1, row) of a CSV file, with the header checked once."""
    name = path.name
    if not path.is_file():
        raise StereotypeSourceError(f"{path}: file not found")
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = [column for column in required if column not in (reader.fieldnames or ())]
            if missing:
                raise StereotypeSourceError(f"{name}: lacks column(s) {', '.join(missing)}")
            for number, row in enumerate(reader, start=1):
                if None in row or any(value is None for value in row.values()):
                    raise StereotypeSourceError(f"{name} row {number}: wrong number of fields")
                yield number, row
    except UnicodeDecodeError as exc:
        raise StereotypeSourceError(f"{name}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except csv.Error as exc:
        raise StereotypeSourceError(f"{name}: malformed CSV ({exc})") from None


def _text(row: dict[str, str], key: str, where: str) -> str:
    value = row[key].strip()
    if not value:
        raise StereotypeSourceError(f"{where}: empty {key}")
    return value


def read_crows_pairs(path: Path | str) -> list[CrowsPair]:
    """The pairs of a CrowS-Pairs ``crows_pairs_anonymized.csv``, in file order.

    Raises:
        StereotypeSourceError: the file is missing or not UTF-8 CSV, lacks a column, or a row has an empty
            sentence, a direction other than stereo/antistereo, or an unknown bias type.
    """
    path = Path(path)
    pairs = []
    for number, row in _rows(path, CROWS_COLUMNS):
        where = f"{path.name} row {number}"
        direction = row["stereo_antistereo"].strip()
        if direction not in ("stereo", "antistereo"):
            raise StereotypeSourceError(f"{where}: stereo_antistereo must be stereo or antistereo, got {direction!r}")
        bias = row["bias_type"].strip()
        if bias not in CROWS_BIAS_TO_TYPE:
            raise StereotypeSourceError(f"{where}: unknown bias_type {bias!r}")
        pairs.append(
            CrowsPair(
                row=number,
                sent_more=_text(row, "sent_more", where),
                sent_less=_text(row, "sent_less", where),
                direction="stereo" if direction == "stereo" else "antistereo",
                bias_type=bias,
                stereo_type=CROWS_BIAS_TO_TYPE[bias],
            )
        )
    return pairs


def read_decodingtrust_stereotypes(path: Path | str) -> list[DTStereotype]:
    """The prompts of a DecodingTrust stereotype ``user_prompts.csv``, in file order.

    Raises:
        StereotypeSourceError: the file is missing or not UTF-8 CSV, lacks a column, or a row has an empty
            field or a template without the ``[target_group]`` slot.
    """
    path = Path(path)
    records = []
    for number, row in _rows(path, DT_COLUMNS):
        where = f"{path.name} row {number}"
        group = _text(row, "target_group", where)
        template = _text(row, "stereotype_template", where)
        if DT_SLOT not in template:
            raise StereotypeSourceError(f"{where}: stereotype_template has no {DT_SLOT} slot: {template!r}")
        topic = _text(row, "stereotype_topic", where)
        records.append(DTStereotype(number, topic, group, template, template.replace(DT_SLOT, group)))
    return records


def crows_pairs_statements(pairs: Iterable[CrowsPair], *, stereo_only: bool = False) -> list[StereoStatement]:
    """The stereotype sentence (:attr:`CrowsPair.stereotype`) of each pair with an official type.

    Pairs of other bias types are dropped. ``stereo_only`` also drops the "antistereo" pairs: there
    ``sent_more`` violates a stereotype (it is about the advantaged group) and ``sent_less`` is only its minimal
    edit, often not a stereotype statement one could agree with ("Hispanics are good at reading"); F.2's
    agreement question is cleanest on the "stereo" pairs, while F.3's topic question can use them all.
    """
    return [
        StereoStatement(pair.stereo_type, pair.stereotype, f"crows-pairs row {pair.row}")
        for pair in pairs
        if pair.stereo_type is not None and not (stereo_only and pair.direction != "stereo")
    ]


def decodingtrust_statements(records: Iterable[DTStereotype]) -> list[StereoStatement]:
    """The statement of each record whose target group has an official type (the others are dropped)."""
    return [
        StereoStatement(stereo_type, record.statement, f"decodingtrust row {record.row}")
        for record in records
        if (stereo_type := record.stereo_type) is not None
    ]


def interleave_types(items: Iterable[StereoStatement]) -> list[StereoStatement]:
    """``items`` round-robin over :data:`STEREO_TYPES` (file order kept within a type), so that every prefix
    of ``6 x k`` items holds ``k`` of each type while every type lasts. Items of another type go last."""
    by_type: dict[str, list[StereoStatement]] = {stereo_type: [] for stereo_type in STEREO_TYPES}
    others: list[StereoStatement] = []
    for item in items:
        by_type.get(item.stereo_type, others).append(item)
    ordered: list[StereoStatement] = []
    longest = max((len(group) for group in by_type.values()), default=0)
    for index in range(longest):
        ordered.extend(group[index] for group in by_type.values() if index < len(group))
    return ordered + others


def builtin_statements(seed: int) -> list[StereoStatement]:
    """The bank's statements (:data:`~pytest_multitrust.data.banks.stereotypes.STATEMENTS`), shuffled within each
    type by ``seed`` and interleaved over the six types: F.2's items and F.3's topic items."""
    items: list[StereoStatement] = []
    for stereo_type in STEREO_TYPES:
        bank = list(STATEMENTS[stereo_type])
        rng_for(seed, "f2", "order", stereo_type).shuffle(bank)  # the stream F.2 has always drawn from
        items.extend(StereoStatement(stereo_type, text) for text in bank)
    return interleave_types(items)
