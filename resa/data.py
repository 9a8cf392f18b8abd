"""``resa data``: the RESA training set as JSONL, with its images as PNG files beside it.

Eleven kinds, ``per_kind`` items each (64 by default: 704 rows):

- five **harmful** forms of a training activity (``resa/banks.py``): ``text`` (asked in the text, no image),
  ``typography`` (only in the image, with a short instruction as text), ``unrelated-image`` (asked in the
  text, with a colour, noise or landscape picture), ``crossmodal-image`` (a benign-sounding question about an
  image that names the activity under its category's emblem) and ``crossmodal-text`` (asked in the text, with
  the emblem alone). Target: the reasoning, then :data:`~resa.targets.REFUSAL`.
- the same five forms of each activity's **benign look-alike**, item for item: benign item *i* of a form is
  the look-alike of harmful item *i*, asked with the same template (and, for ``crossmodal-text``, the same
  emblem picture). Target: the reasoning, then the look-alike's helpful answer.
- ``utility``: yes/no statements about drawn pictures from the suite's own T.1 and T.2 generators (objects,
  attributes, scenes, spatial relations, clocks, comparisons, traffic, balances and circuits), drawn with a
  seed stream of their own. Target: the reasoning, then the answer ("Yes." / "No." for T.1's prompt, with a
  short explanation for T.2's). Left out: T.2's translate, daily, math and code items, whose statements come
  from fixed banks of facts the suite evaluates.

Categories run round-robin inside each kind (exactly balanced when ``per_kind`` is a multiple of 8), activities
in a seeded order per form. Everything is drawn from ``(seed, kind, index)``: the same seed gives the same
bytes. Images of the harmful and benign forms come at sizes the suite never uses (typography and captioned
emblems 480 px wide, unrelated pictures 320 px, bare emblems 480 x 360), so none can equal a suite image,
whatever the seed; utility pictures keep the generators' 336 px and differ by their random stream (the tests
check both against every suite image).

With a ``teacher`` (any backend, opened through the registry and the response cache), the reasoning is the
teacher's, asked with :data:`~resa.targets.TEACHER_PROMPT`; an answer that fails to parse, names the wrong
verdict, or would trip the suite's rule (a benign rationale with a refusal keyword, a utility rationale with a
yes keyword) falls back to the template, and the row says why.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from pytest_multitrust.data.figstep import emblem_for, emblem_panel, keyword_image
from pytest_multitrust.data.images import ImageRef, rng_for
from pytest_multitrust.data.typography import render_text
from pytest_multitrust.data.unrelated import UNRELATED_KINDS, unrelated_image
from pytest_multitrust.models.protocol import GenerationParams, Model, Request
from pytest_multitrust.scoring.refusal import is_refusal
from pytest_multitrust.scoring.yes_no import yes_no
from resa.banks import (
    CATEGORIES,
    CROSSMODAL_IMAGE_PROMPTS,
    EMBLEM_DESCRIPTIONS,
    HARMFUL_BY_CATEGORY,
    LOOKALIKES_BY_CATEGORY,
    TEXT_TEMPLATES,
    TYPOGRAPHY_LAYOUTS,
    UNRELATED_DESCRIPTIONS,
)
from resa.data_utility import UtilityItem, utility_item
from resa.targets import (
    FORMS,
    NO_IMAGE,
    REFUSAL,
    STYLES,
    TEACHER_MAX_NEW_TOKENS,
    VERDICTS,
    Form,
    Rationale,
    Style,
    TargetFormatError,
    Verdict,
    compact_target,
    format_target,
    parse_teacher_rationale,
    teacher_prompt,
    template_rationale,
)

#: The kinds, in file order: ``<harmful|benign>-<form>`` for the five forms, then ``utility``.
KINDS: tuple[str, ...] = (*(f"{verdict}-{form}" for verdict in VERDICTS for form in FORMS), "utility")
DEFAULT_PER_KIND = 64
#: Sizes no suite image has (the suite's typography and captioned emblems are 512 wide, unrelated images 336).
TYPOGRAPHY_WIDTH = 480
UNRELATED_SIZE = 320
EMBLEM_SIZE = (480, 360)
#: Teacher requests per ``generate`` call (progress is reported between calls).
TEACHER_BATCH = 16
#: Bump when the builder's output for a seed changes: recorded in the summary.
BUILDER_VERSION = 1


@dataclass(frozen=True)
class Item:
    """One training item before it is written: what the model sees, the parts of its target, its origin."""

    id: str
    kind: str
    label: Verdict
    category: str
    prompt: str
    images: tuple[ImageRef, ...]
    rationale: Rationale
    answer: str
    hint: str
    source: dict[str, Any]
    truth: int | None = None  # utility items: 1 for a true statement


@dataclass
class DatasetSummary:
    """What :func:`build_dataset` wrote.

    Attributes:
        path: the JSONL file; ``images_dir`` the folder of PNGs beside it (paths in rows are relative to
            ``path.parent``).
        sha256: of the JSONL bytes (the data hash a training manifest records).
        by_kind, by_category: row counts.
        teacher: the teacher's spec and fingerprint, or None; ``teacher_rationales`` how many rows carry the
            teacher's reasoning and ``teacher_fallbacks`` how many fell back to the template (each row says why).
    """

    path: Path
    images_dir: Path
    seed: int
    per_kind: int
    rows: int
    images: int
    sha256: str
    by_kind: dict[str, int]
    by_category: dict[str, int]
    teacher: dict[str, str] | None = None
    teacher_rationales: int = 0
    teacher_fallbacks: int = 0
    builder_version: int = BUILDER_VERSION
    style: str = "full"

    def as_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path), "images_dir": str(self.images_dir), "seed": self.seed,
            "per_kind": self.per_kind, "rows": self.rows, "images": self.images, "sha256": self.sha256,
            "by_kind": self.by_kind, "by_category": self.by_category, "teacher": self.teacher,
            "teacher_rationales": self.teacher_rationales, "teacher_fallbacks": self.teacher_fallbacks,
            "builder_version": self.builder_version, "style": self.style,
        }  # fmt: skip


# --- items -----------------------------------------------------------------------------------------------------


def _order(seed: int, form: Form, category: str) -> list[int]:
    """The seeded order in which a form visits a category's activities (shared by harmful and benign)."""
    ranks = list(range(len(HARMFUL_BY_CATEGORY[category])))
    rng_for("resa", seed, "order", form, category).shuffle(ranks)
    return ranks


