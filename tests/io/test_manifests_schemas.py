"""Every generated object validates against Istio's CRD schemas and the Kubernetes
schemas; the compiled fast path agrees with jsonschema; API versions follow Istio."""

from __future__ import annotations

import copy
import json
import random
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import require
from workbench.domain.planning.autoplan import AutoPlanOptions
from workbench.io.manifests.names import ManifestError
from workbench.io.manifests.options import ApiVersions, ManifestOptions
from workbench.io.manifests.validate import ObjectValidator
from workbench.io.plan_file import load_plan
from workbench.ops.export_manifests import export_manifests
from workbench.ops.generate import generate_plan
from workbench.ops.planning import auto_plan

REPO = Path(__file__).resolve().parents[2]


def _documents(root: Path) -> Iterator[tuple[Path, dict[str, Any], bool]]:
    """(file, object, is a patch) for every object and patch the export wrote."""
    for path in sorted(root.rglob("*.yaml")):
        if path.name == "kustomization.yaml" or "install" in path.parts:
            continue
        patch = "patches" in path.parts or path.name == "delete.yaml"
        for doc in yaml.safe_load_all(path.read_text()):
            yield path, doc, patch


def _check_all(root: Path, validator: ObjectValidator) -> int:
    count = 0
    for path, doc, patch in _documents(root):
        if patch and "apiVersion" not in doc:
            continue  # a patch body: checked with its target when exported
        assert validator.errors(doc, patch=patch, fast=False) == [], path
        count += 1
    return count


@pytest.fixture(scope="module")
def validator() -> ObjectValidator:
    return ObjectValidator()


def test_every_object_of_the_sample_plan_validates(
    sample_plan_path: Path, tmp_path: Path, validator: ObjectValidator
) -> None:
    report = export_manifests(load_plan(sample_plan_path), tmp_path)
    assert report.objects > 50 and report.validated >= report.objects
    assert _check_all(tmp_path, validator) >= report.objects


def test_every_object_of_a_generated_1000_workload_plan_validates(
    tmp_path: Path, validator: ObjectValidator
) -> None:
    plan = generate_plan(1000, clusters=2, seed=3)
    auto_plan(plan, AutoPlanOptions(start=date(2027, 1, 4), max_workloads=300)).do(plan)
    opts = ManifestOptions(authz_dry_run_first=True, deny_by_default=True, circuit_breakers=True)
    report = export_manifests(plan, tmp_path, options=opts)
    assert report.by_kind["AuthorizationPolicy"] > 100
    assert report.by_kind["DestinationRule"] > 100
    assert _check_all(tmp_path, validator) >= report.objects


def _mutations(obj: Any, rng: random.Random) -> Iterator[Any]:
    """Copies of ``obj`` with one thing broken (or not) somewhere in it."""
    paths: list[list[Any]] = []

    def walk(node: Any, path: list[Any]) -> None:
        paths.append(path)
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, [*path, k])
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, [*path, i])

    walk(obj, [])
    for path in rng.sample(paths, min(len(paths), 25)):
        for change in ("unknown", "int", "string", "none", "drop", "list"):
            copy_ = copy.deepcopy(obj)
            parent: Any = copy_
            for step in path[:-1]:
                parent = parent[step]
            if not path:
                continue
            last = path[-1]
            if change == "unknown" and isinstance(parent[last], dict):
                parent[last]["bogusField"] = "x"
            elif change == "int":
                parent[last] = 7
            elif change == "string":
                parent[last] = "-Not A Name-"
            elif change == "none":
                parent[last] = None
            elif change == "drop" and isinstance(parent, dict):
                del parent[last]
            elif change == "list":
                parent[last] = [parent[last]]
            yield copy_


def test_fast_path_agrees_with_jsonschema(
    manifest_plan: Any, tmp_path: Path, validator: ObjectValidator
) -> None:
    export_manifests(manifest_plan(), tmp_path, options=ManifestOptions(authz_dry_run_first=True))
    rng = random.Random(7)
    compared = rejected = 0
    for _, doc, patch in _documents(tmp_path):
        if patch:
            continue
        for broken in _mutations(doc, rng):
            fast = validator.fast_verdict(broken)
            if fast is None:
                continue
            reference = validator.errors(broken, fast=False) == []
            assert fast == reference, json.dumps(broken)[:400]
            compared += 1
            rejected += not reference
    assert compared > 500 and rejected > 200


def test_packaged_istio_schemas_match_the_crd_file(shared_dir: Path) -> None:
    crd = shared_dir / "reference" / "istio-crds" / "crd-all.gen.yaml"
    require(crd.is_file(), str(crd))
    sys.path.insert(0, str(REPO / "packaging"))
    try:
        import make_istio_schemas
    finally:
        sys.path.pop(0)
    built = make_istio_schemas.build(crd, "1.30.3")
    packaged = REPO / "workbench" / "io" / "manifests" / "schemas" / "istio-crds.json"
    assert json.loads(packaged.read_text()) == json.loads(json.dumps(built))


@pytest.mark.parametrize(
    ("version", "security", "telemetry"),
    [
        ("1.21", "security.istio.io/v1beta1", "telemetry.istio.io/v1alpha1"),
        ("1.22.0", "security.istio.io/v1", "telemetry.istio.io/v1"),
        ("1.30.3", "security.istio.io/v1", "telemetry.istio.io/v1"),
    ],
)
def test_api_versions_follow_the_istio_version(
    manifest_plan: Any, tmp_path: Path, version: str, security: str, telemetry: str
) -> None:
    assert ApiVersions.for_istio(version).security == security
    export_manifests(manifest_plan(), tmp_path, options=ManifestOptions(istio_version=version))
    seen = {(d["kind"], d["apiVersion"]) for _, d, p in _documents(tmp_path) if not p}
    assert ("PeerAuthentication", security) in seen
    assert ("Telemetry", telemetry) in seen
    networking = "networking.istio.io/v1" if version != "1.21" else "networking.istio.io/v1beta1"
    assert {a for k, a in seen if k in ("Sidecar", "DestinationRule")} == {networking}


def test_invalid_objects_are_refused(validator: ObjectValidator) -> None:
    good = {
        "apiVersion": "security.istio.io/v1",
        "kind": "AuthorizationPolicy",
        "metadata": {"name": "a", "namespace": "ns"},
        "spec": {"action": "ALLOW", "rules": [{"from": [{"source": {"principals": ["x"]}}]}]},
    }
    assert validator.errors(good) == []
    for broken in (
        {**good, "spec": {"action": "PERMIT"}},
        {**good, "spec": {"rulez": []}},
        {**good, "metadata": {"name": "../etc", "namespace": "ns"}},
        {**good, "metadata": {"name": "a", "namespace": "ns", "labels": {"k": "bad value"}}},
        {**good, "status": {}},
    ):
        assert validator.errors(broken), broken
        with pytest.raises(ManifestError, match="does not validate"):
            validator.check(broken, "test")
    namespace_patch = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}
    assert (
        validator.errors(
            {**namespace_patch, "metadata": {"name": "shop", "labels": {"a": None}}}, patch=True
        )
        == []
    )
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "x", "namespace": "y"},
    }
    template = {"spec": {"template": {"metadata": {"labels": {"sidecar.istio.io/inject": "true"}}}}}
    assert validator.errors({**deployment, **template}, patch=True) == []
    assert validator.errors({**deployment, "spec": {"tempalte": {}}}, patch=True)
    assert validator.errors({**deployment, **template}), "a whole Deployment needs a selector"
