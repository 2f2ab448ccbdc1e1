"""The Istio objects of one kind in one namespace, ordered by name and indexed by what
picks them: the workload labels their selector matches, the host a DestinationRule
names. Looking up the objects that apply to a workload then costs the workload's own
labels, not the namespace's whole list."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping
from typing import Any

from workbench.domain.simulation.model import Obj


def match_labels(obj: Obj) -> Mapping[str, Any]:
    spec = obj.get("spec") or {}
    found: Mapping[str, Any] = (spec.get("selector") or {}).get("matchLabels") or {}
    return found


def selects(obj: Obj, labels: Mapping[str, str]) -> bool:
    return all(labels.get(k) == v for k, v in match_labels(obj).items())


class Bucket:
    def __init__(self, by_name: Mapping[str, Obj]) -> None:
        self.ordered: list[Obj] = [by_name[n] for n in sorted(by_name)]
        self.unselected: list[Obj] = []  # no selector: every workload of the namespace
        self._unselected_at: list[int] = []
        self._by_label: dict[tuple[str, Hashable], list[int]] = defaultdict(list)
        self._by_host: dict[str, list[int]] | None = None
        for i, obj in enumerate(self.ordered):
            selector = match_labels(obj)
            if not selector:
                self.unselected.append(obj)
                self._unselected_at.append(i)
                continue
            first = min(selector)
            value = selector[first]
            if isinstance(value, str):  # labels are strings: anything else never matches
                self._by_label[(first, value)].append(i)

    def selected(self, labels: Mapping[str, str]) -> list[Obj]:
        """Objects with a selector that matches ``labels``, by name."""
        found = [
            i
            for pair in labels.items()
            for i in self._by_label.get(pair, ())
            if selects(self.ordered[i], labels)
        ]
        return [self.ordered[i] for i in sorted(found)]

    def applying(self, labels: Mapping[str, str]) -> list[Obj]:
        """Objects whose selector matches ``labels`` or that have none, by name."""
        if not self._by_label:
            return self.unselected
        found = [
            i
            for pair in labels.items()
            for i in self._by_label.get(pair, ())
            if selects(self.ordered[i], labels)
        ]
        if not found:
            return self.unselected
        return [self.ordered[i] for i in sorted(found + self._unselected_at)]

    def for_hosts(self, hosts: set[str]) -> list[Obj]:
        """Objects (DestinationRules) whose ``spec.host`` is one of ``hosts``, by name."""
        if self._by_host is None:
            self._by_host = defaultdict(list)
            for i, obj in enumerate(self.ordered):
                self._by_host[str((obj.get("spec") or {}).get("host", ""))].append(i)
        if not self._by_host:
            return []
        found = sorted(i for h in hosts for i in self._by_host.get(h, ()))
        return [self.ordered[i] for i in found]
