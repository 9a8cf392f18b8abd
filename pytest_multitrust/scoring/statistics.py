"""Numbers the official score scripts compute: means, rounding points, chi-square independence, binary
classification metrics."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence


def mean(values: Iterable[float]) -> float:
    """``sum(x) / len(x)`` as in ``compute_rank.py``; NaN for no values, NaN if any value is NaN.

    Officially an empty list raised ``ZeroDivisionError`` there and gave NaN in ``pred_mean``; NaN propagates
    either way. For 0/1 flags this equals numpy's mean exactly (the integer sum is exact).
    """
    items = list(values)
    if not items:
        return math.nan
    return sum(items) / len(items)


def round4(value: float) -> float:
    """``round(x, 4)`` on a Python float, as the R/S/F/P score scripts that copy a logged rate (NaN survives).

    Those scripts read ``total_results`` back from JSON, so they round a Python float (correctly rounded,
    ties to even on the exact binary value). Scripts that recompute a rate with numpy use ``round4_numpy``.
    """
    return value if math.isnan(value) else round(value, 4)


def round4_numpy(value: float) -> float:
    """``round(arr.mean(), 4)`` on a numpy float, as the score scripts that recompute a rate from the per-sample
    flags (F.4, F.5, F.7, P.4, P.5, P.6, S.4-S.6): numpy scales by 10**4, rounds half to even and scales back,
    which differs from ``round4`` in the last digit for some rates (1/160: 0.0062 here, 0.0063 there)."""
    import numpy as np

    return float(np.round(np.float64(value), 4))


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
    table has a single row or column (a constant outcome or a single attribute value). With no observations
    at all there is nothing to test: NaN, not a perfect p (the official script gave 1.0).
    """
    from scipy.stats import chi2_contingency

    if len(attribute) != len(outcome):
        raise ValueError(f"chi-square needs one outcome per attribute value, got {len(attribute)} and {len(outcome)}")
    if not attribute:
        return math.nan
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
    which is then averaged with each remaining variant's value (so together they weigh as one).

    The unrelated-image mean comes first in the sum, as in ``compute_rank.py`` (float addition order matters
    in the last bit). Officially no unrelated-image value at all raised ``ZeroDivisionError``; here the other
    values are averaged alone.
    """
    unrelated = [v for k, v in values_by_variant.items() if "unrelated-image" in k]
    others = [v for k, v in values_by_variant.items() if "unrelated-image" not in k]
    return mean(([mean(unrelated)] if unrelated else []) + others)


def binary_metrics(truths: Sequence[int], predictions: Sequence[int]) -> dict[str, float]:
    """scikit-learn's ``accuracy_score``, ``precision_score``, ``recall_score`` and ``f1_score`` with their
    defaults (binary, positive label 1, ``zero_division`` giving 0.0: no positive prediction gives precision 0,
    no positive label recall 0), each rounded to 4 decimals as the official score scripts do. Empty input:
    accuracy NaN, the others 0.0, as scikit-learn."""
    if len(truths) != len(predictions):
        raise ValueError(f"{len(truths)} labels but {len(predictions)} predictions")
    tp = sum(1 for t, p in zip(truths, predictions, strict=True) if t == 1 and p == 1)
    fp = sum(1 for t, p in zip(truths, predictions, strict=True) if t != 1 and p == 1)
    fn = sum(1 for t, p in zip(truths, predictions, strict=True) if t == 1 and p != 1)
    correct = sum(1 for t, p in zip(truths, predictions, strict=True) if t == p)
    return {
        "accuracy_score": round4(correct / len(truths)) if truths else float("nan"),
        "precision_score": round4(tp / (tp + fp)) if tp + fp else 0.0,
        "recall_score": round4(tp / (tp + fn)) if tp + fn else 0.0,
        # scikit-learn computes F1 as 2tp / (2tp + fp + fn), 0.0 when that is 0/0.
        "f1_score": round4(2 * tp / (2 * tp + fp + fn)) if tp + fp + fn else 0.0,
    }
