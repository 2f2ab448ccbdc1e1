"""A hostile plan cannot make the export write outside its folder; the writer never
half-writes or clobbers a folder it did not create."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
import yaml

from workbench.domain.dependencies import Edge
from workbench.domain.inventory import Cluster, Ingress, Namespace, Service, Workload
from workbench.domain.jobs import CancelToken, JobCancelled
from workbench.domain.plan import Plan
from workbench.domain.schedule import Schedule, Wave
from workbench.io.manifests.names import (
    ManifestError,
    derived_name,
    is_dns_label,
    is_dns_subdomain,
    safe_join,
    safe_label,
    slug,
)
from workbench.ops.export_manifests import export_manifests

HOSTILE = [
    "../../etc",
    "../../../../../../tmp/pwned",
    "/etc/passwd",
    "/",
    "..",
    ".",
    "a/../../b",
    "nul\x00byte",
    "back\\slash\\..\\..",
    "C:\\Windows\\System32",
    "x" * 300,
    "y" * 10_000,
    "-rf",
    "new\nline",
    "\u202eevil",
]


def _hostile_plan() -> Plan:
    plan = Plan()
    inv = plan.inventory
    members = []
    for i, name in enumerate(HOSTILE):
        inv.clusters[name] = Cluster(name)
        inv.add_namespace(Namespace(name, name))
        inv.add_namespace(Namespace(name, "fine"))
        for ns, wl in ((name, "ok"), ("fine", name), (name, name), ("fine", f"ok-{i}")):
            w = Workload(name, ns, "Deployment", wl, service_account=name, labels={"app": name})
            inv.add_workload(w)
            members.append(w.key)
        inv.add_service(Service(name, "fine", f"ok-{i}", "LoadBalancer", selector={"app": name}))
        inv.ingresses.append(Ingress(name, name, name, None, [name]))
    keys = sorted(members)
    for a, b in itertools.pairwise(keys):
        plan.dependencies.add(Edge(a, b))
    waves = [
        Wave(
            f"w{i}",
            name,
            name,
            date(2027, 1, 1 + i),
            date(2027, 2, 1 + i),
            members=members[i :: len(HOSTILE)],
        )
        for i, name in enumerate(HOSTILE)
    ]
    plan.schedule = Schedule(waves=waves)
    plan.meta.title = "../../title\x00"
    plan.mesh.jwt_issuer = "bad issuer\n"
    return plan


def test_hostile_names_never_write_outside_the_folder(tmp_path: Path) -> None:
    box = tmp_path / "box"
    box.mkdir()
    out = box / "out"
    report = export_manifests(_hostile_plan(), out)
    assert sorted(p.name for p in box.iterdir()) == ["out"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["box"]
    base = out.resolve()
    for path in out.rglob("*"):
        assert base in path.resolve().parents
        assert not path.is_symlink()
        assert len(path.name) <= 120 and "\x00" not in str(path) and "\\" not in path.name
    assert report.objects > 0  # the valid parts are still exported
    assert any("not a valid Kubernetes name" in w for w in report.warnings)
    assert any("jwt_issuer" in w for w in report.warnings)
    for path in out.rglob("*.yaml"):
        docs = list(yaml.safe_load_all(path.read_text()))
        assert all(isinstance(d, dict) for d in docs), path
    values = (out / "00-foundation").rglob("istiod-values.yaml")
    names = {yaml.safe_load(p.read_text())["global"]["multiCluster"]["clusterName"] for p in values}
    assert len(names) == len(HOSTILE) and all(is_dns_label(n) for n in names)


def test_safe_join_refuses_escapes(tmp_path: Path) -> None:
    assert safe_join(tmp_path, ("a", "b.yaml")) == tmp_path.resolve() / "a" / "b.yaml"
    for bad in ("..", ".", "", "a/b", "/etc", "a\\b", "x\x00", "c:d", "-x", "z" * 121):
        with pytest.raises(ManifestError):
            safe_join(tmp_path, ("ok", bad))
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / "link").symlink_to(outside)
    with pytest.raises(ManifestError, match="outside"):
        safe_join(tmp_path / "root", ("link", "file.yaml"))


def test_names_are_checked_and_made_safe() -> None:
    assert is_dns_label("shop-1") and not is_dns_label("Shop") and not is_dns_label("a" * 64)
    assert is_dns_subdomain("api.stripe.com") and not is_dns_subdomain("../etc")
    assert safe_label("prod-east") == "prod-east"
    assert safe_label("../../etc") != safe_label("../etc")
    assert is_dns_label(safe_label("../../etc")) and is_dns_label(safe_label("\x00"))
    assert slug("Business Critical: orders!") == "business-critical-orders"
    long = derived_name("a" * 250, "strict")
    assert len(long) <= 253 and long.endswith("-strict") and is_dns_subdomain(long)
    assert derived_name("a" * 250, "strict") != derived_name("a" * 249 + "b", "strict")


def test_a_foreign_folder_is_never_overwritten(
    manifest_plan: Callable[[], Plan], tmp_path: Path
) -> None:
    (tmp_path / "mine.txt").write_text("keep me")
    with pytest.raises(ManifestError, match="not empty"):
        export_manifests(manifest_plan(), tmp_path)
    assert (tmp_path / "mine.txt").read_text() == "keep me"
    file_target = tmp_path / "file"
    file_target.write_text("x")
    with pytest.raises(ManifestError, match="not a folder"):
        export_manifests(manifest_plan(), file_target)


def test_an_earlier_export_is_replaced_whole(
    manifest_plan: Callable[[], Plan], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    export_manifests(manifest_plan(), out)
    stale = out / "01-pilot-data" / "stale.yaml"
    stale.write_text("old")
    report = export_manifests(manifest_plan(), out)
    assert not stale.exists() and (out / "README.md").is_file()
    assert report.files == sum(1 for p in out.rglob("*") if p.is_file()) - 1  # the marker
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_cancel_leaves_no_partial_folder(manifest_plan: Callable[[], Plan], tmp_path: Path) -> None:
    token = CancelToken()

    def progress(fraction: float, message: str) -> None:
        if message.startswith("writing"):
            token.cancel()

    with pytest.raises(JobCancelled):
        export_manifests(manifest_plan(), tmp_path / "out", progress=progress, cancel=token)
    assert list(tmp_path.iterdir()) == []
