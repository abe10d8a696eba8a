"""Solving scenarios end to end through the background task, and what is stored."""

from __future__ import annotations

import pytest

from jangkau.core.models import TaskProgress
from jangkau.planning.choices import ScenarioStateChoices
from jangkau.planning.models import PlanItem, PlanResult
from jangkau.planning.tasks import ScenarioBusy, enqueue_run

from .conftest import SANDARAN

pytestmark = pytest.mark.django_db


def _plan_signature(result: PlanResult) -> list[tuple]:
    return list(
        result.items.order_by("village__code").values_list(
            "village__code",
            "reason",
            "year",
            "kind",
            "option_id",
            "backhaul_kind",
            "people_served",
        )
    )


def test_a_small_scenario_is_solved_through_the_task_and_stored(solved):
    scenario = solved
    assert scenario.state == ScenarioStateChoices.DONE
    progress = TaskProgress.objects.get(pk=scenario.progress_id)
    assert progress.state == TaskProgress.State.DONE and progress.done == progress.total == 3
    result = scenario.latest_result()
    assert result.status == "optimal" and result.gap == 0.0
    assert result.stage_status == {
        "people": "optimal",
        "people_years": "optimal",
        "cost": "optimal",
    }
    assert result.cost_table == scenario.cost_table
    assert result.quality == "estimated"
    assert PlanItem.objects.filter(result=result).count() == 141
    served = list(result.items.filter(reason="served"))
    assert served and sum(i.people_served for i in served) == result.people_served
    for item in served:
        assert item.year in (2026, 2027) and item.kind and item.option_id
        assert item.explanation["core"]["reason"] == "served"
        assert item.population_quality == "estimated"
        assert item.cost_quality in ("estimated", "official", "illustrative")
    # Every built item serves someone here, so the village shares add up to the items' capex.
    built_capex = sum(i["capex"] for i in result.built_items)
    assert sum(i.capex for i in served) == pytest.approx(built_capex, rel=1e-9)
    spent = sum(y["spend"] for y in result.per_year.values())
    assert spent == pytest.approx(result.total_spend)
    assert result.total_spend <= result.total_budget  # carry-forward: the plan total binds
    towers = [i for i in served if i.kind == "new_4g_site"]
    assert all(i.backhaul_kind == "satellite" for i in towers)  # no fiber/microwave data
    # The cost curve: the 50 % point is a separate, stored solve with fewer people served.
    (point,) = result.curve_points.all()
    assert point.budget_scale == 0.5 and point.kind == "curve"
    assert point.total_budget == pytest.approx(result.total_budget / 2)
    assert 0 < point.people_served < result.people_served
    assert not point.items.exists()


def test_the_same_scenario_twice_gives_the_same_plan(make_scenario):
    scenario = make_scenario(carry_forward=False)
    enqueue_run(scenario)
    first = scenario.latest_result()
    enqueue_run(scenario)
    second = scenario.latest_result()
    assert first.pk != second.pk
    assert _plan_signature(first) == _plan_signature(second)
    assert (first.people_served, first.total_spend) == (second.people_served, second.total_spend)
    assert first.per_year == second.per_year


def test_forced_items_beyond_the_budget_give_the_core_message(make_scenario):
    forced = {f"site:{code}": 2026 for code in ("64.08.11.2001", "64.08.11.2007", "64.08.02.2006")}
    scenario = make_scenario(forced=forced, carry_forward=False)
    enqueue_run(scenario)
    result = scenario.latest_result()
    assert result.status == "infeasible"
    codes = {d["code"] for d in result.diagnostics}
    assert "forced_over_budget" in codes
    message = next(d["message"] for d in result.diagnostics if d["code"] == "forced_over_budget")
    assert "2026" in message
    assert set(result.items.values_list("reason", flat=True)) == {"no_plan"}
    assert not result.curve_points.filter(status="optimal").exists()


def test_forcing_a_missing_item_gives_an_invalid_result(make_scenario):
    scenario = make_scenario(forced={"site:64.08.99.9999": None})
    enqueue_run(scenario)
    result = scenario.latest_result()
    assert result.status == "invalid"
    assert "site:64.08.99.9999" in result.diagnostics[0]["message"]
    assert scenario.state == ScenarioStateChoices.DONE


def test_a_forced_tower_is_built_in_its_year(make_scenario):
    scenario = make_scenario(forced={f"site:{SANDARAN}": 2027})
    enqueue_run(scenario)
    result = scenario.latest_result()
    item = result.items.get(village__code=SANDARAN)
    assert (item.reason, item.year, item.kind) == ("served", 2027, "new_4g_site")
    assert item.explanation["core"]["forced"] is True


def test_a_second_run_is_refused_while_one_is_queued(make_scenario):
    scenario = make_scenario()
    scenario.state = ScenarioStateChoices.QUEUED
    scenario.save()
    with pytest.raises(ScenarioBusy):
        enqueue_run(scenario)
    assert not scenario.results.exists()


def test_an_equity_floor_serves_every_kecamatan(make_scenario):
    scenario = make_scenario(equity_floor_share=0.05, equity_floor_year=2027)
    enqueue_run(scenario)
    result = scenario.latest_result()
    assert result.status == "optimal"
    from jangkau.planning.services import kecamatan_rows

    for row in kecamatan_rows(result):
        assert row["served"] >= 0.05 * row["unserved"] - 1e-6, row["name"]
