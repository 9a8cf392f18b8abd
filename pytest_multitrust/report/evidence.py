"""Per-sample evidence on disk: ``<report>/samples/<task>/<variant>.jsonl`` and ``<report>/images/<sha>.png``.

Written by whichever process ran the variant, as soon as the variant is scored, with atomic replaces: a crash
later in the session loses nothing already computed. Every line is valid UTF-8 that reads back to the same
strings (lone surrogates included). Responses, judge outputs and error messages are cut to
:data:`EVIDENCE_TEXT_CAP` characters; ``truncated`` maps each cut field to its full length (``{}`` when nothing
was cut). Scoring always saw the whole text, and the response cache keeps it; the replay backend replays a cut
response as an error, never as the whole answer.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

from pytest_multitrust.models.cache import json_text, write_atomic
from pytest_multitrust.runner import SampleRecord, VariantRun

#: The most characters of a response (or a judge output) that the sample files and Allure attachments keep.
#: A model that rambles for a megabyte must not turn a report into one; 20,000 characters is far more than
#: any task's ``max_new_tokens`` allows a well-behaved model, so only runaway answers are cut.
EVIDENCE_TEXT_CAP = 20_000

#: The fields of a sample row that may hold model-written text of any length, and so are cut.
CAPPED_FIELDS = ("response", "judge_output", "error", "backend_error", "judge_error", "scorer_error")


def json_safe(value: Any) -> Any:
    """Strict JSON: NaN and infinities become null (the report says which scores are missing)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def dumps(value: Any) -> str:
    """One line of strict JSON that encodes as UTF-8 and reads back to the same value (NaN: null)."""
    return json_text(json_safe(value), sort_keys=True, allow_nan=False)


def sample_row(record: SampleRecord, cap: int = EVIDENCE_TEXT_CAP) -> dict[str, Any]:
    """The record's JSON with its long texts cut to ``cap`` characters and ``truncated`` saying which."""
    row = record.as_json()
    truncated: dict[str, int] = {}
    for name in CAPPED_FIELDS:
        text = row.get(name)
        if isinstance(text, str) and len(text) > cap:
            truncated[name] = len(text)
            row[name] = text[:cap]
    row["truncated"] = truncated
    return row


def samples_path(report_dir: Path, task_id: str, variant_id: str) -> Path:
    return report_dir / "samples" / task_id / f"{variant_id}.jsonl"


def _link_cached_png(source: Path | None, target: Path) -> bool:
    """Hard-link the sample cache's PNG of an image into the report (no copy, no encoding); False if that cannot
    be done (no cached file, another file system): the caller writes the bytes instead. The link is made under a
    temporary name and moved into place, so concurrent workers never see half an image."""
    if source is None:
        return False
    temporary = target.with_name(f".{target.name}.{os.getpid()}.link")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary.unlink(missing_ok=True)
        os.link(source, temporary)
        os.replace(temporary, target)
    except OSError:
        temporary.unlink(missing_ok=True)
        return False
    return True


def write_variant_evidence(report_dir: Path, run: VariantRun, cap: int = EVIDENCE_TEXT_CAP) -> Path:
    """Write the per-sample JSONL of one variant and any image not saved yet; return the JSONL path.

    Texts longer than ``cap`` characters are cut (see :func:`sample_row`).
    """
    images_dir = report_dir / "images"
    for record in run.records:
        for image in record.sample.images:
            target = images_dir / f"{image.sha256}.png"
            if not target.exists() and not _link_cached_png(image.png_file, target):
                write_atomic(target, image.png_bytes())
    path = samples_path(report_dir, run.spec.id, run.variant.id)
    lines = "".join(dumps(sample_row(record, cap)) + "\n" for record in run.records)
    write_atomic(path, lines.encode())
    return path
