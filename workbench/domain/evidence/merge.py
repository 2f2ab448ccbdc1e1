"""Merging runtime observations into a plan's dependencies without counting anything twice.

Evidence from the same capture (same kind and detail) is one item: importing the file again
widens its window to the union and keeps the larger count, never the sum. Captures of
different files stay separate items, each with its own window and count; an observation of
the same capture (source, file and window) replaces the earlier one.
"""

from __future__ import annotations

import copy

from workbench.domain.dependencies import Dependencies, Edge, Evidence, Observation
from workbench.domain.evidence.windows import format_instant, window_of
from workbench.domain.merge import add_edges


def _widen(current: Evidence, new: Evidence) -> None:
    windows = [
        w
        for w in (
            window_of(current.window_from, current.window_to),
            window_of(new.window_from, new.window_to),
        )
        if w
    ]
    if windows:
        current.window_from = format_instant(min(w[0] for w in windows))
        current.window_to = format_instant(max(w[1] for w in windows))
    if new.count is not None:
        current.count = max(current.count or 0, new.count)


def _merge_captures(current: list[Evidence], new: list[Evidence]) -> None:
    """One item per capture: the same kind and detail widens the item already there."""
    for ev in new:
        same = next((e for e in current if e.kind == ev.kind and e.detail == ev.detail), None)
        if same is None:
            current.append(copy.deepcopy(ev))
        else:
            _widen(same, ev)


def merge_runtime(
    deps: Dependencies, edges: list[Edge], observation: Observation | None = None
) -> tuple[int, int]:
    """Add observed ``edges`` (and the capture's ``observation``) to ``deps``: (added, merged)."""
    added, merged = add_edges(deps, edges, merge_evidence=_merge_captures)
    if observation is not None:
        deps.observations = [
            o
            for o in deps.observations
            if (o.source, o.detail) != (observation.source, observation.detail)
        ]
        deps.observations.append(copy.deepcopy(observation))
    deps.edges = dict(sorted(deps.edges.items()))
    deps.revision += 1
    return added, merged
