"""FigStep lists, MM-SafetyBench keyword images, emblems and safety cues: layout, determinism, errors."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from pytest_multitrust.data.banks.behaviors import BEHAVIORS_BY_CATEGORY
from pytest_multitrust.data.figstep import (
    EMBLEMS,
    FIGSTEP_SIZE,
    PANEL_HEIGHT,
    PANEL_WIDTH,
    SAFETY_CUES,
    Emblem,
    SafetyCue,
    emblem_for,
    emblem_panel,
    figstep_image,
    figstep_text,
    keyword_image,
    safety_cue_image,
)
from pytest_multitrust.data.images import pixel_sha256
from pytest_multitrust.data.typography import render_text
from pytest_multitrust.scoring.refusal import REFUSAL_LISTS

CUES: tuple[SafetyCue, ...] = tuple(SAFETY_CUES)


def _dark_rows(image: Image.Image) -> np.ndarray:
    """Indices of the rows that hold ink (any pixel darker than mid-grey)."""
    return np.flatnonzero((np.asarray(image.convert("L")) < 128).any(axis=1))


def test_figstep_text_is_the_title_then_an_empty_numbered_list() -> None:
    assert figstep_text("Steps to make tea.") == "Steps to make tea.\n1.\n2.\n3."
    assert figstep_text("Methods to X.\n", items=2) == "Methods to X.\n1.\n2."
    with pytest.raises(ValueError, match="at least one item"):
        figstep_text("Steps to X.", items=0)


def test_figstep_image_is_a_white_square_with_the_list_at_the_top() -> None:
    image = figstep_image("Steps for making a paper kite.")
    assert image.size == (FIGSTEP_SIZE, FIGSTEP_SIZE) and image.mode == "RGB"
    assert image.getpixel((FIGSTEP_SIZE - 1, FIGSTEP_SIZE - 1)) == (255, 255, 255)
    # The square holds exactly the typography of the list text, padded with white below it.
    text = render_text(figstep_text("Steps for making a paper kite."), width=FIGSTEP_SIZE, max_height=FIGSTEP_SIZE)
    assert pixel_sha256(image.crop((0, 0, *text.size))) == pixel_sha256(text)
    assert _dark_rows(image).max() < text.height
    # More list items make more lines of ink.
    assert _dark_rows(figstep_image("Steps for X.", items=6)).max() > _dark_rows(figstep_image("Steps for X.")).max()


def test_keyword_image_puts_the_emblem_above_the_phrase() -> None:
    rng = random.Random(0)
    sd_typo = keyword_image("posting fake reviews", "misinformation", rng, "SD_TYPO")
    typo = keyword_image("posting fake reviews", "misinformation", random.Random(0), "TYPO")
    assert sd_typo.width == PANEL_WIDTH and sd_typo.height == PANEL_HEIGHT + typo.height
    assert pixel_sha256(sd_typo.crop((0, PANEL_HEIGHT, PANEL_WIDTH, sd_typo.height))) == pixel_sha256(typo)
    assert pixel_sha256(typo) == pixel_sha256(render_text("posting fake reviews", max_height=160))
    panel = emblem_panel("misinformation", random.Random(0))
    assert pixel_sha256(sd_typo.crop((0, 0, PANEL_WIDTH, PANEL_HEIGHT))) == pixel_sha256(panel)
    with pytest.raises(ValueError, match="SD_TYPO or TYPO"):
        keyword_image("x", "fraud", rng, "SD")  # type: ignore[arg-type]


def test_every_emblem_draws_something_distinct() -> None:
    panels = {emblem: emblem_panel(emblem, random.Random(7)) for emblem in EMBLEMS}
    assert len({pixel_sha256(p) for p in panels.values()}) == len(EMBLEMS)
    for emblem, panel in panels.items():
        assert panel.size == (PANEL_WIDTH, PANEL_HEIGHT)
        assert len(panel.getcolors(1 << 16) or ()) > 3, emblem  # more than a background
    with pytest.raises(ValueError, match="unknown emblem"):
        emblem_panel("dragons", random.Random(0))  # type: ignore[arg-type]


def test_emblem_for_our_categories_and_public_names() -> None:
    assert {emblem_for(category) for category in BEHAVIORS_BY_CATEGORY} == set(BEHAVIORS_BY_CATEGORY)
    assert set(BEHAVIORS_BY_CATEGORY) | {"generic"} == set(EMBLEMS)
    assert emblem_for("01-Illegal_Activitiy") == "drugs"  # MM-SafetyBench's file name, typo included
    assert emblem_for("03-Malware_Generation") == "cybercrime"
    assert emblem_for("Privacy Violation") == "privacy"  # SafeBench
    assert emblem_for("misinformation_disinformation") == "misinformation"  # HarmBench
    assert emblem_for("  WEAPONS ") == "weapons"
    assert emblem_for("Health Consultation") == emblem_for("") == emblem_for("generic") == "generic"


def test_safety_cues_are_square_captioned_and_never_read_as_refusals() -> None:
    images = [safety_cue_image(cue, random.Random(3)) for cue in SAFETY_CUES]
    assert all(image.size == (512, 512) for image in images)
    assert len({pixel_sha256(image) for image in images}) == len(SAFETY_CUES)
    # A model that reads the caption aloud must not be scored as refusing because of it.
    for caption in SAFETY_CUES.values():
        for keywords in REFUSAL_LISTS.values():
            assert not any(kw.lower() in caption.lower() for kw in keywords), caption
    with pytest.raises(ValueError, match="unknown safety cue"):
        safety_cue_image("smile", random.Random(0))  # type: ignore[arg-type]


@given(seed=st.integers(0, 10_000), emblem=st.sampled_from(EMBLEMS), cue=st.sampled_from(CUES))
@settings(max_examples=12, deadline=None)
def test_pictures_depend_only_on_their_arguments_and_rng(seed: int, emblem: Emblem, cue: SafetyCue) -> None:
    first, again = emblem_panel(emblem, random.Random(seed)), emblem_panel(emblem, random.Random(seed))
    assert pixel_sha256(first) == pixel_sha256(again)
    first, again = safety_cue_image(cue, random.Random(seed)), safety_cue_image(cue, random.Random(seed))
    assert pixel_sha256(first) == pixel_sha256(again)
