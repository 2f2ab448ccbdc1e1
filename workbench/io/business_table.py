"""Business metadata tables: a CMDB or spreadsheet export (CSV or XLSX) read with pandas.

Every cell is read as text (so ``007`` stays ``007``); column names are matched
case-insensitively with spaces, dashes and underscores ignored, through a list of
synonyms per field (``Owner team``, ``team``, ``squad`` ... for the owner). The column
that identifies workloads is ``--match`` when given, else the first of the usual
identifier columns (workload, service, application, app, name, namespace).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from workbench.domain.business import BUSINESS_FIELDS
from workbench.domain.errors import WorkbenchError

SUFFIXES = (".csv", ".xlsx", ".xlsm")
MAX_BYTES = 64 * 1024 * 1024
SYNONYMS: dict[str, tuple[str, ...]] = {
    "owner": ("owner", "ownerteam", "team", "squad", "owninggroup", "supportgroup", "owners"),
    "criticality": ("criticality", "businesscriticality", "critical", "priority", "impact"),
    "environment": ("environment", "env", "stage", "lifecycle"),
    "slo_tier": ("slotier", "slo", "servicetier", "tier", "sla", "slatier"),
    "maintenance": (
        "maintenance",
        "maintenancewindow",
        "changewindow",
        "window",
        "maintenancewindows",
    ),
}
IDENTIFIERS = (
    "workload",
    "workloadname",
    "service",
    "servicename",
    "application",
    "app",
    "component",
    "name",
    "ci",
    "ciname",
    "namespace",
)


class MetadataFileError(WorkbenchError, ValueError):
    """A metadata table that cannot be read or has no usable columns."""


@dataclass(frozen=True, slots=True)
class MetadataRow:
    line: int  # 1-based row number in the file, the header being row 1
    match: str  # the identifying value
    values: dict[str, str]  # BUSINESS_FIELDS present in the row


@dataclass(frozen=True, slots=True)
class MetadataTable:
    match_column: str
    columns: dict[str, str]  # field -> the file's column it was read from
    rows: list[MetadataRow]


def _norm(name: str) -> str:
    return re.sub(r"[\s_\-./]+", "", name.strip().lower())


def read_metadata_table(path: str | os.PathLike[str], match: str | None = None) -> MetadataTable:
    import pandas as pd

    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in SUFFIXES:
        raise MetadataFileError(f"{p}: not a CSV or XLSX file (expected {', '.join(SUFFIXES)})")
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise MetadataFileError(f"{p}: cannot read ({exc.strerror or exc})") from None
    if size > MAX_BYTES:
        raise MetadataFileError(f"{p}: {size} bytes, more than the {MAX_BYTES} allowed")
    try:
        if suffix == ".csv":
            frame = pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        else:
            frame = pd.read_excel(p, dtype=str, keep_default_na=False, engine="openpyxl")
    except (ValueError, OSError, UnicodeDecodeError, KeyError) as exc:
        raise MetadataFileError(f"{p}: cannot read the table ({exc})") from None
    except Exception as exc:  # pandas' parser errors, a zip that is no workbook ...
        raise MetadataFileError(f"{p}: cannot read the table ({type(exc).__name__})") from None
    headers = [str(c) for c in frame.columns]
    by_norm = {_norm(h): h for h in reversed(headers)}
    if match is not None:
        match_column = by_norm.get(_norm(match))
        if match_column is None:
            raise MetadataFileError(
                f"{p}: no column {match!r} to match on (columns: {', '.join(headers)})"
            )
    else:
        match_column = next((by_norm[i] for i in IDENTIFIERS if i in by_norm), None)
        if match_column is None:
            raise MetadataFileError(
                f"{p}: no column names the workloads (give --match COLUMN; columns: "
                f"{', '.join(headers)})"
            )
    columns: dict[str, str] = {}
    for field_name in BUSINESS_FIELDS:
        for synonym in SYNONYMS[field_name]:
            header = by_norm.get(synonym)
            if header is not None and header != match_column and header not in columns.values():
                columns[field_name] = header
                break
    if not columns:
        raise MetadataFileError(
            f"{p}: no owner, criticality, environment, SLO tier or maintenance column "
            f"(columns: {', '.join(headers)})"
        )
    rows: list[MetadataRow] = []
    records = frame.to_dict("records")
    for n, record in enumerate(records, start=2):
        key = str(record.get(match_column, "")).strip()
        values = {f: str(record.get(h, "")).strip() for f, h in columns.items()}
        values = {f: v[:200] for f, v in values.items() if v}
        if key or values:
            rows.append(MetadataRow(n, key, values))
    return MetadataTable(match_column, columns, rows)
