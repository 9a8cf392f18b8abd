"""Reading what an OpenAI-compatible server sends back: the answer text, one-line errors without the key.

Split from :mod:`~pytest_multitrust.models.openai`, which sends requests; this module changes when servers
answer in new shapes. Nothing here does I/O.

Servers and proxies may quote the ``Authorization`` header back in an error. Every text that leaves the backend
goes through :func:`error_line`: whitespace folded, the key *and every piece of it* of :data:`SECRET_PIECE` or
more characters redacted, and only then cut to length, so a cut through the key cannot leave a piece of it.
"""

from __future__ import annotations

import json
from email.message import Message
from typing import Any

#: The shortest piece of the key that is redacted wherever it appears (a key cut in half is still a secret).
SECRET_PIECE = 8
#: Error texts are cut to this many characters, after redaction.
ERROR_LIMIT = 400
#: Response bodies quoted in errors: how much is read before redaction, and how much is shown after it.
BODY_READ_LIMIT = 4096
BODY_SHOW_LIMIT = 200
REDACTED = "<redacted>"


class Secret:
    """Holds the key so that no ``repr``, traceback with locals or ``vars()`` dump shows it."""

    def __init__(self, value: str) -> None:
        self.value = value

    def __repr__(self) -> str:
        return REDACTED


class NoAnswerError(ValueError):
    """A well-formed completion that carries no answer text (filtered, or without a message)."""


def redact_secret(text: str, secret: str, shortest: int = SECRET_PIECE) -> str:
    """``text`` with every run of ``shortest`` or more characters that occurs in ``secret`` replaced.

    Catches the whole secret and any piece of it (a prefix left by a cut, a suffix a server shows), so no
    ``shortest``-character piece of the secret is left in the result.
    """
    if len(secret) < shortest:
        return text.replace(secret, REDACTED) if secret else text
    pieces = {secret[i : i + shortest] for i in range(len(secret) - shortest + 1)}
    kept: list[str] = []
    start = i = 0
    while i <= len(text) - shortest:
        if text[i : i + shortest] not in pieces:
            i += 1
            continue
        end = i + shortest
        while end < len(text) and text[i : end + 1] in secret:
            end += 1
        kept += [text[start:i], REDACTED]
        start = i = end
    kept.append(text[start:])
    return "".join(kept)


def error_line(text: str, secret: Secret | None, limit: int = ERROR_LIMIT) -> str:
    """``text`` as one line without the secret, cut to ``limit`` characters (redacted first, then cut)."""
    line = " ".join(text[: BODY_READ_LIMIT * 4].split())[:BODY_READ_LIMIT]
    if secret is not None:
        line = redact_secret(line, secret.value)
    return line if len(line) <= limit else line[: limit - 3] + "..."


def body_snippet(data: bytes, secret: Secret | None) -> str:
    """The start of a response body, redacted, for an error message."""
    return error_line(data[:BODY_READ_LIMIT].decode("utf-8", "replace"), secret, BODY_SHOW_LIMIT)


def server_message(data: bytes, secret: Secret | None) -> str:
    """The error object's message and code (OpenAI nests it under ``error``; vLLM may not), or the raw body."""
    try:
        body = json.loads(data)
    except ValueError:
        return body_snippet(data, secret) or "(empty body)"
    error = body.get("error", body) if isinstance(body, dict) else body
    if isinstance(error, dict) and error.get("message"):
        code = error.get("code") or error.get("type")
        return error_line(f"{error['message']}" + (f" ({code})" if code else ""), secret)
    return body_snippet(data, secret)


def completion_text(body: Any) -> str:
    """``choices[0].message.content`` (text parts joined, stripped); a structured refusal counts as the answer.

    Raises:
        NoAnswerError: ``message`` or its ``content`` is null (and no refusal is given), or a content filter
            stopped the answer: the error names the ``finish_reason``. Not an empty answer to score.
        KeyError, IndexError, TypeError, AttributeError: the body is not a chat completion.
    """
    choice = body["choices"][0]
    finish = choice.get("finish_reason")
    message = choice["message"]
    if message is None:
        raise NoAnswerError(f"no message (finish_reason {finish})")
    content = message.get("content")
    if isinstance(content, list):
        content = "".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    if content is None:
        content = message.get("refusal") or None
    if content is None or (finish == "content_filter" and not str(content).strip()):
        raise NoAnswerError(f"no content (finish_reason {finish})")
    if not isinstance(content, str):
        raise TypeError(f"message content is {type(content).__name__}, not text")
    return content.strip()  # as the hf and vllm backends: the same answer whatever the backend


def with_id(message: str, request_id: str | None) -> str:
    return f"{message} [request id {request_id}]" if request_id else message


def retry_after(headers: Message) -> float | None:
    """Seconds from ``retry-after-ms`` (OpenAI) or ``Retry-After`` (seconds; HTTP dates are ignored)."""
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            seconds = float(value) * scale
        except ValueError:
            continue
        if seconds >= 0:
            return seconds
    return None
