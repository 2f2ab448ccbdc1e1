"""`deps add` with runtime captures, and the caller knowledge `deps PLAN` prints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.io.runtime.conftest import (
    CART,
    DB,
    DEATHSTAR,
    FRONTEND,
    TIEFIGHTER,
    sample,
    star_wars_inventory,
)
from workbench.cli import main
from workbench.domain.dependencies import Edge, Evidence
from workbench.domain.plan import Plan
from workbench.io.plan_file import load_plan, save_plan


@pytest.fixture
def plan_path(tmp_path: Path) -> Path:
    plan = Plan(inventory=star_wars_inventory())
    plan.dependencies.add(Edge(FRONTEND, CART, [Evidence("env", "env CART_URL in frontend")]))
    path = tmp_path / "estate.meshplan"
    save_plan(plan, path)
    return path


def test_deps_add_reads_several_formats_and_reports(
    plan_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = [sample("hubble-jsonpb.jsonl"), sample("otlp-traces.jsonl"), sample("vpc-flow.log")]
    assert main(["deps", "add", str(plan_path), *files]) == 0
    out = capsys.readouterr().out
    assert "hubble, 13 record(s) read, window 2026-11-02T10:00:00Z to 2026-11-09T10:00:00Z" in out
    assert "1 edge(s) added, 1 merged" in out  # tiefighter -> deathstar new, frontend -> cart
    assert "left out: 1 DNS, 1 Prometheus scrapes, 1 host and kubelet probes" in out
    assert "unmatched names: shop/legacy-batch-1234 (1)" in out
    assert "denied by the network (dropped, not edges): 1" in out
    assert "unmatched names: payments-legacy (1)" in out
    plan = load_plan(plan_path)
    edge = plan.dependencies.edges[(FRONTEND, CART)]
    assert [ev.source for ev in edge.evidence] == ["static", "runtime", "runtime", "runtime"]
    assert (CART, DB) in plan.dependencies.edges
    assert {o.source for o in plan.dependencies.observations} == {"hubble", "otlp", "flowlog"}


def test_deps_json_gains_workloads_and_sources(
    plan_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["deps", "add", str(plan_path), sample("hubble-jsonpb.jsonl")])
    capsys.readouterr()
    assert main(["deps", str(plan_path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"edges", "unresolved", "workloads"} <= set(data)
    by_key = {w["key"]: w for w in data["workloads"]}
    assert by_key[DEATHSTAR]["callers"] == "complete"  # seven days of Hubble
    assert by_key[DEATHSTAR]["external_callers"] is True  # a LoadBalancer Service
    assert by_key[DB]["callers"] == "unknown" and by_key[DB]["external_callers"] is False
    edge = next(e for e in data["edges"] if (e["caller"], e["callee"]) == (TIEFIGHTER, DEATHSTAR))
    assert edge["sources"] == [
        {
            "kind": "runtime",
            "detail": "hubble hubble-jsonpb.jsonl",
            "window": {"from": "2026-11-02T10:00:00Z", "to": "2026-11-09T10:00:00Z"},
            "count": 2,
        }
    ]
    static = next(e for e in data["edges"] if (e["caller"], e["callee"]) == (FRONTEND, CART))
    assert static["sources"][0] == {"kind": "static", "detail": "env CART_URL in frontend"}


def test_importing_the_same_capture_again_counts_nothing_twice(
    plan_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for _ in range(2):
        assert main(["deps", "add", str(plan_path), sample("hubble-jsonpb.jsonl")]) == 0
    plan = load_plan(plan_path)
    edge = plan.dependencies.edges[(TIEFIGHTER, DEATHSTAR)]
    assert [(ev.kind, ev.count) for ev in edge.evidence] == [("hubble", 2)]
    assert len(plan.dependencies.observations) == 1


def test_bad_lines_exit_2_with_file_and_line_and_keep_the_good_records(
    plan_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = Path(sample("hubble-jsonpb.jsonl")).read_text().splitlines()
    bad = tmp_path / "bad.json"
    bad.write_text("\n".join([lines[0], '{"flow": {"verdict": "FORW', lines[3]]) + "\n")
    assert main(["deps", "add", str(plan_path), str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"error: {bad}:2: the line ends before its JSON does (truncated?)" in err
    plan = load_plan(plan_path)
    assert plan.dependencies.edges[(TIEFIGHTER, DEATHSTAR)].evidence[0].count == 2
    assert (FRONTEND, CART) in plan.dependencies.edges  # nothing lost


def test_an_unreadable_file_alone_writes_nothing(
    plan_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = plan_path.read_bytes()
    text = Path(sample("jaeger-traces.json")).read_text()
    cut = tmp_path / "cut.json"
    cut.write_text(text[:200])
    assert main(["deps", "add", str(plan_path), str(cut), "--format", "jaeger"]) == 2
    err = capsys.readouterr().err
    assert f"{cut}:" in err and "truncated" in err and "the plan was not written" in err
    assert plan_path.read_bytes() == before


def test_unknown_format_and_bad_columns_are_one_line_errors(
    plan_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["deps", "add", str(plan_path), sample("vpc-flow.log"), "--format", "pcap"]) == 2
    assert "--format pcap: not one of hubble" in capsys.readouterr().err
    args = ["deps", "add", str(plan_path), sample("vpc-flow.log"), "--columns", "from=srcaddr"]
    assert main(args) == 2
    assert "--columns: 'from=srcaddr' is not ROLE=COLUMN" in capsys.readouterr().err


def test_a_cancelled_runtime_import_changes_nothing() -> None:
    from workbench.domain.jobs import CancelToken, JobCancelled
    from workbench.ops.runtime_import import import_runtime

    plan = Plan(inventory=star_wars_inventory())
    cancel = CancelToken()
    seen: list[float] = []

    def progress(fraction: float, message: str) -> None:
        seen.append(fraction)
        cancel.cancel()

    with pytest.raises(JobCancelled):
        import_runtime(plan, [sample("hubble-jsonpb.jsonl")] * 3, progress=progress, cancel=cancel)
    assert seen and not plan.dependencies.edges and not plan.dependencies.observations


def test_a_kiali_graph_records_its_window(
    plan_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def node(ident: str, name: str) -> dict[str, object]:
        return {
            "data": {"id": ident, "nodeType": "workload", "namespace": "shop", "workload": name}
        }

    graph = {
        "timestamp": 1762682400,  # 2025-11-09T10:00:00Z
        "duration": 7 * 86400,
        "graphType": "workload",
        "elements": {
            "nodes": [node("a", "frontend"), node("b", "cart")],
            "edges": [
                {
                    "data": {
                        "id": "e",
                        "source": "a",
                        "target": "b",
                        "traffic": {"protocol": "http", "rates": {"http": "2.5"}},
                    }
                }
            ],
        },
    }
    path = tmp_path / "kiali.json"
    path.write_text(json.dumps(graph))
    assert main(["deps", "add", str(plan_path), str(path)]) == 0
    plan = load_plan(plan_path)
    kiali = plan.dependencies.edges[(FRONTEND, CART)].evidence[-1]
    assert (kiali.kind, kiali.window_from, kiali.window_to) == (
        "kiali",
        "2025-11-02T10:00:00Z",
        "2025-11-09T10:00:00Z",
    )
    obs = plan.dependencies.observations[0]
    assert (obs.source, obs.workloads) == ("kiali", [FRONTEND, CART])
    from workbench.domain.evidence import caller_evidence

    assert caller_evidence(plan)[CART].callers == "complete"
