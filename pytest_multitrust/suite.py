"""Hooks of the suite's own conftest (``trusttests/conftest.py``), active only where the suite is in use.

- The short option forms (``--model``, ``--aspect``, ``--seed``...), each only where no other plugin or
  conftest has taken it; the ``--multitrust-*`` forms, registered by the plugin everywhere, always work.
- The run's scope, decided at configure time: which tasks it is expected to measure, and a usage error (one
  line, before anything loads) for a selected task that cannot run, unless ``--allow-partial``.
"""

from __future__ import annotations

import pytest

from pytest_multitrust.options import OPTION_BY_NAME, add_short_options
from pytest_multitrust.plugin import settings_key
from pytest_multitrust.session import scope_key

#: Short flags another plugin or conftest had already taken in this process (their long forms still work).
_TAKEN_FLAGS: list[str] = []


def pytest_addoption(parser: pytest.Parser) -> None:
    _TAKEN_FLAGS[:] = add_short_options(parser)


@pytest.hookimpl(trylast=True)  # after the plugin's pytest_configure has resolved the settings
def pytest_configure(config: pytest.Config) -> None:
    from pytest_multitrust.selection import plan
    from pytest_multitrust.spec import registered_tasks

    try:
        config.stash[scope_key] = plan(config.stash[settings_key], registered_tasks())
    except ValueError as exc:
        raise pytest.UsageError(str(exc)) from None


def pytest_report_header(config: pytest.Config) -> str | None:
    if not _TAKEN_FLAGS:
        return None
    longs = {flag: next(o.long_flag for o in OPTION_BY_NAME.values() if o.flag == flag) for flag in _TAKEN_FLAGS}
    return "multitrust: taken by another plugin, use the long form: " + ", ".join(
        f"{short} -> {long}" for short, long in longs.items()
    )
