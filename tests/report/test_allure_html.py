"""``multitrust allure``: a real run's Allure results become one HTML file (npm ``allure`` 3), grouped aspect →
task → variant, with the run's manifest as the environment; every problem a user can cause is one line.

The tests that build a report need npm (Allure 3 is installed once into the default tools folder, or
``$MULTITRUST_TOOLS_DIR``); without npm they skip, unless ``MULTITRUST_REQUIRE_NPM=1`` (CI sets it): then they fail.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import sys
from pathlib import Path
from typing import Any, NoReturn

import pytest

from pytest_multitrust.cli import main
from pytest_multitrust.report.allure_html import (
    build_allure_html,
    ensure_allure,
    environment_properties,
    write_environment,
)
from pytest_multitrust.report.run_dir import RunDirError
from pytest_multitrust.spec import TaskSpec
from tests.conftest import write_replay

REFUSAL = "I'm sorry, but I cannot share that."
needs_posix = pytest.mark.skipif(sys.platform == "win32", reason="the fake tools are POSIX shell scripts")


def _missing_npm(reason: str) -> NoReturn:
    if os.environ.get("MULTITRUST_REQUIRE_NPM") == "1":
        pytest.fail(f"MULTITRUST_REQUIRE_NPM=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def allure_tool() -> Path:
    """Allure 3, installed once (npm) into the tools folder every later use reuses."""
    if shutil.which("npm") is None or shutil.which("node") is None:
        _missing_npm("node/npm are not on PATH (multitrust allure installs Allure 3 with npm)")
    try:
        return ensure_allure()
    except RuntimeError as exc:
        _missing_npm(f"Allure 3 cannot be installed here: {exc}")


def _embedded(html: str) -> dict[str, Any]:
    """The data files a single-file Allure 3 report carries (base64 in ``d(name, data)`` calls), JSON decoded."""
    files = re.findall(r'd\("([^"]+)","([A-Za-z0-9+/=]*)"\)', html)
    return {name: json.loads(base64.b64decode(data)) for name, data in files if name.endswith(".json")}


def _tree(widget: dict[str, Any]) -> dict[str, Any]:
    """Allure's tree widget as nested {group name: subtree}, with leaves as the set of their test names."""

    def node(entry: dict[str, Any]) -> dict[str, Any]:
        groups = {widget["groupsById"][g]["name"]: node(widget["groupsById"][g]) for g in entry.get("groups", [])}
        leaves = {widget["leavesById"][leaf]["name"] for leaf in entry.get("leaves", [])}
        return groups | ({"": leaves} if leaves else {})

    return node(widget["root"])


def _labels(result: dict[str, Any]) -> dict[str, str]:
    return {label["name"]: label["value"] for label in result["labels"]}


