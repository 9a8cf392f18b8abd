"""The pytest plugin: options, configure-time validation, selection, fixtures. Logic lives elsewhere.

Import-light on purpose: loading this module imports neither torch nor transformers; the model backend is
imported when the first test asks for the model.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pytest_multitrust.evaluate import MultiTrust
    from pytest_multitrust.models.protocol import Model
    from pytest_multitrust.settings import Settings

settings_key = pytest.StashKey["Settings"]()

#: (dest, short flag, long alias, help). Values are parsed and validated in settings.resolve, so that every
#: bad value is one clear line (argparse's own type errors print a usage block).
_OPTIONS: tuple[tuple[str, str | None, str, str], ...] = (
    (
        "model",
        "--model",
        "--multitrust-model",
        "model to evaluate: an alias (tiny-llava, tiny-qwen2-vl, llava, ...) or BACKEND:TARGET (tiny:, hf:, replay:). "
        "Default: tiny-llava, the embedded random-weight model.",
    ),
    ("limit", "--limit", "--multitrust-limit", "evaluate at most N samples per variant."),
    ("seed", "--seed", "--multitrust-seed", "seed of the built-in data generators and tiny models (default 0)."),
    ("data", "--data", "--multitrust-data", "data source: builtin (default, generated offline) or official."),
    ("data_dir", None, "--data-dir", "folder of the official MultiTrust data release (with --data official)."),
    ("report_dir", None, "--report-dir", "where scores.json and per-sample evidence go (default reports/<model>)."),
    ("cache_dir", None, "--cache-dir", "response cache folder (default .multitrust-cache)."),
    (
        "max_error_rate",
        None,
        "--max-error-rate",
        "a variant whose share of backend errors exceeds this errors instead of being scored (default 0.1).",
    ),
    ("allure_samples", None, "--allure-samples", "worst samples attached per variant with --alluredir (default 5)."),
    (
        "refusal_list",
        None,
        "--refusal-list",
        "refusal keywords: paper (v0.1.0, comparable with the paper; default) or head (the toolkit's fixed list).",
    ),
)
_INT_OPTIONS = {"limit", "seed", "allure_samples"}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("multitrust", "MultiTrust-X trustworthiness benchmark")
    for dest, short, long, help_text in _OPTIONS:
        flags = [f for f in (short, long) if f]
        group.addoption(*flags, dest=f"multitrust_{dest}", default=None, metavar=dest.upper(), help=help_text)
    group.addoption(
        "--aspect",
        "--multitrust-aspect",
        dest="multitrust_aspect",
        action="append",
        default=None,
        metavar="ASPECT",
        help="run only this aspect (repeatable): truthfulness, robustness, safety, fairness, privacy.",
    )
    group.addoption(
        "--task",
        "--multitrust-task",
        dest="multitrust_task",
        action="append",
        default=None,
        metavar="TASK",
        help="run only this task id (repeatable): t1 ... p6.",
    )
    group.addoption(
        "--threshold",
        "--multitrust-threshold",
        dest="multitrust_threshold",
        action="append",
        default=None,
        metavar="KEY=VALUE",
        help="pass mark (0-100) for an aspect or a task, e.g. privacy=70 or p6=80 (repeatable).",
    )
    group.addoption(
        "--model-arg",
        "--multitrust-model-arg",
        dest="multitrust_model_arg",
        action="append",
        default=None,
        metavar="KEY=VALUE",
        help="backend setting for the model, e.g. dtype=bfloat16, max_batch_size=16, base_url=... (repeatable).",
    )
    group.addoption(
        "--judge",
        "--multitrust-judge",
        dest="multitrust_judge",
        default=None,
        metavar="MODEL",
        help="LLM judge for the tasks whose official scorer is GPT-4 (any model spec, e.g. openai:gpt-4o); "
        "default: the official rule fallbacks.",
    )
    group.addoption(
        "--judge-arg",
        "--multitrust-judge-arg",
        dest="multitrust_judge_arg",
        action="append",
        default=None,
        metavar="KEY=VALUE",
        help="backend setting for the judge model (repeatable).",
    )
    group.addoption(
        "--no-cache",
        "--multitrust-no-cache",
        dest="multitrust_no_cache",
        action="store_true",
        default=None,
        help="do not read or write the response cache.",
    )


def _cli_values(config: pytest.Config) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for dest in [o[0] for o in _OPTIONS] + [
        "aspect",
        "task",
        "threshold",
        "no_cache",
        "model_arg",
        "judge",
        "judge_arg",
    ]:
        value = config.getoption(f"multitrust_{dest}")
        if value is not None and dest in _INT_OPTIONS:
            try:
                value = int(value)
            except ValueError:
                raise pytest.UsageError(f"--{dest.replace('_', '-')} must be a whole number, got {value!r}") from None
        if value is not None and dest == "max_error_rate":
            try:
                value = float(value)
            except ValueError:
                raise pytest.UsageError(f"--max-error-rate must be a number within 0-1, got {value!r}") from None
        values[dest] = value
    return values


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "multitrust(task, aspect): a MultiTrust task variant (added automatically).")
    from pytest_multitrust.settings import read_pyproject, resolve

    try:
        settings = resolve(_cli_values(config), read_pyproject(config.rootpath), config.rootpath)
    except ValueError as exc:
        raise pytest.UsageError(str(exc)) from None
    config.stash[settings_key] = settings
    if not hasattr(config, "workerinput"):  # the xdist controller, or a run without xdist
        from pytest_multitrust.session import ScoreBook

        config.pluginmanager.register(ScoreBook(settings), "multitrust-scorebook")


def pytest_report_header(config: pytest.Config) -> str | None:
    settings = config.stash.get(settings_key, None)
    if settings is None:
        return None
    return (
        f"multitrust: model {settings.model.text} ({settings.model.canonical}), data {settings.data.source}, "
        f"seed {settings.data.seed}, limit {settings.limit or 'none'}, report {settings.report_dir}"
    )


def _variant_of(item: pytest.Item) -> Any:
    from pytest_multitrust.spec import Variant

    callspec = getattr(item, "callspec", None)
    if callspec is None:
        return None
    return next((v for v in callspec.params.values() if isinstance(v, Variant)), None)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every task-variant test and deselect what ``--aspect`` / ``--task`` leave out."""
    from pytest_multitrust.spec import SUB_ASPECT_OF_TASK

    settings = config.stash[settings_key]
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    for item in items:
        variant = _variant_of(item)
        if variant is None:
            keep.append(item)
            continue
        aspect = SUB_ASPECT_OF_TASK[variant.task_id].aspect
        item.add_marker(pytest.mark.multitrust(task=variant.task_id, aspect=aspect))
        (keep if settings.selects(variant.task_id, aspect) else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="session")
