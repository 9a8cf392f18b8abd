"""The ``replay`` backend: responses read from JSONL, keyed by sample id.

Re-scores a past run without the model (point it at ``reports/<run>/samples``: every ``*.jsonl`` below is
read) and lets tests script exact answers. Each line is an object with ``id`` and ``response``; a line with
a non-null ``error`` replays that error.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pytest_multitrust.models.protocol import Request, Response
from pytest_multitrust.models.registry import LoadOptions


class ReplayModel:
    """Answers from recorded responses; a missing id is an error response, never a made-up answer."""

    cacheable = False

    def __init__(self, path: str) -> None:
        self.spec = f"replay:{path}"
        self._path = Path(path)
        files = sorted(self._path.rglob("*.jsonl")) if self._path.is_dir() else [self._path]
        digest = hashlib.sha256()
        self._answers: dict[str, Response] = {}
        for file in files:
            for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
                if not line.strip():
                    continue
                digest.update(line.encode())
                try:
                    row = json.loads(line)
                    key, text, error = str(row["id"]), row.get("response"), row.get("error")
                except (ValueError, KeyError, TypeError) as exc:
                    raise ValueError(f"{file}:{number}: not a replay line with 'id' and 'response' ({exc})") from exc
                self._answers[key] = Response(text=text or "", error=error)
        self._fingerprint = digest.hexdigest()

    def fingerprint(self) -> str:
        return f"replay:{self._fingerprint}"

    def generate(self, requests: Sequence[Request]) -> list[Response]:
        return [
            self._answers.get(r.id, Response(text="", error=f"{r.id}: no recorded response in {self._path}"))
            for r in requests
        ]

    def describe(self) -> dict[str, Any]:
        return {"backend": "replay", "target": str(self._path), "fingerprint": self.fingerprint()}


def load(target: str, options: LoadOptions) -> ReplayModel:
    return ReplayModel(target)
