"""A crash-safe, content-addressed response cache around any backend.

Key = sha256 of canonical JSON of (schema version, model fingerprint, system prompt, user text, image
content hashes, output-affecting decoding params). One file per entry, written to a temporary file in the
same folder and moved into place with ``os.replace``: concurrent xdist workers and a ``kill -9`` leave
either the old state or a whole entry, never half of one. Errors and sampled outputs are never stored.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from pytest_multitrust.models.protocol import Model, Request, Response

#: Bump when the key material or the entry format changes: old entries then simply stop matching.
CACHE_SCHEMA = 1


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
    return hashlib.sha256(canonical.encode()).hexdigest()


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


class CachingModel:
    """Wraps a backend; answers repeated deterministic requests from disk."""

    def __init__(self, inner: Model, directory: Path) -> None:
        self.inner = inner
        self.spec = inner.spec
        self.cacheable = inner.cacheable
        self.directory = directory
        self.stats = CacheStats()

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
            entry = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # absent, or unreadable: regenerate and overwrite
        if entry.get("schema") != CACHE_SCHEMA or not isinstance(entry.get("text"), str):
            return None
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
        write_atomic(self._path(key), json.dumps(entry, ensure_ascii=False).encode())
