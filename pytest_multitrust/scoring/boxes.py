"""Bounding-box parsing and the official ``iou_judge`` (T.1 grounding)."""

from __future__ import annotations

import json
from collections.abc import Sequence

Box = tuple[float, float, float, float]


def parse_box(text: str) -> Box | None:
    """Parse a predicted box as HEAD's ``iou_judge`` does; None where it counts as a miss.

    The string loses every ``'''`` and newline, then leading/trailing ``[``/``]``; it is split on commas and
    each part is stripped and read as a float or an ``a/b`` fraction. Unparsable parts are skipped and a box
    with other than 4 numbers is a miss (HEAD). v0.1.0 raised ``ValueError`` on such strings and crashed the
    whole run; we keep HEAD's behaviour. A division by zero (``1/0``) raised ``ZeroDivisionError`` in both
    versions; here the whole box is a miss instead (skipping only that part could turn a 5-part answer into
    a 4-number box and a hit the official code never awards).
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
    """1 when the predicted box overlaps the ground truth with IoU strictly above 0.5 (0.5 itself fails)."""
    gt = json.loads(truth) if isinstance(truth, str) else list(truth)
    box = parse_box(predicted)
    if box is None:
        return 0
    return int(iou((gt[0], gt[1], gt[2], gt[3]), box) > 0.5)
