"""The parameters a mitigation takes (``NAME:KEY=VALUE,...``): their kinds, defaults and validation.

A parameter is text (a prompt: given inline, or ``@path`` to read it from a UTF-8 file), an integer with a
lower bound, or one of a few choices. Every error is one line that starts with ``--mitigation NAME`` and says
what to pass instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ParamValue = str | int

#: Where a parameter list is split: at a comma followed by ``key=``. A prompt may then hold commas; only the
#: sequence ``,word=`` cannot appear in an inline value (pass such a prompt as ``prompt=@file.txt``).
_PAIR_BOUNDARY = re.compile(r",(?=\s*[A-Za-z_][A-Za-z0-9_]*\s*=)")


class MitigationError(ValueError):
    """A ``--mitigation`` value that cannot be used; the message is one line naming it and what to do."""


@dataclass(frozen=True)
class Param:
    """One parameter of a mitigation.

    Attributes:
        default: the value when the user gives none; its type (``str`` or ``int``) is the parameter's kind.
        help: one line for the help text.
        choices: the allowed values of a choice parameter (empty: free text or an integer).
        minimum: the smallest allowed integer.
        placeholders: for a text template, the ``{name}`` fields it must contain (each is filled by plain
            replacement, so other braces in the text are kept as they are).
    """

    default: ParamValue
    help: str
    choices: tuple[str, ...] = ()
    minimum: int = 0
    placeholders: tuple[str, ...] = ()

    def parse(self, where: str, key: str, raw: str) -> ParamValue:
        """The value of ``raw`` for this parameter.

        Args:
            where: ``--mitigation NAME``, to open the error message.
            key: the parameter's name, for the error message.
            raw: what the user wrote after ``key=``.

        Raises:
            MitigationError: the value is not allowed (one line).
        """
        value = raw.strip()
        if self.choices:
            if value not in self.choices:
                raise MitigationError(f"{where}: {key} must be one of {', '.join(self.choices)}, got {value!r}")
            return value
        if isinstance(self.default, int):
            try:
                number = int(value)
            except ValueError:
                number = self.minimum - 1
            if number < self.minimum:
                raise MitigationError(f"{where}: {key} must be an integer >= {self.minimum}, got {value!r}")
            return number
        text = _read_text(where, key, value[1:]) if value.startswith("@") else value
        if not text.strip():
            raise MitigationError(f"{where}: {key} must not be empty (give the text, or @path to a text file)")
        missing = [name for name in self.placeholders if "{" + name + "}" not in text]
        if missing:
            fields = ", ".join("{" + name + "}" for name in missing)
            shown = text if len(text) <= 60 else text[:57] + "..."
            raise MitigationError(f"{where}: {key} must contain {fields} (where that text goes), got {shown!r}")
        return text

    def describe(self) -> str:
        """``KEY`` help for the help text: the kind and the default."""
        if self.choices:
            kind = "|".join(self.choices)
        elif isinstance(self.default, int):
            kind = f"integer >= {self.minimum}"
        else:
            kind = "text or @file"
        default = self.default if not isinstance(self.default, str) or len(self.default) < 40 else "built in"
        return f"{self.help} ({kind}; default: {default})"


def _read_text(where: str, key: str, path: str) -> str:
    try:
        return Path(path).expanduser().read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        raise MitigationError(f"{where}: {key}=@{path}: cannot read it ({reason}); pass a UTF-8 text file") from None


def split_pairs(where: str, text: str) -> list[tuple[str, str]]:
    """``KEY=VALUE,...`` as (key, raw value) pairs, in order.

    Raises:
        MitigationError: a part is not ``KEY=VALUE``, or a key is given twice (one line).
    """
    pairs: list[tuple[str, str]] = []
    for part in _PAIR_BOUNDARY.split(text):
        key, sep, value = part.partition("=")
        key = key.strip()
        if not sep or not key:
            raise MitigationError(f"{where}: expected KEY=VALUE after ':', got {part.strip()!r}")
        if any(key == seen for seen, _ in pairs):
            raise MitigationError(f"{where}: {key} is given twice; give each parameter once")
        pairs.append((key, value))
    return pairs
