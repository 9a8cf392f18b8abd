"""vLLM's offline engine vs the ``hf`` backend on the same tiny checkpoint, same requests, greedy.

Run with the vLLM environment's Python (made by ``scripts/setup-vllm-env``), from the repository root::

    VLLM_CPU_KVCACHE_SPACE=1 .venv-vllm/bin/python -m benchmarks.vllm_vs_hf [--requests 64] [--new-tokens 32]

Both backends load a tiny random-weight Idefics3 saved with ``save_tiny_family`` (vLLM CPU cannot run the
LLaVA or Qwen-VL families here). Each answers the same batch once to warm up and once timed. Prints wall
times, the ratio and how many answers agree; asserts nothing. Load and engine start-up are not timed.
"""

from __future__ import annotations

import argparse
import tempfile
import time

from pytest_multitrust.data.unrelated import unrelated_image
from pytest_multitrust.models.protocol import GenerationParams, Model, Request
from pytest_multitrust.models.registry import LoadOptions, load_model, parse_spec
from pytest_multitrust.models.tiny_zoo import save_tiny_family


def batch(count: int, new_tokens: int) -> list[Request]:
    params = GenerationParams(max_new_tokens=new_tokens)
    return [
        Request(
            f"bench/{i:04d}",
            f"Question {i}: what do you see?",
            (unrelated_image("color", 0, f"bench-{i}"),) if i % 2 == 0 else (),
            None,
            params,
        )
        for i in range(count)
    ]


def timed(model: Model, requests: list[Request]) -> tuple[float, list[str]]:
    model.generate(requests[:4])
    start = time.perf_counter()
    answers = model.generate(requests)
    return time.perf_counter() - start, [a.text.rstrip("\ufffd ") for a in answers]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=64)
    parser.add_argument("--new-tokens", type=int, default=32)
    args = parser.parse_args()
    requests = batch(args.requests, args.new_tokens)
    with tempfile.TemporaryDirectory() as folder:
        save_tiny_family("idefics3", folder, seed=0)
        hf = load_model(parse_spec(f"hf:{folder}"), LoadOptions(args={"max_batch_size": "64"}))
        hf_s, hf_answers = timed(hf, requests)
        # float32 like hf: vLLM on CPU would otherwise pick bfloat16 for this checkpoint and round differently.
        vllm = load_model(parse_spec(f"vllm:{folder}"), LoadOptions(args={"dtype": "float32"}))
        vllm_s, vllm_answers = timed(vllm, requests)
    same = sum(a == b for a, b in zip(hf_answers, vllm_answers, strict=True))
    print(f"tiny Idefics3, {args.requests} requests (half with an image), {args.new_tokens} new tokens, greedy")
    print(f"hf (batched, max 64): {hf_s:7.2f} s  {args.requests / hf_s:7.1f} req/s")
    print(f"vllm offline engine : {vllm_s:7.2f} s  {args.requests / vllm_s:7.1f} req/s")
    print(f"vllm / hf speed-up: {hf_s / vllm_s:.2f}x; identical answers: {same}/{args.requests}")


if __name__ == "__main__":
    main()
