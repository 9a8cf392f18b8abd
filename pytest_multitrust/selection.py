"""What a run sets out to measure, decided at configure time: the selected tasks, the ones that cannot run, and
the :class:`~pytest_multitrust.aggregation.Scope` the gate judges.

A selected task that cannot run (not implemented yet when named with ``--task``; no loader or no data for
``--data official``) is a usage error before anything loads, unless ``--allow-partial``: then it is deselected
and reported as missing, and the aspects it belongs to cannot pass. Tasks not implemented yet that an
``--aspect`` selection (or the default, everything) implies are not an error: they are listed as missing and
keep their aspect from passing.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from pytest_multitrust.aggregation import Scope
from pytest_multitrust.spec import ASPECTS, TASK_IDS, TaskSpec, aspect_of

if TYPE_CHECKING:
    from pytest_multitrust.settings import Settings

NOT_IMPLEMENTED = "not implemented yet"
#: How many problems the one-line usage error spells out before it says "and N more".
SHOWN_PROBLEMS = 6


def selected_task_ids(settings: Settings) -> tuple[str, ...]:
    """Every task id (implemented or not) that ``--aspect`` / ``--task`` select, in the paper's order."""
    return tuple(t for t in TASK_IDS if settings.selects(t, aspect_of(t)))


def missing_official_file(spec: TaskSpec, data_dir: Path) -> str | None:
    """The first file or folder of the official layout that ``spec`` needs and ``data_dir`` lacks."""
    if spec.official_files is None:
        return None
    for variant in spec.variants:
        for need in spec.official_files(variant):
            alternatives = (need,) if isinstance(need, str) else need
            if not any((data_dir / relative).exists() for relative in alternatives):
                return " or ".join(alternatives)
    return None


def why_unavailable(spec: TaskSpec | None, settings: Settings) -> str | None:
    """Why a selected task cannot run with these settings; None when it can."""
    if spec is None:
        return NOT_IMPLEMENTED
    data = settings.data
    if data.source == "official":
        if spec.official is None:
            return "no loader for the official data layout yet (use --data builtin)"
        assert data.data_dir is not None  # settings.resolve guarantees it
        missing = missing_official_file(spec, data.data_dir)
        if missing is not None:
            return f"{missing} not found in the data folder"
    return None


def plan(settings: Settings, specs: Mapping[str, TaskSpec]) -> Scope:
    """The scope of the run, with every selected task that cannot run and why.

    Raises:
        ValueError: one line, when the selection is empty, or when a task that would be expected to run cannot
            and ``--allow-partial`` was not given.
    """
    tasks = selected_task_ids(settings)
    if not tasks:
        raise ValueError(
            f"--aspect {', '.join(settings.aspects)} and --task {', '.join(settings.tasks)} select no task together"
        )
    unavailable = {t: reason for t in tasks if (reason := why_unavailable(specs.get(t), settings))}
    # Unimplemented tasks implied by an aspect are the product's known gap, reported but not an error; a task
    # the user named, or an implemented one that cannot read its data, is the user's to decide about.
    blocking = [t for t in unavailable if t in specs or t in settings.tasks]
    if blocking and not settings.allow_partial:
        shown = ", ".join(f"{t} ({unavailable[t]})" for t in blocking[:SHOWN_PROBLEMS])
        more = f" and {len(blocking) - SHOWN_PROBLEMS} more" if len(blocking) > SHOWN_PROBLEMS else ""
        source = (
            f" with --data official --data-dir {settings.data.data_dir}" if settings.data.source == "official" else ""
        )
        raise ValueError(
            f"{len(blocking)} selected task(s) cannot run{source}: {shown}{more}. Implemented: {', '.join(specs)}. "
            "Pass --allow-partial to run the rest and report these as missing (their aspects then cannot pass)."
        )
    return Scope(
        tasks=tasks,
        gated_aspects=() if settings.tasks else (settings.aspects or ASPECTS),
        named_tasks=settings.tasks,
        unavailable=unavailable,
    )
