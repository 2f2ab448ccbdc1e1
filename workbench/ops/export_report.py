"""The executive report: a PDF of a few pages and the same charts as PNG files.

Pages (A4 landscape): the cover with the title and the KPIs; the Gantt with the coverage
curve; the cumulative cash flow with the payback point and the costs by year; the
overhead per wave over time and sidecar against ambient; the NPV sensitivity and the
Monte Carlo range; the findings summary; an appendix with the review comments, if any.
Every chart comes from :mod:`workbench.charts`, the builders the dashboard uses too.
Files are written atomically (a temporary file in the same folder, then a rename).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from workbench.charts.gantt import gantt_rows
from workbench.charts.style import LIGHT, SMALL_SIZE, Palette, palette
from workbench.domain.errors import WorkbenchError
from workbench.domain.jobs import CancelToken, Progress, no_progress
from workbench.domain.plan import Plan
from workbench.io.atomic import atomic_output
from workbench.ops.report_comments import comment_pages
from workbench.ops.report_content import Builder, ReportData, charts, report_data

PAGE = (11.69, 8.27)  # A4 landscape, inches
PNG_SIZE = (10.0, 5.6)
_GANTT_ROWS_SHARING_A_PAGE = 36
_FOOTER = 0.035  # share of a page kept for the footer line
_PNG_SIZES = {
    "cover-kpis": (PAGE[0], PAGE[1] * 0.62),
    "scenarios": (PNG_SIZE[0], 2.2),
    "findings": (PAGE[0], PAGE[1] * 0.72),
}


class ExportError(WorkbenchError):
    """A report that cannot be written where asked."""


def _pages(data: ReportData) -> list[list[tuple[str, float]]]:
    """Each page as its charts, top-down, with the share of the page height each takes."""
    gantt_alone = len(gantt_rows(data.plan.schedule)) > _GANTT_ROWS_SHARING_A_PAGE
    schedule_pages = (
        [[("gantt", 1.0)], [("coverage", 0.45)]]
        if gantt_alone
        else [[("gantt", 0.68), ("coverage", 0.32)]]
    )
    return [
        [("cover-kpis", 0.68), ("scenarios", 0.32)],
        *schedule_pages,
        [("cashflow", 0.55), ("cost-breakdown", 0.45)],
        [("overhead-per-wave", 0.52), ("sidecar-vs-ambient", 0.48)],
        [("tornado", 0.58), ("montecarlo", 0.42)],
        [("findings", 1.0)],
    ]


def _footer(page: Figure, data: ReportData, number: int, total: int, p: Palette) -> None:
    page.text(
        0.5,
        0.012,
        f"{data.plan.meta.title} · Mesh Migration Workbench · page {number} of {total}",
        ha="center",
        va="bottom",
        fontsize=SMALL_SIZE,
        color=p.muted,
    )


def _page(
    data: ReportData, layout: list[tuple[str, float]], builders: dict[str, Builder]
) -> Figure:
    p = LIGHT
    page = Figure(figsize=PAGE, facecolor=p.background)
    shares = [s * (1.0 - _FOOTER) for _, s in layout]
    ratios = [*shares, 1.0 - sum(shares)]
    subs = page.subfigures(len(ratios), 1, height_ratios=ratios, hspace=0.0)
    cells = list(subs.flat) if hasattr(subs, "flat") else [subs]
    for (name, _share), cell in zip(layout, cells, strict=False):
        builders[name](p, PAGE, cell)
    return page


def _writable(path: Path, what: str) -> None:
    if path.is_dir():
        raise ExportError(f"cannot write the {what} to {path}: it is a folder")
    if not path.parent.is_dir():
        raise ExportError(f"cannot write the {what} to {path}: no folder {path.parent}")


def _atomic(target: Path, what: str, write: Callable[[BinaryIO], None]) -> None:
    """Write through a temporary file in the target's folder, flushed, then renamed."""
    try:
        with atomic_output(target) as out:
            write(out)
    except OSError as exc:
        raise ExportError(f"cannot write the {what} to {target}: {exc.strerror or exc}") from None


def _png_writer(fig: Figure, dpi: float) -> Callable[[BinaryIO], None]:
    def write(temp: BinaryIO) -> None:
        fig.savefig(temp, dpi=dpi, format="png", facecolor=fig.get_facecolor())

    return write


@dataclass(frozen=True, slots=True)
class PdfReport:
    path: Path
    pages: int


def export_pdf(
    plan: Plan,
    path: str | os.PathLike[str],
    *,
    scenario: str | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    today: date | None = None,
) -> PdfReport:
    """Write the executive report as a PDF at ``path`` (atomically)."""
    target = Path(path)
    _writable(target, "PDF report")
    report = progress or no_progress
    token = cancel or CancelToken()
    report(0.0, "computing the business case")
    data = report_data(plan, scenario, today)
    token.check("the PDF export")
    builders = charts(data)
    pages = _pages(data)
    appendix = comment_pages(plan)
    builders.update(appendix)
    pages += [[(name, 1.0)] for name in appendix]
    metadata = {
        "Title": data.plan.meta.title,
        "Author": data.plan.meta.author,
        "Subject": "Istio service mesh migration: executive summary",
        "Creator": "Mesh Migration Workbench",
        "CreationDate": None,
    }

    def write(temp: BinaryIO) -> None:
        with PdfPages(temp, metadata=metadata) as pdf:
            for number, layout in enumerate(pages, 1):
                token.check("the PDF export")
                report(0.1 + 0.85 * (number - 1) / len(pages), f"page {number} of {len(pages)}")
                page = _page(data, layout, builders)
                _footer(page, data, number, len(pages), LIGHT)
                pdf.savefig(page)

    _atomic(target, "PDF report", write)
    report(1.0, f"wrote {target.name} ({len(pages)} pages)")
    return PdfReport(target, len(pages))


def export_png(
    plan: Plan,
    out_dir: str | os.PathLike[str],
    *,
    scenario: str | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    today: date | None = None,
    dpi: float = 150.0,
    dark: bool = False,
) -> list[Path]:
    """Write each report chart as ``<name>.png`` in ``out_dir`` (created if missing)."""
    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"cannot write PNG charts into {folder}: it is a file, not a folder")
    if not folder.parent.is_dir():
        raise ExportError(f"cannot write PNG charts into {folder}: no folder {folder.parent}")
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create {folder}: {exc.strerror or exc}") from None
    report = progress or no_progress
    token = cancel or CancelToken()
    report(0.0, "computing the business case")
    data = report_data(plan, scenario, today)
    p = palette(dark)
    written: list[Path] = []
    builders = charts(data)
    for k, (name, build) in enumerate(builders.items()):
        token.check("the PNG export")
        report(0.1 + 0.9 * k / len(builders), f"chart {name}")
        size = _PNG_SIZES.get(name, PNG_SIZE)
        if name == "gantt":
            rows = len(gantt_rows(plan.schedule))
            size = (PNG_SIZE[0] + 1.5, min(max(3.0, 1.3 + 0.26 * rows), 30.0))
        fig = build(p, size, None)
        out = folder / f"{name}.png"
        _atomic(out, "PNG chart", _png_writer(fig, dpi))
        written.append(out)
    report(1.0, f"wrote {len(written)} charts")
    return written
