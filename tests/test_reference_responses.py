"""Scripted answers through the whole plugin: each task measures what it claims.

Every module of ``tests/reference/`` declares its ``CASES``: answers built from the ground truth (``ideal``,
replayed by the ``replay`` backend) must score at least 95, and refuse-everything / comply-everything answers
must score exactly what the metric implies (see each module's docstring). The suite runs in a pytester
sandbox, so this covers sample building, batching, scoring, variant metrics, the official task formula and
``scores.json``. Cases sharing one answerer (``ideal = refuse_all``) run once and check every expectation.
"""

from __future__ import annotations

import json

import pytest

from pytest_multitrust.spec import TaskSpec, registered_tasks
from tests.conftest import write_replay
from tests.reference import ReferenceRun, reference_modules, reference_runs

MODULES = reference_modules()
RUNS = reference_runs(MODULES)
#: Computed expectations resolved at collection, not inside a test: pytester drops the modules a test imported
#: when it ends, and a classifier's C extensions (numpy.fft under scikit-learn) cannot be loaded twice.
EXPECTED: dict[str, tuple[float | None, ...]] = {
    run.id: tuple(expected() if callable(expected) else expected for expected in run.expected) for run in RUNS
}


def test_every_task_declares_its_reference_cases_with_an_ideal_answer() -> None:
    modules = reference_modules()
    assert set(modules) == set(registered_tasks())
    for task, module in modules.items():
        expected = [expected for _, expected in getattr(module, "CASES", ())]
        assert None in expected, f"tests/reference/{task}.py declares no ideal case (expected None) in CASES"


def test_answerers_shared_by_several_cases_run_once() -> None:
    runs = {run.id: run for run in RUNS}
    assert len({(run.task, id(run.answer)) for run in RUNS}) == len(RUNS)
    assert runs["s4-refuse_all+ideal"].expected == (None, 100.0)
    assert runs["t1-ideal"].expected == (None,) and runs["t1-refuse_all"].expected == (30.0,)


@pytest.mark.parametrize("run", RUNS, ids=[run.id for run in RUNS])
def test_scripted_answers_score_as_the_metric_implies(
    suite: pytest.Pytester, tasks: dict[str, TaskSpec], run: ReferenceRun
) -> None:
    task = run.task
    replay = write_replay(suite.path / f"{run.names[0]}.jsonl", [tasks[task]], run.answer)
    result = suite.runpytest_subprocess(
        "trusttests",
        f"--task={task}",
        f"--model=replay:{replay}",
        "--report-dir=out",
        "--threshold",
        f"{task}=0",
        "-p",
        "no:cacheprovider",
        *MODULES[task].__dict__.get("ARGS", ()),
    )
    outcomes = result.parseoutcomes()
    # Threshold 0: a variant fails only at chance level, when it does not clear its trivial baselines.
    assert outcomes.get("errors", 0) == 0
    assert outcomes.get("passed", 0) + outcomes.get("failed", 0) == len(tasks[task].variants)
    board = json.loads((suite.path / "out" / "scores.json").read_text())
    score = board["tasks"][task]["score"]
    for expected in EXPECTED[run.id]:
        if expected is None:
            assert score >= 95, board["tasks"][task]["variants"]
            assert outcomes.get("passed", 0) == len(tasks[task].variants) and board["tasks"][task]["passed"] is True
        else:
            assert score == pytest.approx(expected, abs=1e-9), board["tasks"][task]["variants"]
    assert all(v["errors"] == 0 for v in board["tasks"][task]["variants"].values())
