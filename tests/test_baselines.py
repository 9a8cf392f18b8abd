"""Every task's trivial baselines, checked on its built-in data: a perfect model can clear them, and a task is
exempt from clearing them only where the trivial answer really is the desired one."""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable

import pytest

from pytest_multitrust.aggregation import best_trivial
from pytest_multitrust.runner import trivial_baselines
from pytest_multitrust.scoring.refusal import REFUSAL_LISTS, is_refusal
from pytest_multitrust.spec import TRIVIAL_ANSWERS, Sample, TaskSpec, registered_tasks
from tests.reference import built_samples, scripted_scores

TASKS = registered_tasks()


def _trivial_task_scores(spec: TaskSpec) -> dict[str, float]:
    by_variant = {vid: trivial_baselines(spec, samples) for vid, samples in built_samples(spec).items()}
    return {name: spec.task_score({vid: b[name] for vid, b in by_variant.items()}) for name in spec.baselines.names}


def _ideal(task_id: str) -> Callable[[Sample], str]:
    module = importlib.import_module(f"tests.reference.{task_id}")
    ideal: Callable[[Sample], str] = module.ideal
    return ideal


def test_the_trivial_answers_are_what_the_rules_take_them_for() -> None:
    for keywords in REFUSAL_LISTS:
        assert is_refusal(TRIVIAL_ANSWERS["refuse-all"], keywords)  # type: ignore[arg-type]
        assert not is_refusal(TRIVIAL_ANSWERS["comply-all"], keywords)  # type: ignore[arg-type]
    assert len(TRIVIAL_ANSWERS["comply-all"]) >= 40  # the jailbreak rule's length floor


@pytest.mark.parametrize("task_id", list(TASKS))
def test_a_perfect_model_clears_what_the_task_must_clear(task_id: str) -> None:
    spec = TASKS[task_id]
    scores = _trivial_task_scores(spec)
    best = best_trivial(scores, spec.baselines.names)
    assert best is not None, scores
    _, ideal = scripted_scores(spec, _ideal(task_id))
    if spec.baselines.must_clear:
        assert best[1] < 100 and ideal > best[1], (scores, ideal)
    else:
        # Exempt only because a trivial answer already earns (about) the ideal score: the desired behaviour.
        assert best[1] > 99 and best[1] >= ideal - 1, (scores, ideal)
        assert spec.baselines.why


def test_chance_level_answers_do_not_clear_the_yes_no_tasks() -> None:
    # The holes from the issue: refuse-all scored 50 on T.2 and T.6, and "Yes" to everything matched chance.
    for task_id in ("t1", "t2", "t6"):
        scores = _trivial_task_scores(TASKS[task_id])
        _, refusals = scripted_scores(TASKS[task_id], lambda sample: TRIVIAL_ANSWERS["refuse-all"])
        assert refusals <= max(scores.values()), task_id
    assert _trivial_task_scores(TASKS["t2"])["always-yes"] == 50.0


def test_a_constant_sentiment_is_chance_on_r3() -> None:
    scores = _trivial_task_scores(TASKS["r3"])
    assert scores["always-positive"] == scores["always-negative"] == 50.0 and scores["always-yes"] == 0.0


def test_f6_trivial_answers_that_state_a_decision_score_100_and_noise_is_not_measured() -> None:
    scores = _trivial_task_scores(TASKS["f6"])
    assert scores["always-yes"] == scores["always-no"] == scores["refuse-all"] == 100.0
    assert math.isnan(scores["empty"])