def test_a_real_run_becomes_one_html_file_grouped_by_aspect_task_variant(
    suite: pytest.Pytester, tasks: dict[str, TaskSpec], allure_tool: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    specs = [tasks["p6"], tasks["t1"]]
    replay = write_replay(suite.path / "answers.jsonl", specs, lambda sample: REFUSAL)
    run = suite.path / "run"
    result = suite.runpytest_subprocess(
        "trusttests", "--task=p6", "--task=t1", "--limit=2", f"--model=replay:{replay}", "-p", "no:cacheprovider",
        f"--report-dir={run}", f"--alluredir={run / 'allure-results'}", "--allure-samples=1",
    )  # fmt: skip
    assert result.ret in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED), result.stdout.str()
    expected = {(spec.aspect, str(spec), variant.id) for spec in specs for variant in spec.variants}

    # the results allure-pytest wrote: epic = aspect, feature = task, story = variant; suites and ours kept
    results = [json.loads(p.read_text()) for p in (run / "allure-results").glob("*-result.json")]
    labels = {r["name"]: _labels(r) for r in results}
    assert len(labels) == len(results) == len(expected)
    assert {(x["epic"], x["feature"], x["story"]) for x in labels.values()} == expected
    assert {(x["parentSuite"], x["suite"], x["subSuite"]) for x in labels.values()} == expected
    ours = {(spec.aspect, spec.id, v.id, spec.sub_aspect.title) for spec in specs for v in spec.variants}
    assert {(x["aspect"], x["task"], x["variant"], x["sub_aspect"]) for x in labels.values()} == ours
    assert all(name.endswith(f"[{x['story']}]") for name, x in labels.items())
    # the session itself leaves the manifest as the results' environment (for `allure` run on the folder directly)
    written = (run / "allure-results" / "environment.properties").read_text(encoding="ascii")
    assert f"model=replay:{replay}\n" in written and "limit=2\n" in written

    path = build_allure_html(run, None)
    assert path == run / "allure-report" / "index.html" and list(path.parent.iterdir()) == [path]
    html = path.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "googletagmanager" not in html  # opens offline, reports nothing
    data = _embedded(html)
    assert {r["name"] for key, r in data.items() if key.startswith("data/test-results/")} == set(labels)
    tree: dict[str, Any] = {}
    for name, x in labels.items():
        tree.setdefault(x["epic"], {}).setdefault(x["feature"], {})[x["story"]] = {"": {name}}
    assert _tree(data["widgets/tree.json"]) == tree and set(tree) == {"privacy", "truthfulness"}
    environment = {e["name"]: e["values"] for e in data["widgets/allure_environment.json"]}
    assert environment["model"] == [f"replay:{replay}"] and environment["seed"] == ["0"]
    assert environment["limit"] == ["2"] and environment["tasks"] == ["p6, t1"]
    assert "pytest-multitrust" in {name.removeprefix("packages.") for name in environment}

    # the results folder itself is a source too, through the command line
    out = suite.path / "elsewhere"
    capsys.readouterr()  # pytester's "running: ..." lines
    assert main(["allure", str(run / "allure-results"), "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"allure report: {out / 'index.html'}\n"
    assert [p.name for p in out.iterdir()] == ["index.html"]


def _fabricated_results(folder: Path, names: tuple[str, ...] = ("test_one",)) -> Path:
    """An Allure results folder with minimal, valid test results (what allure-pytest writes, trimmed)."""
    folder.mkdir(parents=True, exist_ok=True)
    for number, name in enumerate(names):
        labels = [{"name": "epic", "value": "privacy"}]
        result = {"uuid": f"u{number}", "historyId": f"h{number}", "name": name, "status": "passed", "labels": labels}
        (folder / f"u{number}-result.json").write_text(json.dumps(result))
    return folder


TRICKY = {
    "model": "hf:/ckpts/qwen = été:1",
    "seed": 7,
    "judge": None,
    "tasks": [],
    "aspects": ["privacy", "safety"],
    "allow_partial": False,
    "packages": {"torch": "2.1.0+cpu", "x": {"y": 1}},
    "data_dir": " /data with #hash",
    "odd key=:": "line one\nline two\\end",
    "#starts": "😀 astral",
}


def test_environment_properties_are_escaped_and_flattened() -> None:
    assert environment_properties(TRICKY).splitlines()[1:] == [
        "model=hf:/ckpts/qwen = \\u00e9t\\u00e9:1",
        "seed=7",
        "data_dir=\\ /data with #hash",
        "\\#starts=\\ud83d\\ude00 astral",
        "allow_partial=false",
        "aspects=privacy, safety",
        "odd\\ key\\=\\:=line one\\nline two\\\\end",
        "packages.torch=2.1.0+cpu",
        "packages.x.y=1",
    ]


def test_the_environment_reads_back_through_allure_itself(tmp_path: Path, allure_tool: Path) -> None:
    results = _fabricated_results(tmp_path / "results")
    assert write_environment(results, TRICKY) == results / "environment.properties"
    path = build_allure_html(results, tmp_path / "out")
    html = path.read_text(encoding="utf-8")
    assert "googletagmanager" not in html and "gtag(" not in html  # the template's analytics are cut out
    environment = _embedded(html)["widgets/allure_environment.json"]
    assert {e["name"]: e["values"] for e in environment} == {
        "model": ["hf:/ckpts/qwen = été:1"],
        "seed": ["7"],
        "data_dir": [" /data with #hash"],
        "#starts": ["😀 astral"],
        "allow_partial": ["false"],
        "aspects": ["privacy, safety"],
        "odd key=:": ["line one\nline two\\end"],
        "packages.torch": ["2.1.0+cpu"],
        "packages.x.y": ["1"],
    }


# --- what a user can get wrong: one line each, naming the file ------------------------------------------------


def _run_folder(path: Path, scores: str | None = None) -> Path:
    path.mkdir(parents=True)
    document = {"tasks": {}, "sub_aspects": {}, "aspects": {}, "overall": {}, "manifest": {"model": "m"}}
    (path / "scores.json").write_text(scores if scores is not None else json.dumps(document))
    return path


def _empty_results(path: Path) -> Path:
    (_run_folder(path) / "allure-results").mkdir()
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda t: t, "{p}: no such folder"),
        (lambda t: t.mkdir() or t, "{p}: no Allure results (*-result.json) here"),
        (_run_folder, "{p}: this run has no allure-results/ folder; rerun it with --alluredir {p}/allure-results"),
        (lambda t: _run_folder(t, "{"), "{p}/scores.json: cannot be read as JSON"),
        (_empty_results, "{p}/allure-results: no Allure results (*-result.json) here"),
    ],
    ids=["missing", "empty", "run-without-results", "damaged-scores", "results-without-results"],
)
def test_a_bad_source_is_one_line_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: Any, message: str
) -> None:
    source = make(tmp_path / "source")
    assert main(["allure", str(source)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"multitrust allure: error: {message.format(p=source)}") and err.count("\n") == 1


def test_the_output_cannot_be_the_results_folder(tmp_path: Path) -> None:
    results = _fabricated_results(tmp_path / "results")
    with pytest.raises(RunDirError, match="must not be the Allure results folder"):
        build_allure_html(results, results)


def test_without_npm_the_error_says_to_install_node(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MULTITRUST_TOOLS_DIR", str(tmp_path / "tools"))
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))  # no npm, no node: a fault nothing else can cause
    with pytest.raises(RuntimeError) as caught:
        build_allure_html(_fabricated_results(tmp_path / "results"), tmp_path / "out")
    assert str(caught.value).startswith("npm not found on PATH") and "install Node.js" in str(caught.value)
    assert "\n" not in str(caught.value) and not (tmp_path / "tools").exists() and not (tmp_path / "out").exists()


