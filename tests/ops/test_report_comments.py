"""The report's appendix lists every review comment and its replies, over as many pages
as they need."""

from __future__ import annotations

import copy
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import require
from workbench.domain.comments import Comment, Reply
from workbench.domain.plan import Plan
from workbench.io.plan_file import load_plan
from workbench.ops.export_report import export_pdf
from workbench.ops.report_comments import LINES_PER_PAGE, comment_lines, comment_pages

TODAY = date(2023, 6, 15)


@pytest.fixture(scope="module")
def commented(sample_plan_path: Path) -> Plan:
    plan = load_plan(sample_plan_path)
    wave = plan.schedule.waves[1]
    key = wave.members[0]
    plan.comments.append(
        Comment("c1", f"wave:{wave.id}", "ana", "2023-06-01T09:00:00Z", "Move after the freeze?")
    )
    plan.comments[0].replies.append(Reply("r1", "bo", "2023-06-02T10:00:00Z", "Agreed, +2 weeks"))
    plan.comments.append(
        Comment(
            "c2",
            f"workload:{key}",
            "bo",
            "2023-06-03T10:00:00Z",
            "Owner unknown " * 30,
            resolved=True,
        )
    )
    for i in range(40):
        plan.comments.append(Comment(f"x{i}", "plan", "cy", "2023-06-04T00:00:00Z", f"note {i}"))
    return plan


def test_no_comments_no_appendix(sample_plan_path: Path) -> None:
    assert comment_pages(load_plan(sample_plan_path)) == {}


def test_the_appendix_splits_into_pages(commented: Plan) -> None:
    lines = comment_lines(commented)[:-1]  # the trailing blank line is dropped
    pages = comment_pages(commented)
    assert len(pages) == -(-len(lines) // LINES_PER_PAGE)
    assert len(pages) >= 2
    heads = [text for style, text in lines if style == "head"]
    assert heads[0].startswith(f"wave {commented.schedule.waves[1].id}")
    assert "resolved" in heads[1] and "open" in heads[0]


def test_the_pdf_carries_the_comments(commented: Plan, tmp_path: Path) -> None:
    tool = shutil.which("pdftotext")
    require(tool is not None, "pdftotext (Debian package poppler-utils)")
    assert tool is not None
    report = export_pdf(commented, tmp_path / "report.pdf", today=TODAY)
    base = export_pdf(_without_comments(commented), tmp_path / "base.pdf", today=TODAY)
    assert report.pages == base.pages + len(comment_pages(commented))
    text = subprocess.run(
        [tool, "-layout", str(report.path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Appendix: review comments" in text
    assert "Move after the freeze?" in text and "Agreed, +2 weeks" in text
    assert "note 39" in text


def _without_comments(plan: Plan) -> Plan:
    out = copy.deepcopy(plan)
    out.comments = []
    return out
