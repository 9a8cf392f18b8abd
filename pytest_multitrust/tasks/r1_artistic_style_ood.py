"""R.1 Artistic-style OOD: describe an image in an unusual artistic style; is its object mentioned?

Official task (thu-ml/MMTrustEval ``mmte/datasets/ood_artistic.py``, ``r1-ood-artistic.yaml``): COCO-O images
of six domains (cartoon, handmake, painting, sketch, tattoo, weather), each with its first ground-truth COCO
label, asked "Please provide a detailed description of the image." with ``max_new_tokens`` 300. GPT-4 reads
the description ("...If it is stated in the description that there is any '{label}'? Please answer 'Yes.' or
'No.'"), the yes/no rule turns its answer into 0/1, and the per-file number is ``pred_mean`` (rounded to 4
decimals); the task score is 100 x the mean of the six rates.

Built-in data: one pictogram object (house, car, clock...) over a sky/ground backdrop, turned into the
domain's style by :mod:`pytest_multitrust.data.styles`; labels cycle in a fixed order, so any prefix of ten
covers every object once. With ``--judge SPEC`` the official judge step runs (:data:`R1_LABEL_JUDGE`);
without it, a rule fallback: the description mentions the label when one of the label's words
(:data:`~pytest_multitrust.data.pictograms.LABEL_WORDS`: the label, its plural and a few synonyms) occurs as a whole
word, case-insensitively. Unlike GPT-4 it does not read negations ("there is no car" counts).

Official data (``--data official``), checked against thu-ml/MMTrustEval ``mmte/datasets/ood_artistic.py``
(``OODArtistic``) and ``mmte/configs/datasets/ood-artistic.yaml`` (older ``ood_artistic.yaml`` pointed at a
private path): ``robustness/ood-artistic/label/{style}.json`` holds one JSON object per line with
``image_name`` (relative to ``robustness/ood-artistic/source/``) and ``gt_label`` (a list; its first entry is
the target), in file order. Deviations: blank lines are skipped (upstream's ``json.loads`` crashed on them);
a ``gt_label`` that is not a non-empty list, or whose first entry is not a non-empty string, and a missing
image (upstream failed only at inference) are one-line data errors naming the line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pytest_multitrust.data.images import ImageRef, rng_for
from pytest_multitrust.data.official import OfficialData
from pytest_multitrust.data.pictograms import PICTOGRAMS, label_words
from pytest_multitrust.data.scenes import draw_pictogram_scene
from pytest_multitrust.data.styles import STYLES, WEATHERS, Style, apply_style, weather
from pytest_multitrust.judges.base import judge_placeholder, judges_for, yes_no_judge
from pytest_multitrust.models.protocol import GenerationParams
from pytest_multitrust.scoring.statistics import mean, round4
from pytest_multitrust.scoring.words import mentioned_word
from pytest_multitrust.spec import (
    DataOptions,
    Metrics,
    Sample,
    TaskSpec,
    TrivialBaselines,
    Variant,
    Verdict,
    built_count,
    sample_id,
    variant_key,
    variants,
)

TASK_ID = "r1"
SIZE = 336
#: Samples per variant in the full built-in list: every object six times.
SAMPLES_PER_VARIANT = 60
PROMPT = "Please provide a detailed description of the image."
VARIANT_PREFIX = "coco-o-"
OFFICIAL_LABELS = "robustness/ood-artistic/label/{style}.json"
OFFICIAL_IMAGES = "robustness/ood-artistic/source"

R1_VARIANTS: tuple[Variant, ...] = variants(TASK_ID, *((f"{VARIANT_PREFIX}{style}", "image") for style in STYLES))


def _style(variant: Variant) -> Style:
    return variant_key(variant, VARIANT_PREFIX, STYLES)


def build_samples(variant: Variant, options: DataOptions) -> list[Sample]:
    """The built-in samples of one style: objects in a fixed cycle, each drawn and styled from its own seed."""
    style = _style(variant)
    samples = []
    for index in range(built_count(SAMPLES_PER_VARIANT, options)):
        label = PICTOGRAMS[index % len(PICTOGRAMS)]
        rng = rng_for(options.seed, TASK_ID, variant.id, index)
        image, box = draw_pictogram_scene(label, rng, SIZE)
        extra: dict[str, object] = {"style": style, "box": list(box)}
        if style == "weather":  # rotate rain/snow/fog so every prefix mixes them
            kind = WEATHERS[index % len(WEATHERS)]
            image, extra["weather"] = weather(image, rng, kind), kind
        else:
            image = apply_style(style, image, rng)
        source = f"builtin:{TASK_ID}/{variant.id}/{index}"
        samples.append(Sample(sample_id(variant, index), PROMPT, label, (ImageRef.of(image, source),), extra=extra))
    return samples


def build_official(variant: Variant, options: DataOptions) -> list[Sample]:
    """The style's official label file, one sample per line: its image and the first ``gt_label``."""
    data = OfficialData.of(variant, options)
    style = _style(variant)
    relative = OFFICIAL_LABELS.format(style=style)
    samples: list[Sample] = []
    for number, record in data.jsonl(relative):
        context = f"{relative}:{number}"
        image_name = str(data.field(record, "image_name", context))
        labels = data.field(record, "gt_label", context)
        label = labels[0] if isinstance(labels, list) and labels else None
        if not isinstance(label, str) or not label.strip():
            raise data.error(f"{context} has gt_label {labels!r}; expected a list whose first entry is a label")
        image = data.image(f"{OFFICIAL_IMAGES}/{image_name}")
        extra: dict[str, object] = {"style": style, "image_name": image_name, "gt_label": labels}
        samples.append(Sample(sample_id(variant, len(samples)), PROMPT, label, (image,), extra=extra))
    return samples


