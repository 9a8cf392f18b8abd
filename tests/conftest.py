"""Fixtures for running the real suite (``trusttests/``) inside pytester sandboxes."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest

from pytest_multitrust.models.protocol import Request, Response
from pytest_multitrust.spec import DataOptions, Sample, TaskSpec, registered_tasks

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent
#: Real public datasets (with their sources and licenses) beside the repository; never copied into it.
SHARED_DATA = ROOT.parent / "shared" / "data"


def shared_data(relative: str) -> Path:
    """A file or folder of ``../shared/data``. Without it the test skips with the reason, unless
    ``MULTITRUST_REQUIRE_SHARED_DATA=1`` (CI sets it): then it fails, so a missing folder cannot pass as skipped."""
    import os

    path = SHARED_DATA / relative
    if not path.exists():
        reason = f"public data {path} is absent (the shared data folder sits beside the repository)"
        if os.environ.get("MULTITRUST_REQUIRE_SHARED_DATA") == "1":
            pytest.fail(f"MULTITRUST_REQUIRE_SHARED_DATA=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    return path


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    """A pytester sandbox holding a copy of the suite and the root conftest."""
    shutil.copytree(ROOT / "trusttests", pytester.path / "trusttests")
    shutil.copy(ROOT / "conftest.py", pytester.path / "conftest.py")
    return pytester


def scores(pytester: pytest.Pytester, model: str = "tiny-llava") -> dict[str, Any]:
    path = pytester.path / "reports" / model / "scores.json"
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def write_replay(path: Path, tasks: Iterable[TaskSpec], answer: Callable[[Sample], str | None], seed: int = 0) -> Path:
    """A replay file answering every built-in sample of ``tasks`` with ``answer(sample)`` (None: an error)."""
    with path.open("w", encoding="utf-8") as handle:
        for spec in tasks:
            for variant in spec.variants:
                for sample in spec.builtin(variant, DataOptions(seed=seed)):
                    text = answer(sample)
                    row = {"id": sample.id, "response": text, "error": None if text is not None else "scripted"}
                    handle.write(json.dumps(row) + "\n")
    return path


@pytest.fixture(scope="session")
def tasks() -> dict[str, TaskSpec]:
    return registered_tasks()


def write_jsonl_with_images(labels: Path, source: Path, lines: list[object]) -> Path:
    """An official-layout label file of JSON lines (a ``str`` line is written as is, to test malformed ones) and
    a small PNG under ``source`` for every line's ``image_name``; returns ``source``."""
    from PIL import Image

    labels.parent.mkdir(parents=True, exist_ok=True)
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    labels.write_text(text + "\n", encoding="utf-8")
    for index, line in enumerate(lines):
        if isinstance(line, dict) and "image_name" in line:
            path = source / line["image_name"]
            path.parent.mkdir(parents=True, exist_ok=True)
            Image.new("RGB", (8, 6), (index, 0, 0)).save(path)
    return source


class RecordingModel:
    """A model wrapper that keeps every request it was sent (to assert what a task or a judge step asked)."""

    def __init__(self, model: Any) -> None:
        self.model, self.spec, self.cacheable = model, model.spec, model.cacheable
        self.requests: list[Request] = []

    def fingerprint(self) -> str:
        return str(self.model.fingerprint())

    def generate(self, requests: Sequence[Request]) -> list[Response]:
        self.requests.extend(requests)
        return list(self.model.generate(requests))

    def describe(self) -> dict[str, Any]:
        return dict(self.model.describe())
