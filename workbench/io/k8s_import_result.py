"""What an inventory builder (:mod:`workbench.io.k8s_objects`) gives at the end of an
import: the inventory, with the warnings and counts that go with it."""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.domain.inventory import Inventory


@dataclass(slots=True)
class ConfigMapAddress:
    """A sanitised address found in a ConfigMap (the value itself is not kept)."""

    cluster: str
    namespace: str
    configmap: str
    key: str  # data key, or "data key:setting" inside a config file
    address: str


@dataclass(slots=True)
class ImportResult:
    inventory: Inventory
    warnings: list[str] = field(default_factory=list)
    unknown_kinds: dict[str, int] = field(default_factory=dict)
    skipped_secrets: int = 0
    objects: int = 0
    configmap_addresses: list[ConfigMapAddress] = field(default_factory=list)
