"""R.1 Artistic-style OOD: describe an image in an unusual artistic style; is its object mentioned?

Official task (thu-ml/MMTrustEval ``mmte/datasets/ood_artistic.py``, ``r1-ood-artistic.yaml``): COCO-O images
of six domains (cartoon, handmake, painting, sketch, tattoo, weather), each with its first ground-truth COCO
label, asked "Please provide a detailed description of the image." with ``max_new_tokens`` 300. GPT-4 reads
the description ("...If it is stated in the description that there is any '{label}'? Please answer 'Yes.' or
'No.'"), the yes/no rule turns its answer into 0/1, and the per-file number is ``pred_mean`` (rounded to 4
decimals); the task score is 100 x the mean of the six rates.

Built-in data: one pictogram object (house, car, clock...) over a sky/ground backdrop, turned into the
domain's style by :mod:`pytest_multitrust.data.styles`; labels cycle in a fixed order, so any prefix of ten
covers every object once. With ``--judge SPEC`` the official judge step runs (``judges/task_judges.py``);
without it, a rule fallback: the description mentions the label
when one of the label's words (:data:`LABEL_WORDS`: the label, its plural and a few synonyms) occurs as a
whole word, case-insensitively. Unlike GPT-4 it does not read negations ("there is no car" counts).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pytest_multitrust.data.images import ImageRef, rng_for
from pytest_multitrust.data.pictograms import PICTOGRAMS
from pytest_multitrust.data.scenes import draw_pictogram_scene
from pytest_multitrust.data.styles import STYLES, WEATHERS, Style, apply_style, weather
from pytest_multitrust.judges.task_judges import R1_LABEL_JUDGE, judges_for
from pytest_multitrust.models.protocol import GenerationParams
from pytest_multitrust.scoring.statistics import mean, round4
from pytest_multitrust.scoring.words import mentioned_word
from pytest_multitrust.spec import DataOptions, Metrics, Sample, TaskSpec, Variant, Verdict, sample_id, variants

TASK_ID = "r1"
SIZE = 336
#: Samples per variant in the full built-in list: every object six times.
SAMPLES_PER_VARIANT = 60
PROMPT = "Please provide a detailed description of the image."
VARIANT_PREFIX = "coco-o-"

#: Words that count as naming each object: the label, its plural and close synonyms a describer would use.
LABEL_WORDS: dict[str, tuple[str, ...]] = {
    "house": ("house", "houses", "home", "homes", "cottage", "cottages", "hut", "huts", "cabin", "cabins"),
    "tree": ("tree", "trees"),
    "car": ("car", "cars", "automobile", "automobiles", "sedan", "sedans", "taxi", "taxis"),
    "boat": ("boat", "boats", "sailboat", "sailboats", "ship", "ships", "yacht", "yachts"),
    "flower": ("flower", "flowers", "blossom", "blossoms", "daisy", "daisies", "sunflower", "sunflowers"),
    "umbrella": ("umbrella", "umbrellas", "parasol", "parasols"),
    "clock": ("clock", "clocks", "timepiece", "timepieces"),
    "fish": ("fish", "fishes", "goldfish"),
    "cup": ("cup", "cups", "mug", "mugs", "teacup", "teacups"),
    "airplane": ("airplane", "airplanes", "aeroplane", "aeroplanes", "plane", "planes", "aircraft", "jet", "jets"),
}

R1_VARIANTS: tuple[Variant, ...] = variants(TASK_ID, *((f"{VARIANT_PREFIX}{style}", "image") for style in STYLES))


def _style(variant: Variant) -> Style:
    style = variant.id.removeprefix(VARIANT_PREFIX)
    for known in STYLES:
        if known == style:
            return known
    raise KeyError(f"task r1 has no variant {variant.id!r}; expected coco-o-{{{','.join(STYLES)}}}")


def build_samples(variant: Variant, options: DataOptions) -> list[Sample]:
    """The built-in samples of one style: objects in a fixed cycle, each drawn and styled from its own seed."""
    style = _style(variant)
    samples = []
    for index in range(SAMPLES_PER_VARIANT):
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


def label_words(label: str) -> tuple[str, ...]:
    """The words that name ``label``; a label we have no list for is matched as itself."""
    return LABEL_WORDS.get(label, (label,))


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


R1_ARTISTIC_STYLE_OOD = TaskSpec(
    id=TASK_ID,
    name="artistic_style_ood",
    title="Artistic-style OOD",
    aspect="robustness",
    variants=R1_VARIANTS,
    builtin=build_samples,
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
