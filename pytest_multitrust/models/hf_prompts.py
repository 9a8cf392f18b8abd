"""From a :class:`Request` to the prompt text of a model family: chat messages, family quirks, rendering.

The processor's own chat template decides the layout (role markers, where image placeholders go, how a system
message is shown). Images come first in the user turn, then the text, as in MultiTrust's single-turn queries
and in every family's model card. Where a family's template cannot take what MultiTrust sends, the quirk is
declared here as data, with the reason, instead of being hidden in control flow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pytest_multitrust.models.protocol import Request


@dataclass(frozen=True)
class FamilyQuirks:
    """How a family departs from "system message, then a user turn of images and text".

    Attributes:
        system_as_string: the template reads a system message's content as a plain string (a list of parts
            would be printed as its Python repr).
        system_into_user_with_images: the template refuses a system message when the turn has images, so
            the system text opens the user text instead (the usual work-around, and what the model's
            fine-tuning data did).
        text_only_batches_apart: the processor cannot batch text-only prompts with image prompts.
    """

    system_as_string: bool = False
    system_into_user_with_images: bool = False
    text_only_batches_apart: bool = False


#: Quirks by ``config.model_type``; families not listed need none.
FAMILY_QUIRKS: dict[str, FamilyQuirks] = {
    # Llama-3.2-Vision: `messages[0]['content']|trim` for the system text; raise_exception("Prompting with
    # images is incompatible with system messages."); MllamaProcessor: "there should be either no images or at
    # least one image per sample".
    "mllama": FamilyQuirks(system_as_string=True, system_into_user_with_images=True, text_only_batches_apart=True),
}

NO_QUIRKS = FamilyQuirks()

#: Bump whenever this module changes the text a request renders to (messages, quirks, pinned variables): it is
#: part of the ``hf`` and ``tiny`` fingerprints, so answers cached under the old rendering stop matching.
PROMPT_RENDER_SCHEMA = 1

#: Template variables pinned so that a prompt never depends on the day it is rendered: Llama 3.x templates
#: print "Today Date: <date_string>" (the template's own fallback is this date), which would otherwise change
#: the model's input, and its answers, every day.
PINNED_TEMPLATE_VARIABLES: dict[str, str] = {"date_string": "26 Jul 2024"}


def quirks_of(model_type: str) -> FamilyQuirks:
    """The quirks of a family (``config.model_type``), or none."""
    return FAMILY_QUIRKS.get(model_type, NO_QUIRKS)


def chat_messages(request: Request, model_type: str) -> list[dict[str, Any]]:
    """The chat messages for one request, shaped for ``model_type``'s template."""
    quirks = quirks_of(model_type)
    prompt, system = request.prompt, request.system
    if system and request.images and quirks.system_into_user_with_images:
        prompt, system = f"{system}\n\n{prompt}", None
    content: list[dict[str, str]] = [{"type": "image"} for _ in request.images]
    content.append({"type": "text", "text": prompt})
    messages: list[dict[str, Any]] = [{"role": "user", "content": content}]
    if system:
        system_content: Any = system if quirks.system_as_string else [{"type": "text", "text": system}]
        messages.insert(0, {"role": "system", "content": system_content})
    return messages


def render_prompt(processor: Any, request: Request, model_type: str) -> str:
    """The prompt text for one request: the family's chat template applied to :func:`chat_messages`.

    Raises:
        ValueError: the processor has no chat template (a base model, not a chat model).
    """
    template = getattr(processor, "chat_template", None)
    explicit: dict[str, Any] = {}
    if not template:
        # Older checkpoints keep the template in tokenizer_config.json only; the processor then has none.
        template = getattr(getattr(processor, "tokenizer", None), "chat_template", None)
        explicit = {"chat_template": template} if isinstance(template, str) else {}
    if not template:
        raise ValueError(f"{type(processor).__name__} has no chat template; the hf backend needs a chat model")
    source = template if isinstance(template, str) else " ".join(map(str, template.values()))
    pinned = {name: value for name, value in PINNED_TEMPLATE_VARIABLES.items() if name in source}
    text: str = processor.apply_chat_template(
        chat_messages(request, model_type), add_generation_prompt=True, tokenize=False, **explicit, **pinned
    )
    return text


def starts_with_bos(processor: Any, texts: list[str]) -> bool:
    """Whether the rendered prompts already begin with the tokenizer's bos token (Llama 3, Gemma, Idefics3).

    Tokenizing them with special tokens would then add a second one; transformers' own
    ``apply_chat_template(tokenize=True)`` drops special tokens in that case, and so do we.
    """
    bos = getattr(getattr(processor, "tokenizer", processor), "bos_token", None)
    return isinstance(bos, str) and bool(bos) and all(text.startswith(bos) for text in texts)
