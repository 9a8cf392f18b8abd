"""The suite's conftest: the short options (--model, --aspect, ...) and the run's scope. Logic lives in
:mod:`pytest_multitrust.suite`; this file only marks where the suite is in use."""

from pytest_multitrust.suite import pytest_addoption, pytest_configure, pytest_report_header  # noqa: F401
