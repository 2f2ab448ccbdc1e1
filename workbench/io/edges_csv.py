"""Dependency edges as CSV, for reviewing and editing by hand in a spreadsheet.

Columns: ``caller, callee, via_service, confidence, requests_per_second, manual, evidence``
(evidence as ``kind: detail`` items joined by `` | ``). On import only ``caller`` and
``callee`` are required; they may be full workload keys (``cluster/ns/Kind/name``) or
``cluster/ns/name`` / ``ns/name`` where that is unambiguous. Imported edges are hand-made
(``manual`` true unless the row says otherwise), so they win over inferred edges and
survive re-imports. Rows that cannot be used are reported, not guessed.
"""

from __future__ import annotations

import csv
import io

from workbench.domain.dependencies import EVIDENCE_KINDS, Dependencies, Edge, Evidence
from workbench.domain.discovery import ObservedEdges, WorkloadLookup
from workbench.domain.errors import WorkbenchError
from workbench.domain.inventory import Inventory

COLUMNS = (
    "caller",
    "callee",
    "via_service",
    "confidence",
    "requests_per_second",
    "manual",
    "evidence",
)
TRUE = frozenset({"1", "true", "yes", "y", "x"})
FALSE = frozenset({"0", "false", "no", "n"})


class EdgesCsvError(WorkbenchError):
    """A CSV file that cannot be read as edges."""


def _evidence_text(edge: Edge) -> str:
    return " | ".join(f"{e.kind}: {e.detail}" for e in edge.evidence)


def edges_to_csv(deps: Dependencies) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for edge in sorted(deps.edges.values(), key=lambda e: e.key):
        writer.writerow(
            [
                edge.caller,
                edge.callee,
                edge.via_service or "",
                f"{edge.confidence:g}",
                "" if edge.requests_per_second is None else f"{edge.requests_per_second:g}",
                "true" if edge.manual else "false",
                _evidence_text(edge),
            ]
        )
    return out.getvalue()


def _parse_evidence(text: str) -> list[Evidence]:
    found = []
    for item in (part.strip() for part in text.split(" | ")):
        if not item:
            continue
        kind, sep, detail = item.partition(": ")
        if sep and kind in EVIDENCE_KINDS:
            found.append(Evidence(kind, detail))
        else:
            found.append(Evidence("csv", item))
    return found


def _number(text: str, what: str, low: float, high: float | None) -> float | None:
    if not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{what} {text!r} is not a number") from None
    if value < low or (high is not None and value > high):
        bound = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
        raise ValueError(f"{what} {text} should be {bound}")
    return value


def edges_from_csv(text: str, inventory: Inventory, source: str = "CSV") -> ObservedEdges:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    fields = {(f or "").strip().lower() for f in reader.fieldnames or []}
    missing = {"caller", "callee"} - fields
    if missing:
        raise EdgesCsvError(
            f"{source}: not an edge list: the header needs columns caller and callee "
            f"(missing: {', '.join(sorted(missing))})"
        )
    lookup = WorkloadLookup(inventory)
    out = ObservedEdges()
    for row_number, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        where = f"{source} row {row_number}"
        caller, callee = lookup.resolve_key(row["caller"]), lookup.resolve_key(row["callee"])
        if caller is None or callee is None:
            bad = row["caller"] if caller is None else row["callee"]
            out.warnings.append(f"{where}: no single workload {bad!r} in the plan; row skipped")
            continue
        if caller == callee:
            out.warnings.append(f"{where}: a workload calling itself is not an edge; row skipped")
            continue
        try:
            confidence = _number(row.get("confidence", ""), "confidence", 0.0, 1.0)
            rate = _number(row.get("requests_per_second", ""), "requests_per_second", 0.0, None)
        except ValueError as exc:
            out.warnings.append(f"{where}: {exc}; row skipped")
            continue
        manual_text = row.get("manual", "").lower()
        if manual_text and manual_text not in TRUE | FALSE:
            out.warnings.append(
                f"{where}: manual {manual_text!r} is not true or false; row skipped"
            )
            continue
        evidence = _parse_evidence(row.get("evidence", ""))
        evidence.append(Evidence("csv", where))
        out.edges.append(
            Edge(
                caller,
                callee,
                evidence,
                1.0 if confidence is None else confidence,
                manual=manual_text not in FALSE,
                via_service=row.get("via_service") or None,
                requests_per_second=rate,
            )
        )
    return out
