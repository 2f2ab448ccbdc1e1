"""The content checksum: a file changed outside the app opens with a warning naming the part."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from workbench.cli import main
from workbench.io.plan_file import load_plan, open_plan, plan_to_bytes, save_plan


def _doc(path: Path) -> Any:
    return json.loads(gzip.decompress(path.read_bytes()))


def _write(path: Path, doc: Any, indent: int | None = None) -> None:
    path.write_bytes(gzip.compress(json.dumps(doc, indent=indent).encode()))


@pytest.fixture
def saved(sample_plan_path: Path, tmp_path: Path) -> Path:
    path = tmp_path / "plan.meshplan"
    save_plan(load_plan(sample_plan_path), path, keep_backup=False)
    return path


def test_a_saved_file_records_a_checksum_per_part_and_opens_clean(saved: Path) -> None:
    doc = _doc(saved)
    assert doc["checksum"]["algorithm"] == "sha256"
    assert set(doc["checksum"]["parts"]) == set(doc["plan"])
    assert open_plan(saved).warnings == ()


def test_reformatting_is_not_a_change(saved: Path) -> None:
    _write(saved, _doc(saved), indent=2)
    assert open_plan(saved).warnings == ()


def test_an_edit_outside_the_app_is_named(saved: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = _doc(saved)
    doc["plan"]["schedule"]["waves"][0]["end"] = "2031-01-01"
    doc["plan"]["comments"] = [
        {"id": "x", "target": "plan", "author": "?", "created": "", "text": "sneaky"}
    ]
    _write(saved, doc)
    loaded = open_plan(saved)
    assert len(loaded.warnings) == 1
    warning = loaded.warnings[0]
    assert "schedule" in warning and "comments" in warning and "inventory" not in warning
    assert loaded.plan.schedule.waves[0].end.year == 2031  # a warning, not a refusal
    assert main(["waves", str(saved)]) == 0
    err = capsys.readouterr().err
    assert err.startswith("mesh-workbench: warning: ") and "schedule" in err
    assert err.count("\n") == 1


def test_damage_to_the_checksum_itself_is_reported(saved: Path) -> None:
    doc = _doc(saved)
    doc["checksum"] = "deadbeef"
    _write(saved, doc)
    assert "unreadable" in open_plan(saved).warnings[0]


def test_a_file_without_checksum_has_nothing_to_check(saved: Path) -> None:
    doc = _doc(saved)
    del doc["checksum"]
    _write(saved, doc)
    assert open_plan(saved).warnings == ()


def test_saving_again_makes_the_file_clean(saved: Path) -> None:
    doc = _doc(saved)
    doc["plan"]["meta"]["title"] = "edited by hand"
    _write(saved, doc)
    plan = load_plan(saved)
    saved.write_bytes(plan_to_bytes(plan))
    assert open_plan(saved).warnings == ()


def test_comments_are_checked_on_load(saved: Path) -> None:
    from workbench.io.plan_file import PlanFileError

    doc = _doc(saved)
    comment = {"id": "a", "target": "wave:", "author": "", "created": "", "text": "x"}
    doc["plan"]["comments"] = [comment]
    _write(saved, doc)
    with pytest.raises(PlanFileError, match=r"plan\.comments\[0\]\.target"):
        load_plan(saved)
    doc["plan"]["comments"] = [{**comment, "target": "plan"}, {**comment, "target": "plan"}]
    _write(saved, doc)
    with pytest.raises(PlanFileError, match="duplicate comment id"):
        load_plan(saved)


def test_the_envelope_is_what_sorted_json_of_it_would_be(sample_plan_path: Path) -> None:
    import orjson

    from workbench.io.plan_codec import to_data
    from workbench.io.plan_integrity import checksum, envelope_with_checksum

    content = to_data(load_plan(sample_plan_path))
    header = {"format": "meshplan", "format_version": 2, "app_version": "x"}
    expected = {**header, "checksum": checksum(content), "plan": content}
    assert envelope_with_checksum(header, content) == orjson.dumps(
        expected, option=orjson.OPT_SORT_KEYS
    )
