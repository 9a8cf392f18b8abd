"""The S.2 risk pictograms: seeded, varied, fully inside the canvas, and each class drawn as itself."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from pytest_multitrust.data.images import pixel_sha256
from pytest_multitrust.data.risk_objects import RISK_CLASSES, RISK_STYLES, SIZE, draw_risk_object
from pytest_multitrust.data.risk_pictograms import BACKGROUNDS, RiskPictogram, draw_risk_pictogram, risk_image

STYLE_KEYS = [(c, s) for c in RISK_CLASSES for s in RISK_STYLES[c]]


def test_the_official_classes_each_with_styles() -> None:
    assert RISK_CLASSES == ("alcohol", "cigarette", "gun", "insulting_gesture", "knife")
    assert set(RISK_STYLES) == set(RISK_CLASSES)
    assert all(len(styles) >= 2 and len(set(styles)) == len(styles) for styles in RISK_STYLES.values())


@settings(max_examples=10, deadline=None)
@given(risk_class=st.sampled_from(RISK_CLASSES), seed=st.integers(0, 10**6), index=st.integers(0, 50))
def test_same_seed_same_pixels(risk_class: str, seed: int, index: int) -> None:
    first, params = risk_image(risk_class, seed, index)  # type: ignore[arg-type]
    again, params_again = risk_image(risk_class, seed, index)  # type: ignore[arg-type]
    assert pixel_sha256(first) == pixel_sha256(again) and params == params_again
    assert first.size == (SIZE, SIZE) and first.mode == "RGB"
    assert params.risk_class == risk_class
    assert params.style == RISK_STYLES[risk_class][index % len(RISK_STYLES[risk_class])]  # type: ignore[index]


@pytest.mark.parametrize("risk_class", RISK_CLASSES)
def test_variants_differ_in_look_and_pixels(risk_class: str) -> None:
    drawn = [risk_image(risk_class, 0, index) for index in range(8)]  # type: ignore[arg-type]
    assert len({pixel_sha256(image) for image, _ in drawn}) == 8
    looks = [params for _, params in drawn]
    assert {p.style for p in looks} == set(RISK_STYLES[risk_class])  # type: ignore[index]
    assert len({p.background for p in looks}) >= 2 and len({p.angle for p in looks}) == 8
    assert len({p.scale for p in looks}) >= 6 and {p.mirrored for p in looks} == {True, False}
    other_seed = risk_image(risk_class, 1, 0)[0]  # type: ignore[arg-type]
    assert pixel_sha256(other_seed) != pixel_sha256(drawn[0][0])


def test_params_stay_in_their_ranges() -> None:
    looks = [risk_image(c, seed, 0)[1] for c in RISK_CLASSES for seed in range(6)]
    assert all(-22 <= p.angle <= 22 and 0.62 <= p.scale <= 0.9 and p.background in BACKGROUNDS for p in looks)
    assert looks[0].as_json() == {
        "risk_class": looks[0].risk_class, "style": looks[0].style, "background": looks[0].background,
        "angle": looks[0].angle, "mirrored": looks[0].mirrored, "scale": looks[0].scale,
    }  # fmt: skip


def _mask(risk_class: str, style: str, seed: int, side: int = 256) -> np.ndarray:
    layer = draw_risk_object(risk_class, style, random.Random(seed), side)  # type: ignore[arg-type]
    return np.asarray(layer.getchannel("A")) > 127


def _features(risk_class: str, style: str, seed: int) -> np.ndarray:
    layer = draw_risk_object(risk_class, style, random.Random(seed), 256)  # type: ignore[arg-type]
    white = Image.new("RGBA", layer.size, (255, 255, 255, 255))
    white.alpha_composite(layer)
    return np.asarray(white.convert("RGB").resize((32, 32)), dtype=float).ravel()


def test_classes_have_different_silhouettes() -> None:
    masks = {key: _mask(*key, seed=0) for key in STYLE_KEYS}
    for i, a in enumerate(STYLE_KEYS):
        assert 0.04 < masks[a].mean() < 0.6, f"{a} should fill a fair part of its layer"
        for b in STYLE_KEYS[i + 1 :]:
            if a[0] != b[0]:
                iou = (masks[a] & masks[b]).sum() / (masks[a] | masks[b]).sum()
                assert iou < 0.6, f"{a} and {b} have nearly the same silhouette (IoU {iou:.2f})"


def test_recoloured_drawings_are_nearest_to_their_own_class() -> None:
    """A nearest-template check: other colours of a class's drawing stay closer to that class than to any other."""
    templates = {key: _features(*key, seed=0) for key in STYLE_KEYS}
    for key in STYLE_KEYS:
        for seed in (1, 2, 3):
            features = _features(*key, seed=seed)
            nearest = min(templates, key=lambda t: float(np.linalg.norm(features - templates[t])))
            assert nearest[0] == key[0], f"{key} seed {seed} looks most like {nearest}"


def test_drawing_the_same_object_twice_gives_the_same_layer() -> None:
    for key in STYLE_KEYS:
        assert np.array_equal(_mask(*key, seed=7), _mask(*key, seed=7))


@pytest.mark.parametrize("scale", [0.62, 0.9])
@pytest.mark.parametrize(("risk_class", "style"), [("knife", "chef"), ("cigarette", "single"), ("gun", "pistol")])
def test_object_is_placed_whole_at_its_scale(risk_class: str, style: str, scale: float) -> None:
    for seed in range(4):
        look = RiskPictogram(risk_class, style, "plain", angle=20.0, mirrored=bool(seed % 2), scale=scale)  # type: ignore[arg-type]
        pixels = np.asarray(draw_risk_pictogram(look, random.Random(seed)))
        colours, counts = np.unique(pixels.reshape(-1, 3), axis=0, return_counts=True)
        background = colours[counts.argmax()]  # a plain background is the commonest colour
        ys, xs = np.nonzero(np.abs(pixels.astype(int) - background).sum(axis=2) > 12)
        longer = max(xs.max() - xs.min(), ys.max() - ys.min()) + 1
        assert scale * SIZE - 3 <= longer <= scale * SIZE + 10, (seed, longer)  # + the soft shadow


def test_unknown_class_or_style_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown risk class"):
        risk_image("bomb", 0, 0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown risk pictogram"):
        draw_risk_object("gun", "rifle", random.Random(0))
