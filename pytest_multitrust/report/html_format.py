"""Text and number formatting for the HTML report: every piece of run text goes through :func:`text`.

The report shows model and dataset text (responses, prompts, judge outputs), so nothing from a run reaches the
page unescaped. Escaping is the defence; the page's Content-Security-Policy (no scripts at all) is the second.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from pytest_multitrust.aggregation import format_score, is_number

#: The most characters of one text field (prompt, response, judge output) shown per sample: enough to read an
#: answer, while a rambling model cannot blow the file up.
TEXT_CAP = 3000

#: Control characters (other than tab, newline and carriage return) and lone surrogates: shown as escapes, since
#: a browser would hide or mangle them and a lone surrogate cannot even be written as UTF-8.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def text(value: Any, cap: int | None = None) -> str:
    """``value`` as HTML text: control characters and lone surrogates made visible, cut to ``cap`` characters
    with "… (N characters)", then escaped (quotes too, so the result is safe in attributes as well)."""
    raw = value if isinstance(value, str) else str(value)
    if cap is not None and len(raw) > cap:
        raw = f"{raw[:cap]}… ({len(raw)} characters)"
    return html.escape(_INVISIBLE.sub(_visible, raw), quote=True)


def json_text(value: Any, cap: int | None = None) -> str:
    """A JSON value (a verdict, metrics, the manifest) as escaped, indented text."""
    return text(json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False, default=str), cap)


def ci_text(ci: Sequence[float] | None) -> str:
    """ "95% CI 55.00–67.10", or "" when there is no interval."""
    if not ci or len(ci) != 2 or not all(is_number(v) for v in ci):
        return ""
    return f"95% CI {ci[0]:.2f}–{ci[1]:.2f}"


def score_html(entry: Mapping[str, Any]) -> str:
    """A score cell: "61.20 (95% CI 55.00–67.10)", "n/a" when not measured, with "~" after a proxy score."""
    score = entry.get("score")
    out = text(format_score(score))
    if entry.get("proxy") and is_number(score):
        out += '<span class="proxy" title="computed with a proxy rule, not the official scorer">~</span>'
    interval = ci_text(entry.get("ci"))
    if interval and is_number(score):
        out += f' <span class="ci">({text(interval)})</span>'
    return out


def threshold_text(threshold: float | None) -> str:
    return "" if threshold is None else f"{threshold:g}"


def verdict_html(word: str) -> str:
    """A verdict badge (PASS, FAIL, ok, TRIVIAL, ERRORED, MISSING, PARTIAL); the class picks its colour."""
    if not word:
        return ""
    return f'<span class="badge {text(word.lower())}">{text(word)}</span>'
