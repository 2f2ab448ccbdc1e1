"""Lockdowns only on evidence: held workloads stay PERMISSIVE with dry-run policies and
an observe step; exposed workloads wait for the entry cut-over; init containers get
native sidecars where allowed; injection labels never fight; mesh-wide STRICT removes
the namespace defaults it supersedes. Each case is also replayed by the simulator."""

from __future__ import annotations

from typing import Any

from tests.io.conftest import small_manifest_plan
from workbench.domain.inventory import Container
from workbench.domain.plan import Plan
from workbench.io.manifests import build_manifests
from workbench.io.manifests.model import APPLY, CUTOVER, LOCKDOWN
from workbench.ops.simulate import check_rollout, exported_files

CART = "east/shop/Deployment/cart"
FRONTEND = "east/shop/Deployment/frontend"
PAY = "east/payments/Deployment/payments"


def _objects(
    built: Any, kind_file: str, step: str | None = None
) -> dict[tuple[str, str, str], Any]:
    found = {}
    for stage in built.manifests.stages.values():
        if step is not None and stage.step != step:
            continue
        for obj in stage.objects.get(kind_file, []):
            meta = obj["metadata"]
            found[(stage.slot.folder, meta["namespace"], meta["name"])] = obj
    return found


def _safe(plan: Plan) -> None:
    report = check_rollout(plan).report
    assert report.broken_edges == 0, [v.reason for r in report.results for v in r.broken][:3]


def test_callers_not_known_completely_keep_the_policy_in_dry_run() -> None:
    plan = small_manifest_plan()
    del plan.dependencies.confirmations[CART]
    built = build_manifests(plan)
    cart = {
        k: v for k, v in _objects(built, "authorization-policies.yaml").items() if k[2] == "cart"
    }
    assert cart and all(
        v["metadata"]["annotations"]["istio.io/dry-run"] == "true" for v in cart.values()
    )
    files = exported_files(plan)
    runbook = next(t for p, t in files.items() if p.startswith("02-") and p.endswith("RUNBOOK.md"))
    observe = runbook.split("Observe before lockdown", 1)[1]
    assert CART in observe and "callers partial" in observe
    assert 'reporter="destination"' in observe and "rate(istio_requests_total" in observe
    assert "istio_tcp_connections_opened_total" in observe
    assert "mesh-workbench deps add" in observe
    _safe(plan)


def test_exposed_workloads_are_locked_down_only_at_the_cut_over() -> None:
    plan = small_manifest_plan()
    built = build_manifests(plan)
    enforced = _objects(built, "authorization-policies.yaml", CUTOVER)
    assert [k[2] for k in enforced] == ["frontend"]
    principals = enforced[next(iter(enforced))]["spec"]["rules"][0]["from"][0]["source"]
    assert "cluster.local/ns/istio-ingress/sa/istio-ingressgateway" in principals["principals"]
    early = [
        v
        for k, v in _objects(built, "authorization-policies.yaml", APPLY).items()
        if k[2] == "frontend"
    ]
    assert early and early[0]["metadata"]["annotations"]["istio.io/dry-run"] == "true"
    runbook = exported_files(plan)["05-mesh-wide-strict/RUNBOOK.md"]
    assert "## 3. Cut over entry traffic" in runbook and FRONTEND in runbook
    _safe(plan)


def test_mesh_wide_strict_removes_the_permissive_defaults_it_supersedes() -> None:
    plan = small_manifest_plan()
    built = build_manifests(plan)
    final = [s for s in built.manifests.stages.values() if s.slot.final and s.step == APPLY]
    deleted = {
        (o["metadata"]["namespace"], o["metadata"]["name"]) for s in final for o in s.deletes
    }
    assert ("shop", "default") in deleted
    exceptions = {
        k[1:]: v["spec"]
        for k, v in _objects(built, "peer-authentications.yaml", APPLY).items()
        if k[0].startswith("05-") and k[2] != "default"
    }
    assert exceptions == {
        ("shop", "frontend-permissive"): {
            "mtls": {"mode": "PERMISSIVE"},
            "selector": {"matchLabels": {"app": "frontend"}},
        }
    }
    cutover = [s for s in built.manifests.stages.values() if s.step == CUTOVER]
    assert [o["metadata"]["name"] for s in cutover for o in s.deletes] == ["frontend-permissive"]


def test_init_containers_get_native_sidecars_where_kubernetes_allows() -> None:
    def plan_with_init(kubelet: str) -> Plan:
        plan = small_manifest_plan()
        plan.inventory.clusters["east"].nodes.kubelet_versions = [kubelet]
        cart = plan.inventory.workloads[CART]
        cart.init_containers.append(Container("wait-db", "busybox", signals=["waits-for-network"]))
        return plan

    new = plan_with_init("v1.30.1")
    built = build_manifests(new)
    patches = [p for s in built.manifests.stages.values() for p in s.patches if p.name == "cart"]
    meta = patches[0].body["spec"]["template"]["metadata"]
    assert meta["annotations"]["sidecar.istio.io/nativeSidecar"] == "true"
    _safe(new)
    old = plan_with_init("v1.28.9")  # no native sidecars: the callees are held back
    built = build_manifests(old)
    held = [k for s in built.manifests.stages.values() for k, why in s.observe if "init" in why]
    assert sorted(set(held)) == [PAY, "east/shop/StatefulSet/db"]
    _safe(old)


