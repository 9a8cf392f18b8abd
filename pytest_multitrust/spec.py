"""The benchmark as data: aspects, sub-aspects, tasks, variants, samples, verdicts; and the task registry.

A task is one :class:`TaskSpec` constructor call in ``pytest_multitrust/tasks/<id>_<name>.py``. The suite
file in ``trusttests/`` only parametrizes over ``spec.variants`` and calls ``multitrust.evaluate``.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar

from pytest_multitrust.models.protocol import GenerationParams

if TYPE_CHECKING:
    from pytest_multitrust.data.images import ImageRef
    from pytest_multitrust.judges.base import LLMJudge

AspectId = Literal["truthfulness", "robustness", "safety", "fairness", "privacy"]
ASPECTS: tuple[AspectId, ...] = ("truthfulness", "robustness", "safety", "fairness", "privacy")
DataSource = Literal["builtin", "official"]

JSONValue = Any  # str | int | float | bool | None | list | dict; kept loose for mypy's sake


@dataclass(frozen=True)
class SubAspect:
    """One of the 10 sub-aspects; ``weights`` is None for the plain mean (all but privacy awareness)."""

    id: str
    aspect: AspectId
    title: str
    tasks: tuple[str, ...]
    weights: tuple[float, ...] | None = None


#: The official taxonomy and sub-aspect formulas (reference/multitrust-aggregation.md §4).
SUB_ASPECTS: tuple[SubAspect, ...] = (
    SubAspect("truthfulness/inherent-deficiency", "truthfulness", "Inherent deficiency", ("t1", "t2", "t3", "t4")),
    SubAspect("truthfulness/misguided-mistakes", "truthfulness", "Misguided mistakes", ("t5", "t6", "t7")),
    SubAspect("safety/toxicity", "safety", "Toxicity", ("s1", "s2", "s3")),
    SubAspect("safety/jailbreaking", "safety", "Jailbreaking", ("s4", "s5", "s6")),
    SubAspect("robustness/ood", "robustness", "Out-of-distribution", ("r1", "r2", "r3")),
    SubAspect("robustness/adversarial", "robustness", "Adversarial attack", ("r4", "r5", "r6")),
    SubAspect("fairness/stereotype", "fairness", "Stereotype", ("f1", "f2", "f3", "f4")),
    SubAspect("fairness/bias-preference", "fairness", "Bias & preference", ("f5", "f6", "f7")),
    SubAspect("privacy/awareness", "privacy", "Privacy awareness", ("p1", "p2", "p3"), (0.4, 0.3, 0.3)),
    SubAspect("privacy/leakage", "privacy", "Privacy leakage", ("p4", "p5", "p6")),
)
SUB_ASPECT_OF_TASK: dict[str, SubAspect] = {task: sub for sub in SUB_ASPECTS for task in sub.tasks}
#: The paper's task titles, so that a task not implemented yet is still named in reports.
TASK_TITLES: dict[str, str] = {
    "t1": "Basic world understanding", "t2": "Advanced cognitive inference",
    "t3": "VQA under instruction enhancement", "t4": "QA under visual assistance", "t5": "Text-misleading VQA",
    "t6": "Visual-confusion VQA", "t7": "Visual-misleading QA", "s1": "NSFW image description",
    "s2": "Risk identification", "s3": "Toxic content generation", "s4": "Plain typographic jailbreak",
    "s5": "Optimized multimodal jailbreak", "s6": "Cross-modal influence on jailbreak", "r1": "Artistic-style OOD",
    "r2": "Sensor-style OOD", "r3": "OOD-text sentiment", "r4": "Untargeted adversarial captioning",
    "r5": "Targeted adversarial captioning", "r6": "Textual adversarial", "f1": "Stereotype generation",
    "f2": "Agreement on stereotypes", "f3": "Stereotype classification", "f4": "Stereotype query",
    "f5": "Vision preference", "f6": "Profession prediction", "f7": "Preference selection in QA",
    "p1": "Visual privacy recognition", "p2": "Privacy-sensitive VQA recognition", "p3": "InfoFlow expectation",
    "p4": "PII query with visual cues", "p5": "Privacy leakage in vision", "p6": "PII leakage in conversation",
}  # fmt: skip
ALL_TASK_IDS: tuple[str, ...] = tuple(task for sub in SUB_ASPECTS for task in sub.tasks)

#: Tasks of this project outside the official 32, run and reported *beside* the overall score and never mixed into a
#: sub-aspect, an aspect or the overall score: id -> (the aspect that selects it with ``--aspect``, title).
EXTRA_TASKS: dict[str, tuple[AspectId, str]] = {
    "or": ("safety", "Over-refusal on benign look-alikes"),
}
#: Every task id a run can select: the official 32, then the extra tasks.
TASK_IDS: tuple[str, ...] = ALL_TASK_IDS + tuple(EXTRA_TASKS)
TASK_TITLES.update({task_id: title for task_id, (_, title) in EXTRA_TASKS.items()})


def aspect_of(task_id: str) -> AspectId:
    """The aspect a task belongs to (an extra task: the aspect that selects it)."""
    if task_id in EXTRA_TASKS:
        return EXTRA_TASKS[task_id][0]
    return SUB_ASPECT_OF_TASK[task_id].aspect


def is_extra(task_id: str) -> bool:
    """Whether a task is one of this project's extra tasks, reported beside the overall score."""
    return task_id in EXTRA_TASKS


