"""The garbage-collector pause that imports run under: counted, restoring, and tenuring."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from workbench.ops.import_files import collector_paused


@pytest.fixture(autouse=True)
def collector_enabled() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def _young(obj: object) -> bool:
    return any(o is obj for o in gc.get_objects(generation=0))


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


def test_what_the_import_built_goes_straight_to_the_oldest_generation() -> None:
    with collector_paused():
        built = [[i] for i in range(1000)]
        assert _young(built)
    assert not _young(built)
    assert any(o is built for o in gc.get_objects(generation=2))


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


def test_a_pause_on_a_helper_thread_never_freezes_the_heap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    froze: list[str] = []
    monkeypatch.setattr(gc, "freeze", lambda: froze.append(threading.current_thread().name))

    def work() -> None:
        with collector_paused():
            [[i] for i in range(100)]

    helper = threading.Thread(target=work, name="helper")
    helper.start()
    helper.join()
    assert froze == [] and gc.isenabled()
