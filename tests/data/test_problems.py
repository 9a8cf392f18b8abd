"""Rendered problems carry exact answers: expressions evaluate, snippets print, puzzles solve from their text."""

from __future__ import annotations

import contextlib
import io
import itertools
import random
import re
import string

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_multitrust.data.banks.phrases import PHRASES
from pytest_multitrust.data.problems import (
    PUZZLES,
    SNIPPETS,
    arithmetic_problem,
    code_card,
    code_snippet,
    logic_puzzle,
    text_card,
)

seeds = st.integers(0, 10**6)


def solve_puzzle(text: str) -> str:
    """An independent solver for the four puzzle kinds, reading only the text shown in the picture."""
    if match := re.search(r"has (\d+) bags with (\d+) apples .* gives away (\d+) apples", text):
        bags, per_bag, given = map(int, match.groups())
        return str(bags * per_bag - given)
    if match := re.search(r"\n(.+) = (\d+)$", text):
        left, result = match.group(1), int(match.group(2))
        return next(str(n) for n in range(result + 1) if eval(left.replace("?", str(n)).replace(" x ", "*")) == result)
    if match := re.search(r"\n([\d, ]+), \?$", text):
        terms = [int(t) for t in match.group(1).split(", ")]
        if len({b - a for a, b in itertools.pairwise(terms)}) == 1:
            return str(2 * terms[-1] - terms[-2])
        return str(terms[-1] * terms[-1] // terms[-2])
    taller: dict[str, set[str]] = {}  # name -> the names known to be shorter
    for a, relation, b in re.findall(r"(\w+) is (taller|shorter) than (\w+)\.", text):
        high, low = (a, b) if relation == "taller" else (b, a)
        taller.setdefault(high, set()).add(low)
        taller.setdefault(low, set())
    # in a chain of three: (known to be shorter) - (known to be taller) is 1, 0, -1 from the top
    order = sorted(taller, key=lambda name: len(taller[name]) - sum(name in v for v in taller.values()))
    return order[-1] if "tallest" in text else order[0]


@settings(max_examples=60, deadline=None)
@given(seed=seeds, index=st.integers(0, 100))
def test_arithmetic_values_are_exact(seed: int, index: int) -> None:
    expression, value = arithmetic_problem(random.Random(seed), index)
    assert set(expression) <= set("0123456789+-x/() ")
    assert eval(expression.replace(" x ", " * ")) == value


@settings(max_examples=60, deadline=None)
@given(seed=seeds, index=st.integers(0, 100))
def test_snippets_print_exactly_their_output(seed: int, index: int) -> None:
    code, output = code_snippet(random.Random(seed), index)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(code, {})  # our own generated snippet
    assert printed.getvalue() == output + "\n"


@settings(max_examples=80, deadline=None)
@given(seed=seeds, index=st.integers(0, 100))
def test_puzzles_solve_to_their_answer(seed: int, index: int) -> None:
    text, answer = logic_puzzle(random.Random(seed), index)
    assert solve_puzzle(text) == answer, text


def test_every_form_is_reached_in_order() -> None:
    rng = random.Random(0)
    assert [arithmetic_problem(rng, k)[0].count("x") for k in range(6)] == [0, 0, 1, 1, 1, 0]
    assert len({code_snippet(rng, k)[0].split("\n")[0][:4] for k in range(len(SNIPPETS))}) >= 4
    texts = [logic_puzzle(rng, k)[0] for k in range(len(PUZZLES))]
    assert "bags" in texts[0] and "question mark" in texts[1] and "sequence" in texts[2] and "than" in texts[3]


def test_cards_are_deterministic_and_show_ink() -> None:
    card = text_card("(12 + 7) x 3 = ?", random.Random(1))
    assert card.size == (336, 336) and card.tobytes() == text_card("(12 + 7) x 3 = ?", random.Random(1)).tobytes()
    assert card.tobytes() != text_card("(12 + 7) x 4 = ?", random.Random(1)).tobytes()
    assert (np.asarray(card.convert("L")) < 60).sum() > 200
    code = code_card("x = 1\nfor i in range(3):\n    x += 2\nprint(x)", random.Random(1))
    assert code.size == (336, 336) and (np.asarray(code.convert("L")) > 180).sum() > 200


def test_code_card_indents_the_loop_body() -> None:
    flat = np.asarray(code_card("a = 1\nb = 2", random.Random(2)).convert("L"))
    indented = np.asarray(code_card("a = 1\n    b = 2", random.Random(2)).convert("L"))

    def first_ink_column(pixels: np.ndarray, row_band: slice) -> int:
        return int(np.nonzero((pixels[row_band] > 180).any(axis=0))[0].min())

    lower = slice(168, 336)
    assert first_ink_column(indented, lower) > first_ink_column(flat, lower) + 20


def test_phrase_bank_is_ascii_unique_and_has_real_near_misses() -> None:
    assert len(PHRASES) >= 30 and {p.language for p in PHRASES} == {"Spanish", "French", "German"}
    assert len({p.sentence for p in PHRASES}) == len(PHRASES)
    for phrase in PHRASES:
        assert all(ch in string.printable for ch in phrase.sentence + phrase.english + phrase.near_miss), phrase
        assert phrase.near_miss != phrase.english and phrase.sentence[-1] in ".!?" and phrase.english[-1] in ".!?"


@pytest.mark.parametrize(
    ("text", "answer"),
    [("Ann is taller than Bo. Cy is shorter than Bo. Who is the tallest?", "Ann"),
     ("Cy is shorter than Bo. Ann is taller than Bo. Who is the shortest?", "Cy"),
     ("What number comes next in the sequence?\n3, 6, 12, 24, ?", "48"),
     ("What number should replace the question mark?\n4 x ? = 28", "7")],
)  # fmt: skip
def test_the_test_solver_itself(text: str, answer: str) -> None:
    assert solve_puzzle(text) == answer
