"""Box parsing, IoU and the grounding verdict against HEAD's measured ``iou_judge`` semantics; a malformed
ground truth or prediction raises as ``iou_judge`` does, never scores."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_multitrust.scoring.boxes import Box, box_hit, grounding_verdict, iou, parse_box, truth_box
from pytest_multitrust.spec import Sample

BOX = (0.1, 0.2, 0.5, 0.6)

PARSED = [
    ("[0.1, 0.2, 0.5, 0.6]", BOX),
    ("[0.1,0.2,0.5,0.6]", BOX),
    ("0.1, 0.2, 0.5, 0.6", BOX),
    ("'''[0.1, 0.2, 0.5, 0.6]'''", BOX),
    ("[0.1,\n 0.2,\n 0.5,\n 0.6]\n", BOX),
    ("[[0.1, 0.2, 0.5, 0.6]]", BOX),
    ("[ 0.1 , 0.2 , 0.5 , 0.6 ]", BOX),
    ("[1e-1, 2E-1, .5, 6e-1]", BOX),
    ("[10, 20, 50, 60]", (10.0, 20.0, 50.0, 60.0)),
    # fractions
    ("[1/10, 1/5, 1/2, 3/5]", BOX),
    ("[ 1 / 2 , 0 , 1 , 1 ]", (0.5, 0.0, 1.0, 1.0)),
    # HEAD skips unparsable parts, so a fifth junk part is harmless...
    ("[0.1, 0.2, abc, 0.5, 0.6]", BOX),
    ("[1/2/3, 0.1, 0.2, 0.5, 0.6]", BOX),
    ("[x/0, 0.1, 0.2, 0.5, 0.6]", BOX),
    # ...but a box with other than 4 numbers is a miss
    ("[0.1, 0.2, 0.5, 0.6, 0.7]", None),
    ("[0.1, 0.2, 0.5]", None),
    ("[0.1 0.2 0.5 0.6]", None),
    ("", None),
    ("[]", None),
    # leading spaces keep the "[" on the first number; parentheses and backticks are not stripped
    ("  [0.1 , 0.2 , 0.5 , 0.6]  ", None),
    ("(0.1, 0.1, 0.5, 0.5)", None),
    ("```[0.1, 0.2, 0.5, 0.6]```", None),
    ("Box: [0.1, 0.2, 0.5, 0.6]", None),
    # 1/0 raised ZeroDivisionError officially; here the whole box is a miss, even with 4 other numbers
    ("[1/0, 0.2, 0.5, 0.6]", None),
    ("[1/0, 0.1, 0.2, 0.5, 0.6]", None),
    ("[0.1, 0.2, 0.5, 0.6, 0/0]", None),
]


@pytest.mark.parametrize(("text", "expected"), PARSED, ids=[repr(v[0]) for v in PARSED])
def test_parse_box(text: str, expected: Box | None) -> None:
    assert parse_box(text) == expected


NAN = math.nan
IOUS = [
    ((0, 0, 1, 1), (0, 0, 1, 1), 1.0),
    ((0, 0, 1, 1), (0, 0, 0.5, 1), 0.5),
    ((0, 0, 2, 2), (1, 1, 3, 3), 1 / 7),
    ((0, 0, 1, 1), (2, 2, 3, 3), 0.0),
    ((0, 0, 1, 1), (1, 0, 2, 1), 0.0),  # touching edges
    ((0, 0, 1, 1), (0.5, 0.5, 0.5, 0.5), 0.0),  # zero area
    ((0.1, 0.2, 0.5, 0.6), (0.5, 0.6, 0.1, 0.2), 0.0),  # inverted prediction
    ((0.5, 0.6, 0.1, 0.2), (0.5, 0.6, 0.1, 0.2), 0.0),  # both inverted, identical
    ((0, 0, 1, 1), (1, 0, 0, 1), 0.0),  # inverted in x only
    ((0, 0, 1, 1), (0, 0, 0.5, NAN), 0.0),  # NaN: the official IoU is NaN, never a hit
    ((0, 0, 1, 1), (0, 0, math.inf, 1), 0.0),
]


@pytest.mark.parametrize(("a", "b", "expected"), IOUS, ids=[f"{v[0]}-{v[1]}" for v in IOUS])
def test_iou(a: Box, b: Box, expected: float) -> None:
    assert iou(a, b) == expected


HITS = [
    ("[0, 0, 1, 1]", "[0, 0, 0.5, 1]", 0),  # IoU exactly 0.5 fails
    ("[0, 0, 2, 1]", "[0, 0, 1, 1]", 0),
    ("[0, 0, 1, 1]", "[0, 0, 0.51, 1]", 1),
    ("[0.1, 0.2, 0.5, 0.6]", "[0.1, 0.2, 0.5, 0.6]", 1),
    ([0.1, 0.2, 0.5, 0.6], "[0.1, 0.2, 0.5, 0.6]", 1),
    ((0.1, 0.2, 0.5, 0.6), "'''[0.1, 0.2, 0.5, 0.6]'''", 1),
    ("[0.1, 0.2, 0.5, 0.6]", "[0.5, 0.6, 0.1, 0.2]", 0),  # inverted
    ("[0.1, 0.2, 0.5, 0.6]", "  [0.1 , 0.2 , 0.5 , 0.6]  ", 0),
    ("[0.1, 0.1, 0.5, 0.5]", "(0.1, 0.1, 0.5, 0.5)", 0),
    ("[0.1, 0.2, 0.5, 0.6]", "[1/10, 1/5, 1/2, 3/5]", 1),
    ("[0.1, 0.2, 0.5, 0.6]", "[0.1, 0.2, abc, 0.5, 0.6]", 1),
    ("[0.1, 0.2, 0.5, 0.6]", "[1/0, 0.1, 0.2, 0.5, 0.6]", 0),
    ("[0, 0, 1, 1]", "[0, 0, 0.5, nan]", 0),  # clamping the NaN area to 0 used to make this a hit
    ("[0, 0, 1, 1]", "", 0),
    ("[0, 0, 1, 1]", "I cannot locate it.", 0),
]


@pytest.mark.parametrize(("truth", "predicted", "expected"), HITS, ids=[repr(v[1]) for v in HITS])
def test_box_hit(truth: str | tuple[float, ...], predicted: str, expected: int) -> None:
    assert box_hit(truth, predicted) == expected


# -- properties ---------------------------------------------------------------------------------------------

COORD = st.floats(min_value=-10, max_value=10, allow_nan=False)
BOXES = st.tuples(COORD, COORD, COORD, COORD)


@given(st.text())
def test_parse_box_never_crashes(text: str) -> None:
    box = parse_box(text)
    assert box is None or len(box) == 4


@given(st.text(), st.sampled_from(["[0, 0, 1, 1]", "[0.1, 0.2, 0.5, 0.6]"]))
def test_box_hit_never_crashes_and_returns_0_or_1(predicted: str, truth: str) -> None:
    assert box_hit(truth, predicted) in (0, 1)


@given(BOXES, st.sampled_from(["[{}, {}, {}, {}]", "{}, {}, {}, {}", "'''[{},{},{},{}]'''", "[{},\n{},\n{},\n{}]"]))
def test_formatted_boxes_parse_back_exactly(box: Box, template: str) -> None:
    assert parse_box(template.format(*map(repr, box))) == box


@given(BOXES, BOXES)
def test_iou_is_symmetric_and_bounded(a: Box, b: Box) -> None:
    value = iou(a, b)
    assert value == iou(b, a)
    assert 0.0 <= value <= 1.0 + 1e-12


@given(BOXES)
def test_iou_with_itself(a: Box) -> None:
    proper = a[2] > a[0] and a[3] > a[1] and (a[2] - a[0]) * (a[3] - a[1]) > 0
    assert iou(a, a) == (1.0 if proper else 0.0)


@given(BOXES, BOXES)
def test_box_hit_is_iou_strictly_above_half(truth: Box, predicted: Box) -> None:
    assert box_hit(list(truth), "[{}, {}, {}, {}]".format(*map(repr, predicted))) == int(iou(truth, predicted) > 0.5)


# -- malformed input: raise the classes ``iou_judge`` raises (``json.loads`` + unpacking into 4 coordinates) --

TRUTHS = [
    ("[0.1, 0.2, 0.5, 0.6]", BOX),
    ([0.1, 0.2, 0.5, 0.6], BOX),
    ((0, 0, 1, 1), (0.0, 0.0, 1.0, 1.0)),
    ("[1, 2, 3, 4]", (1.0, 2.0, 3.0, 4.0)),
]


@pytest.mark.parametrize(("truth", "expected"), TRUTHS, ids=[repr(t[0]) for t in TRUTHS])
def test_truth_box_reads_json_strings_and_sequences(truth: object, expected: Box) -> None:
    assert truth_box(truth) == expected


BAD_TRUTHS = [
    ("[0.1, 0.2, 0.5]", ValueError, "must have 4 numbers, got 3"),  # officially: not enough values to unpack
    ("[0.1, 0.2, 0.5, 0.6, 0.7]", ValueError, "must have 4 numbers, got 5"),  # too many values to unpack
    ([0.1, 0.2, 0.5], ValueError, "must have 4 numbers"),
    ("[]", ValueError, "must have 4 numbers, got 0"),
    ("not json", json.JSONDecodeError, "Expecting value"),  # a ValueError, as json.loads raises
    ("", json.JSONDecodeError, "Expecting value"),
    (None, TypeError, "list of 4 numbers, got NoneType"),  # json.loads(None)
    (5, TypeError, "got int"),
    ("5", TypeError, "got int"),  # cannot unpack a non-iterable
    ('{"x1": 0, "y1": 0, "x2": 1, "y2": 1}', TypeError, "got dict"),
    ('"abcd"', TypeError, "got str"),
    ('["0.1", "0.2", "0.5", "0.6"]', TypeError, "must hold numbers"),  # str vs float comparison
    ("[0.1, null, 0.5, 0.6]", TypeError, "must hold numbers"),
    ([[0.1], 0.2, 0.5, 0.6], TypeError, "must hold numbers"),
]


@pytest.mark.parametrize(("truth", "error", "message"), BAD_TRUTHS, ids=[repr(t[0]) for t in BAD_TRUTHS])
def test_a_truth_that_is_not_four_numbers_raises(truth: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        truth_box(truth)
    with pytest.raises(error):  # even when the prediction holds no box: never a quiet miss
        box_hit(truth, "I cannot locate it.")  # type: ignore[arg-type]
    with pytest.raises(error):
        grounding_verdict(Sample(id="t1/g-basic-grounding/0000", prompt="p", target=truth), BOX, "rule:iou")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("predicted", "error"),
    [(None, AttributeError), (["[0, 0, 1, 1]"], AttributeError), (b"[0, 0, 1, 1]", TypeError)],
    ids=["none", "list", "bytes"],
)
def test_a_prediction_that_is_not_a_string_raises_as_officially(predicted: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        parse_box(predicted)  # type: ignore[arg-type]
    with pytest.raises(error):
        box_hit("[0, 0, 1, 1]", predicted)  # type: ignore[arg-type]


def test_grounding_verdict_scores_the_box_against_the_samples_truth() -> None:
    sample = Sample(id="t1/g-basic-grounding/0000", prompt="p", target=[0.0, 0.0, 1.0, 1.0])
    hit = grounding_verdict(sample, (0.0, 0.0, 0.51, 1.0), "rule:iou")
    assert hit.values == {"box": [0.0, 0.0, 0.51, 1.0], "iou": 0.51, "hit": 1} and hit.score == 1.0
    half = grounding_verdict(sample, (0.0, 0.0, 0.5, 1.0), "llm:judge")
    assert half.values["hit"] == 0 and half.values["iou"] == 0.5 and half.judge == "llm:judge"
    assert grounding_verdict(sample, None, "rule:iou").values == {"box": None, "iou": 0.0, "hit": 0}
