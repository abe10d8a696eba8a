"""Cost tables: the shipped CSV as version 1, the command, and edits saved as new versions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jangkau.planning.costs import default_cost_table
from jangkau.planning.forms import cost_item_initial
from jangkau.planning.models import CostItem, CostTable
from jangkau.planning.tasks import enqueue_run

pytestmark = pytest.mark.django_db


def test_the_shipped_table_is_loaded_on_first_use(kutim):
    assert not CostTable.objects.exists()
    table = default_cost_table()
    assert (table.version, table.is_default) == (1, True)
    assert table.items.count() == 20
    tower = table.items.get(item="new_4g_site")
    assert tower.capex_idr == Decimal("2600000000") and tower.opex_idr_per_year == 260_000_000
    assert (tower.quality, tower.is_assumption) == ("estimated", True)
    assert "BAKTI" in tower.source and tower.source_url
    starlink = table.items.get(item="satellite_terminal")
    assert (starlink.quality, starlink.is_assumption) == ("official", False)
    assert default_cost_table() == table  # not loaded twice


def test_the_command_loads_the_shipped_table_once_and_lists_versions(kutim, capsys):
    call_command("plan_costs", "load")
    call_command("plan_costs", "load")
    assert CostTable.objects.count() == 1
    call_command("plan_costs", "list")
    out = capsys.readouterr().out
    assert "already loaded as v1" in out
    assert "v1 (default)" in out and "20 items" in out


def test_the_command_refuses_a_malformed_file(kutim, tmp_path):
    bad = tmp_path / "costs.csv"
    bad.write_text("item,unit\nnew_4g_site,site\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 1: expected the header"):
        call_command("plan_costs", "load", "--file", str(bad))
    assert not CostTable.objects.exists()


def _edit_post(table: CostTable, **changes) -> dict:
    """The cost editor's POST body with ``changes`` (item -> field values) applied."""
    rows = cost_item_initial(table)
    body = {
        "name": "Harga 2026",
        "source_notes": "Penawaran vendor 2026 untuk menara baru.",
        "items-TOTAL_FORMS": str(len(rows) + 1),
        "items-INITIAL_FORMS": str(len(rows)),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for k, row in enumerate(rows):
        row = {**row, **changes.get(row["item"], {})}
        for field, value in row.items():
            if field == "item":
                continue
            if field == "is_assumption":
                if value:
                    body[f"items-{k}-{field}"] = "on"
                continue
            body[f"items-{k}-{field}"] = "" if value is None else str(value)
    return body


def test_editing_saves_a_new_version_and_an_old_plan_keeps_its_own(
    client, make_user, make_scenario
):
    client.force_login(make_user("planner"))
    scenario = make_scenario(curve_scales=[1.0])
    enqueue_run(scenario)
    old_result = scenario.latest_result()
    v1 = scenario.cost_table
    response = client.post(
        f"/rencana/biaya/{v1.version}/ubah/",
        _edit_post(v1, new_4g_site={"capex_idr": "1300000000"}),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    v2 = CostTable.objects.get(version=2)
    assert response["Location"] == "/rencana/biaya/2/"
    assert v2.based_on == v1 and v2.name == "Harga 2026"
    assert v2.items.get(item="new_4g_site").capex_idr == Decimal("1300000000")
    assert v1.items.get(item="new_4g_site").capex_idr == Decimal("2600000000")
    assert v2.items.count() == v1.items.count()
    unchanged = v2.items.get(item="backhaul_satellite")
    assert (unchanged.source, unchanged.quality) == (
        v1.items.get(item="backhaul_satellite").source,
        "estimated",
    )
    # The old plan still points at v1; a new run with v2 uses the new price.
    scenario.cost_table = v2
    scenario.save()
    enqueue_run(scenario)
    old_result.refresh_from_db()
    assert old_result.cost_table == v1
    new_result = scenario.latest_result()
    assert new_result.cost_table == v2
    towers = [i for i in new_result.built_items if i["kind"] == "new_4g_site"]
    assert towers and all(i["capex"] == 1_300_000_000 for i in towers)
    assert new_result.people_served > old_result.people_served


def test_a_new_item_can_be_added_in_a_new_version(client, make_user, cost_table):
    client.force_login(make_user("planner"))
    body = _edit_post(cost_table)
    n = cost_table.items.count()
    body.update(
        {
            f"items-{n}-item": "satellite_terminal_geo",
            f"items-{n}-unit": "terminal",
            f"items-{n}-capex_idr": "15000000",
            f"items-{n}-opex_idr_per_year": "30000000",
            f"items-{n}-source": "vendor quote",
            f"items-{n}-source_url": "quote 2026-01",
            f"items-{n}-quality": "estimated",
            f"items-{n}-is_assumption": "on",
        }
    )
    response = client.post(f"/rencana/biaya/{cost_table.version}/ubah/", body)
    assert response.status_code == 302
    assert CostTable.objects.get(version=2).items.filter(item="satellite_terminal_geo").exists()
    assert not cost_table.items.filter(item="satellite_terminal_geo").exists()


def test_an_assumption_cannot_be_marked_official(client, make_user, cost_table):
    client.force_login(make_user("planner"))
    body = _edit_post(cost_table, repeater={"quality": "official", "is_assumption": True})
    response = client.post(f"/rencana/biaya/{cost_table.version}/ubah/", body)
    assert response.status_code == 200
    assert "never official or measured" in response.content.decode()
    assert CostTable.objects.count() == 1


def test_the_database_refuses_an_official_assumption(cost_table):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        CostItem.objects.create(
            table=cost_table,
            item="x_item",
            unit="site",
            capex_idr=1,
            opex_idr_per_year=0,
            source="s",
            quality="official",
            is_assumption=True,
        )
