"""An edited plan crosses to a job's worker in pieces made a slice at a time: the plan
read back equals it, no collection runs while the pickler holds its states, and the
collector resumes once the pickler is dropped, also when the reading is given up."""

from __future__ import annotations

import pickle

import pytest

from workbench.domain.plan import Plan
from workbench.io.collector import collections_running
from workbench.ops.background.transfer import PlanInPieces, PlanPieces
from workbench.ops.generate import generate_plan
from workbench.ops.loading import PieceReader, pickle_pieces
from workbench.ops.loading.pieces import count_pieces

pytestmark = pytest.mark.usefixtures("collector_on")


def test_the_plan_is_made_in_slices_and_reads_back_equal() -> None:
    plan = generate_plan(900, 2, 5)
    pickling = PlanInPieces(plan)
    slices = 0
    while (pieces := pickling.advance(0.0)) is None:  # one piece per call
        slices += 1
        assert not collections_running()
    assert slices == count_pieces(plan) - 1 and pickling.made == count_pieces(plan)
    releases = 1
    while not pickling.release(0.0):  # the pickler's states go a slice at a time
        releases += 1
        assert not collections_running()  # until the last of them is gone
    assert releases > 1 and collections_running()
    assert isinstance(pieces, PlanPieces) and len(pieces.pieces) == count_pieces(plan)
    copy = pieces.plan()
    assert isinstance(copy, Plan) and copy == plan and copy is not plan
    assert pickle.loads(pickle.dumps(pieces)).plan() == plan  # it crosses a pipe as it is


def test_giving_up_or_dropping_a_reading_resumes_the_collector() -> None:
    plan = generate_plan(300, 1, 2)
    pickling = PlanInPieces(plan)
    assert pickling.advance(0.0) is None
    pickling.close()
    pickling.close()  # a second close does nothing
    assert collections_running()
    dropped = PlanInPieces(plan)
    assert dropped.advance(0.0) is None
    del dropped
    assert collections_running()


def test_a_member_removed_between_pieces_is_left_out() -> None:
    plan = generate_plan(450, 1, 2)
    pieces = pickle_pieces(plan)
    reader = PieceReader()
    reader.feed(next(pieces))
    gone = next(iter(plan.inventory.workloads))
    del plan.inventory.workloads[gone]  # the dict holds one member less from here on
    rebuilt = [reader.feed(p) for p in pieces][-1]
    assert isinstance(rebuilt, Plan) and gone not in rebuilt.inventory.workloads
    assert rebuilt.inventory.workloads == plan.inventory.workloads


def test_messages_with_large_arrays_cross_frame_by_frame() -> None:
    """A numpy array larger than a pickle frame comes to the writer as one buffer."""
    import numpy as np

    from workbench.ops.background.transfer import dumps_in_steps, loads_in_steps

    draws = np.random.default_rng(3).normal(size=200_000)  # 1.6 MB: many frames
    message = ("job", {"draws": draws, "rows": [np.arange(5.0)] * 3, "raw": bytes(300_000)})
    back = loads_in_steps(dumps_in_steps(message))
    assert back[0] == "job" and back[1]["raw"] == bytes(300_000)
    np.testing.assert_array_equal(back[1]["draws"], draws)
    assert all((row == np.arange(5.0)).all() for row in back[1]["rows"])
