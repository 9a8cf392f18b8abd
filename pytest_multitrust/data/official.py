"""Reading the official MultiTrust data release (``--data official --data-dir DIR``) with clear errors.

Every task loader goes through :class:`OfficialData`, so a missing file, a malformed row or an unsafe image
path becomes one :class:`OfficialDataError` line naming the task, the variant, the file (and row) and what to
do, instead of a traceback deep in a loader. Images are opened with the safe opener (inside the data folder
only, size-bounded, decompression-bomb guarded).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pytest_multitrust.data.images import ImageRef, check_image_path, open_image_file, rng_for

if TYPE_CHECKING:
    from PIL import Image as PILImage

    from pytest_multitrust.spec import DataOptions, Variant

RELEASE_HINT = "get the MultiTrust data release (gated HF dataset thu-ml/MultiTrust) and pass its data/ folder"


#: The official folder of pre-generated unrelated images (``configs/datasets/unrelatedimg.yaml``).
UNRELATED_DIR = "unrelated_images"


def variant_files(variant: Variant, data: Sequence[str], related: Sequence[str] = ()) -> tuple[str, ...]:
    """The official files of a text / related-image / unrelated-image variant: its ``data`` files, plus the
    ``related`` image folder(s) for the image variant or ``unrelated_images/`` for the unrelated ones."""
    from pytest_multitrust.data.unrelated import UNRELATED_KIND

    if variant.modality == "image":
        return (*data, *related)
    if variant.modality in UNRELATED_KIND:
        return (*data, UNRELATED_DIR)
    return tuple(data)


#: The file suffixes read as images where the official loaders list a folder.
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif"})


def natural_key(name: str) -> list[int | str]:
    """Sort key that orders numbered names as people do: ``2.png`` before ``10.png``."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


class OfficialDataError(ValueError):
    """The official data is missing or malformed; the message is one line with what to do."""


@dataclass(frozen=True)
class OfficialData:
    """The official data folder as seen by one task variant (for error messages)."""

    root: Path
    where: str  # "<task>/<variant>"

    @classmethod
    def of(cls, variant: Variant, options: DataOptions) -> OfficialData:
        if options.data_dir is None:
            raise OfficialDataError(f"{variant.task_id}/{variant.id}: --data official needs --data-dir")
        return cls(Path(options.data_dir), f"{variant.task_id}/{variant.id}")

    def error(self, message: str) -> OfficialDataError:
        return OfficialDataError(f"{self.where}: {message}")

    def path(self, relative: str) -> Path:
        path = self.root / relative
        if not path.exists():
            raise self.error(f"{relative} not found under {self.root}; {RELEASE_HINT}")
        return path

    def json(self, relative: str) -> Any:
        path = self.path(relative)  # outside the try: a missing file is not "invalid JSON"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise self.error(f"{relative} is not valid JSON ({exc})") from None

    def json_records(self, relative: str, *, skip_empty: str | None = None) -> Iterator[tuple[str, Any]]:
        """``(context, record)`` for each record of a JSON list file; ``context`` reads "<file> record N".

        Records whose ``skip_empty`` field is the empty string are skipped, as the official loaders skip rows
        with an empty ``query``.
        """
        records = self.json(relative)
        if not isinstance(records, list):
            raise self.error(f"{relative} must hold a JSON list of records, got {type(records).__name__}")
        for number, record in enumerate(records, start=1):
            context = f"{relative} record {number}"
            if skip_empty is not None and self.field(record, skip_empty, context) == "":
                continue
            yield context, record

    def jsonl(self, relative: str) -> Iterator[tuple[int, Any]]:
        """(line number, object) for each non-empty line."""
        text = self.path(relative).read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except ValueError as exc:
                raise self.error(f"{relative}:{number} is not valid JSON ({exc})") from None

    def csv_rows(self, relative: str, required: tuple[str, ...] = ()) -> Iterator[tuple[int, dict[str, str]]]:
        """(row number, row) with the ``required`` columns checked once, from the header; a file that is not UTF-8
        or not CSV is one line too."""
        try:
            with self.path(relative).open(newline="", encoding="utf-8") as handle:
                reader = csv.DictReader(handle)
                missing = [c for c in required if c not in (reader.fieldnames or ())]
                if missing:
                    raise self.error(f"{relative} lacks column(s) {', '.join(missing)}")
                yield from enumerate(reader, start=2)
        except UnicodeDecodeError as exc:
            raise self.error(f"{relative} is not UTF-8 ({exc.reason} at byte {exc.start})") from None
        except csv.Error as exc:
            raise self.error(f"{relative} is not valid CSV ({exc})") from None

    def field(self, row: Any, key: str, context: str) -> Any:
        """``row[key]``, or one line saying which record lacks it."""
        try:
            return row[key]
        except (KeyError, IndexError, TypeError):
            raise self.error(f"{context} has no field {key!r}") from None

    def unrelated_image(self, kind: str, seed: int, key: str) -> ImageRef:
        """An image from ``unrelated_images/`` whose name contains ``kind`` (color, nature, noise).

        The official ``UnrelatedImageDataset`` reads the same files (natural sort order) but picks with an
        unseeded ``random.sample``; we pick from the run's seed and ``key`` (the sample id), so runs repeat.
        """
        return self.unrelated_images(kind, seed, key, 1)[0]

    def unrelated_images(self, kind: str, seed: int, key: str, count: int) -> list[ImageRef]:
        """``count`` *distinct* images of ``kind``, as the official ``random.sample(..., k=count)`` draws them,
        chosen from the run's seed and ``key`` instead of an unseeded generator."""
        folder = self.path(UNRELATED_DIR)
        names = sorted((p.name for p in folder.iterdir() if p.is_file() and kind in p.name), key=natural_key)
        if not names:
            raise self.error(f"{UNRELATED_DIR}/ has no image whose name contains {kind!r}")
        if len(names) < count:
            raise self.error(
                f"{UNRELATED_DIR}/ has only {len(names)} image(s) whose name contains {kind!r}; {count} needed"
            )
        picked = rng_for(seed, "official-unrelated", kind, key).sample(names, count)
        return [self.image(f"{UNRELATED_DIR}/{name}") for name in picked]

    def _image_path(self, relative: str) -> Path:
        path = self.path(relative)
        try:
            check_image_path(str(path), root=str(self.root))
        except ValueError as exc:
            raise self.error(str(exc)) from None
        return path

    def image(self, relative: str) -> ImageRef:
        """The image at ``relative``: its path is checked now, its pixels are decoded on first use (a broken
        file is then the same one-line :class:`OfficialDataError`), so ``--limit`` decides what is decoded."""
        path = self._image_path(relative)  # a name that climbs out fails at once

        def load() -> PILImage.Image:
            try:
                return open_image_file(str(path), root=str(self.root))
            except ValueError as exc:
                raise self.error(str(exc)) from None

        return ImageRef.lazy(load, source=f"official:{relative}")

    def image_size(self, relative: str) -> tuple[int, int]:
        """(width, height) from the file's header, without decoding its pixels."""
        path = self._image_path(relative)
        from PIL import Image

        try:
            with Image.open(path) as opened:
                return opened.size
        except (OSError, Image.DecompressionBombError) as exc:
            raise self.error(f"cannot read image {relative!r}: {exc}") from None
