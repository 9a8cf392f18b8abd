"""Hugging Face ``transformers`` backend: any local image-text-to-text checkpoint, batched greedy generation.

Prompts are built with the processor's own chat template (images first, then the text, as MultiTrust's
single-turn queries), batched with left padding, and only the new tokens are decoded. One bad request never
costs the batch: a failed batch is retried split by image count (for families that cannot mix them), then
request by request, so only the culprit gets ``Response(error=...)``.

torch and transformers are imported inside functions only: choosing another backend, or just loading the
plugin, must not pay their import time.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from pytest_multitrust.models.hf_checkpoint import (
    cached_snapshot,
    checkpoint_digest,
    load_processor,
    max_context,
    one_line,
    processor_state,
    sha256_json,
    state_dict_digest,
)
from pytest_multitrust.models.protocol import GenerationParams, Request, Response

if TYPE_CHECKING:
    from PIL import Image as PILImage

    from pytest_multitrust.models.registry import LoadOptions

log = logging.getLogger(__name__)

#: Bumped when what goes into :meth:`HFModel.fingerprint` changes meaning.
FINGERPRINT_SCHEMA = 1

#: Accepted ``dtype`` names for :meth:`HFModel.from_pretrained`.
DTYPES = ("auto", "float32", "bfloat16", "float16")

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
    """

    cacheable = True

    def __init__(
        self,
        model: Any,
        processor: Any,
        *,
        spec: str | None = None,
        max_batch_size: int = 8,
        identity: dict[str, Any] | None = None,
        weights_digest: str | None = None,
    ) -> None:
        if max_batch_size < 1:
            raise ValueError(f"max_batch_size must be >= 1, got {max_batch_size}")
        self.model = model
        self.processor = processor
        self.spec = spec or f"hf:{getattr(model, 'name_or_path', '') or '<memory>'}"
        self.max_batch_size = max_batch_size
        self.identity = dict(identity or {})
        self._weights_digest = weights_digest
        # Decoder-only batching needs the prompts flush right, next to the tokens generation appends.
        self.tokenizer.padding_side = "left"

    @classmethod
    def from_pretrained(
        cls,
        path: str | os.PathLike[str],
        *,
        dtype: str | None = None,
        device: str | None = None,
        max_batch_size: int = 8,
        trust_remote_code: bool = False,
    ) -> HFModel:
        """Load a local checkpoint (folder or already-cached hub id) with ``AutoModelForImageTextToText``.

        Args:
            path: checkpoint folder; nothing is downloaded (``local_files_only``).
            dtype: ``"float32"``, ``"bfloat16"``, ``"float16"`` or ``"auto"`` (the checkpoint's); default: the
                ``transformers`` default.
            device: ``"cpu"``, ``"cuda"``, ``"cuda:1"``..., or ``"auto"`` to spread over all GPUs; default: CUDA
                when available, else CPU.
            max_batch_size: most requests per ``generate`` call.
            trust_remote_code: allow the checkpoint's own modelling code.
        """
        import torch
        from transformers import AutoModelForImageTextToText

        if dtype is not None and dtype not in DTYPES:
            raise ValueError(f"dtype must be one of {', '.join(DTYPES)}, got {dtype!r}")
        target = os.fspath(path)
        device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        kwargs: dict[str, Any] = {"local_files_only": True, "trust_remote_code": trust_remote_code}
        if dtype is not None:
            kwargs["dtype"] = dtype if dtype == "auto" else getattr(torch, dtype)
        if device == "auto":
            kwargs["device_map"] = "auto"
        model: Any = AutoModelForImageTextToText.from_pretrained(target, **kwargs)
        if device != "auto":
            model = model.to(device)
        model.eval()
        processor = load_processor(target, model_type=model.config.model_type, trust_remote_code=trust_remote_code)
        folder = target if os.path.isdir(target) else cached_snapshot(target)
        digest = checkpoint_digest(folder) if folder is not None else None
        return cls(model, processor, spec=f"hf:{target}", max_batch_size=max_batch_size, weights_digest=digest)

    @property
    def tokenizer(self) -> Any:
        return getattr(self.processor, "tokenizer", self.processor)

    @property
    def dtype(self) -> str:
        return str(self.model.dtype).removeprefix("torch.")

    @property
    def device(self) -> str:
        return str(self.model.device)

    @cached_property
    def processor_fingerprint(self) -> str:
        """sha256 of what turns a request into token ids: chat template, processor and tokenizer settings."""
        return sha256_json(processor_state(self.processor))

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
                "identity": self.identity,
            }
        )

    def fingerprint(self) -> str:
        """sha256 over weights, model config, processor (template + settings), dtype and ``identity``.

        The device is left out on purpose: it can change float rounding, but a cache shared between a GPU run
        and a CPU rerun of the same weights is worth more than that.
        """
        return self._fingerprint

    def describe(self) -> dict[str, Any]:
        backend, _, target = self.spec.partition(":")
        return {
            "backend": backend,
            "target": target,
            "fingerprint": self.fingerprint(),
            "processor_fingerprint": self.processor_fingerprint,
            "model_type": self.model.config.model_type,
            "parameters": sum(p.numel() for p in self.model.parameters()),
            "dtype": self.dtype,
            "device": self.device,
            "max_batch_size": self.max_batch_size,
            "identity": self.identity,
        }

    def generate(self, requests: Sequence[Request]) -> list[Response]:
        """Answer every request, in order; batches share their generation params, never raise per request."""
        responses: list[Response | None] = [None] * len(requests)
        by_params: dict[GenerationParams, list[_Prepared]] = {}
        for index, request in enumerate(requests):
            try:
                prepared = self._prepare(index, request)
            except Exception as exc:  # one malformed request must not sink the others
                responses[index] = _error(request, "could not build the prompt", exc)
                continue
            by_params.setdefault(request.params, []).append(prepared)
        for params, group in by_params.items():
            for start in range(0, len(group), self.max_batch_size):
                batch = group[start : start + self.max_batch_size]
                for item, response in zip(batch, self._answer(batch, params), strict=True):
                    responses[item.index] = response
        assert all(r is not None for r in responses)
        return responses  # type: ignore[return-value]

    def _prepare(self, index: int, request: Request) -> _Prepared:
        content: list[dict[str, str]] = [{"type": "image"} for _ in request.images]
        content.append({"type": "text", "text": request.prompt})
        messages: list[dict[str, Any]] = [{"role": "user", "content": content}]
        if request.system:
            messages.insert(0, {"role": "system", "content": [{"type": "text", "text": request.system}]})
        text = self.processor.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
        return _Prepared(index, request, text, tuple(ref.image for ref in request.images))

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

    def _encode(self, batch: list[_Prepared]) -> Any:
        images = [image for item in batch for image in item.images]
        inputs = self.processor(
            text=[item.text for item in batch], images=images or None, return_tensors="pt", padding=True
        )
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


def load(target: str, options: LoadOptions) -> HFModel:
    """Registry entry point for ``hf:<folder or cached hub id>``."""
    return HFModel.from_pretrained(
        target,
        dtype=getattr(options, "dtype", None),
        device=getattr(options, "device", None),
        max_batch_size=getattr(options, "max_batch_size", 8),
    )


def _error(request: Request, what: str, exc: BaseException | str) -> Response:
    return Response(text="", error=f"hf: request {request.id}: {what}: {one_line(exc)}")
