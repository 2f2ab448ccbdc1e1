"""What the business-case figures of a document's views rest on.

The economics dashboard and the business-case strip under the Gantt chart share one
:class:`EconomicsBasis` per document (:meth:`EconomicsBasis.of`): one basis cache, so
the estate's workload table is built once for both and a wave drag rebuilds only the
schedule-dependent layer, and one answer to where the readiness classes come from.

The ``estate`` business case prices migration effort and remediation by each workload's
readiness class. Running the readiness rules for that on the window's thread holds it
for about a second on a 10,000-workload plan, so a view asks :meth:`EconomicsBasis.state`
whether to compute now, and with which classes:

- the plan's findings are current: the classes come from them (converted once per
  result of :class:`workbench.ui.plan_analysis.PlanAnalysis`);
- the cache holds the classes of the plan as it stands (a wave drag keeps them; an
  edit to the inventory, to the waves' modes or mTLS, or to mutes does not): those;
- otherwise a plan checked in the worker process waits for its findings, which
  ``arrived`` announces; a small plan, checked by the window's own runner, has them
  computed in line (milliseconds).

The analysis decides whether the worker process checks a plan when the plan is
replaced, after it has announced the replacement on its ``updated`` signal; a view
therefore asks when its figures are due (a timer, an edit, ``arrived``), never in
reply to that announcement.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal

from workbench.domain.economics.estate_case import ReadinessBasis
from workbench.domain.economics.model import BasisCache, readiness_from_findings
from workbench.domain.errors import WorkbenchError
from workbench.domain.plan import Plan
from workbench.ops.economics import scenario_assumptions
from workbench.ui.analysis_index import Analysis
from workbench.ui.document import PlanDocument

WAITING_FOR_FINDINGS = "Computing… (waiting for the readiness findings)"


class EconomicsBasis(QObject):
    """The document's basis cache and the readiness classes its figures use."""

    arrived = Signal()  # the findings of the plan as it stands are in

    def __init__(self, document: PlanDocument) -> None:
        super().__init__(document)
        self.document = document
        self.cache = BasisCache()
        self._held: tuple[Analysis, int, ReadinessBasis] | None = None
        document.replaced.connect(self.cache.clear)
        document.analysis.updated.connect(self._on_updated)

    @classmethod
    def of(cls, document: PlanDocument) -> EconomicsBasis:
        """The document's one instance, made on first use."""
        found = document.findChild(cls, options=Qt.FindChildOption.FindDirectChildrenOnly)
        return found if isinstance(found, cls) else cls(document)

    @property
    def current(self) -> bool:
        """The findings are complete for the plan as it stands."""
        analysis = self.document.analysis
        return analysis.current.ready and not analysis.busy

    def _on_updated(self) -> None:
        if self.current:
            self.arrived.emit()

    def state(self, plan: Plan) -> tuple[bool, ReadinessBasis | None]:
        """(whether to compute the figures of ``plan`` now, the readiness classes to
        compute them with when the findings are current)."""
        analysis = self.document.analysis
        if self.current:
            current, answered = analysis.current, analysis.answered
            held = self._held
            if held is None or held[0] is not current or held[1] != answered:
                classes = readiness_from_findings(current.of_source("readiness"))
                held = self._held = (current, answered, classes)
            return True, held[2]
        if not analysis.remote:
            return True, None  # a small plan: the rules run in line if needed
        try:
            assumptions = scenario_assumptions(plan, None)[1]
        except WorkbenchError:
            return True, None  # the figures say why they cannot be computed
        return self.cache.holds_readiness(plan, assumptions), None