def _resized(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    return image if image.size == size else image.resize(size, Image.Resampling.BILINEAR)


def _form_item(seed: int, verdict: Verdict, form: Form, index: int) -> Item:
    category = CATEGORIES[index % len(CATEGORIES)]
    rank = _order(seed, form, category)[(index // len(CATEGORIES)) % len(HARMFUL_BY_CATEGORY[category])]
    request, answer = HARMFUL_BY_CATEGORY[category][rank], REFUSAL
    if verdict == "benign":
        request, answer = LOOKALIKES_BY_CATEGORY[category][rank]
    kind = f"{verdict}-{form}"
    item_id = f"{kind}/{index:04d}"
    # Keyed by form, not kind: a benign item and its harmful twin get the same template, layout and emblem, so
    # that the activity is all that tells them apart.
    rng = rng_for("resa", seed, form, index)
    source: dict[str, Any] = {"bank": "harmful" if verdict == "harmful" else "lookalike", "rank": rank}
    images: tuple[ImageRef, ...] = ()
    image_line = NO_IMAGE
    where = f"builtin:resa/{item_id}"
    if form == "typography":
        layout = sorted(TYPOGRAPHY_LAYOUTS)[rng.randrange(len(TYPOGRAPHY_LAYOUTS))]
        shown, described, prompts = TYPOGRAPHY_LAYOUTS[layout]
        template = rng.randrange(len(prompts))
        prompt = prompts[template]
        picture = render_text(shown.format(request=request), width=TYPOGRAPHY_WIDTH, max_height=TYPOGRAPHY_WIDTH)
        images, image_line = (ImageRef.of(picture, where),), described.format(request=request)
        source.update(layout=layout, template=template)
    elif form == "crossmodal-image":
        template = rng.randrange(len(CROSSMODAL_IMAGE_PROMPTS))
        prompt = CROSSMODAL_IMAGE_PROMPTS[template]
        picture = keyword_image(request, category, random.Random(rng.random()))
        height = round(picture.height * TYPOGRAPHY_WIDTH / picture.width)
        images = (ImageRef.of(_resized(picture, (TYPOGRAPHY_WIDTH, height)), where),)
        image_line = f'{EMBLEM_DESCRIPTIONS[category]} above the caption "{request}"'
        source.update(template=template, image="emblem+caption")
    else:
        template = rng.randrange(len(TEXT_TEMPLATES))
        prompt = TEXT_TEMPLATES[template].format(request=request)
        source.update(template=template)
        if form == "unrelated-image":
            unrelated = UNRELATED_KINDS[(index // len(CATEGORIES)) % len(UNRELATED_KINDS)]
            picture = unrelated_image(unrelated, seed, f"resa/{item_id}").image
            images = (ImageRef.of(_resized(picture, (UNRELATED_SIZE, UNRELATED_SIZE)), where),)
            image_line = UNRELATED_DESCRIPTIONS[unrelated]
            source.update(image=unrelated)
        elif form == "crossmodal-text":
            picture = emblem_panel(emblem_for(category), random.Random(rng.random()))
            images = (ImageRef.of(_resized(picture, EMBLEM_SIZE), where),)
            image_line = f"{EMBLEM_DESCRIPTIONS[category]}, with no words"
            source.update(image="emblem")
    source["request"] = request
    hint = (
        f"it asks for {request}, a {category} request"
        if verdict == "harmful"
        else f"it asks about {request}, which only sounds like a {category} request"
    )
    return Item(
        id=item_id, kind=kind, label=verdict, category=category, prompt=prompt, images=images,
        rationale=template_rationale(form, verdict, category, request, image_line), answer=answer, hint=hint,
        source=source,
    )  # fmt: skip


def _utility(seed: int, index: int) -> Item:
    built: UtilityItem = utility_item(seed, index)
    item_id = f"utility/{index:04d}"
    return Item(
        id=item_id, kind="utility", label="benign", category="utility", prompt=built.prompt,
        images=(ImageRef.of(built.image, f"builtin:resa/{item_id}"),), rationale=built.rationale,
        answer=built.answer, hint="it is a plain question about the picture", source=built.source, truth=built.truth,
    )  # fmt: skip


def build_items(seed: int, per_kind: int = DEFAULT_PER_KIND) -> list[Item]:
    """Every item, kind after kind (see the module docstring), without writing anything."""
    if per_kind < 1:
        raise ValueError(f"per_kind must be at least 1, got {per_kind}")
    items = [
        _form_item(seed, verdict, form, index) for verdict in VERDICTS for form in FORMS for index in range(per_kind)
    ]
    return items + [_utility(seed, index) for index in range(per_kind)]


# --- targets ---------------------------------------------------------------------------------------------------


def rule_problem(item: Item, target: str) -> str | None:
    """Why ``target`` would mislead the suite's rules about ``item``, or None.

    A harmful target must read as a refusal under both refusal lists and a benign one under neither; a utility
    target (scored by the yes/no rule, never for refusal: "No." is a refusal keyword) must give the item's truth
    under the official yes/no rule.
    """
    refused = [is_refusal(target, "paper"), is_refusal(target, "head")]
    if item.label == "harmful" and not all(refused):
        return "the refusal does not read as one under both refusal lists"
    if item.label == "benign" and item.truth is None and any(refused):
        return "it contains a refusal keyword"
    if item.truth is not None and yes_no(target) != item.truth:
        return f"the yes/no rule reads it as {'no' if item.truth else 'yes'}"
    return None


def template_target(item: Item, style: Style = "full") -> str:
    """The item's target with its template rationale (a rule problem here is a bug in the banks)."""
    if style == "compact":
        target = compact_target(item.kind, item.category, item.answer)
    else:
        target = format_target(item.rationale, item.answer)
    problem = rule_problem(item, target)
    if problem:
        raise AssertionError(f"RESA template target of {item.id}: {problem}: {target!r}")
    return target


def teacher_targets(
    items: Sequence[Item], teacher: Model, progress: Callable[[str], None] | None = None
) -> list[tuple[str, str | None]]:
    """(target, why the template was used instead, or None) per item, with the teacher's rationales."""
    results: list[tuple[str, str | None]] = []
    for start in range(0, len(items), TEACHER_BATCH):
        batch = items[start : start + TEACHER_BATCH]
        requests = [
            Request(
                id=f"resa-teacher/{item.id}",
                prompt=teacher_prompt(item.prompt, item.label, item.hint),
                images=item.images,
                params=GenerationParams(max_new_tokens=TEACHER_MAX_NEW_TOKENS),
            )
            for item in batch
        ]
        for item, response in zip(batch, teacher.generate(requests), strict=True):
            results.append(_teacher_target(item, response.text, response.error))
        if progress:
            progress(f"teacher asked for {len(results)}/{len(items)} rationales")
    return results


def _teacher_target(item: Item, text: str, error: str | None) -> tuple[str, str | None]:
    if error is not None:
        return template_target(item), f"teacher error: {error}"
    try:
        target = format_target(parse_teacher_rationale(text, item.label), item.answer)
    except TargetFormatError as exc:
        return template_target(item), str(exc)
    problem = rule_problem(item, target)
    return (template_target(item), f"teacher rationale rejected: {problem}") if problem else (target, None)


# --- writing ---------------------------------------------------------------------------------------------------


def images_dir_for(out: Path) -> Path:
    """The folder of PNGs beside the JSONL file ``out``: ``<stem>-images``."""
    return out.with_name(f"{out.stem}-images")


def check_out(out: Path) -> None:
    """Refuse an output path that cannot be written, with one line naming it and what to do."""
    if out.is_dir():
        raise ValueError(f"--out {out} is a folder; give a file name such as {out / 'resa-train.jsonl'}")
    images = images_dir_for(out)
    if images.exists() and (not images.is_dir() or any(p.suffix != ".png" for p in images.iterdir())):
        raise ValueError(
            f"{images} exists and holds files this builder did not write; remove it or choose another --out"
        )


def build_dataset(
    out: Path,
    seed: int,
    teacher: Model | None = None,
    per_kind: int = DEFAULT_PER_KIND,
    progress: Callable[[str], None] | None = None,
    style: Style = "full",
) -> DatasetSummary:
    """Build the training set and write it to ``out`` (JSONL), its images to ``<stem>-images/`` beside it and a
    summary to ``<stem>.summary.json``. The old files are replaced only once the new ones are complete.

    ``style`` ``compact`` writes the one-line reasoning of :mod:`resa.targets` (for byte-level tiny tokenizers); a
    teacher only writes full-style rationales.

    Raises:
        ValueError: ``out`` or its image folder cannot be used, ``per_kind`` < 1, or a teacher with the compact
            style (one line each).
    """
    if style not in STYLES:
        raise ValueError(f"style must be one of {', '.join(STYLES)}, got {style!r}")
    if style == "compact" and teacher is not None:
        raise ValueError("--teacher writes full reasoning: drop --style compact or --teacher")
    out = Path(out)
    check_out(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    items = build_items(seed, per_kind)
    if progress:
        progress(f"built {len(items)} items ({per_kind} per kind, seed {seed})")
    notes: list[str | None]
    if teacher is None:
        targets, notes = [template_target(item, style) for item in items], [None] * len(items)
    else:
        pairs = teacher_targets(items, teacher, progress)
        targets, notes = [t for t, _ in pairs], [n for _, n in pairs]
    images_dir = images_dir_for(out)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.stem}-", dir=out.parent))
    try:
        rows, image_count = _write_images(items, staging, images_dir.name)
        lines = []
        for row, target, note in zip(rows, targets, notes, strict=True):
            row.update(target=target, rationale="template" if teacher is None or note else "teacher")
            if note:
                row["teacher_note"] = note
            lines.append(json.dumps(row, ensure_ascii=False))
        data = ("\n".join(lines) + "\n").encode()
        jsonl_tmp = staging / "data.jsonl"
        jsonl_tmp.write_bytes(data)
        if images_dir.exists():
            shutil.rmtree(images_dir)
        os.replace(staging / "images", images_dir)
        os.replace(jsonl_tmp, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    summary = DatasetSummary(
        path=out, images_dir=images_dir, seed=seed, per_kind=per_kind, rows=len(items), images=image_count,
        sha256=hashlib.sha256(data).hexdigest(), by_kind=dict(Counter(item.kind for item in items)),
        by_category=dict(sorted(Counter(item.category for item in items).items())),
        teacher={"spec": teacher.spec, "fingerprint": teacher.fingerprint()} if teacher is not None else None,
        teacher_rationales=sum(1 for n in notes if n is None) if teacher is not None else 0,
        teacher_fallbacks=sum(1 for n in notes if n is not None), style=style,
    )  # fmt: skip
    summary_path = out.with_name(f"{out.stem}.summary.json")
    summary_path.write_text(json.dumps(summary.as_json(), indent=2) + "\n", encoding="utf-8")
    if progress:
        progress(f"wrote {summary.rows} rows and {image_count} images to {out}")
    return summary


def _write_images(items: Sequence[Item], staging: Path, folder: str) -> tuple[list[dict[str, Any]], int]:
    """Write each item's images as ``<folder>/<kind>-<index>-<n>.png`` under ``staging/images``; the rows,
    without their targets."""
    (staging / "images").mkdir()
    rows: list[dict[str, Any]] = []
    count = 0
    for item in items:
        paths: list[str] = []
        for number, image in enumerate(item.images):
            name = f"{item.id.replace('/', '-')}-{number}.png"
            image.image.save(staging / "images" / name, format="PNG")
            paths.append(f"{folder}/{name}")
            count += 1
        rows.append({
            "id": item.id, "kind": item.kind, "label": item.label, "category": item.category,
            "prompt": item.prompt, "images": paths, "image_sha256": [image.sha256 for image in item.images],
            "source": item.source,
        })  # fmt: skip
    return rows, count
