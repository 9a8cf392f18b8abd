"""A crash-safe, content-addressed response cache around any backend.

Key = sha256 of canonical JSON of (schema version, model fingerprint, system prompt, user text, image
content hashes, output-affecting decoding params). One file per entry, written to a temporary file in the
same folder and moved into place with ``os.replace``: concurrent xdist workers and a ``kill -9`` leave
either the old state or a whole entry, never half of one; the temporary files a kill leaves behind are removed
when a later run starts. An entry that cannot be read (truncated, not UTF-8, the wrong shape) is a miss and is
rewritten. Errors and sampled outputs are never stored; a response is stored whole (reports cap theirs, the
cache must not: a rerun scores from it).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from pytest_multitrust.models.protocol import Model, Request, Response

#: Bump when the key material or the entry format changes: old entries then simply stop matching.
CACHE_SCHEMA = 1

#: A temporary file this old is left over from a killed writer (a live write takes milliseconds), so it is
#: removed; younger ones may belong to another xdist worker writing at this very moment.
STALE_TEMP_SECONDS = 10 * 60

#: Lone surrogates: valid in JSON (``"\\ud800"``) and in Python strings, but UTF-8 cannot encode them.
_SURROGATES = re.compile(r"[\ud800-\udfff]")
#: Those, and the line separators that ``str.splitlines`` breaks a JSONL line on.
_ESCAPED_IN_JSON = re.compile(r"[\ud800-\udfff\x85\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_text(value: Any, **options: Any) -> str:
    """``json.dumps`` whose output is valid UTF-8 and reads back to the same value (one line without ``indent``,
    even for ``str.splitlines``).

    Non-ASCII text stays readable (``ensure_ascii=False``); only lone surrogates (a model or a replay file may
    produce them) and the Unicode line separators become ``\\uXXXX`` escapes. Such characters can only occur
    inside JSON strings, where the escape means the same character. (Two separate surrogates that form a pair
    read back as the one character the pair encodes, as in any JSON reader.)
    """
    return _ESCAPED_IN_JSON.sub(_escape, json.dumps(value, ensure_ascii=False, **options))


def utf8_text(text: str) -> str:
    """``text`` with each lone surrogate written as its ``\\uXXXX`` escape, so that it encodes as UTF-8."""
    return _SURROGATES.sub(_escape, text)


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"hits": self.hits, "misses": self.misses}


def cache_key(fingerprint: str, request: Request) -> str:
    material = {
        "schema": CACHE_SCHEMA,
        "model": fingerprint,
        "system": request.system,
        "prompt": request.prompt,
        "images": [image.sha256 for image in request.images],
        "params": request.params.cache_fields(),
    }
    canonical = json.dumps(material, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    # Escaping only what UTF-8 cannot hold keeps every key that could be computed before unchanged.
    return hashlib.sha256(utf8_text(canonical).encode()).hexdigest()


def caching_layer(model: object) -> CachingModel | None:
    """The response cache inside ``model``'s wrappers (e.g. mitigations, which keep the wrapped model as
    ``inner``), or None when the model is not cached."""
    layer: object | None = model
    while layer is not None and not isinstance(layer, CachingModel):
        layer = getattr(layer, "inner", None)
    return layer


def close_model(model: object) -> None:
    """Call ``model.close()`` when the backend has one (vLLM engines do; most backends hold nothing)."""
    close = getattr(model, "close", None)
    if callable(close):
        close()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_stale_temp_files(directory: Path, older_than: float = STALE_TEMP_SECONDS) -> int:
    """Remove the temporary files of :func:`write_atomic` in ``directory``'s shard folders that a killed writer
    left behind (only those older than ``older_than`` seconds); return how many were removed."""
    deadline = time.time() - older_than
    removed = 0
    for path in directory.glob("*/.*.tmp"):
        try:
            if path.stat().st_mtime < deadline:
                path.unlink()
                removed += 1
        except OSError:  # another process removed or replaced it first
            continue
    return removed


class CachingModel:
    """Wraps a backend; answers repeated deterministic requests from disk."""

    def __init__(self, inner: Model, directory: Path) -> None:
        self.inner = inner
        self.spec = inner.spec
        self.cacheable = inner.cacheable
        self.directory = directory
        self.stats = CacheStats()
        remove_stale_temp_files(directory)

    @cached_property
    def _fingerprint(self) -> str:
        return self.inner.fingerprint()

    def fingerprint(self) -> str:
        return self._fingerprint

    def describe(self) -> dict[str, Any]:
        return self.inner.describe()

    def close(self) -> None:
        """Release the wrapped backend's resources (an engine, a connection pool), if it holds any."""
        close_model(self.inner)

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def _lookup(self, key: str) -> Response | None:
        try:
            entry = json.loads(self._path(key).read_bytes().decode("utf-8"))
        except (OSError, ValueError):
            return None  # absent, or unreadable: regenerate and overwrite
        if not isinstance(entry, dict) or entry.get("schema") != CACHE_SCHEMA or not isinstance(entry.get("text"), str):
            return None  # valid JSON of the wrong shape: the same
        return Response(text=entry["text"], cached=True)

    def generate(self, requests: Sequence[Request]) -> list[Response]:
        use_cache = self.cacheable
        results: list[Response | None] = [None] * len(requests)
        keys: list[str | None] = [None] * len(requests)
        missing: list[int] = []
        for index, request in enumerate(requests):
            if use_cache and request.params.deterministic:
                key = cache_key(self._fingerprint, request)
                keys[index] = key
                hit = self._lookup(key)
                if hit is not None:
                    results[index] = hit
                    self.stats.hits += 1
                    continue
            missing.append(index)
        if missing:
            self.stats.misses += len(missing)
            fresh = self.inner.generate([requests[i] for i in missing])
            for index, response in zip(missing, fresh, strict=True):
                results[index] = response
                stored_key = keys[index]
                if stored_key is not None and response.ok:
                    self._store(stored_key, requests[index], response)
        return [r if r is not None else Response(text="", error="internal: no response") for r in results]

    def _store(self, key: str, request: Request, response: Response) -> None:
        entry = {
            "schema": CACHE_SCHEMA,
            "text": response.text,
            "request": {
                "id": request.id,
                "model": self._fingerprint,
                "system": request.system,
                "prompt": request.prompt,
                "images": [image.ref for image in request.images],
                "params": request.params.cache_fields(),
            },
        }
        write_atomic(self._path(key), json_text(entry).encode())
