"""Pausing Python's cyclic garbage collector while large object graphs without cycles are
built or walked (imports, plan loads and saves, plans sent to worker processes), and
keeping a large plan the window holds out of its later scans."""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_pauses = 0
_was_enabled = False
_collecting = 0  # collections under way, on any thread (counted by _track)


def _track(phase: str, _info: dict[str, int]) -> None:
    global _collecting
    _collecting += 1 if phase == "start" else -1


gc.callbacks.append(_track)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector off while the block runs.

    Such blocks make millions of small objects without reference cycles (refcounting frees
    what they drop); the collector would only rescan the growing graph over and over.
    Nested and concurrent pauses (several threads at once) are counted: the collector
    resumes, if it was running before, when the last one ends. On the main thread, and
    unless the window keeps a plan out of collections, what was built then goes straight
    to the oldest generation (a freeze and an unfreeze: no scan of it by the young
    collections that would follow)."""
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
                settle = threading.current_thread() is threading.main_thread()
                if settle and not _collecting and gc.get_freeze_count() == 0:
                    gc.freeze()  # what was built goes to the oldest generation, unscanned
                    gc.unfreeze()
                gc.enable()


def keep_out_of_collections() -> bool:
    """Leave every object alive now out of all later collections (the permanent
    generation), so that no collection of the oldest generation scans them again.

    For the moment a window has taken a large plan: the plan has no reference cycles
    (reference counting frees what is dropped, frozen or not), and a full collection
    rescanning its hundreds of thousands of objects would hold the interpreter for
    longer than a frame, again and again while the user works. What is cyclic garbage
    at that moment is kept for good, so this is for such moments, not a habit. Only on
    the main thread and not while a collection is under way (another thread's, in its
    finalizers): then nothing is done and the answer is False."""
    if threading.current_thread() is not threading.main_thread() or _collecting:
        return False
    with _lock:
        gc.freeze()
    return True


def return_to_collections() -> None:
    """Undo :func:`keep_out_of_collections`: all of it back in the oldest generation (tests
    leave the heap as they found it; the window never thaws what it kept)."""
    with _lock:
        gc.unfreeze()
