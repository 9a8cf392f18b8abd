"""Where a run's time goes: wall-clock seconds by phase, per process.

Each process (the xdist controller, each worker, or the one process of a run without xdist) has one
:data:`CLOCK`. Code wraps its work in ``with CLOCK.phase("generate"):``; phases nest, and a nested phase's
time counts for it alone (loading the model inside the first ``generate`` is ``model_load``, not
``generate``). A variant's record carries what its evaluation added to each phase; the controller adds them up
for ``run.json`` and the terminal summary.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Literal

Phase = Literal["samples", "model_load", "generate", "judge", "scoring", "reporting"]
#: The phases, in the order a variant goes through them (``reporting`` is evidence, Allure and the scoreboard).
PHASES: tuple[Phase, ...] = ("samples", "model_load", "generate", "judge", "scoring", "reporting")
#: The phases that are the model's own work; the rest of the wall time is the suite's overhead.
MODEL_PHASES: tuple[Phase, ...] = ("model_load", "generate")


class PhaseClock:
    """Accumulates seconds per phase; nested phases pause the enclosing one."""

    def __init__(self) -> None:
        self.totals: dict[Phase, float] = dict.fromkeys(PHASES, 0.0)
        self._stack: list[tuple[Phase, float]] = []

    @contextmanager
    def phase(self, name: Phase) -> Iterator[None]:
        now = time.perf_counter()
        if self._stack:  # pause the enclosing phase: its clock stops while this one runs
            outer, started = self._stack[-1]
            self.totals[outer] += now - started
        self._stack.append((name, now))
        try:
            yield
        finally:
            end = time.perf_counter()
            _, started = self._stack.pop()
            self.totals[name] += end - started
            if self._stack:  # resume the enclosing phase from now
                self._stack[-1] = (self._stack[-1][0], end)

    def snapshot(self) -> dict[Phase, float]:
        """The totals so far (the running phases up to now included)."""
        totals = dict(self.totals)
        if self._stack:
            name, started = self._stack[-1]
            totals[name] += time.perf_counter() - started
        return totals


#: This process's clock.
CLOCK = PhaseClock()


def since(before: Mapping[Phase, float], clock: PhaseClock = CLOCK) -> dict[str, float]:
    """Seconds each phase gained since ``before`` (a :meth:`PhaseClock.snapshot`), rounded to milliseconds."""
    now = clock.snapshot()
    return {name: round(now[name] - before.get(name, 0.0), 3) for name in PHASES}


def summary(phases: Mapping[str, float], wall: float, processes: int) -> dict[str, float | None]:
    """The run's time account: each phase, ``rest`` and the suite's overhead as a share of generation.

    Args:
        phases: seconds per phase, added up over every process.
        wall: the session's wall-clock seconds.
        processes: how many processes did the work (the xdist workers, or 1): their time adds up to about
            ``processes * wall``.

    ``rest`` is the process time no phase accounts for (pytest itself, collection, imports, fixtures, idle
    workers). ``overhead_share`` is everything outside model load and generation, as a share of generation:
    ``(processes * wall - model_load - generate) / generate`` (None when nothing was generated).
    """
    budget = max(processes, 1) * wall
    measured: dict[str, float] = {name: round(float(phases.get(name, 0.0)), 3) for name in PHASES}
    account: dict[str, float | None] = dict(measured)
    account["rest"] = round(max(budget - sum(measured.values()), 0.0), 3)
    model = sum(measured[name] for name in MODEL_PHASES)
    generate = measured["generate"]
    account["overhead_share"] = round((budget - model) / generate, 3) if generate > 0 else None
    return account


def time_line(account: Mapping[str, float | None]) -> str:
    """One terminal line of a :func:`summary`: where the time went, and the overhead as a share of generation."""
    parts = ", ".join(f"{name.replace('_', ' ')} {account.get(name) or 0.0:.1f} s" for name in (*PHASES, "rest"))
    share = account.get("overhead_share")
    overhead = f"{share:.2f}× generate" if share is not None else "n/a (nothing generated)"
    return f"time by phase: {parts}; overhead outside model load and generate: {overhead}"
