"""The one table of MultiTrust options: command-line flags, ``[tool.multitrust]`` keys and their kinds.

Everything else derives from :data:`OPTIONS`: the plugin registers ``--multitrust-<name>`` for each (always
there, in every pytest run of the environment, and prefixed so it cannot collide with another project's
options); the suite's ``trusttests/conftest.py`` adds the short form ``--<name>`` only where the suite is in
use and only when no other plugin or conftest has taken that flag; and :mod:`pytest_multitrust.settings`
accepts exactly the pyproject keys listed here.

Import-light: nothing but the standard library and pytest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import pytest

#: How an option's value is read. ``pairs`` are repeatable ``KEY=VALUE`` items on the command line and a
#: table (or a list of ``"KEY=VALUE"``) in pyproject; ``list`` is repeatable; ``flag`` takes no value.
OptionKind = Literal["text", "int", "float", "list", "pairs", "flag"]


@dataclass(frozen=True)
class Option:
    """One MultiTrust option. ``name`` is the settings key and, with ``-`` for ``_``, the flag's suffix."""

    name: str
    kind: OptionKind
    help: str
    #: The key in ``[tool.multitrust]``; None: command line only.
    pyproject: str | None = ""

    @property
    def flag(self) -> str:
        """The short form, registered only by the suite and only where free (``--model``)."""
        return "--" + self.name.replace("_", "-")

    @property
    def long_flag(self) -> str:
        """The prefixed form, always registered (``--multitrust-model``)."""
        return "--multitrust-" + self.name.replace("_", "-")

    @property
    def dest(self) -> str:
        return f"multitrust_{self.name}"

    @property
    def key(self) -> str | None:
        return self.name if self.pyproject == "" else self.pyproject

    def argparse_kwargs(self) -> dict[str, Any]:
        # argparse expands "%" in help texts ("95% interval"): escape it.
        kwargs: dict[str, Any] = {"dest": self.dest, "default": None, "help": self.help.replace("%", "%%")}
        if self.kind == "flag":
            kwargs["action"] = "store_true"
        else:
            kwargs["metavar"] = "KEY=VALUE" if self.kind == "pairs" else self.name.upper()
            if self.kind in ("list", "pairs"):
                kwargs["action"] = "append"
        return kwargs


OPTIONS: tuple[Option, ...] = (
    Option("model", "text", "model to evaluate: an alias (tiny-llava, tiny-qwen2-vl, llava, ...) or BACKEND:TARGET "
           "(tiny:, hf:, vllm:, openai:, replay:). Default: tiny-llava, the embedded random-weight model."),
    Option("model_arg", "pairs", "backend setting for the model, e.g. dtype=bfloat16, max_batch_size=16, "
           "base_url=... (repeatable).", "model_args"),
    Option("mitigation", "list", "inference-time mitigation around the model under test, NAME[:KEY=VALUE,...] "
           "(repeatable, applied in the order given, the first outermost; the judge is never wrapped): "
           "safety-prompt, cot-safety, caption-first, adashield, self-check.", "mitigations"),
    Option("judge", "text", "LLM judge for the tasks whose official scorer is GPT-4 (any model spec, e.g. "
           "openai:gpt-4o); default: the official rule fallbacks."),
    Option("judge_arg", "pairs", "backend setting for the judge model (repeatable).", "judge_args"),
    Option("aspect", "list", "run only this aspect (repeatable): truthfulness, robustness, safety, fairness, privacy."),
    Option("task", "list", "run only this task id (repeatable): t1 ... p6."),
    Option("allow_partial", "flag", "run even when a selected task cannot run (not implemented, or no official "
           "data for it); such tasks are reported as missing and their aspects cannot pass."),
    Option("limit", "int", "evaluate at most N samples per variant."),
    Option("seed", "int", "seed of the built-in data generators and tiny models (default 0)."),
    Option("data", "text", "data source: builtin (default, generated offline) or official."),
    Option("data_dir", "text", "folder of the official MultiTrust data release (with --data official)."),
    Option("threshold", "pairs", "pass mark (0-100) for an aspect or a task, e.g. privacy=70 or p6=80 "
           "(repeatable).", "thresholds"),
    Option("gate", "text", "what a threshold is held against: point (the score, the paper's reading; default) or "
           "lower-bound (the lower end of its 95% bootstrap interval, so a small --limit cannot pass by luck)."),
    Option("bootstrap", "int", "bootstrap replicates behind every score's 95% interval (default 1000; 0: no "
           "intervals)."),
    Option("baseline", "text", "report folder of a previous run (another checkpoint, same settings): the session "
           "fails when a gated aspect or task drops significantly below it (paired test, p < 0.05) by more than "
           "--max-drop."),
    Option("max_drop", "float", "points a gated score may drop below --baseline before a significant drop fails "
           "(default 0)."),
    Option("report_dir", "text", "where scores.json and per-sample evidence go (default reports/<model>)."),
    Option("cache_dir", "text", "response cache folder (default .multitrust-cache)."),
    Option("no_cache", "flag", "do not read or write the response cache."),
    Option("max_error_rate", "float", "a variant whose share of samples left without a verdict by a backend, "
           "judge or scorer error exceeds this errors instead of being scored (default 0.1)."),
    Option("allure_samples", "int", "worst samples attached per variant with --alluredir (default 5)."),
    Option("surrogate", "list", "vision encoder to compute R.4/R.5 adversarial images on, instead of the model "
           "under test: a local CLIP/SigLIP or VLM checkpoint folder, a cached hub id, or a tiny model name "
           "(repeatable: an ensemble). Needed for backends without gradients (openai, vllm, replay).",
           "surrogates"),
    Option("attack_arg", "pairs", "setting of the R.4/R.5 attack: eps=16/255, step=1/255, steps=50 (the official "
           "defaults; repeatable).", "attack_args"),
    Option("official_bug", "list", "reproduce a bug of the official toolkit that this project fixes, to compare "
           "with published numbers (repeatable): f7-text-only.", "official_bugs"),
    Option("refusal_list", "text", "refusal keywords: paper (v0.1.0, comparable with the paper; default) or head "
           "(the toolkit's fixed list)."),
)  # fmt: skip
OPTION_BY_NAME: dict[str, Option] = {option.name: option for option in OPTIONS}

