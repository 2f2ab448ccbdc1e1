"""Bad lines: an error naming file and line, the good records kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.domain.inventory import Inventory
from workbench.io.runtime import RuntimeFormatError, parse_columns, read_runtime_file
from workbench.io.runtime.flowlogs import ColumnsError

from .conftest import CART, DEATHSTAR, FRONTEND, TIEFIGHTER, sample


def hubble_lines() -> list[str]:
    return Path(sample("hubble-jsonpb.jsonl")).read_text().splitlines()


def test_a_hubble_capture_with_bad_lines_keeps_the_good_ones(
    tmp_path: Path, inventory: Inventory
) -> None:
    good = hubble_lines()
    otlp = Path(sample("otlp-traces.jsonl")).read_text().splitlines()[0]
    unknown = json.dumps({**json.loads(good[0]), "surprise": 1})
    lines = [
        good[0],  # 1
        good[5],  # 2 frontend -> cart
        good[3][: len(good[3]) // 2],  # 3 truncated
        otlp,  # 4 another format
        unknown,  # 5 an unknown field beside the flow
        "x" * (10 * 2**20),  # 6 a 10 MB line
        good[3],  # 7
    ]
    path = tmp_path / "flows.json"
    path.write_text("\n".join(lines) + "\n")
    t = read_runtime_file(str(path), inventory, "hubble")
    assert [(e.line, e.path) for e in t.errors] == [(n, str(path)) for n in (3, 4, 5, 6)]
    problems = [e.problem for e in t.errors]
    assert "truncated" in problems[0]
    assert "another format" in problems[1]
    assert "unknown field 'surprise'" in problems[2]
    assert "10.0 MB line is over the 4.0 MB limit" in problems[3]
    assert str(t.errors[0]).startswith(f"{path}:3: ")
    assert dict(t.calls) == {(TIEFIGHTER, DEATHSTAR): 2, (FRONTEND, CART): 1}


def test_a_hubble_line_in_a_trace_file_is_refused_there(
    tmp_path: Path, inventory: Inventory
) -> None:
    lines = Path(sample("otlp-traces.jsonl")).read_text().splitlines()
    path = tmp_path / "spans.jsonl"
    path.write_text("\n".join([*lines, hubble_lines()[0]]) + "\n")
    t = read_runtime_file(str(path), inventory)
    assert t.fmt == "otlp" and [e.line for e in t.errors] == [5]
    assert "another format" in t.errors[0].problem
    assert t.calls  # the spans before it count


def test_a_truncated_jaeger_document_names_file_and_line(
    tmp_path: Path, inventory: Inventory
) -> None:
    text = Path(sample("jaeger-traces.json")).read_text()
    path = tmp_path / "traces.json"
    path.write_text(text[: len(text) // 2])
    with pytest.raises(RuntimeFormatError, match=rf"{path}:\d+: .*truncated"):
        read_runtime_file(str(path), inventory, "jaeger")


def test_a_file_of_no_runtime_format(tmp_path: Path, inventory: Inventory) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello\nworld\n")
    with pytest.raises(RuntimeFormatError, match="not a runtime capture"):
        read_runtime_file(str(path), inventory)


def test_flow_logs_without_ip_columns_say_how_to_name_them(
    tmp_path: Path, inventory: Inventory
) -> None:
    path = tmp_path / "flows.csv"
    path.write_text("a,b,c\n1,2,3\n")
    t = read_runtime_file(str(path), inventory, "flowlog")
    assert "--columns" in t.errors[0].problem and t.errors[0].line == 1
    with pytest.raises(ColumnsError, match="ROLE=COLUMN"):
        parse_columns("source:srcaddr")


def test_a_flow_log_row_of_the_wrong_width(tmp_path: Path, inventory: Inventory) -> None:
    path = tmp_path / "flows.csv"
    path.write_text("srcaddr,dstaddr,count\n10.0.1.5,10.96.0.20,3\n10.0.1.5\n10.0.1.6,10.0.1.7,x\n")
    t = read_runtime_file(str(path), inventory)
    assert [(e.line, e.problem) for e in t.errors] == [
        (3, "1 fields where the header has 3"),
        (4, "count 'x' is not a number"),
    ]
    assert dict(t.calls) == {(FRONTEND, CART): 3}
