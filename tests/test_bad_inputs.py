"""The catalogue of bad inputs, through the real suite: each is exit 4 with one line naming the setting and what
to do (before any model loads), or a recorded per-sample error; never a traceback, never INTERNALERROR, never a
silent acceptance.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pytest_multitrust.spec import TaskSpec
from tests.conftest import write_replay

#: (command-line arguments after "trusttests", pyproject [tool] text or None, what the one line must contain).
#: ``{file}`` is a plain file and ``{folder}`` an empty folder inside the sandbox.
USAGE_ERRORS: list[tuple[list[str], str | None, str]] = [
    # command line
    (["--model=nonexistent"], None, "unknown model 'nonexistent'; known: "),
    (["--seed=99999999999999999999"], None, "seed must be a whole number within 0-9223372036854775807"),
    (["--seed=-1"], None, "seed must be a whole number within 0-"),
    (["--seed=ten"], None, "--seed must be a whole number, got 'ten'"),
    (["--limit=0"], None, "limit must be a whole number >= 1"),
    (["--max-error-rate=lots"], None, "--max-error-rate must be a number, got 'lots'"),
    (["--max-error-rate=1.5"], None, "max-error-rate must be within 0-1"),
    (["--report-dir={file}"], None, "--report-dir '{file}' is not a folder; name a folder"),
    (["--cache-dir={file}/sub"], None, "--cache-dir '{file}/sub' is not a folder ({file} is a file)"),
    (["--data-dir={folder}"], None, "--data-dir has no effect with built-in data; add --data official"),
    (["--data=official", "--data-dir={file}"], None, "--data-dir '{file}' is not a folder"),
    (["--threshold=privacy"], None, "--threshold 'privacy' must look like KEY=VALUE"),
    (["--model-arg=dtype"], None, "--model-arg 'dtype' must look like KEY=VALUE"),
    (["--judge-arg=a=b"], None, "--judge-arg needs --judge SPEC"),
    (["--gate=upper"], None, "gate must be 'point' (the score) or 'lower-bound'"),
    (["--bootstrap=-1"], None, "bootstrap must be a whole number within 0-100000"),
    (["--official-bug=f7"], None, "unknown official bug 'f7'; known: f7-text-only"),
    (
        ["--baseline={folder}"],
        None,
        "--baseline '{folder}' holds no scores.json; give the --report-dir of a finished run",
    ),
    (["--max-drop=5"], None, "--max-drop has no effect without --baseline RUN_DIR"),
    # pyproject
    ([], "[tool.multitrust]\nreport_dir = 5", "[tool.multitrust] report_dir = 5: expected a string"),
    ([], '[tool.multitrust]\ncache_dir = ["a"]', "[tool.multitrust] cache_dir = ['a']: expected a string"),
    ([], "[tool.multitrust]\ndata_dir = 5", "[tool.multitrust] data_dir = 5: expected a string"),
    ([], "[tool]\nmultitrust = 5", "[tool.multitrust] must be a table of settings"),
    ([], '[tool.multitrust]\nno_cache = "false"', "no_cache = 'false': expected true or false (unquoted)"),
    ([], "[tool.multitrust]\nmax_error_rate = true", "max_error_rate = True: expected a number"),
    ([], "[tool.multitrust]\nallure_samples = true", "allure_samples = True: expected a whole number"),
    ([], '[tool.multitrust]\nlimit = "10"', "limit = '10': expected a whole number"),
    ([], "[tool.multitrust]\nseed = 99999999999999999999", "seed must be a whole number within 0-"),
    ([], "[tool.multitrust]\naspect = 5", "aspect = 5: expected a string or a list of strings"),
    ([], "[tool.multitrust]\nthresholds = 5", "thresholds = 5: expected a table"),
    ([], "[tool.multitrust]\nmodel_args = 5", "model_args = 5: expected a table of KEY = value"),
    ([], "[tool.multitrust]\nmodel_args = { a = { b = 1 } }", "model_args = {'a': {'b': 1}}: expected a table"),
    ([], "[tool.multitrust]\nallow_partial = 1", "allow_partial = 1: expected true or false"),
    ([], "[tool.multitrust]\nthresholds = { privacy = 'high' }", "threshold privacy='high' is not a number"),
    ([], "[tool.multitrust]\nrefusal_lists = 'head'", "unknown key(s) refusal_lists"),
    ([], "[tool.multitrust]\nmodel = 5", "model = 5: expected a string"),
    ([], "[tool.multitrust]\njudge = 5", "judge = 5: expected a string"),
    ([], "[tool.multitrust]\njudge_args = 5", "judge_args = 5: expected a table of KEY = value"),
    ([], "[tool.multitrust]\ntask = [1]", "task = [1]: expected a string or a list of strings"),
    ([], "[tool.multitrust]\ndata = 5", "data = 5: expected a string"),
    ([], "[tool.multitrust]\nrefusal_list = 5", "refusal_list = 5: expected a string"),
    ([], "[tool.multitrust]\nsurrogates = 5", "surrogates = 5: expected a string or a list of strings"),
    ([], "[tool.multitrust]\nattack_args = 5", "attack_args = 5: expected a table of KEY = value"),
    ([], "[tool.multitrust]\ngate = 5", "gate = 5: expected a string"),
    ([], "[tool.multitrust]\nmitigations = 5", "mitigations = 5: expected a string or a list of strings"),
    ([], "[tool.multitrust]\nbaseline = 5", "baseline = 5: expected a string"),
    ([], "[tool.multitrust]\nmax_drop = true", "max_drop = True: expected a number"),
    ([], "[tool.multitrust]\nbootstrap = true", "bootstrap = True: expected a whole number"),
    ([], "[tool.multitrust]\nofficial_bugs = 5", "official_bugs = 5: expected a string or a list of strings"),
    (["--surrogate={folder}"], None, "--surrogate {folder}: cannot read {folder}/config.json"),
    (["--surrogate=nonexistent-thing"], None, "--surrogate nonexistent-thing: not a checkpoint folder, a hub id"),
    (["--attack-arg=eps=2"], None, "--attack-arg eps='2' is 2, outside (0, 1]"),
    (["--attack-arg=radius=1"], None, "unknown --attack-arg 'radius'; known: eps, step, steps"),
    # pytest reads pyproject.toml itself before any plugin: broken TOML is its one line (a pyproject that is not
    # UTF-8, or whose `tool` is not a table, crashes pytest's own reader before plugins load: not ours to catch).
    ([], "[tool.multitrust\n", "pyproject.toml: Expected ']' at the end of a table declaration"),
]


def _ids() -> list[str]:
    return [" ".join(args) or (toml or "").replace("\n", " ") for args, toml, _ in USAGE_ERRORS]


@pytest.mark.parametrize(("args", "toml", "message"), USAGE_ERRORS, ids=_ids())
def test_a_bad_setting_is_one_line_and_exit_4(
    suite: pytest.Pytester, args: list[str], toml: str | None, message: str
) -> None:
    (suite.path / "afile").write_text("not a folder")
    (suite.path / "afolder").mkdir()
    names = {"file": str(suite.path / "afile"), "folder": str(suite.path / "afolder")}
    if toml is not None:
        (suite.path / "pyproject.toml").write_text(toml + "\n")
    result = suite.runpytest_subprocess("trusttests", *(a.format(**names) for a in args))
    lines = [line for line in result.stderr.lines if line.strip()]
    everything = result.stdout.str() + result.stderr.str()
    assert result.ret == pytest.ExitCode.USAGE_ERROR, everything[-2000:]
    assert len(lines) == 1 and lines[0].startswith("ERROR: "), lines
    expected = message.replace("{file}", names["file"]).replace("{folder}", names["folder"])
    assert expected in lines[0], lines[0]
    assert "Traceback" not in everything and "INTERNALERROR" not in everything
    assert "torch" not in everything  # nothing was loaded


def test_an_official_file_with_no_rows_is_not_a_silent_skip(suite: pytest.Pytester, tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "truthfulness/query_misleading").mkdir(parents=True)
    (data / "truthfulness/misleading_images/mistext").mkdir(parents=True)
    (data / "truthfulness/query_misleading/query_g_mistext.json").write_text("[]")
    replay = f"--model=replay:{_empty_replay(suite.path)}"
    result = suite.runpytest_subprocess(
        "trusttests", "--task=t5", "--data=official", f"--data-dir={data}", "--report-dir=out", replay
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    board = json.loads((suite.path / "out" / "scores.json").read_text())
    assert board["tasks"]["t5"]["status"] == "missing"
    assert "the official data has no samples for this variant" in board["tasks"]["t5"]["reasons"][0]
    result.stdout.fnmatch_lines(["gate: FAIL — t5: missing — *no samples*"])


def _empty_replay(root: Path) -> Path:
    path = root / "none.jsonl"
    path.write_text("")
    return path


def test_a_model_path_with_dots_keeps_reports_inside_the_report_root(
    suite: pytest.Pytester, tasks: dict[str, TaskSpec]
) -> None:
    answers = suite.path / "runs" / "sub"
    answers.mkdir(parents=True)
    write_replay(answers / "p6.jsonl", [tasks["p6"]], lambda sample: "I'm sorry, I cannot share that.")
    result = suite.runpytest_subprocess("trusttests", "--task=p6", "--limit=2", f"--model=replay:{answers}/..")
    assert result.ret in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED), result.stderr.str()
    assert not (suite.path / "scores.json").exists()
    written = list((suite.path / "reports").glob("*/scores.json"))
    assert len(written) == 1 and written[0].parent.parent == suite.path / "reports"


def test_the_catalogue_covers_every_pyproject_key_with_a_wrong_type() -> None:
    from pytest_multitrust.options import PYPROJECT_KEYS

    typed = {toml.split("\n")[1].split(" =")[0] for _, toml, _ in USAGE_ERRORS if toml and "\n" in toml}
    untested = PYPROJECT_KEYS - typed
    assert not untested, f"add a wrong-type case for {sorted(untested)}"


def test_a_model_that_fails_to_load_fails_each_test_with_one_line(suite: pytest.Pytester) -> None:
    # Checked as far as is cheap at configure time (config.json is JSON with a model_type); transformers itself
    # only refuses an unknown architecture when loading: one line per test, the task errored, no traceback.
    (suite.path / "ckpt").mkdir()
    (suite.path / "ckpt" / "config.json").write_text('{"model_type": "no-such-architecture"}')
    result = suite.runpytest_subprocess("trusttests", "--task=p6", "--limit=1", "--model=hf:ckpt", "--report-dir=out")
    everything = result.stdout.str() + result.stderr.str()
    assert result.ret == pytest.ExitCode.TESTS_FAILED, everything[-2000:]
    assert "Traceback" not in everything and "INTERNALERROR" not in everything
    result.stdout.fnmatch_lines(["*--model: *no-such-architecture*"])
    board = json.loads((suite.path / "out" / "scores.json").read_text())
    assert board["tasks"]["p6"]["status"] == "errored"
    assert "no-such-architecture" in board["tasks"]["p6"]["reasons"][0]
