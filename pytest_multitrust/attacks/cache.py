"""On-disk cache of adversarial images, so that a rerun attacks nothing.

Key = sha256 of canonical JSON of (schema, clean pixel hash, encoder key, attack parameters, mode, target
rendering's pixel hash, seed). One PNG per entry under ``<cache>/adversarial/<2 hex>/<key>.png``, written to a
temporary file in the same folder and moved into place (``os.replace``), so concurrent xdist workers and a
killed run leave a whole entry or none. The PNG carries its own key and the attack's measurements in a text
chunk; an entry that cannot be decoded, is not 8-bit RGB, or names another key is a miss (and is rewritten).
The caller re-measures the ε bound on every hit against the clean image
(:func:`pytest_multitrust.attacks.pgd.linf_255`).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pytest_multitrust.models.cache import remove_stale_temp_files, write_atomic
from pytest_multitrust.models.hf_checkpoint import sha256_json

if TYPE_CHECKING:
    from PIL import Image as PILImage

    from pytest_multitrust.attacks.pgd import AttackParams, Mode

#: Bump when the entry format or the key material changes: old entries then stop matching.
ADVERSARIAL_CACHE_SCHEMA = 1
#: The cache's folder under the run's ``--cache-dir``.
ADVERSARIAL_DIR = "adversarial"
#: The PNG text chunk holding the entry's key and measurements.
META_CHUNK = "multitrust-adversarial"


def adversarial_key(
    clean_sha256: str, encoder_key: str, params: AttackParams, mode: Mode, target_sha256: str | None, seed: int
) -> str:
    """The cache key of one adversarial image (see the module docstring)."""
    return sha256_json({
        "schema": ADVERSARIAL_CACHE_SCHEMA, "clean": clean_sha256, "encoder": encoder_key, "params": params.key(),
        "mode": mode, "target": target_sha256, "seed": seed,
    })  # fmt: skip


@dataclass(frozen=True)
class CachedImage:
    """A cache entry: the image and the measurements stored with it."""

    image: PILImage.Image
    meta: dict[str, Any]


class AdversarialCache:
    """Adversarial PNGs by key under ``directory`` (usually ``<cache-dir>/adversarial``)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.hits = 0
        self.misses = 0
        if directory.is_dir():  # temporary files a killed writer left behind
            remove_stale_temp_files(directory)

    def path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.png"

    def get(self, key: str) -> CachedImage | None:
        """The entry for ``key``, or None when absent or unreadable (counted as a miss)."""
        from PIL import Image

        try:
            with Image.open(self.path(key)) as opened:
                opened.load()
                meta = json.loads(opened.text[META_CHUNK])  # type: ignore[attr-defined]
                if opened.mode != "RGB" or not isinstance(meta, dict) or meta.get("key") != key:
                    raise ValueError("not an entry of this key")
                image = opened.copy()
        except (OSError, ValueError, KeyError, AttributeError, Image.DecompressionBombError):
            self.misses += 1
            return None
        self.hits += 1
        return CachedImage(image, meta)

    def put(self, key: str, image: PILImage.Image, meta: dict[str, Any]) -> None:
        """Store ``image`` (8-bit RGB) with ``meta`` (JSON-able) atomically."""
        from PIL import PngImagePlugin

        info = PngImagePlugin.PngInfo()
        info.add_text(META_CHUNK, json.dumps({**meta, "key": key}, sort_keys=True))
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, format="PNG", pnginfo=info)
        write_atomic(self.path(key), buffer.getvalue())
