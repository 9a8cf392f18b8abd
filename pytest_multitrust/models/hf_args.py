"""``--model-arg KEY=VALUE`` for the transformers backends (``hf``, ``tiny``): one parser, one-line errors.

Imports nothing heavy, so settings can validate the pairs at configure time, before any model loads. Whether
CUDA is there needs torch, so it is checked in two steps: at configure time only what the installed torch's
version says (a ``+cpu`` wheel has no CUDA), at load time what torch itself finds.
"""

from __future__ import annotations

import importlib.metadata
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields

from pytest_multitrust.models.protocol import ModelLoadError

#: Accepted ``dtype`` values: the checkpoint's own (``auto``) or an explicit floating type.
DTYPES = ("auto", "float32", "bfloat16", "float16")

#: Accepted ``attn_implementation`` values (``flash_attention_2`` needs the flash-attn package and a GPU).
ATTN_IMPLEMENTATIONS = ("eager", "sdpa", "flash_attention_2")

#: ``device_map`` strategies that spread a model over several devices (they need the accelerate package).
DEVICE_MAP_STRATEGIES = ("auto", "balanced", "balanced_low_0", "sequential")

_DEVICE = re.compile(r"cpu|cuda(:\d+)?")
_BOOLEANS = {"true": True, "false": False}


@dataclass(frozen=True)
class HFArgs:
    """Validated ``--model-arg`` values; ``None`` means "not given, use the backend's default".

    Attributes:
        dtype: one of :data:`DTYPES`.
        device: ``cpu``, ``cuda``, ``cuda:N`` or ``auto`` (spread over all GPUs).
        device_map: one of :data:`DEVICE_MAP_STRATEGIES` or a single device; excludes ``device``.
        attn_implementation: one of :data:`ATTN_IMPLEMENTATIONS`.
        max_batch_size: most requests per ``generate`` call (>= 1).
        trust_remote_code: run the checkpoint's own modelling code (off unless asked for).
        cache_tag: any text folded into the fingerprint, so a new tag starts fresh cache entries.
    """

    dtype: str | None = None
    device: str | None = None
    device_map: str | None = None
    attn_implementation: str | None = None
    max_batch_size: int | None = None
    trust_remote_code: bool = False
    cache_tag: str | None = None

    @property
    def cuda_setting(self) -> str | None:
        """The ``KEY=VALUE`` that asks for a CUDA device (``device=cuda:1``), or None."""
        for key in ("device", "device_map"):
            value = getattr(self, key)
            if value is not None and value.startswith("cuda"):
                return f"{key}={value}"
        return None


#: Every key :func:`parse_model_args` knows, in the order error messages list them.
HF_ARG_KEYS: tuple[str, ...] = tuple(f.name for f in fields(HFArgs))


def parse_model_args(args: Mapping[str, str], *, backend: str = "hf", keys: tuple[str, ...] = HF_ARG_KEYS) -> HFArgs:
    """Validate ``--model-arg`` pairs for a transformers backend.

    Args:
        args: the pairs as given (values are strings).
        backend: the backend's name, for error messages.
        keys: the subset of :data:`HF_ARG_KEYS` this backend accepts.

    Raises:
        ValueError: one line naming the offending key and what it accepts.
    """
    values: dict[str, object] = {}
    for key, raw in args.items():
        if key not in keys:
            raise ValueError(f"{backend}: unknown --model-arg {key!r}; accepted keys: {', '.join(keys)}")
        values[key] = _parse_value(backend, key, raw.strip())
    if values.get("device") is not None and values.get("device_map") is not None:
        raise ValueError(f"{backend}: --model-arg device and device_map exclude each other; give one of them")
    return HFArgs(**values)  # type: ignore[arg-type]


def _parse_value(backend: str, key: str, raw: str) -> object:
    value = raw.lower()
    if key == "dtype":
        return _choice(backend, key, raw, DTYPES)
    if key == "attn_implementation":
        return _choice(backend, key, raw, ATTN_IMPLEMENTATIONS)
    if key == "trust_remote_code":
        return _BOOLEANS[_choice(backend, key, raw, tuple(_BOOLEANS))]
    if key == "device":
        if value == "auto" or _DEVICE.fullmatch(value):
            return value
        raise ValueError(f"{backend}: --model-arg device={raw!r} is not one of cpu, cuda, cuda:N, auto")
    if key == "device_map":
        if value in DEVICE_MAP_STRATEGIES or _DEVICE.fullmatch(value):
            return value
        accepted = ", ".join((*DEVICE_MAP_STRATEGIES, "cpu", "cuda", "cuda:N"))
        raise ValueError(f"{backend}: --model-arg device_map={raw!r} is not one of {accepted}")
    if key == "cache_tag":
        return raw or None
    if key == "max_batch_size":
        if re.fullmatch(r"[0-9]+", value) and int(value) >= 1:
            return int(value)
        raise ValueError(f"{backend}: --model-arg max_batch_size={raw!r} must be an integer >= 1")
    raise AssertionError(f"no parser for {key!r}")  # pragma: no cover - HF_ARG_KEYS and this function agree


def _choice(backend: str, key: str, raw: str, accepted: tuple[str, ...]) -> str:
    value = raw.lower()
    if value not in accepted:
        raise ValueError(f"{backend}: --model-arg {key}={raw!r} is not one of {', '.join(accepted)}")
    return value


def check_cuda_build(backend: str, args: HFArgs) -> None:
    """At configure time, without importing torch: CUDA asked of a CPU-only torch wheel (version ``...+cpu``).

    Raises:
        ValueError: one line naming the setting and what to do.
    """
    setting = args.cuda_setting
    if setting is None:
        return
    try:
        version = importlib.metadata.version("torch")
    except importlib.metadata.PackageNotFoundError:
        return  # the load says so, with its own message
    if version.partition("+")[2] == "cpu":
        raise ValueError(
            f"{backend}: --model-arg {setting} asks for CUDA, but the installed torch {version} is a CPU-only "
            "build; use device=cpu (or leave device unset), or install a CUDA build of torch"
        )


def check_cuda_device(backend: str, key: str, device: str | None) -> None:
    """At load time (imports torch): the ``cuda`` or ``cuda:N`` device that ``--model-arg key`` names must exist.

    Raises:
        ModelLoadError: one line naming the setting and what to do.
    """
    if device is None or not device.startswith("cuda"):
        return
    import torch

    if not torch.cuda.is_available():
        raise ModelLoadError(
            f"{backend}: --model-arg {key}={device} asks for CUDA, but torch {torch.__version__} finds no CUDA "
            "device; use device=cpu (or leave device unset: CUDA when available, else CPU)"
        )
    index = int(device.partition(":")[2] or 0)
    count = torch.cuda.device_count()
    if index >= count:
        raise ModelLoadError(
            f"{backend}: --model-arg {key}={device}, but only {count} CUDA device(s) are visible "
            f"(cuda:0 to cuda:{count - 1}); pick one of them, or check CUDA_VISIBLE_DEVICES"
        )
