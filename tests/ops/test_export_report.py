"""The executive report: a PDF of at least 3 pages whose charts are not blank, and PNGs."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread

from tests.conftest import require
from workbench.domain.jobs import CancelToken, JobCancelled
from workbench.domain.plan import Plan
from workbench.io.plan_file import load_plan
from workbench.ops.export_report import ExportError, PdfReport, export_pdf, export_png
from workbench.ops.report_content import charts, kpis, report_data, scenario_rows

TODAY = date(2023, 6, 15)


@pytest.fixture(scope="module")
def plan(sample_plan_path: Path) -> Plan:
    return load_plan(sample_plan_path)


@pytest.fixture(scope="module")
def pdf(plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> PdfReport:
    out = tmp_path_factory.mktemp("report") / "report.pdf"
    return export_pdf(plan, out, scenario="ramp-with-migration", today=TODAY)


def _pages_as_pixels(path: Path, out: Path) -> list[np.ndarray]:
    tool = shutil.which("pdftoppm")
    require(tool is not None, "pdftoppm (Debian package poppler-utils)")
    assert tool is not None
    subprocess.run([tool, "-r", "40", "-png", str(path), str(out / "page")], check=True)
    return [imread(p)[:, :, :3] for p in sorted(out.glob("page-*.png"))]


def _ink(pixels: np.ndarray) -> float:
    return float((np.abs(1.0 - pixels).sum(axis=2) > 0.12).mean())


def test_pdf_has_at_least_three_pages_and_none_is_blank(pdf: PdfReport, tmp_path: Path) -> None:
    assert pdf.path.is_file() and pdf.pages >= 3
    assert pdf.path.read_bytes()[:5] == b"%PDF-"
    pages = _pages_as_pixels(pdf.path, tmp_path)
    assert len(pages) == pdf.pages
    for number, pixels in enumerate(pages, 1):
        assert pixels.std() > 0.05, f"page {number} is flat"
        assert _ink(pixels) > 0.02, f"page {number} is nearly empty"
        # Charts spread over the page, not a line of text: ink in both halves.
        h = pixels.shape[0] // 2
        assert _ink(pixels[:h]) > 0.01 and _ink(pixels[h:]) > 0.005, f"page {number}"


def test_pdf_leaves_no_temporary_file(pdf: PdfReport) -> None:
    assert [p.name for p in pdf.path.parent.iterdir()] == ["report.pdf"]


def test_png_export_writes_every_chart_and_none_is_blank(plan: Plan, tmp_path: Path) -> None:
    seen: list[float] = []
    files = export_png(
        plan, tmp_path / "charts", today=TODAY, dpi=50, progress=lambda f, _m: seen.append(f)
    )
    names = {f.stem for f in files}
    assert {"gantt", "cashflow", "overhead-per-wave", "sidecar-vs-ambient", "tornado"} <= names
    assert sorted(p.name for p in (tmp_path / "charts").iterdir()) == sorted(f.name for f in files)
    for f in files:
        pixels = imread(f)[:, :, :3]
        assert pixels.std() > 0.05 and _ink(pixels) > 0.01, f.name
    assert seen == sorted(seen) and seen[-1] == 1.0


def test_kpis_carry_the_business_case(plan: Plan) -> None:
    data = report_data(plan, "playbook", TODAY)
    tiles = {k.label: k for k in kpis(data)}
    assert tiles["3-year cost"].value == "$7.05M"
    assert tiles["ROI"].value == "134%"
    assert tiles["Payback"].value == f"{data.economics.metrics.payback_months:.1f} mo"
    assert set(charts(data)) >= {"cover-kpis", "gantt", "cashflow", "tornado", "findings"}
    rows = scenario_rows(data)
    assert [r[0] for r in rows] == ["Plan assumptions", "playbook", "ramp-with-migration"]
    assert rows[1][3] == "134%" and rows[2][5] == "15.8 mo"  # the seed's two conventions


def test_bad_targets_fail_with_a_clear_error(plan: Plan, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="no folder"):
        export_pdf(plan, tmp_path / "missing" / "r.pdf")
    with pytest.raises(ExportError, match="it is a folder"):
        export_pdf(plan, tmp_path)
    (tmp_path / "file").write_text("x")
    with pytest.raises(ExportError, match="not a folder"):
        export_png(plan, tmp_path / "file")


def test_cancelled_export_writes_nothing(plan: Plan, tmp_path: Path) -> None:
    token = CancelToken()

    def progress(fraction: float, message: str) -> None:
        if message.startswith("page 2"):
            token.cancel()

    with pytest.raises(JobCancelled):
        export_pdf(plan, tmp_path / "r.pdf", progress=progress, cancel=token, today=TODAY)
    assert list(tmp_path.iterdir()) == []
