"""The wrapper every mitigation is: a :class:`~pytest_multitrust.models.protocol.Model` around another one.

A mitigation changes the requests it passes on, post-processes the responses it gets back, or makes more
calls of its own (a harm check, a caption, a revision). Its fingerprint is the inner model's plus its name
and its resolved parameters, so every cache key, ``scores.json`` and the report tell mitigated runs apart.
An error of the inner model stays an error (never a refusal, never a verdict); an error in a later step is
named by its step (``caption-first caption: ...``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import cached_property
from typing import Any, ClassVar

from pytest_multitrust.mitigations.params import Param, ParamValue
from pytest_multitrust.models.protocol import GenerationParams, Model, Request, Response, error_responses

#: Bump when what a mitigation sends changes in a way its parameters do not show (the fingerprint moves).
MITIGATION_SCHEMA = 1

#: A check answer counts as "harmful" when its first word is "yes"; when it starts with neither "yes" nor
#: "no", when it calls the content harmful or unsafe without a negation just before the word.
_FIRST_WORD = re.compile(r"[a-z]+")
_HARM_WORD = re.compile(r"\b(harmful|unsafe|dangerous)\b")
_NEGATED_HARM = re.compile(r"\b(not|no|isn't|isnt|never|nothing)\b\W+(\w+\W+){0,2}(harmful|unsafe|dangerous)\b")


def judged_harmful(answer: str) -> bool:
    """Whether a model's answer to "is this harmful? answer yes or no" says yes.

    The first word decides ("Yes, ..." -> True, "No ..." -> False); an answer that starts otherwise counts
    as harmful when it calls the content harmful, unsafe or dangerous, unless a negation comes up to two
    words before ("it is not harmful", "nothing dangerous"). Anything else, noise included, is not harmful:
    the mitigation then keeps the draft, as ECSO does when its detector does not fire.
    """
    lowered = answer.lower().replace("\u2019", "'")
    first = _FIRST_WORD.search(lowered)
    if first is not None and first.group() in ("yes", "no"):
        return first.group() == "yes"
    return bool(_HARM_WORD.search(lowered)) and not _NEGATED_HARM.search(lowered)


def sub_request(
    request: Request, step: str, prompt: str, *, images: bool, system: str | None, params: GenerationParams
) -> Request:
    """A further call a mitigation makes for ``request``: id ``<sample id>#<step>`` (a replay file can
    script it), its own prompt, the request's images or none, and its own system prompt and decoding."""
    return Request(f"{request.id}#{step}", prompt, request.images if images else (), system, params)


def with_budget(params: GenerationParams, max_new_tokens: int) -> GenerationParams:
    """``params`` with another token budget (sampling settings kept)."""
    return replace(params, max_new_tokens=max_new_tokens)


def step_error(step: str, response: Response) -> Response:
    """The response of a request whose step ``step`` failed: the inner error, named by its step."""
    return Response(text="", error=f"{step}: {response.error}")


class MitigatedModel:
    """A mitigation around ``inner`` (any backend, the response cache, or another mitigation).

    Subclasses set :attr:`name`, :attr:`source` (the paper and what we implemented of it, one line),
    :attr:`PARAMS`, and override :meth:`generate` (or, for prompt rewrites, use :class:`PromptMitigation`).

    Args:
        inner: the model the mitigation calls.
        params: parameter values by name (already validated); missing ones take their defaults.

    Attributes:
        spec: the inner model's spec (the backend stays what it is; ``describe`` names the mitigation).
        cacheable: the inner model's.
    """

    name: ClassVar[str]
    source: ClassVar[str]
    PARAMS: ClassVar[Mapping[str, Param]] = {}

    def __init__(self, inner: Model, params: Mapping[str, ParamValue] | None = None) -> None:
        unknown = sorted(set(params or {}) - set(self.PARAMS))
        if unknown:
            raise ValueError(f"mitigation {self.name!r} has no parameter {', '.join(unknown)}")
        self.inner = inner
        self.spec = inner.spec
        self.cacheable = inner.cacheable
        self.params: dict[str, ParamValue] = {key: (params or {}).get(key, p.default) for key, p in self.PARAMS.items()}

    def text(self, key: str) -> str:
        return str(self.params[key])

    def number(self, key: str) -> int:
        return int(self.params[key])

    @cached_property
    def _fingerprint(self) -> str:
        material = {
            "schema": MITIGATION_SCHEMA,
            "inner": self.inner.fingerprint(),
            "mitigation": self.name,
            "params": self.params,
        }
        return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()

    def fingerprint(self) -> str:
        """sha256 of the inner model's fingerprint, this mitigation's name and its resolved parameters."""
        return self._fingerprint

    def summary(self) -> dict[str, Any]:
        """This mitigation alone, JSON-able: name, resolved parameters, source."""
        return {"name": self.name, "params": dict(self.params), "source": self.source}

    def describe(self) -> dict[str, Any]:
        """The inner model's description with this mitigation first in ``mitigations`` (outermost first), the
        mitigated ``fingerprint``, and the unmitigated one as ``base_fingerprint``."""
        described = dict(self.inner.describe())
        described.setdefault("base_fingerprint", described.get("fingerprint", self.inner.fingerprint()))
        described["mitigations"] = [self.summary(), *described.get("mitigations", [])]
        described["fingerprint"] = self.fingerprint()
        return described

    def close(self) -> None:
        """Release the inner model's resources, if it holds any."""
        from pytest_multitrust.models.cache import close_model

        close_model(self.inner)

    def call(self, requests: Sequence[Request]) -> list[Response]:
        """The inner model's answers to ``requests`` (a wrong count becomes an error for each request)."""
        if not requests:
            return []
        responses = self.inner.generate(requests)
        if len(responses) != len(requests):
            got = f"{self.inner.spec} returned {len(responses)} responses for {len(requests)} requests"
            return error_responses(requests, f"{self.name}: {got}")
        return responses

    def generate(self, requests: Sequence[Request]) -> list[Response]:
        raise NotImplementedError


class PromptMitigation(MitigatedModel):
    """A mitigation that rewrites each request and, optionally, post-processes each answer: one call each."""

    def rewrite(self, request: Request) -> Request:
        """The request the inner model gets instead of ``request``."""
        raise NotImplementedError

    def postprocess(self, text: str) -> str:
        """The answer returned for the inner model's ``text`` (by default, the text as it is)."""
        return text

    def generate(self, requests: Sequence[Request]) -> list[Response]:
        """Rewrite every request, answer them in one inner call, post-process each answer (errors untouched)."""
        responses = self.call([self.rewrite(request) for request in requests])
        return [replace(r, text=self.postprocess(r.text)) if r.ok else r for r in responses]
