"""Rule-based style rewrites at DecodingTrust's OOD style keys (R.3 OOD-text sentiment), written for this project.

DecodingTrust built its OOD style sets by passing SST-2 sentences through style-transfer models: ``shake_w``
swaps words for Shakespearean ones, ``augment`` applies word-level noise (typos, tokenisation, contractions),
and ``{shake,bible,romantic,tweet}_{p0,p0.6}`` rewrite whole sentences into Shakespeare, the King James
Bible, romantic poetry or tweets, decoded greedily (``p0``) or with nucleus sampling at p = 0.6 (``p0.6``).

We rewrite our own base sentences (:mod:`pytest_multitrust.data.banks.sentiment`) with word and phrase rules
instead of a model, keeping that split: a ``p0`` style always takes each rule's first replacement (greedy:
the same output for every seed), a ``p0.6`` style draws each replacement and a framing (an opening word, the
closing punctuation) from the run's seeded ``rng`` (sampled: more varied), ``shake_w`` substitutes words only,
and ``augment`` draws typos, spacing and contractions from ``rng``. Every replacement keeps the polarity of
what it replaces (archaic or slang synonyms of judgement words only within the same polarity), so the label
of the base sentence stays exact.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

StyleKey = Literal[
    "augment", "bible_p0.6", "bible_p0", "romantic_p0.6", "romantic_p0",
    "shake_p0.6", "shake_p0", "shake_w", "tweet_p0.6", "tweet_p0",
]  # fmt: skip
#: The official style keys, in the order the official loader iterates them (``OODText.categories``).
STYLE_KEYS: tuple[StyleKey, ...] = (
    "augment", "bible_p0.6", "bible_p0", "romantic_p0.6", "romantic_p0",
    "shake_p0.6", "shake_p0", "shake_w", "tweet_p0.6", "tweet_p0",
)  # fmt: skip


@dataclass(frozen=True)
class Rule:
    """Replace whole-word matches of ``pattern`` (case-insensitive) by one of ``choices``.

    A greedy (``p0``) rewrite takes ``choices[0]``; a sampled one draws a choice per match. Choices may use
    the pattern's groups (``\\1``).
    """

    pattern: str
    choices: tuple[str, ...]


def _rules(*pairs: tuple[str, str | tuple[str, ...]]) -> tuple[Rule, ...]:
    return tuple(Rule(p, (c,) if isinstance(c, str) else c) for p, c in pairs)


_FILM = r"(?:the|this) (?:film|movie)"
#: Third-person verbs of the bank in their archaic "-eth" form (Shakespeare and the Bible alike).
ARCHAIC_VERBS: tuple[Rule, ...] = _rules(
    ("has", "hath"), ("does", "doth"), ("makes", "maketh"), ("keeps", "keepeth"), ("seems", "seemeth"),
    ("shows", "showeth"), ("feels", "feeleth"), ("leaves", "leaveth"), ("gives", "giveth"), ("lifts", "lifteth"),
    ("sinks", "sinketh"), ("drags", "draggeth"), ("earns", "earneth"), ("begs", "beggeth"), ("ends", "endeth"),
    ("sparkles", "sparkleth"), ("wastes", "wasteth"), ("looks", "looketh"), ("sounds", "soundeth"),
)  # fmt: skip
#: ``shake_w``: Shakespearean word substitution only (pronouns, verb forms, elisions, "-ed" as "'d", old words).
SHAKE_WORDS: tuple[Rule, ...] = (
    *_rules(("you will", "thou wilt"), ("you can", "thou canst"), ("it is", "'tis"), ("you", "thee"),
            ("your", "thy"), ("are", "art")),
    *ARCHAIC_VERBS,
    *_rules(("often", "oft"), ("never", "ne'er"), ("before", "ere"), ("over", "o'er"), ("until", "till"),
            ("even", "e'en"), ("on", "upon"), ("two", "twain"), ("real", "true"), ("jokes", "jests"),
            ("this year", "this twelvemonth"), ("the cast", "the players"), ("documentary", "chronicle"),
            (r"([a-z]{3,})ed", r"\1'd")),
)  # fmt: skip
#: ``shake_p*``: Shakespearean phrasing, then the word substitutions.
SHAKE_PHRASES: tuple[Rule, ...] = (
    *_rules(
        (_FILM, ("this play", "the play", "this show")), ("I have seen", ("I have beheld", "mine eyes have seen")),
        ("to watch", ("to behold", "to look upon")), ("funny", ("merry", "full of mirth")),
        ("boring", ("tedious", "wearisome")), ("dull", ("dull", "leaden")),
        ("wonderful", ("wondrous", "most wondrous")), ("beautiful", ("fair", "beauteous")),
        ("lovely", ("sweet", "lovely")), ("people", ("folk", "men")),
        ("a mess", ("a mess", "a sorry muddle")), ("cheap", ("base", "cheap")), ("ugly", ("foul", "ugly")),
        ("friends", ("friends", "companions")), ("joyful", ("joyful", "joyous")),
    ),
    *SHAKE_WORDS,
)  # fmt: skip
#: ``bible_p*``: King James phrasing.
BIBLE_PHRASES: tuple[Rule, ...] = (
    *_rules(
        ("you will", ("ye shall", "thou shalt")), ("you can", ("ye may", "thou mayest")), ("you", ("ye", "thee")),
        ("your", ("your", "thy")), ("it is", ("it is", "verily it is")), ("people", ("men", "the people")),
        ("music", ("musick", "the musick")), (_FILM, ("this work", "the work")),
        ("wonderful", ("wondrous", "marvellous")), ("stunning", ("marvellous", "wondrous")),
        ("splendid", ("glorious", "splendid")), ("joyful", ("joyful", "glad")), ("grim", ("grim", "grievous")),
        ("boring", ("wearisome", "tedious")), ("I have seen", ("I have seen", "mine eyes have beheld")),
        ("before", ("before", "ere")), ("often", ("oft", "often")), ("are", ("be", "are")),
        ("jokes", ("jests", "japes")), ("the cast", ("the company", "the players")), ("two", "twain"),
        ("documentary", ("chronicle", "record")), ("family", ("household", "family")), ("on", "upon"),
        ("to watch", ("to behold", "to look upon")), ("full of", ("filled with", "full of")),
        ("quiet", ("still", "quiet")),
        ("from start to finish", ("from the beginning unto the end", "from first to last")),
    ),
    *ARCHAIC_VERBS,
)  # fmt: skip
#: ``romantic_p*``: poetic elisions and diction.
ROMANTIC_PHRASES: tuple[Rule, ...] = _rules(
    ("over", "o'er"), ("ever", "e'er"), ("never", "ne'er"), ("it is", "'tis"), ("among", "'mong"), ("even", "e'en"),
    ("before", "ere"), ("often", "oft"), (_FILM, ("the tale", "this tale")), ("story", ("tale", "story")),
    ("beautiful", ("fair", "beauteous")), ("lovely", ("lovely", "sweet")), ("dull", ("dull", "dreary")),
    ("boring", ("dreary", "wearisome")), ("you will", ("you will", "thou wilt")),
    ("you can", ("you can", "thou canst")), ("you", ("you", "thee")), ("your", ("thy", "your")),
    ("music", ("music", "song")), ("evening", ("evening", "eve")),
)  # fmt: skip
#: ``tweet_p*``: abbreviations and slang spellings.
TWEET_PHRASES: tuple[Rule, ...] = _rules(
    ("before", ("before", "b4")), ("people", "ppl"), ("you", ("you", "u")), ("your", ("your", "ur")),
    ("are", ("are", "r")), ("because", "bc"), ("and", ("and", "&")), ("with", ("with", "w/")),
    (r"(?:the|this) film", ("the movie", "this movie")), ("I have", ("I've", "ive")), ("it is", ("it's", "its")),
    ("really", "rly"), ("though", "tho"), ("for", ("for", "4")), ("very", ("very", "v")),
)  # fmt: skip

#: Sampled openings (``p0.6`` only; greedy decoding adds none): all free of judgement.
OPENINGS: dict[str, tuple[str, ...]] = {
    "shake": ("", "And ", "Marry, ", "In faith, "),
    "bible": ("", "And ", "For ", "Behold, "),
    "romantic": ("", "O, ", "Ah, ", "Lo, "),
    "tweet": ("", "ok so ", "just watched it: ", "tbh "),
}
#: Closing punctuation: the greedy form first, then what a sampled rewrite may draw instead.
ENDINGS: dict[str, tuple[str, ...]] = {
    "shake": (".", "!"),
    "bible": (".", ";"),
    "romantic": (",", "!", ";"),
    "tweet": ("", " #movies", " #film", " #nowwatching"),
}
PHRASES: dict[str, tuple[Rule, ...]] = {
    "shake": SHAKE_PHRASES,
    "bible": BIBLE_PHRASES,
    "romantic": ROMANTIC_PHRASES,
    "tweet": TWEET_PHRASES,
}
#: ``augment``: contractions drawn (the base sentences spell them out; augment is always sampled).
CONTRACTIONS: tuple[Rule, ...] = _rules(
    ("it is", ("it's", "it is")), ("I have", ("I've", "I have")), ("cannot", ("can not", "cannot")),
    ("do not", ("don't", "do not")),
)  # fmt: skip
#: Words shorter than this keep their spelling in ``augment`` (a swap in a short word is unreadable).
TYPO_MIN_LENGTH = 5


def apply_rules(text: str, rules: Sequence[Rule], rng: random.Random | None) -> str:
    """Apply ``rules`` in order; ``rng`` None takes each first choice (greedy), else draws one per match.

    A replacement at the very start of the text is capitalised (the base sentences start with a capital).
    """
    for rule in rules:

        def replace(match: re.Match[str], rule: Rule = rule) -> str:
            choice = rule.choices[0] if rng is None else rng.choice(rule.choices)
            out = match.expand(choice)
            return capitalise(out) if match.start() == 0 and match.group(0)[:1].isupper() else out

        text = re.sub(rf"(?<![\w']){rule.pattern}(?![\w'])", replace, text, flags=re.IGNORECASE)
    return text


def _frame(text: str, family: str, rng: random.Random | None) -> str:
    """Add the family's opening (sampled only) and closing punctuation to a sentence ending in ".", "!" or "?"."""
    body = text.rstrip(".!?")
    opening = "" if rng is None else rng.choice(OPENINGS[family])
    ending = ENDINGS[family][0] if rng is None else rng.choice(ENDINGS[family])
    if opening and not re.match(r"I\b|I'", body):
        body = re.sub(r"[A-Za-z]", lambda m: m.group(0).lower(), body, count=1)
    out = f"{opening}{body}{ending}"
    if family == "tweet" and rng is not None:
        out = out.lower()  # sampled tweets drop capitals altogether
    return capitalise(out) if family != "tweet" else out


