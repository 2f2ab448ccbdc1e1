"""Pausing Python's cyclic garbage collector while large object graphs without cycles are
built or walked (imports, plan loads and saves, plans sent to worker processes)."""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_pauses = 0
_was_enabled = False


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector off while the block runs.

    Such blocks make millions of small objects without reference cycles (refcounting frees
    what they drop); the collector would only rescan the growing graph over and over.
    Nested and concurrent pauses (several threads at once) are counted: the collector
    resumes, if it was running before, when the last one ends. On the main thread, what
    was built then goes straight to the oldest generation (a freeze and unfreeze: no
    scan). Never from another thread: done on a helper thread of the window while its
    main thread was collecting, that ended the process in a collector crash."""
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
                if settle and gc.get_freeze_count() == 0:  # never thaw what others froze
                    gc.freeze()
                    gc.unfreeze()  # into the oldest generation
                gc.enable()
