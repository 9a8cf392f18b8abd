"""Inference-time mitigations as model wrappers: ``--mitigation NAME[:KEY=VALUE,...]`` (repeatable).

Each mitigation is a :class:`~pytest_multitrust.models.protocol.Model` around another model that changes the
requests, post-processes the answers, or makes further calls of its own:

- ``safety-prompt``: a safety system prompt (MM-SafetyBench's safety prompt / Self-Reminder);
- ``cot-safety``: reason about the image, the text and their combination before answering (RESA's idea at
  inference time);
- ``caption-first``: ECSO (arXiv 2403.09572): an answer the model itself judges harmful is redone from a
  caption of the image, without the image;
- ``adashield``: AdaShield-S (arXiv 2403.09513): a defence prompt to inspect the image for instructions and
  harmful typography;
- ``self-check``: the model judges its own draft and revises it or refuses.

Order and cache: :func:`apply_mitigations` wraps the model in the order given (the first is outermost). The
response cache belongs *inside*, around the backend (``apply_mitigations(open_model(...), specs)``): every
call the backend answers, each step of ``caption-first`` and ``self-check`` included, is then cached under its
own prompt, and a rerun replays every step from disk without loading the model. A mitigated model's
fingerprint (inner fingerprint + name + resolved parameters) differs per mitigation and parameters, and its
``describe()`` lists the mitigations, so scores and reports name them. The judge is never wrapped.

Importing this package imports no backend and no torch.
"""

from __future__ import annotations

from pytest_multitrust.mitigations.base import MitigatedModel, PromptMitigation, judged_harmful
from pytest_multitrust.mitigations.multistep import CaptionFirst, SelfCheck
from pytest_multitrust.mitigations.params import MitigationError, Param
from pytest_multitrust.mitigations.prompting import AdaShield, CotSafety, SafetyPrompt
from pytest_multitrust.mitigations.registry import (
    MITIGATIONS,
    MitigationSpec,
    apply_mitigations,
    describe_mitigations,
    mitigation_help,
    mitigation_slug,
    parse_mitigation,
    unwrap_mitigations,
)

__all__ = [
    "MITIGATIONS",
    "AdaShield",
    "CaptionFirst",
    "CotSafety",
    "MitigatedModel",
    "MitigationError",
    "MitigationSpec",
    "Param",
    "PromptMitigation",
    "SafetyPrompt",
    "SelfCheck",
    "apply_mitigations",
    "describe_mitigations",
    "judged_harmful",
    "mitigation_help",
    "mitigation_slug",
    "parse_mitigation",
    "unwrap_mitigations",
]
