"""Hugging Face ``transformers`` backend: any local image-text-to-text checkpoint, batched greedy generation.

Prompts are built with the processor's own chat template (images first, then the text, as MultiTrust's
single-turn queries; family quirks in :mod:`~pytest_multitrust.models.hf_prompts`), batched with left padding,
and only the new tokens are decoded. One bad request never costs the batch: a failed batch is retried split by
image count (for families that cannot mix them), then request by request, so only the culprit gets
``Response(error=...)``. ``--model-arg`` values are parsed by :mod:`~pytest_multitrust.models.hf_args`.

torch and transformers are imported inside functions only: choosing another backend, or just loading the
plugin, must not pay their import time.

The fingerprint (part of every cache key) is the sha256 of: :data:`FINGERPRINT_SCHEMA`, the weights (digest of
the checkpoint's weight files, or of the ``state_dict``), the config (less where it came from), the processor
(chat template, image processor and tokenizer settings), dtype, attention kernel, the transformers version,
:data:`~pytest_multitrust.models.hf_prompts.PROMPT_RENDER_SCHEMA`, ``identity`` (the tiny name and seed) and
``cache_tag``. Device and torch version are left out: they change float rounding only, and one cache shared
between a GPU run and a CPU rerun is worth more.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from pytest_multitrust.models import hf_prompts
from pytest_multitrust.models.hf_args import (
    DEVICE_MAP_STRATEGIES,
    DTYPES,
    check_cuda_build,
    check_cuda_device,
    parse_model_args,
)
from pytest_multitrust.models.hf_checkpoint import (
    cached_snapshot,
    checkpoint_digest,
    load_processor,
    max_context,
    one_line,
    processor_state,
    read_training_manifest,
    sha256_json,
    state_dict_digest,
)
from pytest_multitrust.models.hf_prompts import quirks_of, render_prompt, starts_with_bos
from pytest_multitrust.models.protocol import GenerationParams, ModelLoadError, Request, Response

if TYPE_CHECKING:
    from PIL import Image as PILImage

    from pytest_multitrust.models.registry import LoadOptions

log = logging.getLogger(__name__)

#: Bumped when what goes into :meth:`HFModel.fingerprint` changes meaning (2: the attention implementation;
#: 3: the transformers version, the prompt-render schema and ``cache_tag``).
FINGERPRINT_SCHEMA = 3

#: Largest batch per ``generate`` call unless ``--model-arg max_batch_size`` says otherwise.
DEFAULT_MAX_BATCH_SIZE = 8

#: Config keys that say where a model came from, not what it computes.
_VOLATILE_CONFIG_KEYS = ("_name_or_path", "transformers_version", "_commit_hash", "name_or_path")


@dataclass(frozen=True)
class _Prepared:
    """A request turned into chat-template text and PIL images, with its position in the caller's list."""

    index: int
    request: Request
    text: str
    images: tuple[PILImage.Image, ...]


