"""Per-sample evidence on disk: ``<report>/samples/<task>/<variant>.jsonl`` and ``<report>/images/<sha>.png``.

Written by whichever process ran the variant, as soon as the variant is scored, with atomic replaces: a crash
later in the session loses nothing already computed.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from pytest_multitrust.models.cache import write_atomic
from pytest_multitrust.runner import VariantRun


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
    return json.dumps(json_safe(value), ensure_ascii=False, sort_keys=True, allow_nan=False)


def samples_path(report_dir: Path, task_id: str, variant_id: str) -> Path:
    return report_dir / "samples" / task_id / f"{variant_id}.jsonl"


def write_variant_evidence(report_dir: Path, run: VariantRun) -> Path:
    """Write the per-sample JSONL of one variant and any image not saved yet; return the JSONL path."""
    images_dir = report_dir / "images"
    for record in run.records:
        for image in record.sample.images:
            target = images_dir / f"{image.sha256}.png"
            if not target.exists():
                write_atomic(target, image.png_bytes())
    path = samples_path(report_dir, run.spec.id, run.variant.id)
    lines = "".join(dumps(record.as_json()) + "\n" for record in run.records)
    write_atomic(path, lines.encode())
    return path
