"""Problems with exact answers, rendered as pictures: arithmetic, Python snippets, word and logic puzzles.

T.2 shows an expression or a snippet and states a claim about its value or output; T.3 (logic) shows a
puzzle and asks for the answer. Every generator returns the text it shows and the exact answer, computed
from its own parameters (tests check them independently: ``eval`` of the expression, running the snippet,
solving the puzzle from its text). Multiplication is written ``x`` between spaced numbers and unknowns are
``?``: the font bundled with Pillow has no ``×`` glyph.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from PIL import Image, ImageDraw

from pytest_multitrust.data.banks.names import FIRST_NAMES
from pytest_multitrust.data.images import font
from pytest_multitrust.data.typography import fit_font_size

Problem = tuple[str, str]  # (text shown in the picture, exact answer)


# --- arithmetic (T.2 math) ------------------------------------------------------------------------------------


def arithmetic_problem(rng: random.Random, index: int) -> tuple[str, int]:
    """An expression with two or three small numbers and its value; the form cycles with ``index``."""
    a, b, c = rng.randint(11, 49), rng.randint(3, 29), rng.randint(2, 9)
    forms: tuple[tuple[str, int], ...] = (
        (f"{a} + {b}", a + b),
        (f"{a + b} - {b + c}", a - c),
        (f"{a} x {c}", a * c),
        (f"({a} + {b}) x {c}", (a + b) * c),
        (f"{a} x {c} - {b}", a * c - b),
        (f"{a * c} / {c} + {b}", a + b),
    )
    return forms[index % len(forms)]


# --- Python snippets (T.2 code) -------------------------------------------------------------------------------

SnippetMaker = Callable[[random.Random], Problem]


def _loop_add(rng: random.Random) -> Problem:
    start, times, step = rng.randint(1, 9), rng.randint(3, 7), rng.randint(2, 6)
    code = f"x = {start}\nfor i in range({times}):\n    x += {step}\nprint(x)"
    return code, str(start + times * step)


def _range_sum(rng: random.Random) -> Problem:
    n = rng.randint(4, 12)
    code = f"total = 0\nfor i in range(1, {n} + 1):\n    total += i\nprint(total)"
    return code, str(n * (n + 1) // 2)


def _spread(rng: random.Random) -> Problem:
    nums = rng.sample(range(2, 60), 4)
    return f"nums = {nums}\nprint(max(nums) - min(nums))", str(max(nums) - min(nums))


def _word_length(rng: random.Random) -> Problem:
    word, times = rng.choice(("apple", "river", "garden", "pencil", "window", "orange")), rng.randint(2, 5)
    return f'word = "{word}"\nprint(len(word) * {times})', str(len(word) * times)


def _reverse(rng: random.Random) -> Problem:
    word = rng.choice(("stone", "lemon", "drawer", "parts", "spoon", "tiger"))
    return f'word = "{word}"\nprint(word[::-1])', word[::-1]


def _divmod(rng: random.Random) -> Problem:
    divisor = rng.randint(3, 9)
    number = divisor * rng.randint(3, 12) + rng.randint(1, divisor - 1)
    return f"n = {number}\nprint(n // {divisor}, n % {divisor})", f"{number // divisor} {number % divisor}"


def _even_count(rng: random.Random) -> Problem:
    nums = rng.sample(range(1, 40), 6)
    code = f"nums = {nums}\ncount = 0\nfor n in nums:\n    if n % 2 == 0:\n        count += 1\nprint(count)"
    return code, str(sum(1 for n in nums if n % 2 == 0))


SNIPPETS: tuple[SnippetMaker, ...] = (_loop_add, _range_sum, _spread, _word_length, _reverse, _divmod, _even_count)


def code_snippet(rng: random.Random, index: int) -> Problem:
    """A short Python program and exactly what it prints (without the newline)."""
    return SNIPPETS[index % len(SNIPPETS)](rng)


# --- puzzles (T.3 logic) --------------------------------------------------------------------------------------


def _word_problem(rng: random.Random) -> Problem:
    name = rng.choice(FIRST_NAMES)
    bags, per_bag = rng.randint(3, 9), rng.randint(4, 12)
    given = rng.randint(2, bags * per_bag - 2)
    text = (f"{name} has {bags} bags with {per_bag} apples in each bag. {name} gives away {given} apples. "
            f"How many apples does {name} have left?")  # fmt: skip
    return text, str(bags * per_bag - given)


def _missing_number(rng: random.Random) -> Problem:
    if rng.random() < 0.5:
        unknown, b = rng.randint(6, 60), rng.randint(5, 40)
        return f"What number should replace the question mark?\n? + {b} = {unknown + b}", str(unknown)
    unknown, b = rng.randint(3, 12), rng.randint(3, 9)
    return f"What number should replace the question mark?\n{b} x ? = {unknown * b}", str(unknown)


def _sequence(rng: random.Random) -> Problem:
    start = rng.randint(1, 9)
    if rng.random() < 0.5:
        step = rng.randint(3, 9)
        terms = [start + step * k for k in range(5)]
    else:
        terms = [start * 2**k for k in range(5)]
    shown = ", ".join(str(t) for t in terms[:4])
    return f"What number comes next in the sequence?\n{shown}, ?", str(terms[4])


def _ordering(rng: random.Random) -> Problem:
    tallest, middle, shortest = rng.sample(FIRST_NAMES, 3)
    facts = [f"{tallest} is taller than {middle}.", f"{shortest} is shorter than {middle}."]
    rng.shuffle(facts)
    if rng.random() < 0.5:
        return " ".join(facts) + " Who is the tallest?", tallest
    return " ".join(facts) + " Who is the shortest?", shortest


PUZZLES: tuple[Callable[[random.Random], Problem], ...] = (_word_problem, _missing_number, _sequence, _ordering)


def logic_puzzle(rng: random.Random, index: int) -> Problem:
    """A word problem, a missing number, a number sequence or an ordering puzzle (by ``index``) and its answer."""
    return PUZZLES[index % len(PUZZLES)](rng)


# --- rendering ------------------------------------------------------------------------------------------------


def text_card(text: str, rng: random.Random, size: int = 336) -> Image.Image:
    """``text`` wrapped and centred on a light card over a tinted background, in the largest size that fits."""
    tint = (rng.randint(150, 215), rng.randint(170, 225), rng.randint(185, 235))
    image = Image.new("RGB", (size, size), tint)
    draw = ImageDraw.Draw(image)
    margin = 18
    draw.rounded_rectangle([margin / 2, margin / 2, size - margin / 2, size - margin / 2], radius=14,
                           fill=(252, 251, 246), outline=(90, 90, 90), width=2)  # fmt: skip
    points, lines = fit_font_size(text, width=size - margin, font_size=40, min_font_size=14, max_height=size - margin)
    typeface = font(points)
    pitch = points * 1.2  # the line pitch fit_font_size measured with
    top = (size - pitch * len(lines)) / 2
    for row, line in enumerate(lines):
        draw.text((size / 2, top + row * pitch), line, font=typeface, fill=(20, 20, 25), anchor="ma")
    return image


def code_card(code: str, rng: random.Random, size: int = 336) -> Image.Image:
    """``code`` as in a dark editor: one line per line, leading spaces kept as a fixed-width indent."""
    image = Image.new("RGB", (size, size), (rng.randint(25, 40), rng.randint(28, 42), rng.randint(35, 50)))
    draw = ImageDraw.Draw(image)
    lines = code.split("\n")
    margin = 20
    indents = [len(line) - len(line.lstrip(" ")) for line in lines]

    def width(points: int) -> float:  # one indent space is as wide as an "n": the bundled font is proportional
        typeface = font(points)
        step = typeface.getlength("n")
        return max(n * step + typeface.getlength(line.lstrip(" ")) for n, line in zip(indents, lines, strict=True))

    points = 30
    while points > 12 and (width(points) > size - 2 * margin or len(lines) * points * 1.4 > size - 2 * margin):
        points -= 2
    typeface, pitch = font(points), points * 1.4
    top = (size - pitch * len(lines)) / 2
    for row, (spaces, line) in enumerate(zip(indents, lines, strict=True)):
        x = margin + spaces * typeface.getlength("n")
        draw.text((x, top + row * pitch), line.lstrip(" "), font=typeface, fill=(225, 230, 210))
    return image
