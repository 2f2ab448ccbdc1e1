"""The business case comes from the estate and the schedule, and says what it rests on."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import numpy_financial as npf
import pytest

from tests.ops.case_plans import scheduled_estate
from workbench.cli import main
from workbench.cli.waves import shift_waves
from workbench.domain.commands_waves import RescheduleWaves
from workbench.domain.economics.estate_case import ESTATE_LINES
from workbench.domain.economics.metrics import irr_caveat, mirr, monthly_rate
from workbench.domain.economics.model import BasisCache
from workbench.domain.plan import Mute, Plan
from workbench.io.plan_file import load_plan, save_plan
from workbench.ops.economics import compute, report_as_dict
from workbench.ops.sample_plan import build_sample_plan


def _metrics(plan: Plan, scenario: str | None = None) -> object:
    return compute(plan, scenario, cache=BasisCache()).metrics


def test_two_estates_of_different_size_get_different_cases() -> None:
    small, large = scheduled_estate(120, 4), scheduled_estate(600, 4)
    a, b = compute(small, cache=BasisCache()), compute(large, cache=BasisCache())
    assert a.assumptions.case == b.assumptions.case == "estate"
    assert b.metrics.total_cost > a.metrics.total_cost * 1.5
    assert b.metrics.total_benefit > a.metrics.total_benefit * 3
    names = a.evaluation.inputs.cost_names
    assert set(ESTATE_LINES) <= set(names)
    for name in ("Platform team (schedule)", "Migration effort (per wave)"):
        i, j = names.index(name), b.evaluation.inputs.cost_names.index(name)
        assert b.evaluation.cash_flow.costs[j].sum() > a.evaluation.cash_flow.costs[i].sum()


def test_a_new_plan_does_not_carry_the_playbook_figures() -> None:
    m = compute(scheduled_estate(79, 2), cache=BasisCache()).metrics
    assert round(m.total_cost) != 7_050_000
    assert round(m.total_benefit) != 16_500_000


@pytest.mark.parametrize("days", [-20, 31, 75])
def test_moving_one_wave_moves_cost_benefit_npv_and_payback(days: int) -> None:
    plan = scheduled_estate(300, 3)
    before = compute(plan, cache=BasisCache())
    wave = plan.schedule.waves[1]
    step = np.timedelta64(days, "D").astype(object)
    RescheduleWaves({wave.id: (wave.start + step, wave.end + step)}).do(plan)
    after = compute(plan, cache=BasisCache())
    assert before.metrics.payback_months is not None
    assert after.metrics.payback_months != before.metrics.payback_months
    assert after.metrics.npv != before.metrics.npv
    costs = after.evaluation.cash_flow.cost_total
    assert not np.allclose(costs, before.evaluation.cash_flow.cost_total)  # cost timing
    benefits = after.evaluation.cash_flow.benefit_total
    assert not np.allclose(benefits, before.evaluation.cash_flow.benefit_total)
    later = days > 0
    assert (after.metrics.payback_months > before.metrics.payback_months) == later


def test_moving_waves_moves_payback_in_every_scenario_of_a_new_plan() -> None:
    plan = scheduled_estate(300, 5)
    names = [None, *(s.name for s in plan.scenarios)]
    before = {n: compute(plan, n, cache=BasisCache()).metrics.payback_months for n in names}
    shift_waves(plan, 45)
    after = {n: compute(plan, n, cache=BasisCache()).metrics.payback_months for n in names}
    for n in names:
        assert before[n] is not None and after[n] is not None and after[n] > before[n], n


def test_the_playbook_scenarios_still_reproduce_the_seed() -> None:
    plan = build_sample_plan()
    m = compute(plan, "playbook", cache=BasisCache()).metrics
    assert m.total_cost == pytest.approx(7_050_000, abs=0.01)
    assert m.total_benefit == pytest.approx(16_500_000, abs=0.01)
    assert m.roi == pytest.approx(1.3404, abs=5e-5)
    r = compute(plan, "ramp-with-migration", cache=BasisCache()).metrics
    assert r.payback_months == pytest.approx(15.8, abs=0.1)
    assert "inconsistent" in plan.meta.notes
    for s in plan.scenarios:
        assert "playbook's figures" in s.description
    base = compute(plan, None, cache=BasisCache())
    assert base.assumptions.case == "estate"
    assert round(base.metrics.total_cost) != 7_050_000


def test_mirr_and_irr_agree_with_numpy_financial() -> None:
    plan = scheduled_estate(300, 3)
    report = compute(plan, cache=BasisCache())
    net = report.evaluation.cash_flow.net
    i = monthly_rate(report.assumptions.discount_rate)
    want_mirr = (1 + npf.mirr([0.0, *net], i, i)) ** 12 - 1
    assert report.metrics.mirr == pytest.approx(want_mirr, rel=1e-9)
    want_irr = (1 + npf.irr([0.0, *net])) ** 12 - 1
    assert report.metrics.irr == pytest.approx(want_irr, rel=1e-6)
    assert mirr(np.array([1.0, 2.0]), 0.1) is None
    doc = report_as_dict(report)
    assert doc["mirr"] == pytest.approx(want_mirr, abs=1e-6)
    assert doc["metrics"]["mirr"] == pytest.approx(want_mirr, abs=1e-6)  # type: ignore[index]


def test_an_irr_above_100_percent_carries_a_plain_label() -> None:
    m = _metrics(build_sample_plan(), "playbook")
    assert m.irr is not None and m.irr > 1.0  # type: ignore[attr-defined]
    assert "above 100%" in irr_caveat(m.irr)  # type: ignore[attr-defined]
    assert m.mirr is not None and m.mirr < m.irr  # type: ignore[attr-defined]
    assert irr_caveat(0.25) == ""
    assert "never changes sign" in irr_caveat(None)


def test_monte_carlo_is_centred_and_explains_the_headline() -> None:
    plan = scheduled_estate(300, 3)
    report = compute(plan, with_monte_carlo=True, cache=BasisCache())
    mc = report.monte_carlo
    assert mc is not None
    assert mc.cost_multiplier == pytest.approx(1.0) and mc.benefit_multiplier == pytest.approx(1.0)
    spread = mc.npv_p90 - mc.npv_p10
    assert abs(mc.npv_mean - report.metrics.npv) < 0.05 * spread
    assert mc.npv_p10 < report.metrics.npv < mc.npv_p90
    assert mc.probability_npv_negative == pytest.approx(float((mc.npv_draws < 0).mean()))
    doc = report_as_dict(report)["monte_carlo"]
    assert "centred" in doc["note"]  # type: ignore[index]
    skewed = copy.deepcopy(plan)
    skewed.assumptions.monte_carlo.cost_high = 1.6
    mc2 = compute(skewed, with_monte_carlo=True, cache=BasisCache()).monte_carlo
    assert mc2 is not None and mc2.cost_multiplier > 1.1
    assert mc2.npv_mean < report.metrics.npv


def test_the_tornado_uses_each_lines_own_range() -> None:
    plan = scheduled_estate(300, 3)
    tools = plan.assumptions.cost_lines[0]
    tools.annual, tools.range_low, tools.range_high = 60_000.0, 0.5, 3.0
    bars = {b.label: b for b in compute(plan, cache=BasisCache()).tornado}
    bar = bars[f"{tools.name} (annual)"]
    assert (bar.factor_low, bar.factor_high) == (0.5, 3.0)
    # from x0.5 to x3.0 of 60,000 a year over three years: 450,000 undiscounted
    assert 350_000 < bar.npv_low - bar.npv_high < 450_000
    other = bars["Platform team (schedule) (computed)"]
    mc = plan.assumptions.monte_carlo
    assert (other.factor_low, other.factor_high) == (mc.cost_low, mc.cost_high)


def test_lines_say_what_they_rest_on() -> None:
    doc = report_as_dict(compute(scheduled_estate(120, 4), cache=BasisCache()))
    lines = doc["lines"]
    assert isinstance(lines, list) and all(line["basis"] for line in lines)
    assert doc["defaults_untouched"] == ["estate case rates", "benefit lines", "cost lines"]


def test_summary_overhead_explains_its_monthly_cost(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = scheduled_estate(120, 4)
    for wave in plan.schedule.waves[1:]:
        wave.mode = "ambient"
    path = tmp_path / "p.meshplan"
    save_plan(plan, path)
    assert main(["summary", str(path), "--json"]) == 0
    o = json.loads(capsys.readouterr().out)["overhead"]
    for key in ("ztunnel_cpu_cores", "waypoint_cpu_cores", "ambient_cpu_cores"):
        assert o[key] > 0, key
    cores = o["sidecar_cpu_cores"] + o["ambient_cpu_cores"] + o["control_plane_cpu_cores"]
    gib = o["sidecar_memory_gib"] + o["ambient_memory_gib"] + o["control_plane_memory_gib"]
    assert o["ambient_cpu_cores"] == pytest.approx(
        o["ztunnel_cpu_cores"] + o["waypoint_cpu_cores"], abs=0.002
    )
    a = plan.assumptions.prices
    assert o["monthly_cost"] == pytest.approx(
        (cores * a.vcpu_hour + gib * a.gb_hour) * a.hours_per_month, rel=1e-3
    )


def test_waves_shift_cli_moves_all_or_one_wave(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = scheduled_estate(120, 4)
    src, out = tmp_path / "a.meshplan", tmp_path / "b.meshplan"
    save_plan(plan, src)
    assert main(["waves", "shift", str(src), "--days", "10", "-o", str(out)]) == 0
    moved = load_plan(out)
    for w0, w1 in zip(plan.schedule.waves, moved.schedule.waves, strict=True):
        assert (w1.start - w0.start).days == (w1.end - w0.end).days == 10
    assert main(["waves", "shift", str(out), "--days", "-3", "--wave", "wave 2"]) == 0
    again = load_plan(out)
    assert [
        (w.end - w0.end).days
        for w, w0 in zip(again.schedule.waves, plan.schedule.waves, strict=True)
    ] == [10, 7, 10]
    capsys.readouterr()
    assert main(["waves", "shift", str(out), "--days", "1", "--wave", "nope"]) == 2
    assert "no wave named 'nope'" in capsys.readouterr().err
    assert main(["waves", "shift", str(out)]) == 2
    assert "--days" in capsys.readouterr().err
    assert main(["waves", str(out), "--days", "2"]) == 2
    assert load_plan(out).schedule.waves[1].end == again.schedule.waves[1].end  # nothing lost


def test_muting_a_blocker_rule_lowers_the_remediation_through_the_cache() -> None:
    plan = scheduled_estate(300, 3)
    cache = BasisCache()
    before = compute(plan, cache=cache)
    basis = before.basis
    rules = sorted(basis.readiness().blocker_rules)
    assert rules, "the generated estate has readiness blockers"
    names = before.evaluation.inputs.cost_names
    remediation = before.evaluation.cash_flow.costs[names.index("Remediation (open blockers)")]
    plan.mutes.append(Mute(rules[0], "*", "accepted for the test"))
    after = compute(plan, cache=cache)
    lowered = after.evaluation.cash_flow.costs[names.index("Remediation (open blockers)")]
    assert lowered.sum() < remediation.sum()
    assert after.metrics.total_cost < before.metrics.total_cost
