"""Where judge steps live: each task module carries its own, and the shared packages never reach back.

``judges/`` and ``scoring/`` hold what several tasks share; a task's prompt, parse and verdict functions sit in
its module. So nothing in ``judges/`` or ``scoring/`` imports a task module (the cycle T.1 and the old central
judge list had), and every task's judge steps are found through the task registry, checked here for all of
them at once: a new task's steps are covered without editing this file.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from pytest_multitrust.judges.base import LLMJudge, parse_yes_no
from pytest_multitrust.spec import DataOptions, Sample, TaskSpec, registered_tasks

PACKAGE = Path(__file__).resolve().parents[2] / "pytest_multitrust"
TASKS = registered_tasks()
#: A response that cannot occur by accident in a prompt template.
MARKER = "<<response 7f3a>>"


def _imports(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


@pytest.mark.parametrize(
    "path",
    sorted((PACKAGE / "judges").glob("*.py")) + sorted((PACKAGE / "scoring").glob("*.py")),
    ids=lambda path: f"{path.parent.name}/{path.name}",
)
def test_shared_judge_and_scoring_code_imports_no_task(path: Path) -> None:
    # Also imports inside functions: a deferred import is how the old cycle hid.
    assert not [name for name in _imports(path) if name.startswith("pytest_multitrust.tasks")]


def _judged(spec: TaskSpec) -> list[tuple[str, LLMJudge]]:
    """One variant per distinct judge step of the task."""
    seen: dict[int, tuple[str, LLMJudge]] = {}
    for variant_id, judge in spec.llm_judges.items():
        seen.setdefault(id(judge), (variant_id, judge))
    return list(seen.values())


STEPS = [(spec, variant_id, judge) for spec in TASKS.values() for variant_id, judge in _judged(spec)]


def test_judge_names_are_unique_per_step() -> None:
    by_name: dict[str, set[int]] = {}
    for spec in TASKS.values():
        for judge in spec.llm_judges.values():
            by_name.setdefault(judge.name, set()).add(id(judge))
    assert STEPS and all(len(ids) == 1 for ids in by_name.values()), by_name


@pytest.mark.parametrize(("spec", "variant_id", "judge"), STEPS, ids=[f"{s.id}-{j.name}" for s, _, j in STEPS])
def test_every_judge_step_sends_the_response_and_keeps_the_rule_keys(
    spec: TaskSpec, variant_id: str, judge: LLMJudge
) -> None:
    sample: Sample = spec.builtin(spec.variant(variant_id), DataOptions(seed=0))[0]
    assert MARKER in judge.prompt(sample, MARKER)
    assert not judge.generation.do_sample
    if judge.parse is parse_yes_no:
        verdicts = [judge.verdict(sample, MARKER, judge.parse(answer)) for answer in ("Yes.", "[No]")]
        for verdict in verdicts:
            assert set(verdict.values) == set(spec.score_sample(sample, MARKER).values)
            assert verdict.judge == f"llm:{judge.name}" and verdict.score is not None
        assert verdicts[0].score != verdicts[1].score  # the judge's answer decides
