"""kubernetes-validate ships JSON schemas of every kind for a dozen Kubernetes versions
(over 100 MB). The manifest exporter reads only the strict schemas of a few core kinds
(``CORE_FILES`` in ``workbench.io.manifests.validate``) and their shared definitions, so
only those files are bundled, for every version (the exporter picks one by the target
Kubernetes version)."""

from importlib.util import find_spec
from pathlib import Path

from workbench.io.manifests.validate import CORE_FILES

NEEDED = {"_definitions.json", *CORE_FILES.values()}

_spec = find_spec("kubernetes_validate")
assert _spec is not None and _spec.submodule_search_locations
schemas = Path(next(iter(_spec.submodule_search_locations))) / "kubernetes-json-schema"
datas = [
    (str(path), f"kubernetes_validate/kubernetes-json-schema/{path.parent.name}")
    for path in sorted(schemas.glob("v*-local-strict/*.json"))
    if path.name in NEEDED
]
