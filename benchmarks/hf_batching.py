"""Batch-1 sequential generation (how the official toolkit runs) vs our batched ``hf`` backend.

Run from the repository root: ``python -m benchmarks.hf_batching [--requests 64] [--batch 16] [--new-tokens 32]``.
The model is a ~5M-parameter LLaVA built from a config with random weights (the tiny LLaVA's processor and
chat template, wider and deeper towers), on CPU. The same requests go through the same ``HFModel`` twice:
once with ``max_batch_size=1`` and one request per ``generate`` call, once batched. Prints wall times, the
speed-up, and whether both gave the same answers; asserts nothing.
"""

from __future__ import annotations

import argparse
import time

from pytest_multitrust.data.unrelated import unrelated_image
from pytest_multitrust.models.hf import HFModel
from pytest_multitrust.models.protocol import GenerationParams, Request


def build_model(seed: int = 0) -> tuple[object, object]:
    """A ~5M-parameter LLaVA-1.5 built from config (random weights)."""
    import torch
    from transformers import LlavaForConditionalGeneration

    from pytest_multitrust.models.tiny import build_tiny

    small, processor = build_tiny("tiny-llava", seed)
    config = small.config
    config.text_config.update({"hidden_size": 256, "intermediate_size": 1024, "num_hidden_layers": 4,
                               "num_attention_heads": 4, "num_key_value_heads": 4, "head_dim": 64})  # fmt: skip
    config.vision_config.update({"hidden_size": 128, "intermediate_size": 512, "num_hidden_layers": 4,
                                 "num_attention_heads": 4})  # fmt: skip
    torch.manual_seed(seed)
    model = LlavaForConditionalGeneration(config).eval()
    model.generation_config = small.generation_config
    return model, processor


def requests(count: int, new_tokens: int) -> list[Request]:
    params = GenerationParams(max_new_tokens=new_tokens)
    out = []
    for i in range(count):
        images = (unrelated_image("nature", 0, f"bench-{i}"),) if i % 2 == 0 else ()
        prompt = f"Question {i}: please describe what you see and answer briefly."
        out.append(Request(f"bench/{i:04d}", prompt, images, None, params))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=32)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--new-tokens", type=int, default=32)
    args = parser.parse_args()
    model, processor = build_model()
    parameters = sum(p.numel() for p in model.parameters())  # type: ignore[attr-defined]
    batch = requests(args.requests, args.new_tokens)

    sequential_model = HFModel(model, processor, max_batch_size=1)
    sequential_model.generate(batch[:2])  # warm-up
    start = time.perf_counter()
    sequential = [sequential_model.generate([request])[0] for request in batch]
    sequential_s = time.perf_counter() - start

    batched_model = HFModel(model, processor, max_batch_size=args.batch)
    start = time.perf_counter()
    batched = batched_model.generate(batch)
    batched_s = time.perf_counter() - start

    same = sum(a.text == b.text for a, b in zip(sequential, batched, strict=True))
    print(f"LLaVA from config: {parameters / 1e6:.1f}M parameters, {args.requests} requests "
          f"(half with an image), {args.new_tokens} new tokens each")  # fmt: skip
    print(f"batch-1 sequential: {sequential_s:7.2f} s  {args.requests / sequential_s:6.1f} req/s")
    print(f"batched (max {args.batch}): {batched_s:7.2f} s  {args.requests / batched_s:6.1f} req/s")
    print(f"speed-up: {sequential_s / batched_s:.2f}x; identical answers: {same}/{args.requests}")


if __name__ == "__main__":
    main()
