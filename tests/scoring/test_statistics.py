"""Means, rounding points, accuracy, chi-square and the grouped mean against the official score scripts."""

from __future__ import annotations

import json
import math
import random

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import chi2_contingency

from pytest_multitrust.scoring.statistics import (
    accuracy,
    chi2_independence_p,
    grouped_mean,
    mean,
    percent2,
    round4,
    round4_numpy,
)

NAN = math.nan

# -- mean ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [([1, 0, 1, 1], 0.75), ([0.5], 0.5), ([1, 2], 1.5), ((v for v in [0, 1]), 0.5)],
    ids=["flags", "one", "two", "generator"],
)
def test_mean(values: list[float], expected: float) -> None:
    assert mean(values) == expected


@pytest.mark.parametrize("values", [[], [NAN], [1.0, NAN, 0.0], [math.inf, -math.inf]], ids=str)
def test_mean_is_nan_when_empty_or_any_nan(values: list[float]) -> None:
    assert math.isnan(mean(values))


def test_mean_adds_left_to_right_like_compute_rank() -> None:
    # compute_rank.py writes sum(x) / len(x); numpy's pairwise sum differs in the last bit here.
    assert mean([0.1] * 10) == sum([0.1] * 10) / 10 == 0.09999999999999999


@given(st.lists(st.integers(0, 1), min_size=1, max_size=500))
def test_mean_of_flags_equals_numpy_pred_mean(flags: list[int]) -> None:
    assert mean(flags) == float(np.array(flags).mean())


# -- rounding -----------------------------------------------------------------------------------------------

ROUND4 = [
    (2 / 3, 0.6667),
    (1 / 3, 0.3333),
    (1 / 7, 0.1429),
    (0.12345, 0.1235),  # the binary value lies just above the tie
    (0.03125, 0.0312),  # an exact tie goes to even
    (1 / 160, 0.0063),  # 0.00625 is stored slightly above the tie
    (1.0, 1.0),
    (0.0, 0.0),
]


@pytest.mark.parametrize(("value", "expected"), ROUND4, ids=[repr(v[0]) for v in ROUND4])
def test_round4(value: float, expected: float) -> None:
    assert round4(value) == expected


ROUND4_NUMPY = [
    (2 / 3, 0.6667),
    (0.03125, 0.0312),
    (1 / 160, 0.0062),  # numpy scales first: 0.00625 * 10**4 is exactly 62.5, which rounds to even
    (3 / 160, 0.0188),  # 187.5 rounds to even, up this time (round4 gives 0.0187)
    (1.0, 1.0),
]


@pytest.mark.parametrize(("value", "expected"), ROUND4_NUMPY, ids=[repr(v[0]) for v in ROUND4_NUMPY])
def test_round4_numpy(value: float, expected: float) -> None:
    assert round4_numpy(value) == expected


@pytest.mark.parametrize("rounder", [round4, round4_numpy, percent2])
def test_rounding_keeps_nan(rounder: object) -> None:
    assert math.isnan(rounder(NAN))  # type: ignore[operator]


@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_round4_numpy_is_the_official_numpy_expression(kn: tuple[int, int]) -> None:
    k, n = kn
    flags = np.array([1] * k + [0] * (n - k))
    # e.g. f4-stereo-query.py: round(refusal.mean(), 4) on a numpy array of 0/1 flags
    assert round4_numpy(mean([1] * k + [0] * (n - k))) == round(flags.mean(), 4)


@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_round4_is_the_official_python_expression(kn: tuple[int, int]) -> None:
    k, n = kn
    # e.g. r3-ood_text.py: round(data["total_results"][key], 4) on the float read back from the JSON log
    logged = json.loads(json.dumps(np.array([1] * k + [0] * (n - k)).mean()))
    assert round4(mean([1] * k + [0] * (n - k))) == round(logged, 4)


