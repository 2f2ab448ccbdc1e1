"""``share``, ``comment``, ``comments`` and ``merge`` from the command line."""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.domain.plan import Plan
from workbench.io.plan_file import load_plan, save_plan


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path


@pytest.fixture
def key_file(folder: Path) -> Path:
    path = folder / "team.key"
    path.write_bytes(b"a shared team key of enough length\n")
    return path


def _members(plan_path: Path, capsys: pytest.CaptureFixture[str]) -> list[list[str]]:
    assert main(["waves", str(plan_path), "--json"]) == 0
    return [w["members"] for w in json.loads(capsys.readouterr().out)["waves"]]


def _share_hidden(plan: Path, key_file: Path, folder: Path) -> Path:
    hidden = folder / "hidden.meshplan"
    args = ["share", str(plan), "--hide-names", "--key-file", str(key_file), "-o", str(hidden)]
    assert main(args) == 0
    return hidden


def test_round_trip_through_a_hidden_copy(
    sample_plan_path: Path, folder: Path, key_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hidden = _share_hidden(sample_plan_path, key_file, folder)
    assert "names hidden" in capsys.readouterr().out
    members = _members(hidden, capsys)
    key = members[1][0]
    assert "prod-east" not in key
    reviewed = folder / "reviewed.meshplan"
    assert (
        main(
            [
                "comment",
                str(hidden),
                "--on",
                key,
                "--text",
                "pilot material",
                "--author",
                "reviewer",
                "-o",
                str(reviewed),
            ]
        )
        == 0
    )
    assert main(["comment", str(reviewed), "--on", "plan", "--text", "looks good"]) == 0
    capsys.readouterr()
    out = folder / "merged.meshplan"
    args = ["merge", str(sample_plan_path), str(sample_plan_path), str(reviewed), "-o", str(out)]
    assert main([*args, "--key-file", str(key_file), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["written"] == str(out) and doc["conflicts"] == []
    assert main(["comments", str(out), "--json"]) == 0
    comments = json.loads(capsys.readouterr().out)["comments"]
    real = load_plan(sample_plan_path).schedule.waves[1].members[0]
    assert [c["target"] for c in comments] == [f"workload:{real}", "plan"]
    assert comments[0]["author"] == "reviewer" and comments[0]["resolved"] is False
    assert set(comments[0]) == {"id", "target", "author", "created", "text", "resolved", "replies"}
    assert main(["comments", str(out)]) == 0
    text = capsys.readouterr().out
    assert f"workload {real}" in text and "pilot material" in text


@pytest.fixture
def clash(sample_plan_path: Path, folder: Path) -> tuple[Path, Path, Path]:
    base: Plan = load_plan(sample_plan_path)
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    for plan, days in ((mine, 7), (theirs, 14)):
        wave = plan.schedule.waves[1]
        wave.start += timedelta(days=days)
        wave.end += timedelta(days=days)
    paths = (folder / "base.meshplan", folder / "mine.meshplan", folder / "theirs.meshplan")
    for plan, path in zip((base, mine, theirs), paths, strict=True):
        save_plan(plan, path, keep_backup=False)
    return paths


def test_conflicts_are_listed_and_nothing_is_written(
    clash: tuple[Path, Path, Path], folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = folder / "out.meshplan"
    assert main(["merge", *map(str, clash), "-o", str(out)]) == 1
    lines = capsys.readouterr().out.splitlines()
    conflicts = [line for line in lines if line.startswith("conflict: ")]
    assert len(conflicts) == 2 and all("wave-02" in line for line in conflicts)
    assert any("start: mine " in line and ", theirs " in line for line in conflicts)
    assert not out.exists()


def test_prefer_theirs_settles_the_conflicts(
    clash: tuple[Path, Path, Path], folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = folder / "out.meshplan"
    assert main(["merge", *map(str, clash), "-o", str(out), "--prefer", "theirs"]) == 0
    assert load_plan(out).schedule.waves[1].start == load_plan(clash[2]).schedule.waves[1].start


def test_bad_input_is_one_line_exit_2_and_nothing_written(
    sample_plan_path: Path, folder: Path, key_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hidden = _share_hidden(sample_plan_path, key_file, folder)
    capsys.readouterr()
    out = folder / "out.meshplan"
    # the hidden copy without its key (the default key is another one)
    assert (
        main(["merge", str(sample_plan_path), str(sample_plan_path), str(hidden), "-o", str(out)])
        == 2
    )
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "hidden names" in err
    # a THEIRS that does not descend from BASE
    stranger = folder / "stranger.meshplan"
    assert main(["generate", "--workloads", "20", "-o", str(stranger)]) == 0
    capsys.readouterr()
    assert (
        main(["merge", str(sample_plan_path), str(sample_plan_path), str(stranger), "-o", str(out)])
        == 2
    )
    assert "does not descend" in capsys.readouterr().err
    # a comment on something the plan does not have
    before = hidden.read_bytes()
    assert main(["comment", str(hidden), "--on", "wave-77", "--text", "x"]) == 2
    assert "wave-77" in capsys.readouterr().err
    assert hidden.read_bytes() == before
    # a share onto the plan itself
    assert main(["share", str(hidden), "-o", str(hidden)]) == 2
    assert not out.exists()
