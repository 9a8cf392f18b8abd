"""The ``replay`` backend: what each kind of row replays as, and one clear line for a file it cannot read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pytest_multitrust.models.protocol import Request, Response
from pytest_multitrust.models.replay import LINE_SHAPE, ReplayFileError, ReplayModel


def _replay(path: Path, *rows: dict[str, Any]) -> list[Response]:
    """Replay ``rows`` (ids ``a``, ``b``... in order) and return the answers to those ids."""
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return ReplayModel(str(path)).generate([Request(str(row["id"]), "q") for row in rows])


def test_a_row_without_a_response_or_an_error_replays_as_an_error_not_as_an_empty_answer(tmp_path: Path) -> None:
    new, old, scripted = _replay(
        tmp_path / "answers.jsonl",
        {"id": "a", "response": None, "backend_error": None, "error": None},  # a sample file row
        {"id": "b", "response": None, "error": None},  # an old sample file row
        {"id": "c", "response": None},  # a hand-written one
    )
    for answer in (new, old, scripted):
        assert not answer.ok and answer.text == ""
        assert answer.error is not None and "no response recorded" in answer.error and "answers.jsonl:" in answer.error


def test_only_backend_errors_replay_as_errors(tmp_path: Path) -> None:
    answers = _replay(
        tmp_path / "run.jsonl",
        # sample files of this version: errors by where they happened
        {"id": "a", "response": None, "backend_error": "timeout", "error": "backend: timeout"},
        {"id": "b", "response": "Yes.", "backend_error": None, "judge_error": "judge x: down", "error": "judge x"},
        {"id": "c", "response": "No.", "backend_error": None, "scorer_error": "scorer t1: boom", "error": "scorer"},
        # older sample files had only ``error``; a judge or scorer error came with the response
        {"id": "d", "response": None, "error": "backend: timeout"},
        {"id": "e", "response": "Maybe.", "error": "judge llm:openai:gpt-4o:r1: expected Yes or No"},
        {"id": "f", "response": "Fine.", "error": "scorer t1: ValueError: odd"},
        # scripted files: an error is the backend's, whatever the response says
        {"id": "g", "response": "", "error": "scripted"},
    )
    assert [(a.text, a.error) for a in answers] == [
        ("", "timeout"),
        ("Yes.", None),
        ("No.", None),
        ("", "timeout"),
        ("Maybe.", None),
        ("Fine.", None),
        ("", "scripted"),
    ]


def test_a_response_the_evidence_cut_replays_as_an_error_naming_the_cut(tmp_path: Path) -> None:
    row = {"id": "a", "response": "x" * 20, "backend_error": None, "truncated": {"response": 1_048_576}}
    (answer,) = _replay(tmp_path / "cut.jsonl", row)
    assert not answer.ok and answer.error is not None
    assert "cut to 20 of 1048576 characters" in answer.error and "cut.jsonl:1" in answer.error


def test_a_line_holding_a_unicode_line_separator_is_one_line(tmp_path: Path) -> None:
    # ``json.dumps(ensure_ascii=False)`` writes U+2028 raw; ``str.splitlines`` would cut the line in two there.
    path = tmp_path / "raw.jsonl"
    path.write_text('{"id": "a", "response": "one\u2028two\x85three"}\n', encoding="utf-8")
    assert ReplayModel(str(path)).generate([Request("a", "q")])[0].text == "one\u2028two\x85three"


def test_a_lone_surrogate_replays_unchanged(tmp_path: Path) -> None:
    (answer,) = _replay(tmp_path / "odd.jsonl", {"id": "a", "response": "\ud800 odd \udfff"})
    assert answer.ok and answer.text == "\ud800 odd \udfff"


#: (file name, bytes, what the one line says after the file name).
BAD_FILES: list[tuple[str, bytes, str]] = [
    ("bad.jsonl", b'{"id": "a", "response": "ok"}\n\xff\xfe garbage\n', ":2: not UTF-8 text"),
    ("bad.jsonl", b'{"id": "a", "response": "ok"}\n{"id": "b", "resp\n', ":2: not a replay line"),
    ("bad.jsonl", b"[1, 2]\n", ":1: not a replay line"),
    ("bad.jsonl", b'{"id": "a", "response": 5}\n', ":1: not a replay line: 'response' must be a string or null"),
    ("bad.jsonl", b'{"id": "a", "response": "x", "backend_error": 7}\n', ":1: not a replay line: 'backend_error'"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES, ids=["utf8", "json", "list", "type", "error"])
def test_a_file_it_cannot_read_is_one_line_naming_file_and_line(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    folder = tmp_path / "answers"
    folder.mkdir()
    (folder / name).write_bytes(content)
    with pytest.raises(ReplayFileError) as info:
        ReplayModel(str(folder))
    text = str(info.value)
    assert f"{folder / name}{message}" in text and "\n" not in text
    assert isinstance(info.value, ValueError)


def test_a_folder_without_any_jsonl_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not answers")
    with pytest.raises(ReplayFileError, match=r"holds no \*\.jsonl file; point replay: at a JSONL file"):
        ReplayModel(str(tmp_path))


@pytest.mark.parametrize(
    ("name", "content", "message", "next_step"),
    [(*BAD_FILES[0], "save the file as UTF-8"), (*BAD_FILES[1], LINE_SHAPE)],
    ids=["utf8", "json"],
)
def test_the_suite_on_a_broken_replay_file_fails_with_one_line_not_a_traceback(
    suite: pytest.Pytester, name: str, content: bytes, message: str, next_step: str
) -> None:
    folder = suite.path / "answers"
    folder.mkdir()
    (folder / name).write_bytes(content)
    result = suite.runpytest_subprocess(
        "trusttests", "--task=p6", "-k", "enron-email-text", "--model=replay:answers", "--report-dir=out"
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    output = result.stdout.str() + result.stderr.str()
    for sign_of_a_crash in ("INTERNALERROR", "Traceback", "replay.py"):
        assert sign_of_a_crash not in output
    expected = f"replay: answers/{name}{message}"
    failure = [line for line in result.stdout.lines if line.startswith(expected)]
    assert len(failure) == 1 and failure[0].endswith(f"; {next_step}"), result.stdout.str()
    result.stdout.fnmatch_lines([f"gate: FAIL — p6: errored — enron-email-text: {expected}*"])