#: Keys accepted in ``[tool.multitrust]``, derived from the table.
PYPROJECT_KEYS: frozenset[str] = frozenset(o.key for o in OPTIONS if o.key is not None)

GROUP = ("multitrust", "MultiTrust-X trustworthiness benchmark")


def add_prefixed_options(parser: pytest.Parser) -> None:
    """``--multitrust-<name>`` for every option: safe in any pytest run of the environment."""
    group = parser.getgroup(*GROUP)
    for option in OPTIONS:
        group.addoption(option.long_flag, **option.argparse_kwargs())


def registered_flags(parser: pytest.Parser) -> set[str]:
    """Every option string some plugin or conftest has registered so far (pytest keeps no public list)."""
    groups = [getattr(parser, "_anonymous", None), *getattr(parser, "_groups", [])]
    return {name for group in groups if group is not None for opt in group.options for name in opt.names()}


def add_short_options(parser: pytest.Parser) -> list[str]:
    """The short forms (``--model``, ``--seed``...) for the suite, each only if no one else has taken it.

    Returns the flags left out, so a run can say which long forms to use instead.
    """
    taken = registered_flags(parser)
    group = parser.getgroup(*GROUP)
    skipped = []
    for option in OPTIONS:
        if option.flag in taken:
            skipped.append(option.flag)
            continue
        kwargs = option.argparse_kwargs() | {"help": f"short for {option.long_flag}."}
        group.addoption(option.flag, **kwargs)
    return skipped


def _convert(option: Option, value: Any) -> Any:
    if value is None or option.kind not in ("int", "float"):
        return value
    try:
        return int(value) if option.kind == "int" else float(value)
    except ValueError:
        wanted = "a whole number" if option.kind == "int" else "a number"
        raise pytest.UsageError(f"{option.flag} must be {wanted}, got {value!r}") from None


def cli_values(config: pytest.Config) -> dict[str, Any]:
    """The command-line values by option name (None where not given), numbers converted."""
    return {option.name: _convert(option, config.getoption(option.dest)) for option in OPTIONS}


def unknown_keys(table: Mapping[str, Any] | Iterable[str]) -> list[str]:
    return sorted(set(table) - PYPROJECT_KEYS)


_SCALARS = (str, int, float, bool)


def _is_strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


#: What each kind of option takes in pyproject, as (check, what to say).
_TOML_KINDS: dict[OptionKind, tuple[Any, str]] = {
    "text": (lambda v: isinstance(v, str), "a string"),
    "int": (lambda v: isinstance(v, int) and not isinstance(v, bool), "a whole number"),
    "float": (lambda v: isinstance(v, int | float) and not isinstance(v, bool), "a number"),
    "flag": (lambda v: isinstance(v, bool), "true or false (unquoted)"),
    "list": (lambda v: isinstance(v, str) or _is_strings(v), 'a string or a list of strings, e.g. ["privacy"]'),
    "pairs": (
        lambda v: (isinstance(v, dict) and all(isinstance(x, _SCALARS) for x in v.values())) or _is_strings(v),
        'a table of KEY = value, e.g. { dtype = "bfloat16" }',
    ),
}


def check_pyproject_types(table: Mapping[str, Any], where: str) -> None:
    """Every ``[tool.multitrust]`` value has the type its option takes; else one line naming key and type."""
    for option in OPTIONS:
        if option.key is None or option.key not in table:
            continue
        check, wanted = _TOML_KINDS[option.kind]
        if option.key == "thresholds":
            check, wanted = (lambda v: isinstance(v, dict), "a table, e.g. [tool.multitrust.thresholds]")
        value = table[option.key]
        if not check(value):
            raise ValueError(f"{where} [tool.multitrust] {option.key} = {value!r}: expected {wanted}")
