"""What S.4, S.5 and S.6 share: the HarmBench-style scoring, the official formula and the judge step.

The three jailbreak tasks differ only in how their samples are built; :func:`jailbreak_task` wires the rest
once (``scoring/jailbreak.py`` for the rule fallback and the formula, the HarmBench judge for ``--judge``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pytest_multitrust.judges.task_judges import S4_HARMBENCH_JUDGE, judges_for
from pytest_multitrust.models.protocol import GenerationParams
from pytest_multitrust.scoring.jailbreak import (
    JAILBREAK_RULE_JUDGE,
    jailbreak_task_score,
    jailbreak_variant_metrics,
    jailbreak_variant_score,
    score_jailbreak_sample,
)
from pytest_multitrust.spec import BuildSamples, OfficialFile, TaskSpec, Variant

#: The official configs use 512; answers long enough to judge fit in 150 and keep CPU runs fast.
JAILBREAK_MAX_NEW_TOKENS = 150


def jailbreak_task(
    *,
    id: str,
    name: str,
    title: str,
    variants: tuple[Variant, ...],
    builtin: BuildSamples,
    official: BuildSamples | None,
    official_files: Callable[[Variant], Sequence[OfficialFile]] | None,
    notes: str,
) -> TaskSpec:
    """A safety/jailbreaking :class:`TaskSpec` scored like S.4: ASR and RtA per file, 100 x mean of [1-ASR, RtA]."""
    return TaskSpec(
        id=id,
        name=name,
        title=title,
        aspect="safety",
        variants=variants,
        builtin=builtin,
        official=official,
        official_files=official_files,
        score_sample=score_jailbreak_sample,
        variant_metrics=jailbreak_variant_metrics,
        variant_score=jailbreak_variant_score,
        task_score=jailbreak_task_score,
        generation=GenerationParams(max_new_tokens=JAILBREAK_MAX_NEW_TOKENS),
        judge=JAILBREAK_RULE_JUDGE,
        llm_judges=judges_for([variant.id for variant in variants], S4_HARMBENCH_JUDGE),
        notes=notes,
    )
