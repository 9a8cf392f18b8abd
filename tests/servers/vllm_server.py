"""The vLLM environment for the tests: where it is, how to run its Python, and a real ``vllm serve``.

vLLM lives in its own virtual environment (``scripts/setup-vllm-env``; ``VLLM_VENV`` overrides the path), so
tests reach it through subprocesses: :func:`run_driver` runs ``vllm_driver.py`` with its Python, and
:func:`vllm_serve` starts ``vllm serve`` on 127.0.0.1. Without that environment the tests skip, unless
``MULTITRUST_REQUIRE_VLLM=1`` (CI sets it): then they fail, so a broken setup cannot pass as skipped.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pytest_multitrust.models.protocol import Request

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("vllm_driver.py")

#: vLLM on a 2-core, 24 GiB machine: a 1 GiB KV cache instead of 92% of RAM, no core pinning (the engine and
#: the test process share the cores), one OpenMP thread, no usage reports, no download attempts.
VLLM_ENV: dict[str, str] = {
    "VLLM_CPU_KVCACHE_SPACE": "1",
    "VLLM_CPU_OMP_THREADS_BIND": "nobind",
    "OMP_NUM_THREADS": "1",
    "VLLM_NO_USAGE_STATS": "1",
    "DO_NOT_TRACK": "1",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "TOKENIZERS_PARALLELISM": "false",
}

#: Engine settings shared by the offline driver and ``vllm serve`` so both answer alike: float32 as the
#: checkpoints (vLLM's ``auto`` would run float32 weights in 16 bits), eager mode (seconds instead of a
#: minute of compilation on CPU), a short context and batch to bound memory.
ENGINE_ARGS: dict[str, str] = {
    "dtype": "float32",
    "max_model_len": "2048",
    "max_batch_size": "8",
    "enforce_eager": "true",
}

#: Seconds ``vllm serve`` may take to answer ``/health`` (measured: ~40 s on 2 cores; CI machines vary).
STARTUP_TIMEOUT = 300.0


def vllm_venv() -> Path:
    """The vLLM environment's folder (``VLLM_VENV`` or ``<repo>/.venv-vllm``), present or not."""
    return Path(os.environ.get("VLLM_VENV") or ROOT / ".venv-vllm")


