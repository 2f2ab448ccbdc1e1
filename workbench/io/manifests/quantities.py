"""Kubernetes quantity text for the product's units (millicores, bytes)."""

from __future__ import annotations

MIB = 1024 * 1024


def cpu_text(millicores: int) -> str:
    return f"{millicores}m"


def memory_text(size: int) -> str:
    return f"{size // MIB}Mi" if size % MIB == 0 else str(size)
