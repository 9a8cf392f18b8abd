"""R.2 ``benchlmm-mri`` and ``benchlmm-ct``: grey slices of drawn phantoms with exactly placed findings.

- MRI: an axial head slice in a FLAIR-like contrast (scalp bright, skull dark, grey matter brighter than white
  matter, fluid-filled ventricles dark) with bright round lesions in the white matter; magnitude (Rician) noise
  as MRI magnitude images have.
- CT: an axial chest slice in a lung window (air black, lungs dark, soft tissue grey, bone white, the scanner
  table under the patient) with round nodules in the lungs; Gaussian noise.

"Left" and "right" always mean the sides of the image (the questions say so), not the patient's sides.
"""

from __future__ import annotations

import math
import random

import numpy as np

from pytest_multitrust.data.sensor_items import (
    COUNT_OPTIONS,
    SIDES,
    YES_NO,
    SensorItem,
    blur,
    count,
    gaussian_noise,
    grey_image,
    item,
    pick,
    shape_mask,
    smooth_noise,
    yes_no,
)

MRI_KINDS: tuple[str, ...] = ("count", "presence", "side")
CT_KINDS: tuple[str, ...] = ("count", "presence", "side")
MRI_QUESTIONS: dict[str, str] = {
    "count": "How many bright lesions are in this brain MRI slice? Answer with a number.",
    "presence": "Is there a bright lesion in this brain MRI slice? Answer yes or no.",
    "side": "Is the bright lesion in the left or the right half of this MRI image?",
}
CT_QUESTIONS: dict[str, str] = {
    "count": "How many nodules are in the lungs in this chest CT slice? Answer with a number.",
    "presence": "Is there a nodule in the lungs in this chest CT slice? Answer yes or no.",
    "side": "Is the nodule in the lung on the left or on the right side of this CT image?",
}
#: Centres of the lungs (x, y) and their semi-axes, as shares of the image size.
LUNGS: tuple[tuple[float, float], ...] = ((0.31, 0.47), (0.69, 0.47))
LUNG_AXES = (0.125, 0.19)
#: The heart and mediastinum (x, y, semi-axes), drawn over each lung's inner side.
HEART = (0.53, 0.5, 0.095, 0.12)
RIBS = 16

Ellipse = tuple[float, float, float, float]  # centre x, centre y, semi-axis x, semi-axis y (shares of the size)


def _ellipse(size: int, shape: Ellipse) -> np.ndarray:
    x, y, a, b = (v * size for v in shape)
    return shape_mask((size, size), lambda d: d.ellipse((x - a, y - b, x + a, y + b), fill=255))


def _inside(point: tuple[float, float], shape: Ellipse, margin: float) -> bool:
    x, y, a, b = shape
    return ((point[0] - x) / (a - margin)) ** 2 + ((point[1] - y) / (b - margin)) ** 2 <= 1


def _place(
    rng: random.Random, number: int, regions: list[Ellipse], radius: tuple[float, float], halves: list[str]
) -> list[tuple[float, float, float]]:
    """``number`` round findings ``(x, y, r)``, the i-th in ``halves[i]`` ("left", "right" or "any") of the image,
    inside one of ``regions`` clear of its edge, and apart from each other."""
    found: list[tuple[float, float, float]] = []
    for index in range(number):
        for _ in range(10_000):
            r = rng.uniform(*radius)
            region = rng.choice(regions)
            x = rng.uniform(region[0] - region[2], region[0] + region[2])
            y = rng.uniform(region[1] - region[3], region[1] + region[3])
            half = halves[index]
            if (half == "left" and x > 0.45) or (half == "right" and x < 0.55):
                continue
            if _inside((x, y), region, r + 0.02) and all(math.dist((x, y), f[:2]) > r + f[2] + 0.04 for f in found):
                found.append((x, y, r))
                break
        else:  # the regions leave room for four findings: this would be a drawing bug
            raise RuntimeError(f"no room for finding {index + 1} of {number} in {regions}")
    return found


def _findings(kind: str, slot: int, rng: random.Random) -> tuple[str, int, list[str]]:
    """The answer of a question of ``kind``, how many findings to draw and in which half each goes."""
    if kind == "count":
        number = count(slot)
        return str(number), number, ["any"] * number
    if kind == "presence":
        answer = yes_no(slot)
        return answer, int(answer == "yes"), ["any"]
    if kind == "side":
        side = pick(slot, ("left", "right"))
        return side, 1, [side]
    raise KeyError(f"no question kind {kind!r}; expected one of {', '.join(MRI_KINDS)}")


def _rician(rng: random.Random, signal: np.ndarray, sigma: float) -> np.ndarray:
    """The magnitude of the signal plus complex Gaussian noise: what an MRI magnitude image shows."""
    real = signal + gaussian_noise(rng, signal.shape, sigma)
    imaginary = gaussian_noise(rng, signal.shape, sigma)
    result: np.ndarray = np.sqrt(real**2 + imaginary**2)
    return result


