"""An export for another Istio release than a cluster runs says so in its warnings."""

from __future__ import annotations

from tests.io.conftest import small_manifest_plan
from workbench.domain.inventory import IstioInstall
from workbench.io.manifests import ManifestOptions, build_manifests


def test_a_cluster_on_another_istio_release_is_warned_about() -> None:
    plan = small_manifest_plan()
    plan.inventory.clusters["east"].istio = IstioInstall("1.22.3")
    plan.inventory.clusters["west"].istio = IstioInstall("1.26.1")
    warnings = build_manifests(plan, ManifestOptions(istio_version="1.26")).manifests.warnings
    east = [w for w in warnings if w.startswith("cluster east runs Istio 1.22.3")]
    assert len(east) == 1 and "target 1.26" in east[0]
    assert not any(w.startswith("cluster west") for w in warnings)


def test_no_warning_without_an_imported_release() -> None:
    plan = small_manifest_plan()
    warnings = build_manifests(plan).manifests.warnings
    assert not any("runs Istio" in w for w in warnings)
