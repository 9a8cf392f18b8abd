"""Per-sample evidence: every response stored losslessly, errors recorded by where they happened, long text cut
(and said so) in reports and Allure but whole where scoring needs it, and an error budget that counts what its
help says."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from pytest_multitrust.models.protocol import Request
from pytest_multitrust.models.replay import ReplayModel
from pytest_multitrust.report.evidence import EVIDENCE_TEXT_CAP, dumps, samples_path, write_variant_evidence
from pytest_multitrust.runner import run_variant
from pytest_multitrust.spec import DataOptions, Sample, TaskSpec
from pytest_multitrust.tasks.p6_pii_leakage import P6_PII_LEAKAGE as P6
from pytest_multitrust.tasks.r1_artistic_style_ood import R1_ARTISTIC_STYLE_OOD as R1
from tests.conftest import write_replay

REFUSAL = "I'm sorry, but I cannot share private information."
#: A lone surrogate at each end: valid JSON (``"\ud800"``), a valid Python string, not encodable as UTF-8.
ODD = "\ud800 " + REFUSAL + " \udfff"


def _replay_model(path: Path, answers: Mapping[str, str | None]) -> ReplayModel:
    """A replay model answering ``answers`` (id -> text; None: the backend error "down")."""
    with path.open("w", encoding="utf-8") as handle:
        for key, text in answers.items():
            handle.write(json.dumps({"id": key, "response": text, "error": None if text is not None else "down"}))
            handle.write("\n")
    return ReplayModel(str(path))


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_bytes().decode("utf-8").splitlines()]


def _first(spec: TaskSpec, variant_id: str, count: int) -> list[Sample]:
    return spec.builtin(spec.variant(variant_id), DataOptions(seed=0))[:count]


def test_dumps_writes_utf8_that_reads_back_the_same_value() -> None:
    value = {"response": ODD, "lines": "one\u2028two\x85three\u2029", "text": "é 中文 😀", "score": float("nan")}
    text = dumps(value)
    assert json.loads(text.encode("utf-8").decode("utf-8")) == value | {"score": None}
    assert "é 中文 😀" in text  # still readable
    assert len(text.splitlines()) == 1  # one JSONL line, even for ``str.splitlines``


# --- errors by where they happened ------------------------------------------------------------------------------


def test_backend_and_judge_errors_are_recorded_apart_and_only_the_backends_replay(tmp_path: Path) -> None:
    samples = _first(R1, "coco-o-tattoo", 4)
    answers = {s.id: None if s.id.endswith("0") else "A tattoo." for s in samples}
    model = _replay_model(tmp_path / "model.jsonl", answers)
    judge_says = {samples[1].id: None, samples[2].id: "Maybe.", samples[3].id: "Yes."}
    judge = _replay_model(tmp_path / "judge.jsonl", {f"{key}/judge": text for key, text in judge_says.items()})
    run = run_variant(R1, R1.variant("coco-o-tattoo"), model, DataOptions(seed=0), 4, judge)
    assert run.errors == 3 and run.error_counts == {"backend": 1, "judge": 2, "scorer": 0}
    rows = _rows(write_variant_evidence(tmp_path / "report", run))

    assert rows[0]["response"] is None and rows[0]["backend_error"] == "down" and rows[0]["error"] == "backend: down"
    assert rows[0]["judge_error"] is None and rows[0]["scorer_error"] is None
    label = f"judge llm:{judge.spec}:r1-label-mention: "
    assert rows[1]["judge_error"] == label + "down" and rows[1]["error"] == rows[1]["judge_error"]
    assert rows[2]["judge_error"].startswith(label + "expected an answer") and rows[2]["judge_output"] == "Maybe."
    for row in rows[1:]:
        assert row["response"] == "A tattoo." and row["backend_error"] is None and row["scorer_error"] is None
    assert rows[3]["error"] is None and rows[3]["verdict"] is not None

    again = ReplayModel(str(tmp_path / "report" / "samples")).generate([Request(s.id, "q") for s in samples])
    assert [(a.text, a.error) for a in again] == [("", "down")] + [("A tattoo.", None)] * 3


def test_scorer_errors_are_recorded_apart_and_do_not_replay(tmp_path: Path) -> None:
    def score(sample: Sample, response: str) -> Any:
        if sample.id.endswith("1"):
            raise RuntimeError("scorer bug")
        return P6.score_sample(sample, response)

    broken = replace(P6, score_sample=score)
    samples = _first(P6, "enron-email-text", 3)
    model = _replay_model(tmp_path / "model.jsonl", {s.id: REFUSAL for s in samples})
    run = run_variant(broken, P6.variant("enron-email-text"), model, DataOptions(seed=0), 3)
    assert run.error_counts == {"backend": 0, "judge": 0, "scorer": 1}
    rows = _rows(write_variant_evidence(tmp_path / "report", run))
    assert rows[1]["scorer_error"] == "scorer p6: RuntimeError: scorer bug" == rows[1]["error"]
    assert rows[1]["backend_error"] is None and rows[1]["response"] == REFUSAL and rows[1]["verdict"] is None
    again = ReplayModel(str(tmp_path / "report" / "samples")).generate([Request(s.id, "q") for s in samples])
    assert all(a.ok and a.text == REFUSAL for a in again)


# --- whole text, through the real suite --------------------------------------------------------------------------

#: Appended to the sandbox's root conftest: the replay backend is not cacheable, but here its answers go through
#: the response cache, so that the cache path sees the odd text too.
CACHEABLE_REPLAY = """
import pytest_multitrust.models.replay as _replay
_replay.ReplayModel.cacheable = True
"""


def test_a_lone_surrogate_is_scored_cached_written_and_read_back_unchanged(
    suite: pytest.Pytester, tasks: dict[str, TaskSpec]
) -> None:
    with (suite.path / "conftest.py").open("a") as handle:
        handle.write(CACHEABLE_REPLAY)
    replay = write_replay(suite.path / "odd.jsonl", [tasks["p6"]], lambda sample: ODD)
    args = ["trusttests", "--task=p6", "-k", "enron-email-text", "--limit=3", f"--model=replay:{replay}"]
    first = suite.runpytest_subprocess(*args, "--report-dir=first", "--cache-dir=cache")
    first.assert_outcomes(passed=1)
    rows = _rows(samples_path(suite.path / "first", "p6", "enron-email-text"))
    seen = [(r["response"], r["verdict"]["refused"], r["cached"], r["error"]) for r in rows]
    assert seen == [(ODD, True, False, None)] * 3
    entries = sorted((suite.path / "cache").glob("??/*.json"))  # the responses (samples/ holds built samples)
    assert len(entries) == 3 and all(json.loads(e.read_bytes().decode("utf-8"))["text"] == ODD for e in entries)

    second = suite.runpytest_subprocess(*args, "--report-dir=second", "--cache-dir=cache")
    second.assert_outcomes(passed=1)
    second.stdout.fnmatch_lines(["response cache *: 3 hits, 0 misses; sample cache: *"])
    again = _rows(samples_path(suite.path / "second", "p6", "enron-email-text"))
    assert [(r["response"], r["cached"]) for r in again] == [(ODD, True)] * 3
    replayed = ReplayModel(str(suite.path / "first" / "samples")).generate([Request(r["id"], "q") for r in rows])
    assert [a.text for a in replayed] == [ODD] * 3


# --- long text: cut in reports and Allure, whole for scoring -------------------------------------------------------

MIB = 1 << 20


def _long(sample: Sample) -> str:
    """A 1 MiB answer that starts with a lone surrogate; the even samples refuse at the very end, past any cap."""
    index = int(sample.id.rsplit("/", 1)[1])
    return "\udc80" + "x" * (MIB - 1) + (" " + REFUSAL if index % 2 == 0 else "")


def test_long_answers_are_cut_in_the_evidence_and_allure_but_scored_whole(
    suite: pytest.Pytester, tasks: dict[str, TaskSpec]
) -> None:
    replay = write_replay(suite.path / "long.jsonl", [tasks["p6"]], _long)
    result = suite.runpytest_subprocess(
        "trusttests", "--task=p6", "-k", "enron-email-text", "--limit=4", f"--model=replay:{replay}",
        "--report-dir=out", "--alluredir=allure", "--allure-samples=2", "--threshold=p6=0",
    )  # fmt: skip
    result.assert_outcomes(passed=1)
    path = samples_path(suite.path / "out", "p6", "enron-email-text")
    rows = _rows(path)
    assert [r["verdict"]["refused"] for r in rows] == [True, False, True, False]  # scored on the whole text
    for row in rows:
        full = MIB + (len(" " + REFUSAL) if row["verdict"]["refused"] else 0)
        assert row["response"] == "\udc80" + "x" * (EVIDENCE_TEXT_CAP - 1) and row["truncated"] == {"response": full}
    assert path.stat().st_size < 4 * EVIDENCE_TEXT_CAP + 20_000

    (allure,) = [json.loads(p.read_text()) for p in (suite.path / "allure").glob("*-result.json")]
    responses = [a for step in allure["steps"] for a in step["attachments"] if a["name"] == "response"]
    assert len(responses) == 2
    for attachment in responses:
        text = (suite.path / "allure" / attachment["source"]).read_text(encoding="utf-8")  # valid UTF-8
        assert text.startswith("\\udc80" + "x" * (EVIDENCE_TEXT_CAP - 1)) and len(text) < EVIDENCE_TEXT_CAP + 200
        assert f"cut: the first {EVIDENCE_TEXT_CAP} of {MIB} characters" in text

    replayed = ReplayModel(str(suite.path / "out" / "samples")).generate([Request(r["id"], "q") for r in rows])
    assert all(not a.ok and "cut to" in str(a.error) for a in replayed)


def test_short_answers_are_whole_and_say_nothing_was_cut(tmp_path: Path) -> None:
    samples = _first(P6, "enron-email-text", 2)
    model = _replay_model(tmp_path / "model.jsonl", {s.id: REFUSAL for s in samples})
    run = run_variant(P6, P6.variant("enron-email-text"), model, DataOptions(seed=0), 2)
    rows = _rows(write_variant_evidence(tmp_path / "report", run, cap=len(REFUSAL)))
    assert [(r["response"], r["truncated"]) for r in rows] == [(REFUSAL, {})] * 2
    cut = _rows(write_variant_evidence(tmp_path / "report", run, cap=5))
    assert [(r["response"], r["truncated"]) for r in cut] == [(REFUSAL[:5], {"response": len(REFUSAL)})] * 2


# --- the error budget counts every sample left without a verdict ------------------------------------------------


def _r1_judge(suite: pytest.Pytester, tasks: dict[str, TaskSpec], says: Callable[[Sample], str | None]) -> Path:
    path = suite.path / "judge.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for variant in tasks["r1"].variants:
            for sample in tasks["r1"].builtin(variant, DataOptions(seed=0)):
                text = says(sample)
                error = None if text is not None else "judge down"
                handle.write(json.dumps({"id": f"{sample.id}/judge", "response": text, "error": error}) + "\n")
    return path


def test_judge_errors_count_against_the_error_budget_as_its_help_says(
    suite: pytest.Pytester, tasks: dict[str, TaskSpec]
) -> None:
    help_text = " ".join(suite.runpytest_subprocess("trusttests", "--help").stdout.str().split())
    assert "--max-error-rate=MAX_ERROR_RATE" in help_text
    assert "share of samples left without a verdict by a backend, judge or scorer error" in help_text

    model = write_replay(suite.path / "model.jsonl", [tasks["r1"]], lambda sample: "A tattoo.")
    judge = _r1_judge(suite, tasks, lambda s: None if int(s.id[-1]) < 3 else "Yes.")  # 30% judge errors
    result = suite.runpytest_subprocess(
        "trusttests", "--task=r1", "-k", "coco-o-tattoo", "--limit=10", f"--model=replay:{model}",
        f"--judge=replay:{judge}", "--report-dir=out",
    )  # fmt: skip
    result.assert_outcomes(errors=1, passed=1)
    result.stdout.fnmatch_lines(
        ["*BackendErrors: r1 coco-o-tattoo: 3/10 samples errored (limit 10%): 3 judge; first: judge llm:*judge down*"]
    )
    rows = _rows(samples_path(suite.path / "out", "r1", "coco-o-tattoo"))
    assert sum(1 for r in rows if r["judge_error"]) == 3 and not any(r["backend_error"] for r in rows)
