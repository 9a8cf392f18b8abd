"""The ``openai`` backend: concurrent vs sequential requests against a local server with added latency.

Run from the repository root: ``python -m benchmarks.openai_concurrency [--requests 64] [--latency 0.1]``.
The server is the test suite's real HTTP fault server on 127.0.0.1, told to wait ``--latency`` seconds per
request (a stand-in for network and model time). Prints wall times and the speed-up; asserts nothing.
"""

from __future__ import annotations

import argparse
import time

from pytest_multitrust.models.openai import OpenAIModel
from pytest_multitrust.models.protocol import Request
from tests.servers.fault_server import FaultServer


def run(requests: int, latency: float, concurrency: int) -> float:
    batch = [Request(f"bench/{i:04d}", f"question {i} [delay={latency}]") for i in range(requests)]
    with FaultServer() as server:
        model = OpenAIModel("test-model", base_url=server.base_url, concurrency=concurrency, max_retries=0)
        start = time.perf_counter()
        responses = model.generate(batch)
        elapsed = time.perf_counter() - start
    failed = [r.error for r in responses if not r.ok]
    if failed:
        raise SystemExit(f"{len(failed)} requests failed, first: {failed[0]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=64)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds the server waits per request")
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    sequential = run(args.requests, args.latency, concurrency=1)
    concurrent = run(args.requests, args.latency, concurrency=args.concurrency)
    print(f"{args.requests} requests, {args.latency:.3f} s server latency each")
    print(f"sequential (concurrency 1): {sequential:7.2f} s  {args.requests / sequential:7.1f} req/s")
    print(f"concurrent (concurrency {args.concurrency}): {concurrent:7.2f} s  {args.requests / concurrent:7.1f} req/s")
    print(f"speed-up: {sequential / concurrent:.2f}x")


if __name__ == "__main__":
    main()
