"""A real OpenAI-compatible chat-completions server on 127.0.0.1 that misbehaves on request.

It answers ``POST /v1/chat/completions`` deterministically (:func:`reply_for`: a hash of the user text and the
image count) and ``GET /v1/models``. Faults are asked for in the prompt text itself, so each one travels with
its request and stays put under concurrency:

``[fault=KIND]`` or ``[fault=KINDxN]`` (only the first N hits of that exact user text)
    ``KIND`` is an HTTP status (``429``, ``500``, ``400``...: an OpenAI-style error object), ``hang`` (no
    answer until the server stops or ``hang_seconds`` pass), ``drop`` (close the connection without an
    answer), ``malformed`` (200 with an HTML body), ``nochoices`` (200 JSON without ``choices``),
    ``null-content`` (200 whose message has ``content: null``, as a content filter leaves it), ``null-message``
    (200 whose choice has ``message: null``), ``echo-auth`` (400 whose error message quotes the Authorization
    header, as a careless proxy would) or ``echo-auth-text`` (the same quote in a plain-text 400 body).
``[pad=N]``
    put N filler characters before the quoted header of ``echo-auth`` faults (to move it across any cut).
``[finish=REASON]``
    the ``finish_reason`` of ``null-content`` and ``null-message`` answers (default ``content_filter``).
``[retry-after=S]``
    the ``Retry-After`` header sent with a fault.
``[delay=S]``
    wait S seconds before answering (keeps requests in flight).
``[gate=N]``
    hold the request until N requests are in flight at once (or ``gate_timeout`` passes).

``GET /v1/models`` lists the served ids with whatever :attr:`FaultServer.model_metadata` adds for each (vLLM
reports ``root``, the checkpoint path, and ``max_model_len``), and a ``created`` stamped at listing time, as
vLLM, SGLang and llama.cpp do.

Every request is recorded (:class:`Received`: headers, JSON body, the text parts, the decoded data-URL images)
and the most requests ever in flight at once is tracked, for assertions. A request leaves the in-flight count
*before* its answer is written: once a client has its answer, the server no longer counts that request, so
the count never exceeds what the client has in flight.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

_DIRECTIVE = re.compile(r"\[(fault|retry-after|delay|gate|pad|finish)=([^\]\s]+)\]")
_FAULT = re.compile(r"^(.+?)(?:x(\d+))?$")
_DATA_URL = re.compile(r"^data:([^;,]+);base64,(.*)$", re.DOTALL)

#: What an HTTP error status says in its OpenAI-style error object (type, code).
ERROR_KINDS: dict[int, tuple[str, str | None]] = {
    400: ("invalid_request_error", None),
    401: ("invalid_request_error", "invalid_api_key"),
    404: ("invalid_request_error", "model_not_found"),
    429: ("requests", "rate_limit_exceeded"),
}


def reply_for(user_text: str, n_images: int) -> str:
    """The answer the server gives to a user message with this text and this many images."""
    return f"echo:{hashlib.sha256(user_text.encode()).hexdigest()[:16]} images:{n_images}"


@dataclass(frozen=True)
class DataImage:
    """An ``image_url`` part: its MIME type and decoded bytes (``url`` set instead when not a data URL)."""

    mime: str | None
    data: bytes
    url: str | None = None


@dataclass
class Received:
    """One request as the server saw it, and what it answered."""

    method: str
    path: str
    headers: dict[str, str]
    raw: bytes
    body: Any = None
    user_text: str = ""
    images: list[DataImage] = field(default_factory=list)
    status: int = 0
    fault: str | None = None
    #: Chat requests the server counted in flight when this answer was written (this one no longer among them).
    in_flight_at_answer: int | None = None


@dataclass
class _Gate:
    """A request held by ``[gate=N]``: it goes on once N requests were in flight together while it waited."""

    count: int
    open: bool = False


class FaultServer:
    """The server, run in a daemon thread; use as a context manager.

    Args:
        models: the model ids it serves; another id in a request gets a 404 ``model_not_found``.
        api_key: when set, requests without ``Authorization: Bearer <api_key>`` get a 401.
        hang_seconds: how long ``[fault=hang]`` holds a request at most.
        gate_timeout: how long ``[gate=N]`` waits at most.
        fail_share: this share of requests (chosen by a hash of their text and images, so the same requests
            on every run) get a 400 ``invalid_request_error``, which clients do not retry.
        model_metadata: extra fields of each model's ``/v1/models`` entry (e.g. ``{"root": "/ckpts/a"}``); the
            attribute of the same name may be changed while the server runs.
    """

    def __init__(
        self,
        *,
        models: tuple[str, ...] = ("test-model",),
        api_key: str | None = None,
        hang_seconds: float = 10.0,
        gate_timeout: float = 5.0,
        fail_share: float = 0.0,
        model_metadata: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        self.models = models
        self.model_metadata = dict(model_metadata or {})
        self.fail_share = fail_share
        self.api_key = api_key
        self.hang_seconds = hang_seconds
        self.gate_timeout = gate_timeout
        self.stopping = threading.Event()
        self._lock = threading.Condition()
        self._received: list[Received] = []
        self._hits: Counter[str] = Counter()
        self._ids = 0
        self._listings = 0
        self._gates: list[_Gate] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._httpd = _QuietServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.fault_server = self  # type: ignore[attr-defined]
        # A short poll keeps stop() quick: shutdown() waits for the serving loop's next poll.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, name="fault-server", daemon=True
        )

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>/v1``, what a client takes as its base URL."""
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    @property
    def received(self) -> list[Received]:
        """Every request so far, in arrival order."""
        with self._lock:
            return list(self._received)

    def chat_requests(self) -> list[Received]:
        """The ``POST /v1/chat/completions`` requests so far."""
        return [r for r in self.received if r.method == "POST" and r.path.endswith("/chat/completions")]

    def start(self) -> FaultServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        with self._lock:
            self._lock.notify_all()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    # Bookkeeping the handler threads share.
    def _record(self, received: Received) -> str:
        with self._lock:
            self._received.append(received)
            self._ids += 1
            return f"req_{self._ids}"

    def _hit(self, key: str) -> int:
        with self._lock:
            self._hits[key] += 1
            return self._hits[key]

    def _enter(self) -> None:
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            self._open_gates()

    def _listing(self) -> list[dict[str, Any]]:
        with self._lock:
            self._listings += 1
            # A new stamp on every listing, as servers that stamp ``created`` with the time of the request.
            created = int(time.time()) + self._listings
            metadata = {name: dict(extra) for name, extra in self.model_metadata.items()}
        return [
            {"id": name, "object": "model", "created": created, "owned_by": "fault-server", **metadata.get(name, {})}
            for name in self.models
        ]

    def _gate(self, count: int) -> None:
        gate = _Gate(count)
        with self._lock:
            self._gates.append(gate)
            self._open_gates()
            self._lock.wait_for(lambda: gate.open or self.stopping.is_set(), self.gate_timeout)
            self._gates.remove(gate)

    def _open_gates(self) -> None:
        """Open (for good) every gate whose count is in flight now; call with the lock held.

        A gate is a latch, not a level: the first request through answers and leaves the count at once, and the
        others must still pass although the count is below their number again when they wake.
        """
        for gate in self._gates:
            gate.open = gate.open or self.in_flight >= gate.count
        self._lock.notify_all()


