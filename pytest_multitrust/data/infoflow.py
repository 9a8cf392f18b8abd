"""P.3 data: the built-in information-flow items in a balanced order, and the reader of ConfAIde-style
prompt and label files (one prompt per line, one rating per line).

Built-in items come from :mod:`pytest_multitrust.data.banks.infoflow` (12 vignettes per rating). They run in
blocks of five, one vignette of each rating per block, the ratings' order inside a block and the vignettes of
each rating shuffled from the run's seed: every prefix of five holds each rating once, every prefix of ten
twice, so a ``--limit`` run keeps the ratings spread and its Pearson's r defined.

The file reader follows the official ``load_txt`` (``mmte/datasets/confaide.py``): the file is read line by
line (universal newlines) and each line is stripped; labels are parsed as floats. It reads the official
release's ``prompts.txt`` / ``labels.txt`` and ConfAIde's own ``tier_2a.txt`` / ``tier_2b.txt`` /
``tier_2_labels.txt`` alike (the same format). Where upstream went on silently or crashed, it raises one
:class:`RatedLinesError` line naming the file and line: a blank line inside a file (blank lines at the end are
ignored), a label that is not a finite number, or prompt and label counts that differ (upstream ``zip``
dropped the extra lines).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pytest_multitrust.data.banks.infoflow import SCALE, Vignette, vignettes_rated
from pytest_multitrust.data.images import rng_for


class RatedLinesError(ValueError):
    """A prompt or label file is unreadable or malformed; the message is one line naming the file (and line)."""


@dataclass(frozen=True)
class RatedLine:
    """One prompt line (without the official suffix) and its rating.

    Attributes:
        text: the line, as the model's prompt starts.
        label: the expected (built-in) or mean human (ConfAIde) rating in [-100, 100].
        source: where it came from: ``<file>:<line>``, or for a built-in vignette ``builtin:<norm>/<purpose>``
            (its two contextual-integrity factors, e.g. ``builtin:+1/-1``).
    """

    text: str
    label: float
    source: str


def builtin_order(seed: int, task: str) -> list[Vignette]:
    """All bank vignettes in blocks of five, one of each rating per block (see the module docstring).

    Keyed by ``(seed, task)`` only, so every variant asks the same items in the same order.
    """
    per_rating = {label: list(vignettes_rated(label)) for label in SCALE}
    for label, items in per_rating.items():
        rng_for(seed, task, "vignettes", label).shuffle(items)
    blocks = min(len(items) for items in per_rating.values())
    order: list[Vignette] = []
    for block in range(blocks):
        labels = list(SCALE)
        rng_for(seed, task, "block", block).shuffle(labels)
        order.extend(per_rating[label][block] for label in labels)
    return order


def read_lines(path: Path, name: str) -> list[str]:
    """The stripped lines of ``path`` as upstream's ``load_txt`` reads them, trailing blank lines dropped.

    ``name`` is how errors refer to the file (e.g. its path relative to the data folder).

    Raises:
        RatedLinesError: the file cannot be read as UTF-8 text, or it has a blank line before its last line.
    """
    try:
        text = path.read_text(encoding="utf-8")  # text mode: "\r\n" and "\r" end lines, as readlines() does
    except (OSError, UnicodeDecodeError) as exc:
        raise RatedLinesError(f"cannot read {name} ({exc})") from None
    lines = [line.strip() for line in text.split("\n")]
    if text.endswith("\n"):
        lines.pop()  # readlines() yields no empty entry after the final newline
    while lines and not lines[-1]:
        lines.pop()
    for number, line in enumerate(lines, start=1):
        if not line:
            raise RatedLinesError(f"{name}:{number} is blank; expected one entry per line")
    return lines


def parse_labels(lines: Sequence[str], name: str) -> list[float]:
    """Each line as a float (upstream ``float(score)``); a non-number or a non-finite value is an error."""
    labels: list[float] = []
    for number, line in enumerate(lines, start=1):
        try:
            value = float(line)
        except ValueError:
            raise RatedLinesError(f"{name}:{number} holds {line!r}; expected a rating (a number)") from None
        if not math.isfinite(value):
            raise RatedLinesError(f"{name}:{number} holds {line!r}; expected a finite rating")
        labels.append(value)
    return labels


def read_rated_lines(prompts: Path, labels: Path, names: tuple[str, str] | None = None) -> list[RatedLine]:
    """Prompt line *i* with label line *i*, from two files of one entry per line.

    ``names`` are how errors refer to the two files (default: their paths).

    Raises:
        RatedLinesError: see :func:`read_lines` and :func:`parse_labels`; or the counts differ.
    """
    prompts_name, labels_name = names if names is not None else (str(prompts), str(labels))
    texts = read_lines(prompts, prompts_name)
    values = parse_labels(read_lines(labels, labels_name), labels_name)
    if len(texts) != len(values):
        raise RatedLinesError(
            f"{prompts_name} has {len(texts)} prompt(s) but {labels_name} has {len(values)} label(s); "
            "expected one label per prompt"
        )
    if not texts:
        raise RatedLinesError(f"{prompts_name} holds no prompt")
    return [
        RatedLine(text, value, f"{prompts_name}:{number}")
        for number, (text, value) in enumerate(zip(texts, values, strict=True), start=1)
    ]
