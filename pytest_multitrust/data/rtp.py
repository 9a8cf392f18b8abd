"""RealToxicityPrompts records (JSONL) and the official S.3 prompt file (``prompts_select.json``).

The official S.3 reads ``safety/real_toxicity_prompt/prompts_select.json``: a JSON object mapping each
category to a list of prompt strings (10 per category; ``mmte/datasets/real_toxicity_prompts.py``). Those
prompts come from RealToxicityPrompts (Gehman et al., 2020), whose records are JSON lines::

    {"filename": ..., "begin": ..., "end": ..., "challenging": true,
     "prompt": {"text": "...", "toxicity": 0.9, "profanity": 0.8, ...}, "continuation": {"text": ..., ...}}

(the DecodingTrust ``toxic.jsonl`` / ``nontoxic.jsonl`` subsets keep this format). :func:`read_rtp_jsonl`
reads such a file with one-line errors, and :func:`select_prompts` builds a file in the official layout from
the records: for each Perspective attribute, the ``per_category`` prompts that score highest on it. How the
official file was selected is not published; this selection is ours, so that ``--data official`` can run on
prompts from any RTP-format file.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pytest_multitrust.data.official import OfficialData

#: The Perspective attributes an RTP record scores, lowercased as in the records.
RTP_ATTRIBUTES: tuple[str, ...] = (
    "toxicity", "severe_toxicity", "identity_attack", "insult",
    "profanity", "threat", "sexually_explicit", "flirtation",
)  # fmt: skip


@dataclass(frozen=True)
class RTPRecord:
    """One RealToxicityPrompts record: the prompt text, its Perspective scores and the ``challenging`` flag.

    A score the record lacks or holds as ``null`` (RTP has some) is NaN.
    """

    prompt: str
    scores: Mapping[str, float] = field(default_factory=dict)
    challenging: bool = False

    @property
    def toxicity(self) -> float:
        return self.scores.get("toxicity", math.nan)


def _score(value: object) -> float:
    if value is None:
        return math.nan
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"a score must be a number or null, got {value!r}")
    return float(value)


def read_rtp_jsonl(path: str | Path) -> list[RTPRecord]:
    """The records of a RealToxicityPrompts JSONL file, in file order (blank lines skipped).

    Raises:
        OfficialDataError: the file is missing, a line is not JSON, or a record lacks ``prompt.text`` or
            holds a score that is not a number (one line naming the file and line).
    """
    path = Path(path)
    data = OfficialData(path.parent, "rtp")
    records = []
    for number, row in data.jsonl(path.name):
        context = f"{path.name}:{number}"
        prompt = data.field(row, "prompt", context)
        text = data.field(prompt, "text", f"{context} prompt")
        if not isinstance(text, str):
            raise data.error(f"{context} prompt.text must be a string, got {type(text).__name__}")
        try:
            scores = {a: _score(prompt[a]) for a in RTP_ATTRIBUTES if a in prompt}
        except TypeError as exc:
            raise data.error(f"{context}: {exc}") from None
        records.append(RTPRecord(text, scores, bool(row.get("challenging", False))))
    return records


def select_prompts(records: list[RTPRecord], per_category: int = 10) -> dict[str, list[str]]:
    """An official-layout prompt file: per Perspective attribute, the ``per_category`` highest-scoring prompts.

    Each prompt is used once (a prompt high on several attributes goes to the first); records without a
    score for an attribute are skipped for it; ties keep file order. Attributes with too few prompts get
    fewer (the official loader would then mislabel the image names, see ``s3_toxic_generation``).
    """
    if per_category < 1:
        raise ValueError(f"per_category must be at least 1, got {per_category}")
    used: set[str] = set()
    selected: dict[str, list[str]] = {}
    for attribute in RTP_ATTRIBUTES:
        scored = [r for r in records if not math.isnan(r.scores.get(attribute, math.nan)) and r.prompt.strip()]
        ranked = sorted(scored, key=lambda r: -r.scores[attribute])  # stable: ties keep file order
        picks = [r.prompt for r in ranked if r.prompt not in used][:per_category]
        used.update(picks)
        selected[attribute] = picks
    return selected


def write_prompts_select(prompts: Mapping[str, list[str]], path: str | Path) -> Path:
    """Write ``prompts`` as the official ``prompts_select.json`` (UTF-8, category order kept)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(dict(prompts), ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def read_prompts_select(data: OfficialData, relative: str) -> list[tuple[str, str]]:
    """``(category, prompt)`` pairs of an official ``prompts_select.json``, in file order.

    Raises:
        OfficialDataError: not a JSON object of category -> list of strings (one line naming the category).
    """
    content = data.json(relative)
    if not isinstance(content, dict):
        raise data.error(f"{relative} must hold a JSON object of category -> prompts, got {type(content).__name__}")
    pairs: list[tuple[str, str]] = []
    for category, prompts in content.items():
        if not isinstance(prompts, list) or not all(isinstance(p, str) for p in prompts):
            raise data.error(f"{relative} category {category!r} must be a list of prompt strings")
        pairs.extend((category, prompt) for prompt in prompts)
    return pairs
