"""Content-addressed images and the seeded randomness every generator draws from.

Images are identified by the sha256 of their pixels (mode, size, raw bytes), not of an encoded file, so
the same picture has the same id on any machine, worker or Pillow PNG encoder. That id goes into cache
keys and reports.
"""

from __future__ import annotations

import hashlib
import io
import random
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from PIL import Image as PILImage
    from PIL.ImageFont import FreeTypeFont

#: Largest image we decode from disk (pixels); bigger files are refused rather than risk a decompression bomb.
MAX_IMAGE_PIXELS = 64_000_000


def pixel_sha256(image: PILImage.Image) -> str:
    """sha256 over mode, size and raw pixels: stable across encoders and processes."""
    digest = hashlib.sha256()
    digest.update(f"{image.mode}:{image.size[0]}x{image.size[1]}:".encode())
    digest.update(image.tobytes())
    return digest.hexdigest()


class ImageRef:
    """An image plus its content id. ``source`` says where it came from (generator or file), for reports.

    A ref made with :meth:`lazy` decodes its file only when its pixels or id are first asked for, so a loader
    can list a whole variant and ``--limit`` decides which images are ever decoded. Refs compare by content id
    and source.
    """

    __slots__ = ("_image", "_load", "_png", "_sha256", "source")

    def __init__(
        self,
        image: PILImage.Image | None,
        sha256: str | None,
        source: str,
        load: Callable[[], PILImage.Image] | None = None,
    ) -> None:
        if (image is None or sha256 is None) and load is None:
            raise ValueError("an ImageRef needs an image and its id, or a loader")
        self._image, self._sha256, self._load, self.source = image, sha256, load, source
        self._png: Path | None = None

    @classmethod
    def of(cls, image: PILImage.Image, source: str) -> ImageRef:
        rgb = image if image.mode == "RGB" else image.convert("RGB")
        return cls(rgb, pixel_sha256(rgb), source)

    @classmethod
    def lazy(cls, load: Callable[[], PILImage.Image], source: str) -> ImageRef:
        """A ref whose ``load()`` runs on first use (its errors are raised then, by whoever asks first)."""
        return cls(None, None, source, load)

    @classmethod
    def stored(cls, png: Path, sha256: str, source: str) -> ImageRef:
        """A ref to a PNG this project wrote (the sample cache), whose pixel id is already known: its id costs
        nothing, its pixels are decoded on first use, and :meth:`png_bytes` is the file itself."""
        ref = cls(None, sha256, source, lambda: _open_png(png))
        ref._png = png
        return ref

    def _decoded(self) -> tuple[PILImage.Image, str]:
        if self._image is None or self._sha256 is None:
            assert self._load is not None
            loaded = self._load()
            rgb = loaded if loaded.mode == "RGB" else loaded.convert("RGB")
            self._image, self._sha256, self._load = rgb, pixel_sha256(rgb), None
        return self._image, self._sha256

    @property
    def image(self) -> PILImage.Image:
        return self._decoded()[0]

    @property
    def sha256(self) -> str:
        return self._sha256 if self._sha256 is not None else self._decoded()[1]

    @property
    def decoded(self) -> bool:
        """Whether the pixels have been read (always, for refs made with :meth:`of`)."""
        return self._load is None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ImageRef) and (self.sha256, self.source) == (other.sha256, other.source)

    def __hash__(self) -> int:
        return hash((self.sha256, self.source))

    def __repr__(self) -> str:
        digest = self._sha256[:12] if self._sha256 else "not decoded"
        return f"ImageRef(source={self.source!r}, sha256={digest})"

    def png_bytes(self) -> bytes:
        if self._png is not None:
            try:
                return self._png.read_bytes()
            except OSError:  # the cache file went away since: encode the pixels instead
                pass
        buffer = io.BytesIO()
        self.image.save(buffer, format="PNG")
        return buffer.getvalue()

    @property
    def png_file(self) -> Path | None:
        """The PNG file known to hold exactly these pixels (the sample cache's), if any."""
        return self._png

    def remember_png(self, png: Path) -> None:
        """Note a PNG file that holds exactly these pixels, so :meth:`png_bytes` need not encode them again."""
        self._png = png

    @property
    def ref(self) -> str:
        """The short form used in per-sample reports and cache keys."""
        return f"sha256:{self.sha256}"


def _open_png(path: Path) -> PILImage.Image:
    from PIL import Image

    with Image.open(path) as image:
        image.load()
        return image


def rng_for(*parts: object) -> random.Random:
    """A ``random.Random`` seeded from the parts (e.g. seed, task, variant, index).

    String seeding hashes with sha512 inside CPython, so the stream does not depend on PYTHONHASHSEED,
    the worker or the order in which samples are built.
    """
    return random.Random(":".join(str(p) for p in parts))


def np_rng_for(*parts: object) -> np.random.Generator:
    """A numpy generator seeded like :func:`rng_for`."""
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


@lru_cache(maxsize=32)
def font(size: int) -> FreeTypeFont:
    """Pillow's bundled scalable font: no font file to download or ship."""
    from PIL import ImageFont

    loaded = ImageFont.load_default(size=size)
    assert not isinstance(loaded, ImageFont.ImageFont), "Pillow was built without FreeType"
    return loaded


def check_image_path(path: str, *, root: str) -> None:
    """Refuse a path that, as named, is not inside ``root`` (lexically: ``..`` climbing out, or absolute)."""
    import os

    named, named_root = os.path.abspath(path), os.path.abspath(root)  # normalises ".." without the disk
    if os.path.commonpath([named, named_root]) != named_root:
        raise ValueError(f"image path {path!r} points outside the data directory {root!r}")


def open_image_file(path: str, *, root: str | None = None) -> PILImage.Image:
    """Open an image from disk safely: named inside ``root`` only, bounded size, fully decoded, RGB.

    The path is checked as it is *named* (lexically: no ``..`` climbing out of ``root``, no absolute path
    elsewhere), then opened following symlinks. So a name in a data file cannot escape the data folder, while
    a Hugging Face ``snapshot_download`` folder, whose files are symlinks into ``../../blobs/``, reads fine.

    Raises:
        ValueError: the path escapes ``root`` or the image is too large / not an image.
    """
    import os

    from PIL import Image

    if root is not None:
        check_image_path(path, root=root)
    real = os.path.realpath(path)
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with Image.open(real) as opened:
            if opened.size[0] * opened.size[1] > MAX_IMAGE_PIXELS:
                raise ValueError(f"image {path!r} has {opened.size} pixels, over the {MAX_IMAGE_PIXELS} limit")
            opened.load()
            return opened.convert("RGB")
    except (OSError, Image.DecompressionBombError) as exc:
        raise ValueError(f"cannot read image {path!r}: {exc}") from exc
