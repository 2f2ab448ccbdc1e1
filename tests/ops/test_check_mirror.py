"""The checking worker's copy of a plan sent in pieces: nothing is checked until the
last piece, a newer plan drops an unfinished one, edits follow the plan."""

from __future__ import annotations

from workbench.domain.commands import AssignWorkloads
from workbench.ops.background import parts_for
from workbench.ops.background.process import Edit, Mirror, OpenFile, PlanPiece, starts_a_plan
from workbench.ops.check import check_plan
from workbench.ops.generate import generate_plan
from workbench.ops.loading import pickle_pieces


def _pieces(plan: object, generation: int) -> list[PlanPiece]:
    data = list(pickle_pieces(plan, items=50))
    return [PlanPiece(generation, d, i == 0, i == len(data) - 1) for i, d in enumerate(data)]


def test_a_plan_in_pieces_is_checked_once_complete_and_edits_follow() -> None:
    plan = generate_plan(300, 2, 11)
    pieces = _pieces(plan, 1)
    assert len(pieces) > 5 and starts_a_plan(pieces[0]) and not starts_a_plan(pieces[1])
    mirror = Mirror()
    assert not mirror.absorb(pieces[:3]) and mirror.session is None
    assert not mirror.absorb(pieces[3:-1])
    assert mirror.absorb(pieces[-1:]) and mirror.session is not None
    assert mirror.session.plan == plan
    assert mirror.session.result().findings == check_plan(plan).findings
    change = AssignWorkloads(plan.unassigned()[:3], "wave-02").do(plan)
    assert mirror.absorb([Edit(2, parts_for(plan, change), change)])
    assert mirror.session.result().findings == check_plan(plan).findings


def test_a_newer_plan_drops_the_pieces_of_an_unfinished_one(tmp_path: object) -> None:
    first, second = generate_plan(200, 1, 3), generate_plan(120, 1, 4)
    mirror = Mirror()
    old = _pieces(first, 1)
    assert not mirror.absorb(old[:2])
    new = _pieces(second, 2)
    assert mirror.absorb([*new, *old[2:]])  # stray pieces of the old plan are ignored
    assert mirror.session is not None and mirror.session.plan == second


def test_open_file_replaces_a_plan_still_arriving(tmp_path: object) -> None:
    from pathlib import Path

    from workbench.io.plan_file import save_plan

    saved = generate_plan(150, 1, 5)
    path = Path(str(tmp_path)) / "saved.meshplan"
    save_plan(saved, path)
    mirror = Mirror()
    assert not mirror.absorb(_pieces(generate_plan(200, 1, 3), 1)[:2])
    assert mirror.absorb([OpenFile(2, str(path))])
    assert mirror.session is not None and mirror.session.plan == saved
