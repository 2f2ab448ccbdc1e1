"""Build the trimmed Istio CRD schemas the manifest exporter validates against.

Reads Istio's ``crd-all.gen.yaml`` (the CRD bundle of an Istio release) and writes
``workbench/io/manifests/schemas/istio-crds.json``: for each kind the exporter emits,
the served API versions and the ``spec`` schema as plain JSON Schema, with

* unknown fields made an error (``additionalProperties: false`` on every object that
  lists its properties and does not preserve unknown fields),
* ``x-kubernetes-int-or-string`` turned into ``anyOf`` integer/string and ``nullable``
  into a union with null,
* descriptions and Kubernetes extensions (CEL rules, list types) dropped.

Run from the repository root::

    python packaging/make_istio_schemas.py ../shared/reference/istio-crds/crd-all.gen.yaml
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import yaml

KINDS = (
    "AuthorizationPolicy",
    "DestinationRule",
    "Gateway",
    "PeerAuthentication",
    "RequestAuthentication",
    "ServiceEntry",
    "Sidecar",
    "Telemetry",
    "VirtualService",
)
DROP = {"description", "x-kubernetes-validations", "x-kubernetes-list-type"}
DROP |= {"x-kubernetes-list-map-keys", "x-kubernetes-map-type"}
OUT = Path(__file__).resolve().parent.parent / "workbench/io/manifests/schemas/istio-crds.json"


def convert(node: Any) -> Any:
    """One OpenAPI v3 (structural) schema node as strict JSON Schema."""
    if isinstance(node, list):
        return [convert(n) for n in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in DROP or key == "nullable":
            continue
        if key == "x-kubernetes-int-or-string":
            continue
        if key == "x-kubernetes-preserve-unknown-fields":
            continue
        if key == "properties":
            out[key] = {name: convert(sub) for name, sub in value.items()}
        elif key in ("items", "additionalProperties", "not"):
            out[key] = convert(value) if isinstance(value, dict) else value
        elif key in ("oneOf", "anyOf", "allOf"):
            out[key] = convert(value)
        else:
            out[key] = value
    if node.get("x-kubernetes-int-or-string"):
        out.pop("type", None)
        out["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    preserve = node.get("x-kubernetes-preserve-unknown-fields")
    if "properties" in out and not preserve and "additionalProperties" not in out:
        out["additionalProperties"] = False
    if node.get("nullable") and isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    return out


def build(crd_file: Path, release: str) -> dict[str, Any]:
    with crd_file.open(encoding="utf-8") as fh:
        docs = [d for d in yaml.safe_load_all(fh) if d]
    source = hashlib.sha256(crd_file.read_bytes()).hexdigest()
    kinds: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for doc in docs:
        spec = doc["spec"]
        kind = spec["names"]["kind"]
        if kind not in KINDS:
            continue
        versions: dict[str, str] = {}
        for version in spec["versions"]:
            if not version.get("served"):
                continue
            props = version["schema"]["openAPIV3Schema"]["properties"]
            schema = convert(props["spec"])
            text = json.dumps(schema, sort_keys=True)
            digest = hashlib.sha256(text.encode()).hexdigest()[:16]
            schemas[digest] = schema
            versions[f"{spec['group']}/{version['name']}"] = digest
        kinds[kind] = versions
    missing = sorted(set(KINDS) - set(kinds))
    if missing:
        raise SystemExit(f"{crd_file}: no CRD for {', '.join(missing)}")
    return {
        "source": {
            "file": crd_file.name,
            "sha256": source,
            "note": "Istio CRDs (Apache-2.0), trimmed by packaging/make_istio_schemas.py",
            "release": release,
        },
        "kinds": kinds,
        "schemas": schemas,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("crd_file", type=Path, help="Istio's crd-all.gen.yaml")
    parser.add_argument("--release", default="1.30.3", help="the Istio release it comes from")
    parser.add_argument("--out", type=Path, default=OUT, help=f"output (default {OUT})")
    args = parser.parse_args(argv)
    data = build(args.crd_file, args.release)
    args.out.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n")
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes, {len(data['kinds'])} kinds)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
