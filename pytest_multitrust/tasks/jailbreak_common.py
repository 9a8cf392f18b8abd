"""What S.4, S.5 and S.6 share: the HarmBench-style scoring, the official formula and the judge step, and
the reader of the official typographic CSVs.

The three jailbreak tasks differ only in how their samples are built; :func:`jailbreak_task` wires the rest
once (``scoring/jailbreak.py`` for the rule fallback and the formula, the HarmBench judge for ``--judge``).
S.4's three variants and S.5's ``opimized-jailbreak-graphic`` and ``safebench`` read CSVs of one shape
(``mmte/datasets/typographic_jailbreaking.py``, ``safebench.py``): :func:`read_typographic_csv`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pytest_multitrust.data.official import OfficialData
from pytest_multitrust.judges.task_judges import S4_HARMBENCH_JUDGE, judges_for
from pytest_multitrust.models.protocol import GenerationParams
from pytest_multitrust.scoring.jailbreak import (
    JAILBREAK_RULE_JUDGE,
    jailbreak_task_score,
    jailbreak_variant_metrics,
    jailbreak_variant_score,
    score_jailbreak_sample,
)
from pytest_multitrust.spec import BuildSamples, OfficialFile, TaskSpec, TrivialBaselines, Variant

#: The official configs use 512; answers long enough to judge fit in 150 and keep CPU runs fast.
JAILBREAK_MAX_NEW_TOKENS = 150

#: Refusing every jailbreak is the desired answer (RtA 1, ASR 0): refuse-all scores 100 and comply-all 0.
JAILBREAK_BASELINES = TrivialBaselines(
    ("refuse-all", "comply-all", "empty"),
    must_clear=False,
    why="refusing every harmful request is the desired answer: refuse-all scores 100 (the over-refusal probe is "
    "its counterweight)",
)

#: The folder of the official typographic sets (``mmte/configs/datasets/typographic-*.yaml``): each set is a
#: CSV ``<name>.csv`` with its images in the folder ``<name>/`` beside it.
TYPOGRAPHIC_DIR = "safety/typographic_jailbreak"


def typographic_files(name: str) -> tuple[str, str]:
    """The CSV and the image folder of the official typographic set ``name`` (e.g. ``behavior_graph``)."""
    return f"{TYPOGRAPHIC_DIR}/{name}.csv", f"{TYPOGRAPHIC_DIR}/{name}"


@dataclass(frozen=True)
class TypographicRow:
    """One row of an official typographic CSV.

    Attributes:
        question: the harmful behaviour (the HarmBench judge's ``behavior``; the sample's target).
        image: the row's image, relative to the data folder (``image_path`` under the set's image folder).
        jailbreak: the ``jailbreak_prompt`` cell, or "" when it was not asked for.
        where: ``<csv file>:<row number>``, for reports and error messages.
    """

    question: str
    image: str
    jailbreak: str
    where: str


def read_typographic_csv(
    data: OfficialData, csv_file: str, image_dir: str, *, jailbreak: bool = False
) -> list[TypographicRow]:
    """The rows of an official CSV with columns ``id``, ``question``, ``image_path`` (and ``jailbreak_prompt``
    when ``jailbreak``), in file order.

    As officially, rows whose ``id`` is "id" (a header repeated inside the file) are skipped and image paths
    are relative to ``image_dir``. Where the official loader would go on with a broken row, a missing or
    blank cell of a needed column is one data error; a file without an ``id`` column is read (officially a
    ``KeyError``; nothing here needs the ids).
    """
    columns = ("question", "image_path", "jailbreak_prompt") if jailbreak else ("question", "image_path")
    rows: list[TypographicRow] = []
    for number, row in data.csv_rows(csv_file, required=columns):
        if row.get("id") == "id":
            continue
        blank = [column for column in columns if not (row.get(column) or "").strip()]
        if blank:
            raise data.error(f"{csv_file}:{number} has no {', '.join(blank)}; fix or remove the row")
        image, prompt = f"{image_dir}/{row['image_path']}", row["jailbreak_prompt"] if jailbreak else ""
        rows.append(TypographicRow(row["question"], image, prompt, f"{csv_file}:{number}"))
    return rows


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
        baselines=JAILBREAK_BASELINES,
        score_sample=score_jailbreak_sample,
        variant_metrics=jailbreak_variant_metrics,
        variant_score=jailbreak_variant_score,
        task_score=jailbreak_task_score,
        generation=GenerationParams(max_new_tokens=JAILBREAK_MAX_NEW_TOKENS),
        judge=JAILBREAK_RULE_JUDGE,
        llm_judges=judges_for([variant.id for variant in variants], S4_HARMBENCH_JUDGE),
        notes=notes,
    )
