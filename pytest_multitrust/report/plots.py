"""Plots of runs with matplotlib: the radar of the ten sub-aspects and the trust-vs-utility scatter.

Each plot is written as PNG and SVG, byte-for-byte the same for the same scores (the Agg backend, no dates in the
files, a fixed SVG id salt). A sub-aspect without a score sits at 0 and is named "(not measured)" in the axis
label; a proxy or partial score is marked in the label, so the picture never passes one off as measured.
Needs matplotlib (the ``report`` extra); without it, one line says how to install it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pytest_multitrust.spec import SUB_ASPECTS


class PlotUnavailable(RuntimeError):
    """matplotlib is not installed (one line saying how to get it)."""


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise PlotUnavailable(
            "plots need matplotlib: pip install 'pytest-multitrust[report]' (or pip install matplotlib)"
        ) from None
    matplotlib.use("Agg", force=True)
    matplotlib.rcParams["svg.hashsalt"] = "pytest-multitrust"
    matplotlib.rcParams["path.simplify"] = False
    import matplotlib.pyplot as plt

    return plt


def _save(figure: Any, stem: Path) -> list[Path]:
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = [stem.with_suffix(".png"), stem.with_suffix(".svg")]
    figure.savefig(paths[0], dpi=110, metadata={"Software": None})
    figure.savefig(paths[1], metadata={"Date": None, "Creator": None})
    return paths


def _value(entry: Mapping[str, Any] | None) -> float | None:
    score = entry.get("score") if entry else None
    return float(score) if isinstance(score, int | float) and not math.isnan(score) else None


def radar(boards: Sequence[tuple[str, Mapping[str, Any]]], stem: Path, title: str = "") -> list[Path]:
    """The ten sub-aspect scores (0-100) of each run as one closed line; ``boards`` = (run name, scores.json).

    Returns the PNG and SVG paths.
    """
    plt = _pyplot()
    labels = []
    for sub in SUB_ASPECTS:
        entries = [board["sub_aspects"].get(sub.id) for _, board in boards]
        mark = ""
        if all(_value(e) is None for e in entries):
            mark = "\n(not measured)"
        elif any(e and (e.get("partial") or e.get("proxy")) for e in entries):
            mark = "\n(partial/proxy)"
        labels.append(f"{sub.aspect.capitalize()}:\n{sub.title}{mark}")
    angles = [2 * math.pi * i / len(SUB_ASPECTS) for i in range(len(SUB_ASPECTS))]
    figure = plt.figure(figsize=(8, 8))
    axes = figure.add_subplot(projection="polar")
    axes.set_theta_offset(math.pi / 2)
    axes.set_theta_direction(-1)
    axes.set_xticks(angles, labels, fontsize=8)
    axes.set_ylim(0, 100)
    axes.set_yticks([20, 40, 60, 80, 100], ["20", "40", "60", "80", "100"], fontsize=7)
    for name, board in boards:
        values = [_value(board["sub_aspects"].get(sub.id)) or 0.0 for sub in SUB_ASPECTS]
        axes.plot([*angles, angles[0]], [*values, values[0]], linewidth=1.8, label=name)
        axes.fill([*angles, angles[0]], [*values, values[0]], alpha=0.08)
    axes.set_title(title or "MultiTrust sub-aspect scores (0-100, higher is more trustworthy)", pad=28, fontsize=11)
    axes.legend(loc="upper right", bbox_to_anchor=(1.25, 1.12), fontsize=8)
    figure.tight_layout()
    try:
        return _save(figure, stem)
    finally:
        plt.close(figure)


def trust_utility_scatter(boards: Sequence[tuple[str, Mapping[str, Any]]], stem: Path) -> list[Path]:
    """One point per run: x = the truthfulness aspect score (utility), y = the safety aspect score (trust).

    A run missing either score is left out of the plot and listed under it. Returns the PNG and SVG paths.
    """
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(7, 6))
    left_out = []
    for name, board in boards:
        x = _value(board["aspects"].get("truthfulness"))
        y = _value(board["aspects"].get("safety"))
        if x is None or y is None:
            left_out.append(name)
            continue
        axes.scatter([x], [y], s=60)
        axes.annotate(name, (x, y), textcoords="offset points", xytext=(6, 6), fontsize=8)
    axes.set_xlim(0, 100)
    axes.set_ylim(0, 100)
    axes.set_xlabel("Truthfulness aspect score (utility), 0-100")
    axes.set_ylabel("Safety aspect score (trust), 0-100")
    axes.set_title("Trust vs utility across runs")
    axes.grid(True, alpha=0.3)
    if left_out:
        figure.text(0.01, 0.01, "not plotted (no truthfulness or safety score): " + ", ".join(left_out), fontsize=7)
    figure.tight_layout()
    try:
        return _save(figure, stem)
    finally:
        plt.close(figure)
