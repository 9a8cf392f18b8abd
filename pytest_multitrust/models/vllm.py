"""vLLM offline-engine backend: ``vllm:<checkpoint folder or cached hub id>``, one engine per process.

Requests go through :meth:`vllm.LLM.chat`, the same path ``vllm serve`` takes for ``/v1/chat/completions``:
the checkpoint's chat template, images (PIL, in order, before the text) as ``image_pil`` parts, vLLM's own
multimodal processor and detokeniser. So ``vllm:<folder>`` and ``openai:<name>`` against ``vllm serve <folder>``
give the same greedy answers, and the offline engine matches ``transformers`` token for token. A batch is one
``chat`` call (vLLM schedules it with continuous batching); when it fails, its requests are retried one by one
so only the culprit gets ``Response(error=...)``.

vLLM runs in its own environment (``scripts/setup-vllm-env``); ``vllm`` is imported inside functions only, so
this module loads anywhere, and ``vllm:`` in an environment without it is a configure-time error. On CPU, keep
the KV cache small (``--model-arg kv_cache_memory_bytes=1073741824`` or ``VLLM_CPU_KVCACHE_SPACE=1``): vLLM
otherwise reserves ``gpu_memory_utilization`` of the machine's RAM.

The fingerprint (part of every cache key) is the sha256 of: :data:`FINGERPRINT_SCHEMA`, the weight files, the
checkpoint's config/tokenizer/template files, the engine's dtype, the vLLM and transformers versions,
:data:`PROMPT_RENDER_SCHEMA` and ``cache_tag``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from pytest_multitrust.models.hf_checkpoint import cached_snapshot, checkpoint_digest, one_line, sha256_json
from pytest_multitrust.models.protocol import GenerationParams, ModelLoadError, Request, Response

if TYPE_CHECKING:
    from pytest_multitrust.models.registry import LoadOptions

log = logging.getLogger(__name__)

#: Bumped when what goes into :meth:`VLLMModel.fingerprint` changes meaning (2: transformers version,
#: prompt-render schema, ``cache_tag``).
FINGERPRINT_SCHEMA = 2

#: Bump whenever :func:`messages` changes what a request turns into: part of the fingerprint.
PROMPT_RENDER_SCHEMA = 1

#: What to do when ``vllm:`` is asked for where vLLM is not installed.
NO_VLLM_HINT = (
    "vllm: the vllm package is not installed in this environment; run the suite with the Python of a vLLM "
    "environment (scripts/setup-vllm-env), or start `vllm serve <checkpoint>` and use --model=openai:<name> "
    "--model-arg base_url=http://host:8000/v1"
)

#: Accepted ``dtype`` values (vLLM's names; ``auto`` turns float32 checkpoints into 16-bit ones).
DTYPES = ("auto", "float32", "bfloat16", "float16")

#: ``--model-arg`` keys and what each takes (vLLM's engine argument of the same name, but ``max_batch_size``,
#: which is vLLM's ``max_num_seqs``).
MODEL_ARGS: dict[str, str] = {
    "dtype": "one of " + ", ".join(DTYPES),
    "max_model_len": "context length in tokens, >= 1 (default: the checkpoint's)",
    "tensor_parallel_size": "GPUs to shard the model over, >= 1",
    "gpu_memory_utilization": "fraction of accelerator memory (on CPU: of RAM) vLLM may take, in (0, 1]",
    "max_batch_size": "most sequences the engine runs at once (vLLM's max_num_seqs), >= 1",
    "kv_cache_memory_bytes": "KV cache size in bytes, >= 1 (overrides gpu_memory_utilization for the cache)",
    "enforce_eager": "true/false: skip graph compilation (faster start, slower decoding)",
    "cache_tag": "any text, folded into the fingerprint: a new tag starts fresh cache entries",
}

#: Small files of a checkpoint folder that change how text becomes tokens and back (fingerprinted with weights).
_TEXT_SIDE_FILES = (
    "config.json",
    "generation_config.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "added_tokens.json",
    "chat_template.jinja",
    "chat_template.json",
    "preprocessor_config.json",
    "processor_config.json",
)
#: Generation-config values that apply to greedy and sampled decoding alike (``transformers`` applies them too).
_PENALTIES = ("repetition_penalty", "presence_penalty", "frequency_penalty")
_BOOLEANS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


@dataclass(frozen=True)
class VLLMSettings:
    """Validated engine settings from ``--model-arg`` values; ``None`` leaves vLLM's default."""

    dtype: str = "auto"
    max_model_len: int | None = None
    tensor_parallel_size: int = 1
    gpu_memory_utilization: float | None = None
    max_batch_size: int | None = None
    kv_cache_memory_bytes: int | None = None
    enforce_eager: bool = False
    cache_tag: str | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> VLLMSettings:
        """Parse ``--model-arg`` strings; raises ``ValueError`` with one line naming the bad key and value."""
        unknown = sorted(set(args) - set(MODEL_ARGS))
        if unknown:
            raise ValueError(f"unknown model-arg(s) {', '.join(unknown)} for vllm; known: {', '.join(MODEL_ARGS)}")
        dtype = args.get("dtype", "auto")
        if dtype not in DTYPES:
            raise ValueError(f"model-arg dtype must be {MODEL_ARGS['dtype']}, got {dtype!r}")
        utilization = _number(args, "gpu_memory_utilization", float)
        if utilization is not None and not 0 < utilization <= 1:
            raise ValueError(
                f"model-arg gpu_memory_utilization must be in (0, 1], got {args['gpu_memory_utilization']!r}"
            )
        eager = args.get("enforce_eager", "false").strip().lower()
        if eager not in _BOOLEANS:
            raise ValueError(f"model-arg enforce_eager must be true or false, got {args['enforce_eager']!r}")
        return cls(
            dtype=dtype,
            max_model_len=_number(args, "max_model_len", int),
            tensor_parallel_size=_number(args, "tensor_parallel_size", int) or 1,
            gpu_memory_utilization=utilization,
            max_batch_size=_number(args, "max_batch_size", int),
            kv_cache_memory_bytes=_number(args, "kv_cache_memory_bytes", int),
            enforce_eager=_BOOLEANS[eager],
            cache_tag=args.get("cache_tag", "").strip() or None,
        )

    def engine_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for :class:`vllm.LLM`, leaving out what vLLM should decide."""
        kwargs: dict[str, Any] = {
            "dtype": self.dtype,
            "tensor_parallel_size": self.tensor_parallel_size,
            "enforce_eager": self.enforce_eager,
        }
        optional = {
            "max_model_len": self.max_model_len,
            "gpu_memory_utilization": self.gpu_memory_utilization,
            "max_num_seqs": self.max_batch_size,
            "kv_cache_memory_bytes": self.kv_cache_memory_bytes,
        }
        kwargs.update({key: value for key, value in optional.items() if value is not None})
        return kwargs


def _number(args: Mapping[str, str], name: str, kind: type[int] | type[float]) -> Any:
    """``args[name]`` as a positive ``kind``, ``None`` when absent; one-line ``ValueError`` otherwise."""
    if name not in args:
        return None
    text = args[name].strip()
    try:
        value = kind(text)
    except ValueError:
        value = None
    if value is None or not value > 0 or value == float("inf"):
        what = "a whole number >= 1" if kind is int else "a number > 0"
        raise ValueError(f"model-arg {name} must be {what}, got {args[name]!r}")
    return value


class VLLMModel:
    """A checkpoint served by an in-process :class:`vllm.LLM` engine behind the :class:`Model` protocol.

    Args:
        llm: the loaded engine.
        spec: the spec string the user gave; ``vllm:<target>``.
        folder: the checkpoint folder the engine loaded (its files are fingerprinted).
        settings: the engine settings it was built with.
    """

    cacheable = True

    def __init__(self, llm: Any, *, spec: str, folder: str, settings: VLLMSettings) -> None:
        self.llm = llm
        self.spec = spec
        self.folder = folder
        self.settings = settings

    @classmethod
    def from_pretrained(cls, target: str, settings: VLLMSettings | None = None, *, seed: int = 0) -> VLLMModel:
        """Start an engine on a local checkpoint folder (or a hub id already in the local cache).

        Args:
            target: checkpoint folder or cached hub id; nothing is downloaded.
            settings: engine settings; default: vLLM's defaults.
            seed: the engine's seed (only sampled decoding depends on it).

        Raises:
            ValueError: ``target`` is neither a folder nor in the local Hugging Face cache.
            ModelLoadError: vLLM is not installed here (one line).
        """
        try:
            from vllm import LLM
        except ImportError as exc:
            raise ModelLoadError(f"{NO_VLLM_HINT} ({one_line(exc)})") from None

        settings = settings or VLLMSettings()
        path = os.path.expanduser(target)
        folder = path if os.path.isdir(path) else cached_snapshot(target)
        if folder is None:
            raise ValueError(f"vllm: {target!r} is neither a checkpoint folder nor in the local Hugging Face cache")
        llm = LLM(folder, seed=seed, **settings.engine_kwargs())
        return cls(llm, spec=f"vllm:{target}", folder=folder, settings=settings)

    @property
    def dtype(self) -> str:
        """The dtype the engine runs in, after vLLM resolved ``auto``."""
        return str(self.llm.llm_engine.model_config.dtype).removeprefix("torch.")

    @cached_property
    def vllm_version(self) -> str:
        import vllm

        return str(vllm.__version__)

    @cached_property
    def transformers_version(self) -> str:
        import transformers

        return str(transformers.__version__)

    @cached_property
    def _fingerprint(self) -> str:
        return sha256_json(
            {
                "schema": FINGERPRINT_SCHEMA,
                "backend": "vllm",
                "weights": checkpoint_digest(self.folder),
                "text_side": _text_side_digest(self.folder),
                "dtype": self.dtype,
                "vllm": self.vllm_version,
                "transformers": self.transformers_version,
                "prompt_render_schema": PROMPT_RENDER_SCHEMA,
                "cache_tag": self.settings.cache_tag,
            }
        )

    def fingerprint(self) -> str:
        """sha256 over weights, config/tokenizer/template files, the engine's dtype, the vLLM and transformers
        versions, :data:`PROMPT_RENDER_SCHEMA` and ``cache_tag``.

        Context length, batch size and parallelism are left out: they decide which requests fit, not what a
        request that fits is answered.
        """
        return self._fingerprint

    def describe(self) -> dict[str, Any]:
        return {
            "backend": "vllm",
            "target": self.spec.partition(":")[2],
            "fingerprint": self.fingerprint(),
            "vllm_version": self.vllm_version,
            "transformers_version": self.transformers_version,
            "prompt_render_schema": PROMPT_RENDER_SCHEMA,
            "cache_tag": self.settings.cache_tag,
            "dtype": self.dtype,
            "max_model_len": self.llm.llm_engine.model_config.max_model_len,
            "checkpoint_defaults": self.checkpoint_defaults,
            "settings": asdict(self.settings),
        }

    @cached_property
    def checkpoint_defaults(self) -> dict[str, Any]:
        """The checkpoint's generation-config sampling values, as vLLM reads them (``vllm serve`` applies them)."""
        defaults: dict[str, Any] = self.llm.llm_engine.model_config.get_diff_sampling_param()
        return defaults

    def close(self) -> None:
        """Stop the engine's processes and free its memory (the engine also stops when the process exits)."""
        self.llm.llm_engine.engine_core.shutdown()

    def generate(self, requests: Sequence[Request]) -> list[Response]:
        """Answer every request, in order, in one engine call; never raise for one bad request."""
        if not requests:
            return []
        try:
            return self._chat(requests)
        except Exception as exc:  # the retries below decide who gets the error
            if len(requests) == 1:
                return [_error(requests[0], exc)]
            log.warning("vllm batch of %d failed (%s); retrying one by one", len(requests), one_line(exc))
        return [self.generate([request])[0] for request in requests]

    def _chat(self, requests: Sequence[Request]) -> list[Response]:
        conversations = [messages(request) for request in requests]
        sampling = [sampling_params(request.params, self.checkpoint_defaults) for request in requests]
        outputs = self.llm.chat(conversations, sampling, use_tqdm=False)
        return [Response(text=output.outputs[0].text.strip()) for output in outputs]


