"""The incremental check session and its worker process agree with a full check."""

from __future__ import annotations

import copy
import pickle
import random
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.domain.test_incremental_readiness import random_changes
from workbench.domain.commands import AssignWorkloads, Change
from workbench.domain.findings import Finding
from workbench.domain.plan import Plan
from workbench.io.plan_file import save_plan
from workbench.ops.background import CheckProcess, CheckSession, FindingsDelta, parts_for
from workbench.ops.background.process import Edit, Failed, OpenFile, WholePlan
from workbench.ops.check import check_plan
from workbench.ops.generate import generate_plan


@pytest.fixture(scope="module")
def estate() -> Plan:
    return generate_plan(300, 2, 3)


class Mirror:
    """What a client holds after applying deltas in order."""

    def __init__(self) -> None:
        self.findings: Counter[Finding] = Counter()
        self.risk: dict[str, float] = {}
        self.muted: list[Finding] = []
        self.generation = -1
        self.final = False

    def apply(self, delta: FindingsDelta) -> None:
        if delta.reset:
            self.findings, self.risk, self.muted = Counter(), {}, []
        self.findings.subtract(delta.removed)
        self.findings.update(delta.added)
        self.findings = +self.findings
        self.risk.update(delta.risk)
        for key in delta.dropped:
            self.risk.pop(key, None)
        if delta.muted is not None:
            self.muted = delta.muted
        self.generation, self.final = delta.generation, delta.final

    def matches(self, plan: Plan) -> bool:
        full = check_plan(plan)
        return (
            self.findings == Counter(full.findings)
            and self.risk == full.risk
            and self.muted == full.muted
        )


def _copy(obj: object) -> object:
    return pickle.loads(pickle.dumps(obj))


def test_session_equals_a_full_check_after_random_edits_and_undos(estate: Plan) -> None:
    plan = copy.deepcopy(estate)
    session = CheckSession(_copy(plan))  # type: ignore[arg-type]
    mirror = Mirror()
    for chunk in session.delta(0).chunks(50):
        mirror.apply(chunk)
    assert mirror.final and mirror.matches(plan)
    changes = random_changes(plan, random.Random(9), 30)
    for generation, change in enumerate(changes, start=1):
        session.apply(_copy(parts_for(plan, change)), change)  # type: ignore[arg-type]
        result, full = session.result(), check_plan(plan)
        assert result.findings == full.findings
        assert result.muted == full.muted and result.risk == full.risk
        assert result.backlog == full.backlog
        delta = session.delta(generation)
        assert not delta.reset
        for chunk in delta.chunks(50):
            mirror.apply(chunk)
        assert mirror.generation == generation and mirror.matches(plan)


def test_a_one_workload_move_sends_a_small_delta(estate: Plan) -> None:
    plan = copy.deepcopy(estate)
    session = CheckSession(_copy(plan))  # type: ignore[arg-type]
    everything = session.delta(0)
    key = plan.unassigned()[0]
    change = AssignWorkloads([key], plan.schedule.waves[-1].id).do(plan)
    session.apply(_copy(parts_for(plan, change)), change)  # type: ignore[arg-type]
    delta = session.delta(1)
    assert 0 < len(delta.added) + len(delta.removed) < len(everything.added) / 10


def _collect(process: CheckProcess, mirror: Mirror, generation: int) -> list[object]:
    """Apply replies until the final chunk of ``generation`` (or a failure) arrives."""
    seen: list[object] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        process.wait(1.0)
        for reply in process.receive(limit=100):
            seen.append(reply)
            if isinstance(reply, Failed):
                return seen
            mirror.apply(reply)
            if reply.final and reply.generation == generation:
                return seen
    raise AssertionError(f"no final reply for generation {generation}")


def test_worker_process_mirrors_the_plan_coalesces_edits_and_recovers(
    estate: Plan, tmp_path: Path
) -> None:
    plan = copy.deepcopy(estate)
    path = tmp_path / "estate.meshplan"
    save_plan(plan, path)
    process = CheckProcess()
    mirror = Mirror()
    try:
        # an edit before any plan: the worker asks for a whole plan
        nothing = Change(frozenset({"schedule"}))
        process.send(Edit(1, parts_for(plan, nothing), nothing))
        replies = _collect(process, mirror, 1)
        assert isinstance(replies[-1], Failed) and replies[-1].needs_plan

        process.send(OpenFile(2, str(path)))
        replies = _collect(process, mirror, 2)
        assert all(not r.final for r in replies[:-1]) and replies[-1].final  # type: ignore[attr-defined]
        assert mirror.final and mirror.matches(plan)

        # several edits in a burst: applied in order, answered for the newest
        keys = plan.unassigned()[:6]
        wave = plan.schedule.waves[-1].id
        for generation, key in enumerate(keys, start=3):
            change = AssignWorkloads([key], wave).do(plan)
            process.send(Edit(generation, parts_for(plan, change), change))
        last = 2 + len(keys)
        _collect(process, mirror, last)
        assert mirror.generation == last and mirror.matches(plan)

        # an in-memory plan replaces the mirror entirely
        other = generate_plan(120, 1, 4)
        process.send(WholePlan(last + 1, other))
        _collect(process, mirror, last + 1)
        assert mirror.matches(other)
    finally:
        process.stop()  # returns at once; the worker ends (or is ended) meanwhile
    deadline = time.monotonic() + 30
    while process.process.exitcode is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.process.exitcode is not None
