"""What a stored result depends on besides its inputs: installed library versions and this package's code.

Cache keys and manifests read them from here, cheaply: versions come from package metadata (nothing is
imported) and code digests from the source files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

#: This package's folder.
PACKAGE = Path(__file__).resolve().parent


def installed_versions(names: Iterable[str]) -> dict[str, str]:
    """The installed version of each distribution in ``names`` (those not installed are left out)."""
    found = {}
    for name in names:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            continue
    return found


@lru_cache(maxsize=8)
def code_digest(*folders: str) -> str:
    """sha256 over the names and contents of every file under these folders of the package (``"data"``,
    ``"models"``...; ``__pycache__`` left out): any edit to that code changes it."""
    paths = sorted(
        path
        for folder in folders
        for path in (PACKAGE / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    )
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path.relative_to(PACKAGE)).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
