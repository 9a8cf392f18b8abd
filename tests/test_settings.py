"""Settings resolution (pyproject < CLI) and the threshold policy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pytest_multitrust.settings import read_pyproject, resolve
from pytest_multitrust.thresholds import DEFAULT_THRESHOLDS, ThresholdPolicy, parse_cli_thresholds


def _resolve(tmp_path: Path, cli: dict[str, Any] | None = None, file: dict[str, Any] | None = None):  # type: ignore[no-untyped-def]
    return resolve(cli or {}, file or {}, tmp_path)


def test_defaults(tmp_path: Path) -> None:
    settings = _resolve(tmp_path)
    assert settings.model.canonical == "tiny:tiny-llava"
    assert settings.data.seed == 0 and settings.data.source == "builtin" and settings.limit is None
    assert settings.report_dir == tmp_path / "reports" / "tiny-llava"
    assert settings.cache_dir == tmp_path / ".multitrust-cache"
    assert settings.thresholds.values == DEFAULT_THRESHOLDS
    assert settings.gate == "point" and settings.bootstrap == 1000
    assert settings.manifest()["gate"] == "point" and settings.manifest()["bootstrap"] == 1000


def test_cli_beats_pyproject_beats_defaults(tmp_path: Path) -> None:
    file = {"model": "tiny-qwen2-vl", "seed": 3, "limit": 7, "thresholds": {"privacy": 70, "p6": 90, "safety": 60}}
    cli = {"seed": 5, "threshold": ["privacy=80"], "aspect": ["privacy"]}
    settings = _resolve(tmp_path, cli, file)
    assert settings.model.target == "tiny-qwen2-vl" and settings.data.seed == 5 and settings.limit == 7
    policy = settings.thresholds
    assert policy.for_aspect("privacy") == 80 and policy.for_aspect("safety") == 60
    assert policy.for_task("p6") == 90 and policy.for_task("p5") == 80 and policy.for_task("t1") == 50
    assert policy.task_has_own("p6") and not policy.task_has_own("p5")
    assert settings.selects("p6", "privacy") and not settings.selects("t1", "truthfulness")


@pytest.mark.parametrize(
    ("cli", "message"),
    [
        ({"model": "nonexistent"}, "unknown model"),
        ({"aspect": ["honesty"]}, "unknown aspect 'honesty'"),
        ({"task": ["x9"]}, "unknown task 'x9'"),
        ({"limit": 0}, "limit must be a whole number >= 1"),
        ({"seed": -1}, "seed must be"),
        ({"data": "web"}, "data must be 'builtin' or 'official'"),
        ({"data": "official"}, "--data official needs --data-dir"),
        ({"data": "official", "data_dir": "nowhere"}, "is not a folder"),
        ({"threshold": ["privacy"]}, "must look like KEY=VALUE"),
        ({"threshold": ["privacy=high"]}, "is not a number"),
        ({"threshold": ["privacy=101"]}, "outside 0-100"),
        ({"threshold": ["honesty=50"]}, "unknown threshold key"),
        ({"max_error_rate": 2.0}, "max-error-rate"),
        ({"official_bug": ["f7"]}, "unknown official bug 'f7'; known: f7-text-only"),
        ({"gate": "upper"}, "gate must be 'point' (the score) or 'lower-bound'"),
        ({"bootstrap": -1}, "bootstrap must be a whole number within 0-100000"),
        ({"gate": "lower-bound", "bootstrap": 0}, "--gate lower-bound needs intervals: drop --bootstrap 0"),
    ],
)
def test_bad_values_are_one_line_errors(tmp_path: Path, cli: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError) as info:
        _resolve(tmp_path, cli)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_official_bugs_reach_the_data_options_the_manifest_and_the_sample_cache_key(tmp_path: Path) -> None:
    from pytest_multitrust.data.sample_cache import sample_key
    from pytest_multitrust.spec import registered_tasks

    plain = _resolve(tmp_path)
    assert plain.data.official_bugs == () and plain.manifest()["official_bugs"] == []
    buggy = _resolve(tmp_path, {"official_bug": ["f7-text-only", "f7-text-only"]})
    from_file = _resolve(tmp_path, file={"official_bugs": ["f7-text-only"]})
    assert buggy.data.official_bugs == from_file.data.official_bugs == ("f7-text-only",)
    assert buggy.manifest()["official_bugs"] == ["f7-text-only"]
    spec = registered_tasks()["p6"]
    variant = spec.variants[0]
    assert sample_key(spec, variant, buggy.data) != sample_key(spec, variant, plain.data)


def test_task_ids_accept_the_papers_spelling() -> None:
    assert parse_cli_thresholds(["P.6=80", "T1=40"]) == {"p6": 80.0, "t1": 40.0}


def test_pyproject_unknown_keys_and_bad_toml(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.multitrust]\nmodle = "x"\n')
    with pytest.raises(ValueError, match="unknown key"):
        read_pyproject(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.multitrust\n")
    with pytest.raises(ValueError, match="invalid TOML"):
        read_pyproject(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.multitrust]\nmodel = "tiny-qwen2-vl"\n[tool.multitrust.thresholds]\nfairness = 65\n'
    )
    assert read_pyproject(tmp_path) == {"model": "tiny-qwen2-vl", "thresholds": {"fairness": 65}}


def test_layered_policy_records_overrides() -> None:
    policy = ThresholdPolicy.layered({"safety": 70.0}, {"s4": 20.0})
    assert policy.overrides == {"safety", "s4"}
    assert policy.for_task("s4") == 20.0 and policy.for_task("s1") == 70.0


def test_model_and_judge_args_merge_pyproject_under_cli(tmp_path: Path) -> None:
    file = {"model_args": {"max_batch_size": 4, "dtype": "float32"}, "judge": "tiny-llava"}
    cli = {"model_arg": ["max_batch_size=16"], "judge_arg": ["max_batch_size=2"]}
    settings = _resolve(tmp_path, cli, file)
    assert settings.model_args == {"max_batch_size": "16", "dtype": "float32"}
    assert settings.judge is not None and settings.judge.canonical == "tiny:tiny-llava"
    assert settings.judge_args == {"max_batch_size": "2"}
    assert settings.manifest()["judge"] == "tiny:tiny-llava"


@pytest.mark.parametrize(
    ("cli", "message"),
    [
        ({"model_arg": ["dtype"]}, "--model-arg 'dtype' must look like KEY=VALUE"),
        ({"judge_arg": ["a=b"]}, "--judge-arg needs --judge"),
        ({"judge": "nonexistent"}, "--judge: unknown model 'nonexistent'"),
        ({"model": "replay:" + __file__, "model_arg": ["speed=fast"]}, "backend 'replay' takes no model arguments"),
    ],
)
def test_bad_model_and_judge_args(tmp_path: Path, cli: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError) as info:
        _resolve(tmp_path, cli)
    assert message in str(info.value) and "\n" not in str(info.value)
