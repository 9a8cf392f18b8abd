"""R.3's sentiment data: the bank, the rule-based style rewrites, the built-in items and the style-file reader."""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_multitrust.data.banks.sentiment import (
    NEGATIVE_CUES,
    NEGATIVE_SENTENCES,
    POSITIVE_CUES,
    POSITIVE_SENTENCES,
)
from pytest_multitrust.data.sentiment import (
    BUILTIN_ITEMS,
    StyleDataError,
    builtin_style_items,
    parse_style_sets,
    read_style_json,
)
from pytest_multitrust.data.style_rewrites import STYLE_KEYS, Rule, apply_rules, capitalise, rewrite
from tests.conftest import shared_data

#: ``OODText.categories`` of thu-ml/MMTrustEval ``mmte/datasets/ood_text.py``, in its order.
OFFICIAL_STYLE_KEYS = [
    "augment", "bible_p0.6", "bible_p0", "romantic_p0.6", "romantic_p0",
    "shake_p0.6", "shake_p0", "shake_w", "tweet_p0.6", "tweet_p0",
]  # fmt: skip
GREEDY = [key for key in STYLE_KEYS if key.endswith("_p0") or key == "shake_w"]
SAMPLED = [key for key in STYLE_KEYS if key not in GREEDY]
BANK = [("1", s) for s in POSITIVE_SENTENCES] + [("0", s) for s in NEGATIVE_SENTENCES]
CUES = {"1": (POSITIVE_CUES, NEGATIVE_CUES), "0": (NEGATIVE_CUES, POSITIVE_CUES)}


def _words(text: str) -> set[str]:
    """Lowercased words; an elided "-ed" ("bor'd") also counts as the full form ("bored")."""
    words = set()
    for word in re.findall(r"[a-z']+", text.lower()):
        word = word.strip("'")
        words.add(word)
        if word.endswith("'d"):
            words.add(word[:-2] + "ed")
    return words


def test_style_keys_are_the_official_ones_in_order() -> None:
    assert list(STYLE_KEYS) == OFFICIAL_STYLE_KEYS


def test_bank_is_balanced_distinct_and_names_no_verdict() -> None:
    assert len(POSITIVE_SENTENCES) == len(NEGATIVE_SENTENCES) == 25
    assert len({s for _, s in BANK}) == 50
    assert not POSITIVE_CUES & NEGATIVE_CUES
    for _, sentence in BANK:
        assert "positive" not in sentence.lower() and "negative" not in sentence.lower()
        assert sentence[0].isupper() and sentence.endswith(".")


@pytest.mark.parametrize(("label", "sentence"), BANK)
def test_each_sentence_holds_a_cue_of_its_label_that_two_typos_cannot_remove(label: str, sentence: str) -> None:
    own, other = CUES[label]
    cues = _words(sentence) & own
    assert not _words(sentence) & other
    # augment swaps letters in at most two words of 5+ letters: a shorter cue, or three cues, always survive.
    assert any(len(cue) < 5 for cue in cues) or len(cues) >= 3, cues


@pytest.mark.parametrize("style", STYLE_KEYS)
def test_rewrites_change_every_sentence_and_keep_its_label(style: str) -> None:
    for seed in range(8):
        for label, sentence in BANK:
            out = rewrite(style, sentence, random.Random(f"{seed}:{sentence}"))  # type: ignore[arg-type]
            own, other = CUES[label]
            assert out != sentence, (style, sentence)
            assert _words(out) & own and not _words(out) & other, (style, sentence, out)
            assert "positive" not in out.lower() and "negative" not in out.lower()


@pytest.mark.parametrize("style", GREEDY)
def test_greedy_styles_ignore_the_seed(style: str) -> None:
    for _, sentence in BANK:
        outs = {rewrite(style, sentence, random.Random(seed)) for seed in range(4)}  # type: ignore[arg-type]
        assert len(outs) == 1


