"""load(save(plan)) == plan, for random plans and for generated estates up to 10,000 workloads."""

from __future__ import annotations

import importlib.util
import zlib
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings

from tests.strategies import build_plan, plans, unpack
from workbench import __version__
from workbench.domain.plan import Plan
from workbench.io.plan_file import (
    FORMAT,
    FORMAT_VERSION,
    load_plan,
    plan_from_bytes,
    plan_to_bytes,
    save_plan,
)

HAVE_GENERATOR = importlib.util.find_spec("workbench.ops.generate") is not None


def generated(workloads: int) -> Plan:
    """The product's synthetic estate when its generator is present, else the tests' own."""
    if HAVE_GENERATOR:
        from workbench.ops.generate import generate_plan

        return generate_plan(workloads, clusters=2, seed=3)
    return build_plan(workloads, clusters=2, seed=3)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(plans())
def test_random_plans_round_trip(plan: Plan) -> None:
    data = plan_to_bytes(plan)
    back = plan_from_bytes(data)
    assert back == plan
    assert back.schedule.assigned() == plan.schedule.assigned()
    assert plan_to_bytes(back) == data  # one plan, one byte sequence


@pytest.mark.parametrize("workloads", [10, 1_000, 10_000])
def test_generated_plans_round_trip_through_a_file(workloads: int, tmp_path: Path) -> None:
    plan = generated(workloads)
    path = tmp_path / "estate.meshplan"
    save_plan(plan, path)
    back = load_plan(path)
    assert len(back.inventory.workloads) == workloads
    assert back == plan


def test_the_content_is_gzip_of_sorted_json_with_a_header() -> None:
    data = plan_to_bytes(build_plan(10))
    assert data[:2] == b"\x1f\x8b"
    assert data[4:8] == b"\0\0\0\0"  # no timestamp: the same plan gives the same bytes
    text = zlib.decompress(data, 16 + zlib.MAX_WBITS)
    assert text == orjson.dumps(orjson.loads(text), option=orjson.OPT_SORT_KEYS)
    doc = unpack(data)
    assert (doc["format"], doc["format_version"], doc["app_version"]) == (
        FORMAT,
        FORMAT_VERSION,
        __version__,
    )
    assert set(doc) == {"format", "format_version", "app_version", "plan", "checksum"}
    assert "_index" not in doc["plan"]["schedule"]


def test_same_plan_same_bytes_across_instances() -> None:
    assert plan_to_bytes(build_plan(50, seed=9)) == plan_to_bytes(build_plan(50, seed=9))
    assert plan_to_bytes(build_plan(50, seed=9)) != plan_to_bytes(build_plan(50, seed=10))


def test_an_empty_plan_round_trips() -> None:
    assert plan_from_bytes(plan_to_bytes(Plan())) == Plan()
