"""Keeping what the window holds out of later collections: only from the main thread,
never while a collection is under way."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from workbench.io.collector import keep_out_of_collections, return_to_collections


@pytest.fixture(autouse=True)
def thawed() -> Iterator[None]:
    return_to_collections()
    yield
    return_to_collections()


def test_what_is_alive_now_leaves_every_generation() -> None:
    held = [[i] for i in range(100)]
    assert keep_out_of_collections()
    assert gc.get_freeze_count() > 0
    assert not any(o is held for o in gc.get_objects())
    later = [[i] for i in range(10)]
    assert any(o is later for o in gc.get_objects())  # what comes after is collected as ever
    return_to_collections()
    assert gc.get_freeze_count() == 0 and any(o is held for o in gc.get_objects(generation=2))


def test_not_from_a_helper_thread() -> None:
    answers: list[bool] = []
    helper = threading.Thread(target=lambda: answers.append(keep_out_of_collections()))
    helper.start()
    helper.join()
    assert answers == [False] and gc.get_freeze_count() == 0


def test_not_while_a_collection_runs() -> None:
    answers: list[bool] = []

    def during(phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            answers.append(keep_out_of_collections())

    gc.callbacks.append(during)
    try:
        gc.collect()
    finally:
        gc.callbacks.remove(during)
    assert answers == [False] and gc.get_freeze_count() == 0
