"""Pausing Python's cyclic garbage collector while large object graphs without cycles are
built or walked (imports, plan loads and saves, plans sent to worker processes), and
keeping a window's plan out of later collections."""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_pauses = 0
_was_enabled = False
_collecting = 0


def _note_collection(phase: str, _info: dict[str, int]) -> None:
    global _collecting
    _collecting += 1 if phase == "start" else -1


gc.callbacks.append(_note_collection)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector off while the block runs.

    Such blocks make millions of small objects without reference cycles (refcounting frees
    what they drop); the collector would only rescan the growing graph over and over.
    Nested and concurrent pauses (several threads at once) are counted: the collector
    resumes, if it was running before, when the last one ends."""
    global _pauses, _was_enabled
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()


def keep_long_lived() -> bool:
    """Everything alive now leaves the collector's generations for good (``gc.freeze``).

    For a large plan once a window holds it: a full collection walks every object it can
    reach, and with a 10,000-workload plan in the oldest generation that walk held the
    window for half a second whenever it came due. Frozen objects are still freed by
    refcounting when dropped (a plan holds no reference cycles); only cyclic garbage alive
    at this moment stays. Never thawed: moving a frozen heap back into the oldest
    generation has crashed a later full collection. Only on the main thread and never
    while a collection runs (a finalizer can let another thread in mid-collection).
    Returns whether the heap was frozen."""
    if threading.current_thread() is not threading.main_thread() or _collecting:
        return False
    gc.freeze()
    return True
