"""What goes where: injection per mode, PERMISSIVE then STRICT, proxy resources, canary
weights, rollback, and the deterministic YAML writer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from workbench.domain.plan import Plan
from workbench.io.manifests import ManifestError, ManifestOptions, build_manifests
from workbench.io.manifests.model import APPLY, LOCKDOWN, ROLLBACK, Stage
from workbench.io.manifests.traffic import canary_weights
from workbench.io.manifests.yaml_text import dump, dump_all

PlanFactory = Callable[[], Plan]


def _stage(built: Any, folder_prefix: str, cluster: str, step: str = APPLY) -> Stage:
    for stage in built.manifests.stages.values():
        here = stage.slot.folder.startswith(folder_prefix) and stage.cluster == cluster
        if here and stage.step == step:
            return stage  # type: ignore[no-any-return]
    raise AssertionError(f"no {step} stage {folder_prefix} {cluster}")


def _objects(stage: Stage, kind_file: str) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (o["metadata"]["namespace"], o["metadata"]["name"]): o
        for o in stage.objects.get(kind_file, [])
    }


def _labels(patch_body: dict[str, Any]) -> dict[str, Any]:
    spec = patch_body.get("spec")
    if spec is None:
        return dict(patch_body["metadata"]["labels"])
    template = spec["template"] if "template" in spec else spec["jobTemplate"]["spec"]["template"]
    return dict(template["metadata"].get("labels", {}))


def test_split_namespace_gets_pod_labels_then_the_namespace_label(
    manifest_plan: PlanFactory,
) -> None:
    built = build_manifests(manifest_plan())
    first = _stage(built, "01", "east")
    targets = {(p.kind, p.name): p for p in first.patches}
    assert _labels(targets[("StatefulSet", "db")].body) == {"sidecar.istio.io/inject": "true"}
    assert _labels(targets[("CronJob", "ledger-sync")].body) == {"sidecar.istio.io/inject": "true"}
    assert not any(p.kind == "Namespace" for p in first.patches)
    third = _stage(built, "03", "east")
    ns = [p for p in third.patches if p.kind == "Namespace"]
    assert [(p.name, p.body) for p in ns] == [
        ("shop", {"metadata": {"labels": {"istio-injection": "enabled"}}})
    ]
    assert ns[0].undo == {"metadata": {"labels": {"istio-injection": None}}}
    ambient = _stage(built, "04", "west")
    assert [(p.name, _labels(p.body)) for p in ambient.patches] == [
        ("analytics", {"istio.io/dataplane-mode": "ambient"})
    ]
    assert ambient.restarts == []  # ambient needs no restart
    restarts = [(r.name, r.how) for r in _stage(built, "02", "east").restarts]
    assert restarts.index(("payments", "rollout")) < restarts.index(("cart", "rollout"))


@pytest.mark.parametrize(
    ("mode", "ns_label", "pod_label"),
    [
        ("revision-label", ("istio.io/rev", "canary"), ("istio.io/rev", "canary")),
        ("pod-label", None, ("sidecar.istio.io/inject", "true")),
    ],
)
def test_injection_modes(
    manifest_plan: PlanFactory, mode: str, ns_label: Any, pod_label: tuple[str, str]
) -> None:
    plan = manifest_plan()
    plan.mesh.revision = "canary"
    built = build_manifests(plan, ManifestOptions(injection=mode))
    patches = [p for s in built.manifests.stages.values() if s.step == APPLY for p in s.patches]
    ns = {(p.name, next(iter(_labels(p.body).items()))) for p in patches if p.kind == "Namespace"}
    if ns_label is None:
        assert ns == {("analytics", ("istio.io/dataplane-mode", "ambient"))}
    else:
        assert ("shop", ns_label) in ns
    pods = [_labels(p.body) for p in patches if p.kind == "Deployment" and p.name == "cart"]
    assert pods == [{pod_label[0]: pod_label[1]}]


def test_proxy_resources_are_set_all_four_together(manifest_plan: PlanFactory) -> None:
    plan = manifest_plan()
    cart = plan.inventory.workloads["east/shop/Deployment/cart"]
    cart.annotations["sidecar.istio.io/proxyCPU"] = "50m"
    built = build_manifests(plan)
    patch = next(p for p in _stage(built, "02", "east").patches if p.name == "cart")
    annotations = patch.body["spec"]["template"]["metadata"]["annotations"]
    assert annotations == {
        "sidecar.istio.io/proxyCPU": "50m",
        "sidecar.istio.io/proxyMemory": "128Mi",
        "sidecar.istio.io/proxyCPULimit": "2000m",
        "sidecar.istio.io/proxyMemoryLimit": "1024Mi",
    }
    undo = patch.undo["spec"]["template"]["metadata"]["annotations"]
    assert (
        undo["sidecar.istio.io/proxyCPU"] == "50m" and undo["sidecar.istio.io/proxyMemory"] is None
    )
    plan.assumptions.overhead.sidecar_cpu_request_m = 100  # Istio's defaults again
    default = build_manifests(plan)
    others = [p for p in _stage(default, "02", "east").patches if p.name == "reviews-v1"]
    assert "annotations" not in others[0].body["spec"]["template"]["metadata"]


def test_permissive_first_then_strict_at_the_safe_date(manifest_plan: PlanFactory) -> None:
    built = build_manifests(manifest_plan())
    first = _objects(_stage(built, "01", "east"), "peer-authentications.yaml")
    assert {k: v["spec"]["mtls"]["mode"] for k, v in first.items()} == {
        ("payments", "default"): "PERMISSIVE",
        ("shop", "default"): "PERMISSIVE",
    }
    # payments: the plan's own date (Feb 1) falls after wave 2 and 3 start: the wave ending
    # first on or after it, the later folder on a tie
    late = _stage(built, "04", "east", LOCKDOWN)
    assert late.date == date(2027, 2, 12)  # the latest of its contents: cart, wave 4
    assert _objects(late, "peer-authentications.yaml")[("payments", "default")]["spec"] == {
        "mtls": {"mode": "STRICT"}
    }
    analytics = _objects(_stage(built, "04", "west", LOCKDOWN), "peer-authentications.yaml")
    assert analytics[("analytics", "default")]["spec"]["mtls"]["mode"] == "STRICT"
    final = _objects(_stage(built, "05", "west"), "peer-authentications.yaml")
    assert final[("istio-system", "default")]["spec"]["mtls"]["mode"] == "STRICT"
    # shop is reached from outside the mesh: never STRICT by namespace, and said so
    assert any("east/shop is never safe" in w for w in built.manifests.warnings)
    rollback = _objects(_stage(built, "04", "east", ROLLBACK), "peer-authentications.yaml")
    assert rollback[("payments", "default")]["spec"]["mtls"]["mode"] == "PERMISSIVE"


def test_authz_waits_for_callers_and_dry_run_comes_first(manifest_plan: PlanFactory) -> None:
    plan = manifest_plan()
    plan.schedule.waves[1].authz = False
    built = build_manifests(plan, ManifestOptions(authz_dry_run_first=True))
    dry = _objects(_stage(built, "01", "east"), "authorization-policies.yaml")
    assert dry[("shop", "db")]["metadata"]["annotations"] == {"istio.io/dry-run": "true"}
    # cart is called by frontend (wave 3) and reporter (wave 4): enforced at their end
    enforced = _objects(_stage(built, "04", "east", LOCKDOWN), "authorization-policies.yaml")
    assert enforced[("shop", "cart")]["metadata"]["annotations"] == {"istio.io/dry-run": "false"}
    db = _objects(_stage(built, "02", "east", LOCKDOWN), "authorization-policies.yaml")
    assert ("shop", "db") in db  # its only caller, cart, is meshed in wave 2


def test_canary_weights_and_subsets(manifest_plan: PlanFactory) -> None:
    assert canary_weights(["v1", "v2"], 10) == [("v1", 90), ("v2", 10)]
    assert canary_weights(["v1", "v2", "v3"], 10) == [("v1", 45), ("v2", 45), ("v3", 10)]
    assert canary_weights(["a", "b", "c", "d"], 20) == [("a", 28), ("b", 26), ("c", 26), ("d", 20)]
    options = ManifestOptions(canary_weight=25, circuit_breakers=True)
    built = build_manifests(manifest_plan(), options)
    stage = _stage(built, "02", "east")
    dr = _objects(stage, "destination-rules.yaml")[("shop", "reviews")]["spec"]
    assert [s["name"] for s in dr["subsets"]] == ["v1", "v2"]
    assert "trafficPolicy" not in dr  # circuit breakers never come with the injection
    later = _objects(_stage(built, "02", "east", LOCKDOWN), "destination-rules.yaml")
    breaker = later[("shop", "reviews")]["spec"]
    assert [s["name"] for s in breaker["subsets"]] == ["v1", "v2"]
    assert breaker["trafficPolicy"]["outlierDetection"]["consecutiveGatewayErrors"] == 3
    vs = _objects(stage, "virtual-services.yaml")[("shop", "reviews")]["spec"]
    assert [r["weight"] for r in vs["http"][1]["route"]] == [75, 25]


def test_bad_options_and_mesh_settings_are_refused(manifest_plan: PlanFactory) -> None:
    for options in (
        ManifestOptions(istio_version="latest"),
        ManifestOptions(injection="magic"),
        ManifestOptions(canary_weight=100),
        ManifestOptions(error_rate=2.0),
    ):
        with pytest.raises(ManifestError):
            build_manifests(manifest_plan(), options)
    plan = manifest_plan()
    plan.mesh.root_namespace = "../istio"
    with pytest.raises(ManifestError, match="root_namespace"):
        build_manifests(plan)


def test_the_sample_plan_exports_to_the_cli_entry_point(
    sample_plan_path: Path, tmp_path: Path
) -> None:
    from workbench.io.plan_file import load_plan
    from workbench.ops.export_manifests import export_manifests

    seen: list[float] = []
    report = export_manifests(
        load_plan(sample_plan_path), tmp_path / "out", progress=lambda f, m: seen.append(f)
    )
    assert seen == sorted(seen) and seen[-1] == 1.0
    assert report.folders[0] == "00-foundation" and report.folders[-1].endswith("mesh-wide-strict")
    assert "file(s)" in report.summary() and report.kubernetes_schemas.endswith("-strict")


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
)
_documents = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(_documents)
def test_yaml_writer_round_trips(document: Any) -> None:
    assert yaml.safe_load(dump(document)) == document
    assert list(yaml.safe_load_all(dump_all([document, {"a": document}]))) == [
        document,
        {"a": document},
    ]


def test_yaml_writer_quotes_a_key_or_value_that_ends_in_a_newline() -> None:
    for document in ({"A\n": None}, {"a": "b\n"}, ["c\n", {"d\n": ["e\n"]}]):
        assert yaml.safe_load(dump(document)) == document


def test_yaml_writer_is_sorted_and_quotes_what_could_be_misread() -> None:
    text = dump({"b": "yes", "a": ["1.22", "on", "2023-01-01", "plain-text", "x: y"], "c": {}})
    assert text.splitlines()[0] == "a:"
    assert '"yes"' in text and '"1.22"' in text and '"on"' in text and '"2023-01-01"' in text
    assert "- plain-text" in text and "c: {}" in text
