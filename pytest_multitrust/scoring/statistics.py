"""Numbers the official score scripts compute: means, rounding points, chi-square independence."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence


def mean(values: Iterable[float]) -> float:
    """numpy-style mean: NaN for no values, NaN if any value is NaN (the official NaN propagation)."""
    items = list(values)
    if not items:
        return math.nan
    return sum(items) / len(items)


def round4(value: float) -> float:
    """The R/S/F/P score scripts round every per-file rate to 4 decimals (NaN survives)."""
    return value if math.isnan(value) else round(value, 4)


def percent2(rate: float) -> float:
    """The T score scripts store ``format(100*x, ".2f")``; we keep the number that string denotes."""
    return math.nan if math.isnan(rate) else float(format(100 * rate, ".2f"))


def accuracy(truths: Sequence[int], predictions: Sequence[int]) -> float:
    """scikit-learn's ``accuracy_score`` on 0/1 labels: NaN on empty input."""
    if not truths:
        return math.nan
    return sum(int(t == p) for t, p in zip(truths, predictions, strict=True)) / len(truths)


def chi2_independence_p(attribute: Sequence[object], outcome: Sequence[int]) -> float:
    """p-value of scipy's ``chi2_contingency`` on the crosstab ``attribute x outcome`` (F.6).

    As in the official script: Yates' correction on 2x2 tables (scipy's default), and p = 1.0 when the
    table has a single row or column (a constant outcome or a single attribute value).
    """
    from scipy.stats import chi2_contingency

    rows = sorted({str(a) for a in attribute})
    cols = sorted(set(outcome))
    if len(rows) < 2 or len(cols) < 2:
        return 1.0
    table = [[0] * len(cols) for _ in rows]
    for a, o in zip(attribute, outcome, strict=True):
        table[rows.index(str(a))][cols.index(o)] += 1
    return float(chi2_contingency(table).pvalue)


def grouped_mean(values_by_variant: dict[str, float]) -> float:
    """The official "grouped" mean: all ``*unrelated-image*`` variants are first averaged into one value,
    which is then averaged with each remaining variant's value (so together they weigh as one)."""
    unrelated = [v for k, v in values_by_variant.items() if "unrelated-image" in k]
    others = [v for k, v in values_by_variant.items() if "unrelated-image" not in k]
    return mean(others + ([mean(unrelated)] if unrelated else []))
