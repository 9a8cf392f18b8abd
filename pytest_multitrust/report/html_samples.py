"""The per-variant part of the HTML report: each variant's worst samples with their images (downscaled and
embedded as data URIs), prompt, response and verdict, read from the run's evidence files.

Samples are ranked as :meth:`pytest_multitrust.runner.VariantRun.worst` ranks them (errors first, then the lowest
sample score). A variant whose samples all scored 1, or whose task has no per-sample score (F.6's chi-square),
shows its first samples instead, and says so.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping, Sequence
from typing import Any

from pytest_multitrust.report.evidence import EVIDENCE_TEXT_CAP
from pytest_multitrust.report.html_format import TEXT_CAP, json_text, text
from pytest_multitrust.report.run_dir import RunDir

#: The longest side of an embedded image, in pixels (the evidence PNGs are 300-500 px).
THUMBNAIL_SIDE = 256
JPEG_QUALITY = 75


def badness(row: Mapping[str, Any]) -> float:
    """How bad a sample row is, as ``VariantRun.worst`` reckons it: 2 for an error (no verdict), else 1 minus its
    sample score (a verdict without a score counts as fine)."""
    if row.get("verdict") is None:
        return 2.0
    score = row.get("sample_score")
    return 1.0 - (float(score) if isinstance(score, int | float) else 1.0)


def worst_rows(rows: Sequence[Mapping[str, Any]], count: int) -> tuple[list[Mapping[str, Any]], bool]:
    """The ``count`` worst rows and True; or, when none is bad at all, the first ``count`` rows and False."""
    bad = sorted((r for r in rows if badness(r) > 0), key=lambda r: (-badness(r), str(r.get("id"))))
    if bad:
        return bad[:count], True
    return list(rows[:count]), False


class Thumbnails:
    """Embedded images of one report: each evidence image is decoded and downscaled once, however many samples
    show it."""

    def __init__(self, run: RunDir) -> None:
        self._run = run
        self._html: dict[str, str] = {}

    def html(self, image: Mapping[str, Any]) -> str:
        """An ``<img>`` with the downscaled image as a data URI, or a note when the run did not save it or it
        cannot be read (the report is still written)."""
        ref = str(image.get("ref", ""))
        if ref not in self._html:
            self._html[ref] = self._render(ref, str(image.get("source") or ""))
        return self._html[ref]

    def _render(self, ref: str, source: str) -> str:
        path = self._run.image_path(ref)
        label = text(f"{source} ({ref[:19]}…)" if source else ref)
        if path is None:
            return f'<span class="note">image not saved in this run: {label}</span>'
        try:
            uri, width, height = _data_uri(path.read_bytes())
        except Exception as exc:  # a damaged or oversized PNG: say which, keep the rest of the report
            return f'<span class="note">image {text(path.name)} cannot be read ({text(type(exc).__name__)})</span>'
        return f'<img src="{uri}" width="{width}" height="{height}" alt="{label}" title="{label}">'


def _data_uri(source: bytes) -> tuple[str, int, int]:
    from PIL import Image

    with Image.open(io.BytesIO(source)) as opened:
        image = opened.convert("RGB")
    image.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    # Whichever is smaller: drawn scenes and rendered text stay lossless PNG, photos and noise become JPEG (a
    # quarter of the PNG's size on the built-in images), so a full run's report stays a few megabytes.
    png, jpeg = io.BytesIO(), io.BytesIO()
    image.save(png, format="PNG")
    image.save(jpeg, format="JPEG", quality=JPEG_QUALITY)
    kind, data = ("png", png.getvalue()) if png.tell() <= jpeg.tell() else ("jpeg", jpeg.getvalue())
    encoded = base64.b64encode(data).decode("ascii")
    return f"data:image/{kind};base64,{encoded}", image.width, image.height


def _field(name: str, value: Any, row: Mapping[str, Any], css: str = "") -> str:
    if value is None or value == "":
        return ""
    body = text(value, TEXT_CAP) if isinstance(value, str) else json_text(value, TEXT_CAP)
    cut = (row.get("truncated") or {}).get(name)
    if cut:
        body += f"\n[the evidence keeps the first {EVIDENCE_TEXT_CAP} of {int(cut)} characters]"
    return f'<dt>{text(name)}</dt><dd><pre class="{css}">{body}</pre></dd>'


def _sample_verdict(row: Mapping[str, Any]) -> str:
    if row.get("verdict") is None:
        return '<span class="badge errored">ERROR</span>'
    score = row.get("sample_score")
    if not isinstance(score, int | float):
        return f'<span class="badge">no sample score</span> <code>{text(row.get("judge") or "")}</code>'
    word = "ok" if score >= 1 else "fail"
    return f'<span class="badge {word}">score {score:.2f}</span> <code>{text(row.get("judge") or "")}</code>'


def sample_html(row: Mapping[str, Any], thumbnails: Thumbnails) -> str:
    """One sample card: id and verdict, images, then error, system prompt, prompt, response, target, verdict
    values and judge output (each text cut to :data:`TEXT_CAP` characters)."""
    images = "".join(thumbnails.html(image) for image in row.get("images") or [] if isinstance(image, Mapping))
    response = row.get("response")
    if response is None and row.get("error") is None:
        response = "(no response)"
    fields = [
        _field("error", row.get("error"), row, "error"),
        _field("system", row.get("system"), row),
        _field("prompt", row.get("prompt"), row),
        _field("response", response, row, "response"),
        _field("target", row.get("target"), row),
        _field("verdict", row.get("verdict"), row),
        _field("judge_output", row.get("judge_output"), row),
    ]
    return (
        f'<div class="sample"><div class="sample-head"><code>{text(row.get("id", "?"))}</code> '
        f"{_sample_verdict(row)}</div>"
        + (f'<div class="images">{images}</div>' if images else "")
        + f"<dl>{''.join(fields)}</dl></div>"
    )


def variant_samples_html(
    run: RunDir, thumbnails: Thumbnails, task_id: str, variant_id: str, count: int
) -> tuple[str, int]:
    """The sample cards of one variant, under a line saying which samples they are; and how many rows the
    variant's evidence file has.

    Raises:
        RunDirError: a line of the evidence file that is not JSON.
    """
    rows = run.variant_rows(task_id, variant_id)
    if not rows:
        where = f"samples/{task_id}/{variant_id}.jsonl"
        return f'<p class="note">no per-sample evidence ({text(where)} is absent)</p>', 0
    if count <= 0:
        return "", len(rows)
    shown, ranked = worst_rows(rows, count)
    if ranked:
        line = f"The worst {len(shown)} of {len(rows)} samples (errors first, then the lowest sample score)."
    else:
        line = f"No sample errored or scored below 1 (or the task has no per-sample score): the first {len(shown)}"
        line += f" of {len(rows)} samples."
    cards = "".join(sample_html(row, thumbnails) for row in shown)
    return f'<p class="note">{text(line)}</p>{cards}', len(rows)
