"""The status bar: the plan file with its unsaved mark, findings by severity, what the
last imports could not read (import gaps) and the background jobs still running."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget

from workbench.domain.findings import SEVERITIES
from workbench.ui.document import PlanDocument
from workbench.ui.theme import SEVERITY_COLORS


class StatusPanel(QWidget):
    """Adds its labels to ``bar`` as permanent widgets and keeps them current."""

    def __init__(self, document: PlanDocument, bar: QStatusBar) -> None:
        super().__init__(bar)
        self.document = document
        self.file_label = QLabel(bar)
        self.file_label.setObjectName("statusFile")
        self.save_state_label = QLabel(bar)
        self.findings_label = QLabel(bar)
        self.gaps_label = QLabel(bar)
        self.gaps_label.setObjectName("statusImportGaps")
        self.jobs_label = QLabel(bar)
        self.jobs_bar = QProgressBar(bar)
        self.jobs_bar.setMaximumWidth(140)
        self.jobs_bar.setMaximumHeight(14)
        self.jobs_bar.setTextVisible(False)
        self.jobs_bar.setRange(0, 0)
        self.jobs_bar.hide()
        for widget in (
            self.file_label,
            self.save_state_label,
            self.findings_label,
            self.gaps_label,
            self.jobs_label,
            self.jobs_bar,
        ):
            bar.addPermanentWidget(widget)
        self.autosaved = ""
        document.modified_changed.connect(self.refresh_file)
        document.path_changed.connect(self.refresh_file)
        document.replaced.connect(self.refresh_file)
        document.analysis.updated.connect(self.refresh_findings)
        document.replaced.connect(self.refresh_findings)
        document.jobs.jobs_changed.connect(self.refresh_jobs)
        document.replaced.connect(self.refresh_gaps)
        document.changed.connect(self.refresh_gaps)
        self.refresh_gaps()
        self.refresh_file()
        self.refresh_findings()
        self.refresh_jobs()

    def refresh_file(self) -> None:
        doc = self.document
        self.file_label.setText(doc.path.name if doc.path else "New plan")
        self.file_label.setToolTip(str(doc.path) if doc.path else "")
        if doc.is_modified:
            text = "Unsaved changes"
        elif doc.path is None:
            text = "Not saved yet"
        else:
            text = "All changes saved"
        if self.autosaved and doc.is_modified:
            text += f" · recovery copy {self.autosaved}"
        self.save_state_label.setText(text)

    def set_autosaved(self, when: str) -> None:
        self.autosaved = when
        self.refresh_file()

    def refresh_findings(self) -> None:
        analysis = self.document.analysis.current
        if not analysis.ready:
            self.findings_label.setText("Findings: checking…")
            return
        counts = analysis.counts()
        parts = [
            f"<span style='color:{SEVERITY_COLORS[s]}'>{counts[s]:,} {s}</span>"
            for s in SEVERITIES
            if counts[s]
        ]
        self.findings_label.setText("Findings: " + (" · ".join(parts) or "none"))

    def refresh_gaps(self, *_: object) -> None:
        gaps = self.document.plan.inventory.gaps
        self.gaps_label.setVisible(bool(gaps))
        if not gaps:
            return
        clusters = sorted({g.cluster for g in gaps if g.resource == "*"})
        text = f"<span style='color:{SEVERITY_COLORS['high']}'>⚠ {len(gaps):,} import gap(s)</span>"
        if clusters:
            text += f" · not read: {', '.join(clusters)}"
        self.gaps_label.setText(text)
        lines = [
            f"{g.cluster}{'/' + g.namespace if g.namespace else ''} {g.resource}: {g.reason}"
            for g in gaps[:20]
        ]
        more = f"\n… and {len(gaps) - 20} more" if len(gaps) > 20 else ""
        self.gaps_label.setToolTip(
            "The inventory is incomplete where the import could not read:\n"
            + "\n".join(lines)
            + more
        )

    def refresh_jobs(self) -> None:
        running = self.document.jobs.running()
        if not running:
            self.jobs_label.setText("")
            self.jobs_bar.hide()
            return
        titles = ", ".join(dict.fromkeys(j.title for j in running))
        self.jobs_label.setText(f"{len(running)} background job(s): {titles}")
        self.jobs_bar.show()
