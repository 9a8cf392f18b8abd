"""``multitrust allure``: a run's Allure results as one self-contained HTML file, built with npm ``allure`` 3.

Where the results are: a run writes them where ``--alluredir`` says; ``multitrust allure RUN_DIR`` expects them in
``RUN_DIR/allure-results`` (``pytest trusttests --report-dir R --alluredir R/allure-results``), and any other
folder holding ``*-result.json`` files can be given directly. The report lands in ``<out>/index.html`` (default
``allure-report/`` beside the results, i.e. ``RUN_DIR/allure-report``), grouped aspect → task → variant
(the epic/feature/story labels of :mod:`.allure_evidence`), with the run's manifest as Allure's environment.

The tool: Allure 3 is the TypeScript rewrite (no Java). It is installed once with
``npm install --prefix <tools>/allure allure@3`` (``<tools>``: ``$MULTITRUST_TOOLS_DIR``, else
``$XDG_CACHE_HOME/pytest-multitrust``, else ``~/.cache/pytest-multitrust``) and reused afterwards.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from pytest_multitrust.report.run_dir import RunDir, RunDirError

#: The npm package spec installed on first use (the major version this module's config is written for).
ALLURE_PACKAGE = "allure@3"
#: Allure's behaviour labels, outermost first: aspect → task → variant.
GROUP_BY = ("epic", "feature", "story")
#: The one file the report is.
REPORT_FILE = "index.html"
#: Manifest entries shown first in the environment, in this order; the rest follow sorted by name.
HEADLINE = ("model", "model_spec", "seed", "data", "data_dir", "limit", "judge", "gate", "refusal_list")
INSTALL_TIMEOUT_S = 900
GENERATE_TIMEOUT_S = 600

# The report template loads Google Analytics when opened; a benchmark report (it can hold PII evidence) should
# open offline and tell no one, so the two tags are cut out of the written file.
_ANALYTICS = re.compile(
    r'<script async src="https://www\.googletagmanager\.com/[^"]*"></script>\s*<script>\s*window\.dataLayer.*?</script>',
    re.DOTALL,
)
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_NO_NODE = "install Node.js (it brings npm; https://nodejs.org or your package manager), then rerun"


def tools_dir() -> Path:
    """Where the project keeps the tools it installs itself (``$MULTITRUST_TOOLS_DIR`` when set)."""
    if os.environ.get("MULTITRUST_TOOLS_DIR"):
        return Path(os.environ["MULTITRUST_TOOLS_DIR"]).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache).expanduser() / "pytest-multitrust"


def ensure_allure(folder: Path | None = None) -> Path:
    """The ``cli.js`` of an installed Allure 3, installing it with npm on first use.

    The install goes to a temporary sibling folder that is renamed into place when complete, so an interrupted
    install (or two at once) never leaves a half-installed tool under the final name.

    Args:
        folder: the npm prefix to install into (default ``tools_dir() / "allure"``).

    Raises:
        RuntimeError: npm is missing, the install failed (the tail of npm's stderr), or ``folder`` holds
            something that is not an Allure 3 install.
    """
    folder = folder if folder is not None else tools_dir() / "allure"
    cli = folder / "node_modules" / "allure" / "cli.js"
    if _installed(folder):
        return cli
    if folder.exists():
        raise RuntimeError(f"{folder}: not a working Allure 3 install; delete the folder and rerun to reinstall it")
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(f"npm not found on PATH (needed once, to install Allure 3): {_NO_NODE}")
    print(f"installing allure 3 with npm into {folder} (first use)", file=sys.stderr)
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-installing-", dir=folder.parent))
    except OSError as exc:
        raise RuntimeError(
            f"{folder.parent}: cannot create the tools folder ({exc}); set MULTITRUST_TOOLS_DIR"
        ) from None
    try:
        # --ignore-scripts: no package of allure's tree needs an install script, so none is allowed to run.
        command = [npm, "install", "--prefix", str(staging), ALLURE_PACKAGE]
        flags = ["--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"]
        _run([*command, *flags], INSTALL_TIMEOUT_S, what=f"npm install {ALLURE_PACKAGE}")
        if not _installed(staging):
            raise RuntimeError(f"npm install {ALLURE_PACKAGE} into {staging} left no allure 3 package behind")
        staging.chmod(0o755)  # mkdtemp made it private; a shared MULTITRUST_TOOLS_DIR must stay readable
        try:
            staging.rename(folder)
        except OSError:
            if not _installed(folder):  # a concurrent install that won the race is as good as ours
                raise RuntimeError(f"{folder}: cannot move the new Allure install into place") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return cli


def _installed(folder: Path) -> bool:
    base = folder / "node_modules" / "allure"
    try:
        version = str(json.loads((base / "package.json").read_text(encoding="utf-8")).get("version", ""))
    except (OSError, ValueError, AttributeError):
        return False
    return version.startswith("3.") and (base / "cli.js").is_file()


def environment_properties(manifest: Mapping[str, Any]) -> str:
    """The manifest as a Java properties text, the format of Allure's ``environment.properties``.

    Nested mappings become dotted keys (``packages.torch``), lists are joined with ", ", and unset entries
    (None, empty lists and mappings) are left out. Every character outside printable ASCII is written as
    ``\\uXXXX``, so the text means the same whatever encoding a reader assumes.
    """
    first = [key for key in HEADLINE if key in manifest]
    keys = first + sorted(key for key in manifest if key not in HEADLINE)
    lines = ["# the MultiTrust run's manifest (scores.json), written by pytest-multitrust"]
    for key in keys:
        for name, value in _flatten(str(key), manifest[key]):
            lines.append(f"{_escape(name, key=True)}={_escape(value)}")
    return "\n".join(lines) + "\n"


def write_environment(results_dir: Path, manifest: Mapping[str, Any]) -> Path:
    """Write the run's manifest as ``environment.properties`` into an Allure results folder (atomically).

    Raises:
        RuntimeError: the folder cannot be written (one line naming it).
    """
    path = Path(results_dir) / "environment.properties"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_text(environment_properties(manifest), encoding="ascii")
        os.replace(temporary, path)
    except OSError as exc:
        raise RuntimeError(f"{path}: cannot write the Allure environment ({exc.strerror or exc})") from None
    return path


def _flatten(name: str, value: Any) -> Iterator[tuple[str, str]]:
    if isinstance(value, Mapping):
        for key in sorted(value, key=str):
            yield from _flatten(f"{name}.{key}", value[key])
    elif isinstance(value, (list, tuple)):
        if value:
            yield name, ", ".join(str(item) for item in value)
    elif value is not None:
        yield name, json.dumps(value) if isinstance(value, bool) else str(value)


def _escape(text: str, key: bool = False) -> str:
    out = []
    for position, char in enumerate(text):
        if char == "\\":
            out.append("\\\\")
        elif char in "\t\n\r\f":
            out.append({"\t": "\\t", "\n": "\\n", "\r": "\\r", "\f": "\\f"}[char])
        elif (key and char in "=: ") or (position == 0 and char in " #!"):
            out.append("\\" + char)  # a separator inside a key, or leading space / a comment sign
        elif " " <= char <= "~":
            out.append(char)
        else:
            encoded = char.encode("utf-16-be", "surrogatepass")  # astral characters: two \u escapes
            out.extend(f"\\u{int.from_bytes(encoded[i : i + 2], 'big'):04x}" for i in range(0, len(encoded), 2))
    return "".join(out)


def build_allure_html(source: Path, out: Path | None) -> Path:
    """Build the single-file Allure report of a run (or of an Allure results folder); returns the HTML file.

    Args:
        source: a run folder (``scores.json`` beside ``allure-results/``; its manifest becomes the report's
            environment) or a folder of Allure results (``*-result.json``).
        out: the folder for ``index.html`` (default: ``allure-report/`` beside the results).

    Raises:
        RunDirError: the source is not a run folder with Allure results nor an Allure results folder.
        RuntimeError: Node.js/npm missing, the install or ``allure generate`` failed, or the output cannot be
            written; each is one line.
    """
    results, run = _locate(Path(source))
    out = Path(out) if out is not None else results.resolve().parent / "allure-report"
    if out.resolve() == results.resolve():
        raise RunDirError(f"{out}: --out must not be the Allure results folder itself")
    cli = ensure_allure()
    node = shutil.which("node")
    if node is None:
        raise RuntimeError(f"node not found on PATH (Allure 3 runs on it): {_NO_NODE}")
    if run is not None:
        write_environment(results, run.manifest)
    name = f"MultiTrust: {run.name}" if run is not None else "MultiTrust"
    target = out / REPORT_FILE
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".allure-", dir=out) as work:
            report = Path(work) / "report"
            config = Path(work) / "allurerc.json"
            options = {"singleFile": True, "reportName": name, "groupBy": list(GROUP_BY)}
            document = {"name": name, "plugins": {"awesome": {"options": options}}}
            config.write_text(json.dumps(document, indent=2), encoding="utf-8")
            command = [node, str(cli), "generate", "--config", str(config), "--output", str(report), str(results)]
            _run(command, GENERATE_TIMEOUT_S, what="allure generate", cwd=Path(work))
            html = report / REPORT_FILE
            if not html.is_file():
                raise RuntimeError(f"allure generate wrote no {REPORT_FILE} into {report} (is {cli} Allure 3?)")
            html.write_text(_ANALYTICS.sub("", html.read_text(encoding="utf-8")), encoding="utf-8")
            os.replace(html, target)
    except OSError as exc:
        raise RuntimeError(f"{out}: cannot write the report ({exc.strerror or exc}); choose another --out") from None
    return target


def _locate(source: Path) -> tuple[Path, RunDir | None]:
    """(the Allure results folder, the run when the source is a run folder) for a ``multitrust allure`` source."""
    if source.is_file() and source.name == "scores.json":
        source = source.parent
    if not source.is_dir():
        raise RunDirError(f"{source}: no such folder (give a run folder with allure-results/, or the results)")
    run: RunDir | None = None
    results = source
    if (source / "scores.json").is_file():
        run = RunDir.load(source)
        results = source / "allure-results"
        if not results.is_dir():
            raise RunDirError(f"{source}: this run has no allure-results/ folder; rerun it with --alluredir {results}")
    elif not _has_results(source) and (source / "allure-results").is_dir():
        results = source / "allure-results"
    if not _has_results(results):
        raise RunDirError(
            f"{results}: no Allure results (*-result.json) here; give a run folder or the folder that "
            "pytest --alluredir wrote"
        )
    return results, run


def _has_results(folder: Path) -> bool:
    return any(folder.glob("*-result.json"))


def _run(command: list[str], timeout: float, what: str, cwd: Path | None = None) -> None:
    """Run a tool quietly; a failure is a RuntimeError whose one line ends with the tail of its stderr."""
    environment = os.environ | {"NO_COLOR": "1", "FORCE_COLOR": "0"}
    try:
        done = subprocess.run(
            command, cwd=cwd, env=environment, capture_output=True, text=True, errors="replace", timeout=timeout
        )
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"{what} did not finish within {timeout:.0f} s") from None
    except OSError as exc:
        raise RuntimeError(f"{what} could not start ({exc.strerror or exc}): {_NO_NODE}") from None
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed (exit {done.returncode}): {_tail(done.stderr or done.stdout)}")


def _tail(text: str, lines: int = 3, cap: int = 400) -> str:
    kept = [line.strip() for line in _ANSI.sub("", text).splitlines() if line.strip()][-lines:]
    tail = " | ".join(kept) or "(no output)"
    return tail if len(tail) <= cap else "…" + tail[-cap:]
