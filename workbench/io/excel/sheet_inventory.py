"""The Inventory sheet: one row per workload with its wave, readiness and overhead."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from workbench.domain.findings import SEVERITIES, SEVERITY_RANK, Finding
from workbench.io.excel.content import WorkbookContent
from workbench.io.excel.refs import GIB
from workbench.io.excel.styles import DATE, NUMBER, Style, money_format
from workbench.io.excel.tables import Column, Tick, write_table


def columns(currency: str) -> list[Column]:
    return [
        Column("Workload", 50),
        Column("Cluster", 14),
        Column("Namespace", 22),
        Column("Kind", 12),
        Column("Pods", 7, Style(number_format=NUMBER)),
        Column("Wave", 10),
        Column("Wave name", 22),
        Column("Meshed from", 12, Style(number_format=DATE)),
        Column("Data plane", 16),
        Column("Worst finding", 12),
        Column("Risk (0-100)", 10, Style(number_format="0.0")),
        Column("Findings", 9, Style(number_format=NUMBER)),
        Column("Sidecar vCPU", 11, Style(number_format="0.000")),
        Column("Sidecar GiB", 11, Style(number_format="0.000")),
        Column("Overhead a month", 14, Style(number_format=money_format(currency)), True),
    ]


def findings_by_subject(findings: Sequence[Finding]) -> dict[str, tuple[int, int]]:
    """Subject key -> (rank of its most severe finding, number of findings)."""
    out: dict[str, tuple[int, int]] = {}
    for f in findings:
        rank, count = out.get(f.subject, (len(SEVERITIES), 0))
        out[f.subject] = (min(rank, SEVERITY_RANK[f.severity]), count + 1)
    return out


def _rows(c: WorkbookContent, cpu_col: str, mem_col: str) -> Iterator[Sequence[Any]]:
    plan = c.plan
    sched = plan.schedule
    waves = {w.id: w for w in sched.waves}
    assigned = sched.assigned()
    worst = findings_by_subject(c.findings)
    for r, key in enumerate(
        sorted(k for k, w in plan.inventory.workloads.items() if not w.vanished), start=2
    ):
        w = plan.inventory.workloads[key]
        wave = waves.get(assigned.get(key, ""))
        if wave is not None:
            mode = wave.mode
        elif w.mesh.ambient:
            mode = "ambient (already)"
        elif w.mesh.injected:
            mode = "sidecar (already)"
        else:
            mode = ""
        rank, count = worst.get(key, (len(SEVERITIES), 0))
        cpu_m, mem = c.sidecar_overhead.get(key, (0.0, 0.0))
        yield (
            key,
            w.cluster,
            w.namespace,
            w.kind,
            w.pods,
            wave.id if wave else "",
            wave.name if wave else "",
            wave.end if wave else None,
            mode,
            SEVERITIES[rank] if count else "",
            c.risk.get(key, 0.0),
            count,
            cpu_m / 1000.0,
            mem / GIB,
            f"=({cpu_col}{r}*VcpuHour+{mem_col}{r}*GbHour)*HoursPerMonth",
        )


def write_inventory(ws: WriteOnlyWorksheet, c: WorkbookContent, tick: Tick | None = None) -> int:
    cols = columns(c.assumptions.currency)
    names = [col.title for col in cols]
    cpu_col = get_column_letter(names.index("Sidecar vCPU") + 1)
    mem_col = get_column_letter(names.index("Sidecar GiB") + 1)
    return write_table(ws, cols, _rows(c, cpu_col, mem_col), tick)
