"""Pausing Python's cyclic garbage collector while large object graphs without cycles are
built or walked (imports, plan loads and saves, plans sent to worker processes), keeping a
large plan the window holds out of its later scans, and running collections on the main
thread only, when it asks (the desktop window: Qt objects must not be destroyed on a
worker thread)."""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_pauses = 0
_was_enabled = False
_collecting = 0  # collections under way, on any thread (counted by _track)
_main_thread_only = False  # no automatic collections: the main thread calls collect_if_due
_kept = False  # keep_out_of_collections froze the heap (a check that needs no heap walk)
_long_lived_total = 0  # objects in the oldest generation after its last collection
_long_lived_pending = 0  # objects that reached it since
_since_full = 0  # young collections since the last full one


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
    resumes, if it was running before, when the last one ends (with collections on the main
    thread only, :func:`collect_if_due` runs none while a pause lasts). On the main thread,
    and unless the window keeps a plan out of collections, what was built then goes
    straight to the oldest generation (a freeze and an unfreeze: no scan of it by the young
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
            if _pauses == 0 and (_was_enabled or _main_thread_only):
                settle = threading.current_thread() is threading.main_thread()
                if settle and not _collecting and not _kept:
                    gc.freeze()  # what was built goes to the oldest generation, unscanned
                    gc.unfreeze()
                if not _main_thread_only:
                    gc.enable()


def collections_running() -> bool:
    """Whether collections run now: no pause is under way, and the collector runs by itself
    or on the main thread's calls."""
    with _lock:
        return _pauses == 0 and (_main_thread_only or gc.isenabled())


def collect_on_main_thread_only(on: bool = True) -> bool:
    """No collection by itself on whichever thread happens to allocate: only those the main
    thread runs with :func:`collect_if_due` (``on``), or automatic collections again (not
    ``on``). Returns the setting before.

    A desktop window needs the first: a collection started by a worker thread would
    destroy there the Qt objects it finds in unreachable reference cycles (closed dialogs,
    views left behind), and Qt objects destroyed off the UI thread crash the process."""
    global _main_thread_only, _was_enabled, _long_lived_total, _long_lived_pending
    with _lock:
        was = _main_thread_only
        if on and not was:
            _long_lived_total, _long_lived_pending = len(gc.get_objects(generation=2)), 0
        _main_thread_only = on
        if _pauses:
            _was_enabled = _was_enabled or (was and not on)
        elif on:
            gc.disable()
        elif was:
            gc.enable()
    return was


def collect_if_due() -> int:
    """The collection due by now, if any, run here on the main thread: the young
    generations, once more objects than the first threshold came since the last one, and
    the oldest generation, as the interpreter would, after as many young collections as
    the other two thresholds multiply to and once a quarter more objects reached it since
    its last collection. Returns the generation collected (1 for the young ones), or -1
    for none (not due, paused, off the main thread, automatic collections).

    Both young generations go together: the objects a view built in one turn are scanned
    once, in the collection that follows, instead of again, all of them at once, in the
    middle generation's collection some turns later."""
    global _long_lived_total, _long_lived_pending, _since_full
    if threading.current_thread() is not threading.main_thread():
        return -1
    with _lock:
        if not _main_thread_only or _pauses or _collecting:
            return -1
    (young, middle, old), count = gc.get_threshold(), gc.get_count()[0]
    if young == 0 or count <= young:
        return -1
    _since_full += 1
    if _since_full > middle * old and _long_lived_pending >= _long_lived_total // 4:
        gc.collect(2)
        _long_lived_total, _long_lived_pending = len(gc.get_objects(generation=2)), 0
        _since_full = 0
        return 2
    before = len(gc.get_objects(generation=0)) + len(gc.get_objects(generation=1))
    _long_lived_pending += max(0, before - gc.collect(1))
    return 1


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
    global _kept
    if threading.current_thread() is not threading.main_thread() or _collecting:
        return False
    with _lock:
        gc.freeze()
        _kept = True
    return True


def return_to_collections() -> None:
    """Undo :func:`keep_out_of_collections`: all of it back in the oldest generation (tests
    leave the heap as they found it; the window never thaws what it kept)."""
    global _kept
    with _lock:
        gc.unfreeze()
        _kept = False
