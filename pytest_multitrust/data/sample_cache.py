"""Built samples on disk, so a rerun (or a second model over the same settings) draws and hashes nothing.

A variant's samples are stored under ``<cache>/samples/<key>.json`` with their images as PNG files under
``<cache>/images/``, named by pixel hash; a stored sample's images come back as :meth:`ImageRef.stored` refs,
whose id is known without decoding and whose pixels are decoded only if a model actually needs them.

The key holds everything the samples depend on: the task and variant, the seed, the data source, a
fingerprint of the generator code (every file of ``pytest_multitrust/data`` and ``pytest_multitrust/tasks``,
and the module that defines the task, so a changed generator invalidates by itself: there is no version
number to forget to bump), the versions of Pillow and numpy (drawing and random streams), and for official
data the folder and the size and modification time of every file the task declares.

An entry stores the first ``k`` samples of the variant's list and the list's length (unknown when the generator
stopped at the run's ``--limit``); a run whose ``--limit`` asks for no more than ``k`` is a hit. Entries are
written whole (temp file, then ``os.replace``); one that cannot be read, or whose image file is gone, is a miss
and is rebuilt. Values must survive JSON: tuples are
tagged so they come back as tuples, and a variant whose samples hold anything else JSON cannot carry is simply
not cached (never cached wrong).
"""

from __future__ import annotations

import hashlib
import inspect
import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pytest_multitrust.data.images import ImageRef
from pytest_multitrust.provenance import code_digest, installed_versions

if TYPE_CHECKING:
    from pytest_multitrust.spec import DataOptions, Sample, TaskSpec, Variant

#: Bump when the entry format changes.
SAMPLE_CACHE_SCHEMA = 1
#: Packages whose versions change what the generators draw.
_DRAWING_PACKAGES = ("pillow", "numpy")
#: Folders whose code builds samples: any change to a file in them is a new generator version.
_GENERATOR_FOLDERS = ("data", "tasks")
#: PNG compression for cached images: fast to write; the files are a cache, not an archive.
_PNG_COMPRESS_LEVEL = 1


@lru_cache(maxsize=1)
def generator_version() -> str:
    """A hash of the generator code of this package and of the drawing libraries' versions."""
    versions = json.dumps(installed_versions(_DRAWING_PACKAGES), sort_keys=True)
    return hashlib.sha256(f"{code_digest(*_GENERATOR_FOLDERS)}:{versions}".encode()).hexdigest()


@lru_cache(maxsize=64)
def _module_digest(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _defining_module(spec: TaskSpec) -> str:
    """The digest of the file that defines the task's builders (a task defined outside this package too)."""
    builder = spec.official if spec.official is not None else spec.builtin
    parts = []
    for function in (spec.builtin, builder):
        try:
            source = inspect.getsourcefile(function)
        except TypeError:
            source = None
        parts.append(_module_digest(source) if source else repr(function))
    return ":".join(parts)


def _official_state(spec: TaskSpec, variant: Variant, data_dir: Path) -> list[list[object]]:
    """Name, size and modification time of every file under the task's declared official files."""
    state: list[list[object]] = [[str(data_dir.resolve())]]
    declared = spec.official_files(variant) if spec.official_files is not None else ()
    for entry in declared:
        for relative in (entry,) if isinstance(entry, str) else entry:
            path = data_dir / relative
            walked = sorted(path.rglob("*")) if path.is_dir() else [path]
            for item in walked:
                try:
                    stat = item.stat()
                except OSError:
                    state.append([str(item.relative_to(data_dir)), None])
                    continue
                state.append([str(item.relative_to(data_dir)), stat.st_size, stat.st_mtime_ns])
    return state


def sample_key(spec: TaskSpec, variant: Variant, data: DataOptions) -> str:
    """The cache key of a variant's samples (see the module docstring for what it holds)."""
    material: dict[str, Any] = {
        "schema": SAMPLE_CACHE_SCHEMA,
        "task": spec.id,
        "variant": variant.id,
        "seed": data.seed,
        "source": data.source,
        "generator": generator_version(),
        "module": _defining_module(spec),
    }
    if data.official_bugs:  # only when set, so that the keys of plain runs stay as they were
        material["official_bugs"] = sorted(data.official_bugs)
    if data.source == "official" and data.data_dir is not None:
        material["official"] = _official_state(spec, variant, data.data_dir)
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


def _encode(value: Any) -> Any:
    """JSON-able form of a sample value, tuples tagged so they come back as tuples."""
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value) or "__tuple__" in value:
            raise TypeError("a mapping with non-string keys cannot be cached")
        return {k: _encode(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"{type(value).__name__} cannot be cached")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, dict):
        if set(value) == {"__tuple__"}:
            return tuple(_decode(v) for v in value["__tuple__"])
        return {k: _decode(v) for k, v in value.items()}
    return value


