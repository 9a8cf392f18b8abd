"""Scripted answers per task (``ideal``, ``refuse_all``, ``comply_all``...) and the scores they must give.

Each task has one module here, named by its id (``t1.py``), found as the registry finds task modules. Besides
its answerers it declares :data:`CASES <Case>`, the runs ``tests/test_reference_responses.py`` makes through the
whole plugin: ``CASES = [(ideal, None), (refuse_all, 30.0), ...]``, each an answerer and the task score it must
give, and optionally ``ARGS``, extra command-line arguments for those runs (R.4/R.5: ``--attack-arg steps=0``, since
replayed answers do not depend on the images and a replay backend has no encoder to attack). So a new task adds
only its own ``tests/reference/<id>.py``.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from pytest_multitrust.spec import DataOptions, Sample, TaskSpec

Answerer = Callable[[Sample], str]
#: What a scripted run must score: an exact task score; a function that computes it (for scores that depend
#: on a classifier: importing the module loads none); or None: at least 95 with every variant passing.
Expected = float | Callable[[], float] | None
#: One entry of a reference module's ``CASES``.
Case = tuple[Answerer, Expected]


@dataclass(frozen=True)
class ReferenceRun:
    """One scripted run of a task: an answerer and every score its module expects of it.

    Cases whose answerer is the same function object (``ideal = refuse_all`` where refusing is the ideal)
    are folded into one run that checks each expectation.

    Attributes:
        task: the task id.
        names: the module's names for the answerer (``("refuse_all", "ideal")``).
        answer: the answerer.
        expected: what the run must score, one entry per folded case.
    """

    task: str
    names: tuple[str, ...]
    answer: Answerer
    expected: tuple[Expected, ...]

    @property
    def id(self) -> str:
        return f"{self.task}-{'+'.join(self.names)}"


def reference_modules() -> dict[str, ModuleType]:
    """Every reference module, by task id (its module name)."""
    package = Path(__file__).parent
    return {
        info.name: importlib.import_module(f"{__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules([str(package)]), key=lambda info: info.name)
    }


def _names(module: ModuleType, answer: Answerer) -> tuple[str, ...]:
    found = tuple(name for name, value in vars(module).items() if value is answer and not name.startswith("_"))
    return found or (getattr(answer, "__name__", "answer"),)


def reference_runs(modules: Mapping[str, ModuleType] | None = None) -> list[ReferenceRun]:
    """The runs the reference modules' ``CASES`` ask for, in module then case order, same answerers folded."""
    runs: list[ReferenceRun] = []
    for task, module in (modules if modules is not None else reference_modules()).items():
        cases: Sequence[Case] = getattr(module, "CASES", ())
        folded: dict[int, tuple[Answerer, list[Expected]]] = {}
        for answer, expected in cases:
            folded.setdefault(id(answer), (answer, []))[1].append(expected)
        runs.extend(
            ReferenceRun(task, _names(module, answer), answer, tuple(expected)) for answer, expected in folded.values()
        )
    return runs


def built_samples(spec: TaskSpec, seed: int = 0) -> dict[str, list[Sample]]:
    """Every variant's full built-in sample list."""
    return {variant.id: spec.builtin(variant, DataOptions(seed=seed)) for variant in spec.variants}


def official_samples(spec: TaskSpec, root: Path, variant_id: str, seed: int = 0) -> list[Sample]:
    """A variant's samples read by the task's official loader from ``root`` (a tree in the official layout),
    every image decoded."""
    assert spec.official is not None, f"{spec.id} has no official loader"
    samples = spec.official(spec.variant(variant_id), DataOptions(seed=seed, source="official", data_dir=root))
    for sample in samples:  # official images decode on first use: read them all, as a run without --limit does
        for image in sample.images:
            _ = image.sha256
    return samples


def scripted_scores(
    spec: TaskSpec, answer: Callable[[Sample], str], built: Mapping[str, Sequence[Sample]] | None = None
) -> tuple[dict[str, dict[str, float]], float]:
    """Score ``answer(sample)`` for every sample through the task's own functions: (variant metrics, task score)."""
    metrics = {
        variant_id: spec.variant_metrics(samples, [spec.score_sample(s, answer(s)) for s in samples])
        for variant_id, samples in (built or built_samples(spec)).items()
    }
    return metrics, spec.task_score(metrics)
