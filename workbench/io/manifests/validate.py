"""Schema validation of every generated object before it is written.

* Istio kinds: the ``spec`` schemas of Istio's CRDs (``schemas/istio-crds.json``, made
  from Istio 1.30.3's ``crd-all.gen.yaml`` by ``packaging/make_istio_schemas.py``).
* PrometheusRule: the prometheus-operator CRD's ``spec`` (``schemas/prometheus-rules.json``).
* Core kinds (Namespace, workloads): the strict Kubernetes JSON schemas bundled with the
  ``kubernetes-validate`` package, read offline.

Unknown fields are errors everywhere. Every object's ``metadata`` is also held to
Kubernetes' name rules (DNS-1123 names, label keys and values). CEL rules
(``x-kubernetes-validations``) are not evaluated. Patches (partial objects applied
with ``kubectl patch``) are checked with the same schemas but without ``required``,
and ``null`` (delete this key) accepted wherever a value may stand.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from typing import Any

import jsonschema
from referencing import Registry, Resource

from workbench.io.manifests.fastcheck import Check, compile_schema
from workbench.io.manifests.names import (
    DNS_LABEL_PATTERN,
    DNS_SUBDOMAIN_PATTERN,
    LABEL_VALUE_PATTERN,
    QUALIFIED_NAME_PATTERN,
    ManifestError,
)

SCHEMA_FILES = ("istio-crds.json", "prometheus-rules.json")
CORE_FILES = {
    ("v1", "Namespace"): "namespace-v1.json",
    ("apps/v1", "Deployment"): "deployment-apps-v1.json",
    ("apps/v1", "StatefulSet"): "statefulset-apps-v1.json",
    ("apps/v1", "DaemonSet"): "daemonset-apps-v1.json",
    ("batch/v1", "CronJob"): "cronjob-batch-v1.json",
}
_STRING_MAP = {"type": "object", "additionalProperties": {"type": "string"}}
METADATA_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name"],
    "properties": {
        "name": {"type": "string", "maxLength": 253, "pattern": DNS_SUBDOMAIN_PATTERN},
        "namespace": {"type": "string", "maxLength": 63, "pattern": DNS_LABEL_PATTERN},
        "labels": {
            "type": "object",
            "propertyNames": {"maxLength": 317, "pattern": QUALIFIED_NAME_PATTERN},
            "additionalProperties": {
                "type": "string",
                "maxLength": 63,
                "pattern": LABEL_VALUE_PATTERN,
            },
        },
        "annotations": {
            **_STRING_MAP,
            "propertyNames": {"maxLength": 317, "pattern": QUALIFIED_NAME_PATTERN},
        },
    },
}
from jsonschema.protocols import Validator  # noqa: E402

_Strict = jsonschema.Draft202012Validator


def _no_required(*_args: Any) -> Iterator[jsonschema.ValidationError]:
    return iter(())


_Partial = jsonschema.validators.extend(_Strict, {"required": _no_required})


def _package_json(name: str) -> Any:
    ref = resources.files("workbench.io.manifests").joinpath("schemas", name)
    return json.loads(ref.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _custom_kinds() -> dict[tuple[str, str], dict[str, Any]]:
    """(apiVersion, kind) -> spec schema, for the Istio and Prometheus kinds."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for name in SCHEMA_FILES:
        data = _package_json(name)
        for kind, versions in data["kinds"].items():
            for api_version, digest in versions.items():
                out[(api_version, kind)] = data["schemas"][digest]
    return out


def custom_kinds() -> list[tuple[str, str]]:
    """The (apiVersion, kind) pairs validated against CRD schemas."""
    return sorted(_custom_kinds())


def _core_dir(kubernetes_version: str | None) -> str:
    from kubernetes_validate import utils

    versions = utils.all_versions()
    chosen = versions[-1]
    if kubernetes_version:
        wanted = _minor(kubernetes_version)
        older = [v for v in versions if _minor(v) <= wanted]
        chosen = older[-1] if older else versions[0]
    return f"v{chosen}-local-strict"


def _minor(version: str) -> tuple[int, int]:
    m = re.match(r"^v?(\d+)\.(\d+)", version)
    if not m:
        raise ManifestError(f"not a Kubernetes version: {version!r} (expected e.g. 1.30)")
    return int(m.group(1)), int(m.group(2))


@lru_cache(maxsize=4)
def _core_registry(folder: str) -> Registry[Any]:
    defs = _core_json(folder, "_definitions.json")
    return Resource.from_contents(defs) @ Registry()


def _core_json(folder: str, name: str) -> Any:
    ref = resources.files("kubernetes_validate").joinpath("kubernetes-json-schema", folder, name)
    try:
        return json.loads(ref.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ManifestError(f"the Kubernetes schema {folder}/{name} cannot be read: {exc}") from exc


def _prune_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _prune_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_prune_nulls(v) for v in value]
    return value


