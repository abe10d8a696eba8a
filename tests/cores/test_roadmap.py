"""Tests of the roadmap planner: brute force, one test per constraint, diagnoses, validation."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest

from jangkau.cores.planning.costs import COLUMNS, CostTableError, load_cost_table
from jangkau.cores.planning.roadmap import plan_roadmap
from jangkau.cores.planning.roadmap_instance import (
    AccessOption,
    BackhaulOption,
    EquityFloor,
    PriorityWeights,
    RoadmapInstance,
    Village,
)

# ------------------------------------------------------------------------------------------
# Brute force: every build year / backhaul per option, every village assignment
# ------------------------------------------------------------------------------------------


def village_value(instance: RoadmapInstance, village: Village, people: int) -> float:
    w = instance.weights
    bonus = sum(w.facility_bonus[kind] * n for kind, n in village.facilities.items())
    return w.remoteness[village.remoteness_class] * w.status[village.status] * (people + bonus)


def brute_force(instance: RoadmapInstance):
    """Best (people, people-years, -spend) over all plans, or None if none is feasible."""
    years = sorted(instance.budgets)
    n_years = len(years)
    budgets = [instance.budgets[y] for y in years]
    offset = instance.opex_start_offset
    villages = {v.id: v for v in instance.villages}
    items = {o.id: o for o in [*instance.access_options, *instance.backhaul_options]}

    def choices(option):
        out = [None]
        for t in range(n_years):
            if option.kind == "new_4g_site":
                out += [
                    (t, m) for m in instance.backhaul_options if m.access_option_id == option.id
                ]
            else:
                out.append((t, None))
        return out

    best = None
    for combo in itertools.product(*[choices(a) for a in instance.access_options]):
        built: dict[str, int] = {}
        for option, choice in zip(instance.access_options, combo, strict=True):
            if choice is not None:
                built[option.id] = choice[0]
                if choice[1] is not None:
                    built[choice[1].id] = choice[0]
        if any(items[i].kind == "microwave" and not items[i].los_feasible for i in built):
            continue
        if any(i in instance.forbidden for i in built):
            continue
        if not all(
            i in built and (y is None or built[i] == years.index(y))
            for i, y in instance.forced.items()
        ):
            continue
        spend = [0.0] * n_years
        for item_id, s in built.items():
            spend[s] += items[item_id].capex
            for t in range(s + offset, n_years):
                spend[t] += items[item_id].opex_per_year
        if instance.carry_forward:
            ok = all(sum(spend[: t + 1]) <= sum(budgets[: t + 1]) + 1e-9 for t in range(n_years))
        else:
            ok = all(spend[t] <= budgets[t] + 1e-9 for t in range(n_years))
        if not ok:
            continue
        per_village = []
        for village in instance.villages:
            options = [None] + [
                (a, built[a.id])
                for a in instance.access_options
                if a.id in built and a.serves.get(village.id, 0) > 0
            ]
            per_village.append(options)
        for assignment in itertools.product(*per_village):
            served = {}
            for village, pick in zip(instance.villages, assignment, strict=True):
                if pick is not None:
                    served[village.id] = (pick[0].serves[village.id], pick[1])
            floors_ok = True
            for floor in instance.equity_floors:
                everywhere = sorted({v.kecamatan_id for v in villages.values()})
                for k in floor.kecamatan_ids or everywhere:
                    unserved = sum(
                        v.people_unserved for v in villages.values() if v.kecamatan_id == k
                    )
                    got = sum(
                        people
                        for vid, (people, t) in served.items()
                        if villages[vid].kecamatan_id == k and years[t] <= floor.by_year
                    )
                    if unserved > 0 and got < floor.share * unserved - 1e-9:
                        floors_ok = False
            if not floors_ok:
                continue
            people = sum(village_value(instance, villages[v], p) for v, (p, _) in served.items())
            people_years = sum(
                village_value(instance, villages[v], p) * (n_years - t)
                for v, (p, t) in served.items()
            )
            key = (round(people, 6), round(people_years, 6), -round(sum(spend), 6))
            if best is None or key > best:
                best = key
    return best


def random_instance(seed: int) -> RoadmapInstance:
    rng = np.random.default_rng(seed)
    n_villages = int(rng.integers(2, 5))
    villages = [
        Village(
            id=f"v{i}",
            kecamatan_id=f"k{i % 2}",
            people_unserved=int(rng.integers(0, 300)),
            status=str(rng.choice(["no_signal", "2g_3g_only", "4g_weak"])),
            remoteness_class=int(rng.integers(1, 5)),
            facilities={"school": int(rng.integers(0, 2))},
        )
        for i in range(n_villages)
    ]
    access, backhaul = [], []
    for j in range(int(rng.integers(2, 5))):
        kind = str(rng.choice(["new_4g_site", "upgrade_site", "repeater", "satellite_terminal"]))
        reach = rng.choice(n_villages, int(rng.integers(1, min(3, n_villages) + 1)), replace=False)
        serves = {f"v{i}": int(rng.integers(0, villages[i].people_unserved + 1)) for i in reach}
        access.append(
            AccessOption(
                f"a{j}",
                kind,
                serves,
                capex=float(rng.integers(10, 120)),
                opex_per_year=float(rng.integers(0, 20)),
            )
        )
        if kind == "new_4g_site":
            for b in range(int(rng.integers(1, 3))):
                bkind = str(rng.choice(["fiber", "microwave", "satellite"]))
                backhaul.append(
                    BackhaulOption(
                        f"a{j}-b{b}",
                        f"a{j}",
                        bkind,
                        capex=float(rng.integers(0, 60)),
                        opex_per_year=float(rng.integers(0, 10)),
                        length_km=float(rng.integers(1, 30)) if bkind == "fiber" else None,
                        los_feasible=bool(rng.random() > 0.3) if bkind == "microwave" else True,
                    )
                )
    floors = ()
    if rng.random() < 0.4:
        floors = (EquityFloor(share=float(rng.choice([0.2, 0.5])), by_year=2027),)
    ids = [o.id for o in access + backhaul]
    forced, forbidden = {}, ()
    if rng.random() < 0.3:
        forced = {str(rng.choice(ids)): (None if rng.random() < 0.5 else 2026)}
    if rng.random() < 0.3:
        forbidden = (str(rng.choice(ids)),)
    return RoadmapInstance(
        villages=villages,
        access_options=access,
        backhaul_options=backhaul,
        budgets={2026: float(rng.integers(20, 200)), 2027: float(rng.integers(20, 200))},
        carry_forward=bool(rng.random() < 0.5),
        equity_floors=floors,
        forced=forced,
        forbidden=forbidden,
        opex_start_offset=int(rng.integers(0, 2)),
    )


@pytest.mark.parametrize("seed", range(40))
def test_matches_brute_force_on_random_tiny_instances(seed):
    instance = random_instance(seed)
    expected = brute_force(instance)
    result = plan_roadmap(instance)
    if expected is None:
        assert result.status == "infeasible"
        assert any(d.severity == "error" for d in result.diagnostics)
        return
    assert result.status == "optimal", result.messages
    assert result.gap == pytest.approx(0.0, abs=1e-9)
    assert result.objective == pytest.approx(expected[0], abs=1e-5)
    assert result.people_years == pytest.approx(expected[1], abs=1e-5)
    assert result.total_spend == pytest.approx(-expected[2], abs=1e-5)


def test_brute_force_covers_feasible_and_infeasible_cases():
    outcomes = [brute_force(random_instance(seed)) is None for seed in range(40)]
    assert any(outcomes) and not all(outcomes)


# ------------------------------------------------------------------------------------------
# Small hand-made instances, one rule at a time
# ------------------------------------------------------------------------------------------


def village(
    vid: str,
    people: int = 100,
    kecamatan: str = "k1",
    status: str = "no_signal",
    remoteness: int = 1,
    **facilities: int,
) -> Village:
    return Village(vid, kecamatan, people, status, remoteness, facilities)


def instance(villages, access, backhaul=(), budgets=None, **kwargs) -> RoadmapInstance:
    return RoadmapInstance(
        villages=list(villages),
        access_options=list(access),
        backhaul_options=list(backhaul),
        budgets=budgets or {2026: 100.0, 2027: 100.0},
        **kwargs,
    )


def built(result) -> dict[str, int]:
    return {item.item_id: item.year for item in result.items}


def test_yearly_budget_limits_spending_each_year():
    inst = instance(
        [village("v1"), village("v2")],
        [
            AccessOption("a1", "repeater", {"v1": 100}, 60.0),
            AccessOption("a2", "repeater", {"v2": 100}, 60.0),
        ],
    )
    result = plan_roadmap(inst)
    assert sorted(built(result).values()) == [2026, 2027]  # not both in 2026
    assert all(result.spend_per_year[y] <= inst.budgets[y] for y in inst.budgets)
    one_year = plan_roadmap(dataclasses.replace(inst, budgets={2026: 100.0}))
    assert len(one_year.items) == 1


def test_carry_forward_lets_unspent_money_build_later():
    inst = instance([village("v1")], [AccessOption("a1", "repeater", {"v1": 100}, 150.0)])
    without = plan_roadmap(inst)
    assert without.items == [] and without.villages[0].explanation["reason"] == "no_usable_option"
    with_carry = plan_roadmap(dataclasses.replace(inst, carry_forward=True))
    assert built(with_carry) == {"a1": 2027}
    assert with_carry.budget_available_per_year == {2026: 100.0, 2027: 200.0}


def test_a_village_is_counted_once():
    inst = instance(
        [village("v1")],
        [
            AccessOption("a1", "repeater", {"v1": 100}, 10.0),
            AccessOption("a2", "satellite_terminal", {"v1": 80}, 10.0),
        ],
    )
    result = plan_roadmap(inst)
    assert result.people_served == 100
    assert result.objective == pytest.approx(village_value(inst, inst.villages[0], 100))
    assert list(built(result)) == ["a1"]  # the second option would add nothing


def test_new_site_needs_exactly_one_backhaul_in_its_year():
    site = AccessOption("s1", "new_4g_site", {"v1": 100}, 50.0)
    dear = BackhaulOption("s1-fiber", "s1", "fiber", 80.0, length_km=20.0)
    inst = instance([village("v1")], [site], [dear])
    assert plan_roadmap(inst).items == []  # 50 + 80 > 100 in any year
    cheap = BackhaulOption("s1-sat", "s1", "satellite", 30.0, opex_per_year=5.0)
    result = plan_roadmap(dataclasses.replace(inst, backhaul_options=[dear, cheap]))
    assert built(result) == {"s1": 2026, "s1-sat": 2026}
    plan = result.villages[0]
    assert (plan.backhaul_id, plan.backhaul_kind) == ("s1-sat", "satellite")
    assert plan.explanation["fiber_km"] == 20.0  # the site's nearest fiber option
    no_backhaul = plan_roadmap(dataclasses.replace(inst, backhaul_options=[]))
    assert no_backhaul.items == []
    assert any(d.code == "no_usable_backhaul" for d in no_backhaul.diagnostics)


def test_microwave_without_line_of_sight_is_never_chosen():
    site = AccessOption("s1", "new_4g_site", {"v1": 100}, 50.0)
    blocked = BackhaulOption("s1-mw", "s1", "microwave", 5.0, length_km=8.0, los_feasible=False)
    sat = BackhaulOption("s1-sat", "s1", "satellite", 40.0)
    result = plan_roadmap(instance([village("v1")], [site], [blocked, sat]))
    assert built(result) == {"s1": 2026, "s1-sat": 2026}


def test_equity_floor_moves_money_to_the_kecamatan():
    villages = [village("v1", 500, "k1"), village("v2", 100, "k2")]
    access = [
        AccessOption("a1", "repeater", {"v1": 500}, 100.0),
        AccessOption("a2", "repeater", {"v2": 100}, 100.0),
    ]
    inst = instance(villages, access)
    assert built(plan_roadmap(inst)) == {"a1": 2026, "a2": 2027}
    floor = EquityFloor(share=0.5, by_year=2026, kecamatan_ids=("k2",))
    result = plan_roadmap(dataclasses.replace(inst, equity_floors=[floor]))
    assert built(result)["a2"] == 2026
    assert result.villages[1].served_year == 2026


def test_forced_item_is_built_in_its_year():
    villages = [village("v1", 500), village("v2", 10)]
    access = [
        AccessOption("a1", "repeater", {"v1": 500}, 60.0),
        AccessOption("a2", "repeater", {"v2": 10}, 60.0),
    ]
    inst = instance(villages, access, budgets={2026: 100.0})
    assert built(plan_roadmap(inst)) == {"a1": 2026}
    result = plan_roadmap(dataclasses.replace(inst, forced={"a2": 2026}))
    assert built(result) == {"a2": 2026}
    assert result.items[0].forced


def test_forced_item_without_year_is_built_some_year():
    villages = [village("v1", 500), village("v2", 10), village("v3", 400)]
    access = [
        AccessOption("a1", "repeater", {"v1": 500}, 60.0),
        AccessOption("a2", "repeater", {"v2": 10}, 60.0),
        AccessOption("a3", "repeater", {"v3": 400}, 60.0),
    ]
    inst = instance(villages, access, budgets={2026: 60.0, 2027: 60.0})
    assert built(plan_roadmap(inst)) == {"a1": 2026, "a3": 2027}
    result = plan_roadmap(dataclasses.replace(inst, forced={"a2": None}))
    assert built(result) == {"a1": 2026, "a2": 2027}


def test_forbidden_item_is_never_built():
    villages = [village("v1")]
    access = [
        AccessOption("a1", "repeater", {"v1": 100}, 10.0),
        AccessOption("a2", "satellite_terminal", {"v1": 60}, 10.0),
    ]
    inst = instance(villages, access)
    assert built(plan_roadmap(inst)) == {"a1": 2026}
    result = plan_roadmap(dataclasses.replace(inst, forbidden={"a1"}))
    assert built(result) == {"a2": 2026}


@pytest.mark.parametrize(
    ("first", "second", "winner"),
    [
        # Same people: the worse status wins ...
        (dict(status="4g_weak"), dict(status="no_signal"), "a2"),
        (dict(status="no_signal"), dict(status="4g_weak"), "a1"),
        # ... the more remote village wins ...
        (dict(remoteness=1), dict(remoteness=4), "a2"),
        (dict(remoteness=4), dict(remoteness=1), "a1"),
        # ... and the village with a puskesmas wins.
        (dict(), dict(puskesmas=1), "a2"),
        (dict(puskesmas=1), dict(), "a1"),
    ],
)
def test_weights_change_the_choice(first, second, winner):
    villages = [village("v1", 100, **first), village("v2", 100, **second)]
    access = [
        AccessOption("a1", "repeater", {"v1": 100}, 100.0),
        AccessOption("a2", "repeater", {"v2": 100}, 100.0),
    ]
    result = plan_roadmap(instance(villages, access, budgets={2026: 100.0}))
    assert list(built(result)) == [winner]


def test_custom_weights_change_the_choice():
    villages = [village("v1", 100, remoteness=1), village("v2", 90, remoteness=2)]
    access = [
        AccessOption("a1", "repeater", {"v1": 100}, 100.0),
        AccessOption("a2", "repeater", {"v2": 90}, 100.0),
    ]
    inst = instance(villages, access, budgets={2026: 100.0})
    assert list(built(plan_roadmap(inst))) == ["a2"]  # 90 x 1.25 > 100 x 1.0
    flat = PriorityWeights(remoteness={1: 1.0, 2: 1.0, 3: 1.0, 4: 1.0})
    assert list(built(plan_roadmap(dataclasses.replace(inst, weights=flat)))) == ["a1"]


def test_opex_is_charged_in_the_years_after_building():
    inst = instance(
        [village("v1")],
        [AccessOption("a1", "repeater", {"v1": 100}, 50.0, opex_per_year=7.0)],
        budgets={2026: 100.0, 2027: 100.0, 2028: 100.0},
    )
    result = plan_roadmap(inst)
    assert result.spend_per_year == {2026: 50.0, 2027: 7.0, 2028: 7.0}
    from_start = plan_roadmap(dataclasses.replace(inst, opex_start_offset=0))
    assert from_start.spend_per_year == {2026: 57.0, 2027: 7.0, 2028: 7.0}
    assert result.cost_per_person == pytest.approx(64.0 / 100)


def test_opex_counts_against_later_budgets():
    # Both items run at 60/yr after their build year; any order of building both overspends
    # 2027 (60 + 50 or 60 + 90) and building both in 2026 costs 140.
    villages = [village("v1", 500), village("v2", 100)]
    access = [
        AccessOption("a1", "repeater", {"v1": 500}, 90.0, opex_per_year=60.0),
        AccessOption("a2", "repeater", {"v2": 100}, 50.0, opex_per_year=60.0),
    ]
    result = plan_roadmap(instance(villages, access))
    assert built(result) == {"a1": 2026}
    assert result.spend_per_year == {2026: 90.0, 2027: 60.0}


def test_ample_budget_serves_everyone_in_the_first_year():
    villages = [village("v1"), village("v2")]
    access = [
        AccessOption("a1", "repeater", {"v1": 100}, 10.0),
        AccessOption("a2", "repeater", {"v2": 100}, 10.0),
    ]
    result = plan_roadmap(instance(villages, access))
    assert set(built(result).values()) == {2026}
    assert result.people_served_per_year == {2026: 200, 2027: 0}


def test_nothing_that_adds_no_people_is_built():
    # Seven options can serve the same three villages; the budget could pay for all of them.
    villages = [village(f"v{i}") for i in range(3)]
    access = [
        AccessOption(f"a{j}", "repeater", {f"v{i}": 100 for i in range(3)}, 10.0 + j)
        for j in range(6)
    ]
    access.append(AccessOption("s", "new_4g_site", {"v0": 100}, 5.0))
    backhaul = [
        BackhaulOption("s-f", "s", "fiber", 50.0, length_km=3.0),
        BackhaulOption("s-s", "s", "satellite", 1.0, opex_per_year=1.0),
    ]
    result = plan_roadmap(
        instance(villages, access, backhaul, budgets={2026: 1000.0, 2027: 1000.0})
    )
    assert built(result) == {"a0": 2026}
    assert result.total_spend == 10.0


def test_same_instance_gives_the_same_plan():
    inst = random_instance(3)
    first, second = plan_roadmap(inst), plan_roadmap(inst)
    assert first.items == second.items
    assert first.villages == second.villages


def larger_instance(seed: int, n_villages: int = 60, n_options: int = 150) -> RoadmapInstance:
    rng = np.random.default_rng(seed)
    villages = [
        village(
            f"v{i}",
            int(rng.integers(50, 3000)),
            f"k{i % 6}",
            str(rng.choice(["no_signal", "2g_3g_only", "4g_weak"])),
            int(rng.integers(1, 5)),
        )
        for i in range(n_villages)
    ]
    access, backhaul = [], []
    for j in range(n_options):
        reach = rng.choice(n_villages, int(rng.integers(1, 4)), replace=False)
        serves = {f"v{i}": int(villages[i].people_unserved * rng.uniform(0.3, 1)) for i in reach}
        kind = "new_4g_site" if j % 2 else "repeater"
        access.append(
            AccessOption(
                f"a{j}", kind, serves, float(rng.uniform(50, 150)), float(rng.uniform(0, 15))
            )
        )
        if kind == "new_4g_site":
            backhaul.append(
                BackhaulOption(f"a{j}-s", f"a{j}", "satellite", float(rng.uniform(5, 20)), 10.0)
            )
    budgets = {year: 600.0 for year in range(2026, 2031)}
    return instance(villages, access, backhaul, budgets=budgets, carry_forward=True)


def test_time_limit_returns_the_best_plan_found_with_its_gap():
    inst = larger_instance(1)
    result = plan_roadmap(inst, time_limit=1e-3)
    assert result.status == "time_limit"
    assert "cost" not in result.stage_status  # tie-breaks are skipped
    if result.items:
        assert result.gap is None or result.gap >= 0
    cumulative_spend = np.cumsum([result.spend_per_year[y] for y in sorted(inst.budgets)])
    cumulative_budget = np.cumsum([inst.budgets[y] for y in sorted(inst.budgets)])
    assert (cumulative_spend <= cumulative_budget + 1e-6).all()


def test_larger_instance_is_solved_to_proven_optimality():
    result = plan_roadmap(larger_instance(2, n_villages=30, n_options=60))
    assert result.status == "optimal" and result.gap == pytest.approx(0.0, abs=1e-9)
    assert set(result.stage_status.values()) == {"optimal"}
    assert result.people_served == sum(result.people_served_per_year.values()) > 0


def test_result_explains_each_village():
    villages = [
        village("v1", 100, school=1),
        village("v2", 50),
        village("v3", 0),
        village("v4", 70),
        village("v5", 40),
    ]
    site = AccessOption("s1", "new_4g_site", {"v1": 100, "v2": 50}, 60.0, candidate_id="c7")
    access = [
        site,
        AccessOption("r4", "repeater", {"v4": 70}, 100.0),
        AccessOption("r5", "repeater", {"v5": 40}, 10.0),
    ]
    backhaul = [BackhaulOption("s1-f", "s1", "fiber", 20.0, length_km=4.5)]
    result = plan_roadmap(
        instance(villages, access, backhaul, budgets={2026: 100.0}, forbidden={"r5"})
    )
    by_id = {plan.village_id: plan for plan in result.villages}
    served = by_id["v1"].explanation
    assert served["reason"] == "served" and served["option_id"] == "s1"
    assert served["candidate_id"] == "c7" and served["fiber_km"] == 4.5
    assert served["shared_with"] == ["v2"] and served["option_people"] == 150
    assert served["cost_per_person"] == pytest.approx(80.0 / 150)
    assert served["weights"]["facility_bonus"] == 100.0
    assert by_id["v3"].explanation["reason"] == "nothing_to_serve"
    assert by_id["v4"].explanation["reason"] == "not_selected"
    assert by_id["v4"].explanation["best_option_id"] == "r4"
    assert by_id["v5"].explanation["reason"] == "no_usable_option"
    assert result.cost_per_person == pytest.approx(80.0 / 150)


# ------------------------------------------------------------------------------------------
# Infeasible instances give a message naming the constraint
# ------------------------------------------------------------------------------------------


def test_forced_items_over_a_year_budget_are_named():
    access = [
        AccessOption("a1", "repeater", {"v1": 100}, 70.0),
        AccessOption("a2", "repeater", {"v2": 100}, 70.0),
    ]
    result = plan_roadmap(
        instance([village("v1"), village("v2")], access, forced={"a1": 2026, "a2": 2026})
    )
    assert result.status == "infeasible"
    assert result.items == []
    (error,) = [d for d in result.diagnostics if d.severity == "error"]
    assert error.code == "forced_over_budget" and error.year == 2026
    assert "'a1', 'a2'" in error.message and "in 2026" in error.message


def test_forced_item_dearer_than_any_year_is_named():
    access = [AccessOption("a1", "repeater", {"v1": 100}, 170.0)]
    result = plan_roadmap(instance([village("v1")], access, forced={"a1": None}))
    assert result.status == "infeasible"
    assert "forced item 'a1' costs at least 170" in result.messages[0]


def test_forced_and_forbidden_is_named():
    access = [AccessOption("a1", "repeater", {"v1": 100}, 10.0)]
    result = plan_roadmap(instance([village("v1")], access, forced={"a1": None}, forbidden={"a1"}))
    assert result.status == "infeasible"
    assert "'a1' is both forced and forbidden" in result.messages[0]


def test_unreachable_equity_floor_names_the_kecamatan():
    villages = [village("v1", 100, "k1"), village("v2", 200, "Sandaran")]
    access = [
        AccessOption("a1", "repeater", {"v1": 100}, 10.0),
        AccessOption("a2", "repeater", {"v2": 50}, 10.0),
    ]
    result = plan_roadmap(instance(villages, access, equity_floors=[EquityFloor(0.5, 2027)]))
    assert result.status == "infeasible"
    (error,) = [d for d in result.diagnostics if d.severity == "error"]
    assert error.code == "equity_floor_unreachable" and error.kecamatan_id == "Sandaran"
    assert "kecamatan 'Sandaran'" in error.message and "reach at most 50" in error.message


def test_equity_floor_over_budget_names_the_kecamatan():
    villages = [village("v1", 100, "k1"), village("v2", 100, "k1"), village("v3", 100, "k2")]
    access = [
        AccessOption("a1", "repeater", {"v1": 100}, 80.0),
        AccessOption("a2", "repeater", {"v2": 100}, 80.0),
        AccessOption("a3", "repeater", {"v3": 100}, 10.0),
    ]
    floor = EquityFloor(0.9, 2026, kecamatan_ids=("k1",))
    result = plan_roadmap(
        instance(villages, access, budgets={2026: 100.0, 2027: 100.0}, equity_floors=[floor])
    )
    assert result.status == "infeasible"
    (error,) = [d for d in result.diagnostics if d.severity == "error"]
    assert error.code == "equity_floor_over_budget" and error.kecamatan_id == "k1"
    assert "costs at least 160" in error.message and "total 100" in error.message


def test_jointly_infeasible_requirements_are_found_by_the_conflict_search():
    # Each requirement alone is feasible; the floor for k2 and the forced item in 2026 are not.
    villages = [village("v1", 100, "k1"), village("v2", 100, "k2")]
    access = [
        AccessOption("a1", "repeater", {"v1": 100}, 80.0),
        AccessOption("a2", "repeater", {"v2": 100}, 80.0),
    ]
    floor = EquityFloor(1.0, 2026, kecamatan_ids=("k2",))
    result = plan_roadmap(
        instance(
            villages,
            access,
            budgets={2026: 100.0, 2027: 100.0},
            forced={"a1": 2026},
            equity_floors=[floor],
        )
    )
    assert result.status == "infeasible"
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert {d.code for d in errors} == {"conflict"}
    assert {(d.constraint, d.item_id, d.kecamatan_id) for d in errors} == {
        ("forced", "a1", None),
        ("equity_floor", None, "k2"),
    }
    assert "forced item 'a1' in 2026" in errors[0].message
    assert "equity floor 100% by 2026 for kecamatan 'k2'" in errors[0].message


def test_no_options_gives_an_empty_plan_with_a_note():
    result = plan_roadmap(instance([village("v1")], []))
    assert result.status == "optimal" and result.items == []
    assert any(d.code == "nothing_to_plan" for d in result.diagnostics)
    assert result.villages[0].explanation["reason"] == "no_option"


# ------------------------------------------------------------------------------------------
# Validation
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (dict(villages=[]), "villages: the instance has no villages"),
        (dict(budgets={}), "budgets: no plan years given"),
        (dict(budgets={2026: 1.0, 2028: 1.0}), "plan years must be consecutive"),
        (dict(budgets={2026: -1.0}), "budgets[2026]: must be a finite non-negative"),
        (dict(villages=[village("v1"), village("v1")]), "duplicate village id 'v1'"),
        (dict(villages=[village("v1", -5)]), "villages[0].people_unserved"),
        (dict(villages=[village("v1", status="4g_good")]), "villages[0].status: unknown"),
        (dict(villages=[village("v1", remoteness=9)]), "villages[0].remoteness_class"),
        (dict(villages=[village("v1", mosque=1)]), "unknown facility kind 'mosque'"),
        (
            dict(access_options=[AccessOption("a1", "tower", {"v1": 1}, 1.0)]),
            "access_options[0].kind: unknown intervention 'tower'",
        ),
        (
            dict(access_options=[AccessOption("a1", "repeater", {"v9": 1}, 1.0)]),
            "access_options[0].serves: unknown village id 'v9'",
        ),
        (
            dict(access_options=[AccessOption("a1", "repeater", {"v1": 101}, 1.0)]),
            "101 people is more than the village's 100 unserved people",
        ),
        (
            dict(access_options=[AccessOption("a1", "repeater", {"v1": 1}, -1.0)]),
            "access_options[0].capex",
        ),
        (
            dict(backhaul_options=[BackhaulOption("b1", "a1", "fiber", 1.0, length_km=2.0)]),
            "only new_4g_site options take a backhaul",
        ),
        (
            dict(
                access_options=[AccessOption("s1", "new_4g_site", {"v1": 1}, 1.0)],
                backhaul_options=[BackhaulOption("b1", "s1", "fiber", 1.0)],
            ),
            "backhaul_options[0].length_km: required for a fiber extension",
        ),
        (
            dict(backhaul_options=[BackhaulOption("b1", "zz", "satellite", 1.0)]),
            "unknown access option 'zz'",
        ),
        (
            dict(backhaul_options=[BackhaulOption("a1", "a1", "satellite", 1.0)]),
            "duplicate item id 'a1'",
        ),
        (
            dict(
                weights=PriorityWeights(
                    status={"no_signal": 1.0, "2g_3g_only": 2.0, "4g_weak": 0.5}
                )
            ),
            "must rank no_signal > 2g_3g_only > 4g_weak",
        ),
        (dict(equity_floors=[EquityFloor(1.5, 2026)]), "equity_floors[0].share"),
        (dict(equity_floors=[EquityFloor(0.5, 2031)]), "equity_floors[0].by_year"),
        (dict(equity_floors=[EquityFloor(0.5, 2026, ("kx",))]), "unknown kecamatan 'kx'"),
        (dict(forced={"zz": None}), "forced: unknown item id 'zz'"),
        (dict(forced={"a1": 2040}), "forced['a1']: year 2040 is not a plan year"),
        (dict(forbidden={"zz"}), "forbidden: unknown item id 'zz'"),
        (dict(opex_start_offset=2), "opex_start_offset: must be 0 or 1"),
    ],
)
def test_malformed_instances_are_named(change, message):
    base = instance([village("v1")], [AccessOption("a1", "repeater", {"v1": 100}, 10.0)])
    with pytest.raises(ValueError) as raised:
        plan_roadmap(dataclasses.replace(base, **change))
    assert message in str(raised.value)


# ------------------------------------------------------------------------------------------
# Cost table
# ------------------------------------------------------------------------------------------

PLANNING_ITEMS = {
    "new_4g_site",
    "upgrade_site",
    "repeater",
    "satellite_terminal",
    "backhaul_fiber_km",
    "backhaul_fiber_site_equipment",
    "backhaul_microwave_hop",
    "backhaul_satellite",
}


def test_shipped_cost_table_is_valid_and_complete():
    items = load_cost_table()
    names = [item.item for item in items]
    assert len(names) == len(set(names))
    assert PLANNING_ITEMS <= set(names)
    for item in items:
        assert item.source and item.source_url_or_reference
        if item.is_assumption:
            assert item.quality in ("estimated", "illustrative")
    by_name = {item.item: item for item in items}
    assert by_name["repeater"].quality == "illustrative" and by_name["repeater"].is_assumption
    # USD rows are converted at the stated rate of 16,312 IDR per USD.
    assert by_name["backhaul_fiber_km"].capex_idr == 5_500 * 16_312


HEADER = ",".join(COLUMNS)
GOOD_ROW = "new_4g_site,site,100,10,10,one site,somebody,https://example.org,official,false,"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("item,unit\n" + GOOD_ROW, "line 1: expected the header"),
        (HEADER + "\n" + GOOD_ROW.replace(",100,", ",abc,"), "line 2, capex_idr: expected a"),
        (HEADER + "\n" + GOOD_ROW.replace(",100,", ",-5,"), "line 2, capex_idr: must be a finite"),
        (HEADER + "\n" + GOOD_ROW.replace(",100,", ",,"), "line 2, capex_idr: a number is"),
        (HEADER + "\n" + GOOD_ROW.replace(",10,10,", ",10,0,"), "lifetime_years: must be positive"),
        (HEADER + "\n" + GOOD_ROW.replace("official", "guess"), "line 2, quality: expected one of"),
        (HEADER + "\n" + GOOD_ROW.replace("false", "maybe"), "line 2, is_assumption: expected"),
        (HEADER + "\n" + GOOD_ROW.replace("false", "true"), "an assumption must be estimated"),
        (HEADER + "\n" + GOOD_ROW.replace("new_4g_site", "New Site"), "expected a snake_case"),
        (HEADER + "\n" + GOOD_ROW.replace(",somebody,", ",,"), "line 2, source: must not be empty"),
        (HEADER + "\n" + GOOD_ROW + "\n" + GOOD_ROW, "line 3, item: duplicate item"),
        (HEADER + "\n" + GOOD_ROW + ",extra", "line 2: expected 11 fields, got 12"),
    ],
)
def test_malformed_cost_table_is_reported_by_line_and_field(tmp_path, body, message):
    path = tmp_path / "costs.csv"
    path.write_text(body + "\n", encoding="utf-8")
    with pytest.raises(CostTableError) as raised:
        load_cost_table(path)
    assert message in str(raised.value)


def test_cost_table_reports_every_bad_row(tmp_path):
    path = tmp_path / "costs.csv"
    rows = [
        GOOD_ROW.replace(",100,", ",x,"),
        GOOD_ROW.replace("new_4g_site", "b").replace("official", "nope"),
    ]
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    with pytest.raises(CostTableError) as raised:
        load_cost_table(path)
    assert len(raised.value.errors) == 2


def test_good_cost_table_row_is_parsed(tmp_path):
    path = tmp_path / "costs.csv"
    path.write_text(HEADER + "\n" + GOOD_ROW + "\n", encoding="utf-8")
    (item,) = load_cost_table(path)
    assert (item.item, item.capex_idr, item.opex_idr_per_year, item.lifetime_years) == (
        "new_4g_site",
        100.0,
        10.0,
        10.0,
    )
    assert item.is_assumption is False and item.notes == ""