def render_mri(kind: str, slot: int, rng: random.Random, size: int) -> SensorItem:
    """One axial brain MRI slice and its question of ``kind`` (see :data:`MRI_KINDS`)."""
    answer, number, halves = _findings(kind, slot, rng)
    squash = rng.uniform(0.95, 1.05)  # head shapes vary a little
    signal = np.zeros((size, size))
    layers: list[tuple[Ellipse, float]] = [
        ((0.5, 0.5, 0.36 * squash, 0.44), 0.6),  # scalp
        ((0.5, 0.5, 0.335 * squash, 0.415), 0.07),  # skull
        ((0.5, 0.5, 0.315 * squash, 0.39), 0.52),  # grey matter
        ((0.5, 0.5, 0.26 * squash, 0.33), 0.38),  # white matter
        ((0.46, 0.47, 0.032, 0.1), 0.1),  # ventricles
        ((0.54, 0.47, 0.032, 0.1), 0.1),
    ]
    for shape, value in layers:
        signal[_ellipse(size, shape)] = value
    brain = _ellipse(size, (0.5, 0.5, 0.315 * squash, 0.39))
    signal += brain * smooth_noise(rng, size, 2.5, 0.05)  # gyri and tissue texture
    signal[shape_mask((size, size), lambda d: d.line((size / 2, 0.12 * size, size / 2, 0.3 * size), 0, 2))] = 0.12
    white = [(0.35, 0.5, 0.09, 0.26), (0.65, 0.5, 0.09, 0.26)]  # beside the ventricles
    lesions = _place(rng, number, white, (0.022, 0.04), halves)
    for x, y, r in lesions:
        signal[_ellipse(size, (x, y, r, r * rng.uniform(0.8, 1.2)))] = rng.uniform(0.88, 1.0)
    image = grey_image(_rician(rng, blur(signal, 1.0), 0.03))
    facts: dict[str, object] = {
        "lesions": [{"x": round(x, 3), "y": round(y, 3), "r": round(r, 3)} for x, y, r in lesions]
    }
    options = COUNT_OPTIONS if kind == "count" else YES_NO if kind == "presence" else SIDES
    return item(image, MRI_QUESTIONS[kind], answer, options, kind, facts)


def render_ct(kind: str, slot: int, rng: random.Random, size: int) -> SensorItem:
    """One axial chest CT slice and its question of ``kind`` (see :data:`CT_KINDS`)."""
    answer, number, halves = _findings(kind, slot, rng)
    density = np.zeros((size, size))
    table = shape_mask(
        (size, size), lambda d: d.arc((0.1 * size, 0.55 * size, 0.9 * size, 0.92 * size), 30, 150, 255, 5)
    )
    density[table] = 0.55
    layers: list[tuple[Ellipse, float]] = [
        ((0.5, 0.5, 0.44, 0.32), 0.33),  # subcutaneous fat
        ((0.5, 0.5, 0.41, 0.295), 0.47),  # muscle and soft tissue
        ((*LUNGS[0], *LUNG_AXES), 0.03),
        ((*LUNGS[1], *LUNG_AXES), 0.03),
        (HEART, 0.52),
        ((0.5, 0.75, 0.05, 0.045), 0.95),  # vertebral body
        ((0.5, 0.75, 0.018, 0.016), 0.4),  # spinal canal
    ]
    for shape, value in layers:
        density[_ellipse(size, shape)] = value
    for angle in np.linspace(0.0, 2 * math.pi, RIBS, endpoint=False):  # rib sections along the chest wall
        if abs(math.cos(angle)) > 0.3:  # none in front of the sternum or behind the spine
            density[_ellipse(size, (0.5 + 0.395 * math.cos(angle), 0.5 + 0.283 * math.sin(angle), 0.014, 0.02))] = 0.9
    lungs = [_ellipse(size, (*centre, *LUNG_AXES)) for centre in LUNGS]
    density += (lungs[0] | lungs[1]) * smooth_noise(rng, size, 1.5, 0.025)
    # Nodules keep clear of the heart, which overlaps each lung's inner side.
    regions = [(LUNGS[0][0] - 0.02, LUNGS[0][1], 0.1, 0.18), (LUNGS[1][0] + 0.02, LUNGS[1][1], 0.1, 0.18)]
    nodules = _place(rng, number, regions, (0.018, 0.03), halves)
    for x, y, r in nodules:
        density[_ellipse(size, (x, y, r, r))] = rng.uniform(0.55, 0.66)
    image = grey_image(blur(density, 0.8) + gaussian_noise(rng, (size, size), 0.02))
    facts: dict[str, object] = {
        "nodules": [{"x": round(x, 3), "y": round(y, 3), "r": round(r, 3)} for x, y, r in nodules]
    }
    options = COUNT_OPTIONS if kind == "count" else YES_NO if kind == "presence" else SIDES
    return item(image, CT_QUESTIONS[kind], answer, options, kind, facts)
