"""Istio manifests per migration wave: build, validate, write (see ``build.py``)."""

from workbench.io.manifests.build import BuiltManifests, build_manifests
from workbench.io.manifests.names import ManifestError
from workbench.io.manifests.options import ApiVersions, ManifestOptions
from workbench.io.manifests.writer import write_manifests

__all__ = [
    "ApiVersions",
    "BuiltManifests",
    "ManifestError",
    "ManifestOptions",
    "build_manifests",
    "write_manifests",
]
