"""Vision encoders to attack: the model under test's own, or surrogates named by ``--surrogate``.

A :class:`VisionEncoder` takes pixels in [0, 1] (a float tensor ``(B, 3, H, W)``), resizes them to its input
resolution if they are not there already and applies the processor's normalisation **inside torch**, so the
gradient reaches the pixels, then returns pooled features ``(B, D)`` (the family views of
:mod:`~pytest_multitrust.attacks.families`).

Where encoders come from (the runner's :class:`~pytest_multitrust.spec.PrepareContext` calls these):

- the model under test: :func:`encoder_from_model` for a ``tiny`` or ``hf`` backend (an ``HFModel``, also
  behind the response cache or a lazy load); its key is :func:`model_encoder_key` of the model's fingerprint,
  known without loading the model;
- ``--surrogate SPEC``: :func:`load_surrogate`, where SPEC is a local checkpoint folder (``hf:`` prefix
  optional) or a hub id already in the local cache, holding a CLIP / SigLIP model or a supported
  vision-language model, or a built-in tiny model name (``tiny-llava``: random weights, for tests); its key is
  :func:`surrogate_key` (weight-file digests, no torch). :func:`check_surrogate` validates a SPEC at configure
  time. Several surrogates form an ensemble whose key is :func:`ensemble_key`.

torch and transformers are imported inside functions only.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pytest_multitrust.attacks.families import CLIP_FAMILIES, VLM_FAMILIES, View, clip_view, vlm_view
from pytest_multitrust.models.hf_checkpoint import cached_snapshot, checkpoint_digest, sha256_json
from pytest_multitrust.provenance import installed_versions
from pytest_multitrust.spec import PrepareUnavailable

if TYPE_CHECKING:
    from PIL import Image as PILImage

#: Bump when what an encoder computes for the same weights changes (views, pooling): keys change with it.
ENCODER_SCHEMA = 1
#: Backends whose models expose a vision encoder the attack can differentiate through.
ENCODER_BACKENDS = ("tiny", "hf")
_VERSIONED = ("torch", "transformers")


class VisionEncoder:
    """A differentiable image -> features map with the processor's input resolution and normalisation.

    Args:
        name: what it is, for reports (``tiny:tiny-llava``, ``hf:/ckpts/clip``).
        fingerprint: identifies weights, view and schema (the adversarial cache keys on it).
        view: the family view (input size, normalisation, resampling, ``embed``).
        device: where the weights live (pixels are moved there).
        dtype: the weights' dtype (normalised pixels are cast to it; features come back as float32).
    """

    def __init__(self, name: str, fingerprint: str, view: View, *, device: Any, dtype: Any) -> None:
        self.name = name
        self.fingerprint = fingerprint
        self.view = view
        self.device = device
        self.dtype = dtype

    @property
    def input_size(self) -> tuple[int, int]:
        """(height, width) of the processor's input."""
        return self.view.input_size

    def __repr__(self) -> str:
        return f"VisionEncoder({self.name!r}, {self.view.family}, input={self.input_size}, {self.fingerprint[:12]})"

    def features(self, pixels: Any) -> Any:
        """Pooled features ``(B, D)`` (float32) of pixels in [0, 1], ``(B, 3, H, W)``; differentiable."""
        import torch
        import torch.nn.functional as F

        x = pixels.to(device=self.device, dtype=torch.float32)
        if tuple(x.shape[-2:]) != self.input_size:  # an ensemble member with another resolution
            x = F.interpolate(x, size=self.input_size, mode="bicubic", align_corners=False, antialias=True)
            x = x.clamp(0, 1)
        mean = torch.tensor(self.view.mean, device=x.device).view(1, 3, 1, 1)
        std = torch.tensor(self.view.std, device=x.device).view(1, 3, 1, 1)
        features = self.view.embed(((x - mean) / std).to(self.dtype))
        return features.to(torch.float32)

    def resize(self, image: PILImage.Image) -> PILImage.Image:
        """``image`` at the input resolution, resized as the processor resizes it (:func:`resize_for`)."""
        return resize_for(image, self.input_size, self.view.resample, self.view.crop)


