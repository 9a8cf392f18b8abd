"""RESA's utility items: the suite's T.1 and T.2 picture generators, drawn with a seed stream of their own.

The statements are the generators' templates ("There is a red circle in the image."), so the same sentence
can appear in the suite over another picture: what makes an item is its picture, and no training picture
equals a suite picture (different random streams; ``tests/resa/test_data.py`` checks the pixel hashes against
every suite image). Subsets whose statements carry facts from a fixed bank the suite evaluates are left out:
T.2's ``translate`` (the phrase bank), ``daily`` (one use per object), ``math`` and ``code`` (expressions and
snippets indexed like the suite's). Grounding and OCR (T.1) are left out too: their answers are a box and a
transcription, not a short verdict.

The reasoning's ``Image:`` line describes what was drawn, from the generator's ground truth, so the rationale
is a real step towards the answer rather than a formula.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from PIL import Image

from pytest_multitrust.data.images import rng_for
from pytest_multitrust.tasks import t1_basic_world_understanding as t1
from pytest_multitrust.tasks import t2_advanced_cognitive_inference as t2
from resa.targets import Rationale, utility_rationale

#: (suite task, subset): the generators drawn from, in turn.
UTILITY_SUBSETS: tuple[tuple[str, str], ...] = (
    ("t1", "d-basic-object"), ("t1", "d-basic-attribute"), ("t1", "d-basic-scene"),
    ("t2", "advanced-spatial"), ("t2", "advanced-temporal"), ("t2", "advanced-compare"),
    ("t2", "advanced-traffic"), ("t2", "advanced-causality"),
)  # fmt: skip
#: Answers: T.1's prompt asks for a bare [Yes] or [No]; T.2's for the verdict and a short explanation.
T1_ANSWERS = ("No.", "Yes.")
T2_ANSWERS = ("No, the picture does not match the statement.", "Yes, the picture matches the statement.")
TIMES_OF_DAY = {"day": "in daylight", "sunset": "at sunset", "night": "at night"}


@dataclass(frozen=True)
class UtilityItem:
    """A drawn yes/no item: its prompt, picture, truth (1 = the statement is true), rationale, answer, origin."""

    prompt: str
    image: Image.Image
    truth: int
    rationale: Rationale
    answer: str
    source: dict[str, Any]


def _shapes(extra: Mapping[str, Any]) -> str:
    names = [f"a {shape['colour']} {shape['kind']}" for shape in extra["shapes"]]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"a drawing of {listed}"


def describe(subset: str, extra: Mapping[str, Any]) -> str:
    """The ``Image:`` line of a utility item, from its generator's ground truth (``extra``)."""
    if "shapes" in extra:
        return _shapes(extra)
    if subset == "d-basic-scene":
        water = ", with water" if extra["has_water"] else ""
        return f"a drawn {extra['ground']} landscape {TIMES_OF_DAY[str(extra['time_of_day'])]}{water}"
    if subset == "advanced-temporal":
        if extra["form"] == "later":
            return f"a clock showing {extra['clock']}"
        return f"a Start clock at {extra['start']} and an End clock at {extra['end']}"
    if subset == "advanced-compare":
        if extra["topic"] == "count":
            return f"{extra['first_value']} {extra['kind']}s on the left and {extra['second_value']} on the right"
        noun = "bar" if extra["topic"] == "length" else extra["kind"]
        return f"a {extra['first']} {noun} and a {extra['second']} {noun} of different {extra['topic']}"
    if subset == "advanced-traffic":
        if extra["form"] == "light":
            return f"a traffic light showing {extra['light']}"
        return f"a speed-limit sign for {extra['limit']} km/h"
    if subset == "advanced-causality":
        if extra["form"] == "balance":
            return f"a balance with {extra['left_kg']} kg on the left pan and {extra['right_kg']} kg on the right"
        return f"a circuit whose switch is {'closed' if extra['closed'] else 'open'}"
    raise ValueError(f"no description for utility subset {subset!r}")


Drawn = tuple[str, Image.Image, dict[str, Any]]


def _t1(subset: str) -> Callable[[random.Random, int, bool], Drawn]:
    # T.1's builders decide the truth from the index's parity; the caller passes an index of the right parity.
    build = t1.BUILDERS[subset][1]

    def draw(rng: random.Random, index: int, truth: bool) -> Drawn:
        statement, target, image, extra = build(rng, index)
        if target != int(truth):
            raise AssertionError(f"T.1 {subset} item {index}: truth {target} where {int(truth)} was asked")
        return statement, image, extra

    return draw


def utility_item(seed: int, index: int) -> UtilityItem:
    """Utility item ``index``: subsets in turn; within a subset, true and false statements alternate."""
    task, subset = UTILITY_SUBSETS[index % len(UTILITY_SUBSETS)]
    rank = index // len(UTILITY_SUBSETS)
    truth = rank % 2 == 0
    rng = rng_for("resa", seed, "utility", subset, rank)  # never the suite's rng_for(seed, task, variant, i)
    if task == "t1":
        statement, image, extra = _t1(subset)(rng, rank, truth)
        prompt, answer = t1.D_PROMPT.format(Statement=statement), T1_ANSWERS[int(truth)]
    else:
        statement, image, extra = t2.BUILDERS[subset](rng, rank, truth)
        prompt, answer = t2.PROMPT.format(Statement=statement), T2_ANSWERS[int(truth)]
    source = {"generator": f"{task}/{subset}", "rank": rank, "statement": statement, "truth": int(truth)}
    return UtilityItem(prompt, image, int(truth), utility_rationale(describe(subset, extra)), answer, source)