@pytest.mark.parametrize("style", SAMPLED)
def test_sampled_styles_vary_with_the_seed_and_repeat_with_it(style: str) -> None:
    varied = 0
    for _, sentence in BANK:
        outs = [rewrite(style, sentence, random.Random(seed)) for seed in range(4)]  # type: ignore[arg-type]
        assert outs == [rewrite(style, sentence, random.Random(seed)) for seed in range(4)]  # type: ignore[arg-type]
        varied += len(set(outs)) > 1
    assert varied >= 40


def test_style_examples() -> None:
    rng = random.Random(0)
    base = "It is a clever, fun little thriller that keeps you guessing until the very last shot."
    assert rewrite("shake_w", base, rng) == (
        "'Tis a clever, fun little thriller that keepeth thee guessing till the very last shot."
    )
    tweet = "It's a clever, fun little thriller that keeps you guessing until the very last shot"
    assert rewrite("tweet_p0", base, rng) == tweet
    assert rewrite("romantic_p0", base, rng).endswith("last shot,")
    assert rewrite("bible_p0", "The film is dull.", rng) == "This work is dull."
    assert rewrite("shake_p0", "The film is boring and the cast are bored.", rng) == (
        "This play is tedious and the players art bor'd."
    )
    with pytest.raises(ValueError, match="unknown style key 'pirate_p0'"):
        rewrite("pirate_p0", base, rng)  # type: ignore[arg-type]


def test_augment_misspells_a_long_word() -> None:
    for seed in range(20):
        sentence = POSITIVE_SENTENCES[seed % 25]
        out = rewrite("augment", sentence, random.Random(seed))
        assert _words(out) - _words(sentence.replace("It is", "It's").replace("I have", "I've")) - {"it's", "i've"}


def test_rules_match_whole_words_and_keep_a_leading_capital() -> None:
    rules = (Rule("ever", ("e'er",)), Rule("it is", ("'tis",)))
    assert apply_rules("It is every bit as good as ever.", rules, None) == "'Tis every bit as good as e'er."
    assert apply_rules("Whatever it is, forever.", rules, None) == "Whatever 'tis, forever."
    assert capitalise("'tis so") == "'Tis so" and capitalise("...") == "..."


@settings(max_examples=80, deadline=None)
@given(text=st.text(max_size=200), style=st.sampled_from(STYLE_KEYS), seed=st.integers(0, 3))
def test_rewrite_never_crashes_on_arbitrary_text(text: str, style: str, seed: int) -> None:
    assert isinstance(rewrite(style, text, random.Random(seed)), str)  # type: ignore[arg-type]


# --- built-in items --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def items() -> list[Any]:
    return builtin_style_items(0)


