"""Opening a plan file in a worker process: the plan in pieces, errors, cancel."""

from __future__ import annotations

import gzip
import multiprocessing
import pickle
import threading
from pathlib import Path

import pytest

from workbench.domain.jobs import CancelToken, JobCancelled
from workbench.io.plan_file import PlanFileError, load_plan, save_plan
from workbench.ops.generate import generate_plan
from workbench.ops.loading import PieceReader, load_in_process, pickle_pieces
from workbench.ops.loading.pieces import PIECE_ITEMS, count_pieces, large_containers


def test_pieces_rebuild_the_plan_and_each_piece_stays_small() -> None:
    plan = generate_plan(1_200, 3, 5)
    pieces = list(pickle_pieces(plan))
    assert len(pieces) == count_pieces(plan) > 10
    assert plan.inventory.workloads in large_containers(plan)
    reader = PieceReader()
    rebuilt = [reader.feed(p) for p in pieces][-1]
    assert rebuilt == plan
    whole = len(pickle.dumps(plan, protocol=pickle.HIGHEST_PROTOCOL))
    # the object itself mostly refers to what the slices carried
    assert len(pieces[-1]) < whole / 5
    assert max(len(p) for p in pieces) < whole / 5
    assert len(plan.inventory.workloads) / PIECE_ITEMS <= len(pieces)


def test_load_in_process_gives_the_plan_the_file_holds(tmp_path: Path) -> None:
    plan = generate_plan(400, 2, 3)
    path = tmp_path / "estate.meshplan"
    save_plan(plan, path)
    seen: list[float] = []
    loaded = load_in_process(path, lambda f, _m: seen.append(f), CancelToken())
    assert loaded.plan == load_plan(path)
    assert loaded.warnings == ()
    assert seen[0] == 0.0 and seen[-1] == pytest.approx(1.0)
    assert seen == sorted(seen)


def test_a_broken_file_raises_what_the_synchronous_open_raises(tmp_path: Path) -> None:
    path = tmp_path / "broken.meshplan"
    path.write_bytes(gzip.compress(b'{"format": "something else"}'))
    with pytest.raises(PlanFileError) as raised:
        load_in_process(path, lambda _f, _m: None, CancelToken())
    with pytest.raises(PlanFileError) as direct:
        load_plan(path)
    assert str(raised.value) == str(direct.value) and "broken.meshplan" in str(raised.value)


def test_an_unreadable_file_fails_as_the_synchronous_open_does(tmp_path: Path) -> None:
    path = tmp_path / "folder.meshplan"
    path.mkdir()
    with pytest.raises((OSError, PlanFileError)) as raised:
        load_in_process(path, lambda _f, _m: None, CancelToken())
    with pytest.raises((OSError, PlanFileError)) as direct:
        load_plan(path)
    assert type(raised.value) is type(direct.value)
    assert str(raised.value) == str(direct.value) and "folder.meshplan" in str(raised.value)


def test_cancel_stops_the_load_and_the_worker(tmp_path: Path) -> None:
    path = tmp_path / "estate.meshplan"
    save_plan(generate_plan(400, 2, 3), path)
    token = CancelToken()
    threading.Timer(0.05, token.cancel).start()
    with pytest.raises(JobCancelled):
        load_in_process(path, lambda _f, _m: None, token)
    assert not [p for p in multiprocessing.active_children() if p.name == "mesh-workbench-open"]
