"""Reading the RESA training JSONL and turning its rows into model inputs with response-only labels.

The prompt is rendered and encoded by the ``hf`` backend itself (:meth:`HFModel.encode`: the family's chat
template, its image placeholders and processor), so the model is trained on exactly the tokens it sees at
inference. The target is tokenized on its own and appended with the end-of-turn token: tokenizing prompt and
target together could merge tokens across the boundary, and the model would then learn an answer that starts
from a token the inference prompt never ends with. Labels are ``-100`` everywhere but the target.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pytest_multitrust.data.images import ImageRef, open_image_file
from pytest_multitrust.models.hf_checkpoint import one_line
from pytest_multitrust.models.protocol import Request
from resa.train_options import ResaTrainError

if TYPE_CHECKING:
    from pytest_multitrust.models.hf import HFModel

#: Label of a position that carries no loss (the prompt, the padding), as torch's cross-entropy expects.
IGNORE_INDEX = -100

#: Row fields that must be strings; ``images`` is a list of PNG paths relative to the JSONL file.
REQUIRED_FIELDS = ("id", "prompt", "target")

#: The end-of-turn token a family's chat template closes an assistant turn with, where it is not the
#: tokenizer's ``eos_token`` (Gemma 3's tokenizer eos is ``<eos>``, but its turns end with ``<end_of_turn>``).
END_OF_TURN_TOKENS: dict[str, str] = {"gemma3": "<end_of_turn>", "idefics3": "<end_of_utterance>"}


class TrainDataError(ResaTrainError):
    """A training file the user can fix: the message is one line naming the file (and line) and what is wrong."""


@dataclass(frozen=True)
class TrainRow:
    """One training item: a single-turn request and the answer the model should learn to give."""

    id: str
    prompt: str
    target: str
    images: tuple[Path, ...] = ()
    system: str | None = None
    kind: str = ""
    category: str = ""

    def request(self) -> Request:
        """The request as the suite would send it; images are read from disk now (they are small)."""
        refs = tuple(ImageRef.of(open_image_file(str(path)), f"resa:{path.name}") for path in self.images)
        return Request(id=self.id, prompt=self.prompt, images=refs, system=self.system)


@dataclass(frozen=True)
class EncodedRow:
    """What the trainer needs to know of a row before batching: its prompt length and target token ids."""

    prompt_tokens: int
    target_ids: tuple[int, ...]
    truncated: bool


def file_sha256(path: Path) -> str:
    """sha256 of a file's bytes (the data hash in the training manifest)."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def read_rows(path: Path) -> list[TrainRow]:
    """Read and check a training JSONL (the shape ``resa data`` writes).

    Raises:
        TrainDataError: the file is missing, empty, or a line is not a valid row; one line naming
            ``FILE:LINE`` and the fix.
    """
    if not path.is_file():
        raise TrainDataError(f"--data {path}: no such file; build one with `resa data --out {path}`")
    root = path.resolve().parent
    rows: list[TrainRow] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            row = _parse_row(line, f"{path}:{number}", root)
            if row.id in seen:
                raise TrainDataError(f"{path}:{number}: duplicate id {row.id!r}; every row needs its own id")
            seen.add(row.id)
            rows.append(row)
    if not rows:
        raise TrainDataError(f"--data {path}: the file has no rows; build one with `resa data --out {path}`")
    return rows


def _parse_row(line: str, where: str, root: Path) -> TrainRow:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise TrainDataError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(data, dict):
        raise TrainDataError(f"{where}: a row must be a JSON object with {', '.join(REQUIRED_FIELDS)}")
    for name in REQUIRED_FIELDS:
        if not isinstance(data.get(name), str) or not data[name].strip():
            raise TrainDataError(f"{where}: field {name!r} must be a non-empty string")
    images = data.get("images", [])
    if not isinstance(images, list) or not all(isinstance(item, str) for item in images):
        raise TrainDataError(f"{where}: 'images' must be a list of PNG paths relative to the JSONL file")
    paths = tuple(_image_path(item, where, root) for item in images)
    system = data.get("system")
    if system is not None and not isinstance(system, str):
        raise TrainDataError(f"{where}: 'system' must be a string or absent")
    return TrainRow(
        id=data["id"],
        prompt=data["prompt"],
        target=data["target"],
        images=paths,
        system=system or None,
        kind=str(data.get("kind", "")),
        category=str(data.get("category", "")),
    )


def _image_path(name: str, where: str, root: Path) -> Path:
    path = root / name
    # Lexical check, as open_image_file does: a row cannot point outside the data folder.
    if Path(name).is_absolute() or ".." in Path(name).parts:
        raise TrainDataError(f"{where}: image {name!r} must be a path inside the data folder {root}")
    if not path.is_file():
        raise TrainDataError(f"{where}: image {name!r} not found next to the data file (looked for {path})")
    return path


