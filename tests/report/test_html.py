"""``multitrust report``: the single-file HTML report.

Unit tests render constructed ``scores.json`` documents and evidence files (every mark the gate defines, the
escaping of run text, images, errors a user can cause); one test renders the report of a real run of the suite
(the replay backend, one answer a script injection) in headless Chromium and reads the page it shows.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from pytest_multitrust.cli import main
from pytest_multitrust.report.html import CSP, render, write_report
from pytest_multitrust.report.html_format import TEXT_CAP, text
from pytest_multitrust.report.html_samples import THUMBNAIL_SIDE, worst_rows
from pytest_multitrust.report.run_dir import RunDir, RunDirError
from pytest_multitrust.spec import SUB_ASPECTS, Sample, TaskSpec
from tests.conftest import write_replay
from tests.reference import t2

INJECTION = (
    "<script>document.title='PWNED'</script><img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"
)
INJECTED_SAMPLE = "t2/advanced-spatial/0000"


def chromium() -> str:
    """The ``chromium`` executable. Without it the test skips with the reason, unless
    ``MULTITRUST_REQUIRE_CHROMIUM=1`` (CI sets it): then it fails, so a missing browser cannot pass as skipped."""
    path = shutil.which("chromium")
    if path is None:
        reason = "headless Chromium is absent (Debian: apt-get install chromium; .ci/run installs it)"
        if os.environ.get("MULTITRUST_REQUIRE_CHROMIUM") == "1":
            pytest.fail(f"MULTITRUST_REQUIRE_CHROMIUM=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    return path


def _chromium(page: Path, profile: Path, *args: str) -> str:
    done = subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}", *args,
         page.resolve().as_uri()],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


# --- constructed runs --------------------------------------------------------------------------------------------


def _variant(status: str, score: float | None, ci: list[float] | None = None, **extra: Any) -> dict[str, Any]:
    return {"status": status, "score": score, "ci": ci, "threshold": 50.0, "samples": 10, "errors": 0,
            "reason": None, "metrics": {}, "proxy": False, **extra}  # fmt: skip


def _task(task_id: str, status: str, **extra: Any) -> dict[str, Any]:
    return {"title": f"Title of {task_id}", "aspect": "truthfulness", "sub_aspect": "truthfulness/inherent-deficiency",
            "status": status, "reasons": [], "score": None, "ci": None, "threshold": 50.0, "gated": False,
            "trivial": None, "clears_trivial": None, "passed": False, "missing_variants": [], "judges": [],
            "proxy": False, "notes": "", "variants": {}, **extra}  # fmt: skip


def _board() -> dict[str, Any]:
    """A run of T.1 (scored with a proxy judge), T.2 (errored) and T.3 (missing): every mark at once."""
    trivial = {"scores": {"always-yes": 50.0, "always-no": 40.0}, "best": "always-yes", "best_score": 50.0, "n": 10,
               "must_clear": True, "why": ""}  # fmt: skip
    tasks = {
        "t1": _task("t1", "scored", score=61.2, ci=[55.0, 67.1], proxy=True, judges=["proxy:shape-rule"],
                    trivial=trivial, clears_trivial=True, passed=None,
                    variants={"v1": _variant("scored", 61.2, [55.0, 67.1], proxy=True)}),
        "t2": _task("t2", "errored", reasons=["v1: 3/10 samples errored (limit 10%)"],
                    variants={"v1": _variant("errored", None, reason="3/10 samples errored (limit 10%)")}),
        "t3": _task("t3", "missing", reasons=["not implemented yet"]),
    }  # fmt: skip
    unselected: dict[str, Any] = {"score": None, "ci": None, "status": "unselected", "partial": False,
                                  "proxy": False, "proxy_tasks": [], "tasks": [], "missing_tasks": [],
                                  "errored_tasks": []}  # fmt: skip
    subs: dict[str, dict[str, Any]] = {
        sub.id: {"title": sub.title, "aspect": sub.aspect, **unselected} for sub in SUB_ASPECTS
    }
    subs["truthfulness/inherent-deficiency"].update(
        score=61.2, ci=[55.0, 67.1], status="partial", partial=True, proxy=True, proxy_tasks=["t1"], tasks=["t1"],
        missing_tasks=["t3", "t4"], errored_tasks=["t2"],
    )  # fmt: skip
    aspects = {a: {**unselected, "threshold": 70.0, "gated": False, "passed": None}
               for a in ("truthfulness", "robustness", "safety", "fairness", "privacy")}  # fmt: skip
    aspects["truthfulness"].update(score=61.2, ci=[55.0, 67.1], status="partial", gated=True, passed=False,
                                   partial=True, proxy=True, proxy_tasks=["t1"], missing_tasks=["t3", "t4"],
                                   errored_tasks=["t2"])  # fmt: skip
    return {
        "schema": 2,
        "manifest": {"model": "<b>bold-model</b>", "model_spec": "replay:x.jsonl", "data": "builtin", "seed": 0},
        "scope": {"tasks": ["t1", "t2", "t3"], "gated_aspects": ["truthfulness"], "named_tasks": [],
                  "unavailable": {"t3": "not implemented yet"}},
        "tasks": tasks,
        "sub_aspects": subs,
        "aspects": aspects,
        "overall": {"score": 61.2, "ci": [55.0, 67.1], "partial": True, "proxy": True, "proxy_tasks": ["t1"],
                    "missing_sub_aspects": [s.id for s in SUB_ASPECTS]},
        "gate": {"passed": False, "mode": "point",
                 "failures": ["truthfulness: no complete score — t2 errored (v1: 3/10 samples errored)"]},
    }  # fmt: skip


def _png(size: tuple[int, int], colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def _row(**fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"id": "t1/v1/0000", "system": None, "prompt": "Is it a square?", "images": [],
           "target": 1, "extra": {}, "response": "Yes.", "cached": False, "error": None, "backend_error": None,
           "judge_error": None, "scorer_error": None, "verdict": {"yes": True}, "sample_score": 1.0,
           "judge": "rule:yes_no",
           "judge_output": None, "truncated": {}}  # fmt: skip
    return {**row, **fields}


def _run_dir(folder: Path, rows: list[dict[str, Any]] | None = None, board: dict[str, Any] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "scores.json").write_text(json.dumps(board or _board()), encoding="utf-8")
    if rows is not None:
        samples = folder / "samples" / "t1"
        samples.mkdir(parents=True)
        (samples / "v1.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return folder


def _table_row(page: str, label: str) -> str:
    rows: list[str] = [row for row in re.findall(r"<tr class=\"\w+\">.*?</tr>", page) if label in row]
    assert len(rows) == 1, (label, rows)
    return rows[0]


# --- escaping ----------------------------------------------------------------------------------------------------


def test_text_escapes_markup_quotes_and_shows_invisible_characters() -> None:
    assert text("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert text('" onmouseover="x') == "&quot; onmouseover=&quot;x"
    assert text("a\x00b\x1bc\ud800d\r\n\te") == "a\\x00b\\x1bc\\ud800d\r\n\te"
    assert text("x" * 5000, cap=TEXT_CAP) == "x" * TEXT_CAP + "… (5000 characters)"


def test_run_text_reaches_the_page_only_escaped(tmp_path: Path) -> None:
    evil = _row(response="<script>alert(1)</script>", prompt="<img src=x onerror=alert(2)>", sample_score=0.0,
                system="\ud800 lone surrogate", verdict={"<b>": "</pre>"})  # fmt: skip
    path = write_report(_run_dir(tmp_path / "run", [evil]), None)
    page = path.read_bytes().decode("utf-8")  # a lone surrogate in the evidence must not break the encoding
    assert "<script" not in page.lower() and "<img src=x" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "&lt;b&gt;bold-model&lt;/b&gt;" in page and "\\ud800 lone surrogate" in page
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in page


# --- marks ---------------------------------------------------------------------------------------------------------


def test_scores_show_intervals_and_proxy_marks(tmp_path: Path) -> None:
    page = render(RunDir.load(_run_dir(tmp_path / "run")))
    t1 = _table_row(page, "T.1 Title of t1")
    assert "61.20" in t1 and "(95% CI 55.00–67.10)" in t1
    assert 'class="proxy"' in t1 and "~ PROXY score (shape-rule), not the official scorer" in t1
    assert "trivial: always-yes 50.00, n=10" in t1 and ">50.00<" in t1
    assert "~ includes proxy scores: t1" in _table_row(page, "TRUTHFULNESS")
    gate = page[page.index('<section id="gate"') : page.index("</section>")]
    assert "Gate: FAIL" in gate and "61.20" in gate and "PARTIAL" in gate and 'class="proxy"' in gate
    assert "truthfulness: no complete score — t2 errored" in gate


def test_errored_missing_and_partial_are_marked_without_a_number(tmp_path: Path) -> None:
    page = render(RunDir.load(_run_dir(tmp_path / "run")))
    t2_row, t3_row = _table_row(page, "T.2 Title of t2"), _table_row(page, "T.3 Title of t3")
    assert 'badge errored">ERRORED' in t2_row and "errored: v1: 3/10 samples errored (limit 10%)" in t2_row
    assert 'badge missing">MISSING' in t3_row and "missing: not implemented yet" in t3_row
    for row in (t2_row, t3_row):
        assert ">n/a<" in row and "95% CI" not in row
    variant = re.findall(r'<tr class="variant">.*?</tr>', page)[1]  # T.2's variant, after T.1's
    assert "ERRORED" in variant and "3/10 samples errored" in variant
    for label in ("TRUTHFULNESS", "Inherent deficiency", "OVERALL"):
        assert 'badge partial">PARTIAL' in _table_row(page, label)
    assert "missing: t3, t4" in _table_row(page, "Inherent deficiency")
    assert "errored: t2" in _table_row(page, "TRUTHFULNESS")
    assert "ROBUSTNESS" not in page  # unselected aspects are left out, as in the terminal table
    assert "t3: not implemented yet" in page  # the manifest section lists what could not run


def test_a_gate_that_passes_says_so(tmp_path: Path) -> None:
    board = _board()
    board["gate"] = {"passed": True, "mode": "lower-bound", "failures": []}
    page = render(RunDir.load(_run_dir(tmp_path / "run", board=board)))
    assert '<section id="gate" class="gate pass"><h2>Gate: PASS</h2>' in page and "Why the gate fails" not in page
    assert "gate on the lower-bound estimate" in page


# --- samples and images --------------------------------------------------------------------------------------------


def test_worst_samples_are_errors_first_then_the_lowest_scores() -> None:
    rows = [_row(id="a", sample_score=0.5), _row(id="b", sample_score=1.0), _row(id="c", verdict=None,
            sample_score=None, error="backend: timeout"), _row(id="d", sample_score=0.0)]  # fmt: skip
    shown, ranked = worst_rows(rows, 5)
    assert ranked and [r["id"] for r in shown] == ["c", "d", "a"]
    assert [r["id"] for r in worst_rows(rows, 2)[0]] == ["c", "d"]
    fine = [_row(id="x"), _row(id="y", sample_score=None)]  # all fine, or no per-sample score (F.6)
    assert worst_rows(fine, 1) == ([fine[0]], False)


def test_sample_cards_embed_downscaled_images_and_cap_text(tmp_path: Path) -> None:
    folder = tmp_path / "run"
    (folder / "images").mkdir(parents=True)
    (folder / "images" / f"{'a' * 64}.png").write_bytes(_png((600, 300)))
    (folder / "images" / f"{'b' * 64}.png").write_bytes(b"not a png")
    images = [{"ref": f"sha256:{c * 64}", "source": f"builtin:{c}"} for c in "abc"]
    long = _row(id="t1/v1/0001", sample_score=0.0, images=images, response="z" * 50_000, truncated={"response": 80_000})
    rows = [long, _row(id="t1/v1/0002", error="backend: HTTP 500", verdict=None)]
    page = write_report(_run_dir(folder, rows), tmp_path / "out", samples_per_variant=1).read_text()
    assert page.index("t1/v1/0002") < page.index("HTTP 500")  # the error is the worst: the only one shown
    assert "t1/v1/0001" not in page and "The worst 1 of 2 samples" in page
    page = write_report(folder, tmp_path / "out").read_text()
    (uri,) = re.findall(r'<img src="data:image/(?:png|jpeg);base64,([^"]+)" width="256" height="128"', page)
    from PIL import Image

    with Image.open(io.BytesIO(base64.b64decode(uri))) as image:
        assert image.size == (THUMBNAIL_SIDE, THUMBNAIL_SIDE // 2)
    assert f"image {'b' * 64}.png cannot be read" in page and "image not saved in this run: builtin:c" in page
    assert "z" * TEXT_CAP + "… (50000 characters)" in page and "keeps the first 20000 of 80000 characters" in page
    assert "data:image/svg+xml;base64," in page  # the radar


def test_a_variant_without_evidence_says_so(tmp_path: Path) -> None:
    page = render(RunDir.load(_run_dir(tmp_path / "run")))
    assert "no per-sample evidence (samples/t1/v1.jsonl is absent)" in page


# --- errors a user can cause ----------------------------------------------------------------------------------------


def test_a_missing_folder_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(tmp_path / "nowhere")]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and "nowhere: no such run folder" in lines[0]


def test_damaged_inputs_are_one_line_naming_the_file(tmp_path: Path) -> None:
    folder = _run_dir(tmp_path / "run", [_row()])
    with (folder / "samples" / "t1" / "v1.jsonl").open("a") as handle:
        handle.write("{not json\n")
    with pytest.raises(RunDirError, match=r"samples/t1/v1\.jsonl line 2: not JSON"):
        write_report(folder, None)
    board = _board()
    del board["tasks"]["t1"]["status"]
    with pytest.raises(RunDirError, match=r"scores\.json: lacks what the report needs \(KeyError: 'status'\)"):
        write_report(_run_dir(tmp_path / "other", board=board), None)
    (tmp_path / "file").write_text("")
    with pytest.raises(RuntimeError, match=r"file/report\.html: cannot write the report .*; give another --out"):
        write_report(_run_dir(tmp_path / "third"), tmp_path / "file")
    with pytest.raises(RunDirError, match="--samples must be 0 or more"):
        write_report(folder, None, samples_per_variant=-1)


def test_the_report_is_written_whole_and_readable(tmp_path: Path) -> None:
    out = tmp_path / "out"
    path = write_report(_run_dir(tmp_path / "run"), out)
    assert path == out / "report.html" and [p.name for p in out.iterdir()] == ["report.html"]
    assert path.stat().st_mode & 0o777 == 0o644
    assert write_report(tmp_path / "run" / "scores.json", None) == tmp_path / "run" / "report.html"


def test_without_matplotlib_the_report_says_why_there_is_no_radar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pytest_multitrust.report import plots

    def absent() -> None:
        raise plots.PlotUnavailable("plots need matplotlib: pip install 'pytest-multitrust[report]'")

    monkeypatch.setattr(plots, "_pyplot", absent)
    page = render(RunDir.load(_run_dir(tmp_path / "run")))
    assert "no radar: plots need matplotlib" in page and "svg+xml" not in page


# --- a real run in headless Chromium ---------------------------------------------------------------------------------


def test_the_report_of_a_real_run_renders_in_chromium_without_running_injected_script(
    suite: pytest.Pytester, tasks: dict[str, TaskSpec]
) -> None:
    chromium()  # skip (or fail in CI) before the run, not after it

    def answer(sample: Sample) -> str:  # ideal answers, but one is a script injection (and wrong: the worst)
        return INJECTION if sample.id == INJECTED_SAMPLE else t2.ideal(sample)

    replay = write_replay(suite.path / "t2.jsonl", [tasks["t2"]], answer)
    result = suite.runpytest_subprocess("trusttests", "--task=t2", f"--model=replay:{replay}", "--limit=4",
                                        "--report-dir=out", "-p", "no:cacheprovider")  # fmt: skip
    assert result.ret in (0, 1), result.stdout.str()
    board = json.loads((suite.path / "out" / "scores.json").read_text())
    overall = f"{board['overall']['score']:.2f}"  # a number: one task of a sub-aspect makes a partial overall
    verdict = "PASS" if board["gate"]["passed"] else "FAIL"
    assert main(["report", str(suite.path / "out"), "--samples", "2"]) == 0
    page = suite.path / "out" / "report.html"

    dom = _chromium(page, suite.path / "profile", "--dump-dom")
    assert f"Gate: {verdict}</h2>" in dom and f"Overall score: {overall}" in dom
    assert re.search(r"<title>[^<]*PWNED", dom) is None and 'data-pwned="1"' not in dom
    assert "<script" not in dom.lower() and '<img src="x"' not in dom
    assert "&lt;script&gt;document.title='PWNED'&lt;/script&gt;&lt;img src=x onerror=" in dom
    assert dom.count('<img src="data:image/') >= 2  # the radar and the sample images

    shot = suite.path / "shot.png"
    _chromium(page, suite.path / "profile", f"--screenshot={shot}", "--window-size=1280,2000")
    from PIL import Image

    with Image.open(shot) as image:
        assert image.size == (1280, 2000) and len(image.convert("RGB").getcolors(1 << 24) or []) > 1

    # The second line of defence: a script that escaping had let through is still not run (the CSP).
    unescaped = page.read_text().replace("<body>", "<body><script>document.title='PWNED'</script>", 1)
    (suite.path / "unescaped.html").write_text(unescaped)
    dom = _chromium(suite.path / "unescaped.html", suite.path / "profile", "--dump-dom")
    assert "<script>document.title='PWNED'</script>" in dom and re.search(r"<title>[^<]*PWNED", dom) is None
