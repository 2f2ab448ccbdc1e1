"""The Dependencies view: an interactive graph of who calls whom."""

from workbench.ui.graph.view import DependencyView

__all__ = ["DependencyView"]
