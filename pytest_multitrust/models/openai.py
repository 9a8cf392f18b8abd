"""The ``openai`` backend: any OpenAI-compatible chat-completions server (OpenAI, ``vllm serve``, proxies).

One request is one chat: an optional system message, then one user message whose content is the images as
base64 data URLs, in order, followed by the text (the official toolkit's layout); text-only requests send plain
string content. Greedy decoding is ``temperature: 0``, as the official toolkit maps ``do_sample=False``.

A batch runs with bounded concurrency on a thread pool (stdlib ``urllib``: no extra dependency). Each request
is retried with exponential backoff and seeded jitter on 429 (honouring ``Retry-After``), 408, 5xx, timeouts
and connection errors; any other 4xx answers at once with a one-line error. ``generate`` never raises.

A 200 answer without text (``content: null``, as a content filter leaves it, or ``message: null``) is an error
naming the ``finish_reason``, never an empty answer to score.

The API key is read from an environment variable whose *name* is given (``api_key_env``), never from the
command line, and never appears in errors, logs, :meth:`OpenAIModel.describe` or the fingerprint: error texts
go through :func:`~pytest_multitrust.models.openai_replies.error_line` (key pieces redacted, then cut).

The fingerprint (part of every cache key) is the sha256 of: :data:`FINGERPRINT_SCHEMA`,
:data:`PROMPT_RENDER_SCHEMA`, the server (host, port, path), the served model name, the server's own
``/v1/models`` entry for it (:data:`SERVER_MODEL_FIELDS`: vLLM's ``root`` is the checkpoint it serves), the
image encoding (``max_image_side``, ``image_format``, JPEG quality) and ``cache_tag``; never the key.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import io
import json
import logging
import math
import os
import random
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.message import Message
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, cast, get_args

from pytest_multitrust.models import openai_replies as replies
from pytest_multitrust.models.protocol import Request, Response

if TYPE_CHECKING:
    from pytest_multitrust.data.images import ImageRef
    from pytest_multitrust.models.registry import LoadOptions

log = logging.getLogger(__name__)

ImageFormat = Literal["png", "jpeg"]
IMAGE_FORMATS: tuple[str, ...] = get_args(ImageFormat)

DEFAULT_BASE_URL = "https://api.openai.com/v1"
DEFAULT_KEY_ENV = "OPENAI_API_KEY"
#: Bumped when what goes into :meth:`OpenAIModel.fingerprint` changes meaning (2: server model entry, cache_tag).
FINGERPRINT_SCHEMA = 2
#: Bump when :meth:`OpenAIModel._payload` or :meth:`OpenAIModel._data_url` change what the server is sent.
PROMPT_RENDER_SCHEMA = 1
#: Fields of the server's ``/v1/models`` entry that identify what answers: vLLM (and SGLang, LMDeploy) report
#: the checkpoint as ``root`` and the context as ``max_model_len``; llama.cpp puts sizes under ``meta``.
#: ``created`` is left out on purpose: those servers stamp it with the time of the listing, so it would change
#: the fingerprint, and miss the cache, on every run.
SERVER_MODEL_FIELDS = ("root", "parent", "max_model_len", "owned_by", "meta")
#: JPEG quality when ``image_format=jpeg`` (fingerprinted: it changes what the model sees).
JPEG_QUALITY = 90
#: Besides 429 and 5xx, the statuses worth another try: 408 is the server's own request timeout.
RETRY_STATUSES = frozenset({408, 429})
USER_AGENT = "pytest-multitrust (openai backend)"

#: ``--model-arg`` keys and their defaults (``base_url`` falls back to ``OPENAI_BASE_URL``, then the default).
MODEL_ARGS: dict[str, str] = {
    "base_url": DEFAULT_BASE_URL,
    "api_key_env": DEFAULT_KEY_ENV,
    "concurrency": "8",
    "max_image_side": "1024",
    "image_format": "png",
    "max_retries": "5",
    "timeout": "120",
    "backoff": "1.0",
    "max_backoff": "60",
    "cache_tag": "",
}


@dataclass(frozen=True)
class _Outcome:
    """One HTTP attempt: a final response, or the reason to try again (and the server's wish for when)."""

    response: Response | None = None
    reason: str = ""
    retry_after: float | None = None


class OpenAIModel:
    """A model behind an OpenAI-compatible ``/chat/completions`` endpoint.

    Args:
        model: the model name the server knows (``gpt-4o``, the ``--served-model-name`` of ``vllm serve``).
        base_url: the API root, e.g. ``https://api.openai.com/v1`` or ``http://127.0.0.1:8000/v1``.
        api_key: sent as ``Authorization: Bearer``; ``None`` sends no header (local servers).
        seed: sent as the ``seed`` parameter; also seeds the retry jitter.
        concurrency: most requests of one batch in flight at once.
        max_image_side: images are shrunk (aspect kept) so the longer side is at most this; 0: never.
        image_format: ``png`` (lossless) or ``jpeg`` (what the official toolkit sent GPT-4V, at 400 px).
        max_retries: further attempts after the first, for transient failures.
        timeout: seconds to wait for the connection and for each read.
        backoff: delay before the first retry, doubled for each further one (times a jitter in [0.5, 1]).
        max_backoff: cap on any delay, ``Retry-After`` included.
        cache_tag: any text, folded into the fingerprint: a new tag starts a fresh set of cache entries (e.g.
            when the server swaps checkpoints under the same name and does not report it in ``/v1/models``).
        sleep: how to wait between attempts (tests pass a recorder).
    """

    cacheable = True

    def __init__(
        self,
        model: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        api_key: str | None = None,
        seed: int = 0,
        concurrency: int = 8,
        max_image_side: int = 1024,
        image_format: ImageFormat = "png",
        max_retries: int = 5,
        timeout: float = 120.0,
        backoff: float = 1.0,
        max_backoff: float = 60.0,
        cache_tag: str = "",
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        parsed = urllib.parse.urlsplit(base_url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ValueError(f"base_url must be an http(s) URL like {DEFAULT_BASE_URL}, got {base_url!r}")
        if parsed.username is not None or parsed.password is not None:
            raise ValueError("base_url must not hold credentials; put the key in an environment variable (api_key_env)")
        if image_format not in IMAGE_FORMATS:
            raise ValueError(f"image_format must be one of {', '.join(IMAGE_FORMATS)}, got {image_format!r}")
        for name, value, least in (("concurrency", concurrency, 1), ("max_image_side", max_image_side, 0)):
            if value < least:
                raise ValueError(f"{name} must be >= {least}, got {value}")
        for name, number in (("max_retries", max_retries), ("backoff", backoff), ("max_backoff", max_backoff)):
            if number < 0:
                raise ValueError(f"{name} must be >= 0, got {number}")
        if not timeout > 0:
            raise ValueError(f"timeout must be > 0 seconds, got {timeout}")
        self.model = model
        self.spec = f"openai:{model}"
        self.base_url = base_url.rstrip("/")
        self.seed = seed
        self.concurrency = concurrency
        self.max_image_side = max_image_side
        self.image_format: ImageFormat = image_format
        self.max_retries = max_retries
        self.timeout = timeout
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.cache_tag = cache_tag
        self._api_key = replies.Secret(api_key) if api_key else None
        self._sleep = sleep
        self._endpoint = f"{self.base_url}/chat/completions"
        # Default handlers: environment proxies are honoured, as with the official clients.
        self._opener = urllib.request.build_opener()

    def fingerprint(self) -> str:
        """sha256 of what changes outputs (see the module docstring); never the key.

        The first call asks the server for its model list, once; when the list cannot be had (no such route,
        server down) or does not name the model, the entry counts as ``null``.
        """
        return self._fingerprint

    @cached_property
    def _fingerprint(self) -> str:
        parsed = urllib.parse.urlsplit(self.base_url)
        material = {
            "schema": FINGERPRINT_SCHEMA,
            "prompt_render_schema": PROMPT_RENDER_SCHEMA,
            "backend": "openai",
            "server": f"{parsed.netloc.lower()}{parsed.path.rstrip('/')}",
            "model": self.model,
            "server_model": self.server_model,
            "max_image_side": self.max_image_side,
            "image_format": self.image_format,
            "jpeg_quality": JPEG_QUALITY if self.image_format == "jpeg" else None,
            "cache_tag": self.cache_tag or None,
        }
        return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()

    @cached_property
    def server_model(self) -> dict[str, Any] | None:
        """The server's ``/v1/models`` entry for this model, cut to :data:`SERVER_MODEL_FIELDS` (fetched once)."""
        try:
            status, _, data = self._send(f"{self.base_url}/models")
            entries = json.loads(data)["data"] if 200 <= status < 300 else []
            entry = next(e for e in entries if isinstance(e, dict) and e.get("id") == self.model)
        except (OSError, http.client.HTTPException, ValueError, KeyError, TypeError, StopIteration) as exc:
            why = self._redact(f"{type(exc).__name__}: {exc}") if str(exc) else "not listed"
            log.warning(
                "openai: %s: no /v1/models entry (%s); the cache key cannot tell checkpoints served under this "
                "name apart: give each one its own --model-arg cache_tag=...",
                self.model,
                why,
            )
            return None
        return {name: entry[name] for name in SERVER_MODEL_FIELDS if entry.get(name) is not None}

    def describe(self) -> dict[str, Any]:
        settings = ("base_url", "concurrency", "max_image_side", "image_format", "max_retries", "timeout")
        facts = {"backend": "openai", "target": self.model, **{name: getattr(self, name) for name in settings}}
        extra = {"server_model": self.server_model, "cache_tag": self.cache_tag or None}
        return {**facts, **extra, "prompt_render_schema": PROMPT_RENDER_SCHEMA, "fingerprint": self.fingerprint()}

    def generate(self, requests: Sequence[Request]) -> list[Response]:
        """Answer every request, in order, at most ``concurrency`` at a time; failures become error responses."""
        if not requests:
            return []
        workers = min(self.concurrency, len(requests))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="openai") as pool:
            return list(pool.map(self._answer, requests))

    def _answer(self, request: Request) -> Response:
        try:
            return self._ask(request)
        except Exception as exc:  # a bug here must cost one sample, not the batch
            log.exception("openai: request %s failed unexpectedly", request.id)
            return self._error(request, f"internal error: {type(exc).__name__}: {exc}")

    def _ask(self, request: Request) -> Response:
        try:
            body = json.dumps(self._payload(request)).encode()
        except (OSError, ValueError) as exc:
            return self._error(request, f"could not encode the request: {type(exc).__name__}: {exc}")
        attempts = self.max_retries + 1
        outcome = _Outcome()
        for attempt in range(1, attempts + 1):
            outcome = self._attempt(request, body)
            if outcome.response is not None:
                return outcome.response
            if attempt < attempts:
                delay = self._delay(request, attempt, outcome.retry_after)
                reason = self._redact(outcome.reason)
                log.info("openai: %s: %s; retry %d/%d in %.2f s", request.id, reason, attempt, self.max_retries, delay)
                self._sleep(delay)
        return self._error(request, f"gave up after {attempts} attempt(s): {outcome.reason}")

    def _payload(self, request: Request) -> dict[str, Any]:
        messages: list[dict[str, Any]] = []
        if request.system:
            messages.append({"role": "system", "content": request.system})
        content: str | list[dict[str, Any]] = request.prompt
        if request.images:
            parts = [{"type": "image_url", "image_url": {"url": self._data_url(i)}} for i in request.images]
            content = [*parts, {"type": "text", "text": request.prompt}]
        messages.append({"role": "user", "content": content})
        params = request.params
        payload: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "max_tokens": params.max_new_tokens,
            "seed": self.seed,
        }
        if params.do_sample:
            payload.update(temperature=params.temperature, top_p=params.top_p)
        else:
            payload["temperature"] = 0
        return payload

    def _data_url(self, ref: ImageRef) -> str:
        from PIL import Image

        image = ref.image
        longer = max(image.size)
        if self.max_image_side and longer > self.max_image_side:
            scale = self.max_image_side / longer
            size = (max(1, round(image.size[0] * scale)), max(1, round(image.size[1] * scale)))
            image = image.resize(size, Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        if self.image_format == "jpeg":
            image.convert("RGB").save(buffer, format="JPEG", quality=JPEG_QUALITY)
        else:
            image.save(buffer, format="PNG")
        return f"data:image/{self.image_format};base64,{base64.b64encode(buffer.getvalue()).decode()}"

    def _attempt(self, request: Request, body: bytes) -> _Outcome:
        try:
            status, headers, data = self._post(body)
        except (OSError, http.client.HTTPException) as exc:  # URLError and timeouts are OSErrors
            return _Outcome(reason=self._transport_failure(exc))
        request_id = headers.get("x-request-id")
        if 200 <= status < 300:
            try:
                return _Outcome(Response(text=replies.completion_text(json.loads(data))))
            except replies.NoAnswerError as exc:  # the server's considered answer: asking again gives the same
                return _Outcome(self._error(request, str(exc), request_id))
            except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
                shown = replies.body_snippet(data, self._api_key)
                why = f"HTTP {status} but not a chat completion ({type(exc).__name__}: {exc}); body {shown!r}"
                return _Outcome(self._error(request, why, request_id))
        message = f"HTTP {status}: {replies.server_message(data, self._api_key)}"
        if status in RETRY_STATUSES or status >= 500:
            return _Outcome(reason=replies.with_id(message, request_id), retry_after=replies.retry_after(headers))
        return _Outcome(self._error(request, message, request_id))

    def _post(self, body: bytes) -> tuple[int, Message, bytes]:
        return self._send(self._endpoint, body)

    def _send(self, url: str, body: bytes | None = None) -> tuple[int, Message, bytes]:
        """POST ``body`` (GET without one) to ``url``; an HTTP error status is returned, not raised."""
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
        if body is not None:
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(url, data=body, headers=headers, method="GET" if body is None else "POST")
        if self._api_key is not None:
            # Unredirected: a redirect to another host must not carry the key along.
            req.add_unredirected_header("Authorization", f"Bearer {self._api_key.value}")
        try:
            with self._opener.open(req, timeout=self.timeout) as answer:
                return answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as exc:
            with exc:
                try:
                    data = exc.read()
                except (OSError, http.client.HTTPException):
                    data = b""
                return exc.code, exc.headers, data

    def _transport_failure(self, exc: BaseException) -> str:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        if isinstance(reason, TimeoutError):
            return f"no answer within the {self.timeout:g} s timeout"
        return f"connection error: {type(reason).__name__}: {reason}"

    def _delay(self, request: Request, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.max_backoff)
        # Seeded jitter: runs repeat exactly, yet concurrent requests do not retry in lockstep.
        jitter = random.Random(f"{self.seed}:{request.id}:{attempt}").uniform(0.5, 1.0)
        return float(min(self.max_backoff, self.backoff * 2 ** (attempt - 1) * jitter))

    def _error(self, request: Request, message: str, request_id: str | None = None) -> Response:
        return Response(
            text="", error=self._redact(f"openai: request {request.id}: {replies.with_id(message, request_id)}")
        )

    def _redact(self, text: str) -> str:
        return replies.error_line(text, self._api_key)


def _number(values: Mapping[str, str], name: str, kind: type[int] | type[float]) -> Any:
    try:
        number = kind(values[name])
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        what = "an integer" if kind is int else "a number"
        raise ValueError(f"model-arg {name} must be {what}, got {values[name]!r}")
    return number


def _build(target: str, args: Mapping[str, str], seed: int) -> OpenAIModel:
    unknown = sorted(set(args) - set(MODEL_ARGS))
    if unknown:
        hint = "; pass the NAME of an environment variable as api_key_env=NAME" if "api_key" in unknown else ""
        raise ValueError(f"unknown model-arg(s) {', '.join(unknown)} for openai; known: {', '.join(MODEL_ARGS)}{hint}")
    values = {**MODEL_ARGS, "base_url": os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL, **args}
    key_env = values["api_key_env"]
    api_key = os.environ.get(key_env) or None
    model = OpenAIModel(
        target,
        base_url=values["base_url"],
        api_key=api_key,
        seed=seed,
        concurrency=_number(values, "concurrency", int),
        max_image_side=_number(values, "max_image_side", int),
        image_format=cast(ImageFormat, values["image_format"]),  # the constructor checks it
        max_retries=_number(values, "max_retries", int),
        timeout=_number(values, "timeout", float),
        backoff=_number(values, "backoff", float),
        max_backoff=_number(values, "max_backoff", float),
        cache_tag=values["cache_tag"].strip(),
    )
    if api_key is None and "api_key_env" in args:
        raise ValueError(f"environment variable {key_env} (named by api_key_env) is not set")
    if api_key is None and urllib.parse.urlsplit(model.base_url).hostname == "api.openai.com":
        raise ValueError(f"set {DEFAULT_KEY_ENV} (or name another variable with --model-arg api_key_env=NAME)")
    return model


def validate_args(args: Mapping[str, str]) -> None:
    """Check ``--model-arg`` keys and values (and that the key's variable is set) at configure time."""
    _build("validate", args, seed=0)


def load(target: str, options: LoadOptions) -> OpenAIModel:
    """Build the model for ``openai:<target>`` from ``--model-arg`` values; nothing is sent until ``generate``."""
    return _build(target, options.args, options.seed)