PERCENT2 = [
    (1 / 3, 33.33),
    (2 / 3, 66.67),
    (0.12345, 12.35),
    (0.00125, 0.12),  # 0.125 is exact: ties go to even
    (0.00375, 0.38),
    (1.0, 100.0),
    (0.0, 0.0),
]


@pytest.mark.parametrize(("rate", "expected"), PERCENT2, ids=[repr(v[0]) for v in PERCENT2])
def test_percent2(rate: float, expected: float) -> None:
    assert percent2(rate) == expected


@given(st.floats(0, 1))
def test_percent2_is_the_number_the_official_string_denotes(rate: float) -> None:
    official = format(100 * np.float64(rate), ".2f")  # the T scripts format a numpy float
    assert percent2(rate) == float(official)
    assert format(percent2(rate), ".2f") == official


# -- accuracy -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("truths", "predictions", "expected"),
    [([1, 0, 1, 1], [1, 1, 1, 0], 0.5), ([1, 0], [1, 0], 1.0), ([1], [0], 0.0), (["1", "0"], [1, 0], 0.0)],
    ids=["half", "all", "none", "string-labels"],
)
def test_accuracy(truths: list[int], predictions: list[int], expected: float) -> None:
    assert accuracy(truths, predictions) == expected


def test_accuracy_of_nothing_is_nan() -> None:
    assert math.isnan(accuracy([], []))


def test_accuracy_length_mismatch_raises() -> None:
    with pytest.raises(ValueError):
        accuracy([1, 0], [1])


# -- chi-square (F.6) ---------------------------------------------------------------------------------------


def _f6_column(counts: dict[str, tuple[int, int]]) -> tuple[list[str], list[int]]:
    """Attribute and suitable columns from {attribute value: (suitable count, not-suitable count)}."""
    attribute: list[str] = []
    outcome: list[int] = []
    for value, (yes, no) in counts.items():
        attribute += [value] * (yes + no)
        outcome += [1] * yes + [0] * no
    return attribute, outcome


def test_chi2_2x2_uses_yates_correction() -> None:
    # Table [[8, 2], [3, 7]]: every expected count is 4.5 or 5.5, |O - E| = 2.5 in each cell.
    # Yates: chi2 = (2.5 - 0.5)**2 * (2/4.5 + 2/5.5) = 320/99; 1 dof: p = erfc(sqrt(chi2 / 2)).
    attribute, outcome = _f6_column({"male": (8, 2), "female": (3, 7)})
    p = chi2_independence_p(attribute, outcome)
    assert p == pytest.approx(math.erfc(math.sqrt(160 / 99)), rel=1e-12)
    assert p == pytest.approx(0.0721982, abs=1e-7)
    # without the correction (chi2 = 500/99) the same table would count as significant
    uncorrected = math.erfc(math.sqrt(250 / 99))
    assert uncorrected < 0.05 < p
    assert chi2_contingency([[3, 7], [8, 2]], correction=False).pvalue == pytest.approx(uncorrected, rel=1e-12)


def test_chi2_larger_tables_have_no_correction() -> None:
    # Table [[2, 8], [5, 5], [8, 2]]: all expected counts 5, chi2 = 36/5, 2 dof: p = exp(-chi2 / 2).
    attribute, outcome = _f6_column({"young": (2, 8), "middle": (5, 5), "old": (8, 2)})
    assert chi2_independence_p(attribute, outcome) == pytest.approx(math.exp(-3.6), rel=1e-12)


@pytest.mark.parametrize(
    "counts",
    [{"male": (10, 0), "female": (7, 0)}, {"male": (0, 4), "female": (0, 9)}, {"male": (3, 5)}],
    ids=["all-suitable", "none-suitable", "one-attribute-value"],
)
def test_chi2_single_row_or_column_gives_1(counts: dict[str, tuple[int, int]]) -> None:
    assert chi2_independence_p(*_f6_column(counts)) == 1.0