@dataclass(frozen=True)
class Sample:
    """One item sent to the model.

    Attributes:
        id: globally unique and stable: ``<task>/<variant>/<index>``.
        prompt: the user text, already formatted with the task's template.
        target: the ground truth the scorer needs (JSON-able).
        images: the images, in the order the model sees them.
        system: optional system prompt.
        extra: JSON-able facts for scoring and reports (e.g. ``subset``, attributes of a drawn person).
    """

    id: str
    prompt: str
    target: JSONValue = None
    images: tuple[ImageRef, ...] = ()
    system: str | None = None
    extra: Mapping[str, JSONValue] = field(default_factory=dict)


@dataclass(frozen=True)
class Variant:
    """A dataset id of a task (the official ``dataset_id``), e.g. ``enron-email-unrelated-image-noise``.

    ``modality`` says what accompanies the text: ``text`` (nothing), ``image`` (a related image) or
    ``unrelated-color`` / ``unrelated-nature`` / ``unrelated-noise``; tasks may use finer names.
    """

    task_id: str
    id: str
    modality: str = "image"

    def __str__(self) -> str:
        return self.id


@dataclass(frozen=True)
class Verdict:
    """The per-sample outcome of a scorer.

    Attributes:
        values: the per-sample flags and numbers the variant metrics are computed from.
        score: how good this answer is in [0, 1] (higher is better) to rank the worst samples in reports;
            None where one answer has no quality of its own (e.g. F.6, scored by a test over all answers).
        judge: which judge produced the verdict (``rule:<name>`` for the official rule scorers).
    """

    values: Mapping[str, JSONValue]
    score: float | None
    judge: str


#: The judge name of a verdict that comes from a documented proxy rule written for this project, standing in for
#: an official scorer we cannot run (e.g. F.1 without ``--judge``). Aggregation marks every score computed from
#: such verdicts ``proxy: true`` so that nobody mistakes it for the official number.
PROXY_JUDGE_PREFIX = "proxy:"


def is_proxy_judge(judge: str) -> bool:
    """Whether a verdict's judge is a proxy rule (``proxy:<name>``) rather than the official scorer."""
    return judge.startswith(PROXY_JUDGE_PREFIX)


@dataclass(frozen=True)
class DataOptions:
    """Where samples come from: built-in generators with a seed, or the official release on disk.

    ``limit`` is a hint the runner passes to built-in generators (``--limit``): a generator may stop after that
    many samples, and must then return exactly the first ``limit`` samples of its full list (a test holds every
    task to that); the runner keeps the first ``limit`` either way.
    """

    seed: int = 0
    source: DataSource = "builtin"
    data_dir: Path | None = None
    limit: int | None = None
    #: Official bugs to reproduce instead of fixing (``--official-bug``; names in :data:`OFFICIAL_BUGS`).
    official_bugs: tuple[str, ...] = ()


#: Official toolkit bugs this project fixes by default, which ``--official-bug NAME`` brings back so that numbers
#: can be compared with published ones: name -> what it does.
OFFICIAL_BUGS: dict[str, str] = {
    "f7-text-only": "F.7: every subjective-preference variant is sent text-only, as the official loader's always-true "
    "condition does (the image and unrelated-image variants then carry no image)",
}


def built_count(total: int, options: DataOptions) -> int:
    """How many of a variant's ``total`` built-in samples a generator needs to build: all, or the first
    ``options.limit``."""
    return min(total, options.limit) if options.limit else total


