"""Collections on the main thread only: none starts by itself on a thread that allocates,
the main thread runs those that fell due, pauses still hold them off, and the oldest
generation is collected as rarely as the interpreter would."""

from __future__ import annotations

import gc
import threading
import weakref

import pytest

from workbench.io import collector
from workbench.io.collector import (
    collect_if_due,
    collect_on_main_thread_only,
    collections_running,
    collector_paused,
)

pytestmark = pytest.mark.usefixtures("collector_on")  # on the main thread only


class Node:
    """An object in a reference cycle: only a collection frees it."""

    def __init__(self) -> None:
        self.me = self


def _cyclic_garbage(count: int) -> weakref.ref[Node]:
    nodes = [Node() for _ in range(count)]
    last = weakref.ref(nodes[-1])
    del nodes
    return last


def _starts() -> tuple[list[str], object]:
    threads: list[str] = []

    def record(phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            threads.append(threading.current_thread().name)

    gc.callbacks.append(record)
    return threads, record


def test_a_thread_that_allocates_starts_no_collection_and_the_main_thread_runs_it() -> None:
    threads, record = _starts()
    left: list[weakref.ref[Node]] = []
    try:
        helper = threading.Thread(
            target=lambda: left.append(_cyclic_garbage(20 * gc.get_threshold()[0])),
            name="helper",
        )
        helper.start()
        helper.join()
        assert threads == [] and not gc.isenabled() and collections_running()
        assert left[0]() is not None  # nothing collected it yet
        assert collect_if_due() >= 0
    finally:
        gc.callbacks.remove(record)  # type: ignore[arg-type]
    assert threads and set(threads) == {threading.main_thread().name}
    assert left[0]() is None


def test_no_collection_off_the_main_thread_while_paused_or_not_yet_due() -> None:
    gc.collect()
    assert collect_if_due() == -1  # nothing allocated since
    _cyclic_garbage(2 * gc.get_threshold()[0])
    answers: list[int] = []
    helper = threading.Thread(target=lambda: answers.append(collect_if_due()))
    helper.start()
    helper.join()
    with collector_paused():
        assert collect_if_due() == -1 and not collections_running()
    assert answers == [-1]
    assert collections_running() and not gc.isenabled()  # the pause did not turn it on
    later = _cyclic_garbage(2 * gc.get_threshold()[0])
    assert collect_if_due() >= 0 and later() is None


def test_automatic_collections_come_back_when_asked() -> None:
    with collector_paused():
        collect_on_main_thread_only(False)
        assert not gc.isenabled()  # the pause still holds
    assert gc.isenabled() and collect_if_due() == -1
    collect_on_main_thread_only(True)
    assert not gc.isenabled()


def test_the_oldest_generation_waits_for_a_quarter_more_objects(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    young, middle, old = gc.get_threshold()
    monkeypatch.setattr(collector, "_long_lived_total", 10**12)
    ran: list[int] = []
    for _ in range(3 * middle * old):
        _cyclic_garbage(young + 1)
        ran.append(collect_if_due())
    assert set(ran) == {1}  # the young ones, every time
    monkeypatch.setattr(collector, "_long_lived_total", 0)
    monkeypatch.setattr(collector, "_since_full", 0)
    ran = []
    for _ in range(3 * middle * old):
        _cyclic_garbage(young + 1)
        ran.append(collect_if_due())
        if ran[-1] == 2:
            break
    assert ran[-1] == 2 and len(ran) == middle * old + 1  # after that many young ones
