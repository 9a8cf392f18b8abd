"""A finished run's folder, as the ``multitrust`` commands read it: ``scores.json``, ``run.json``, the per-sample
evidence ``samples/<task>/<variant>.jsonl`` and ``images/<sha256>.png``.

Every problem is a :class:`RunDirError` with one line naming the folder or file and what to do.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class RunDirError(ValueError):
    """A run folder cannot be read; the message is one line."""


@dataclass(frozen=True)
class RunDir:
    """One run's report folder.

    Attributes:
        path: the folder (the one holding ``scores.json``).
        scores: the ``scores.json`` document.
        run: the ``run.json`` document (timings, cache counts), or None when absent.
    """

    path: Path
    scores: dict[str, Any]
    run: dict[str, Any] | None

    @classmethod
    def load(cls, path: Path | str) -> RunDir:
        """Read a run folder (or its ``scores.json``).

        Raises:
            RunDirError: no such folder, no ``scores.json``, or a file that is not the JSON it should be.
        """
        folder = Path(path)
        if folder.is_file() and folder.name == "scores.json":
            folder = folder.parent
        if not folder.is_dir():
            raise RunDirError(f"{folder}: no such run folder (give the --report-dir of a run, e.g. reports/tiny-llava)")
        scores_path = folder / "scores.json"
        if not scores_path.is_file():
            raise RunDirError(f"{folder}: no scores.json here; run `pytest trusttests --report-dir {folder}` first")
        scores = _read_json(scores_path)
        if not isinstance(scores, dict) or not {"tasks", "aspects", "overall", "manifest"} <= set(scores):
            raise RunDirError(f"{scores_path}: not a MultiTrust scores.json (tasks, aspects, overall, manifest)")
        run_path = folder / "run.json"
        run = _read_json(run_path) if run_path.is_file() else None
        return cls(folder, scores, run if isinstance(run, dict) else None)

    @property
    def name(self) -> str:
        """How the run is called in tables: the model as given on the command line (with its mitigations, in the
        order applied), else the folder name."""
        manifest = self.scores["manifest"]
        name = str(manifest.get("model") or self.path.name)
        mitigations = [str(m.get("name")) for m in manifest.get("mitigations") or [] if isinstance(m, dict)]
        return " + ".join([name, *mitigations])

    @property
    def manifest(self) -> dict[str, Any]:
        return dict(self.scores["manifest"])

    def variant_rows(self, task_id: str, variant_id: str) -> list[dict[str, Any]]:
        """The per-sample rows of one variant (empty when the variant wrote no evidence).

        Raises:
            RunDirError: a line that is not JSON (the file and line number).
        """
        path = self.path / "samples" / task_id / f"{variant_id}.jsonl"
        if not path.is_file():
            return []
        rows = []
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise RunDirError(f"{path} line {number}: not JSON ({exc.msg})") from None
        return rows

    def variants(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """(task id, variant id, the variant's scores.json entry) for every variant on the board, in board order."""
        for task_id, task in self.scores["tasks"].items():
            for variant_id, entry in (task.get("variants") or {}).items():
                yield task_id, variant_id, entry

    def image_path(self, ref: str) -> Path | None:
        """The PNG of an evidence image reference (``sha256:<hex>``), if the run saved it."""
        digest = ref.removeprefix("sha256:")
        if not digest or not all(c in "0123456789abcdef" for c in digest):
            return None
        path = self.path / "images" / f"{digest}.png"
        return path if path.is_file() else None


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RunDirError(f"{path}: cannot be read as JSON ({exc})") from None
