"""Time per image of the R.4/R.5 PGD attack (50 steps by default) on the tiny LLaVA and on a ~5M-parameter one.

Run from the repository root: ``python -m benchmarks.attack_time [--images 4] [--steps 50] [--device cpu]``.
The ~5M LLaVA is ``benchmarks.hf_batching.build_model`` (random weights; the tiny LLaVA's 32 px processor, wider
and deeper towers). Each model's own vision encoder is attacked, untargeted and targeted, one image at a time
as the prepare step does, on R.4's built-in clean images. Prints the seconds per image and the cosine moved;
asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from pytest_multitrust.attacks.encoders import encoder_from_model
from pytest_multitrust.attacks.pgd import AttackParams, Mode, pgd
from pytest_multitrust.data.adversarial import clean_samples, target_rendering
from pytest_multitrust.models.hf import HFModel
from pytest_multitrust.models.tiny import load_tiny
from pytest_multitrust.spec import DataOptions, Variant


def models(device: str) -> dict[str, HFModel]:
    from benchmarks.hf_batching import build_model

    model: Any
    model, processor = build_model()
    return {
        "tiny-llava": load_tiny("tiny-llava", device=device),
        "llava ~5M (hf_batching)": HFModel(model.to(device), processor, spec="bench:llava-5m"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=4)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    params = AttackParams(steps=args.steps)
    samples = clean_samples(Variant("r5", "adv-target"), DataOptions(seed=0), targeted=True)[: args.images]
    for name, model in models(args.device).items():
        encoder = encoder_from_model(model)
        parameters = sum(p.numel() for p in model.model.parameters())
        vision = sum(p.numel() for p in model.model.model.vision_tower.parameters())
        print(f"{name}: {parameters / 1e6:.2f}M parameters ({vision / 1e6:.2f}M in the vision tower), input "
              f"{encoder.input_size[0]}x{encoder.input_size[1]}, {params.steps} steps, {args.device}")  # fmt: skip
        mode: Mode
        for mode in ("untargeted", "targeted"):
            pgd(
                [encoder],
                encoder.resize(samples[0].images[0].image),
                mode,
                AttackParams(steps=2),
                0,
                encoder.resize(target_rendering(samples[0]).image) if mode == "targeted" else None,
            )  # warm-up
            times, moved = [], []
            for sample in samples:
                target = encoder.resize(target_rendering(sample).image) if mode == "targeted" else None
                start = time.perf_counter()
                result = pgd([encoder], encoder.resize(sample.images[0].image), mode, params, 0, target)
                times.append(time.perf_counter() - start)
                moved.append(result.objective_end - result.objective_start)
            print(f"  {mode:10s}: {statistics.mean(times):.3f} s/image (min {min(times):.3f}, max {max(times):.3f}); "
                  f"cosine moved {statistics.mean(moved):+.3f} on average")  # fmt: skip


if __name__ == "__main__":
    main()
