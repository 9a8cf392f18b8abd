"""Size and render time of ``multitrust report`` on a finished run.

Run from the repository root: ``python -m benchmarks.report_size RUN_DIR [--samples 5] [--repeat 3]``
(e.g. ``reports/tiny-llava`` after the default ``pytest trusttests``). Writes the report to a temporary folder
``--repeat`` times and prints the file's size, what share of it is embedded images, and the fastest and median
render time; asserts nothing.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path

from pytest_multitrust.report.html import write_report
from pytest_multitrust.report.run_dir import RunDir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir", type=Path, help="a run's report folder (holding scores.json)")
    parser.add_argument("--samples", type=int, default=5, help="worst samples per variant (default 5)")
    parser.add_argument("--repeat", type=int, default=3, help="renders to time (default 3)")
    args = parser.parse_args()
    run = RunDir.load(args.run_dir)
    variants = sum(1 for _ in run.variants())
    times = []
    with tempfile.TemporaryDirectory(prefix="multitrust-report-size-") as folder:
        for _ in range(max(1, args.repeat)):
            started = time.perf_counter()
            path = write_report(run.path, Path(folder), samples_per_variant=args.samples)
            times.append(time.perf_counter() - started)
        page = path.read_text(encoding="utf-8")
    size = len(page.encode("utf-8"))
    images = re.findall(r'src="data:image/([a-z+]+);base64,([A-Za-z0-9+/=]*)"', page)
    image_bytes = sum(len(data) for _, data in images)
    kinds = sorted({kind for kind, _ in images})
    print(f"run: {run.path} ({len(run.scores['tasks'])} tasks, {variants} variants, --samples {args.samples})")
    print(f"report.html: {size / 1e6:.2f} MB; embedded images {len(images)} ({', '.join(kinds)}), "
          f"{image_bytes / 1e6:.2f} MB ({image_bytes / size:.0%} of the file)")  # fmt: skip
    print(f"render time: fastest {min(times):.2f} s, median {statistics.median(times):.2f} s over {len(times)}")


if __name__ == "__main__":
    main()
