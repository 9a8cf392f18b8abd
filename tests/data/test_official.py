"""The official-data reader: every problem is one line naming the task, variant, file and what to do."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from pytest_multitrust.data.official import OfficialData, OfficialDataError
from pytest_multitrust.spec import DataOptions, Variant

VARIANT = Variant("t9", "some-variant")


def _data(root: Path) -> OfficialData:
    return OfficialData.of(VARIANT, DataOptions(source="official", data_dir=root))


def _one_line(info: pytest.ExceptionInfo[OfficialDataError], *parts: str) -> None:
    message = str(info.value)
    assert message.startswith("t9/some-variant: ") and "\n" not in message
    assert all(part in message for part in parts), message


def test_missing_data_dir_and_files(tmp_path: Path) -> None:
    with pytest.raises(OfficialDataError) as info:
        OfficialData.of(VARIANT, DataOptions(source="official"))
    _one_line(info, "--data official needs --data-dir")
    with pytest.raises(OfficialDataError) as info:
        _data(tmp_path).json("truthfulness/query.json")
    _one_line(info, "truthfulness/query.json not found under", "thu-ml/MultiTrust")


def test_malformed_json_jsonl_and_csv(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("{oops")
    (tmp_path / "b.jsonl").write_text('{"ok": 1}\n\nnot json\n')
    (tmp_path / "c.csv").write_text("question,id\nhow,1\n")
    data = _data(tmp_path)
    with pytest.raises(OfficialDataError) as info:
        data.json("a.json")
    _one_line(info, "a.json is not valid JSON")
    with pytest.raises(OfficialDataError) as info:
        list(data.jsonl("b.jsonl"))
    _one_line(info, "b.jsonl:3 is not valid JSON")
    assert list(data.csv_rows("c.csv", required=("question",))) == [(2, {"question": "how", "id": "1"})]
    with pytest.raises(OfficialDataError) as info:
        list(data.csv_rows("c.csv", required=("question", "image_path")))
    _one_line(info, "c.csv lacks column(s) image_path")
    with pytest.raises(OfficialDataError) as info:
        data.field({"a": 1}, "truth", "query.json item 4")
    _one_line(info, "query.json item 4 has no field 'truth'")


def test_images_are_opened_safely(tmp_path: Path) -> None:
    Image.new("RGB", (4, 3), (1, 2, 3)).save(tmp_path / "ok.png")
    (tmp_path / "broken.png").write_bytes(b"not an image")
    outside = tmp_path.parent / "outside.png"
    Image.new("RGB", (2, 2)).save(outside)
    data = _data(tmp_path)
    ref = data.image("ok.png")
    assert ref.image.size == (4, 3) and ref.source == "official:ok.png"
    broken = data.image("broken.png")  # the path is fine: the pixels are read on first use
    assert not broken.decoded
    with pytest.raises(OfficialDataError) as info:
        _ = broken.sha256
    _one_line(info, "cannot read image")
    with pytest.raises(OfficialDataError) as info:
        data.image("../outside.png")
    _one_line(info, "outside the data directory")


def _snapshot(tmp_path: Path, files: dict[str, bytes]) -> Path:
    """A Hugging Face ``snapshot_download`` folder: every file a relative symlink into ``../../blobs/``."""
    import hashlib
    import os

    blobs, snapshot = tmp_path / "blobs", tmp_path / "snapshots" / "abc123"
    blobs.mkdir(parents=True)
    for relative, content in files.items():
        blob = blobs / hashlib.sha256(content).hexdigest()
        blob.write_bytes(content)
        link = snapshot / relative
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(os.path.relpath(blob, link.parent))
    return snapshot


def _png(size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    import io

    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_snapshot_download_tree_with_symlinks_into_blobs_reads(tmp_path: Path) -> None:
    root = _snapshot(tmp_path, {"images/a.png": _png((5, 4), (9, 9, 9)), "query.json": b"[]"})
    assert (root / "images/a.png").is_symlink()
    data = _data(root)
    assert data.image("images/a.png").image.size == (5, 4)
    assert data.json("query.json") == []


def test_a_snapshot_tree_still_refuses_names_that_climb_out(tmp_path: Path) -> None:
    root = _snapshot(tmp_path, {"images/a.png": _png((2, 2), (0, 0, 0))})
    data = _data(root)
    blob = next((tmp_path / "blobs").iterdir())
    for name in (f"../../blobs/{blob.name}", str(blob)):  # a relative climb, and an absolute path
        with pytest.raises(OfficialDataError) as info:
            data.image(name)
        _one_line(info, "outside the data directory")


def test_a_task_loader_reads_a_snapshot_tree(tmp_path: Path) -> None:
    import json

    from pytest_multitrust.spec import registered_tasks

    t2 = registered_tasks()["t2"]
    rows = [{"image": "x.png", "query": "The ball is left of the box.", "truth": "Yes"}]
    root = _snapshot(tmp_path, {
        "truthfulness/query_advanced/query_d_spatial.json": json.dumps(rows).encode(),
        "truthfulness/advanced_images/spatial/x.png": _png((8, 8), (200, 10, 10)),
    })  # fmt: skip
    variant = t2.variant("advanced-spatial")
    samples = t2.official(variant, DataOptions(source="official", data_dir=root))  # type: ignore[misc]
    assert [s.target for s in samples] == [1] and samples[0].images[0].image.getpixel((0, 0)) == (200, 10, 10)


def _needs(spec_files: object) -> list[str]:
    return [alt for need in spec_files for alt in ((need,) if isinstance(need, str) else need)]  # type: ignore[attr-defined]


def test_every_loader_first_needs_a_file_its_task_declares(tmp_path: Path) -> None:
    # The configure-time check reads official_files; a loader that needed something else first would pass the
    # check and then fail every variant. On an empty folder each loader must name a declared file.
    from pytest_multitrust.spec import is_extra, registered_tasks

    for spec in registered_tasks().values():
        assert spec.official is not None and spec.official_files is not None, spec.id
        for variant in spec.variants:
            declared = _needs(spec.official_files(variant))
            if is_extra(spec.id):  # our own tasks have no official layout: the official source builds our samples
                assert not declared
                continue
            assert declared, (spec.id, variant.id)
            with pytest.raises(OfficialDataError) as info:
                spec.official(variant, DataOptions(source="official", data_dir=tmp_path))
            assert any(path in str(info.value) for path in declared), (spec.id, variant.id, str(info.value))


def test_limit_applies_before_official_images_are_decoded(tmp_path: Path) -> None:
    import json

    from pytest_multitrust.runner import build_samples
    from pytest_multitrust.spec import registered_tasks

    t2 = registered_tasks()["t2"]
    rows = [{"image": f"{i}.png", "query": f"Statement {i}.", "truth": "Yes"} for i in range(5)]
    (tmp_path / "truthfulness/query_advanced").mkdir(parents=True)
    (tmp_path / "truthfulness/query_advanced/query_d_math.json").write_text(json.dumps(rows))
    images = tmp_path / "truthfulness/advanced_images/math"
    images.mkdir(parents=True)
    for i in range(5):
        Image.new("RGB", (4, 4), (i, 0, 0)).save(images / f"{i}.png")
    (images / "4.png").write_bytes(b"not an image")  # past the limit: never decoded
    options = DataOptions(source="official", data_dir=tmp_path)
    variant = t2.variant("advanced-math")
    kept = build_samples(t2, variant, options, limit=2)
    assert [s.images[0].image.getpixel((0, 0)) for s in kept] == [(0, 0, 0), (1, 0, 0)]
    with pytest.raises(OfficialDataError) as info:  # without the limit the broken file is read, and named
        build_samples(t2, variant, options, limit=None)
    assert str(info.value).startswith("t2/advanced-math: cannot read image") and "4.png" in str(info.value)
