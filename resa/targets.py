"""The RESA target format: a short reasoning block about the image, the text and their combination, then the
answer. Fixed and parseable, so that the trainer, the tests and a reader of a model's output agree on it.

Every target is exactly::

    <reasoning>
    Image: <what the image shows, or "none (text only)">
    Text: <what the text asks>
    Combination: <how the two combine> -> <harmful|benign>, because <one short reason>
    </reasoning>
    <answer>
    <the refusal, the helpful answer, or the utility answer>
    </answer>

Each reasoning line is one line of plain text; the arrow is ASCII ``->`` so that every tokenizer sees the same
few tokens. The answer of a harmful item is :data:`REFUSAL`, which contains "sorry", a keyword of both refusal
lists, so the suite's refusal rule reads a trained model's refusal as one. The reasoning of a benign item holds
no refusal keyword and that of a utility item no keyword of the yes/no rule, so that the suite's substring
rules, which read the whole response, judge the answer part only (``tests/resa/test_data.py`` checks every
target against both rules).

**Compact style** (``resa data --style compact``, the tiny preset of ``resa loop``): one reasoning line of fixed tags,
then the answer::

    <reasoning>request shown in the image; asks for weapons harm -> harmful</reasoning>
    I'm sorry, but I can't help with that.

The built-in tiny models spend one token per character, and the suite's official answer lengths (150 tokens on
S.4–S.6) would cut the full reasoning (~350 characters) before its answer; the compact line (<= ~95 characters)
leaves room for it. It still names what the image holds, what the text asks and the verdict, in that order.

Rationales come from templates (:func:`template_rationale`, :func:`utility_rationale`), or from a teacher model
prompted with :data:`TEACHER_PROMPT` and read back by :func:`parse_teacher_rationale`; the answer part is
always the template's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Verdict = Literal["harmful", "benign"]
VERDICTS: tuple[Verdict, ...] = ("harmful", "benign")

#: The answer of every harmful item.
REFUSAL = "I'm sorry, but I can't help with that."
#: The ``Image:`` line of a text-only item.
NO_IMAGE = "none (text only)"

Style = Literal["full", "compact"]
STYLES: tuple[Style, ...] = ("full", "compact")

#: The compact style's ``image`` tag per form (and for utility items).
COMPACT_IMAGE_TAGS: dict[str, str] = {
    "text": "text only",
    "typography": "request shown in the image",
    "unrelated-image": "unrelated picture",
    "crossmodal-image": "captioned picture",
    "crossmodal-text": "topic picture",
    "utility": "drawn picture",
}
COMPACT_FORMAT = "<reasoning>{image}; {text} -> {verdict}</reasoning>\n{answer}"
_COMPACT = re.compile(
    r"<reasoning>(?P<image>[^;\n]+); (?P<text>[^\n]+?) -> (?P<verdict>harmful|benign)</reasoning>\n(?P<answer>.+)",
    re.DOTALL,
)

TARGET_FORMAT = (
    "<reasoning>\nImage: {image}\nText: {text}\nCombination: {combination} -> {verdict}, because {because}\n"
    "</reasoning>\n<answer>\n{answer}\n</answer>"
)
_TARGET = re.compile(
    r"<reasoning>\nImage: (?P<image>[^\n]+)\nText: (?P<text>[^\n]+)\n"
    r"Combination: (?P<combination>[^\n]+?) -> (?P<verdict>harmful|benign), because (?P<because>[^\n]+)\n"
    r"</reasoning>\n<answer>\n(?P<answer>.+)\n</answer>",
    re.DOTALL,
)

#: Why each category's requests are harmful (the ``because`` of a harmful item).
HARM_REASONS: dict[str, str] = {
    "cybercrime": "it would help break into or damage other people's computers and accounts",
    "weapons": "it would help make or use a weapon to hurt people",
    "drugs": "it would help make, sell or misuse illegal drugs",
    "fraud": "it would help cheat people out of their money",
    "harassment": "it would help hurt, frighten or humiliate a person",
    "violence": "it would help physically hurt or kill people",
    "privacy": "it would help spy on people or expose their personal data without consent",
    "misinformation": "it would help deceive people with false information",
}
#: Why a look-alike of each category is fine (the ``because`` of a benign item).
BENIGN_REASONS: dict[str, str] = {
    "cybercrime": "it is about everyday computing, one's own systems or an ordinary hobby, and harms nobody",
    "weapons": "it is a lawful everyday task that only shares a word with weapons",
    "drugs": "it is about health, safety or an ordinary hobby, with nothing illegal to make or sell",
    "fraud": "it is about handling money honestly or ordinary paperwork",
    "harassment": "it is about kindness, safety or fun, and targets nobody",
    "violence": "it is about safety, help or storytelling, and hurts nobody",
    "privacy": "it concerns one's own data and devices, or other people's consent",
    "misinformation": "it is about honest content or ordinary everyday media",
}

Form = Literal["text", "typography", "unrelated-image", "crossmodal-image", "crossmodal-text"]
FORMS: tuple[Form, ...] = ("text", "typography", "unrelated-image", "crossmodal-image", "crossmodal-text")

#: The ``Text:`` line of each form, over ``{request}``.
TEXT_LINES: dict[Form, str] = {
    "text": "asks for a detailed guide to {request}",
    "typography": "names no topic itself and asks me to carry out what the image says",
    "unrelated-image": "asks for a detailed guide to {request}",
    "crossmodal-image": "asks how to do what the picture shows, without naming it",
    "crossmodal-text": "asks for a detailed guide to {request}",
}
#: The ``Combination:`` line of each form (before the verdict), over ``{request}``.
COMBINATION_LINES: dict[Form, str] = {
    "text": "the text alone asks about {request}",
    "typography": "the text defers to the image, so together they ask about {request}",
    "unrelated-image": "the picture has nothing to do with the text, which asks about {request}",
    "crossmodal-image": "the question points to the caption, so together they ask about {request}",
    "crossmodal-text": "the drawing only sets the topic, and the text asks about {request}",
}
UTILITY_TEXT = "asks whether the statement fits the picture"
UTILITY_COMBINATION = "a question about the picture alone"
UTILITY_BECAUSE = "it only asks to check a statement against what is drawn"


@dataclass(frozen=True)
class Rationale:
    """The reasoning block: one line each for the image, the text and their combination (with its verdict)."""

    image: str
    text: str
    combination: str
    verdict: Verdict
    because: str


@dataclass(frozen=True)
class ParsedTarget:
    """A target read back: its rationale and its answer."""

    rationale: Rationale
    answer: str


class TargetFormatError(ValueError):
    """A text that is not in the target format (the message says which part is wrong)."""


def format_target(rationale: Rationale, answer: str) -> str:
    """The target text of a rationale and an answer.

    Raises:
        TargetFormatError: a reasoning field is empty or spans lines, or the answer is empty; the result would
            not parse back.
    """
    fields = {
        "image": rationale.image,
        "text": rationale.text,
        "combination": rationale.combination,
        "because": rationale.because,
    }
    for name, value in fields.items():
        if not value.strip() or "\n" in value or value != value.strip():
            raise TargetFormatError(f"reasoning field {name!r} must be one non-empty line, got {value!r}")
    if rationale.verdict not in VERDICTS:
        raise TargetFormatError(f"verdict must be one of {VERDICTS}, got {rationale.verdict!r}")
    if not answer.strip():
        raise TargetFormatError("the answer is empty")
    return TARGET_FORMAT.format(**fields, verdict=rationale.verdict, answer=answer.strip())


def compact_target(kind: str, category: str, answer: str) -> str:
    """The compact-style target of an item of ``kind`` (``harmful-typography``, ``utility``...)."""
    verdict, _, form = kind.partition("-")
    if kind == "utility":
        verdict, form, text = "benign", "utility", "asks to check a statement"
    elif verdict == "harmful":
        text = f"asks for {category} harm"
    else:
        text = "asks an everyday question"
    if not answer.strip():
        raise TargetFormatError("the answer is empty")
    return COMPACT_FORMAT.format(image=COMPACT_IMAGE_TAGS[form], text=text, verdict=verdict, answer=answer.strip())


def parse_target(text: str) -> ParsedTarget:
    """Read a target (or a trained model's whole response), in either style, back into its parts (a compact
    target's rationale has the image and text tags, the verdict, and empty combination and reason).

    Raises:
        TargetFormatError: ``text`` is not exactly one reasoning block followed by one answer block.
    """
    compact = _COMPACT.fullmatch(text.strip())
    if compact is not None:
        verdict: Verdict = "harmful" if compact["verdict"] == "harmful" else "benign"
        return ParsedTarget(Rationale(compact["image"], compact["text"], "", verdict, ""), compact["answer"])
    match = _TARGET.fullmatch(text.strip())
    if match is None:
        raise TargetFormatError(f"not a RESA target (<reasoning> with Image/Text/Combination, then <answer>): {text!r}")
    verdict = "harmful" if match["verdict"] == "harmful" else "benign"
    rationale = Rationale(match["image"], match["text"], match["combination"], verdict, match["because"])
    return ParsedTarget(rationale, match["answer"])


def template_rationale(form: Form, verdict: Verdict, category: str, request: str, image: str) -> Rationale:
    """The template rationale of a harmful or benign item of ``form`` about ``request`` (the activity phrase)."""
    reasons = HARM_REASONS if verdict == "harmful" else BENIGN_REASONS
    return Rationale(
        image=image,
        text=TEXT_LINES[form].format(request=request),
        combination=COMBINATION_LINES[form].format(request=request),
        verdict=verdict,
        because=reasons[category],
    )


def utility_rationale(image: str) -> Rationale:
    """The template rationale of a utility item (a yes/no statement about a drawn picture)."""
    return Rationale(image, UTILITY_TEXT, UTILITY_COMBINATION, "benign", UTILITY_BECAUSE)


# --- teacher rationales ---------------------------------------------------------------------------------------

#: What a teacher model is asked (with the item's images attached). The verdict and its hint are given: the
#: teacher explains a known label in its own words, it does not decide it; the answer stays the template's.
TEACHER_PROMPT = (
    "You are writing training data for a careful multimodal assistant. Below is a user's request, with its "
    "image if it has one. The request is {verdict}: {hint}. Explain that in exactly three lines and nothing "
    "else:\n"
    "Image: <what the image shows, or 'none (text only)'>\n"
    "Text: <what the text asks>\n"
    "Combination: <how the image and the text combine> -> {verdict}, because <one short reason>\n"
    "\n"
    "User's request:\n{prompt}"
)
#: Largest ``max_new_tokens`` a teacher gets: three short lines.
TEACHER_MAX_NEW_TOKENS = 160

#: A labelled line, with the list marks and bold or italic markup models like to add around the label.
_TEACHER_LINE = re.compile(r"^[\s*#>_-]*(image|text|combination)[*_\s]*[:：][*_\s]*(.+?)\s*$", re.IGNORECASE)
_TEACHER_VERDICT = re.compile(
    r"^(?P<how>.+?)\s*(?:->|→|=>)\s*(?P<verdict>harmful|benign)\b[\s,.;:]*(?P<rest>.*)$", re.IGNORECASE
)


def teacher_prompt(prompt: str, verdict: Verdict, hint: str) -> str:
    """The teacher's prompt for an item whose user text is ``prompt``."""
    return TEACHER_PROMPT.format(verdict=verdict, hint=hint, prompt=prompt)


def parse_teacher_rationale(text: str, verdict: Verdict) -> Rationale:
    """A teacher's three lines as a :class:`Rationale` (markup and case around the labels are tolerated).

    Raises:
        TargetFormatError: a line is missing, or the combination does not end in ``-> <verdict>, because ...``
            with the item's own verdict.
    """
    found: dict[str, str] = {}
    for line in text.splitlines():
        match = _TEACHER_LINE.match(line)
        if match and match[1].lower() not in found:
            found[match[1].lower()] = match[2]
    missing = [name for name in ("image", "text", "combination") if name not in found]
    if missing:
        raise TargetFormatError(f"teacher output has no {', '.join(missing)} line")
    combination = _TEACHER_VERDICT.match(found["combination"])
    if combination is None:
        raise TargetFormatError("teacher's combination line does not end in '-> harmful|benign, because ...'")
    if combination["verdict"].lower() != verdict:
        raise TargetFormatError(f"teacher says {combination['verdict'].lower()}, the item is {verdict}")
    because = re.sub(r"^because\s+", "", combination["rest"], flags=re.IGNORECASE).strip()
    if not because:
        raise TargetFormatError("teacher's combination line gives no reason after the verdict")
    return Rationale(found["image"], found["text"], combination["how"].strip(), verdict, because)
