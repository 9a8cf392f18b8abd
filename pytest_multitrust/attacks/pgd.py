"""Projected gradient descent in pixel space on vision-encoder features, and its parameters.

The official R.4/R.5 images were made with SSA-CommonWeakness against six CLIP-like surrogates, L∞ ε = 16/255,
step 1/255, 50 steps (``mmte/methods/adv.py``, ``mmte/utils/SSA.py``); the loss is the cosine similarity
between the image's embedding and a reference embedding (``mmte/utils/surrogates.py``): the clean image's
(untargeted, minimised) or the target's (targeted, maximised). Here the same bound, step and step count drive a
plain sign-gradient PGD (Madry et al.) on the same cosine objective, averaged over the encoders of an ensemble:

1. the clean image is resized to the encoder's input resolution and quantised to 8 bits: that is ``x0``;
2. a **seeded uniform random start** in the ε-ball (the cosine to the clean features is at its maximum at
   ``x0``, where its gradient vanishes: an untargeted attack started there would never move). The seed comes
   from the run's seed and the clean pixels, so the result is deterministic for a seed;
3. ``steps`` times: ``x ← x ∓ step · sign(∇ cos)``, then projection onto the ε-ball around ``x0`` and [0, 1];
4. quantisation to 8 bits, then the ε bound is enforced again in uint8 space (clipping to ``x0 ± ⌊255ε⌋``), so
   the saved PNG itself holds the bound, not only the float tensor.

One image at a time: batched float kernels may round differently with the batch's composition, and an image's
adversarial version must not depend on which other images a ``--limit`` kept.

torch is imported inside functions: this module is imported by task modules, which the plugin loads at start.
"""

from __future__ import annotations

import hashlib
import math
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from PIL import Image as PILImage

    from pytest_multitrust.attacks.encoders import VisionEncoder

Mode = Literal["untargeted", "targeted"]
MODES: tuple[Mode, ...] = ("untargeted", "targeted")

#: Bump when what an attack with the same parameters computes changes (the adversarial cache keys on it).
PGD_SCHEMA = 1

#: The ``--attack-arg`` keys and what they mean.
ATTACK_ARG_KEYS: dict[str, str] = {
    "eps": "L-infinity bound, a number in (0, 1] or a fraction such as 16/255",
    "step": "step size per iteration, a number in (0, 1] or a fraction such as 1/255",
    "steps": "number of iterations, an integer from 0 (no attack) to 10000",
}
MAX_STEPS = 10_000
_FRACTION = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(?:/\s*([0-9]*\.?[0-9]+))?\s*$")


@dataclass(frozen=True)
class AttackParams:
    """The attack's settings; defaults are the official SSA-CommonWeakness ones.

    Attributes:
        eps: L∞ bound in [0, 1] pixel units (16/255).
        step: step size per iteration (1/255).
        steps: iterations (50); 0 means no attack at all.
    """

    eps: float = 16 / 255
    step: float = 1 / 255
    steps: int = 50

    @property
    def eps_255(self) -> int:
        """The bound in 8-bit levels: the largest whole number of levels within ``eps``."""
        return math.floor(self.eps * 255 + 1e-6)

    def key(self) -> dict[str, Any]:
        """What of the parameters changes the result (for cache keys), exactly."""
        return {"schema": PGD_SCHEMA, "eps": repr(self.eps), "step": repr(self.step), "steps": self.steps,
                "start": "uniform", "quantise": "uint8"}  # fmt: skip

    def as_json(self) -> dict[str, Any]:
        return {"eps": self.eps, "eps_255": self.eps_255, "step": self.step, "step_255": round(self.step * 255, 4),
                "steps": self.steps}  # fmt: skip


def _number(key: str, text: str) -> float:
    match = _FRACTION.match(text)
    if match is None:
        raise ValueError(f"--attack-arg {key}={text!r} is not a number; {key} is the {ATTACK_ARG_KEYS[key]}")
    value = float(match.group(1))
    if match.group(2) is not None:
        denominator = float(match.group(2))
        if denominator == 0:
            raise ValueError(f"--attack-arg {key}={text!r} divides by zero; {key} is the {ATTACK_ARG_KEYS[key]}")
        value /= denominator
    if not 0 < value <= 1:
        raise ValueError(
            f"--attack-arg {key}={text!r} is {value:g}, outside (0, 1]; {key} is the {ATTACK_ARG_KEYS[key]}"
        )
    return value


def parse_attack_args(args: Mapping[str, str]) -> AttackParams:
    """``--attack-arg KEY=VALUE`` pairs as :class:`AttackParams` (unset keys keep the official defaults).

    Raises:
        ValueError: one line naming an unknown key or a bad value and what is accepted.
    """
    unknown = sorted(set(args) - set(ATTACK_ARG_KEYS))
    if unknown:
        raise ValueError(f"unknown --attack-arg {unknown[0]!r}; known: {', '.join(ATTACK_ARG_KEYS)}")
    defaults = AttackParams()
    eps = _number("eps", args["eps"]) if "eps" in args else defaults.eps
    step = _number("step", args["step"]) if "step" in args else defaults.step
    steps = defaults.steps
    if "steps" in args:
        text = args["steps"].strip()
        if not text.isdigit() or int(text) > MAX_STEPS:
            raise ValueError(f"--attack-arg steps={args['steps']!r}: {ATTACK_ARG_KEYS['steps']}")
        steps = int(text)
    if math.floor(eps * 255 + 1e-6) < 1:
        raise ValueError(f"--attack-arg eps={eps:g} is below one 8-bit level (1/255): the saved image could not change")
    return AttackParams(eps=eps, step=step, steps=steps)


