"""Matplotlib Figure builders shared by the UI and the exports (no pyplot, no Qt)."""