def multitrust_settings(pytestconfig: pytest.Config) -> Settings:
    """The resolved MultiTrust settings of this run (model spec, data, thresholds, report folder...)."""
    return pytestconfig.stash[settings_key]


@pytest.fixture(scope="session")
def multitrust_model(multitrust_settings: Settings) -> Iterator[Model]:
    """The model under evaluation, loaded once per process and wrapped in the response cache."""
    from pytest_multitrust.models.cache import CachingModel, close_model
    from pytest_multitrust.models.registry import LoadOptions, load_model

    settings = multitrust_settings
    model = load_model(settings.model, LoadOptions(seed=settings.data.seed, args=settings.model_args))
    if settings.cache_dir is not None and model.cacheable:
        model = CachingModel(model, settings.cache_dir)
    yield model
    close_model(model)


@pytest.fixture(scope="session")
def multitrust_judge(multitrust_settings: Settings) -> Iterator[Model | None]:
    """The LLM judge (``--judge``), loaded once per process and cached like the model; None without one."""
    from pytest_multitrust.models.cache import CachingModel, close_model
    from pytest_multitrust.models.registry import LoadOptions, load_model

    settings = multitrust_settings
    if settings.judge is None:
        yield None
        return
    judge = load_model(settings.judge, LoadOptions(seed=settings.data.seed, args=settings.judge_args))
    if settings.cache_dir is not None and judge.cacheable:
        judge = CachingModel(judge, settings.cache_dir)
    yield judge
    close_model(judge)


@pytest.fixture
def multitrust(request: pytest.FixtureRequest, multitrust_settings: Settings) -> Iterator[MultiTrust]:
    """Evaluate a task variant: ``multitrust.evaluate(TASK_SPEC, variant)``.

    Sends the variant's samples to the model as one batch, scores them, writes evidence to the report folder,
    records the variant metrics for the session scoreboard and fails the test when the variant's score is below
    its threshold. The test *errors* (at teardown) when too many samples errored in the backend.
    """
    from pytest_multitrust.evaluate import MultiTrust

    def model() -> Model:
        loaded: Model = request.getfixturevalue("multitrust_model")
        return loaded

    def judge() -> Model | None:
        loaded: Model | None = request.getfixturevalue("multitrust_judge")
        return loaded

    allure_on = bool(request.config.pluginmanager.hasplugin("allure_pytest")) and bool(
        getattr(request.config.option, "allure_report_dir", None)
    )
    evaluator = MultiTrust(multitrust_settings, model, judge, request.node.user_properties, allure_on)
    yield evaluator
    if evaluator.pending_error is not None:
        raise evaluator.pending_error
