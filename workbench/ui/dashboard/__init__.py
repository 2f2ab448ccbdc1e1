"""The economics dashboard: KPI tiles, charts, scenarios and the assumptions editor
(:class:`workbench.ui.dashboard.dashboard.EconomicsDashboard`). The package imports none of
its modules itself, so that the window can load them one a turn before the view is built."""
