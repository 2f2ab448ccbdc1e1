"""The garbage-collector pause that imports run under: counted, restoring, and tenuring."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from workbench.io.collector import collect_on_main_thread_only, return_to_collections
from workbench.ops.import_files import collector_paused


@pytest.fixture(autouse=True)
def collector_enabled() -> Iterator[None]:
    """Automatic collections (the setting before is restored afterwards)."""
    was, main_thread_only = gc.isenabled(), collect_on_main_thread_only(False)
    gc.enable()
    return_to_collections()  # what a window kept out earlier in this process
    yield
    collect_on_main_thread_only(main_thread_only)
    if was:
        gc.enable()
    else:
        gc.disable()


def test_nested_pauses_resume_the_collector_only_at_the_end() -> None:
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_the_collector_resumes_after_an_error() -> None:
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("import failed")
    assert gc.isenabled()


def test_concurrent_imports_share_one_pause() -> None:
    inside, release = threading.Barrier(2), threading.Event()
    states: list[bool] = []

    def other_import() -> None:
        with collector_paused():
            inside.wait(timeout=5)
            release.wait(timeout=5)

    thread = threading.Thread(target=other_import)
    thread.start()
    with collector_paused():
        inside.wait(timeout=5)
    states.append(gc.isenabled())  # the other import still runs
    release.set()
    thread.join(timeout=5)
    states.append(gc.isenabled())
    assert states == [False, True]


def test_a_dropped_import_is_freed_without_the_collector() -> None:
    """Nothing the converter builds sits in a reference cycle, so an import's working
    state and a discarded inventory go as soon as they are dropped."""
    from tests.io.k8s_api_server import estate
    from workbench.domain.discovery import discover_dependencies
    from workbench.io.k8s_objects import InventoryBuilder

    objects = estate(3, 20)
    gc.collect()
    with collector_paused():
        builder = InventoryBuilder("c")
        builder.add_many(objects)
        result = builder.result()
        deps = discover_dependencies(result.inventory)
        assert len(result.inventory.workloads) == 60 and deps.edges
        del builder, result, deps
        assert gc.collect() == 0  # no cyclic garbage left behind
