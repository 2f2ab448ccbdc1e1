"""``mesh-workbench export PLAN [--manifests DIR] [--excel FILE] [--pdf FILE] [--png DIR]``.

At least one target; each is written in turn and reported on one line. ``--scenario``
picks the business case for the Excel workbook and the report; ``--istio-version``
sets the Istio version the manifests target (the plan's own by default).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from workbench.domain.errors import WorkbenchError


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "export",
        help="write Istio manifests per wave, the Excel workbook, the PDF report or PNG charts",
    )
    p.add_argument("plan", help="a .meshplan file")
    p.add_argument("--manifests", metavar="DIR", help="write the manifests per wave into DIR")
    p.add_argument("--excel", metavar="FILE", help="write the Excel workbook to FILE (.xlsx)")
    p.add_argument("--pdf", metavar="FILE", help="write the executive PDF report to FILE")
    p.add_argument("--png", metavar="DIR", help="write the report's charts as PNG files into DIR")
    p.add_argument("--scenario", help="business case under this scenario (default: the plan's)")
    p.add_argument(
        "--allow-blockers",
        action="store_true",
        help="mesh wave members with open blockers too (left out by default)",
    )
    p.add_argument(
        "--istio-version", metavar="V", help="Istio version the manifests target, e.g. 1.24"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not any((args.manifests, args.excel, args.pdf, args.png)):
        raise WorkbenchError("nothing to export: give --manifests, --excel, --pdf or --png")
    if args.istio_version is not None:
        from workbench.io.manifests.options import istio_minor

        istio_minor(args.istio_version)  # a bad version fails before any writing
    from workbench.io.plan_file import load_plan
    from workbench.ops.economics import scenario_assumptions

    plan = load_plan(args.plan)
    scenario_assumptions(plan, args.scenario)  # an unknown scenario fails before any writing
    if args.manifests:
        print(_manifests(plan, args))
    if args.excel:
        from workbench.ops.export_excel import export_excel

        result = export_excel(plan, args.excel, scenario=args.scenario)
        print(f"excel: {result.path} ({len(result.sheets)} sheets, {result.size_bytes:,} bytes)")
    if args.pdf:
        from workbench.ops.export_report import export_pdf

        pdf = export_pdf(plan, args.pdf, scenario=args.scenario)
        print(f"pdf: {pdf.path} ({pdf.pages} pages)")
    if args.png:
        from workbench.ops.export_report import export_png

        files = export_png(plan, args.png, scenario=args.scenario)
        print(f"png: {args.png} ({len(files)} charts)")
    return 0


def _manifests(plan: Any, args: argparse.Namespace) -> str:
    from workbench.ops.export_manifests import ManifestOptions, export_manifests

    options = ManifestOptions(istio_version=args.istio_version, allow_blockers=args.allow_blockers)
    report = export_manifests(plan, args.manifests, options=options)
    if report.left_out:
        print(
            f"warning: {len(report.left_out)} wave member(s) with open blockers left out of "
            "their wave's mesh step (see the runbooks; --allow-blockers includes them)",
            file=sys.stderr,
        )
    if report.blocked_included:
        print(
            f"warning: {len(report.blocked_included)} wave member(s) with open blockers "
            "included (--allow-blockers): their pods may be rejected on restart",
            file=sys.stderr,
        )
    return (
        f"manifests: {report.out_dir} ({report.files} files in {len(report.folders)} folders, "
        f"{report.objects} objects, Istio {report.istio_version})"
    )
