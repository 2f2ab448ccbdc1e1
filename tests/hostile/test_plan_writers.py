"""Writers of one plan exclude each other; what a killed save left is cleaned up."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.strategies import build_plan
from workbench.io.plan_file import PlanFileError, load_plan, save_plan
from workbench.io.plan_lock import PlanLockedError, lock_path, plan_lock

PLAN = build_plan(12, clusters=1)


def _free_pairs(count: int) -> list[tuple[str, str]]:
    keys = sorted(PLAN.inventory.workloads)
    taken = set(PLAN.dependencies.edges)
    pairs = [(a, b) for a in keys for b in keys if a != b and (a, b) not in taken]
    return pairs[:count]


def test_concurrent_deps_add_lose_no_edge(tmp_path: Path) -> None:
    path = tmp_path / "estate.meshplan"
    save_plan(PLAN, path)
    before = len(PLAN.dependencies.edges)
    pairs = _free_pairs(4)
    sources = []
    for i, (caller, callee) in enumerate(pairs):
        csv = tmp_path / f"edge{i}.csv"
        csv.write_text(f"caller,callee\n{caller},{callee}\n")
        sources.append(csv)
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "workbench", "deps", "add", str(path), str(csv)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for csv in sources
    ]
    results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in processes]
    saved = load_plan(path)
    # each writer waits its turn (well within the lock's wait) and lands its edge: none
    # is refused and none lost (a test that let every writer fail would prove nothing)
    assert [code for code, _ in results] == [0] * len(pairs), results
    assert all(pair in saved.dependencies.edges for pair in pairs)
    assert len(saved.dependencies.edges) == before + len(pairs)


def _run_at_once(commands: list[list[str]]) -> list[tuple[int, str]]:
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "workbench", *command],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command in commands
    ]
    return [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in processes]


def _check_none_lost(results: list[tuple[int, str]], landed: int) -> None:
    """Every writer either landed its change or failed with a clear message: none lost."""
    failed = [err for code, err in results if code != 0]
    assert landed + len(failed) == len(results), results
    for err in failed:
        assert len(err.strip().splitlines()) == 1, err
        assert "being written by another program" in err, err


def test_concurrent_comments_lose_none(tmp_path: Path) -> None:
    path = tmp_path / "estate.meshplan"
    save_plan(PLAN, path)
    texts = [f"review note {i}" for i in range(4)]
    results = _run_at_once(
        [["comment", str(path), "--on", "plan", "--text", text] for text in texts]
    )
    saved = [c.text for c in load_plan(path).comments]
    assert len(saved) == len(set(saved)) and set(saved) <= set(texts)
    _check_none_lost(results, len(saved))


def test_concurrent_wave_shifts_and_edge_imports_lose_none(tmp_path: Path) -> None:
    path = tmp_path / "estate.meshplan"
    save_plan(PLAN, path)
    first = PLAN.schedule.waves[0]
    (caller, callee), *_ = _free_pairs(1)
    csv = tmp_path / "edge.csv"
    csv.write_text(f"caller,callee\n{caller},{callee}\n")
    shifts = [["waves", "shift", str(path), "--days", "1", "--wave", first.name]] * 3
    results = _run_at_once([*shifts, ["deps", "add", str(path), str(csv)]])
    saved = load_plan(path)
    moved = (saved.schedule.wave(first.id).start - first.start).days
    edge = int((caller, callee) in saved.dependencies.edges)
    _check_none_lost(results, moved + edge)
    assert results[-1][0] == 0 or not edge  # the edge landed exactly when its writer said so


def test_a_second_writer_waits_then_fails_clearly(tmp_path: Path) -> None:
    path = tmp_path / "p.meshplan"
    save_plan(PLAN, path)
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with plan_lock(path):
            holding.set()
            release.wait(30)

    # the lock is per process and re-entrant there: hold it from another process
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from workbench.io.plan_lock import plan_lock\n"
            f"with plan_lock({str(path)!r}):\n"
            "    print('locked', flush=True)\n"
            "    sys.stdin.readline()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    (caller, callee), *_ = _free_pairs(1)
    csv = tmp_path / "edge.csv"
    csv.write_text(f"caller,callee\n{caller},{callee}\n")
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        # a writer from the command line, refused after its wait (run alongside the waits
        # below, so the test waits once)
        refused = subprocess.Popen(
            [sys.executable, "-m", "workbench", "deps", "add", str(path), str(csv)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        with pytest.raises(PlanLockedError, match="being written by another program"):
            with plan_lock(path, wait_s=0.3):
                pass
        with pytest.raises(PlanFileError, match="nothing was saved"):
            import workbench.io.plan_lock as lock_module

            original = lock_module.WAIT_S
            lock_module.WAIT_S = 0.3
            try:
                save_plan(build_plan(3), path)
            finally:
                lock_module.WAIT_S = original
        out, err = refused.communicate(timeout=120)
        assert refused.returncode == 2, (out, err)
        [line] = err.strip().splitlines()
        assert "being written by another program" in line and "nothing was saved" in line, line
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(30)
    unchanged = load_plan(path)
    assert len(unchanged.inventory.workloads) == len(PLAN.inventory.workloads)
    assert (caller, callee) not in unchanged.dependencies.edges
    # a killed holder leaves no lock behind: the operating system releases it
    thread = threading.Thread(target=hold)
    thread.start()
    holding.wait(10)
    save_plan(build_plan(3), path)  # same process: re-entrant, no wait
    release.set()
    thread.join(10)
    assert lock_path(path.resolve()).exists()


def test_a_killed_save_leaves_nothing_behind_after_the_next_save(tmp_path: Path) -> None:
    path = tmp_path / "p.meshplan"
    save_plan(PLAN, path)
    left = [tmp_path / ".p.meshplan.0123abcd.tmp", tmp_path / ".p.meshplan.89abcdef.bak.tmp"]
    for leftover in left:
        leftover.write_bytes(b"half a save")
    unrelated = tmp_path / ".other.meshplan.0123abcd.tmp"
    unrelated.write_bytes(b"another plan's save")
    save_plan(PLAN, path)
    assert not any(p.exists() for p in left)
    assert unrelated.exists()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        ".other.meshplan.0123abcd.tmp",
        ".p.meshplan.lock",
        "p.meshplan",
        "p.meshplan.bak",
    ]
