"""P.3 data: the information-flow bank and its labels, the balanced order, the prompt/label file reader and the
14 actor illustrations."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from pytest_multitrust.data.banks.infoflow import SCALE, VIGNETTES, vignettes_rated
from pytest_multitrust.data.images import font, pixel_sha256
from pytest_multitrust.data.infoflow import RatedLinesError, builtin_order, read_lines, read_rated_lines
from pytest_multitrust.data.infoflow_images import (
    ACTOR_PAIRS,
    IMAGE_COUNT,
    INFO_FONT,
    LABEL_FONT,
    MIN_FONT,
    PANEL,
    SIZE,
    actor_illustration,
)
from pytest_multitrust.scoring.match_and_score import TEXT_MAP, read_rating

# --- the bank -------------------------------------------------------------------------------------------------------


def test_sixty_vignettes_twelve_per_rating_with_the_documented_factor_pairs() -> None:
    assert len(VIGNETTES) == 60 and len({v.scenario for v in VIGNETTES}) == 60
    assert Counter(v.label for v in VIGNETTES) == {label: 12 for label in SCALE}
    assert all(v.norm in (-1, 0, 1) and v.purpose_fit in (-1, 0, 1) for v in VIGNETTES)
    pairs = Counter((v.norm, v.purpose_fit) for v in VIGNETTES)
    assert pairs == {
        (1, 1): 12,
        (1, 0): 6, (0, 1): 6,
        (0, 0): 4, (1, -1): 4, (-1, 1): 4,
        (-1, 0): 6, (0, -1): 6,
        (-1, -1): 12,
    }  # fmt: skip
    assert all(v.label == 50 * (v.norm + v.purpose_fit) for v in VIGNETTES)


def test_scenarios_name_who_what_whom_and_why_and_carry_no_rating() -> None:
    phrases = re.compile("|".join(re.escape(p) for p in TEXT_MAP), re.IGNORECASE)
    for v in VIGNETTES:
        assert (
            v.scenario
            == f"{v.holder[0].upper()}{v.holder[1:]} shares {v.information} with {v.recipient} in order to {v.purpose}."
        )
        assert all(part.strip() and part == part.strip() for part in (v.holder, v.information, v.recipient, v.purpose))
        assert not re.search(r"\d", v.scenario) and not phrases.search(v.scenario), v.scenario
        assert read_rating(v.scenario).failed and "\\" not in v.scenario and "\n" not in v.scenario
        assert v.scenario.isascii()


def test_vignettes_rated_rejects_an_off_scale_rating() -> None:
    assert len(vignettes_rated(-50)) == 12
    with pytest.raises(ValueError, match="not a rating of the scale"):
        vignettes_rated(25)


# --- the built-in order ------------------------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_the_order_is_the_whole_bank_with_every_rating_in_each_block(seed: int) -> None:
    order = builtin_order(seed, "p3")
    assert sorted(order, key=VIGNETTES.index) == list(VIGNETTES)
    for start in range(0, len(order), 5):
        assert sorted(v.label for v in order[start : start + 5]) == list(SCALE)
    assert builtin_order(seed, "p3") == order


def test_the_order_depends_on_the_seed_and_the_task() -> None:
    assert builtin_order(0, "p3") != builtin_order(1, "p3")
    assert builtin_order(0, "p3") != builtin_order(0, "other")


# --- the prompt / label file reader ---------------------------------------------------------------------------------


def _files(tmp_path: Path, prompts: bytes, labels: bytes) -> tuple[Path, Path]:
    (tmp_path / "p.txt").write_bytes(prompts)
    (tmp_path / "l.txt").write_bytes(labels)
    return tmp_path / "p.txt", tmp_path / "l.txt"


def test_lines_are_read_as_upstream_load_txt_reads_them(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(b"  one \\n two  \r\nthree\rfour\t\nfive")
    assert read_lines(path, "x.txt") == ["one \\n two", "three", "four", "five"]
    path.write_bytes(b"a\nb\n\n  \n")
    assert read_lines(path, "x.txt") == ["a", "b"]  # trailing blank lines ignored
    path.write_bytes(b"")
    assert read_lines(path, "x.txt") == []


def test_rated_lines_pair_prompts_with_labels(tmp_path: Path) -> None:
    prompts, labels = _files(tmp_path, b"first\nsecond\n", b"1.26\n-19.84")
    lines = read_rated_lines(prompts, labels, ("p.txt", "l.txt"))
    assert [(r.text, r.label, r.source) for r in lines] == [("first", 1.26, "p.txt:1"), ("second", -19.84, "p.txt:2")]


@pytest.mark.parametrize(
    ("prompts", "labels", "message"),
    [
        (b"a\n\nb\n", b"1\n2\n3\n", "p.txt:2 is blank; expected one entry per line"),
        (b"a\nb\n", b"1\n\n2\n", "l.txt:2 is blank"),
        (b"a\n", b"one\n", "l.txt:1 holds 'one'; expected a rating (a number)"),
        (b"a\n", b"inf\n", "l.txt:1 holds 'inf'; expected a finite rating"),
        (b"a\nb\n", b"1\n", "p.txt has 2 prompt(s) but l.txt has 1 label(s); expected one label per prompt"),
        (b"", b"", "p.txt holds no prompt"),
        (b"\xff\n", b"1\n", "cannot read p.txt"),
    ],
)
def test_malformed_files_are_one_line_errors(tmp_path: Path, prompts: bytes, labels: bytes, message: str) -> None:
    paths = _files(tmp_path, prompts, labels)
    with pytest.raises(RatedLinesError, match=re.escape(message)) as error:
        read_rated_lines(*paths, names=("p.txt", "l.txt"))
    assert "\n" not in str(error.value)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(RatedLinesError, match=r"cannot read .*nope\.txt"):
        read_rated_lines(tmp_path / "nope.txt", tmp_path / "nope2.txt")


# --- the illustrations ---------------------------------------------------------------------------------------------


def test_fourteen_distinct_illustrations_of_512_px_cycling_by_index() -> None:
    assert IMAGE_COUNT == 14 == len(ACTOR_PAIRS)
    hashes = [pixel_sha256(actor_illustration(0, index)) for index in range(IMAGE_COUNT)]
    assert len(set(hashes)) == 14
    assert (
        pixel_sha256(actor_illustration(0, 14)) == hashes[0] and pixel_sha256(actor_illustration(0, 27)) == hashes[13]
    )
    assert actor_illustration(0, 3).size == (SIZE, SIZE) and actor_illustration(0, 3).mode == "RGB"
    assert pixel_sha256(actor_illustration(1, 0)) != hashes[0]  # the figures' looks follow the seed


def test_an_illustration_is_a_fresh_copy() -> None:
    image = actor_illustration(0, 5)
    image.paste(Image.new("RGB", (SIZE, SIZE), (0, 0, 0)))
    assert actor_illustration(0, 5).getpixel((SIZE // 2, 10)) != (0, 0, 0)


def test_every_label_fits_at_a_legible_size() -> None:
    # Labels shrink from LABEL_FONT (information: INFO_FONT) only down to MIN_FONT (22 px on 512 px).
    assert MIN_FONT >= 18 and LABEL_FONT >= MIN_FONT and INFO_FONT >= MIN_FONT
    for pair in ACTOR_PAIRS:
        assert font(MIN_FONT).getlength(pair.information) <= SIZE - 40
        assert max(font(LABEL_FONT).getlength(pair.sender), font(LABEL_FONT).getlength(pair.recipient)) <= PANEL + 40
