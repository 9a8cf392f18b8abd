"""Per-sample progress of long variants on the terminal, with and without ``-n``.

The runner sends a variant's requests in chunks (:func:`chunks`) and reports each finished chunk to a
:class:`Progress`. Nothing is printed for a variant that finishes within :data:`QUIET_FOR_S` seconds, so short
runs and the project's own tests stay quiet; a longer one prints a line at most every :data:`EVERY_S` seconds
and one when it is done::

    [gw1] f7 subjective-preference-force-text: 96/240 samples (40%), 12 s

Lines go to the real stderr, around pytest's output capture (the capture manager's own switch), which is also
how an xdist worker's line reaches the terminal.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import TypeVar

#: A variant quicker than this prints nothing (``MULTITRUST_PROGRESS_QUIET_S`` overrides it, e.g. 0 to see all).
QUIET_FOR_S = 5.0
#: At most one line per this many seconds per variant.
EVERY_S = 5.0
#: Smallest chunk of requests sent at once (backends batch inside a chunk), and the most chunks per variant.
MIN_CHUNK = 64
MAX_CHUNKS = 10

ItemT = TypeVar("ItemT")


def chunks(items: Sequence[ItemT]) -> Iterator[Sequence[ItemT]]:
    """``items`` in at most :data:`MAX_CHUNKS` consecutive chunks of at least :data:`MIN_CHUNK`."""
    size = max(MIN_CHUNK, math.ceil(len(items) / MAX_CHUNKS))
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Progress:
    """Progress of one variant. ``write`` receives each line; ``uncaptured`` suspends output capture around it;
    ``worker`` (the xdist worker id, e.g. ``gw1``) prefixes the lines."""

    def __init__(
        self,
        label: str,
        total: int,
        write: Callable[[str], None] | None = None,
        uncaptured: Callable[[], AbstractContextManager[object]] | None = None,
        clock: Callable[[], float] = time.monotonic,
        worker: str | None = None,
    ) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self._write = write or _stderr
        self._uncaptured = uncaptured or nullcontext
        self._clock = clock
        self._start = clock()
        self._last: float | None = None
        self._worker = worker
        self._last_done = 0

    def advance(self, count: int) -> None:
        """``count`` more samples answered."""
        self.done += count
        now = self._clock()
        if now - self._start < _quiet_for() or (self._last is not None and now - self._last < EVERY_S):
            return
        self._emit(now)

    def finish(self) -> None:
        """The variant is done: a last line, only if an earlier one was printed and did not already say so."""
        if self._last is not None and self.done and self._last_done != self.done:
            self._emit(self._clock())

    def _emit(self, now: float) -> None:
        self._last = now
        self._last_done = self.done
        worker = self._worker
        share = f" ({100 * self.done // self.total}%)" if self.total else ""
        line = f"{f'[{worker}] ' if worker else ''}{self.label}: {self.done}/{self.total} samples{share}, "
        line += f"{now - self._start:.0f} s"
        with self._uncaptured():
            self._write(line)


def _quiet_for() -> float:
    try:
        return float(os.environ.get("MULTITRUST_PROGRESS_QUIET_S", QUIET_FOR_S))
    except ValueError:
        return QUIET_FOR_S


def _stderr(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()
