"""Run the ``vllm`` backend on requests from a JSON file; run with the vLLM environment's Python.

    <venv-vllm>/bin/python tests/servers/vllm_driver.py jobs.json results.json

``jobs.json`` is a list of jobs ``{"spec": "vllm:<folder>", "args": {...}, "seed": 0, "requests": [...]}``;
each request is ``{"id", "prompt", "system", "images": [png paths], "max_new_tokens"}``. The model is loaded
the way ``--model`` does it (registry spec, ``LoadOptions``), one job after the other in this one process, and
``results.json`` gets ``{"responses": [{"text", "error"}], "fingerprint", "describe"}`` per job.

The ``__main__`` guard matters: vLLM starts its engine in a spawned process, which re-imports this file.
"""

from __future__ import annotations

import gc
import json
import sys
from pathlib import Path
from typing import Any


def run_job(job: dict[str, Any]) -> dict[str, Any]:
    """Load the job's model through the registry and answer its requests as one batch."""
    from PIL import Image

    from pytest_multitrust.data.images import ImageRef
    from pytest_multitrust.models.protocol import GenerationParams, Request
    from pytest_multitrust.models.registry import LoadOptions, load_model, parse_spec

    requests = [
        Request(
            id=item["id"],
            prompt=item["prompt"],
            images=tuple(ImageRef.of(Image.open(path).convert("RGB"), source=path) for path in item["images"]),
            system=item.get("system"),
            params=GenerationParams(max_new_tokens=item["max_new_tokens"]),
        )
        for item in job["requests"]
    ]
    model: Any = load_model(parse_spec(job["spec"]), LoadOptions(seed=job.get("seed", 0), args=job.get("args", {})))
    responses = model.generate(requests)
    result = {
        "responses": [{"text": r.text, "error": r.error} for r in responses],
        "fingerprint": model.fingerprint(),
        "describe": model.describe(),
    }
    # One engine at a time: shut this one down before the next job starts its own.
    model.close()
    del model
    gc.collect()
    return result


def main(argv: list[str]) -> int:
    jobs_file, results_file = argv
    jobs = json.loads(Path(jobs_file).read_text())
    results = [run_job(job) for job in jobs]
    Path(results_file).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
