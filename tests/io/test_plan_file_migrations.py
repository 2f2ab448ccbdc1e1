"""Older format versions are upgraded step by step; gaps and failing steps are clear errors."""

from __future__ import annotations

from typing import Any

import pytest

from tests.strategies import build_plan, pack, unpack
from workbench.io import plan_migrations
from workbench.io.plan_file import PlanFileError, plan_from_bytes, plan_to_bytes
from workbench.io.plan_migrations import FORMAT_VERSION, MigrationError, migrate

PLAN = build_plan(8)


def version_zero() -> dict[str, Any]:
    """The plan as an imagined format 0 stored it: the title at the top, as ``name``."""
    doc = unpack(plan_to_bytes(PLAN))
    doc["format_version"] = 0
    doc["name"] = doc["plan"]["meta"].pop("title")
    return doc


def zero_to_one(doc: dict[str, Any]) -> dict[str, Any]:
    doc["plan"]["meta"]["title"] = doc.pop("name")
    return doc


def test_the_chain_is_applied_step_by_step() -> None:
    seen: list[int] = []

    def step(n: int) -> plan_migrations.Migration:
        def run(doc: dict[str, Any]) -> dict[str, Any]:
            seen.append(n)
            assert doc["format_version"] == n
            doc.setdefault("trail", []).append(n)
            return doc

        return run

    chain = {n: step(n) for n in (2, 3, 4)}
    result = migrate({"format_version": 2}, 2, target=5, chain=chain)
    assert seen == [2, 3, 4]
    assert result == {"format_version": 5, "trail": [2, 3, 4]}
    assert migrate({"format_version": 5}, 5, target=5, chain=chain) == {"format_version": 5}


def test_a_missing_step_is_refused() -> None:
    with pytest.raises(
        MigrationError,
        match=r"format 1 is older than any this version can upgrade \(it reads formats 2 to 4\)",
    ):
        migrate({}, 1, target=4, chain={2: dict, 3: dict})


def test_a_failing_step_is_reported_with_its_versions() -> None:
    def broken(doc: dict[str, Any]) -> dict[str, Any]:
        return doc["absent"]  # type: ignore[no-any-return]

    with pytest.raises(MigrationError, match="could not upgrade from format 0 to 1: KeyError"):
        migrate({}, 0, target=1, chain={0: broken})


def test_the_loader_upgrades_an_old_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(plan_migrations.MIGRATIONS, 0, zero_to_one)
    assert plan_from_bytes(pack(version_zero())) == PLAN


def test_without_a_step_an_old_file_is_refused() -> None:
    assert 0 not in plan_migrations.MIGRATIONS
    with pytest.raises(PlanFileError) as info:
        plan_from_bytes(pack(version_zero()), "old.meshplan")
    assert str(info.value) == (
        "old.meshplan: format 0 is older than any this version can upgrade "
        "(it reads formats 1 to 2)"
    )


def test_a_step_that_leaves_a_bad_plan_is_caught_by_validation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(plan_migrations.MIGRATIONS, 0, lambda doc: doc)  # forgets the title
    with pytest.raises(PlanFileError, match='unknown field "name" in the file header'):
        plan_from_bytes(pack(version_zero()))


def test_every_step_leads_to_the_current_version() -> None:
    assert all(0 <= n < FORMAT_VERSION for n in plan_migrations.MIGRATIONS)


def test_format_1_evidence_gains_its_source_and_hand_made_edges_say_so() -> None:
    doc = unpack(plan_to_bytes(PLAN))
    doc["format_version"] = 1
    edges = doc["plan"]["dependencies"]["edges"]
    for edge in edges:
        for item in edge["evidence"]:
            del item["source"]
            for name in ("window_from", "window_to", "count"):
                item.pop(name, None)
    doc["plan"]["dependencies"].pop("observations", None)
    doc["plan"]["dependencies"].pop("confirmations", None)
    edges[0]["manual"] = True
    edges[0]["evidence"] = [{"kind": "env", "detail": "env X in Deployment a"}]
    edges[1]["evidence"] = [{"kind": "kiali", "detail": "Kiali graph"}]
    upgraded = plan_migrations.MIGRATIONS[1](doc)
    first, second = upgraded["plan"]["dependencies"]["edges"][:2]
    assert first["evidence"] == [
        {"kind": "env", "detail": "env X in Deployment a", "source": "static"},
        {"kind": "manual", "detail": plan_migrations.MANUAL_EVIDENCE, "source": "person"},
    ]
    assert second["evidence"] == [{"kind": "kiali", "detail": "Kiali graph", "source": "runtime"}]
    plan = plan_from_bytes(pack(upgraded | {"format_version": 1}))
    assert not plan.dependencies.observations and not plan.dependencies.confirmations
