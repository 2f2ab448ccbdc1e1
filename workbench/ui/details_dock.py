"""The details dock: everything about the current selection on one page.

For a workload: kind, replicas and pods, containers with images, ports and requests,
its findings, what is known of its callers (complete, partial or unknown, and why),
callers and callees (links that select them) and its wave. For a wave:
its dates, targets, members and findings. For both, the review comments on it, with
links to add a comment, reply, and resolve or reopen one.

Edits and new findings do not redraw the dock on the spot: they mark it out of date and
it redraws once the edits pause (:data:`SETTLE_MS`; a drag's frames come faster), and
only while it is on screen; a hidden dock redraws when it is next shown. Caller
knowledge is recomputed only after edits that can change it, or read from a shared
source (:meth:`DetailsDock.share_knowledge`: the inventory's, computed in the background).
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QTimer, QUrl, Signal, SignalInstance
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDockWidget, QTextBrowser, QWidget

from workbench.domain.commands import Change
from workbench.domain.commands_comments import SetCommentResolved
from workbench.domain.comments import comments_on
from workbench.domain.evidence import CallerEvidence, caller_evidence
from workbench.domain.findings import Finding
from workbench.domain.inventory import Container, Workload
from workbench.domain.schedule import Wave
from workbench.ui.document import PlanDocument
from workbench.ui.theme import SEVERITY_COLORS

MIB = 1024 * 1024
MAX_LISTED = 40
SETTLE_MS = 80  # edits closer together than this (a drag's frames) redraw the dock once
# Areas an edit can touch without changing what is known of anybody's callers.
KNOWLEDGE_KEPT = frozenset({"schedule", "meta", "mutes", "comments"})


def _e(text: object) -> str:
    return html.escape(str(text))


def _link(key: str) -> str:
    return f"<a href='select:{_e(key)}'>{_e(key)}</a>"


def _container_row(c: Container) -> str:
    ports = ", ".join(
        f"{p.container_port}/{p.protocol}" + (f" ({p.name})" if p.name else "") for p in c.ports
    )
    cpu = c.resources.cpu_request_m
    mem = c.resources.memory_request_bytes
    return (
        f"<li><b>{_e(c.name)}</b> <span style='color:gray'>{_e(c.image)}</span><br/>"
        f"ports {_e(ports) or '—'} · CPU {'—' if cpu is None else f'{cpu} m'} · "
        f"memory {'—' if mem is None else f'{mem // MIB} MiB'}</li>"
    )


def _findings_html(findings: list[Finding]) -> str:
    if not findings:
        return "<p>No active findings.</p>"
    rows = []
    for f in findings[:MAX_LISTED]:
        colour = SEVERITY_COLORS.get(f.severity, "#888")
        rows.append(
            f"<li><b style='color:{colour}'>{_e(f.severity)}</b> {_e(f.rule)}: "
            f"{_e(f.message)}<br/><i>Fix:</i> {_e(f.fix)}</li>"
        )
    more = f"<p>… and {len(findings) - MAX_LISTED} more</p>" if len(findings) > MAX_LISTED else ""
    return "<ul>" + "".join(rows) + "</ul>" + more


def _key_list(keys: list[str]) -> str:
    if not keys:
        return "none"
    shown = ", ".join(_link(k) for k in keys[:MAX_LISTED])
    return shown + (f" and {len(keys) - MAX_LISTED} more" if len(keys) > MAX_LISTED else "")


class DetailsDock(QDockWidget):
    """Shows the selected workload or wave; links in it ask to select another object."""

    select_requested = Signal(str)

    def __init__(self, document: PlanDocument, parent: QWidget | None = None) -> None:
        super().__init__("Details", parent)
        self.setObjectName("DetailsDock")
        self.document = document
        self.key = ""
        # Asks for a text (title, label) -> the text or None; the window sets it.
        self.ask_text: Callable[[str, str], str | None] | None = None
        self._knowledge: dict[str, CallerEvidence] | None = None
        self._shared_knowledge: Callable[[], dict[str, CallerEvidence] | None] | None = None
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._on_link)
        self.setWidget(self.browser)
        self.redraws = 0  # how often the page was drawn (tests count them)
        self._stale = False
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._redraw_if_shown)
        document.replaced.connect(self._on_replaced)
        document.changed.connect(self._on_change)
        document.analysis.updated.connect(self.mark_stale)
        self.show_key("")

    def _on_replaced(self) -> None:
        self._knowledge = None
        self.show_key("")

    def _on_change(self, change: Change) -> None:
        if not change.areas <= KNOWLEDGE_KEPT:
            self._knowledge = None
        self.mark_stale()

    def mark_stale(self) -> None:
        """The shown object may have changed: redraw when edits pause, if on screen."""
        self._stale = True
        self._settle.start()  # restarted by every edit of a burst

    def _on_screen(self) -> bool:
        return self.isVisible() and not self.browser.visibleRegion().isEmpty()

    def _redraw_if_shown(self) -> None:
        if self._stale and self._on_screen():
            self.show_key(self.key)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.show_key(self.key)

    def share_knowledge(
        self, source: Callable[[], dict[str, CallerEvidence] | None], arrived: SignalInstance
    ) -> None:
        """Read caller knowledge from ``source`` (None while it is computed; the dock
        says "…" then and redraws on ``arrived``) instead of computing it here."""
        self._shared_knowledge = source
        arrived.connect(self.mark_stale)

    def _knowledge_html(self, key: str) -> str:
        if self._shared_knowledge is not None:
            shared = self._shared_knowledge()
            if shared is None:
                return "<p><b>Callers known:</b> …</p>"
            found = shared.get(key)
        else:
            if self._knowledge is None:
                self._knowledge = caller_evidence(self.document.plan)
            found = self._knowledge.get(key)
        if found is None:
            return ""
        external = " · <b>called from outside</b>" if found.external_callers else ""
        reasons = "".join(f"<li>{_e(r)}</li>" for r in found.reasons)
        return f"<p><b>Callers known:</b> {_e(found.callers)}{external}</p><ul>{reasons}</ul>"

    def _on_link(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("select:"):
            self.select_requested.emit(text.removeprefix("select:"))
        elif text.startswith("comment:"):
            self.comment_action(text.removeprefix("comment:"))

    def comment_target(self) -> str | None:
        """The comment target of what the dock shows, or None."""
        if self.key.startswith("wave:"):
            return self.key if self.document.plan.schedule.has_wave(self.key[5:]) else None
        workloads = self.document.plan.inventory.workloads
        return f"workload:{self.key}" if self.key in workloads else None

    def comment_action(self, action: str) -> bool:
        """``add``, ``reply:<id>`` or ``toggle:<id>`` on the shown object's comments;
        the dock shows the result at once (the user acted in it)."""
        done = self._comment_edit(action)
        if done:
            self.show_key(self.key)
        return done

    def _comment_edit(self, action: str) -> bool:
        from workbench.ops.comments import new_comment, new_reply

        target = self.comment_target()
        if target is None:
            return False
        verb, _, comment_id = action.partition(":")
        if verb == "toggle":
            c = next((c for c in self.document.plan.comments if c.id == comment_id), None)
            return c is not None and self.document.try_execute(
                SetCommentResolved(c.id, not c.resolved)
            )
        if self.ask_text is None:
            return False
        if verb == "add":
            text = self.ask_text("New comment", f"Comment on {self.key}:")
            return bool(text) and self.document.try_execute(
                new_comment(self.document.plan, target, text or "")
            )
        if verb == "reply":
            text = self.ask_text("Reply", "Reply:")
            return bool(text) and self.document.try_execute(new_reply(comment_id, text or ""))
        return False

    def _comments_html(self, target: str) -> str:
        comments = comments_on(self.document.plan.comments, target)
        rows = []
        for c in comments:
            state = "resolved" if c.resolved else "open"
            toggle = "Reopen" if c.resolved else "Resolve"
            replies = "".join(
                f"<br/>&nbsp;&nbsp;↳ <b>{_e(r.author or '?')}</b>: {_e(r.text)}" for r in c.replies
            )
            style = " style='color:gray'" if c.resolved else ""
            rows.append(
                f"<li{style}><b>{_e(c.author or '?')}</b>"
                f" <span style='color:gray'>{_e(c.created[:10])} · {state}</span><br/>"
                f"{_e(c.text)}{replies}<br/><a href='comment:reply:{_e(c.id)}'>Reply…</a> · "
                f"<a href='comment:toggle:{_e(c.id)}'>{toggle}</a></li>"
            )
        listed = f"<ul>{''.join(rows)}</ul>" if rows else ""
        return (
            f"<h4>Comments ({len(comments)})</h4>{listed}"
            "<p><a href='comment:add'>Add a comment…</a></p>"
        )

    def text(self) -> str:
        return self.browser.toPlainText()

    def show_key(self, key: str) -> None:
        """Show a workload key, ``wave:<id>``, or a hint when ``key`` names nothing."""
        self.key = key
        self._stale = False
        self._settle.stop()
        self.redraws += 1
        plan = self.document.plan
        if key.startswith("wave:"):
            wave_id = key.removeprefix("wave:")
            wave = next((w for w in plan.schedule.waves if w.id == wave_id), None)
            if wave is not None:
                self.browser.setHtml(self._wave_html(wave))
                return
        workload = plan.inventory.workloads.get(key)
        if workload is not None:
            self.browser.setHtml(self._workload_html(workload))
            return
        self.browser.setHtml(
            "<p style='color:gray'>Select a workload or a wave to see its details.</p>"
        )

    def _findings_of(self, key: str) -> list[Finding]:
        return list(self.document.analysis.current.by_item.get(key, []))

    def _workload_html(self, w: Workload) -> str:
        plan = self.document.plan
        deps = plan.dependencies
        callers = sorted(c for c, callee in deps.edges if callee == w.key)
        callees = sorted(callee for c, callee in deps.edges if c == w.key)
        wave_id = plan.schedule.wave_of(w.key)
        wave = next((x for x in plan.schedule.waves if x.id == wave_id), None)
        wave_text = (
            f"<a href='select:wave:{_e(wave.id)}'>{_e(wave.name or wave.id)}</a> "
            f"({wave.start.isoformat()} → {wave.end.isoformat()}, {wave.mode}, {wave.mtls})"
            if wave is not None
            else "<i>unassigned</i>"
        )
        analysis = self.document.analysis.current
        risk = analysis.risk.get(w.key)
        containers = "".join(_container_row(c) for c in w.containers)
        inits = "".join(_container_row(c) for c in w.init_containers)
        findings = (
            _findings_html(self._findings_of(w.key)) if analysis.ready else "<p>Checking…</p>"
        )
        return (
            f"<h3>{_e(w.name)}</h3>"
            f"<p>{_e(w.kind)} in {_e(w.cluster)}/{_e(w.namespace)}<br/>"
            f"{w.replicas} replica(s), {w.pods} pod(s), service account "
            f"{_e(w.service_account)}"
            + (" · <b>host network</b>" if w.host_network else "")
            + (" · <b>vanished from the last import</b>" if w.vanished else "")
            + "</p>"
            f"<p><b>Wave:</b> {wave_text}<br/>"
            f"<b>Risk:</b> {'…' if risk is None else f'{risk:.0f} / 100'}</p>"
            f"<h4>Containers</h4><ul>{containers}</ul>"
            + (f"<h4>Init containers</h4><ul>{inits}</ul>" if inits else "")
            + f"<h4>Findings</h4>{findings}"
            f"<h4>Callers ({len(callers)})</h4>{self._knowledge_html(w.key)}"
            f"<p>{_key_list(callers)}</p>"
            f"<h4>Callees ({len(callees)})</h4><p>{_key_list(callees)}</p>"
            + self._comments_html(f"workload:{w.key}")
        )

    def _wave_html(self, wave: Wave) -> str:
        plan = self.document.plan
        workloads = plan.inventory.workloads
        pods = sum(workloads[k].pods for k in wave.members if k in workloads)
        findings = self._findings_of(wave.id)
        return (
            f"<h3>{_e(wave.name or wave.id)}</h3>"
            f"<p>{_e(wave.id)} in phase {_e(wave.phase)}<br/>"
            f"{wave.start.isoformat()} → {wave.end.isoformat()}<br/>"
            f"data plane {_e(wave.mode)}, mTLS {_e(wave.mtls)}</p>"
            f"<p>{len(wave.members)} workload(s), {pods} pod(s)</p>"
            f"<h4>Findings about the wave</h4>{_findings_html(findings)}"
            f"<h4>Members</h4><p>{_key_list(sorted(wave.members))}</p>"
            + self._comments_html(f"wave:{wave.id}")
        )