class SampleCache:
    """Built samples of variants, on disk under ``directory``. Counts its hits and misses."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.hits = 0
        self.misses = 0

    def _entry(self, key: str) -> Path:
        return self.directory / "samples" / key[:2] / f"{key}.json"

    def _image(self, sha256: str) -> Path:
        return self.directory / "images" / sha256[:2] / f"{sha256}.png"

    def load(self, key: str, limit: int | None) -> list[Sample] | None:
        """The first ``limit`` samples (all without a limit) when the entry holds them; else None (a miss)."""
        from pytest_multitrust.spec import Sample

        try:
            entry = json.loads(self._entry(key).read_bytes().decode("utf-8"))
            count, rows = entry["count"], entry["samples"]
            if entry.get("schema") != SAMPLE_CACHE_SCHEMA or not isinstance(rows, list):
                raise ValueError("wrong shape")
            if count is None:  # built up to a limit only: the variant's length is unknown
                if not limit:
                    raise ValueError("holds a prefix; all samples were asked for")
                wanted = limit
            else:
                wanted = min(limit, int(count)) if limit else int(count)
            if len(rows) < wanted:
                raise ValueError("holds fewer samples than asked for")
            samples = []
            for row in rows[:wanted]:
                images = []
                for image in row["images"]:
                    png = self._image(image["sha256"])
                    if not png.is_file():
                        raise ValueError(f"image {png} is gone")
                    images.append(ImageRef.stored(png, image["sha256"], image["source"]))
                samples.append(
                    Sample(
                        id=row["id"],
                        prompt=row["prompt"],
                        target=_decode(row["target"]),
                        images=tuple(images),
                        system=row["system"],
                        extra=_decode(row["extra"]),
                    )
                )
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += 1
            return None
        self.hits += 1
        return samples

    def store(self, key: str, count: int | None, samples: Sequence[Sample]) -> bool:
        """Store the first samples of a variant whose full list has ``count`` samples (None: unknown, the
        generator stopped at the run's limit); False if they cannot be stored as they are (a value JSON cannot
        carry). Existing image files are kept."""
        from pytest_multitrust.models.cache import json_text, write_atomic

        try:
            rows = [
                {
                    "id": s.id,
                    "prompt": s.prompt,
                    "target": _encode(s.target),
                    "system": s.system,
                    "extra": _encode(dict(s.extra)),
                    "images": [{"sha256": image.sha256, "source": image.source} for image in s.images],
                }
                for s in samples
            ]
        except TypeError:
            return False
        for sample in samples:
            for image in sample.images:
                png = self._image(image.sha256)
                if not png.is_file():
                    write_atomic(png, _png(image))
                image.remember_png(png)
        entry = {"schema": SAMPLE_CACHE_SCHEMA, "count": count, "samples": rows}
        write_atomic(self._entry(key), json_text(entry).encode())
        return True


def _png(image: ImageRef) -> bytes:
    import io

    buffer = io.BytesIO()
    image.image.save(buffer, format="PNG", compress_level=_PNG_COMPRESS_LEVEL)
    return buffer.getvalue()
