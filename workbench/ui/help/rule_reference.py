"""The rule reference: every readiness and schedule rule with its why, fix and source.

Entries are built from the rule registries themselves, so the reference can never
disagree with the rules that produce the findings. Each entry has the anchor
``rule-<ID>``; a finding links to its rule's entry.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cache

from workbench.ui.theme import SEVERITY_COLORS

URL = re.compile(r"https?://[^\s)\]]+")


@dataclass(frozen=True, slots=True)
class RuleEntry:
    id: str
    title: str
    severity: str
    kind: str  # "readiness" or "schedule"
    scope: str
    why: str
    fix: str
    sources: tuple[str, ...]  # Istio documents or code the rule rests on


def anchor(rule_id: str) -> str:
    return f"rule-{rule_id}"


@cache
def rule_entries() -> tuple[RuleEntry, ...]:
    """Readiness rules (R…, B…) then schedule rules (S…), each in id order."""
    from workbench.domain.planning.catalogue import RULES as SCHEDULE_RULES
    from workbench.domain.readiness.report import RULES as READINESS_RULES

    entries = [
        RuleEntry(
            r.id, r.title, r.severity, "readiness", r.scope, r.why, r.fix, _sources(r.source, r.why)
        )
        for r in READINESS_RULES
    ]
    entries += [
        RuleEntry(r.id, r.title, r.severity, "schedule", "plan", r.why, r.fix, _sources(r.why))
        for r in sorted(SCHEDULE_RULES, key=lambda r: (r.id[0], int(r.id[1:])))
    ]
    return tuple(entries)


def _sources(*texts: str) -> tuple[str, ...]:
    found: list[str] = []
    for text in texts:
        if text.startswith(("http://", "https://")):
            found.append(text.strip())
        found += [u.rstrip(".,;") for u in URL.findall(text)]
    return tuple(dict.fromkeys(found))


def _e(text: str) -> str:
    return html.escape(text)


def _without_urls(text: str) -> str:
    return URL.sub("", text).replace("()", "").replace(" .", ".").strip()


def entry_html(entry: RuleEntry) -> str:
    colour = SEVERITY_COLORS.get(entry.severity, "#888")
    sources = (
        "; ".join(f"<a href='{_e(u)}'>{_e(u)}</a>" for u in entry.sources)
        if entry.sources
        else "a planning rule of the workbench (no Istio document applies)"
    )
    return (
        f"<a name='{anchor(entry.id)}'></a>"
        f"<h3>{_e(entry.id)} · {_e(entry.title)}</h3>"
        f"<p><b style='color:{colour}'>{_e(entry.severity)}</b> · {_e(entry.kind)} rule · "
        f"checks each {_e(entry.scope)}</p>"
        f"<p><b>Why it matters:</b> {_e(_without_urls(entry.why))}</p>"
        f"<p><b>How to fix:</b> {_e(entry.fix)}</p>"
        f"<p><b>Istio source:</b> {sources}</p>"
    )


def reference_html() -> str:
    entries = rule_entries()
    index = " ".join(f"<a href='#{anchor(e.id)}'>{_e(e.id)}</a>" for e in entries)
    readiness = [e for e in entries if e.kind == "readiness"]
    schedule = [e for e in entries if e.kind == "schedule"]
    return (
        "<h1>Rule reference</h1>"
        "<p>Every finding names one of these rules. Readiness rules (R…, B…) look at one "
        "workload, Service, namespace or cluster as imported; schedule rules (S…) look at "
        "the waves. Mute a finding in the Findings view when it does not apply, with a "
        "reason that stays in the plan.</p>"
        f"<p>{index}</p>"
        f"<h2>Readiness rules ({len(readiness)})</h2>"
        + "".join(entry_html(e) for e in readiness)
        + f"<h2>Schedule rules ({len(schedule)})</h2>"
        + "".join(entry_html(e) for e in schedule)
    )
