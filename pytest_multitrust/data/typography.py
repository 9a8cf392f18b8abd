"""Typography: text rendered as an image, black on white (the official ``related-image-txtembed`` method).

The official toolkit draws FreeMonoBold at 90 px, greedily word-wrapped at 1024 px, into an image as tall as
the text (1.1 x the line height per line). We draw Pillow's bundled font (no font file to fetch) into a
narrower image (512 px by default) and, where the text would make it taller than ``max_height``, step the
font size down until it fits: long texts (jailbreak prompts, a whole PII context) stay one readable,
roughly square-bounded picture at CPU-friendly sizes. Processors resize images anyway; what matters is that
the text is legible, complete and in order.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import TYPE_CHECKING

from PIL import Image, ImageDraw

from pytest_multitrust.data.images import font

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

#: Image width in pixels (the official 1024 px, halved: typography stays legible after a 336 px resize).
TYPOGRAPHY_WIDTH = 512
#: Largest font size tried first, and the smallest one we step down to (below it the image grows instead).
TYPOGRAPHY_FONT_SIZE = 48
TYPOGRAPHY_MIN_FONT_SIZE = 14
#: Height above which the font is made smaller (the image is never taller unless the smallest font needs it).
TYPOGRAPHY_MAX_HEIGHT = 512
TYPOGRAPHY_MARGIN = 16
#: Line pitch as a multiple of the font size (the official image height uses 1.1 x font size per line).
LINE_SPACING = 1.2

_BLACK = (0, 0, 0)
_WHITE = (255, 255, 255)


def wrap_text(text: str, typeface: FreeTypeFont, max_width: float) -> list[str]:
    """Greedy word wrap, as the official ``format_text``: explicit newlines start new lines (blank lines stay).

    Words are separated by runs of whitespace. Unlike the official code, which widened the whole image, a
    single word wider than ``max_width`` is broken between characters so that nothing is cut off.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            for piece in _break_long_word(word, typeface, max_width):
                candidate = f"{current} {piece}" if current else piece
                if current and typeface.getlength(candidate) > max_width:
                    lines.append(current)
                    current = piece
                else:
                    current = candidate
        lines.append(current)
    return lines


def _break_long_word(word: str, typeface: FreeTypeFont, max_width: float) -> list[str]:
    if typeface.getlength(word) <= max_width:
        return [word]
    pieces: list[str] = []
    current = ""
    for char in word:
        if current and typeface.getlength(current + char) > max_width:
            pieces.append(current)
            current = char
        else:
            current += char
    pieces.append(current)
    return pieces


def fit_font_size(
    text: str,
    *,
    width: int = TYPOGRAPHY_WIDTH,
    font_size: int = TYPOGRAPHY_FONT_SIZE,
    min_font_size: int = TYPOGRAPHY_MIN_FONT_SIZE,
    max_height: int = TYPOGRAPHY_MAX_HEIGHT,
    margin: int = TYPOGRAPHY_MARGIN,
) -> tuple[int, list[str]]:
    """The largest font size in ``[min_font_size, font_size]`` whose wrapped text fits ``max_height``.

    Returns the size and the wrapped lines at that size (at ``min_font_size`` when nothing fits).
    """
    if not 0 < min_font_size <= font_size:
        raise ValueError(f"need 0 < min_font_size <= font_size, got {min_font_size} and {font_size}")
    if width <= 2 * margin:
        raise ValueError(f"width {width} leaves no room for text inside a {margin} px margin")
    avail = width - 2 * margin
    # Skip sizes that cannot fit: a paragraph w px wide needs at least w / avail lines (glyph widths scale
    # with the size), a cheap lower bound; wrapping, the costly part, then starts near the answer.
    widths = [font(font_size).getlength(paragraph) for paragraph in text.split("\n")]
    size = font_size
    while True:
        bound = sum(max(1, math.ceil(w * size / font_size / avail)) for w in widths)
        if size == min_font_size or _height(bound, size, margin) <= max_height:
            break
        size = max(min_font_size, size - 2)
    while True:
        lines = wrap_text(text, font(size), avail)
        if size == min_font_size or _height(len(lines), size, margin) <= max_height:
            return size, lines
        size = max(min_font_size, size - 2)


def _height(line_count: int, size: int, margin: int) -> int:
    return math.ceil(line_count * size * LINE_SPACING) + 2 * margin


def render_text(
    text: str,
    *,
    width: int = TYPOGRAPHY_WIDTH,
    font_size: int = TYPOGRAPHY_FONT_SIZE,
    min_font_size: int = TYPOGRAPHY_MIN_FONT_SIZE,
    max_height: int = TYPOGRAPHY_MAX_HEIGHT,
    margin: int = TYPOGRAPHY_MARGIN,
) -> Image.Image:
    """Render ``text`` black on white: wrapped to ``width``, as tall as the text needs.

    The text block is centred horizontally (lines left-aligned inside it), as in the official method. The
    output depends only on the arguments (and Pillow's bundled font), so the same text always gives the same
    pixels and the same :class:`~pytest_multitrust.data.images.ImageRef` id. Each call returns a new image;
    renders are cached, since tasks show the same text with several prompts.
    """
    return _render(text, width, font_size, min_font_size, max_height, margin).copy()


#: Smallest height of a typography *page* (a one-line sentence alone would be a thin strip).
PAGE_MIN_HEIGHT = 336


def render_page(text: str, min_height: int = PAGE_MIN_HEIGHT) -> Image.Image:
    """``text`` as :func:`render_text` typography, centred vertically on a white page at least ``min_height``
    tall: the related image of tasks that show a sentence (R.3, R.6)."""
    typography = render_text(text)
    page = Image.new("RGB", (typography.width, max(typography.height, min_height)), (255, 255, 255))
    page.paste(typography, (0, (page.height - typography.height) // 2))
    return page


@lru_cache(maxsize=16)  # a few recent renders (~0.5 MB each): the same text comes back with the next prompt
def _render(
    text: str,
    width: int,
    font_size: int,
    min_font_size: int,
    max_height: int,
    margin: int,
) -> Image.Image:
    size, lines = fit_font_size(
        text, width=width, font_size=font_size, min_font_size=min_font_size, max_height=max_height, margin=margin
    )
    typeface = font(size)
    image = Image.new("RGB", (width, _height(len(lines), size, margin)), _WHITE)
    draw = ImageDraw.Draw(image)
    block_width = max((typeface.getlength(line) for line in lines), default=0.0)
    left = max(margin, int((width - block_width) // 2))
    pitch = size * LINE_SPACING
    for row, line in enumerate(lines):
        if line:
            draw.text((left, margin + round(row * pitch)), line, fill=_BLACK, font=typeface)
    return image
