"""Chart benchmarks: what the live dashboard and the exports pay per chart.

Target: a cumulative cash-flow chart over 36 months builds and draws (Agg, 8x4.5 in at
100 dpi) in well under 100 ms. Also reported: the other builders on the sample plan and
on a 1,000-workload generated plan, and the whole PDF export.
Run: pytest tests/benchmarks/bench_charts.py -o python_files='bench_*.py' -s
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from workbench.charts.cashflow import cashflow_figure
from workbench.charts.gantt import gantt_figure
from workbench.charts.overhead import overhead_by_wave_figure, sidecar_vs_ambient_figure
from workbench.charts.tornado import tornado_figure
from workbench.domain.planning.autoplan import AutoPlanOptions
from workbench.io.plan_file import load_plan
from workbench.ops.economics import compute
from workbench.ops.export_report import export_pdf
from workbench.ops.generate import generate_plan
from workbench.ops.planning import auto_plan

CASHFLOW_TARGET_MS = 100.0


def _median_ms(build: Callable[[], Figure], runs: int = 15) -> float:
    build()  # warm caches (fonts, glyphs)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        FigureCanvasAgg(build()).draw()
        times.append((time.perf_counter() - t0) * 1000.0)
    return statistics.median(times)


def test_cashflow_chart_builds_and_draws_fast(sample_plan_path: Path) -> None:
    plan = load_plan(sample_plan_path)
    report = compute(plan, "ramp-with-migration")
    flow = report.evaluation.cash_flow
    assert len(report.month_labels) == 36
    ms = _median_ms(
        lambda: cashflow_figure(
            report.month_labels, flow.cost_total, flow.benefit_total, report.metrics.payback_months
        )
    )
    print(
        f"\ncash-flow chart, 36 months, build+draw: median {ms:.1f} ms "
        f"(target < {CASHFLOW_TARGET_MS:.0f} ms)"
    )
    assert ms < CASHFLOW_TARGET_MS


def test_other_charts(sample_plan_path: Path) -> None:
    generated = generate_plan(1000, 3, 7)
    auto_plan(generated, AutoPlanOptions()).do(generated)
    for label, plan in (("sample", load_plan(sample_plan_path)), ("1,000 workloads", generated)):
        r = compute(plan)
        by_mode = {"As planned": r.overhead, **r.overhead_by_mode}
        timings = {
            "gantt": _median_ms(lambda p=plan: gantt_figure(p.schedule), 5),
            "overhead per wave": _median_ms(lambda r=r: overhead_by_wave_figure(r.basis), 5),
            "sidecar vs ambient": _median_ms(lambda b=by_mode: sidecar_vs_ambient_figure(b), 5),
            "tornado": _median_ms(lambda r=r: tornado_figure(r.tornado, r.metrics.npv), 5),
        }
        shown = ", ".join(f"{k} {v:.0f} ms" for k, v in timings.items())
        print(f"\n{label}: {shown}")


def test_pdf_export_time(sample_plan_path: Path) -> None:
    plan = load_plan(sample_plan_path)
    with tempfile.TemporaryDirectory() as folder:
        t0 = time.perf_counter()
        result = export_pdf(plan, Path(folder) / "r.pdf", today=date(2023, 6, 1))
        seconds = time.perf_counter() - t0
        size = result.path.stat().st_size
    print(
        f"\nPDF report of the sample plan: {result.pages} pages, {size / 1024:.0f} KiB, "
        f"{seconds:.2f} s"
    )
