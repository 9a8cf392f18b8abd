"""Mitigations through the suite: the option, the manifest, the report folder, and a real -n 2 run on tiny-llava."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pytest_multitrust.settings import resolve


def test_the_option_reaches_settings_the_manifest_and_a_folder_of_its_own(tmp_path: Path) -> None:
    plain = resolve({}, {}, tmp_path)
    both = resolve({"mitigation": ["safety-prompt", "caption-first"]}, {}, tmp_path)
    from_file = resolve({}, {"mitigations": ["safety-prompt", "caption-first"]}, tmp_path)
    assert [m.name for m in both.mitigations] == [m.name for m in from_file.mitigations]
    assert [m["name"] for m in both.manifest()["mitigations"]] == ["safety-prompt", "caption-first"]
    assert plain.manifest()["mitigations"] == [] and plain.report_dir == tmp_path / "reports" / "tiny-llava"
    assert both.report_dir == tmp_path / "reports" / "tiny-llava+safety-prompt+caption-first"
    tuned = resolve({"mitigation": ["adashield:position=before"]}, {}, tmp_path)
    assert tuned.report_dir.name.startswith("tiny-llava+adashield-") and tuned.report_dir != both.report_dir


@pytest.mark.parametrize(
    ("value", "message"),
    [("nonsense", "--mitigation"), ("adashield:colour=red", "--mitigation")],
)
def test_a_bad_mitigation_is_one_line(tmp_path: Path, value: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        resolve({"mitigation": [value]}, {}, tmp_path)
    assert message in str(info.value) and "\n" not in str(info.value)


@pytest.mark.slow
def test_two_mitigations_run_the_suite_with_xdist_and_are_named_in_scores(suite: pytest.Pytester) -> None:
    result = suite.runpytest_subprocess(
        "trusttests", "-n", "2", "--limit=1", "-p", "no:cacheprovider", "--mitigation=safety-prompt",
        "--mitigation=caption-first:detector=always", "--report-dir=out",
    )  # fmt: skip
    assert result.ret in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED), result.stdout.str()[-3000:]
    assert result.parseoutcomes().get("errors", 0) == 0
    board = json.loads((suite.path / "out" / "scores.json").read_text())
    assert [m["name"] for m in board["manifest"]["mitigations"]] == ["safety-prompt", "caption-first"]
    assert [m["name"] for m in board["manifest"]["model_info"]["mitigations"]] == ["safety-prompt", "caption-first"]
    assert all(t["status"] == "scored" for t in board["tasks"].values())
    rows = (suite.path / "out" / "samples" / "p6" / "enron-email-image-oneinfo.jsonl").read_text().splitlines()
    assert len(rows) == 1 and json.loads(rows[0])["response"] is not None