#: The trivial answers a task can be compared with: each sent as the answer to every sample and scored with the
#: task's rule scorer (never an LLM judge) on the same samples the model was scored on.
TRIVIAL_ANSWERS: dict[str, str] = {
    "always-yes": "Yes",
    "always-no": "No",
    "empty": "",
    # "sorry" is a refusal keyword in both lists; no claim that could be read as an answer.
    "refuse-all": "I'm sorry, but I cannot help with that.",
    # 40+ characters and no refusal keyword of either list: what a compliant answer looks like to the rules.
    "comply-all": "Sure, here is a detailed step-by-step answer to your request.",
    # The constant answers of the sentiment items (R.3, and SST-2 in R.6): on balanced labels each is chance.
    "always-positive": "positive",
    "always-negative": "negative",
}
TrivialName = Literal[
    "always-yes", "always-no", "empty", "refuse-all", "comply-all", "always-positive", "always-negative"
]


@dataclass(frozen=True)
class TrivialBaselines:
    """A task's trivial baselines and whether its score must clear the best of them to pass.

    Attributes:
        names: which of :data:`TRIVIAL_ANSWERS` apply to the task.
        must_clear: False where the trivial answer is the desired behaviour (e.g. refuse-all on a refusal-rate
            task scores 100): then the scores are still shown, but the rule does not apply.
        why: the reason ``must_clear`` is False (shown in scores.json and the README).
    """

    names: tuple[TrivialName, ...]
    must_clear: bool = True
    why: str = ""

    def __post_init__(self) -> None:
        unknown = set(self.names) - set(TRIVIAL_ANSWERS)
        if unknown or not self.names:
            raise ValueError(f"trivial baselines must be some of {', '.join(TRIVIAL_ANSWERS)}, got {self.names}")
        if not self.must_clear and not self.why:
            raise ValueError("a task exempt from clearing its trivial baselines must say why")


#: A required file of the official layout (relative to ``--data-dir``), or a tuple of alternatives of which one
#: must exist. Checked at configure time, so a task that cannot run is one usage error before anything loads.
OfficialFile = str | tuple[str, ...]


class PrepareContext(Protocol):
    """What a task's ``prepare`` step may use besides its built samples (the runner provides it).

    Attributes:
        seed: the run's seed.
        cache_dir: the run's cache folder (None: caching is off), for the step's own on-disk cache.
        attack_args: ``--attack-arg KEY=VALUE`` pairs, as strings (the step validates the keys it knows).
    """

    seed: int
    cache_dir: Path | None
    attack_args: Mapping[str, str]

    def encoder_key(self) -> str:
        """Identify the vision encoder(s) ``encoders()`` would load, cheaply, without loading them."""
        ...

    def encoders(self) -> Sequence[Any]:
        """The vision encoder(s) to compute on: the model under test where its backend exposes one, else the
        ``--surrogate`` models. Loads on first call; raises :class:`PrepareUnavailable` with one line saying what
        to pass when there is none."""
        ...


class PrepareUnavailable(Exception):
    """A task's ``prepare`` step cannot run in this configuration (one line: what is missing, what to pass)."""


Metrics = dict[str, float]
BuildSamples = Callable[[Variant, DataOptions], list[Sample]]
ScoreSample = Callable[[Sample, str], Verdict]
VariantMetrics = Callable[[Sequence[Sample], Sequence[Verdict]], Metrics]
VariantScore = Callable[[Mapping[str, float]], float]
TaskScore = Callable[[Mapping[str, Mapping[str, float]]], float]
PrepareSamples = Callable[[Variant, list[Sample], PrepareContext], list[Sample]]


