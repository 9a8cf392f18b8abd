"""The pytest plugin: options, configure-time validation, selection, fixtures. Logic lives elsewhere.

Import-light on purpose: loading this module imports neither torch nor transformers; the model backend is
imported when the first test asks for the model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pytest_multitrust.evaluate import MultiTrust
    from pytest_multitrust.models.protocol import Model
    from pytest_multitrust.settings import Settings

settings_key = pytest.StashKey["Settings"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    # Only the prefixed forms here: the plugin loads in every pytest run of the environment, and a short
    # ``--seed`` would collide with another project's option. The suite's conftest adds the short forms.
    from pytest_multitrust.options import add_prefixed_options

    add_prefixed_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "multitrust(task, aspect): a MultiTrust task variant (added automatically).")
    from pytest_multitrust.options import cli_values
    from pytest_multitrust.settings import read_pyproject, resolve

    try:
        settings = resolve(cli_values(config), read_pyproject(config.rootpath), config.rootpath)
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
    judge = f"judge {settings.judge.canonical}" if settings.judge else "rule judges"
    return (
        f"multitrust: model {settings.model.text} ({settings.model.canonical}), {judge}, data "
        f"{settings.data.source}, seed {settings.data.seed}, limit {settings.limit or 'none'}, refusal list "
        f"{settings.refusal_list}, report {settings.report_dir}"
    )


def _variant_of(item: pytest.Item) -> Any:
    from pytest_multitrust.spec import Variant

    callspec = getattr(item, "callspec", None)
    if callspec is None:
        return None
    return next((v for v in callspec.params.values() if isinstance(v, Variant)), None)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every task-variant test and deselect what ``--aspect`` / ``--task`` leave out, and the tasks that
    cannot run (with ``--allow-partial``; the scoreboard lists them as missing)."""
    from pytest_multitrust.session import VARIANT_KEY, scope_key
    from pytest_multitrust.spec import aspect_of

    settings = config.stash[settings_key]
    scope = config.stash.get(scope_key, None)
    unavailable = scope.unavailable if scope is not None else {}
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    for item in items:
        variant = _variant_of(item)
        if variant is None:
            keep.append(item)
            continue
        aspect = aspect_of(variant.task_id)
        item.add_marker(pytest.mark.multitrust(task=variant.task_id, aspect=aspect))
        item.user_properties.append((VARIANT_KEY, f"{variant.task_id}/{variant.id}"))
        runs = settings.selects(variant.task_id, aspect) and variant.task_id not in unavailable
        (keep if runs else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="session")
def multitrust_settings(pytestconfig: pytest.Config) -> Settings:
    """The resolved MultiTrust settings of this run (model spec, data, thresholds, report folder...)."""
    return pytestconfig.stash[settings_key]


def _open_or_fail(open_: Callable[[], Model]) -> Model:
    """Open a model; a load error the user can fix (its line names the option) fails each test with that one
    line, not a traceback."""
    from pytest_multitrust.models.protocol import ModelLoadError

    try:
        return open_()
    except ModelLoadError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def multitrust_model(multitrust_settings: Settings) -> Iterator[Model]:
    """The model under evaluation, once per process, behind the response cache.

    A local model (``tiny``, ``hf``, ``vllm``) loads on the first answer missing from the cache: a rerun whose
    answers are all cached imports neither torch nor transformers.
    """
    from pytest_multitrust.mitigations.registry import apply_mitigations, unwrap_mitigations
    from pytest_multitrust.models.cache import close_model
    from pytest_multitrust.models.lazy import open_model
    from pytest_multitrust.models.registry import LoadOptions

    settings = multitrust_settings
    options = LoadOptions(settings.data.seed, settings.model_args)
    model = _open_or_fail(lambda: open_model("--model", settings.model, options, settings.cache_dir))
    # Mitigations wrap the cached backend, so each call they make is cached under its own prompt.
    yield apply_mitigations(model, settings.mitigations)
    close_model(unwrap_mitigations(model))


@pytest.fixture(scope="session")
def multitrust_judge(multitrust_settings: Settings) -> Iterator[Model | None]:
    """The LLM judge (``--judge``), once per process, cached and opened lazily like the model; None without one."""
    from pytest_multitrust.models.cache import close_model
    from pytest_multitrust.models.lazy import open_model
    from pytest_multitrust.models.registry import LoadOptions

    settings, spec = multitrust_settings, multitrust_settings.judge
    if spec is None:
        yield None
        return
    options = LoadOptions(settings.data.seed, settings.judge_args)
    judge = _open_or_fail(lambda: open_model("--judge", spec, options, settings.cache_dir))
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
    capture = request.config.pluginmanager.getplugin("capturemanager")
    uncaptured = capture.global_and_fixture_disabled if capture is not None else None
    worker = getattr(request.config, "workerinput", {}).get("workerid")  # an xdist worker's id (gw0), else None
    evaluator = MultiTrust(
        multitrust_settings, model, judge, request.node.user_properties, allure_on, uncaptured, worker
    )
    yield evaluator
    if evaluator.pending_error is not None:
        raise evaluator.pending_error