def test_chi2_on_no_observations_is_nan() -> None:
    assert math.isnan(chi2_independence_p([], []))


def test_chi2_independent_columns_give_1() -> None:
    # Observed equals expected: Yates cannot push the statistic below 0, p = 1.
    assert chi2_independence_p(*_f6_column({"a": (5, 5), "b": (5, 5)})) == 1.0


def test_chi2_length_mismatch_raises() -> None:
    with pytest.raises(ValueError):
        chi2_independence_p(["a", "b"], [1])


CROSSTABS = st.dictionaries(
    st.sampled_from(["light", "medium", "dark", "male", "female"]),
    st.tuples(st.integers(0, 30), st.integers(0, 30)),
    min_size=1,
).filter(lambda d: all(y + n > 0 for y, n in d.values()))


@given(CROSSTABS, st.randoms(use_true_random=False))
def test_chi2_is_scipy_on_the_shuffled_crosstab(counts: dict[str, tuple[int, int]], rnd: random.Random) -> None:
    attribute, outcome = _f6_column(counts)
    rows = list(zip(attribute, outcome, strict=True))
    rnd.shuffle(rows)
    p = chi2_independence_p([a for a, _ in rows], [o for _, o in rows])
    table = [[no, yes] for yes, no in counts.values()]
    columns_used = [c for c in range(2) if any(r[c] for r in table)]
    if len(table) < 2 or len(columns_used) < 2:
        assert p == 1.0
    else:
        assert p == pytest.approx(float(chi2_contingency(table).pvalue), rel=1e-12, abs=1e-300)


# -- grouped mean -------------------------------------------------------------------------------------------

F2_LIKE = {
    "stereo-agreement-text": 0.9,
    "stereo-agreement-related-image": 0.6,
    "stereo-agreement-unrelated-image-color": 0.1,
    "stereo-agreement-unrelated-image-nature": 0.2,
    "stereo-agreement-unrelated-image-noise": 0.3,
}


def test_grouped_mean_weighs_the_unrelated_variants_as_one() -> None:
    unrelated = (0.1 + 0.2 + 0.3) / 3
    assert grouped_mean(F2_LIKE) == (unrelated + 0.9 + 0.6) / 3
    assert grouped_mean(F2_LIKE) == pytest.approx(1.7 / 3)
    assert grouped_mean(F2_LIKE) != pytest.approx(mean(F2_LIKE.values()))


def test_grouped_mean_of_f7_like_files() -> None:
    # F.7: 6 unrelated files count as one value beside 4 others.
    values = {f"plain-unrelated-image-{i}": 0.0 for i in range(6)} | {f"plain-{i}": 1.0 for i in range(4)}
    assert grouped_mean(values) == 0.8


def test_grouped_mean_adds_the_unrelated_mean_first() -> None:
    # compute_rank.py builds [unrelated_average] + others; (0.1 + 0.2) + 0.3 != (0.2 + 0.3) + 0.1 in floats.
    values = {"text": 0.2, "related-image": 0.3, "unrelated-image-color": 0.1}
    assert grouped_mean(values) == (0.1 + 0.2 + 0.3) / 3 == 0.20000000000000004


def test_grouped_mean_without_unrelated_variants_is_the_plain_mean() -> None:
    assert grouped_mean({"text": 0.25, "related-image": 0.75}) == 0.5


def test_grouped_mean_of_only_unrelated_variants() -> None:
    assert grouped_mean({"unrelated-image-color": 0.25, "unrelated-image-noise": 0.75}) == 0.5


@pytest.mark.parametrize("key", ["text", "unrelated-image-noise"])
def test_grouped_mean_propagates_nan(key: str) -> None:
    values = {"text": 0.5, "unrelated-image-color": 0.5, "unrelated-image-noise": 0.5} | {key: NAN}
    assert math.isnan(grouped_mean(values))


def test_grouped_mean_of_nothing_is_nan() -> None:
    assert math.isnan(grouped_mean({}))
