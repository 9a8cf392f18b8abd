"""Run settings from ``[tool.multitrust]`` in pyproject.toml and the command line (CLI wins).

Everything is validated here, at configure time: a bad value raises ``ValueError`` with one line, which the
plugin turns into ``pytest.UsageError`` (exit 4) before any model loads.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pytest_multitrust.aggregation import DEFAULT_REPLICATES, GATE_MODES, MAX_REPLICATES, GateMode
from pytest_multitrust.mitigations.registry import (
    MitigationSpec,
    describe_mitigations,
    mitigation_slug,
    parse_mitigation,
)
from pytest_multitrust.models.registry import DEFAULT_MODEL, ModelSpec, parse_spec, validate_args
from pytest_multitrust.options import check_pyproject_types, unknown_keys
from pytest_multitrust.scoring.refusal import REFUSAL_LISTS, RefusalList
from pytest_multitrust.spec import ASPECTS, OFFICIAL_BUGS, TASK_IDS, DataOptions, DataSource
from pytest_multitrust.thresholds import (
    ThresholdPolicy,
    normalize_task_id,
    parse_cli_thresholds,
    parse_table_thresholds,
)


@dataclass(frozen=True)
class Settings:
    """Everything a MultiTrust run needs to know, resolved and validated."""

    model: ModelSpec
    model_args: Mapping[str, str]
    judge: ModelSpec | None
    judge_args: Mapping[str, str]
    aspects: tuple[str, ...]
    tasks: tuple[str, ...]
    limit: int | None
    data: DataOptions
    thresholds: ThresholdPolicy
    report_dir: Path
    cache_dir: Path | None
    max_error_rate: float
    allure_samples: int
    refusal_list: RefusalList = "paper"
    allow_partial: bool = False
    surrogates: tuple[str, ...] = ()
    attack_args: Mapping[str, str] = field(default_factory=dict)
    gate: GateMode = "point"
    bootstrap: int = DEFAULT_REPLICATES
    baseline: Path | None = None
    max_drop: float = 0.0
    mitigations: tuple[MitigationSpec, ...] = ()

    def selects(self, task_id: str, aspect: str) -> bool:
        if self.tasks and task_id not in self.tasks:
            return False
        return not self.aspects or aspect in self.aspects

    def manifest(self) -> dict[str, Any]:
        return {
            "model": self.model.text,
            "model_spec": self.model.canonical,
            "model_args": dict(sorted(self.model_args.items())),
            "judge": self.judge.canonical if self.judge else None,
            "judge_args": dict(sorted(self.judge_args.items())),
            "seed": self.data.seed,
            "data": self.data.source,
            "data_dir": str(self.data.data_dir) if self.data.data_dir else None,
            "limit": self.limit,
            "aspects": list(self.aspects),
            "tasks": list(self.tasks),
            "refusal_list": self.refusal_list,
            "official_bugs": list(self.data.official_bugs),
            "gate": self.gate,
            "bootstrap": self.bootstrap,
            "mitigations": describe_mitigations(self.mitigations),
            "baseline": str(self.baseline) if self.baseline else None,
            "max_drop": self.max_drop,
            "allow_partial": self.allow_partial,
            "surrogates": list(self.surrogates),
            "attack_args": dict(sorted(self.attack_args.items())),
        }


def read_pyproject(rootpath: Path) -> dict[str, Any]:
    path = rootpath / "pyproject.toml"
    if not path.is_file():
        return {}
    try:
        tool = tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {})
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: invalid TOML ({exc})") from exc
    table = tool.get("multitrust", {}) if isinstance(tool, dict) else None
    if not isinstance(table, dict):
        raise ValueError(f"{path}: [tool.multitrust] must be a table of settings")
    unknown = unknown_keys(table)
    if unknown:
        raise ValueError(f"{path} [tool.multitrust]: unknown key(s) {', '.join(unknown)}")
    check_pyproject_types(table, str(path))
    return dict(table)


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Sequence):
        return [str(v) for v in value]
    raise ValueError(f"expected a string or a list of strings, got {value!r}")


def _pick(cli: Mapping[str, Any], file: Mapping[str, Any], key: str, default: Any) -> Any:
    if cli.get(key) is not None:
        return cli[key]
    if file.get(key) is not None:
        return file[key]
    return default


def parse_key_values(option: str, items: Sequence[str] | Mapping[str, object] | None) -> dict[str, str]:
    """``["dtype=bfloat16", ...]`` (command line) or a TOML table -> ``{"dtype": "bfloat16"}``.

    The API key of an HTTP backend never travels this way: pass the *name* of an environment variable.
    """
    if items is None:
        return {}
    if isinstance(items, Mapping):
        return {str(k): str(v).lower() if isinstance(v, bool) else str(v) for k, v in items.items()}
    parsed: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"{option} {item!r} must look like KEY=VALUE, e.g. dtype=bfloat16")
        parsed[key.strip()] = value.strip()
    return parsed


#: Seeds feed numpy, random and torch generators; torch takes at most a signed 64-bit seed.
MAX_SEED = 2**63 - 1


def _check_folder(option: str, path: Path) -> None:
    """A folder we will create and write into: it may not exist yet, but nothing on its way may be a file."""
    for candidate in (path, *path.parents):
        if candidate.exists():
            if not candidate.is_dir():
                where = "" if candidate == path else f" ({candidate} is a file)"
                raise ValueError(f"{option} {str(path)!r} is not a folder{where}; name a folder (created if missing)")
            return


def resolve(cli: Mapping[str, Any], file: Mapping[str, Any], rootpath: Path) -> Settings:
    """Merge pyproject values (``file``) under CLI values (``cli``) and validate every one."""
    model = parse_spec(str(_pick(cli, file, "model", DEFAULT_MODEL)))
    model_args = parse_key_values("[tool.multitrust] model_args", file.get("model_args")) | parse_key_values(
        "--model-arg", cli.get("model_arg")
    )
    judge_text = _pick(cli, file, "judge", None)
    try:
        judge = parse_spec(str(judge_text)) if judge_text else None
    except ValueError as exc:
        raise ValueError(f"--judge: {exc}") from None
    judge_args = parse_key_values("[tool.multitrust] judge_args", file.get("judge_args")) | parse_key_values(
        "--judge-arg", cli.get("judge_arg")
    )
    if judge_args and judge is None:
        raise ValueError("--judge-arg needs --judge SPEC (the judge model)")
    validate_args(model, model_args)
    if judge is not None:
        validate_args(judge, judge_args)

    aspects = [a.strip().lower() for a in (cli.get("aspect") or _as_list(file.get("aspect")))]
    for aspect in aspects:
        if aspect not in ASPECTS:
            raise ValueError(f"unknown aspect {aspect!r}; known: {', '.join(ASPECTS)}")
    tasks = [normalize_task_id(t) for t in (cli.get("task") or _as_list(file.get("task")))]
    for task in tasks:
        if task not in TASK_IDS:
            raise ValueError(f"unknown task {task!r}; known: {', '.join(TASK_IDS)}")

    limit = _pick(cli, file, "limit", None)
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
        raise ValueError(f"limit must be a whole number >= 1, got {limit!r}")
    seed = _pick(cli, file, "seed", 0)
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed <= MAX_SEED:
        raise ValueError(f"seed must be a whole number within 0-{MAX_SEED} (2**63-1), got {seed!r}")

    source: DataSource = _pick(cli, file, "data", "builtin")
    if source not in ("builtin", "official"):
        raise ValueError(f"data must be 'builtin' or 'official', got {source!r}")
    data_dir_value = _pick(cli, file, "data_dir", None)
    data_dir = (rootpath / Path(data_dir_value).expanduser()) if data_dir_value else None
    # Say when an option would have no effect. A data_dir in pyproject is the project's folder for the runs
    # that ask for --data official, so only the command line's --data-dir is refused here.
    if source == "builtin" and cli.get("data_dir") is not None:
        raise ValueError("--data-dir has no effect with built-in data; add --data official, or drop --data-dir")
    if source == "official":
        if data_dir is None:
            raise ValueError("--data official needs --data-dir pointing at the official MultiTrust data folder")
        if not data_dir.is_dir():
            raise ValueError(f"--data-dir {data_dir_value!r} is not a folder")

    file_thresholds = file.get("thresholds", {})
    if not isinstance(file_thresholds, Mapping):
        raise ValueError("[tool.multitrust.thresholds] must be a table of KEY = number")
    thresholds = ThresholdPolicy.layered(
        parse_table_thresholds(file_thresholds), parse_cli_thresholds(cli.get("threshold") or [])
    )

    mitigations = tuple(
        parse_mitigation(str(text)) for text in (cli.get("mitigation") or _as_list(file.get("mitigations")))
    )
    report_value = _pick(cli, file, "report_dir", None)
    # Each mitigation of a model gets its own default folder, so a mitigation matrix's runs do not overwrite each other.
    slug = "+".join(filter(None, [model.slug, mitigation_slug(mitigations)]))
    report_dir = rootpath / (Path(report_value).expanduser() if report_value else Path("reports") / slug)
    if report_value is None and not report_dir.resolve().is_relative_to((rootpath / "reports").resolve()):
        raise ValueError(f"model {model.text!r} gives no usable report folder name; pass --report-dir")
    _check_folder("--report-dir", report_dir)
    no_cache = bool(_pick(cli, file, "no_cache", False))
    cache_value = _pick(cli, file, "cache_dir", ".multitrust-cache")
    cache_dir = None if no_cache else rootpath / Path(cache_value).expanduser()
    if cache_dir is not None:
        _check_folder("--cache-dir", cache_dir)

    max_error_rate = float(_pick(cli, file, "max_error_rate", 0.1))
    if not 0.0 <= max_error_rate <= 1.0:
        raise ValueError(f"max-error-rate must be within 0-1, got {max_error_rate}")
    allure_samples = _pick(cli, file, "allure_samples", 5)
    if not isinstance(allure_samples, int) or allure_samples < 0:
        raise ValueError(f"allure-samples must be a whole number >= 0, got {allure_samples!r}")

    refusals = _pick(cli, file, "refusal_list", "paper")
    if refusals not in REFUSAL_LISTS:
        raise ValueError(f"refusal-list must be 'paper' (v0.1.0, the paper's numbers) or 'head', got {refusals!r}")

    allow_partial = _pick(cli, file, "allow_partial", False)
    if not isinstance(allow_partial, bool):
        raise ValueError(f"allow_partial must be true or false, got {allow_partial!r}")

    surrogates, attack_args = _attack_settings(cli, file)
    gate = _pick(cli, file, "gate", "point")
    if gate not in GATE_MODES:
        raise ValueError(
            f"gate must be 'point' (the score) or 'lower-bound' (its 95% interval's lower end), got {gate!r}"
        )
    bootstrap = _pick(cli, file, "bootstrap", DEFAULT_REPLICATES)
    if not isinstance(bootstrap, int) or isinstance(bootstrap, bool) or not 0 <= bootstrap <= MAX_REPLICATES:
        raise ValueError(f"bootstrap must be a whole number within 0-{MAX_REPLICATES}, got {bootstrap!r}")
    if gate == "lower-bound" and bootstrap == 0:
        raise ValueError("--gate lower-bound needs intervals: drop --bootstrap 0")
    baseline_value = _pick(cli, file, "baseline", None)
    baseline = (rootpath / Path(baseline_value).expanduser()) if baseline_value else None
    if baseline is not None and not (baseline / "scores.json").is_file():
        raise ValueError(f"--baseline {baseline_value!r} holds no scores.json; give the --report-dir of a finished run")
    max_drop = float(_pick(cli, file, "max_drop", 0.0))
    if not 0.0 <= max_drop <= 100.0:
        raise ValueError(f"max-drop must be within 0-100 points, got {max_drop:g}")
    if cli.get("max_drop") is not None and baseline is None:
        raise ValueError("--max-drop has no effect without --baseline RUN_DIR")
    official_bugs = tuple(
        dict.fromkeys(b.strip() for b in (cli.get("official_bug") or _as_list(file.get("official_bugs"))))
    )
    for bug in official_bugs:
        if bug not in OFFICIAL_BUGS:
            raise ValueError(f"unknown official bug {bug!r}; known: {', '.join(OFFICIAL_BUGS)}")

    return Settings(
        model=model,
        model_args=model_args,
        judge=judge,
        judge_args=judge_args,
        aspects=tuple(aspects),
        tasks=tuple(tasks),
        limit=limit,
        data=DataOptions(seed=seed, source=source, data_dir=data_dir, official_bugs=official_bugs),
        thresholds=thresholds,
        report_dir=report_dir,
        cache_dir=cache_dir,
        max_error_rate=max_error_rate,
        allure_samples=allure_samples,
        refusal_list=refusals,
        allow_partial=allow_partial,
        surrogates=surrogates,
        attack_args=attack_args,
        gate=gate,
        bootstrap=bootstrap,
        baseline=baseline,
        max_drop=max_drop,
        mitigations=mitigations,
    )


def _attack_settings(cli: Mapping[str, Any], file: Mapping[str, Any]) -> tuple[tuple[str, ...], dict[str, str]]:
    """``--surrogate`` and ``--attack-arg``, checked without loading anything (imports no torch)."""
    from pytest_multitrust.attacks.encoders import check_surrogate
    from pytest_multitrust.attacks.pgd import parse_attack_args

    surrogates = tuple(s.strip() for s in (cli.get("surrogate") or _as_list(file.get("surrogates"))))
    for surrogate in surrogates:
        check_surrogate(surrogate)
    attack_args = parse_key_values("--attack-arg", cli.get("attack_arg") or file.get("attack_args"))
    parse_attack_args(attack_args)
    return surrogates, attack_args