def resize_for(image: PILImage.Image, size: tuple[int, int], resample: int, crop: bool) -> PILImage.Image:
    """``image`` as RGB at ``size`` (height, width): with the PIL filter ``resample``, the shortest edge first then
    a centre crop (``crop``, CLIP-style processors) or straight to the size; an image already at that size is
    returned as it is (so a saved adversarial image passes the processor unchanged)."""
    height, width = size
    rgb = image.convert("RGB")
    if rgb.size == (width, height):
        return rgb
    if not crop:
        return rgb.resize((width, height), resample)
    scale = max(width / rgb.width, height / rgb.height)
    scaled = (max(width, round(rgb.width * scale)), max(height, round(rgb.height * scale)))
    resized = rgb.resize(scaled, resample)
    left, top = (scaled[0] - width) // 2, (scaled[1] - height) // 2
    return resized.crop((left, top, left + width, top + height))


def _first_parameter(model: Any) -> Any:
    return next(iter(model.parameters()))


# --- the model under test -----------------------------------------------------------------------------------


def model_encoder_key(model_fingerprint: str) -> str:
    """The encoder key of the model under test, from its fingerprint (which the lazy backend knows unloaded)."""
    return sha256_json({"schema": ENCODER_SCHEMA, "source": "model", "model": model_fingerprint})


def _hf_backend(model: Any) -> Any:
    """The ``HFModel`` behind the response cache (``.inner``) and a lazy load (``.backend()``), or None."""
    from pytest_multitrust.models.hf import HFModel

    seen = 0
    while not isinstance(model, HFModel) and seen < 8:
        seen += 1
        if getattr(model, "inner", None) is not None:
            model = model.inner
        elif callable(getattr(model, "backend", None)):
            model = model.backend()
        else:
            return None
    return model if isinstance(model, HFModel) else None


def encoder_from_model(model: Any) -> VisionEncoder:
    """The vision encoder of the model under test (a ``tiny`` or ``hf`` backend, possibly wrapped).

    Raises:
        PrepareUnavailable: the backend exposes no encoder (``openai``, ``vllm``, ``replay``), or its family has
            no view; one line saying to pass ``--surrogate``.
    """
    backend = _hf_backend(model)
    if backend is None:
        spec = getattr(model, "spec", type(model).__name__)
        raise PrepareUnavailable(
            f"the model under test ({spec}) exposes no vision encoder to attack (only the tiny and hf backends "
            "do); pass --surrogate PATH (a local CLIP or VLM checkpoint) to compute the adversarial images"
        )
    view = vlm_view(backend.model, backend.processor)
    parameter = _first_parameter(backend.model)
    key = model_encoder_key(backend.fingerprint())
    return VisionEncoder(backend.spec, key, view, device=parameter.device, dtype=parameter.dtype)


# --- surrogates ------------------------------------------------------------------------------------------------


def _tiny_name(spec: str) -> str | None:
    from pytest_multitrust.models.tiny import TINY_MODELS

    name = spec.removeprefix("tiny:")
    return name if name in TINY_MODELS else None


def surrogate_folder(spec: str) -> Path:
    """The checkpoint folder a non-tiny ``--surrogate`` SPEC names (a folder, or a hub id in the local cache).

    Raises:
        ValueError: one line: not a folder or a cached hub id, no ``config.json``, or no vision tower we read.
    """
    target = spec.removeprefix("hf:")
    path = Path(target).expanduser()
    if not path.is_dir():
        cached = cached_snapshot(target) if target.count("/") == 1 and not target.startswith((".", "/")) else None
        if cached is None:
            raise ValueError(
                f"--surrogate {spec}: not a checkpoint folder, a hub id in the local cache, or a tiny model name "
                "(e.g. tiny-llava)"
            )
        path = Path(cached)
    try:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"--surrogate {spec}: cannot read {path / 'config.json'} ({exc})") from None
    family = config.get("model_type") if isinstance(config, dict) else None
    if family not in (*CLIP_FAMILIES, *VLM_FAMILIES):
        raise ValueError(
            f"--surrogate {spec}: model_type {family!r} has no vision encoder we attack; use a CLIP/SigLIP checkpoint "
            f"({', '.join(CLIP_FAMILIES)}) or a VLM of the families {', '.join(VLM_FAMILIES)}"
        )
    return path


