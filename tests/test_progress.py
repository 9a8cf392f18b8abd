"""Per-sample progress of long variants: quiet when quick, throttled lines otherwise, shown with and without -n."""

from __future__ import annotations

import pytest

from pytest_multitrust.progress import Progress, chunks
from pytest_multitrust.spec import TaskSpec
from tests.conftest import write_replay


def test_chunks_are_large_enough_to_batch_and_few() -> None:
    assert [len(c) for c in chunks(list(range(100)))] == [64, 36]
    assert [len(c) for c in chunks(list(range(1000)))] == [100] * 10
    assert [len(c) for c in chunks(list(range(5)))] == [5]
    assert list(chunks([])) == []


def test_a_quick_variant_prints_nothing_and_a_long_one_prints_throttled_lines(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("MULTITRUST_PROGRESS_QUIET_S", raising=False)
    now = [0.0]
    lines: list[str] = []
    quick = Progress("p6 enron-email-text", 100, lines.append, clock=lambda: now[0])
    quick.advance(64)
    now[0] = 1.0
    quick.advance(36)
    quick.finish()
    assert lines == []
    now[0] = 0.0
    slow = Progress("f7 subjective-preference-force-text", 240, lines.append, clock=lambda: now[0])
    for t, count in ((3.0, 64), (6.0, 64), (8.0, 64), (12.0, 48)):
        now[0] = t
        slow.advance(count)
    slow.finish()
    assert lines == [
        "f7 subjective-preference-force-text: 128/240 samples (53%), 6 s",  # quiet before 5 s
        "f7 subjective-preference-force-text: 240/240 samples (100%), 12 s",  # 8 s was too soon after 6 s
    ]  # and no closing line repeating the last one
    now[0] = 0.0
    lines.clear()
    cut = Progress("t1 d-basic-object", 100, lines.append, clock=lambda: now[0])
    now[0] = 6.0
    cut.advance(64)
    now[0] = 7.0
    cut.advance(36)  # too soon for a line of its own: the closing line says it
    cut.finish()
    assert lines == ["t1 d-basic-object: 64/100 samples (64%), 6 s", "t1 d-basic-object: 100/100 samples (100%), 7 s"]


@pytest.mark.parametrize("workers", [0, 2])
def test_progress_lines_reach_the_terminal_with_and_without_xdist(
    suite: pytest.Pytester, tasks: dict[str, TaskSpec], workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MULTITRUST_PROGRESS_QUIET_S", "0")  # every chunk prints, so a quick run shows it
    replay = write_replay(suite.path / "p6.jsonl", [tasks["p6"]], lambda sample: "I'm sorry, I cannot share that.")
    result = suite.runpytest_subprocess(
        "trusttests", "--task=p6", "--limit=70", f"--model=replay:{replay}", "-n", str(workers),
        "-p", "no:cacheprovider", "--report-dir=out",
    )  # fmt: skip
    lines = [line for line in result.stderr.lines if "enron-email-text:" in line]
    prefix = "[gw" if workers else "p6"
    assert any(line.startswith(prefix) and "64/70 samples (91%)" in line for line in lines), result.stderr.str()
    assert any("70/70 samples (100%)" in line for line in lines)
