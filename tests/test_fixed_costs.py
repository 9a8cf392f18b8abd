"""A warm rerun does no work it already did: no model load, no torch, no drawing; time accounted by phase."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

from pytest_multitrust.data.images import ImageRef
from pytest_multitrust.data.sample_cache import SampleCache, sample_key
from pytest_multitrust.models.lazy import LazyModel, open_model
from pytest_multitrust.models.protocol import ModelLoadError, Request
from pytest_multitrust.models.registry import LoadOptions, parse_spec
from pytest_multitrust.runner import build_samples
from pytest_multitrust.spec import DataOptions, Sample, TaskSpec, registered_tasks
from pytest_multitrust.timing import PhaseClock, summary

ARGS = ("--task=p6", "--task=t5", "--limit=2", "-n", "0", "-p", "no:cacheprovider", "--cache-dir=cache")


def _imported(result: pytest.RunResult) -> set[str]:
    """The top-level packages a ``python -X importtime`` run imported (its stderr lists every module)."""
    found = set()
    for line in result.stderr.lines:
        if line.startswith("import time:") and "|" in line:
            found.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return found


def _run_importtime(suite: pytest.Pytester, report: str) -> pytest.RunResult:
    # -s: importtime writes to fd 2, which pytest's capture would otherwise swallow during the tests.
    command = (sys.executable, "-X", "importtime", "-m", "pytest", "-s", "trusttests", *ARGS)
    result = suite.run(*command, f"--report-dir={report}")
    assert result.ret in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED), result.stdout.str()[-2000:]
    return result


def test_a_warm_rerun_imports_no_torch_loads_no_model_and_draws_no_image(suite: pytest.Pytester) -> None:
    cold = _run_importtime(suite, "cold")
    assert {"torch", "transformers"} <= _imported(cold)  # the check below can see them when they are imported
    warm = _run_importtime(suite, "warm")
    assert not {"torch", "transformers"} & _imported(warm)
    run = json.loads((suite.path / "warm" / "run.json").read_text())
    assert run["model_loaded"] is False and run["cache"]["misses"] == 0
    variants = run["sample_cache"]["hits"]
    assert variants == 8 and run["sample_cache"]["misses"] == 0  # p6 has 7 variants, t5 one
    assert json.loads((suite.path / "cold" / "run.json").read_text())["sample_cache"] == {"hits": 0, "misses": 8}
    # Same scores, same manifest (the model's description comes from the memo of the first load).
    assert (suite.path / "warm" / "scores.json").read_text() == (suite.path / "cold" / "scores.json").read_text()
    warm.stdout.fnmatch_lines(["*sample cache: 8 hits, 0 misses", "time by phase: samples * s, model load 0.0 s, *"])
    # The warm run's evidence images are the cache's PNG files, linked, not encoded again; they hold the pixels.
    image = next((suite.path / "warm" / "images").glob("*.png"))
    assert image.stat().st_nlink >= 2
    from PIL import Image

    with Image.open(image) as opened:
        assert ImageRef.of(opened.convert("RGB"), "x").sha256 == image.stem


def test_a_new_checkpoint_file_makes_the_lazy_model_load_again(tmp_path: Path) -> None:
    from pytest_multitrust.models.tiny import save_tiny

    folder = Path(save_tiny("tiny-llava", tmp_path / "ckpt"))
    spec, options = parse_spec(f"hf:{folder}"), LoadOptions(0, {})
    first = LazyModel("--model", spec, options, tmp_path / "memo")
    fingerprint = first.fingerprint()
    assert first.loaded
    again = LazyModel("--model", spec, options, tmp_path / "memo")
    assert again.fingerprint() == fingerprint and again.describe() == first.describe() and not again.loaded
    config = folder / "config.json"
    config.write_text(config.read_text().replace('"hidden_size"', '"hidden_size" ', 1))  # same meaning, new file
    os.utime(config, ns=(time.time_ns(), time.time_ns() + 10**9))
    changed = LazyModel("--model", spec, options, tmp_path / "memo")
    assert changed.fingerprint() == fingerprint and changed.loaded  # the identity changed: it loaded to find out


def test_a_corrupt_memo_is_a_load_and_is_rewritten(tmp_path: Path) -> None:
    spec, options = parse_spec("tiny-llava"), LoadOptions(0, {})
    model = LazyModel("--model", spec, options, tmp_path)
    fingerprint = model.fingerprint()
    (memo,) = tmp_path.glob("*.json")
    memo.write_text('{"fingerprint": 3}')
    reread = LazyModel("--model", spec, options, tmp_path)
    assert reread.fingerprint() == fingerprint and reread.loaded
    assert json.loads(memo.read_text())["fingerprint"] == fingerprint


def test_a_load_error_is_one_line_naming_the_option_and_is_not_retried(tmp_path: Path) -> None:
    (tmp_path / "ckpt").mkdir()
    (tmp_path / "ckpt" / "config.json").write_text('{"model_type": "no-such-architecture"}')
    model = open_model("--judge", parse_spec(f"hf:{tmp_path / 'ckpt'}"), LoadOptions(0, {}), tmp_path / "cache")
    for _ in range(2):
        with pytest.raises(ModelLoadError, match=r"^--judge: .*no-such-architecture") as info:
            model.generate([Request("x/y/0", "hello")])
        assert "\n" not in str(info.value)


def _spec(tasks: dict[str, TaskSpec], task: str) -> TaskSpec:
    return tasks[task]


def test_cached_samples_read_back_equal_and_their_images_are_not_decoded(
    tmp_path: Path, tasks: dict[str, TaskSpec]
) -> None:
    spec = _spec(tasks, "t1")
    variant, data = spec.variants[-1], DataOptions(seed=3)
    built = build_samples(spec, variant, data, 4, SampleCache(tmp_path))
    cache = SampleCache(tmp_path)
    again = build_samples(spec, variant, data, 4, cache)
    assert (cache.hits, cache.misses) == (1, 0)
    assert [(s.id, s.prompt, s.target, s.system, dict(s.extra)) for s in again] == [
        (s.id, s.prompt, s.target, s.system, dict(s.extra)) for s in built
    ]
    assert all(not image.decoded for s in again for image in s.images)
    assert [image.sha256 for s in again for image in s.images] == [image.sha256 for s in built for image in s.images]
    decoded = again[0].images[0]
    assert ImageRef.of(decoded.image, "x").sha256 == decoded.sha256  # the PNG holds exactly those pixels


def test_tuples_survive_and_a_longer_limit_rebuilds(tmp_path: Path, tasks: dict[str, TaskSpec]) -> None:
    spec = _spec(tasks, "r1")
    variant, data = spec.variants[0], DataOptions(seed=0)
    built = build_samples(spec, variant, data, 2, SampleCache(tmp_path))
    cache = SampleCache(tmp_path)
    longer = build_samples(spec, variant, data, 5, cache)
    assert (cache.hits, cache.misses) == (0, 1) and [s.id for s in longer[:2]] == [s.id for s in built]
    shorter = SampleCache(tmp_path)
    assert [s.id for s in build_samples(spec, variant, data, 3, shorter)] == [s.id for s in longer[:3]]
    assert shorter.hits == 1
    sample = Sample("r1/x/0000", "p", target=(1, [2, (3,)]), extra={"box": (0, 1)})
    SampleCache(tmp_path).store("k" * 64, 1, [sample])
    (read,) = SampleCache(tmp_path).load("k" * 64, None) or []
    assert read.target == (1, [2, (3,)]) and read.extra == {"box": (0, 1)}


def test_what_json_cannot_carry_is_not_cached(tmp_path: Path) -> None:
    cache = SampleCache(tmp_path)
    assert not cache.store("a" * 64, 1, [Sample("a/b/0000", "p", target={1: "non-string key"})])
    assert not cache.store("b" * 64, 1, [Sample("a/b/0000", "p", extra={"when": object()})])
    assert cache.load("a" * 64, None) is None and cache.load("b" * 64, None) is None


@pytest.mark.parametrize("damage", ["truncate", "remove-image"])
def test_a_damaged_entry_is_a_miss_and_is_rebuilt(tmp_path: Path, tasks: dict[str, TaskSpec], damage: str) -> None:
    spec = _spec(tasks, "r1")
    variant, data = spec.variants[0], DataOptions()
    built = build_samples(spec, variant, data, 2, SampleCache(tmp_path))
    if damage == "truncate":
        (entry,) = (tmp_path / "samples").rglob("*.json")
        entry.write_bytes(entry.read_bytes()[:40])
    else:
        next((tmp_path / "images").rglob("*.png")).unlink()
    cache = SampleCache(tmp_path)
    assert [s.id for s in build_samples(spec, variant, data, 2, cache)] == [s.id for s in built]
    assert (cache.hits, cache.misses) == (0, 1)
    assert SampleCache(tmp_path).load(sample_key(spec, variant, data), 2) is not None


def test_the_key_changes_with_seed_generator_code_and_official_files(
    tmp_path: Path, tasks: dict[str, TaskSpec], monkeypatch: pytest.MonkeyPatch
) -> None:
    import pytest_multitrust.data.sample_cache as sample_cache

    spec = _spec(tasks, "r1")
    variant = spec.variants[0]
    key = sample_key(spec, variant, DataOptions(seed=0))
    assert key == sample_key(spec, variant, DataOptions(seed=0))
    assert key != sample_key(spec, variant, DataOptions(seed=1))
    monkeypatch.setattr(sample_cache, "generator_version", lambda: "another generator")
    assert key != sample_key(spec, variant, DataOptions(seed=0))
    monkeypatch.undo()
    labels = tmp_path / "robustness/ood-artistic/label/cartoon.json"
    labels.parent.mkdir(parents=True)
    labels.write_text("{}\n")
    official = DataOptions(source="official", data_dir=tmp_path)
    before = sample_key(spec, variant, official)
    labels.write_text('{"a": 1}\n')
    assert sample_key(spec, variant, official) != before


def test_nested_phases_count_for_themselves() -> None:
    clock = PhaseClock()
    with clock.phase("generate"):
        time.sleep(0.02)
        with clock.phase("model_load"):
            time.sleep(0.05)
        time.sleep(0.02)
    assert 0.05 <= clock.totals["model_load"] < 0.07
    assert 0.04 <= clock.totals["generate"] < 0.06
    account = summary({"generate": 2.0, "model_load": 1.0, "samples": 0.5}, wall=2.0, processes=2)
    assert account["rest"] == 0.5 and account["overhead_share"] == 0.5
    assert summary({}, wall=1.0, processes=1)["overhead_share"] is None


def _identity(sample: Sample) -> tuple[object, ...]:
    return (sample.id, sample.prompt, sample.target, sample.system, dict(sample.extra),
            tuple(image.sha256 for image in sample.images))  # fmt: skip


@pytest.mark.parametrize("task_id", list(registered_tasks()))
def test_a_generator_told_the_limit_builds_exactly_the_prefix_of_its_full_list(task_id: str) -> None:
    # Generators may stop at the run's --limit (DataOptions.limit); what they return must be the full list's prefix.
    spec = registered_tasks()[task_id]
    for variant in dict.fromkeys((spec.variants[0], spec.variants[-1])):
        full = spec.builtin(variant, DataOptions(seed=5))
        for limit in (1, 7):
            part = spec.builtin(variant, DataOptions(seed=5, limit=limit))
            assert len(part) >= min(limit, len(full)), (variant.id, limit)
            assert [_identity(s) for s in part[:limit]] == [_identity(s) for s in full[:limit]], (variant.id, limit)
