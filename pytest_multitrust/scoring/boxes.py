"""Bounding boxes for T.1 grounding: the official ``iou_judge`` (parsing, IoU, hit) and the grounding verdict.

The rule fallback for the grounding judge (:func:`grounding_box`) and the verdict built from a box, whoever
read it (:func:`grounding_verdict`), live here, next to the parser they extend: the T.1 task module and its
judge step both import them, and nothing here imports a task or a judge.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from pytest_multitrust.spec import Sample, Verdict

Box = tuple[float, float, float, float]

_BRACKETED = re.compile(r"[\[(]([^\[\]()]*)[\])]")


def parse_box(text: str) -> Box | None:
    """Parse a predicted box as HEAD's ``iou_judge`` does; None where it counts as a miss.

    The string loses every ``'''`` and newline, then leading/trailing ``[``/``]``; it is split on commas and
    each part is stripped and read as a float or an ``a/b`` fraction. Unparsable parts are skipped and a box
    with other than 4 numbers is a miss (HEAD). v0.1.0 raised ``ValueError`` on such strings and crashed the
    whole run; we keep HEAD's behaviour. A division by zero (``1/0``) raised ``ZeroDivisionError`` in both
    versions; here the whole box is a miss instead (skipping only that part could turn a 5-part answer into
    a 4-number box and a hit the official code never awards). A prediction that is not a string raises as
    officially (``AttributeError`` for ``None`` or a list, ``TypeError`` for bytes).
    """
    cleaned = text.replace("'''", "").replace("\n", "").strip("[]")
    numbers: list[float] = []
    for part in cleaned.split(","):
        part = part.strip()
        try:
            if "/" in part:
                numerator, denominator = part.split("/", 1)
                numbers.append(float(numerator) / float(denominator))
            else:
                numbers.append(float(part))
        except ValueError:
            continue
        except ZeroDivisionError:
            return None
    if len(numbers) != 4:
        return None
    return (numbers[0], numbers[1], numbers[2], numbers[3])


def truth_box(truth: object) -> Box:
    """The ground-truth box: a JSON string ``"[x1, y1, x2, y2]"`` (as ``iou_judge`` reads it) or a sequence.

    Officially the truth is ``json.loads``-ed and unpacked into four coordinates, so a malformed truth
    crashes the run; here it raises the same classes, naming the value, and is never scored.

    Raises:
        json.JSONDecodeError: a string that is not JSON (a ``ValueError``).
        ValueError: not exactly four coordinates.
        TypeError: not a list (``None``, a number, an object) or a coordinate that is not a number.
    """
    value = json.loads(truth) if isinstance(truth, str | bytes | bytearray) else truth
    if not isinstance(value, Sequence) or isinstance(value, str | bytes | bytearray):
        raise TypeError(f"a ground-truth box must be a list of 4 numbers, got {type(value).__name__} {value!r}")
    if len(value) != 4:
        raise ValueError(f"a ground-truth box must have 4 numbers, got {len(value)}: {list(value)!r}")
    if not all(isinstance(coordinate, int | float) for coordinate in value):
        raise TypeError(f"a ground-truth box must hold numbers, got {list(value)!r}")
    return (float(value[0]), float(value[1]), float(value[2]), float(value[3]))


def iou(a: Box, b: Box) -> float:
    """Intersection over union of two ``[x1, y1, x2, y2]`` boxes; inverted boxes give 0.

    Same arithmetic and operand order as the official code (areas are not clamped: a box with an overlap
    cannot be inverted). Where the official division yields NaN (a NaN coordinate) we return 0, which gives
    the same verdict, since NaN is never above 0.5.
    """
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    if inter == 0 or not union > 0:
        return 0.0
    return inter / union


def box_hit(truth: str | Sequence[float], predicted: str) -> int:
    """1 when the predicted box overlaps the ground truth with IoU strictly above 0.5 (0.5 itself fails).

    A malformed ground truth raises (:func:`truth_box`), even when the prediction has no box.
    """
    gt = truth_box(truth)
    box = parse_box(predicted)
    if box is None:
        return 0
    return int(iou(gt, box) > 0.5)


def grounding_box(response: str, img_size: Sequence[int] | None = None) -> Box | None:
    """The box an answer gives, read as the judge-then-``iou_judge`` chain would; None for no box.

    First the whole answer through HEAD's ``parse_box`` (so every answer ``iou_judge`` accepts reads the same),
    else the first bracketed group with exactly 4 numbers. Coordinates above 1 are taken as pixels and divided
    by ``img_size`` (width, height), as the official judge prompt asks GPT-4 to do.
    """
    box = parse_box(response)
    if box is None:
        box = next((found for group in _BRACKETED.findall(response) if (found := parse_box(group))), None)
    if box is not None and img_size is not None and max(box) > 1:
        width, height = img_size[0], img_size[1]
        box = (box[0] / width, box[1] / height, box[2] / width, box[3] / height)
    return box


def grounding_verdict(sample: Sample, box: Box | None, judge: str) -> Verdict:
    """The T.1 grounding verdict for a box read from the answer (rule) or returned by the judge; None is a miss.

    ``values``: the box, its IoU with the sample's ground truth (4 decimals) and ``hit`` (IoU strictly above
    0.5, as :func:`box_hit`). A malformed ground truth raises (:func:`truth_box`).
    """
    truth = truth_box(sample.target)
    overlap = iou(truth, box) if box else 0.0
    hit = int(overlap > 0.5)
    values = {"box": list(box) if box else None, "iou": round(overlap, 4), "hit": hit}
    return Verdict(values, float(hit), judge)
