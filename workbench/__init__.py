"""Mesh Migration Workbench: plan a Kubernetes estate's move onto the Istio service mesh."""

__version__ = "0.1.0"
