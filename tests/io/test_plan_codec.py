"""The reflection codec: types, defaults, special mappings, and error paths."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from workbench.domain.dependencies import Dependencies, Edge
from workbench.domain.inventory import Inventory, Workload
from workbench.domain.plan import Baseline, Plan
from workbench.domain.schedule import Schedule, Wave
from workbench.io.plan_codec import PlanDataError, describe, from_data, to_data


@dataclass(slots=True)
class Sample:
    name: str
    count: int = 0
    ratio: float = 1.0
    flag: bool = False
    when: date | None = None
    tags: list[str] = field(default_factory=list)
    pair: tuple[int, str] | None = None
    scores: dict[str, float] = field(default_factory=dict)
    mixed: dict[str, float | int | str] = field(default_factory=dict)
    _cache: dict[str, int] = field(default_factory=dict, compare=False)


def decode_error(data: object, cls: type = Sample) -> str:
    with pytest.raises(PlanDataError) as info:
        from_data(cls, data)
    return str(info.value)


def test_scalars_round_trip_and_private_fields_are_skipped() -> None:
    s = Sample(
        "a",
        3,
        0.5,
        True,
        date(2027, 2, 28),
        ["x", "y"],
        (4, "four"),
        {"k": 1.5},
        {"i": 2, "f": 2.5, "s": "t"},
        {"hidden": 1},
    )
    data = to_data(s)
    assert "_cache" not in data
    assert data["when"] == "2027-02-28"
    assert data["pair"] == [4, "four"]
    back = from_data(Sample, data)
    assert back == s
    assert back._cache == {}
    assert type(back.mixed["i"]) is int and type(back.mixed["f"]) is float


def test_missing_fields_take_their_defaults() -> None:
    assert from_data(Sample, {"name": "only"}) == Sample("only")


def test_missing_required_field_is_named() -> None:
    assert decode_error({"count": 1}) == 'plan: missing field "name" of Sample'


def test_unknown_field_is_named() -> None:
    assert decode_error({"name": "a", "colour": "red"}) == 'plan: unknown field "colour" in Sample'


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": 3}, "plan.name: expected text, got 3"),
        ({"name": "a", "count": "three"}, 'plan.count: expected an integer, got "three"'),
        ({"name": "a", "count": True}, "plan.count: expected an integer, got true"),
        ({"name": "a", "count": 1.0}, "plan.count: expected an integer, got 1.0"),
        ({"name": "a", "ratio": "1"}, 'plan.ratio: expected a number, got "1"'),
        ({"name": "a", "ratio": False}, "plan.ratio: expected a number, got false"),
        ({"name": "a", "flag": 1}, "plan.flag: expected true or false, got 1"),
        (
            {"name": "a", "when": "2027-02-30"},
            'plan.when: expected a date (YYYY-MM-DD), got "2027-02-30"',
        ),
        (
            {"name": "a", "when": "20270201"},
            'plan.when: expected a date (YYYY-MM-DD), got "20270201"',
        ),
        (
            {"name": "a", "when": "2027-W05-1"},
            'plan.when: expected a date (YYYY-MM-DD), got "2027-W05-1"',
        ),
        ({"name": "a", "tags": ["x", 1]}, "plan.tags[1]: expected text, got 1"),
        ({"name": "a", "tags": "x"}, 'plan.tags: expected a list, got "x"'),
        ({"name": "a", "pair": [1]}, "plan.pair: expected a list of 2 items, got a list"),
        ({"name": "a", "pair": [1, 2]}, "plan.pair[1]: expected text, got 2"),
        ({"name": "a", "scores": {"k": "v"}}, 'plan.scores["k"]: expected a number, got "v"'),
        ({"name": "a", "scores": []}, "plan.scores: expected an object, got a list"),
        (
            {"name": "a", "mixed": {"k": None}},
            'plan.mixed["k"]: expected a number or an integer or text, got null',
        ),
        ("name", 'plan: expected an object, got "name"'),
    ],
)
def test_wrong_types_name_the_path(data: object, message: str) -> None:
    assert decode_error(data) == message


def test_int_is_accepted_where_a_number_is_expected() -> None:
    back = from_data(Sample, {"name": "a", "ratio": 2, "scores": {"k": 3}})
    assert type(back.ratio) is float and back.ratio == 2.0
    assert type(back.scores["k"]) is float


def test_long_text_and_deep_nesting_are_described_briefly() -> None:
    assert describe("x" * 100) == '"' + "x" * 40 + '..."'
    deep: object = []
    for _ in range(100):
        deep = [deep]
    assert describe(deep) == "a list nested more than 64 levels deep"
    assert (
        decode_error({"name": deep})
        == "plan.name: expected text, got a list nested more than 64 levels deep"
    )


def test_encoding_refuses_values_a_file_could_not_hold() -> None:
    with pytest.raises(PlanDataError, match=r"plan\.ratio: expected a finite number, got nan"):
        to_data(Sample("a", ratio=float("nan")))
    with pytest.raises(PlanDataError, match=r"plan\.count: expected an integer, got true"):
        to_data(Sample("a", count=True))
    with pytest.raises(PlanDataError, match=r"plan\.tags\[1\]: expected text, got 2"):
        to_data(Sample("a", tags=["x", 2]))  # type: ignore[list-item]


def workload(name: str) -> Workload:
    return Workload("c1", "ns", "Deployment", name)


def test_workloads_are_keyed_by_their_key_and_checked() -> None:
    inv = Inventory()
    inv.add_workload(workload("a"))
    data = to_data(inv)
    assert list(data["workloads"]) == ["c1/ns/Deployment/a"]
    assert from_data(Inventory, data) == inv
    data["workloads"] = {"c1/ns/Deployment/b": data["workloads"]["c1/ns/Deployment/a"]}
    message = decode_error(data, Inventory)
    assert message == (
        'plan.workloads["c1/ns/Deployment/b"]: '
        "the entry's key does not match its content ('c1/ns/Deployment/a')"
    )


def test_edges_are_stored_as_a_list_and_rebuilt_by_key() -> None:
    deps = Dependencies()
    deps.add(Edge("a", "b", confidence=0.5))
    deps.add(Edge("b", "a"))
    data = to_data(deps)
    assert [e["caller"] for e in data["edges"]] == ["a", "b"]
    back = from_data(Dependencies, data)
    assert back == deps and set(back.edges) == {("a", "b"), ("b", "a")}
    data["edges"].append(dict(data["edges"][0]))
    assert decode_error(data, Dependencies) == "plan.edges[2]: duplicate entry ('a', 'b')"


def test_baseline_dates_are_pairs() -> None:
    b = Baseline("v1", "2026-01-01T00:00:00", {"wave-01": (date(2026, 1, 1), date(2026, 2, 1))})
    data = to_data(b)
    assert data["waves"] == {"wave-01": ["2026-01-01", "2026-02-01"]}
    assert from_data(Baseline, data) == b


def test_constructor_checks_become_path_errors() -> None:
    sched = Schedule(
        waves=[
            Wave("w1", "One", "p", date(2026, 1, 1), date(2026, 1, 2), members=["k"]),
            Wave("w2", "Two", "p", date(2026, 1, 1), date(2026, 1, 2), members=["k"]),
        ][:1]
    )
    data = to_data(sched)
    data["waves"].append(dict(data["waves"][0], id="w2"))
    message = decode_error({"schedule": data}, Plan)
    assert message == "plan.schedule: workload k is in both wave w1 and wave w2"


def test_plan_decoding_rebuilds_the_schedule_index() -> None:
    plan = Plan()
    plan.inventory.add_workload(workload("a"))
    plan.schedule.waves.append(
        Wave("w1", "One", "p", date(2026, 1, 1), date(2026, 1, 2), members=["c1/ns/Deployment/a"])
    )
    plan.schedule.reindex()
    back = from_data(Plan, to_data(plan))
    assert back.schedule.wave_of("c1/ns/Deployment/a") == "w1"


def test_unsupported_types_are_refused_when_the_codec_is_built() -> None:
    @dataclass
    class Odd:
        value: set[str]

    with pytest.raises(TypeError, match="does not support"):
        to_data(Odd({"x"}))


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (lambda d, v: d.update(tags=["ok", v]), "plan.tags[1]"),
        (lambda d, v: d.update(scores={"k": v}), 'plan.scores["k"]'),
        (lambda d, v: d.update(mixed={"k": v}), 'plan.mixed["k"]'),
        (lambda d, v: d.update(pair=[v, "x"]), "plan.pair[0]"),
    ],
)
def test_nesting_deeper_than_the_model_is_refused_anywhere(where: Any, expected: str) -> None:
    """The model nests a few levels; deeper JSON fails where a value was expected."""
    deep: object = 1
    for i in range(300):
        deep = [deep] if i % 2 else {"k": deep}
    data: dict[str, Any] = {"name": "a"}
    where(data, deep)
    message = decode_error(data)
    assert message.startswith(expected + ": expected ")
    assert message.endswith("nested more than 64 levels deep")
