"""The economics dashboard: KPI tiles, charts, scenarios and the assumptions editor."""

from workbench.ui.dashboard.dashboard import EconomicsDashboard

__all__ = ["EconomicsDashboard"]
