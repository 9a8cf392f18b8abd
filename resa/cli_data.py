"""``resa data --out FILE [--seed N] [--per-kind N] [--teacher SPEC]``: the command-line face of
:func:`resa.data.build_dataset`.

The teacher is opened like the suite opens ``--model`` and ``--judge``: through the model registry, behind the
response cache (``--cache-dir``, the suite's ``.multitrust-cache`` by default), so a rerun with the same teacher
and seed asks it nothing. Bad input (an unknown teacher, a bad ``--teacher-arg``, an output path that is a
folder, ``--per-kind`` below 1) prints one line on stderr and exits 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pytest_multitrust.models.protocol import Model

#: Exit status for input the user can fix (argparse's own usage errors use 2 too).
EXIT_USAGE = 2
#: The suite's default response cache folder (``--cache-dir`` of ``pytest trusttests``).
DEFAULT_CACHE_DIR = Path(".multitrust-cache")

_EPILOG = """\
kinds (PER_KIND rows each): harmful and benign look-alike requests as text, typography (the request only in
the image), text + unrelated image, benign text + harmful image, harmful text + topical image; plus utility
items (T.1/T.2 yes/no statements on drawn pictures). Images go to FILE's folder as <stem>-images/*.png.
Then: resa train --base tiny-llava --data FILE --out DIR
"""


def add_data_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``data`` sub-command to ``subparsers`` (from ``ArgumentParser.add_subparsers``)."""
    from resa.data import DEFAULT_PER_KIND

    parser: argparse.ArgumentParser = subparsers.add_parser(
        "data",
        help="build the RESA training set (JSONL + PNG images), disjoint from what the suite evaluates",
        description="Build the RESA training set: a reasoning block then a refusal or a helpful answer per item.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--out", required=True, type=Path, metavar="FILE", help="the JSONL file to write")
    parser.add_argument("--seed", type=int, default=0, help="draws and order (%(default)s)")
    parser.add_argument(
        "--per-kind", type=int, default=DEFAULT_PER_KIND, metavar="N", help="rows of each of the 11 kinds (%(default)s)"
    )
    parser.add_argument(
        "--style",
        choices=("full", "compact"),
        default="full",
        help="reasoning as three lines (full, default) or one line of tags (compact: for byte-level tiny tokenizers)",
    )
    parser.add_argument("--teacher", metavar="SPEC", help="a model that writes the rationales (default: templates)")
    parser.add_argument(
        "--teacher-arg", action="append", default=[], metavar="KEY=VALUE", help="backend argument of the teacher"
    )
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE_DIR, help="response cache (%(default)s)")
    parser.add_argument("--no-cache", action="store_true", help="ask the teacher again for every item")
    parser.set_defaults(handler=run_data)
    return parser


def _teacher_args(pairs: list[str]) -> dict[str, str]:
    args: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--teacher-arg {pair!r} is not KEY=VALUE")
        args[key.strip()] = value
    return args


def open_teacher(args: argparse.Namespace) -> Model | None:
    """The ``--teacher`` model behind the response cache, or None.

    Raises:
        ValueError: the spec or an argument is bad (one line, naming the option).
        ModelLoadError: a backend opened now could not load.
    """
    if not args.teacher:
        return None
    from pytest_multitrust.models.lazy import open_model
    from pytest_multitrust.models.registry import LoadOptions, parse_spec, validate_args

    teacher_args = _teacher_args(args.teacher_arg)
    try:
        spec = parse_spec(args.teacher)
        validate_args(spec, teacher_args)
    except ValueError as exc:
        raise ValueError(f"--teacher: {exc}") from None
    cache_dir = None if args.no_cache else args.cache_dir
    if cache_dir is not None and cache_dir.exists() and not cache_dir.is_dir():
        raise ValueError(f"--cache-dir {cache_dir} is a file; give a folder or pass --no-cache")
    return open_model("--teacher", spec, LoadOptions(args.seed, teacher_args), cache_dir)


def run_data(args: argparse.Namespace) -> int:
    """Run ``resa data`` for parsed arguments; 0 on success, 2 on bad input."""
    from pytest_multitrust.models.cache import close_model
    from pytest_multitrust.models.protocol import ModelLoadError
    from resa.data import build_dataset

    def progress(line: str) -> None:
        print(f"resa data: {line}", file=sys.stderr, flush=True)

    if args.per_kind < 1:
        print(f"resa data: error: --per-kind must be at least 1, got {args.per_kind}", file=sys.stderr)
        return EXIT_USAGE
    teacher: Model | None = None
    try:
        teacher = open_teacher(args)
        summary = build_dataset(
            args.out, args.seed, teacher=teacher, per_kind=args.per_kind, progress=progress, style=args.style
        )
    except (ValueError, ModelLoadError) as exc:
        print(f"resa data: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"resa data: error: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        if teacher is not None:
            close_model(teacher)
    rationale = "templates"
    if summary.teacher is not None:
        rationale = f"teacher {summary.teacher_rationales}, template fallbacks {summary.teacher_fallbacks}"
    print(
        f"resa data: {summary.rows} rows ({summary.per_kind} per kind), {summary.images} images, rationales: "
        f"{rationale}; {summary.path} (sha256 {summary.sha256[:12]})"
    )
    return 0