@dataclass(frozen=True)
class AttackResult:
    """One adversarial image and what was measured on it.

    Attributes:
        image: the adversarial image, at the encoder's input resolution, 8-bit RGB.
        linf_255: the measured L∞ distance to the quantised clean image, in 8-bit levels.
        objective_start: mean cosine to the reference at the clean image (untargeted: 1.0).
        objective_end: mean cosine to the reference at the saved (quantised) adversarial image.
        seconds: wall time of the attack.
    """

    image: PILImage.Image
    linf_255: int
    objective_start: float
    objective_end: float
    seconds: float


def start_seed(seed: int, clean_sha256: str, mode: Mode) -> int:
    """The random start's seed: from the run's seed, the clean pixels and the mode (stable across processes)."""
    digest = hashlib.sha256(f"pgd:{seed}:{clean_sha256}:{mode}".encode()).digest()
    return int.from_bytes(digest[:8], "little")


def to_tensor(image: PILImage.Image) -> Any:
    """An RGB image as a float tensor in [0, 1] of shape (1, 3, H, W)."""
    import numpy as np
    import torch

    array = np.asarray(image.convert("RGB"), dtype=np.float32) / 255.0
    return torch.from_numpy(array.copy()).permute(2, 0, 1).unsqueeze(0)


def linf_255(adversarial: PILImage.Image, clean: PILImage.Image) -> int:
    """The L∞ distance between two images of the same size, in 8-bit levels."""
    import numpy as np

    if adversarial.size != clean.size:
        raise ValueError(f"cannot compare images of sizes {adversarial.size} and {clean.size}")
    a = np.asarray(adversarial.convert("RGB"), dtype=np.int16)
    b = np.asarray(clean.convert("RGB"), dtype=np.int16)
    return int(np.abs(a - b).max())


def quantise(pixels: Any, clean: PILImage.Image, eps_255: int) -> PILImage.Image:
    """A float tensor (1, 3, H, W) in [0, 1] as an 8-bit image, clipped to ``clean ± eps_255`` levels."""
    import numpy as np
    from PIL import Image

    levels = np.rint(pixels.detach().float().cpu().squeeze(0).permute(1, 2, 0).numpy() * 255.0)
    reference = np.asarray(clean.convert("RGB"), dtype=np.float64)
    clipped = np.clip(np.clip(levels, reference - eps_255, reference + eps_255), 0, 255).astype(np.uint8)
    return Image.fromarray(clipped, "RGB")


def objective(encoders: Sequence[VisionEncoder], pixels: Any, references: Sequence[Any]) -> Any:
    """Mean over the encoders of the cosine between ``pixels``' features and each encoder's reference features
    (the ensemble averages the per-encoder losses, as the official CommonWeakness attack sums them)."""
    import torch

    total = torch.zeros((), dtype=torch.float32, device=pixels.device)
    for encoder, reference in zip(encoders, references, strict=True):
        features = encoder.features(pixels)
        cosine = torch.nn.functional.cosine_similarity(features, reference.to(features.device), dim=-1)
        total = total + cosine.sum().to(total.device)
    return total / len(encoders)


def pgd(
    encoders: Sequence[VisionEncoder],
    clean: PILImage.Image,
    mode: Mode,
    params: AttackParams,
    seed: int,
    target: PILImage.Image | None = None,
) -> AttackResult:
    """Attack ``clean`` (already at the first encoder's input resolution) and return the quantised result.

    Args:
        encoders: one encoder, or an ensemble (their losses are averaged); each resizes the canvas to its own
            input size inside torch.
        clean: the clean image at the canvas resolution (8-bit RGB).
        mode: ``untargeted`` (minimise the cosine to the clean features) or ``targeted`` (maximise it to the
            target's).
        params: ε, step and number of steps.
        seed: the random start's seed (:func:`start_seed`).
        target: the target image (targeted mode only), at any size: each encoder resizes it.

    Raises:
        ValueError: no encoder, or a targeted attack without a target.
    """
    import torch

    if not encoders:
        raise ValueError("an attack needs at least one vision encoder")
    if (mode == "targeted") != (target is not None):
        raise ValueError(f"a {mode} attack takes {'a' if mode == 'targeted' else 'no'} target image")
    started = time.perf_counter()
    device = encoders[0].device
    x0 = to_tensor(clean).to(device)
    with torch.no_grad():
        anchor = to_tensor(target).to(device) if target is not None else x0
        references = [encoder.features(anchor).detach() for encoder in encoders]
        before = float(objective(encoders, x0, references))
    x = x0
    if params.steps > 0:
        generator = torch.Generator().manual_seed(seed)
        noise = (torch.rand(x0.shape, generator=generator, dtype=torch.float32) * 2 - 1) * params.eps
        x = (x0 + noise.to(device)).clamp(0, 1)
        sign = -1.0 if mode == "untargeted" else 1.0
        for _ in range(params.steps):
            x.requires_grad_(True)
            (gradient,) = torch.autograd.grad(objective(encoders, x, references), x)
            with torch.no_grad():
                x = x + sign * params.step * gradient.sign()
                x = torch.minimum(torch.maximum(x, x0 - params.eps), x0 + params.eps).clamp(0, 1)
    image = quantise(x, clean, params.eps_255)
    with torch.no_grad():
        after = float(objective(encoders, to_tensor(image).to(device), references))
    return AttackResult(image, linf_255(image, clean), before, after, time.perf_counter() - started)