def test_injection_labels_never_fight() -> None:
    plan = small_manifest_plan()
    plan.inventory.namespaces["east/payments"].labels["istio.io/rev"] = "canary"
    built = build_manifests(plan)
    ns_patches = [
        p for s in built.manifests.stages.values() for p in s.patches if p.kind == "Namespace"
    ]
    assert all(p.name != "payments" for p in ns_patches)
    notes = [n for s in built.manifests.stages.values() for n in s.notes]
    assert any("IST0123" in n and "payments" in n for n in notes)
    plan = small_manifest_plan()
    plan.mesh.injection = "revision-label"
    plan.inventory.namespaces["east/payments"].labels["istio-injection"] = "enabled"
    built = build_manifests(plan)
    (patch,) = [
        p
        for s in built.manifests.stages.values()
        for p in s.patches
        if p.kind == "Namespace" and p.name == "payments" and s.step == APPLY
    ]
    assert patch.body["metadata"]["labels"] == {"istio.io/rev": "default", "istio-injection": None}
    assert patch.undo["metadata"]["labels"]["istio-injection"] == "enabled"
    _safe(plan)


def test_a_plan_forcing_authz_early_waits_for_the_callers() -> None:
    plan = small_manifest_plan()  # wave-02 asks for its policies at its end
    built = build_manifests(plan)
    early = _objects(built, "authorization-policies.yaml", LOCKDOWN)
    assert ("02-core-shop", "shop", "cart") not in early
    assert any("it waits for its callers" in w for w in built.manifests.warnings)
    _safe(plan)


def test_members_with_open_blockers_are_left_out_unless_allowed(tmp_path: Any) -> None:
    from workbench.io.manifests import ManifestOptions

    plan = small_manifest_plan()
    plan.inventory.workloads[PAY].host_network = True  # R1: a blocker
    built = build_manifests(plan)
    assert PAY in built.context.left_out and PAY not in built.context.slot_of
    patched = {p.name for s in built.manifests.stages.values() for p in s.patches}
    assert "payments" not in patched
    runbook = exported_files(plan)["02-core-shop/RUNBOOK.md"]
    section = runbook.split("## Left out: open blockers", 1)[1].split("##", 1)[0]
    assert PAY in section and "R1" in section and "Fix:" in section
    _safe(plan)
    allowed = build_manifests(plan, ManifestOptions(allow_blockers=True))
    assert PAY in allowed.context.slot_of and not allowed.context.left_out


def test_the_target_version_decides_native_sidecars_and_the_default_is_shipped() -> None:
    import json
    from pathlib import Path

    from workbench.domain.plan import DEFAULT_ISTIO_VERSION
    from workbench.io.manifests import ManifestOptions
    from workbench.io.manifests.options import istio_minor

    schemas = Path(__file__).resolve().parents[2] / "workbench/io/manifests/schemas"
    release = json.loads((schemas / "istio-crds.json").read_text())["source"]["release"]
    assert istio_minor(release) == istio_minor(DEFAULT_ISTIO_VERSION)
    plan = small_manifest_plan()
    plan.inventory.clusters["east"].nodes.kubelet_versions = ["v1.30.1"]
    cart = plan.inventory.workloads[CART]
    cart.init_containers.append(Container("wait-db", "busybox", signals=["waits-for-network"]))

    def native(version: str) -> bool:
        built = build_manifests(plan, ManifestOptions(istio_version=version))
        bodies = [p.body for s in built.manifests.stages.values() for p in s.patches]
        return any("nativeSidecar" in str(b) for b in bodies)

    assert native("1.30") and native("1.20") and not native("1.19")


def test_rollbacks_per_step_keep_shared_namespace_objects_while_needed() -> None:
    files = exported_files(small_manifest_plan())
    # shop joins in waves 1, 2 and 3: only wave 3's rollback removes its PERMISSIVE default
    assert "shop" not in files.get("01-pilot-data/rollback/east/delete.yaml", "")
    assert "PeerAuthentication" in files["03-edge-and-reporting/rollback/east/delete.yaml"]
    assert "namespace: shop" in files["03-edge-and-reporting/rollback/east/delete.yaml"]
    # the lockdown can be rolled back alone; alert rules have their own rollback
    assert "04-analytics-ambient/rollback/west/lockdown/kustomization.yaml" in files
    assert "PrometheusRule" in files["01-pilot-data/rollback/east/monitoring/delete.yaml"]
    assert "PrometheusRule" not in files.get("01-pilot-data/rollback/east/delete.yaml", "")
    runbook = files["05-mesh-wide-strict/RUNBOOK.md"]
    assert "Roll back in reverse order" in runbook and "Only the lockdown" in runbook
