"""``--mitigation NAME[:KEY=VALUE,...]``: parsing, validation errors, descriptions."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_multitrust.mitigations import (
    MITIGATIONS,
    MitigationError,
    describe_mitigations,
    mitigation_help,
    mitigation_slug,
    parse_mitigation,
)
from pytest_multitrust.mitigations.prompting import SAFETY_SYSTEM_PROMPT


def test_the_five_mitigations_are_registered_with_a_source() -> None:
    assert sorted(MITIGATIONS) == ["adashield", "caption-first", "cot-safety", "safety-prompt", "self-check"]
    for cls in MITIGATIONS.values():
        assert "arXiv" in (cls.__doc__ or "")
        assert cls.source


def test_a_bare_name_takes_the_defaults() -> None:
    spec = parse_mitigation(" safety-prompt ")
    assert (spec.name, spec.params) == ("safety-prompt", ())
    assert spec.resolved() == {"prompt": SAFETY_SYSTEM_PROMPT}


def test_values_are_converted_and_kept_in_order() -> None:
    spec = parse_mitigation("caption-first:caption_tokens=64,detector=always")
    assert spec.params == (("caption_tokens", 64), ("detector", "always"))
    assert spec.resolved() == {"detector": "always", "check_tokens": 8, "caption_tokens": 64}


def test_a_prompt_may_hold_commas_and_colons() -> None:
    spec = parse_mitigation("safety-prompt:prompt=Be safe, kind: and honest.")
    assert spec.params == (("prompt", "Be safe, kind: and honest."),)


def test_a_prompt_is_read_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "prompt.txt"
    path.write_text("Refuse, politely,x=1 harmful requests.", encoding="utf-8")
    spec = parse_mitigation(f"safety-prompt:prompt=@{path}")
    assert spec.params == (("prompt", "Refuse, politely,x=1 harmful requests."),)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("nope", "--mitigation 'nope': unknown mitigation; known: adashield, caption-first, cot-safety, "
         "safety-prompt, self-check"),
        ("safety-prompt:tone=calm", "--mitigation safety-prompt: unknown parameter 'tone'; its parameters: prompt"),
        ("safety-prompt:", "--mitigation safety-prompt: nothing after ':'; give KEY=VALUE pairs or drop the ':'"),
        ("safety-prompt:calm", "--mitigation safety-prompt: expected KEY=VALUE after ':', got 'calm'"),
        ("safety-prompt:prompt= ", "--mitigation safety-prompt: prompt must not be empty (give the text, or @path "
         "to a text file)"),
        ("caption-first:caption_tokens=many", "--mitigation caption-first: caption_tokens must be an integer >= 1, "
         "got 'many'"),
        ("caption-first:check_tokens=0", "--mitigation caption-first: check_tokens must be an integer >= 1, got '0'"),
        ("self-check:action=ignore", "--mitigation self-check: action must be one of revise, refuse, got 'ignore'"),
        ("adashield:scope=all,scope=images", "--mitigation adashield: scope is given twice; give each parameter once"),
        ("cot-safety:prompt=Think first.", "--mitigation cot-safety: prompt must contain {question} (where that text "
         "goes), got 'Think first.'"),
    ],
)  # fmt: skip
def test_bad_values_are_one_line_errors(text: str, message: str) -> None:
    with pytest.raises(MitigationError) as caught:
        parse_mitigation(text)
    assert str(caught.value) == message


def test_an_unreadable_prompt_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "absent.txt"
    with pytest.raises(MitigationError, match=r"^--mitigation adashield: prompt=@.*absent\.txt: cannot read it"):
        parse_mitigation(f"adashield:prompt=@{missing}")


def test_describe_mitigations_names_every_parameter_and_the_source() -> None:
    specs = [parse_mitigation("self-check:action=refuse"), parse_mitigation("adashield")]
    described = describe_mitigations(specs)
    assert [d["name"] for d in described] == ["self-check", "adashield"]
    assert described[0]["spec"] == "self-check:action=refuse"
    assert described[0]["params"]["action"] == "refuse"
    assert described[0]["params"]["check_tokens"] == 8
    assert "2308.07308" in described[0]["source"]
    assert described[1]["params"]["position"] == "after"


def test_help_lists_each_mitigation_and_its_keys() -> None:
    lines = mitigation_help().splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == sorted(MITIGATIONS)
    assert "reasoning_tokens: tokens added" in lines[2]


def test_the_slug_names_the_mitigations_and_tells_parameters_apart() -> None:
    assert mitigation_slug([]) == ""
    plain = [parse_mitigation("safety-prompt"), parse_mitigation("caption-first")]
    assert mitigation_slug(plain) == "safety-prompt+caption-first"
    first = mitigation_slug([parse_mitigation("adashield:position=before")])
    second = mitigation_slug([parse_mitigation("adashield:position=after")])
    assert first.startswith("adashield-") and len(first) == len("adashield-") + 6 and first != second