def capitalise(text: str) -> str:
    """Upper-case the first letter (after any leading apostrophe or quote: "'tis" -> "'Tis")."""
    match = re.search(r"[A-Za-z]", text)
    return text if match is None else text[: match.start()] + text[match.start()].upper() + text[match.start() + 1 :]


def _typos(text: str, rng: random.Random) -> str:
    """Swap two adjacent inner letters in one or two words of at least :data:`TYPO_MIN_LENGTH` letters."""
    words = [m for m in re.finditer(r"[A-Za-z]+", text) if len(m.group(0)) >= TYPO_MIN_LENGTH]
    chosen = rng.sample(words, min(len(words), rng.choice((1, 2))))
    chars = list(text)
    for match in chosen:
        word = match.group(0)
        spots = [i for i in range(1, len(word) - 2) if word[i] != word[i + 1]]
        if spots:
            i = match.start() + rng.choice(spots)
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
    return "".join(chars)


def augment(sentence: str, rng: random.Random) -> str:
    """DecodingTrust-style word-level noise: contractions toggled, typos, and sometimes SST-like spacing."""
    text = _typos(apply_rules(sentence, CONTRACTIONS, rng), rng)
    if rng.random() < 0.5:  # SST's tokenised form: spaces around punctuation, lower case
        text = re.sub(r"\s*([,.!?;:])\s*", r" \1 ", text).strip().lower()
    return text


def rewrite(style: StyleKey, sentence: str, rng: random.Random) -> str:
    """``sentence`` (a base sentence ending in ".") in ``style``; ``rng`` is only drawn from by sampled styles."""
    if style == "augment":
        return augment(sentence, rng)
    if style == "shake_w":
        return apply_rules(sentence, SHAKE_WORDS, None)
    family, _, decoding = style.partition("_")
    if family not in PHRASES or decoding not in ("p0", "p0.6"):
        raise ValueError(f"unknown style key {style!r}; expected one of {STYLE_KEYS}")
    sampled = rng if decoding == "p0.6" else None
    out = _frame(apply_rules(sentence, PHRASES[family], sampled), family, sampled)
    # A draw that changed nothing (every rule drew the original word) falls back to the greedy rewrite, so each
    # style always shows: the greedy rules touch every base sentence.
    return out if out != sentence else _frame(apply_rules(sentence, PHRASES[family], None), family, None)
