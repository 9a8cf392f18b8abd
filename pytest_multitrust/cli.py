"""The ``multitrust`` command (also ``python -m pytest_multitrust``): turn finished runs into things people read.

- ``multitrust report RUN_DIR [--out DIR]``: one self-contained HTML file of a run (:mod:`.report.html`).
- ``multitrust allure RUN_DIR|ALLURE_RESULTS [--out DIR]``: the Allure report as one HTML file, built with npm
  ``allure`` 3 (:mod:`.report.allure_html`).
- ``multitrust compare RUN_A RUN_B [...] [--out DIR]``: runs side by side, with paired tests, a radar and a
  trust-vs-utility scatter (:mod:`.report.compare`).

A problem with the input (no such run folder, a damaged file, npm missing) is one line on stderr and exit
status 2; the command never leaves a half-written output behind under the final name.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

EXIT_USAGE = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="multitrust", description="Render and compare MultiTrust runs (the folders pytest trusttests writes)."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    report = commands.add_parser("report", help="write a single-file HTML report of one run")
    report.add_argument("run_dir", type=Path, help="the run's report folder (holding scores.json)")
    report.add_argument("--out", type=Path, help="folder for report.html (default: RUN_DIR)")
    report.add_argument("--samples", type=int, default=5, help="worst samples shown per variant (default 5)")
    allure = commands.add_parser("allure", help="write the Allure report of a run as one HTML file (npm allure 3)")
    allure.add_argument("source", type=Path, help="a run folder (its allure-results/) or an allure-results folder")
    allure.add_argument("--out", type=Path, help="folder for the HTML file (default: RUN_DIR/allure-report)")
    compare = commands.add_parser("compare", help="compare two or more runs: table, paired tests, radar, scatter")
    compare.add_argument("runs", type=Path, nargs="+", help="two or more run folders")
    compare.add_argument("--out", type=Path, help="folder for compare.md, compare.html and the plots")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    from pytest_multitrust.report.run_dir import RunDirError

    try:
        if args.command == "report":
            from pytest_multitrust.report.html import write_report

            path = write_report(args.run_dir, args.out, samples_per_variant=args.samples)
            print(f"report: {path}")
        elif args.command == "allure":
            from pytest_multitrust.report.allure_html import build_allure_html

            path = build_allure_html(args.source, args.out)
            print(f"allure report: {path}")
        else:
            from pytest_multitrust.report.compare import compare_runs

            if len(args.runs) < 2:
                raise RunDirError("compare needs at least two run folders")
            for line in compare_runs(args.runs, args.out):
                print(line)
    except (RunDirError, RuntimeError) as exc:
        print(f"multitrust {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return 0


if __name__ == "__main__":  # pragma: no cover - python -m pytest_multitrust.cli
    sys.exit(main())
