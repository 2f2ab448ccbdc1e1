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


def merge_runtime(
    deps: Dependencies, edges: list[Edge], observation: Observation | None = None
) -> tuple[int, int]:
    """Add observed ``edges`` (and the capture's ``observation``) to ``deps``: (added, merged)."""
    added = merged = 0
    for edge in edges:
        current = deps.existing_or_add(edge)
        if current is None:
            added += 1
            continue
        merged += 1
        for ev in edge.evidence:
            same = next(
                (e for e in current.evidence if e.kind == ev.kind and e.detail == ev.detail), None
            )
            if same is None:
                current.evidence.append(copy.deepcopy(ev))
            else:
                _widen(same, ev)
        if not current.manual:
            current.confidence = max(current.confidence, edge.confidence)
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
