"""The ``replay`` backend: responses read from JSONL, keyed by sample id.

Re-scores a past run without the model (point it at ``reports/<run>/samples``: every ``*.jsonl`` below is
read) and lets tests script exact answers. Each line is a JSON object with ``id`` and ``response`` (a string,
or null). What a line replays as:

- a sample file row of this version (it has ``backend_error``): that error when it is set, else the response;
  judge and scorer errors are not replayed (they are the scoring's, which the replay run does again). A
  response the evidence cut (``truncated`` names it) replays as an error: the whole answer is not on disk.
- any other row: its ``error`` when it has no response (an older sample file wrote ``backend: ...``, which is
  read as the backend's error), or when it is a scripted error; older sample rows that kept the response next
  to a ``judge ...`` or ``scorer ...`` error replay the response.
- a null response without an error is an error (``no response recorded``), never an empty answer.

A file that cannot be read (not UTF-8, a line that is not such an object, a folder without any ``*.jsonl``)
raises :class:`ReplayFileError` with one line naming the file and line and what to do.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pytest_multitrust.models.protocol import Request, Response
from pytest_multitrust.models.registry import LoadOptions

#: How ``as_json`` prefixes a backend error in the ``error`` field (older sample files had only that field).
_BACKEND_PREFIX = "backend: "
#: Errors an older sample file recorded next to a response that the backend did give.
_SCORING_PREFIXES = ("judge ", "scorer ")

LINE_SHAPE = "each line must be a JSON object with 'id' and 'response' (a string or null)"


class ReplayFileError(ValueError):
    """A replay file or folder that cannot be read; the message is one line naming the file (and line)."""


def _optional_text(row: dict[str, Any], name: str) -> str | None:
    value = row.get(name)
    if value is not None and not isinstance(value, str):
        raise TypeError(f"'{name}' must be a string or null, got {type(value).__name__}")
    return value


def row_response(row: dict[str, Any], where: str) -> Response:
    """What one replay row answers (see the module docstring); ``where`` (``file:line``) goes into errors."""
    text = _optional_text(row, "response")
    if "backend_error" in row:  # a sample file row of this version: errors by where they happened
        backend_error = _optional_text(row, "backend_error")
        if backend_error is not None:
            return Response(text="", error=backend_error)
    else:
        error = _optional_text(row, "error")
        if error is not None and (text is None or not error.startswith(_SCORING_PREFIXES)):
            return Response(text="", error=error.removeprefix(_BACKEND_PREFIX))
    if text is None:
        return Response(text="", error=f"no response recorded ({where})")
    truncated = row.get("truncated")
    full = truncated.get("response") if isinstance(truncated, dict) else None
    if full is not None:
        return Response(
            text="",
            error=f"the recorded response was cut to {len(text)} of {full} characters ({where}); the whole answer "
            "is not in the report: run the model again (its response cache holds the whole text)",
        )
    return Response(text=text)


def _files(path: Path) -> list[Path]:
    if not path.is_dir():
        return [path]
    files = sorted(path.rglob("*.jsonl"))
    if not files:
        raise ReplayFileError(
            f"replay: folder {path} holds no *.jsonl file; point replay: at a JSONL file or at a run's "
            "reports/<run>/samples folder"
        )
    return files


def _lines(file: Path) -> list[tuple[int, bytes]]:
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise ReplayFileError(f"replay: cannot read {file} ({exc.strerror or exc})") from None
    # Split the bytes, not the text: ``str.splitlines`` also splits at U+2028 and U+0085, which a JSON string
    # written with ``ensure_ascii=False`` may hold.
    return [(number, line) for number, line in enumerate(data.splitlines(), start=1) if line.strip()]


class ReplayModel:
    """Answers from recorded responses; a missing id is an error response, never a made-up answer."""

    cacheable = False

    def __init__(self, path: str) -> None:
        self.spec = f"replay:{path}"
        self._path = Path(path)
        digest = hashlib.sha256()
        self._answers: dict[str, Response] = {}
        for file in _files(self._path):
            for number, line in _lines(file):
                where = f"{file}:{number}"
                try:
                    text = line.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise ReplayFileError(
                        f"replay: {where}: not UTF-8 text (byte {line[exc.start]:#04x} at column {exc.start + 1}); "
                        "save the file as UTF-8"
                    ) from None
                digest.update(line)
                try:
                    row = json.loads(text)
                    if not isinstance(row, dict):
                        raise TypeError(f"a JSON {type(row).__name__}, not an object")
                    if "id" not in row:
                        raise KeyError("no 'id'")
                    self._answers[str(row["id"])] = row_response(row, where)
                except (ValueError, KeyError, TypeError) as exc:
                    reason = exc.args[0] if isinstance(exc, KeyError) else exc
                    raise ReplayFileError(f"replay: {where}: not a replay line: {reason}; {LINE_SHAPE}") from None
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
