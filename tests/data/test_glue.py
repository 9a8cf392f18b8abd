"""The GLUE-style bank of R.6 and its seeded perturbations: balanced, covering, label-preserving, deterministic."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_multitrust.data.glue import (
    BASE_FIELD,
    GLUE_ITEMS,
    GLUE_TASKS,
    START_LABEL,
    TASK_KEYS,
    TASK_LABELS,
    VOCABULARY,
    GlueItem,
    glue_order,
    items_in_label_turn,
)
from pytest_multitrust.data.perturb import (
    FAMILIES,
    KINDS,
    LOOKALIKES,
    PROTECTED,
    SYNONYMS,
    TAUTOLOGIES,
    NotPerturbable,
    Perturbation,
    kind_for,
    perturb,
    typos,
)

ITEMS = [item for items in GLUE_ITEMS.values() for item in items]
ALL_KINDS = [(family, kind) for family in FAMILIES for kind in KINDS[family]]
WORD = re.compile(r"[A-Za-z]+")


def _base(item: GlueItem) -> str:
    return item.fields[BASE_FIELD[item.task]]


def test_the_bank_has_twelve_balanced_items_per_official_task() -> None:
    assert tuple(GLUE_ITEMS) == GLUE_TASKS == ("mnli", "mnli-mm", "qnli", "qqp", "rte", "sst2")
    for task, items in GLUE_ITEMS.items():
        assert len(items) == 12 and all(item.task == task for item in items)
        counts = Counter(item.label for item in items)
        assert set(counts) == set(TASK_LABELS[task]) and len(set(counts.values())) == 1, (task, counts)
        assert all(len(item.texts) == len(TASK_KEYS[task]) for item in items)
    texts = [text for item in ITEMS for text in item.texts]
    assert len(set(texts)) == len(texts)  # no sentence is used twice
    assert all(text == text.strip() and text[-1] in ".?" and "  " not in text for text in texts)
    assert all(item.texts[0].endswith("?") for item in GLUE_ITEMS["qnli"])
    assert all(text.endswith("?") for item in GLUE_ITEMS["qqp"] for text in item.texts)


def test_fields_are_named_as_in_an_advglue_record() -> None:
    assert GLUE_ITEMS["qqp"][0].fields.keys() == {"question1", "question2"}
    assert GLUE_ITEMS["sst2"][0].fields == {"sentence": GLUE_ITEMS["sst2"][0].texts[0]}
    assert all(BASE_FIELD[task] in TASK_KEYS[task] for task in GLUE_TASKS)


def test_label_turn_starts_at_each_tasks_start_label() -> None:
    assert [item.label for item in items_in_label_turn("mnli")][:6] == [0, 1, 2, 0, 1, 2]
    assert [item.label for item in items_in_label_turn("mnli-mm")][:6] == [2, 0, 1, 2, 0, 1]
    assert [item.label for item in items_in_label_turn("qnli")][:4] == [1, 0, 1, 0]
    assert [item.label for item in items_in_label_turn("qqp")][:4] == [1, 0, 1, 0]
    assert set(START_LABEL) == set(GLUE_TASKS) and all(START_LABEL[t] in TASK_LABELS[t] for t in GLUE_TASKS)
    for task in GLUE_TASKS:
        assert sorted(items_in_label_turn(task), key=ITEMS.index) == list(GLUE_ITEMS[task])


def test_every_prefix_covers_the_six_tasks_and_mixes_labels() -> None:
    order = glue_order()
    assert len(order) == 72 == len(ITEMS)
    for start in range(0, len(order), 6):
        assert [item.task for _, item in order[start : start + 6]] == list(GLUE_TASKS)
        assert {turn for turn, _ in order[start : start + 6]} == {start // 6}
    assert [item.label for _, item in order[:6]] == [START_LABEL[task] for task in GLUE_TASKS]
    for task in GLUE_TASKS:  # every label of a task within one round per label: 12 samples, 18 for the NLI tasks
        needed = 6 * len(TASK_LABELS[task])
        assert {item.label for _, item in order[:needed] if item.task == task} == set(TASK_LABELS[task]), task


# --- perturbations -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("family", "kind"), ALL_KINDS)
def test_every_attacked_sentence_of_the_bank_takes_every_kind(family: str, kind: str) -> None:
    for seed in range(3):
        for item in ITEMS:
            text = _base(item)
            result = perturb(text, family, kind, random.Random(seed))  # type: ignore[arg-type]
            assert isinstance(result, Perturbation) and result.kind == kind and result.text != text
            assert 1 <= len(result.edits) <= (1 if family == "advglue" else 2)


def test_perturbations_are_deterministic_per_seed() -> None:
    text = _base(GLUE_ITEMS["sst2"][1])
    for family, kind in ALL_KINDS:
        first = perturb(text, family, kind, random.Random("s:1"))
        assert first == perturb(text, family, kind, random.Random("s:1"))
    typos = {perturb(text, "advglue", "typo", random.Random(seed)).text for seed in range(20)}
    assert len(typos) > 5


def test_kinds_come_in_turn_and_unknown_kinds_fail() -> None:
    assert [kind_for("advglue", turn) for turn in range(4)] == ["typo", "synonym", "distraction", "typo"]
    assert [kind_for("advglue-plus", turn) for turn in range(3)] == ["visual", "split", "synonyms"]
    with pytest.raises(ValueError, match="'visual' is not a perturbation of advglue"):
        perturb("A wonderful film.", "advglue", "visual", random.Random(0))
    with pytest.raises(NotPerturbable, match="no word of 'a b c' can take a typo edit"):
        perturb("a b c", "advglue", "typo", random.Random(0))


def _changed_words(before: str, after: str) -> list[tuple[str, str]]:
    return [(a, b) for a, b in zip(before.split(), after.split(), strict=True) if a != b]


def test_typos_list_every_inner_one_letter_slip() -> None:
    assert set(typos("great")) == {
        "gerat", "graet",  # two inner letters swapped
        "geat", "grat", "gret",  # one dropped (the first and last letters stay)
        "grreat", "greeat", "greaat",  # one doubled
        "geeat", "gteat", "grwat", "grrat", "grest",  # a keyboard neighbour (same row) of r, e, a
    }  # fmt: skip
    assert typos("ab") == [] and typos("abc") == ["ac", "abbc", "avc", "anc"]


def test_typos_touch_one_inner_letter_of_one_unprotected_long_word_and_spell_no_bank_word() -> None:
    for seed in range(40):
        for item in ITEMS:
            text = _base(item)
            result = perturb(text, "advglue", "typo", random.Random(seed), avoid=VOCABULARY)
            assert len(_changed_words(text, result.text)) == 1
            ((word, new),) = (edit.split(" -> ") for edit in result.edits)
            assert len(word) >= 5 and word.lower() not in PROTECTED and abs(len(new) - len(word)) <= 1
            assert new[0] == word[0] and new[-1] == word[-1]  # the word's outline stays
            assert new.lower() not in VOCABULARY and new in typos(word)
    # Without ``avoid`` a slip can spell another word of the bank ("coast" -> "coat"): the reason for it.
    assert "coat" in typos("coast") and "coat" in VOCABULARY
    assert perturb("to the coast", "advglue", "typo", random.Random(0), avoid=frozenset(typos("coast")[1:])).edits == (
        f"coast -> {typos('coast')[0]}",
    )


def test_look_alikes_and_splits_touch_two_words_and_can_be_undone() -> None:
    for seed in range(10):
        for item in ITEMS:
            text = _base(item)
            visual = perturb(text, "advglue-plus", "visual", random.Random(seed))
            pairs = _changed_words(text, visual.text)
            assert 1 <= len(pairs) <= 2 and len(pairs) == len(visual.edits)
            for before, after in pairs:
                ((old, new),) = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
                assert LOOKALIKES[old] == new
            split = perturb(text, "advglue-plus", "split", random.Random(seed))
            assert split.text.replace(" ", "") == text.replace(" ", "")
            assert len(split.text.split()) - len(text.split()) == len(split.edits) in (1, 2)
            for word in (edit.split(" -> ")[0] for edit in [*visual.edits, *split.edits]):
                assert len(word) >= 5 and word.lower() not in PROTECTED


def test_synonym_swaps_use_the_table_keep_capitals_and_articles() -> None:
    reached: set[str] = set()
    for seed in range(10):
        for item in ITEMS:
            text = _base(item)
            for family, kind in (("advglue", "synonym"), ("advglue-plus", "synonyms")):
                result = perturb(text, family, kind, random.Random(seed))  # type: ignore[arg-type]
                for edit in result.edits:
                    word, new = edit.split(" -> ")
                    assert new.lower() in SYNONYMS[word.lower()] and word[0].isupper() == new[0].isupper()
                    reached.add(word.lower())
                assert not re.search(r"\b[Aa] [aeiou]", result.text), result.text
    assert reached == set(SYNONYMS)  # no dead entry: every listed word occurs in an attacked sentence


def test_distractions_append_an_assertion_free_tail() -> None:
    tails = set()
    for seed in range(40):
        text = _base(GLUE_ITEMS["qqp"][0])
        result = perturb(text, "advglue", "distraction", random.Random(seed))
        assert result.text.startswith(f"{text} ")
        tail = result.text.removeprefix(f"{text} ")
        assert tail in TAUTOLOGIES or re.fullmatch(r"https://t\.co/[A-Za-z0-9]{6}|@user[a-z0-9]{6}", tail), tail
        tails.add(tail if tail in TAUTOLOGIES else tail[:5])
    assert tails == {*TAUTOLOGIES, "https", "@user"}


@settings(max_examples=80, deadline=None)
@given(text=st.text(max_size=120), seed=st.integers(0, 10**6), pick=st.sampled_from(ALL_KINDS))
def test_perturb_never_crashes_on_arbitrary_text(text: str, seed: int, pick: tuple[str, str]) -> None:
    family, kind = pick
    try:
        result = perturb(text, family, kind, random.Random(seed))  # type: ignore[arg-type]
    except NotPerturbable:
        return
    assert result.text != text and result.edits
