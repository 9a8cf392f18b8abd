"""``--mitigation NAME[:KEY=VALUE,...]``: the known mitigations, parsing, and wrapping a model in them."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pytest_multitrust.mitigations.base import MitigatedModel
from pytest_multitrust.mitigations.multistep import CaptionFirst, SelfCheck
from pytest_multitrust.mitigations.params import MitigationError, ParamValue, split_pairs
from pytest_multitrust.mitigations.prompting import AdaShield, CotSafety, SafetyPrompt

if TYPE_CHECKING:
    from pytest_multitrust.models.protocol import Model

#: Name -> class, for ``--mitigation`` and its help text.
MITIGATIONS: dict[str, type[MitigatedModel]] = {
    cls.name: cls for cls in (SafetyPrompt, CotSafety, CaptionFirst, AdaShield, SelfCheck)
}


def known_mitigations() -> str:
    return ", ".join(sorted(MITIGATIONS))


@dataclass(frozen=True)
class MitigationSpec:
    """A parsed ``--mitigation`` value.

    Attributes:
        name: the mitigation (a key of :data:`MITIGATIONS`).
        params: the parameters the user gave, validated, in the order given (a file's text for ``@path``).
        text: what the user typed.
    """

    name: str
    params: tuple[tuple[str, ParamValue], ...] = ()
    text: str = ""

    @property
    def mitigation(self) -> type[MitigatedModel]:
        return MITIGATIONS[self.name]

    def resolved(self) -> dict[str, ParamValue]:
        """Every parameter of the mitigation: the given values, the defaults for the rest."""
        given = dict(self.params)
        return {key: given.get(key, param.default) for key, param in self.mitigation.PARAMS.items()}

    def wrap(self, model: Model) -> MitigatedModel:
        """This mitigation around ``model``."""
        return self.mitigation(model, dict(self.params))


def parse_mitigation(text: str) -> MitigationSpec:
    """Parse and validate ``NAME[:KEY=VALUE,...]`` (cheap: nothing is loaded).

    A value may contain commas (the list is split only at ``,KEY=``); ``KEY=@path`` reads a text value from a
    UTF-8 file.

    Raises:
        MitigationError: an unknown name (with the known ones), an unknown or repeated key (with the
            mitigation's keys), or a bad value; one line starting with ``--mitigation``.
    """
    name, sep, rest = text.strip().partition(":")
    name = name.strip()
    if name not in MITIGATIONS:
        raise MitigationError(f"--mitigation {text.strip()!r}: unknown mitigation; known: {known_mitigations()}")
    cls = MITIGATIONS[name]
    where = f"--mitigation {name}"
    if sep and not rest.strip():
        raise MitigationError(f"{where}: nothing after ':'; give KEY=VALUE pairs or drop the ':'")
    params: list[tuple[str, ParamValue]] = []
    for key, raw in split_pairs(where, rest) if sep else []:
        if key not in cls.PARAMS:
            keys = ", ".join(cls.PARAMS) or "none"
            raise MitigationError(f"{where}: unknown parameter {key!r}; its parameters: {keys}")
        params.append((key, cls.PARAMS[key].parse(where, key, raw)))
    return MitigationSpec(name, tuple(params), text.strip())


def apply_mitigations(model: Model, specs: Sequence[MitigationSpec]) -> Model:
    """``model`` wrapped in ``specs``, applied in the order given.

    The first mitigation is the outermost: it sees the task's request first and gives the final answer; each
    one's calls go through the next, and the last one calls ``model``. So ``[safety-prompt, caption-first]``
    puts the safety system prompt on the draft only (caption-first drops it for its own check and caption,
    keeps it for its answer), while ``[caption-first, safety-prompt]`` puts it on every call caption-first
    makes. Wrap the response cache (``CachingModel``), not the mitigated model: then every call, each step
    of the multi-call mitigations included, is cached under its own prompt.
    """
    for spec in reversed(specs):
        model = spec.wrap(model)
    return model


def describe_mitigations(specs: Sequence[MitigationSpec]) -> list[dict[str, Any]]:
    """The mitigations of a run for ``scores.json`` and the report, in the order given: name, what the user
    typed, every parameter's value (defaults included: the prompts used), and the source."""
    return [
        {"name": s.name, "spec": s.text or s.name, "params": s.resolved(), "source": s.mitigation.source} for s in specs
    ]


def mitigation_slug(specs: Sequence[MitigationSpec]) -> str:
    """A file-name-safe name for the mitigations of a run (e.g. a report folder suffix), in the order given:
    ``safety-prompt+caption-first``; a mitigation given parameters gets 6 hex digits of their hash
    (``adashield-1a2b3c``), so runs with other parameters do not share a folder. Empty without mitigations."""
    parts = []
    for spec in specs:
        if spec.params:
            digest = hashlib.sha256(json.dumps(spec.params, sort_keys=True).encode()).hexdigest()[:6]
            parts.append(f"{spec.name}-{digest}")
        else:
            parts.append(spec.name)
    return "+".join(parts)


def unwrap_mitigations(model: Model) -> Model:
    """The model under any mitigation wrappers (e.g. for the adversarial tasks, whose images are computed on
    the model's own encoder, which a mitigation does not change)."""
    while isinstance(model, MitigatedModel):
        model = model.inner
    return model


def mitigation_help() -> str:
    """One line per mitigation and parameter, for ``--mitigation``'s help text."""
    lines = []
    for name, cls in sorted(MITIGATIONS.items()):
        keys = "; ".join(f"{key}: {param.describe()}" for key, param in cls.PARAMS.items())
        lines.append(f"{name} ({keys})")
    return "\n".join(lines)