class HFModel:
    """A ``transformers`` vision-language model and its processor behind the :class:`Model` protocol.

    Args:
        model: a loaded ``PreTrainedModel`` with ``generate`` (e.g. ``LlavaForConditionalGeneration``).
        processor: its multimodal processor (tokenizer, image processor, chat template).
        spec: the spec string the user gave; ``<backend>:<target>``.
        max_batch_size: most requests per ``generate`` call.
        identity: extra JSON-able facts that identify the model (e.g. the tiny name and seed); fingerprinted.
        weights_digest: sha256 of the weights when already known (hashed checkpoint files); else the
            ``state_dict`` tensors are hashed on first use.
        cache_tag: any text folded into the fingerprint (``--model-arg cache_tag=...``): a new tag starts
            fresh cache entries.
    """

    cacheable = True

    def __init__(
        self,
        model: Any,
        processor: Any,
        *,
        spec: str | None = None,
        max_batch_size: int = DEFAULT_MAX_BATCH_SIZE,
        identity: dict[str, Any] | None = None,
        weights_digest: str | None = None,
        cache_tag: str | None = None,
    ) -> None:
        if max_batch_size < 1:
            raise ValueError(f"max_batch_size must be >= 1, got {max_batch_size}")
        self.model = model
        self.processor = processor
        self.spec = spec or f"hf:{getattr(model, 'name_or_path', '') or '<memory>'}"
        self.max_batch_size = max_batch_size
        self.identity = dict(identity or {})
        self._weights_digest = weights_digest
        self.cache_tag = cache_tag or None
        self.model_type: str = model.config.model_type
        self.quirks = quirks_of(self.model_type)
        # Decoder-only batching needs the prompts flush right, next to the tokens generation appends.
        self.tokenizer.padding_side = "left"

    @classmethod
    def from_pretrained(
        cls,
        path: str | os.PathLike[str],
        *,
        dtype: str | None = None,
        device: str | None = None,
        device_map: str | None = None,
        attn_implementation: str | None = None,
        max_batch_size: int = DEFAULT_MAX_BATCH_SIZE,
        trust_remote_code: bool = False,
        cache_tag: str | None = None,
    ) -> HFModel:
        """Load a local checkpoint (folder or already-cached hub id) with ``AutoModelForImageTextToText``.

        Args:
            path: checkpoint folder; nothing is downloaded (``local_files_only``).
            dtype: ``"float32"``, ``"bfloat16"``, ``"float16"`` or ``"auto"`` (the checkpoint's); default: the
                ``transformers`` default.
            device: ``"cpu"``, ``"cuda"``, ``"cuda:1"``..., or ``"auto"`` to spread over all GPUs; default: CUDA
                when available, else CPU.
            device_map: ``"auto"``, ``"balanced"``, ``"balanced_low_0"`` or ``"sequential"`` spread the model over
                the GPUs (they need the accelerate package); a single device is the same as ``device``.
            attn_implementation: ``"eager"``, ``"sdpa"`` or ``"flash_attention_2"``; default: transformers'.
            max_batch_size: most requests per ``generate`` call.
            trust_remote_code: allow the checkpoint's own modelling code.
            cache_tag: folded into the fingerprint.

        Raises:
            ModelLoadError: a CUDA device that is not there, or a checkpoint transformers cannot read (one line).
        """
        import torch
        from transformers import AutoModelForImageTextToText

        if dtype is not None and dtype not in DTYPES:
            raise ValueError(f"dtype must be one of {', '.join(DTYPES)}, got {dtype!r}")
        if device is not None and device_map is not None:
            raise ValueError("give device or device_map, not both")
        target = os.fspath(path)
        kwargs: dict[str, Any] = {"local_files_only": True}
        if trust_remote_code:
            kwargs["trust_remote_code"] = True
        if dtype is not None:
            kwargs["dtype"] = dtype if dtype == "auto" else getattr(torch, dtype)
        if attn_implementation is not None:
            kwargs["attn_implementation"] = attn_implementation
        check_cuda_device("hf", "device", device)
        if device == "auto":
            device_map = "auto"
        elif device_map is not None and device_map not in DEVICE_MAP_STRATEGIES:
            # A single device: the same as moving the model there, and it needs no accelerate package.
            check_cuda_device("hf", "device_map", device_map)
            device, device_map = device_map, None
        if device_map is not None:
            kwargs["device_map"] = device_map
        try:
            model: Any = AutoModelForImageTextToText.from_pretrained(target, **kwargs)
        except (ValueError, KeyError) as exc:  # an unknown model_type, a config this transformers cannot read
            raise ModelLoadError(f"hf: cannot load {target!r}: {one_line(exc)}") from None
        if device_map is None:
            model = model.to(device or ("cuda" if torch.cuda.is_available() else "cpu"))
        model.eval()
        processor = load_processor(target, model_type=model.config.model_type, trust_remote_code=trust_remote_code)
        folder = target if os.path.isdir(target) else cached_snapshot(target)
        digest = checkpoint_digest(folder) if folder is not None else None
        return cls(
            model,
            processor,
            spec=f"hf:{target}",
            max_batch_size=max_batch_size,
            weights_digest=digest,
            cache_tag=cache_tag,
        )

    @property
    def tokenizer(self) -> Any:
        return getattr(self.processor, "tokenizer", self.processor)

    @property
    def dtype(self) -> str:
        return str(self.model.dtype).removeprefix("torch.")

    @property
    def device(self) -> str:
        return str(self.model.device)

    @property
    def attn_implementation(self) -> str | None:
        """The attention kernel transformers chose or was told to use (``sdpa``, ``eager``...)."""
        value = getattr(self.model.config, "_attn_implementation", None)
        return str(value) if value is not None else None

    @cached_property
    def processor_fingerprint(self) -> str:
        """sha256 of what turns a request into token ids: chat template, processor and tokenizer settings."""
        return sha256_json(processor_state(self.processor))

    @property
    def transformers_version(self) -> str:
        import transformers

        return str(transformers.__version__)

    @cached_property
    def _fingerprint(self) -> str:
        config = {k: v for k, v in self.model.config.to_dict().items() if k not in _VOLATILE_CONFIG_KEYS}
        return sha256_json(
            {
                "schema": FINGERPRINT_SCHEMA,
                "backend": "hf",
                "weights": self._weights_digest or state_dict_digest(self.model),
                "config": config,
                "processor": self.processor_fingerprint,
                "dtype": self.dtype,
                "attn_implementation": self.attn_implementation,
                "transformers": self.transformers_version,
                # Looked up on the module, not imported by name: a bump (or a test's monkeypatch) is seen.
                "prompt_render_schema": hf_prompts.PROMPT_RENDER_SCHEMA,
                "identity": self.identity,
                "cache_tag": self.cache_tag,
            }
        )

    def fingerprint(self) -> str:
        """sha256 over weights, config, processor, dtype, attention kernel, transformers version, prompt-render
        schema, ``identity`` and ``cache_tag`` (the module docstring says what is left out, and why)."""
        return self._fingerprint

    def describe(self) -> dict[str, Any]:
        backend, _, target = self.spec.partition(":")
        described = {
            "backend": backend,
            "target": target,
            "fingerprint": self.fingerprint(),
            "processor_fingerprint": self.processor_fingerprint,
            "model_type": self.model.config.model_type,
            "parameters": sum(p.numel() for p in self.model.parameters()),
            "dtype": self.dtype,
            "attn_implementation": self.attn_implementation,
            "device": self.device,
            "max_batch_size": self.max_batch_size,
            "identity": self.identity,
            "transformers_version": self.transformers_version,
            "prompt_render_schema": hf_prompts.PROMPT_RENDER_SCHEMA,
            "cache_tag": self.cache_tag,
        }
        # A checkpoint trained by `resa train` carries its training manifest into scores.json (not the
        # fingerprint: the weights already identify the checkpoint).
        folder = getattr(self.model, "name_or_path", "") or ""
        training = read_training_manifest(folder) if folder and os.path.isdir(folder) else None
        if training is not None:
            described["training_manifest"] = training
        return described

    def generate(self, requests: Sequence[Request]) -> list[Response]:
        """Answer every request, in order; batches share their generation params, never raise per request."""
        responses: list[Response | None] = [None] * len(requests)
        groups: dict[tuple[GenerationParams, bool], list[_Prepared]] = {}
        for index, request in enumerate(requests):
            try:
                prepared = self._prepare(index, request)
            except Exception as exc:  # one malformed request must not sink the others
                responses[index] = _error(request, "could not build the prompt", exc)
                continue
            apart = self.quirks.text_only_batches_apart and bool(request.images)
            groups.setdefault((request.params, apart), []).append(prepared)
        for (params, _), group in groups.items():
            for start in range(0, len(group), self.max_batch_size):
                batch = group[start : start + self.max_batch_size]
                for item, response in zip(batch, self._answer(batch, params), strict=True):
                    responses[item.index] = response
        assert all(r is not None for r in responses)
        return responses  # type: ignore[return-value]

    def prompt_text(self, request: Request) -> str:
        """The exact text (chat template applied, before image expansion) this model is given for ``request``."""
        return render_prompt(self.processor, request, self.model_type)

    def _prepare(self, index: int, request: Request) -> _Prepared:
        return _Prepared(index, request, self.prompt_text(request), tuple(ref.image for ref in request.images))

    def _answer(self, batch: list[_Prepared], params: GenerationParams) -> list[Response]:
        """Run a batch; when it fails, retry by image count, then one by one, to isolate the bad request."""
        try:
            return self._run(batch, params)
        except Exception as exc:  # the retries below decide who gets the error
            if len(batch) == 1:
                return [_error(batch[0].request, "generation failed", exc)]
            log.warning("hf batch of %d failed (%s); retrying in smaller batches", len(batch), one_line(exc))
        counts = sorted({len(item.images) for item in batch})
        if len(counts) > 1:
            groups = [[item for item in batch if len(item.images) == count] for count in counts]
        else:
            groups = [[item] for item in batch]
        answers = {
            item.index: response
            for group in groups
            for item, response in zip(group, self._answer(group, params), strict=True)
        }
        return [answers[item.index] for item in batch]

    def _run(self, batch: list[_Prepared], params: GenerationParams) -> list[Response]:
        """One padded ``generate`` call; requests whose prompt does not fit the context are answered with errors."""
        import torch

        inputs = self._encode(batch)
        context = max_context(self.model.config)
        if context is not None:
            lengths = inputs["attention_mask"].sum(dim=1).tolist()
            too_long = {i for i, n in enumerate(lengths) if n + params.max_new_tokens > context}
            if too_long:
                fits = [item for i, item in enumerate(batch) if i not in too_long]
                answers = {item.index: r for item, r in zip(fits, self._run(fits, params) if fits else [], strict=True)}
                for i in too_long:
                    answers[batch[i].index] = _error(
                        batch[i].request,
                        "prompt too long",
                        f"{lengths[i]} prompt tokens + max_new_tokens={params.max_new_tokens} "
                        f"exceed the model's context of {context}",
                    )
                return [answers[item.index] for item in batch]
        with torch.inference_mode():
            output = self.model.generate(**inputs, **self._generate_kwargs(params))
        new_tokens = output[:, inputs["input_ids"].shape[1] :]
        texts = self.tokenizer.batch_decode(new_tokens, skip_special_tokens=True)
        return [Response(text=text.strip()) for text in texts]

    def encode(self, requests: Sequence[Request]) -> Any:
        """The padded model inputs (token ids, masks, pixel values...) for one batch of ``requests``.

        This is what :meth:`generate` feeds the model; it raises where the processor refuses the batch.
        """
        return self._encode([self._prepare(index, request) for index, request in enumerate(requests)])

    def _encode(self, batch: list[_Prepared]) -> Any:
        texts = [item.text for item in batch]
        # One list of images per prompt: every processor accepts that layout, and it is the only one some
        # (Mllama, Gemma 3) read unambiguously when prompts have different image counts.
        images = [list(item.images) for item in batch] if any(item.images for item in batch) else None
        extra = {"add_special_tokens": False} if starts_with_bos(self.processor, texts) else {}
        inputs = self.processor(text=texts, images=images, return_tensors="pt", padding=True, **extra)
        # Floating tensors (pixel values) follow the weights' dtype; ids and masks only move.
        return inputs.to(self.model.device).to(self.model.dtype)

    def _generate_kwargs(self, params: GenerationParams) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"max_new_tokens": params.max_new_tokens, "pad_token_id": self._pad_token_id}
        if params.do_sample and params.temperature > 0:
            # top_k=0 switches top-k off: only temperature and top_p shape the draw, whatever the checkpoint says.
            kwargs.update(do_sample=True, temperature=params.temperature, top_p=params.top_p, top_k=0)
        else:
            # temperature 0 means greedy, as in OpenAI-style APIs; the checkpoint's own sampling defaults
            # (Qwen ships top_k/top_p/temperature) must not leak into greedy runs.
            kwargs.update(do_sample=False, temperature=None, top_p=None, top_k=None)
        return kwargs

    @cached_property
    def _pad_token_id(self) -> int:
        pad = self.tokenizer.pad_token_id
        if pad is None:
            pad = self.model.generation_config.pad_token_id
        if pad is None:
            eos = self.model.generation_config.eos_token_id
            pad = eos[0] if isinstance(eos, list) else eos
        if pad is None:
            raise ValueError(f"{self.spec}: tokenizer and generation config define neither a pad nor an eos token")
        return int(pad)


def validate_args(args: Mapping[str, str]) -> None:
    """Check ``--model-arg`` pairs at configure time (the registry calls this before any model loads).

    Raises:
        ValueError: one line naming the unknown key or the bad value and what is accepted, or CUDA asked of a
            CPU-only torch.
    """
    check_cuda_build("hf", parse_model_args(args, backend="hf"))


def load(target: str, options: LoadOptions) -> HFModel:
    """Registry entry point for ``hf:<folder or cached hub id>``; ``--model-arg`` pairs set the loading knobs.

    Raises:
        ValueError: an unknown ``--model-arg`` key or a bad value (one line naming it and what is accepted).
    """
    args = parse_model_args(options.args, backend="hf")
    return HFModel.from_pretrained(
        target,
        dtype=args.dtype,
        device=args.device,
        device_map=args.device_map,
        attn_implementation=args.attn_implementation,
        max_batch_size=args.max_batch_size or DEFAULT_MAX_BATCH_SIZE,
        trust_remote_code=args.trust_remote_code,
        cache_tag=args.cache_tag,
    )


def _error(request: Request, what: str, exc: BaseException | str) -> Response:
    return Response(text="", error=f"hf: request {request.id}: {what}: {one_line(exc)}")
