"""The report's appendix: every review comment with its replies, as many pages as needed."""

from __future__ import annotations

import textwrap

from matplotlib.figure import Figure

from workbench.charts.style import LABEL_SIZE, SMALL_SIZE, TITLE_SIZE, Palette, Target, canvas, root
from workbench.domain.plan import Plan
from workbench.ops.comments import describe_target
from workbench.ops.report_content import Builder

LINES_PER_PAGE = 44
WRAP = 170
_TOP = 0.93
_STEP = 0.85 / LINES_PER_PAGE

Line = tuple[str, str]  # (style: "head" | "text" | "reply", text)


def comment_lines(plan: Plan) -> list[Line]:
    """The appendix as styled lines: a heading per comment, its text, its replies."""
    out: list[Line] = []
    for c in plan.comments:
        state = "resolved" if c.resolved else "open"
        when = c.created[:10]
        out.append(
            ("head", f"{describe_target(plan, c.target)}  ·  {c.author or '?'}, {when}  ·  {state}")
        )
        for para in c.text.splitlines() or [""]:
            out += [("text", line) for line in textwrap.wrap(para, WRAP) or [""]]
        for r in c.replies:
            reply = f"{r.author or '?'}, {r.created[:10]}: {r.text}"
            out += [("reply", line) for line in textwrap.wrap(reply, WRAP - 6)]
        out.append(("text", ""))
    return out


def _page(lines: list[Line], number: int, total: int) -> Builder:
    def build(p: Palette, size: tuple[float, float], target: Target | None) -> Figure:
        fig, _ = canvas(target, p, size, 100.0)
        suffix = f" ({number} of {total})" if total > 1 else ""
        fig.text(
            0.04,
            0.97,
            f"Appendix: review comments{suffix}",
            fontsize=TITLE_SIZE,
            fontweight="bold",
            color=p.foreground,
            va="top",
        )
        y = _TOP
        for style, text in lines:
            fig.text(
                0.06 if style == "reply" else 0.04,
                y,
                ("↳ " + text) if style == "reply" else text,
                fontsize=LABEL_SIZE if style == "head" else SMALL_SIZE + 1,
                fontweight="bold" if style == "head" else "normal",
                color=p.muted if style == "reply" else p.foreground,
                va="top",
            )
            y -= _STEP
        return root(fig)

    return build


def comment_pages(plan: Plan) -> dict[str, Builder]:
    """One builder per appendix page, by name (``comments-1`` ...); none without comments."""
    lines = comment_lines(plan)
    while lines and lines[-1] == ("text", ""):
        lines.pop()
    chunks = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    return {f"comments-{n}": _page(chunk, n, len(chunks)) for n, chunk in enumerate(chunks, 1)}