def check_surrogate(spec: str) -> None:
    """Validate a ``--surrogate`` SPEC at configure time, without loading it (one-line ``ValueError``)."""
    if _tiny_name(spec) is None:
        surrogate_folder(spec)


def surrogate_key(spec: str, seed: int = 0) -> str:
    """The encoder key of a surrogate, cheaply: weight-file digests and settings (tiny: name, seed, versions)."""
    tiny = _tiny_name(spec)
    if tiny is not None:
        versions = installed_versions(_VERSIONED)
        return sha256_json({"schema": ENCODER_SCHEMA, "source": "tiny", "name": tiny, "seed": seed, **versions})
    folder = surrogate_folder(spec)
    settings = {
        name: (folder / name).read_text(encoding="utf-8")
        for name in ("config.json", "preprocessor_config.json", "processor_config.json")
        if (folder / name).is_file()
    }
    material = {"schema": ENCODER_SCHEMA, "source": "checkpoint", "weights": checkpoint_digest(str(folder))}
    return sha256_json({**material, "settings": settings})


def ensemble_key(keys: Sequence[str]) -> str:
    """The key of several encoders attacked together (their order matters: the first sets the resolution)."""
    return keys[0] if len(keys) == 1 else sha256_json({"schema": ENCODER_SCHEMA, "ensemble": list(keys)})


def load_surrogate(spec: str, seed: int = 0, device: str | None = None) -> VisionEncoder:
    """Load the encoder of a ``--surrogate`` SPEC (see the module docstring).

    Args:
        spec: a checkpoint folder (``hf:`` optional), a cached hub id, or a tiny model name.
        seed: the tiny models' weight seed.
        device: ``cpu``, ``cuda``...; default CUDA when available.

    Raises:
        ValueError: the SPEC names nothing loadable (one line).
        PrepareUnavailable: a VLM family without a view.
    """
    import torch

    where = device or ("cuda" if torch.cuda.is_available() else "cpu")
    key = surrogate_key(spec, seed)
    tiny = _tiny_name(spec)
    model: Any
    if tiny is not None:
        from pytest_multitrust.models.tiny import build_tiny

        model, processor = build_tiny(tiny, seed)
        model = model.to(where)
        view, name = vlm_view(model, processor), f"tiny:{tiny}"
    else:
        folder = surrogate_folder(spec)
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        family, name = str(config["model_type"]), f"hf:{folder}"
        if family in CLIP_FAMILIES:
            model, view = _load_clip(folder, family, config, where)
        else:
            from pytest_multitrust.models.hf import HFModel

            loaded = HFModel.from_pretrained(folder, device=where)
            model, view = loaded.model, vlm_view(loaded.model, loaded.processor)
    parameter = _first_parameter(model)
    return VisionEncoder(name, key, view, device=parameter.device, dtype=parameter.dtype)


def _load_clip(folder: Path, family: str, config: dict[str, Any], device: str) -> tuple[Any, View]:
    import transformers

    architectures = config.get("architectures") or []
    names = {"clip": "CLIPModel", "siglip": "SiglipModel", "siglip_vision_model": "SiglipVisionModel"}
    if family == "clip_vision_model":
        wanted = "CLIPVisionModelWithProjection" if "CLIPVisionModelWithProjection" in architectures else None
        names[family] = wanted or "CLIPVisionModel"
    model_class: Any = getattr(transformers, names[family])
    model = model_class.from_pretrained(str(folder), local_files_only=True).to(device).eval()
    preprocessor_file = folder / "preprocessor_config.json"
    preprocessor = json.loads(preprocessor_file.read_text(encoding="utf-8")) if preprocessor_file.is_file() else {}
    vision = config.get("vision_config", config)
    return model, clip_view(model, family, preprocessor, int(vision.get("image_size", 224)))