def end_of_turn_id(model: Any, processor: Any) -> int:
    """The token that ends the learned answer: one that stops the ``hf`` backend's greedy ``generate``.

    The family's end-of-turn token (:data:`END_OF_TURN_TOKENS`) or the tokenizer's eos, whichever is among
    the generation config's eos ids; else the first of those ids.
    """
    tokenizer = getattr(processor, "tokenizer", processor)
    eos = model.generation_config.eos_token_id
    stops = [eos] if isinstance(eos, int) else list(eos or [])
    for token in (END_OF_TURN_TOKENS.get(model.config.model_type), tokenizer.eos_token):
        if isinstance(token, str):
            ids = tokenizer.convert_tokens_to_ids(token)
            if isinstance(ids, int) and ids in stops:
                return ids
    if stops:
        return int(stops[0])
    if tokenizer.eos_token_id is None:
        raise TrainDataError(f"{model.config.model_type}: neither the tokenizer nor the generation config has eos")
    return int(tokenizer.eos_token_id)


def target_ids(processor: Any, target: str, eos_id: int) -> list[int]:
    """The target's token ids (no special tokens added) followed by the end-of-turn id."""
    tokenizer = getattr(processor, "tokenizer", processor)
    ids: list[int] = tokenizer(target, add_special_tokens=False)["input_ids"]
    return [*ids, eos_id]


def encode_row(model: HFModel, row: TrainRow, eos_id: int, max_length: int) -> EncodedRow:
    """Render and encode one row's prompt as inference does, to learn its length (and fail early on bad rows).

    Raises:
        TrainDataError: the prompt alone does not leave room for one target token within ``max_length``.
    """
    try:
        inputs = model.encode([row.request()])
    except Exception as exc:  # an unreadable image, a prompt the family's template refuses: name the row
        raise TrainDataError(
            f"row {row.id!r}: cannot encode its prompt for {model.model_type}: {one_line(exc)}"
        ) from exc
    prompt_tokens = int(inputs["attention_mask"][0].sum())
    ids = target_ids(model.processor, row.target, eos_id)
    room = max_length - prompt_tokens
    if room < 1:
        raise TrainDataError(
            f"row {row.id!r}: the prompt is {prompt_tokens} tokens, no room under --max-length {max_length}; "
            "raise --max-length or drop the row"
        )
    return EncodedRow(prompt_tokens, tuple(ids[:room]), truncated=len(ids) > room)


def collate(model: HFModel, rows: Sequence[TrainRow], encoded: Sequence[EncodedRow]) -> dict[str, Any]:
    """One right-padded training batch: prompt tokens as the backend encodes them, then the target tokens.

    The processor encodes the prompts as a batch (its own image tensors, its own layout per family); each row's
    prompt is then taken out of the padding and followed by its target. Tensors aligned with the tokens
    (attention mask, token types, Mllama's cross-attention mask) are carried over, and the target positions
    repeat the prompt's last position, as ``generate`` does for the tokens it appends.
    """
    import torch

    inputs = model.encode([row.request() for row in rows])
    prompt_ids = inputs["input_ids"]
    batch, width = prompt_ids.shape
    mask = inputs["attention_mask"].bool()
    length = max(item.prompt_tokens + len(item.target_ids) for item in encoded)
    pad_id = int(
        model.tokenizer.pad_token_id if model.tokenizer.pad_token_id is not None else encoded[0].target_ids[-1]
    )
    out: dict[str, Any] = {}
    per_token = [
        key
        for key, value in inputs.items()
        if key not in ("input_ids", "attention_mask")
        and not key.startswith("pixel")
        and isinstance(value, torch.Tensor)
        and tuple(value.shape[:2]) == (batch, width)
    ]
    input_ids = torch.full((batch, length), pad_id, dtype=prompt_ids.dtype, device=prompt_ids.device)
    labels = torch.full_like(input_ids, IGNORE_INDEX)
    attention = torch.zeros_like(input_ids)
    carried = {key: inputs[key].new_zeros((batch, length, *inputs[key].shape[2:])) for key in per_token}
    for i, item in enumerate(encoded):
        positions = mask[i].nonzero().flatten()
        if len(positions) != item.prompt_tokens:
            raise RuntimeError(
                f"row {rows[i].id!r}: prompt encoded to {len(positions)} tokens, then {item.prompt_tokens}"
            )
        start, end = item.prompt_tokens, item.prompt_tokens + len(item.target_ids)
        target = torch.tensor(item.target_ids, dtype=prompt_ids.dtype, device=prompt_ids.device)
        input_ids[i, :start] = prompt_ids[i, positions]
        input_ids[i, start:end] = target
        labels[i, start:end] = target
        attention[i, :end] = 1
        for key in per_token:
            values = inputs[key][i, positions]
            carried[key][i, :start] = values
            carried[key][i, start:end] = values[-1:]
    out.update({key: value for key, value in inputs.items() if key not in per_token})
    out.update(carried, input_ids=input_ids, attention_mask=attention, labels=labels)
    return out