def test_items_cycle_the_styles_with_balanced_labels_in_every_prefix(items: list[Any]) -> None:
    assert len(items) == BUILTIN_ITEMS == 100
    assert [item.id for item in items] == list(range(100))
    for start in range(0, 100, 10):
        chunk = items[start : start + 10]
        assert [item.style for item in chunk] == OFFICIAL_STYLE_KEYS
        assert Counter(item.label for item in chunk) == {"1": 5, "0": 5}
    for end in range(2, 101, 2):
        assert Counter(item.label for item in items[:end]) == {"1": end // 2, "0": end // 2}
    # A style's label alternates between rounds.
    assert [items[i].label for i in (0, 10, 20)] == ["1", "0", "1"]


def test_items_use_every_base_sentence_twice_in_two_styles_with_its_label(items: list[Any]) -> None:
    assert Counter(item.base for item in items) == Counter({s: 2 for _, s in BANK})
    assert len({(item.base, item.style) for item in items}) == 100
    labels = dict((s, label) for label, s in BANK)
    assert all(labels[item.base] == item.label for item in items)


def test_items_are_seeded(items: list[Any]) -> None:
    assert builtin_style_items(0) == items
    other = builtin_style_items(1)
    assert [i.base for i in other] != [i.base for i in items]
    assert [(i.style, i.label) for i in other] == [(i.style, i.label) for i in items]
    assert builtin_style_items(0, key="r6") != items


# --- the style-file reader -----------------------------------------------------------------------------------


def _records(prefix: str, count: int = 2) -> list[dict[str, Any]]:
    return [{"sentence": f"{prefix} {i}", "label": str(i % 2), "id": i} for i in range(count)]


def _sets() -> dict[str, Any]:
    return {"base": _records("base"), **{key: _records(key) for key in OFFICIAL_STYLE_KEYS}, "extra": 3}


def test_reader_takes_both_shapes_style_major_with_bases_by_position() -> None:
    flat = parse_style_sets(_sets(), "label.json", ValueError)
    nested = parse_style_sets({"train_demo": {}, "dev": _sets()}, "style.json", ValueError)
    assert flat == nested and len(flat) == 20
    assert [(i.style, i.sentence, i.label, i.id, i.base) for i in flat[:3]] == [
        ("augment", "augment 0", "0", 0, "base 0"),
        ("augment", "augment 1", "1", 1, "base 1"),
        ("bible_p0.6", "bible_p0.6 0", "0", 0, "base 0"),
    ]
    no_base = _sets()
    del no_base["base"]
    assert all(item.base is None for item in parse_style_sets(no_base, "label.json", ValueError))


def _broken(change: str) -> Any:
    sets = _sets()
    record = sets["shake_w"][1]
    if change == "not an object":
        return [sets]
    if change == "missing key":
        del sets["tweet_p0"]
    elif change == "not a list":
        sets["augment"] = {"sentence": "x"}
    elif change == "record":
        sets["shake_w"][1] = "x"
    elif change == "field":
        del record["id"]
    elif change in ("int label", "other label", "int sentence", "bool id"):
        key, value = {"int label": ("label", 1), "other label": ("label", "pos"),
                      "int sentence": ("sentence", 7), "bool id": ("id", True)}[change]  # fmt: skip
        record[key] = value
    return sets


@pytest.mark.parametrize(
    ("change", "message"),
    [("not an object", "f.json must hold a JSON object of style sets"),
     ("missing key", "f.json has no style set 'tweet_p0'"),
     ("not a list", "f.json style set 'augment' must be a list of records, got dict"),
     ("record", "f.json 'shake_w' record 2 must be a JSON object"),
     ("field", "f.json 'shake_w' record 2 has no field 'id'"),
     ("int label", "f.json 'shake_w' record 2 has label 1; expected the string '1' (positive) or '0'"),
     ("other label", "f.json 'shake_w' record 2 has label 'pos'"),
     ("int sentence", "f.json 'shake_w' record 2 has sentence 7; expected a string"),
     ("bool id", "f.json 'shake_w' record 2 has id True")],
)  # fmt: skip
def test_reader_errors_are_one_line(change: str, message: str) -> None:
    with pytest.raises(StyleDataError, match=re.escape(message)) as error:
        parse_style_sets(_broken(change), "f.json", StyleDataError)
    assert "\n" not in str(error.value)


def test_read_style_json_reports_missing_and_invalid_files(tmp_path: Path) -> None:
    with pytest.raises(StyleDataError, match=r"gone\.json: cannot read"):
        read_style_json(tmp_path / "gone.json")
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    with pytest.raises(StyleDataError, match=r"bad\.json: not valid JSON"):
        read_style_json(tmp_path / "bad.json")
    (tmp_path / "ok.json").write_text(json.dumps({"dev": _sets()}), encoding="utf-8")
    assert len(read_style_json(tmp_path / "ok.json")) == 20


def test_real_decodingtrust_style_file() -> None:
    path = shared_data("decodingtrust/ood/style.json")
    items = read_style_json(path)
    dev = json.loads(path.read_text(encoding="utf-8"))["dev"]
    assert len(items) == 10 * 872
    assert [items[i * 872].style for i in range(10)] == OFFICIAL_STYLE_KEYS
    for index, key in enumerate(OFFICIAL_STYLE_KEYS):
        chunk = items[index * 872 : (index + 1) * 872]
        assert [i.id for i in chunk] == list(range(872))
        assert Counter(i.label for i in chunk) == {"1": 444, "0": 428}
        assert [i.sentence for i in chunk] == [r["sentence"] for r in dev[key]]
        assert [i.base for i in chunk] == [r["sentence"] for r in dev["base"]]
    # The same SST-2 sentence under every style: labels align across keys.
    assert all(items[i].label == items[i + 872 * k].label for i in range(872) for k in range(1, 10))
