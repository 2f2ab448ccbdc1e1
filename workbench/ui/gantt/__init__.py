"""The Gantt wave planner."""

from workbench.ui.gantt.view import GanttView

__all__ = ["GanttView"]