def messages(request: Request) -> list[dict[str, Any]]:
    """The chat for one request: optional system message, then images (in order) and text in one user turn."""
    content: list[dict[str, Any]] = [{"type": "image_pil", "image_pil": ref.image} for ref in request.images]
    content.append({"type": "text", "text": request.prompt})
    chat: list[dict[str, Any]] = [{"role": "user", "content": content}]
    if request.system:
        chat.insert(0, {"role": "system", "content": [{"type": "text", "text": request.system}]})
    return chat


def sampling_params(params: GenerationParams, checkpoint_defaults: Mapping[str, Any] | None = None) -> Any:
    """vLLM sampling settings for one request.

    Args:
        params: the request's decoding settings: greedy (temperature 0) unless it samples; ``max_tokens`` as asked.
        checkpoint_defaults: the checkpoint's generation-config values (vLLM's names). Penalties apply, as
            ``transformers.generate`` and ``vllm serve`` apply them; the draw itself is shaped by the request's
            temperature and top_p only, as in the ``hf`` backend.
    """
    from vllm import SamplingParams

    settings = {key: value for key, value in (checkpoint_defaults or {}).items() if key in _PENALTIES}
    settings["max_tokens"] = params.max_new_tokens
    if params.do_sample and params.temperature > 0:
        settings.update(temperature=params.temperature, top_p=params.top_p, top_k=0, min_p=0.0)
    else:
        settings["temperature"] = 0.0
    return SamplingParams(**settings)


def _text_side_digest(folder: str) -> str:
    digests: dict[str, str] = {}
    for name in _TEXT_SIDE_FILES:
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            with open(path, "rb") as handle:
                digests[name] = hashlib.file_digest(handle, "sha256").hexdigest()
    return sha256_json(digests)


def _error(request: Request, exc: BaseException) -> Response:
    return Response(text="", error=f"vllm: request {request.id}: generation failed: {one_line(exc)}")


def validate_args(args: Mapping[str, str]) -> None:
    """Check ``--model-arg`` keys and values, then that vLLM is installed, at configure time (no import)."""
    VLLMSettings.from_args(args)
    if importlib.util.find_spec("vllm") is None:
        raise ValueError(NO_VLLM_HINT)


def load(target: str, options: LoadOptions) -> VLLMModel:
    """Registry entry point for ``vllm:<folder or cached hub id>``."""
    return VLLMModel.from_pretrained(target, VLLMSettings.from_args(options.args), seed=options.seed)