def require_vllm() -> Path:
    """The vLLM environment's ``bin`` folder; skips the test without it (fails with MULTITRUST_REQUIRE_VLLM=1)."""
    bin_dir = vllm_venv() / "bin"
    if not (bin_dir / "python").is_file() or not (bin_dir / "vllm").is_file():
        reason = f"no vLLM environment at {vllm_venv()}; create it with scripts/setup-vllm-env (or set VLLM_VENV)"
        if os.environ.get("MULTITRUST_REQUIRE_VLLM") == "1":
            pytest.fail(f"MULTITRUST_REQUIRE_VLLM=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    return bin_dir


def vllm_environ() -> dict[str, str]:
    """The environment for vLLM subprocesses: ours, with :data:`VLLM_ENV` where not already set."""
    return {**VLLM_ENV, **os.environ, "PYTHONUNBUFFERED": "1"}


def driver_job(spec: str, requests: Sequence[Request], folder: Path, *, seed: int = 0) -> dict[str, Any]:
    """A driver job for ``requests`` on ``spec`` with :data:`ENGINE_ARGS`; images go to PNG files in ``folder``.

    PNG is lossless, so the engine sees the same pixels as an in-process backend given the same requests.
    """
    rows = []
    for request in requests:
        paths = []
        for ref in request.images:
            path = folder / f"{ref.sha256}.png"
            if not path.exists():
                ref.image.save(path)
            paths.append(str(path))
        rows.append(
            {
                "id": request.id,
                "prompt": request.prompt,
                "system": request.system,
                "images": paths,
                "max_new_tokens": request.params.max_new_tokens,
            }
        )
    return {"spec": spec, "args": ENGINE_ARGS, "seed": seed, "requests": rows}


def run_driver(jobs: Sequence[Mapping[str, Any]], workdir: Path, *, timeout: float = 600.0) -> list[dict[str, Any]]:
    """Run ``vllm_driver.py`` on ``jobs`` with the vLLM environment's Python; returns one result per job.

    Each job is ``{"spec", "args", "seed", "requests": [...]}`` (see ``vllm_driver.py``). The driver's log
    goes to ``workdir/driver.log``, whose tail is shown when the driver fails.
    """
    bin_dir = require_vllm()
    job_file, out_file, log_file = workdir / "jobs.json", workdir / "results.json", workdir / "driver.log"
    # The engine in the driver's own process: spawning an engine-core and a worker process costs ~25 s per
    # engine on 2 cores, the numbers are the same, and ``vllm serve`` keeps testing the multi-process path.
    env = {**vllm_environ(), "VLLM_ENABLE_V1_MULTIPROCESSING": "0"}
    job_file.write_text(json.dumps(list(jobs)))
    with log_file.open("wb") as log:
        code = subprocess.run(
            [str(bin_dir / "python"), str(DRIVER), str(job_file), str(out_file)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            timeout=timeout,
            check=False,
        ).returncode
    if code != 0:
        pytest.fail(f"vllm driver exited {code}; log tail:\n{tail(log_file)}", pytrace=False)
    results: list[dict[str, Any]] = json.loads(out_file.read_text())
    return results


@dataclass(frozen=True)
class VLLMServer:
    """A running ``vllm serve``: its OpenAI-compatible API root, the model name it serves, its log file."""

    base_url: str
    model: str
    log: Path


@contextmanager
def vllm_serve(
    folder: str | os.PathLike[str],
    *,
    name: str,
    log: Path,
    extra_args: Sequence[str] = (),
    startup_timeout: float = STARTUP_TIMEOUT,
) -> Iterator[VLLMServer]:
    """Start ``vllm serve <folder>`` on a free port of 127.0.0.1, wait for ``/health``, always stop it.

    Args:
        folder: the checkpoint to serve.
        name: its ``--served-model-name`` (what ``openai:<name>`` asks for).
        log: file for the server's output (its tail is shown when it fails to start).
        extra_args: further ``vllm serve`` flags; :data:`ENGINE_ARGS` are always passed.
        startup_timeout: seconds to wait for ``/health`` before failing the test.
    """
    bin_dir = require_vllm()
    port = free_port()
    command = [
        str(bin_dir / "vllm"),
        "serve",
        os.fspath(folder),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--served-model-name",
        name,
        "--dtype",
        ENGINE_ARGS["dtype"],
        "--max-model-len",
        ENGINE_ARGS["max_model_len"],
        "--max-num-seqs",
        ENGINE_ARGS["max_batch_size"],
        "--enforce-eager",
        "--seed",
        "0",
        *extra_args,
    ]
    with log.open("wb") as out:
        # Its own session: stopping the group also stops the engine-core and worker processes it spawns.
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env=vllm_environ(), start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(process, base, log, startup_timeout)
        yield VLLMServer(base_url=f"{base}/v1", model=name, log=log)
    finally:
        _stop(process)


def _wait_healthy(process: subprocess.Popen[bytes], base: str, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"vllm serve exited {process.returncode} while starting; log tail:\n{tail(log)}", pytrace=False)
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    pytest.fail(f"vllm serve did not answer /health within {timeout:.0f} s; log tail:\n{tail(log)}", pytrace=False)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the server's process group, SIGKILL after 30 s; waits so no process outlives the test."""
    for sig, wait in ((signal.SIGTERM, 30.0), (signal.SIGKILL, 10.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    # The group may outlive its leader for a moment (engine core shutting down): make sure it is gone.
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def tail(path: Path, lines: int = 40) -> str:
    """The last ``lines`` lines of a log file (empty when missing)."""
    if not path.is_file():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
