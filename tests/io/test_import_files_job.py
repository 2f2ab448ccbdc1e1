"""The import use-case as a job: progress, cancel, defaults of a new plan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.domain.jobs import CancelToken, JobCancelled
from workbench.ops.import_files import import_files


def _dump(path: Path, n: int) -> None:
    items = [
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": f"w{i}", "namespace": f"ns{i % 5}"},
            "spec": {
                "replicas": 1,
                "template": {
                    "metadata": {"labels": {"app": f"w{i}"}},
                    "spec": {"containers": [{"name": "c"}]},
                },
            },
        }
        for i in range(n)
    ]
    path.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": items}))


def test_progress_is_monotonic_and_ends_at_one(tmp_path: Path) -> None:
    for i in range(3):
        _dump(tmp_path / f"part{i}.json", 50)
    seen: list[tuple[float, str]] = []
    outcome = import_files([str(tmp_path)], progress=lambda f, m: seen.append((f, m)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert len(seen) >= 5 and outcome.files == 3
    assert len(outcome.plan.inventory.workloads) == 50  # the same names in each part
    assert any("more than once" in w for w in outcome.warnings)
    assert [p.id for p in outcome.plan.schedule.phases] == [
        "foundation",
        "pilot",
        "core",
        "optimization",
    ]


def test_cancel_stops_the_import_and_changes_nothing(tmp_path: Path) -> None:
    for i in range(4):
        _dump(tmp_path / f"part{i}.json", 10)
    token = CancelToken()

    def progress(fraction: float, message: str) -> None:
        if message.startswith("read ") and "part1" in message:
            token.cancel()

    with pytest.raises(JobCancelled, match="cancelled"):
        import_files([str(tmp_path)], progress=progress, cancel=token)
    assert token.is_cancelled()
