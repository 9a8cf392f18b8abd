"""The official contain-adv rule (``rule_contain_adv_eval``, ``ContainAdvEvaluator`` of
``mmte/evaluators/rule_eval.py``), used by R.6 on AdvGLUE-style items.

The label is ``"<task>-><gold>"`` (``"mnli->2"``). The response is lowercased and searched, as plain
substrings, for the task's answer words in a fixed order; the first word found *whose mapped label equals the
gold label* makes the answer correct. So, officially and here:

- a response naming several answer words is correct whatever the gold ("Yes and no.", "positive or
  negative");
- "no" is found inside "not", "know", "cannot", "another", "none"; "yes" inside "eyes"; "positive" inside
  "non-positive";
- ``None`` as the response scores 0; a label without ``"->"`` raises ``IndexError`` (a label with two uses the
  middle part); a task outside :data:`ANSWER_MAP` goes down the NLI branch and raises ``KeyError`` only when
  one of yes / no / maybe occurs in the response (else 0).
"""

from __future__ import annotations

#: Answer word -> label per task, in the order the words are checked (``answer_mapping``, verbatim).
ANSWER_MAP: dict[str, dict[str, str]] = {
    "mnli": {"yes": "0", "maybe": "1", "no": "2"},
    "mnli-mm": {"yes": "0", "maybe": "1", "no": "2"},
    "qnli": {"yes": "0", "no": "1"},
    "qqp": {"yes": "1", "no": "0"},
    "rte": {"yes": "0", "no": "1"},
    "sst2": {"negative": "0", "positive": "1"},
}
#: The words each branch of the official code checks, in its order: sst2; qnli, qqp and rte; everything else
#: (the NLI branch, which also takes tasks it does not know).
SST2_WORDS: tuple[str, ...] = ("negative", "positive")
BINARY_WORDS: tuple[str, ...] = ("yes", "no")
NLI_WORDS: tuple[str, ...] = ("yes", "no", "maybe")
BINARY_TASKS: frozenset[str] = frozenset({"qnli", "qqp", "rte"})


def split_label(label: str) -> tuple[str, str]:
    """``(task, gold)`` of a ``"<task>-><gold>"`` label, as the official ``label.split("->")[0]``, ``[1]``.

    Raises:
        IndexError: the label has no ``"->"`` (the official error type).
    """
    parts = label.split("->")
    if len(parts) < 2:
        raise IndexError(f"contain-adv label {label!r} has no '->'; expected '<task>-><gold label>'")
    return parts[0], parts[1]


def answer_words(task: str) -> tuple[str, ...]:
    """The words the official rule looks for in a response to ``task``, in its order."""
    if task == "sst2":
        return SST2_WORDS
    return BINARY_WORDS if task in BINARY_TASKS else NLI_WORDS


def contain_adv_match(response: str | None, label: str) -> str | None:
    """The answer word that makes ``response`` correct for ``label``, or None when it is wrong (official rule).

    Raises:
        IndexError: the label has no ``"->"``.
        KeyError: the label's task is unknown and the response holds yes, no or maybe.
    """
    task, gold = split_label(label)
    if response is None:
        return None
    lowered = response.lower()
    for word in answer_words(task):
        if word not in lowered:
            continue
        try:
            mapped = ANSWER_MAP[task][word]
        except KeyError:
            raise KeyError(
                f"contain-adv: unknown task {task!r} in label {label!r}; expected one of {', '.join(ANSWER_MAP)}"
            ) from None
        if mapped == gold:
            return word
    return None


def contain_adv(response: str | None, label: str) -> int:
    """1 when ``response`` is correct for ``label`` under the official contain-adv rule, else 0."""
    return int(contain_adv_match(response, label) is not None)