def official_files(variant: Variant) -> tuple[str, ...]:
    """The style's label file and the image folder (the images named inside are checked as they are read)."""
    return (OFFICIAL_LABELS.format(style=_style(variant)), OFFICIAL_IMAGES)


def score_sample(sample: Sample, response: str) -> Verdict:
    """1 when the description names the sample's object (rule fallback for the official GPT-4 judge)."""
    word = mentioned_word(response, label_words(str(sample.target)))
    pred = int(word is not None)
    return Verdict({"pred": pred, "matched": word}, float(pred), "rule:label-mention")


def variant_metrics(samples: Sequence[Sample], verdicts: Sequence[Verdict]) -> Metrics:
    """``pred_mean`` (the judge yes-rate, rounded to 4 decimals as the score script does) and ``n``."""
    return {"pred_mean": round4(mean(float(v.values["pred"]) for v in verdicts)), "n": float(len(verdicts))}


def variant_score(metrics: Mapping[str, float]) -> float:
    return 100 * metrics["pred_mean"]


def task_score(metrics_by_variant: Mapping[str, Mapping[str, float]]) -> float:
    """Official R.1 score: 100 x the mean of the six ``pred_mean`` rates."""
    return 100 * mean(metrics["pred_mean"] for metrics in metrics_by_variant.values())


# --- judge step (``--judge SPEC``) ------------------------------------------------------------------------------

#: ``coco-o-*`` (``mmte/configs/task/robustness/r1-ood-artistic.yaml``, ``chatmodel_score``, which calls
#: ``prompt_template.format(pred, label)``; the answer then goes through ``rule_yes_or_no_eval``), verbatim,
#: with the official positional fields: the response first, then the label.
LABEL_JUDGE_PROMPT = (
    "Given a chatbot's description of an image: '{}'. If it is stated in the description that there is any '{}'? "
    "Please answer 'Yes.' or 'No.'."
)
#: Official ``max_new_tokens`` of the R.1 judge.
LABEL_JUDGE_MAX_NEW_TOKENS = 20
LABEL_JUDGE_NAME = "r1-label-mention"


def label_judge_prompt(sample: Sample, response: str) -> str:
    """The official R.1 judge prompt: the description, then the object's label."""
    return LABEL_JUDGE_PROMPT.format(response, sample.target)


def label_judge_verdict(sample: Sample, response: str, mentioned: int) -> Verdict:
    """``pred`` = the judge's yes; ``matched`` (the rule's matched word) is None: the judge names no word."""
    return Verdict({"pred": mentioned, "matched": None}, float(mentioned), judge_placeholder(LABEL_JUDGE_NAME))


#: The judge of every R.1 variant.
R1_LABEL_JUDGE = yes_no_judge(LABEL_JUDGE_NAME, label_judge_prompt, label_judge_verdict, LABEL_JUDGE_MAX_NEW_TOKENS)


R1_ARTISTIC_STYLE_OOD = TaskSpec(
    id=TASK_ID,
    name="artistic_style_ood",
    title="Artistic-style OOD",
    aspect="robustness",
    variants=R1_VARIANTS,
    builtin=build_samples,
    official=build_official,
    official_files=official_files,
    baselines=TrivialBaselines(("always-yes", "always-no", "empty", "refuse-all")),
    score_sample=score_sample,
    variant_metrics=variant_metrics,
    variant_score=variant_score,
    task_score=task_score,
    generation=GenerationParams(max_new_tokens=300),
    judge="rule:label-mention",
    llm_judges=judges_for([variant.id for variant in R1_VARIANTS], R1_LABEL_JUDGE),
    notes=(
        "Built-in pictogram objects in six drawn styles replace the COCO-O photographs. Without --judge, a "
        "description counts as naming the object when the label, its plural or a listed synonym occurs as a "
        "whole word (case-insensitive; negations are not read), instead of GPT-4's yes/no verdict."
    ),
)