class ObjectValidator:
    """Validates generated objects; keeps compiled validators for the whole export."""

    def __init__(self, kubernetes_version: str | None = None) -> None:
        self._core_folder = _core_dir(kubernetes_version)
        self._cache: dict[tuple[str, str, bool], tuple[Validator, Check | None]] = {}
        self._metadata = _Strict(METADATA_SCHEMA)
        self._partial_metadata = _Partial(METADATA_SCHEMA)
        self._fast_metadata = compile_schema(METADATA_SCHEMA)
        self._fast_partial_metadata = compile_schema(METADATA_SCHEMA, required=False)
        self.checked = 0

    @property
    def kubernetes_schemas(self) -> str:
        return self._core_folder

    def _validator(
        self, api_version: str, kind: str, patch: bool
    ) -> tuple[Validator, Check | None]:
        """The ``jsonschema`` validator for the kind, and a compiled fast path for the
        CRD kinds (None for core kinds, whose schemas use references)."""
        key = (api_version, kind, patch)
        found = self._cache.get(key)
        if found is not None:
            return found
        cls = _Partial if patch else _Strict
        fast: Check | None = None
        spec = _custom_kinds().get((api_version, kind))
        if spec is not None:
            schema = {
                "type": "object",
                "additionalProperties": False,
                "required": ["apiVersion", "kind", "metadata", "spec"],
                "properties": {
                    "apiVersion": {"const": api_version},
                    "kind": {"const": kind},
                    "metadata": {"type": "object"},
                    "spec": spec,
                },
            }
            validator: Validator = cls(schema)
            fast = compile_schema(schema, required=not patch)
        else:
            name = CORE_FILES.get((api_version, kind))
            if name is None:
                raise ManifestError(f"no schema to validate a {kind} ({api_version}) against")
            schema = _core_json(self._core_folder, name)
            validator = cls(schema, registry=_core_registry(self._core_folder))
        self._cache[key] = (validator, fast)
        return validator, fast

    def fast_verdict(self, obj: dict[str, Any], *, patch: bool = False) -> bool | None:
        """The compiled check's verdict (None for kinds checked by ``jsonschema`` only)."""
        api_version, kind = obj.get("apiVersion"), obj.get("kind")
        if not isinstance(api_version, str) or not isinstance(kind, str):
            return None
        if (api_version, kind) not in _custom_kinds():
            return None
        _, fast = self._validator(api_version, kind, patch)
        if fast is None:
            return None
        data = _prune_nulls(obj) if patch else obj
        meta = self._fast_partial_metadata if patch else self._fast_metadata
        return fast(data) and meta(data.get("metadata"))

    def errors(self, obj: dict[str, Any], *, patch: bool = False, fast: bool = True) -> list[str]:
        """What is wrong with ``obj`` (empty when it is valid); ``fast=False`` skips the
        compiled check and asks ``jsonschema`` only."""
        self.checked += 1
        api_version, kind = obj.get("apiVersion"), obj.get("kind")
        if not isinstance(api_version, str) or not isinstance(kind, str):
            return ["apiVersion and kind must be strings"]
        data = _prune_nulls(obj) if patch else obj
        validator, quick = self._validator(api_version, kind, patch)
        meta = self._partial_metadata if patch else self._metadata
        quick_meta = self._fast_partial_metadata if patch else self._fast_metadata
        if fast and quick is not None and quick(data) and quick_meta(data.get("metadata")):
            return []
        found: list[str] = []
        if not validator.is_valid(data):
            found += [_describe(e) for e in validator.iter_errors(data)]
        metadata = data.get("metadata")
        if not meta.is_valid(metadata):
            found += [_describe(e, "metadata") for e in meta.iter_errors(metadata)]
        return sorted(found)[:5]

    def check(self, obj: dict[str, Any], where: str, *, patch: bool = False) -> None:
        problems = self.errors(obj, patch=patch)
        if problems:
            raise ManifestError(
                f"{where}: {obj.get('kind')} {_name(obj)} does not validate: " + "; ".join(problems)
            )


def _name(obj: dict[str, Any]) -> str:
    meta = obj.get("metadata")
    if isinstance(meta, dict):
        return f"{meta.get('namespace', '')}/{meta.get('name', '')}".lstrip("/")
    return "(no metadata)"


def _describe(error: jsonschema.ValidationError, prefix: str = "") -> str:
    path = ".".join(str(p) for p in (prefix, *error.absolute_path) if p != "")
    message = error.message if len(error.message) <= 200 else error.message[:200] + "..."
    return f"{path or '(top)'}: {message}"