def _decode_messages(body: Any, received: Received) -> None:
    """Fill ``user_text`` (the last user message's text) and ``images`` (all image parts, in order)."""
    if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
        return
    for message in body["messages"]:
        if not isinstance(message, dict) or message.get("role") != "user":
            continue
        content = message.get("content")
        if isinstance(content, str):
            received.user_text = content
            continue
        texts: list[str] = []
        for part in content if isinstance(content, list) else []:
            if part.get("type") == "text":
                texts.append(str(part.get("text", "")))
            elif part.get("type") == "image_url":
                url = str(part.get("image_url", {}).get("url", ""))
                match = _DATA_URL.match(url)
                if match:
                    received.images.append(DataImage(match.group(1), base64.b64decode(match.group(2), validate=True)))
                else:
                    received.images.append(DataImage(None, b"", url=url))
        received.user_text = "\n".join(texts)


def _hashed_share(received: Received) -> float:
    """A number in [0, 1) fixed by the request's text and images: which requests ``fail_share`` picks."""
    digest = hashlib.sha256(received.user_text.encode())
    for image in received.images:
        digest.update(image.data)
    return int.from_bytes(digest.digest()[:8], "big") / 2**64


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that time out leave broken pipes behind; that is the point of some faults, not news."""


class _Handler(BaseHTTPRequestHandler):
    server_version = "FaultServer/1"
    #: Whether this request is in the server's in-flight count (chat requests, until their answer goes out).
    _counted = False

    @property
    def fault_server(self) -> FaultServer:
        server: FaultServer = self.server.fault_server  # type: ignore[attr-defined]
        return server

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests read :attr:`FaultServer.received` instead."""

    def do_GET(self) -> None:
        received = Received("GET", self.path, {k.lower(): v for k, v in self.headers.items()}, b"")
        request_id = self.fault_server._record(received)
        if self.path.rstrip("/") != "/v1/models":
            self._send_error(received, request_id, 404, f"no route {self.path}")
            return
        self._send_json(received, request_id, 200, {"object": "list", "data": self.fault_server._listing()})

    def do_POST(self) -> None:
        server = self.fault_server
        server._enter()
        self._counted = True
        try:
            self._chat(server)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout) before we answered
        finally:
            self._leave()  # when nothing was written (a dropped connection, a broken pipe)

    def _leave(self) -> int:
        """Count this request out of the in-flight requests (once); return how many are left in flight."""
        server = self.fault_server
        with server._lock:
            if self._counted:
                self._counted = False
                server.in_flight -= 1
            return server.in_flight

    def _chat(self, server: FaultServer) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        received = Received("POST", self.path, {k.lower(): v for k, v in self.headers.items()}, raw)
        try:
            received.body = json.loads(raw)
        except ValueError:
            received.body = None
        _decode_messages(received.body, received)
        request_id = server._record(received)
        if self.path.rstrip("/") != "/v1/chat/completions":
            self._send_error(received, request_id, 404, f"no route {self.path}")
            return
        if received.body is None:
            self._send_error(received, request_id, 400, "request body is not JSON")
            return
        if server.api_key is not None and received.headers.get("authorization") != f"Bearer {server.api_key}":
            shown = received.headers.get("authorization", "")[-4:]
            self._send_error(received, request_id, 401, f"Incorrect API key provided: ...{shown}.")
            return
        model = received.body.get("model")
        if model not in server.models:
            self._send_error(received, request_id, 404, f"The model `{model}` does not exist.")
            return
        directives = dict(_DIRECTIVE.findall(received.user_text))
        if "gate" in directives:
            server._gate(int(directives["gate"]))
        if "delay" in directives:
            server.stopping.wait(float(directives["delay"]))
        fault = self._fault(server, received.user_text, directives.get("fault"))
        if fault is None and _hashed_share(received) < server.fail_share:
            fault = "400"
        received.fault = fault
        if fault is None:
            self._complete(received, request_id)
        else:
            self._misbehave(server, received, request_id, fault, directives)

    @staticmethod
    def _fault(server: FaultServer, user_text: str, directive: str | None) -> str | None:
        hit = server._hit(user_text)
        if directive is None:
            return None
        match = _FAULT.match(directive)
        assert match is not None
        kind, times = match.group(1), match.group(2)
        return kind if times is None or hit <= int(times) else None

    def _misbehave(
        self, server: FaultServer, received: Received, request_id: str, fault: str, directives: dict[str, str]
    ) -> None:
        if fault == "hang":
            server.stopping.wait(server.hang_seconds)
            self._complete(received, request_id)
        elif fault == "drop":
            received.status = -1  # nothing written: the server closes the socket when the handler returns
            self.close_connection = True
        elif fault == "malformed":
            self._send(received, request_id, 200, b"<html><body>502 upstream gone</body></html>", "text/html")
        elif fault == "nochoices":
            self._send_json(received, request_id, 200, {"id": "chatcmpl-x", "object": "chat.completion"})
        elif fault in ("null-content", "null-message"):
            finish = directives.get("finish", "content_filter")
            message = None if fault == "null-message" else {"role": "assistant", "content": None}
            choices = [{"index": 0, "message": message, "finish_reason": finish}]
            body = {"id": "chatcmpl-x", "object": "chat.completion", "choices": choices}
            self._send_json(received, request_id, 200, body)
        elif fault in ("echo-auth", "echo-auth-text"):
            pad = "." * int(directives.get("pad", "0"))
            message = f"{pad}bad header {received.headers.get('authorization', '')!r}"
            if fault == "echo-auth":
                self._send_error(received, request_id, 400, message)
            else:
                self._send(received, request_id, 400, message.encode(), "text/plain")
        else:
            retry_after = directives.get("retry-after")
            headers = {"Retry-After": retry_after} if retry_after is not None else {}
            self._send_error(received, request_id, int(fault), f"scripted fault {fault}", headers)

    def _complete(self, received: Received, request_id: str) -> None:
        text = reply_for(received.user_text, len(received.images))
        body = {
            "id": f"chatcmpl-{request_id}",
            "object": "chat.completion",
            "model": received.body.get("model"),
            "choices": [
                {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"},
            ],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
        self._send_json(received, request_id, 200, body)

    def _send_error(
        self, received: Received, request_id: str, status: int, message: str, headers: dict[str, str] | None = None
    ) -> None:
        kind, code = ERROR_KINDS.get(status, ("server_error", None))
        error = {"error": {"message": message, "type": kind, "param": None, "code": code}}
        self._send_json(received, request_id, status, error, headers)

    def _send_json(
        self, received: Received, request_id: str, status: int, body: Any, headers: dict[str, str] | None = None
    ) -> None:
        self._send(received, request_id, status, json.dumps(body).encode(), "application/json", headers)

    def _send(
        self,
        received: Received,
        request_id: str,
        status: int,
        data: bytes,
        content_type: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        received.status = status
        # Out of the count before the answer goes out: the client may send its next request the moment it
        # reads this one, and that request must not meet a count that still holds this one.
        left = self._leave()
        if received.method == "POST":
            received.in_flight_at_answer = left
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-request-id", request_id)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
