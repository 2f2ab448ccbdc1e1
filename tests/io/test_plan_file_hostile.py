"""Corrupt, truncated, oversized and hostile files: each is refused with a clear PlanFileError."""

from __future__ import annotations

import time
import tracemalloc
import zlib
from pathlib import Path

import pytest

from tests.strategies import build_plan, pack, unpack
from workbench.cli import main
from workbench.io import plan_file
from workbench.io.plan_file import PlanFileError, load_plan, plan_from_bytes, plan_to_bytes

GOOD = plan_to_bytes(build_plan(12, clusters=2))


def refused(data: bytes) -> str:
    with pytest.raises(PlanFileError) as info:
        plan_from_bytes(data, "x.meshplan")
    return str(info.value)


def compressed(text: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return c.compress(text) + c.flush()


def zero_block_stream(head: bytes, block: int, repeats: int, filler: int = 0) -> bytes:
    """A gzip stream of ``head`` then ``block * repeats`` filler bytes, built in milliseconds.

    After a full flush the compressor starts afresh, so the compressed form of one
    block can be repeated. The trailer's CRC is wrong (the loader must stop long before
    it); its size field is what a real stream of that length records (modulo 4 GiB).
    """
    c = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = bytes([filler]) * block
    first = c.compress(head + chunk) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    end = c.flush()
    total = len(head) + block * repeats
    return first + again * (repeats - 1) + end[:-4] + (total % 2**32).to_bytes(4, "little")


def test_a_good_file_loads() -> None:
    assert len(plan_from_bytes(GOOD).inventory.workloads) == 12


def test_empty_file() -> None:
    assert refused(b"") == "x.meshplan: the file is empty"


def test_not_compressed() -> None:
    assert "not gzip-compressed" in refused(b"PK\x03\x04 a zip archive")
    text = zlib.decompress(GOOD, 16 + zlib.MAX_WBITS)
    assert refused(text).endswith("(a decompressed copy? compress it with gzip)")


@pytest.mark.parametrize("keep", [10, 100, 0.5, -9, -4, -1])
def test_truncated(keep: float) -> None:
    cut = int(len(GOOD) * keep) if isinstance(keep, float) else keep
    message = refused(GOOD[:cut])
    assert "truncated" in message or "corrupt" in message


def test_bit_flip_in_the_compressed_data() -> None:
    for offset in (12, len(GOOD) // 3, len(GOOD) // 2, len(GOOD) - 12):
        data = bytearray(GOOD)
        data[offset] ^= 0x10
        message = refused(bytes(data))
        assert any(w in message for w in ("corrupt", "truncated", "not a plan", "invalid"))


def test_bit_flip_in_the_checksum() -> None:
    data = bytearray(GOOD)
    data[-6] ^= 0x01
    assert refused(bytes(data)) == (
        "x.meshplan: the file is corrupt (Error -3 while decompressing data: incorrect data check)"
    )


def test_data_after_the_end() -> None:
    assert "unexpected data after the end" in refused(GOOD + b"junk")


def test_not_a_plan_inside() -> None:
    assert refused(pack([1, 2])) == (
        "x.meshplan: the compressed content is not a plan (not a JSON object)"
    )
    doc = unpack(GOOD)
    doc["format"] = "xlsx"
    assert refused(pack(doc)) == (
        'x.meshplan: not a Mesh Migration Workbench plan (format is "xlsx", expected "meshplan")'
    )
    del doc["format"]
    assert "format is null" in refused(pack(doc))


def test_invalid_json_inside() -> None:
    assert "the JSON inside is invalid" in refused(compressed(b'{"a": }'))


def test_newer_format_version() -> None:
    doc = unpack(GOOD)
    doc["format_version"] = 7
    doc["app_version"] = "3.2.0"
    assert refused(pack(doc)) == (
        "x.meshplan: written by a newer Mesh Migration Workbench 3.2.0 (format 7); "
        "this version reads up to 2"
    )


@pytest.mark.parametrize("version", ["1", 1.0, True, None, [1]])
def test_format_version_must_be_an_integer(version: object) -> None:
    doc = unpack(GOOD)
    doc["format_version"] = version
    assert "format_version must be an integer" in refused(pack(doc))


def test_unknown_header_field_and_missing_plan() -> None:
    doc = unpack(GOOD)
    doc["signature"] = "x"
    assert refused(pack(doc)) == 'x.meshplan: unknown field "signature" in the file header'
    doc["app_version"] = 2
    del doc["signature"]
    assert refused(pack(doc)) == "x.meshplan: app_version must be text, got 2"
    del doc["plan"]
    assert "holds no plan" in refused(pack(doc))


def test_gigabytes_of_zeros_are_refused_at_once() -> None:
    bomb = zero_block_stream(b"", 64 * 2**20, 64)  # 4 GiB of zeros in about 4 MB
    assert len(bomb) < 8 * 2**20
    tracemalloc.start()
    started = time.perf_counter()
    try:
        message = refused(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "not a plan" in message
    assert time.perf_counter() - started < 2
    assert peak < 64 * 2**20


def test_a_json_looking_bomb_stops_at_the_size_limit() -> None:
    head = b'{"format": "meshplan", "format_version": 1, "plan": {}'
    bomb = zero_block_stream(head, 64 * 2**20, 64, filler=ord(" "))  # 4 GiB of spaces
    tracemalloc.start()
    started = time.perf_counter()
    try:
        message = refused(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "decompresses to more than 128 MB" in message
    assert time.perf_counter() - started < 10
    assert peak < plan_file.MAX_JSON_BYTES * 1.5


def test_too_many_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plan_file, "MAX_JSON_VALUES", 1000)
    assert "holds more than 1,000 values" in refused(GOOD)
    assert "holds more than 1,000 values" in refused(pack({"plan": [[]] * 2000}))


def test_file_too_large(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(plan_file, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "big.meshplan"
    path.write_bytes(GOOD)
    with pytest.raises(PlanFileError, match="over the 0 MB a plan file may have"):
        load_plan(path)


def test_deeply_nested_json() -> None:
    deep = b'{"plan": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert "nested too deeply" in refused(compressed(deep))
    doc = unpack(GOOD)
    nested: object = "title"
    for _ in range(500):
        nested = [nested]
    doc["plan"]["meta"]["title"] = nested
    assert refused(pack(doc)) == (
        "x.meshplan: plan.meta.title: expected text, got a list nested more than 64 levels deep"
    )


def test_wrong_type_names_the_workload() -> None:
    doc = unpack(GOOD)
    key = next(iter(doc["plan"]["inventory"]["workloads"]))
    doc["plan"]["inventory"]["workloads"][key]["replicas"] = "three"
    assert refused(pack(doc)) == (
        f'x.meshplan: plan.inventory.workloads["{key}"].replicas: expected an integer, got "three"'
    )


def test_dangling_wave_member() -> None:
    doc = unpack(GOOD)
    doc["plan"]["schedule"]["waves"][1]["members"].append("c9/nowhere/Deployment/ghost")
    assert "plan.schedule.waves[1].members[" in refused(pack(doc))
    assert 'workload "c9/nowhere/Deployment/ghost" is not in the inventory' in refused(pack(doc))


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(PlanFileError, match=r"cannot open .*nothing\.meshplan: No such file"):
        load_plan(tmp_path / "nothing.meshplan")
    with pytest.raises(PlanFileError, match=r"cannot open .*: Is a directory"):
        load_plan(tmp_path)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "the file is empty"),
        (GOOD[: len(GOOD) // 2], "truncated"),
        (b"hello", "not gzip-compressed"),
    ],
)
def test_the_command_line_prints_one_line_and_exits_2(
    content: bytes, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.meshplan"
    path.write_bytes(content)
    assert main(["summary", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and expected in err and str(path) in err
    assert "Traceback" not in err
