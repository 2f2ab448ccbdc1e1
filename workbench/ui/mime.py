"""The drag-and-drop format for workloads, shared by every view that drags or accepts them.

The payload is UTF-8 text: one workload key (``cluster/namespace/Kind/name``) per line.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QMimeData

WORKLOADS_MIME = "application/x-meshworkbench-workloads"


def workloads_mime(keys: Iterable[str]) -> QMimeData:
    """Mime data carrying workload keys (and the same keys as plain text)."""
    text = "\n".join(keys)
    data = QMimeData()
    data.setData(WORKLOADS_MIME, text.encode("utf-8"))
    data.setText(text)
    return data


def has_workloads(data: QMimeData | None) -> bool:
    return data is not None and data.hasFormat(WORKLOADS_MIME)


def workload_keys(data: QMimeData | None) -> list[str]:
    """The keys a drag carries, in order, duplicates and blank lines dropped."""
    if not has_workloads(data):
        return []
    assert data is not None
    raw = bytes(data.data(WORKLOADS_MIME).data()).decode("utf-8", errors="replace")
    return list(dict.fromkeys(line.strip() for line in raw.splitlines() if line.strip()))
