"""All subjects' readiness findings merged into one report, kept sorted edit by edit.

A full merge sorts every finding by :meth:`Finding.sort_key`, ties in the order the
subjects are visited (:func:`workbench.domain.findings.sort_findings` is stable). Each
finding here carries that whole order as a key - its sort key, then its subject slot's
place and its place in the slot - so an edit that re-ran a few subjects moves only
their findings (a binary search each), re-sorts only the per-item lists they name and
re-scores only those workloads. The report equals a full merge's.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Mapping, Sequence

from workbench.domain.findings import Finding, is_muted, sort_findings, split_muted
from workbench.domain.plan import Mute
from workbench.domain.readiness.report import ReadinessReport, risk_score

Key = tuple[tuple[int, str, str, tuple[str, ...]], int, int, int]
Slot = tuple[int, str]  # (group, subject key): workloads 0, services 1, namespaces 2 ...


class MergedFindings:
    """The merged, sorted findings of every slot, with the index and risk built on them."""

    def __init__(self) -> None:
        self._place: dict[Slot, int] = {}
        self._keys: tuple[list[Key], list[Key]] = ([], [])  # active, muted
        self._found: tuple[list[Finding], list[Finding]] = ([], [])
        self._key_of: dict[int, Key] = {}
        self._by_item: dict[str, list[Finding]] = {}
        self._risk: dict[str, float] = {}

    def rebuild(
        self, groups: Sequence[Mapping[str, list[Finding]]], mutes: Sequence[Mute]
    ) -> ReadinessReport:
        """Merge every slot from scratch."""
        found: list[Finding] = []
        for slots in groups:
            for found_here in slots.values():
                found += found_here
        active, muted = split_muted(sort_findings(found), mutes)
        by_item: dict[str, list[Finding]] = defaultdict(list)
        for f in active:
            for key in f.items:
                by_item[key].append(f)
        self._by_item = dict(by_item)
        self._risk = {k: risk_score(by_item.get(k, []), k) for k in groups[0]}
        self._place = {}
        self._key_of = {}
        for g, slots in enumerate(groups):
            for pos, (key, found_here) in enumerate(slots.items()):
                self._place[(g, key)] = pos
                for i, f in enumerate(found_here):
                    self._key_of[id(f)] = (f.sort_key(), g, pos, i)
        self._found = (active, muted)
        self._keys = ([self._key_of[id(f)] for f in active], [self._key_of[id(f)] for f in muted])
        return self.report()

    def replace(
        self,
        touched: Sequence[tuple[int, str, list[Finding], list[Finding]]],
        mutes: Sequence[Mute],
        workloads: Mapping[str, object],
    ) -> ReadinessReport | None:
        """Swap the findings of re-run slots ``(group, key, before, after)``; ``None`` when
        a slot is new (the caller merges everything)."""
        places = [self._place.get((g, key)) for g, key, _, _ in touched]
        if any(p is None for p in places):
            return None
        removed: set[int] = set()
        added: dict[str, list[Finding]] = defaultdict(list)
        items: set[str] = set()
        for (g, _key, before, after), pos in zip(touched, places, strict=True):
            assert pos is not None
            for f in before:
                if not self._take(f, is_muted(f, mutes)):
                    return None  # out of step: the caller merges everything
                removed.add(id(f))
                items.update(f.items)
            for i, f in enumerate(after):
                muted = is_muted(f, mutes)
                self._put(f, (f.sort_key(), g, pos, i), muted)
                items.update(f.items)
                if not muted:
                    for item in f.items:
                        added[item].append(f)
        key_of = self._key_of
        for item in items:
            kept = [f for f in self._by_item.get(item, ()) if id(f) not in removed]
            kept += added.get(item, ())
            kept.sort(key=lambda f: key_of[id(f)])
            if kept:
                self._by_item[item] = kept
            else:
                self._by_item.pop(item, None)
            if item in workloads:
                self._risk[item] = risk_score(kept, item)
        return self.report()

    def _take(self, f: Finding, muted: bool) -> bool:
        key = self._key_of.pop(id(f), None)
        keys, found = self._keys[muted], self._found[muted]
        at = bisect_left(keys, key) if key is not None else len(keys)
        if at == len(keys) or keys[at] != key or found[at] is not f:
            return False
        del keys[at]
        del found[at]
        return True

    def _put(self, f: Finding, key: Key, muted: bool) -> None:
        self._key_of[id(f)] = key
        keys, found = self._keys[muted], self._found[muted]
        at = bisect_left(keys, key)
        keys.insert(at, key)
        found.insert(at, f)

    def report(self) -> ReadinessReport:
        active, muted = self._found
        return ReadinessReport(
            findings=list(active), muted=list(muted), risk=dict(self._risk),
            _by_item=dict(self._by_item),
        )  # fmt: skip
