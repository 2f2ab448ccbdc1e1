"""Loading the plotting library in steps, one module a turn of the event loop.

Importing matplotlib and the chart builders at once holds the window for a good part
of a second; module by module, in the order they import each other, each step is a few
tens of milliseconds and the window keeps answering while the dashboard's charts load.
The last step is the dashboard's own figure module, which needs all the others. This is
for charts drawn in the window's process (:class:`.charts_panel.ChartsPanel` draws them
in the chart worker unless that fails). The
cyclic garbage collector is paused during each step, as for other imports: with a large
plan open, one full collection set off by an import's new objects costs more than all
the steps together.
"""

from __future__ import annotations

from workbench.ui.stepwise_import import StepwiseImport

FIGURES = "workbench.charts.dashboard"
# What matplotlib and the chart builders import, dependencies first, so each step only
# adds its own module. A step that is missing (another matplotlib version) is skipped.
STEPS = (
    "dateutil.parser",
    "numpy.ma",
    "pyparsing",
    "PIL.PngImagePlugin",
    "matplotlib",
    "matplotlib.font_manager",
    "matplotlib.text",
    "matplotlib.collections",
    "matplotlib.offsetbox",
    "matplotlib.axis",
    "matplotlib.legend",
    "matplotlib.spines",
    "matplotlib.table",
    "matplotlib.dates",
    "matplotlib.contour",
    "matplotlib.quiver",
    "matplotlib.tri",
    "matplotlib.axes",
    "mpl_toolkits.mplot3d.art3d",
    "matplotlib.projections.polar",
    "matplotlib.projections.geo",
    "matplotlib.figure",
    "matplotlib.backends.backend_agg",
    "workbench.charts.style",
    "workbench.charts.cashflow",
    "workbench.charts.cost_breakdown",
    "workbench.charts.overhead",
    "workbench.charts.tornado",
    "workbench.charts.montecarlo",
    FIGURES,
)


def chart_imports() -> StepwiseImport:
    """The plotting library and the chart builders, to load a module a turn."""
    return StepwiseImport(STEPS)
