"""`mesh-workbench deps PLAN` and `deps add PLAN FILE`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.io.plan_file import load_plan


@pytest.fixture
def bookinfo_plan(shared_dir: Path, tmp_path: Path) -> Path:
    out = tmp_path / "bookinfo.meshplan"
    src = str(shared_dir / "corpora/bookinfo/manifests/bookinfo.yaml")
    assert (
        main(
            [
                "import",
                "files",
                src,
                "-o",
                str(out),
                "--cluster",
                "east",
                "--namespace",
                "bookinfo",
                "-q",
            ]
        )
        == 0
    )
    return out


def test_deps_json_contract(
    shared_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sock.meshplan"
    main(
        [
            "import",
            "files",
            str(shared_dir / "corpora/sock-shop/manifests/complete-demo.yaml"),
            "-o",
            str(out),
            "-q",
        ]
    )
    capsys.readouterr()
    assert main(["deps", str(out)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"edges", "unresolved", "workloads"}
    edge = data["edges"][0]
    assert {k: edge[k] for k in ("caller", "callee", "via_service", "confidence")} == {
        "caller": "default/sock-shop/Deployment/user",
        "callee": "default/sock-shop/Deployment/user-db",
        "via_service": "default/sock-shop/user-db",
        "confidence": 0.95,
    }
    assert edge["evidence"] == [{"kind": "env", "detail": "env mongo in Deployment user"}]
    assert data["unresolved"][0]["address"] == "zipkin.jaeger.svc.cluster.local"


def test_deps_add_kiali_then_csv_round_trip(
    shared_dir: Path, bookinfo_plan: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    graph = shared_dir / "corpora/kiali-graph/current/test_workload_graph.json"
    assert main(["deps", "add", str(bookinfo_plan), str(graph)]) == 0
    assert "kiali: 6 edge(s) added" in capsys.readouterr().out
    assert len(load_plan(bookinfo_plan).dependencies.edges) == 6
    assert main(["deps", str(bookinfo_plan), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 6 and rows[0]["evidence"].startswith("kiali: ")
    # edit by hand: drop all but one row, add a new edge; import into a fresh plan copy
    edited = tmp_path / "edges.csv"
    edited.write_text(
        "caller,callee,confidence\n"
        f"{rows[0]['caller']},{rows[0]['callee']},0.5\n"
        "bookinfo/details-v1,bookinfo/ratings-v1,\n"
    )
    copy_path = tmp_path / "copy.meshplan"
    assert main(["deps", "add", str(bookinfo_plan), str(edited), "-o", str(copy_path)]) == 0
    assert "csv: 1 edge(s) added, 1 updated" in capsys.readouterr().out
    deps = load_plan(copy_path).dependencies
    manual = [e for e in deps.edges.values() if e.manual]
    assert len(manual) == 2 and len(deps.edges) == 7


def test_deps_add_prometheus_and_errors(
    bookinfo_plan: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = tmp_path / "prom.json"
    result.write_text(
        json.dumps(
            {
                "status": "success",
                "data": {
                    "resultType": "vector",
                    "result": [
                        {
                            "metric": {
                                "source_workload": "reviews-v2",
                                "source_workload_namespace": "bookinfo",
                                "destination_workload": "ratings-v1",
                                "destination_workload_namespace": "bookinfo",
                            },
                            "value": [1.0, "7.5"],
                        }
                    ],
                },
            }
        )
    )
    assert main(["deps", "add", str(bookinfo_plan), str(result)]) == 0
    edges = load_plan(bookinfo_plan).dependencies.edges
    assert (
        edges[
            ("east/bookinfo/Deployment/reviews-v2", "east/bookinfo/Deployment/ratings-v1")
        ].requests_per_second
        == 7.5
    )
    capsys.readouterr()
    other = tmp_path / "other.json"
    other.write_text('{"hello": "world"}')
    assert main(["deps", "add", str(bookinfo_plan), str(other)]) == 2
    assert "neither a Kiali graph nor a Prometheus query result" in capsys.readouterr().err
    assert main(["deps", str(bookinfo_plan), "extra"]) == 2
    assert "deps takes one plan" in capsys.readouterr().err
