"""T.1 official data: the five query files of ``truthfulness/query_basic/`` and their ``basic_images/`` folders.

Checked against thu-ml/MMTrustEval: ``mmte/datasets/basic_understanding.py`` (``BasicData``: rows ``image``,
``query``, ``truth``; "Yes"/"No" become 1/0 for ``d-*``; grounding reads the image size), the dataset configs
``mmte/configs/datasets/basic-obejct.yaml``, ``basic-scene.yaml``, ``basic-ocr.yaml`` and, for attribute and
grounding (whose HEAD configs ``basic-attribute.yaml`` / ``basic-grounding.yaml`` are not in our index),
``d-basic-attribute.yaml`` / ``g-basic-grounding.yaml``; ``mmte/configs/task/truthfulness/t1-basic-grounding.yaml``
(the judge gets ``{img_size}``) and ``mmte/evaluators/metrics.py`` (``iou_judge`` reads the truth with
``json.loads`` and compares it with the judge's normalized box as it is).

So the grounding truth is a JSON string ``"[xmin, ymin, xmax, ymax]"`` already in the normalized frame: it is
decoded, never rescaled; the image size (width, height of the file, as PIL reports it) only goes to the judge
prompt and to our rule fallback, which rescales pixel answers. As officially, rows keep the file's order and a
``d-*`` or OCR row whose image is missing is skipped.

Deviations, each where upstream would crash or silently score wrong:

- a ``d-*`` truth other than "Yes"/"No" stayed the raw string upstream (``print("no label")``) and broke the
  accuracy; we accept any case and surrounding spaces and report other values as a data error;
- a grounding row whose image is missing crashed upstream (the image is opened for its size before the
  existence check); here it is a data error naming the row;
- a grounding truth that is not 4 finite numbers crashed (or never matched) in ``iou_judge``; here it is a data
  error when loading. A truth already decoded to a JSON list is accepted as well;
- the judge prompt shows the size as ``[width, height]`` (a JSON list) where upstream printed a tuple.
"""

from __future__ import annotations

import json
import math
from typing import Any

from pytest_multitrust.data.official import OfficialData
from pytest_multitrust.spec import DataOptions, JSONValue, Sample, Variant, sample_id

#: Variant id -> (query file stem, image folder) of the official layout.
OFFICIAL_SUBSETS: dict[str, tuple[str, str]] = {
    "d-basic-object": ("d_existence", "object"),
    "d-basic-attribute": ("d_attribute", "attribute"),
    "d-basic-scene": ("d_scene", "scene"),
    "g-basic-grounding": ("g_grounding", "grounding"),
    "g-basic-ocr": ("g_ocr", "ocr"),
}
OFFICIAL_QUERIES = "truthfulness/query_basic/query_{stem}.json"
OFFICIAL_IMAGES = "truthfulness/basic_images/{folder}"
GROUNDING = "g-basic-grounding"


def _subset(variant: Variant) -> tuple[str, str]:
    try:
        stem, folder = OFFICIAL_SUBSETS[variant.id]
    except KeyError:
        raise KeyError(f"task t1 has no official file for variant {variant.id!r}") from None
    return OFFICIAL_QUERIES.format(stem=stem), OFFICIAL_IMAGES.format(folder=folder)


def official_files(variant: Variant) -> tuple[str, ...]:
    """The variant's query file and its image folder (the images named inside are checked as they are read)."""
    return _subset(variant)


def _yes_no_truth(data: OfficialData, truth: Any, context: str) -> int:
    value = str(truth).strip().lower()
    if value not in ("yes", "no"):
        raise data.error(f"{context} has truth {truth!r}; expected Yes or No")
    return int(value == "yes")


def _box_truth(data: OfficialData, truth: Any, context: str) -> list[float]:
    """The truth box as ``iou_judge`` reads it: ``json.loads`` of the string, 4 numbers, no rescaling."""
    try:
        box = json.loads(truth) if isinstance(truth, str) else truth
    except ValueError:
        box = None
    numbers = box if isinstance(box, list) else []
    if len(numbers) != 4 or not all(
        isinstance(n, int | float) and not isinstance(n, bool) and math.isfinite(n) for n in numbers
    ):
        raise data.error(f"{context} has truth {truth!r}; expected a box '[xmin, ymin, xmax, ymax]' of 4 numbers")
    return [float(n) for n in numbers]


def _text_truth(data: OfficialData, truth: Any, context: str) -> str:
    if not isinstance(truth, str | int | float) or isinstance(truth, bool):
        raise data.error(f"{context} has truth {truth!r}; expected the text in the image")
    return str(truth)


def read_official(variant: Variant, options: DataOptions, template: str) -> list[Sample]:
    """The samples of one T.1 variant from the official release, prompts formatted with ``template``."""
    data = OfficialData.of(variant, options)
    queries, images = _subset(variant)
    samples: list[Sample] = []
    for context, row in data.json_records(queries):
        image_name = str(data.field(row, "image", context))
        statement = str(data.field(row, "query", context))
        truth = data.field(row, "truth", context)
        relative = f"{images}/{image_name}"
        extra: dict[str, JSONValue] = {"statement": statement, "image": image_name}
        target: JSONValue
        if variant.id == GROUNDING:
            target = _box_truth(data, truth, context)
            image = data.image(relative)
            extra["img_size"] = list(data.image_size(relative))  # from the header: pixels wait for --limit
        else:
            if not (data.root / relative).is_file():
                continue  # upstream warns and drops the row
            if variant.id.startswith("d-"):
                target = _yes_no_truth(data, truth, context)
            else:
                target = _text_truth(data, truth, context)
            image = data.image(relative)
        samples.append(Sample(
            id=sample_id(variant, len(samples)), prompt=template.format(Statement=statement), target=target,
            images=(image,), extra=extra,
        ))  # fmt: skip
    return samples
