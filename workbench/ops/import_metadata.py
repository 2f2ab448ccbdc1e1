"""Import business metadata (owner team, criticality, environment, SLO tier, maintenance
window) from a CMDB or spreadsheet export onto a plan's workloads.

A row's identifying value matches, most specific first: a full workload key
(``cluster/namespace/Kind/name``), ``namespace/name``, a workload name, the value of an
``app`` or ``app.kubernetes.io/name`` label, or a namespace (``cluster/namespace`` or a
bare name: every workload in it). Names compare case-insensitively. When rows overlap,
the more specific one wins field by field (a namespace row sets the defaults, a workload
row refines them). Rows that match nothing are reported, never dropped silently.
"""

from __future__ import annotations

import copy
import dataclasses
import os
from collections import defaultdict
from dataclasses import dataclass, field

from workbench.domain.business import BusinessInfo
from workbench.domain.commands_business import SetBusinessInfo
from workbench.domain.plan import Plan
from workbench.io.business_table import MetadataRow, MetadataTable, read_metadata_table

APP_LABELS = ("app", "app.kubernetes.io/name")
SPECIFICITY = ("namespace", "label", "name", "namespace/name", "key")


@dataclass(slots=True)
class MetadataImport:
    table: MetadataTable
    command: SetBusinessInfo
    matched_rows: int = 0
    unmatched: list[MetadataRow] = field(default_factory=list)
    by_how: dict[str, int] = field(default_factory=dict)  # rows per kind of match

    @property
    def workloads(self) -> int:
        return len(self.command.infos)


class _Index:
    def __init__(self, plan: Plan) -> None:
        self.keys: dict[str, str] = {}
        self.ns_name: dict[str, list[str]] = defaultdict(list)
        self.name: dict[str, list[str]] = defaultdict(list)
        self.label: dict[str, list[str]] = defaultdict(list)
        self.namespace: dict[str, list[str]] = defaultdict(list)
        for key in sorted(plan.inventory.workloads):
            w = plan.inventory.workloads[key]
            if w.vanished:
                continue
            self.keys[key.lower()] = key
            self.ns_name[f"{w.namespace}/{w.name}".lower()].append(key)
            self.name[w.name.lower()].append(key)
            for label in APP_LABELS:
                value = w.labels.get(label)
                if value:
                    self.label[value.lower()].append(key)
            self.namespace[w.namespace_key.lower()].append(key)
            self.namespace[w.namespace.lower()].append(key)

    def resolve(self, value: str) -> tuple[str, list[str]]:
        v = value.strip().lower()
        if not v:
            return "", []
        if v in self.keys:
            return "key", [self.keys[v]]
        for how, index in (("namespace/name", self.ns_name), ("name", self.name)):
            if v in index:
                return how, index[v]
        if v in self.label:
            return "label", sorted(set(self.label[v]))
        if v in self.namespace:
            return "namespace", sorted(set(self.namespace[v]))
        return "", []


def map_metadata(plan: Plan, table: MetadataTable) -> MetadataImport:
    """The command that sets the table's metadata on the plan's workloads (not applied)."""
    index = _Index(plan)
    resolved: list[tuple[int, int, MetadataRow, list[str]]] = []
    out = MetadataImport(table, SetBusinessInfo({}))
    for row in table.rows:
        how, keys = index.resolve(row.match)
        if not keys:
            out.unmatched.append(row)
            continue
        out.matched_rows += 1
        out.by_how[how] = out.by_how.get(how, 0) + 1
        resolved.append((SPECIFICITY.index(how), row.line, row, keys))
    infos: dict[str, BusinessInfo] = {}
    for _, _, row, keys in sorted(resolved, key=lambda r: (r[0], r[1])):
        for key in keys:
            info = infos.get(key)
            if info is None:
                info = infos[key] = copy.copy(plan.business.get(key, BusinessInfo()))
            for name, value in row.values.items():
                setattr(info, name, value)
    changed = {
        k: v
        for k, v in sorted(infos.items())
        if dataclasses.astuple(v) != dataclasses.astuple(plan.business.get(k, BusinessInfo()))
    }
    out.command = SetBusinessInfo(changed)
    return out


def import_metadata(
    plan: Plan, path: str | os.PathLike[str], match: str | None = None
) -> MetadataImport:
    """Read ``path`` (CSV or XLSX) and map it onto ``plan``; apply ``result.command``."""
    return map_metadata(plan, read_metadata_table(path, match))