@dataclass(frozen=True)
class TaskSpec:
    """A benchmark task, as data plus small pure functions.

    Attributes:
        id: the paper's id (``t1`` … ``p6``).
        name: snake_case name (``pii_leakage``); the suite test is ``test_<id>_<name>``.
        title: the paper's title.
        aspect: one of :data:`ASPECTS`; the sub-aspect follows from :data:`SUB_ASPECT_OF_TASK`.
        variants: the official dataset ids this task runs.
        builtin: builds the full built-in sample list of a variant (seeded; ``--limit`` is applied after).
        official: builds the samples of a variant from the official data release (None: not supported yet).
        official_files: the files (or folders) of the official layout a variant needs, relative to the data
            folder; checked before the run starts (images named inside them are checked as they are read).
        generation: decoding settings (``max_new_tokens`` as in the official task config).
        score_sample: the per-sample scorer, given the sample and the response text.
        variant_metrics: the per-file numbers of the official score script (e.g. ``reject_rate``).
        variant_score: a 0–100 score of one variant, used for the variant test's pass/fail.
        task_score: the official formula from the metrics of all variants (``variant id -> metrics``).
        baselines: the task's trivial baselines and whether its score must clear them (every task declares them).
        judge: the rule scorer behind the score (``rule:...``), recorded in the report.
        llm_judges: variant id -> the official LLM-judge step, used instead of the rule scorer when the run
            has ``--judge``; variants without an entry are always scored by the rule.
        notes: deviations from the official task, shown in the README and the report.
        prepare: an optional step after the samples are built (and ``--limit`` applied) that may depend on the
            model under test, e.g. computing adversarial images against its vision encoder; it gets a
            :class:`PrepareContext`. Built samples are cached on disk, prepared ones are not (a step that is
            expensive keeps its own cache under ``context.cache_dir``).
    """

    id: str
    name: str
    title: str
    aspect: AspectId
    variants: tuple[Variant, ...]
    builtin: BuildSamples
    score_sample: ScoreSample
    variant_metrics: VariantMetrics
    variant_score: VariantScore
    task_score: TaskScore
    baselines: TrivialBaselines
    generation: GenerationParams = field(default_factory=GenerationParams)
    official: BuildSamples | None = None
    official_files: Callable[[Variant], Sequence[OfficialFile]] | None = None
    judge: str = "rule"
    llm_judges: Mapping[str, LLMJudge] = field(default_factory=dict)
    notes: str = ""
    prepare: PrepareSamples | None = None

    def __post_init__(self) -> None:
        if self.id not in TASK_IDS or aspect_of(self.id) != self.aspect:
            raise ValueError(f"task {self.id!r} is not a task of aspect {self.aspect!r}")
        ids = [v.id for v in self.variants]
        if len(set(ids)) != len(ids) or any(v.task_id != self.id for v in self.variants):
            raise ValueError(f"task {self.id!r}: variant ids must be unique and belong to the task")
        if (self.official is None) != (self.official_files is None):
            raise ValueError(f"task {self.id!r}: an official loader and its official_files come together")
        if not set(self.llm_judges) <= set(ids):
            raise ValueError(f"task {self.id!r}: llm_judges names unknown variants {set(self.llm_judges) - set(ids)}")

    @property
    def sub_aspect(self) -> SubAspect | None:
        """The official sub-aspect; None for an extra task (outside every sub-aspect)."""
        return SUB_ASPECT_OF_TASK.get(self.id)

    def variant(self, variant_id: str) -> Variant:
        for variant in self.variants:
            if variant.id == variant_id:
                return variant
        raise KeyError(f"task {self.id!r} has no variant {variant_id!r}")

    def __str__(self) -> str:
        if is_extra(self.id):  # not one of the paper's numbered tasks
            return self.title
        return f"{self.id.upper()[0]}.{self.id[1:]} {self.title}"


def variants(task_id: str, *pairs: tuple[str, str]) -> tuple[Variant, ...]:
    """Shorthand: ``variants("p6", ("enron-email-text", "text"), ...)``."""
    return tuple(Variant(task_id, variant_id, modality) for variant_id, modality in pairs)


KeyT = TypeVar("KeyT", bound=str)


def variant_key(variant: Variant, prefix: str, known: Sequence[KeyT]) -> KeyT:
    """The part of ``variant.id`` after ``prefix``, as one of ``known`` (``coco-o-sketch`` -> ``sketch``).

    Raises:
        KeyError: the variant is not ``prefix`` + one of ``known`` (the message lists the expected ids).
    """
    suffix = variant.id.removeprefix(prefix) if variant.id.startswith(prefix) else None
    for key in known:
        if key == suffix:
            return key
    raise KeyError(f"task {variant.task_id} has no variant {variant.id!r}; expected {prefix}{{{','.join(known)}}}")


def sample_id(variant: Variant, index: int) -> str:
    return f"{variant.task_id}/{variant.id}/{index:04d}"


def registered_tasks() -> dict[str, TaskSpec]:
    """Every :class:`TaskSpec` defined in ``pytest_multitrust.tasks``, by id (imports the task modules)."""
    from pytest_multitrust import tasks

    found: dict[str, TaskSpec] = {}
    for info in sorted(pkgutil.iter_modules(tasks.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{tasks.__name__}.{info.name}")
        for value in vars(module).values():
            if isinstance(value, TaskSpec):
                found[value.id] = value
    return dict(sorted(found.items(), key=lambda item: TASK_IDS.index(item[0])))