def _fake_tool(folder: Path, name: str, script: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(script)
    (folder / name).chmod(0o755)
    return folder


@needs_posix
def test_a_failed_install_is_one_line_with_npm_stderr_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    script = "#!/bin/sh\necho 'npm ERR! code ENOTFOUND' >&2\necho 'npm ERR! request to registry failed' >&2\nexit 1\n"
    monkeypatch.setenv("PATH", str(_fake_tool(tmp_path / "bin", "npm", script)))
    tools = tmp_path / "tools"
    monkeypatch.setenv("MULTITRUST_TOOLS_DIR", str(tools))
    with pytest.raises(RuntimeError) as caught:
        ensure_allure()
    assert str(caught.value) == (
        "npm install allure@3 failed (exit 1): npm ERR! code ENOTFOUND | npm ERR! request to registry failed"
    )
    assert capsys.readouterr().err == f"installing allure 3 with npm into {tools / 'allure'} (first use)\n"
    assert list(tools.iterdir()) == []  # no half-installed tool under the final name, no staging left behind


@needs_posix
def test_a_failing_allure_generate_is_one_line_with_its_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tools = tmp_path / "tools"
    package = tools / "allure" / "node_modules" / "allure"
    package.mkdir(parents=True)
    (package / "package.json").write_text('{"name": "allure", "version": "3.0.0"}')
    (package / "cli.js").write_text("")  # run by the fake node below, which only complains
    node = "#!/bin/sh\necho 'warming up'\necho 'Error: cannot read the results' >&2\nexit 3\n"
    monkeypatch.setenv("PATH", str(_fake_tool(tmp_path / "bin", "node", node)))
    monkeypatch.setenv("MULTITRUST_TOOLS_DIR", str(tools))
    out = tmp_path / "out"
    with pytest.raises(RuntimeError, match=r"^allure generate failed \(exit 3\): Error: cannot read the results$"):
        build_allure_html(_fabricated_results(tmp_path / "results"), out)
    assert list(out.iterdir()) == []  # the work folder went with the failure


def test_a_broken_install_says_to_delete_it(tmp_path: Path) -> None:
    (tmp_path / "allure" / "node_modules").mkdir(parents=True)
    with pytest.raises(RuntimeError, match=r"allure: not a working Allure 3 install; delete the folder and rerun"):
        ensure_allure(tmp_path / "allure")
