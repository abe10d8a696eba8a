"""Inventory pages: the site list and detail, the who-has-what table, the village partial."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template import Context, Template

from jangkau.inventory.queries import who_has_what
from jangkau.regions.models import Village

from .builders import line, make_access_point, make_facility, make_link, make_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(one_frame, make_user):
    """Sandaran (64.08.11) and Sangatta Utara (64.08.04) with known infrastructure."""
    make_site("T-1", "64.08.11.2001")
    make_site("T-2", "64.08.11.2001", status="degraded")  # still on air
    make_site("T-3", "64.08.11.2002", status="down")  # not on air
    make_site("I-1", "64.08.11.2003", operator="indosat")
    make_site("X-1", "64.08.04.2012", operator="xl")
    make_site("X-2", "64.08.04.2012", operator="xl", status="planned")  # not on air
    make_site("O-1", "64.08.04.2001", operator="other", operator_name="PT Desa Net")
    planned = make_site("S-P", "64.08.11.2007", status="planned")
    planned.set_status("building", dt.date(2025, 7, 1), "tower erected", make_user("planner"))
    make_access_point("A-1", "64.08.11.2001")
    make_access_point("A-2", "64.08.11.2002", status="down")
    make_access_point("A-3", "64.08.04.2012", status="degraded")
    make_facility("F-1", "64.08.11.2001")
    make_facility("F-2", "64.08.11.2001", connected="no", connection_kind="none")
    make_facility("F-3", "64.08.11.2002", connected="unknown", connection_kind="unknown")
    make_facility("F-4", "64.08.04.2012", kind="puskesmas", name="Puskesmas Sangatta Utara")


def test_who_has_what_counts_per_kecamatan(built):
    table = who_has_what()
    rows = {row.code: row for row in table["rows"]}
    sandaran, sangatta = rows["64.08.11"], rows["64.08.04"]
    assert (
        sandaran.villages == 9
        and sangatta.villages == Village.objects.filter(district__code="64.08.04").count()
    )
    assert sandaran.sites_on_air == {
        "telkomsel": 2,
        "indosat": 1,
        "xl": 0,
        "smartfren": 0,
        "other": 0,
    }
    assert sandaran.villages_with_site_on_air == 2  # 2001 (two sites) and 2003
    assert sangatta.sites_on_air["xl"] == 1 and sangatta.sites_on_air["other"] == 1
    assert (sandaran.access_points_active, sandaran.access_points) == (1, 2)
    assert (sangatta.access_points_active, sangatta.access_points) == (1, 1)
    assert (sandaran.facilities_connected, sandaran.facilities) == (2 - 1, 3)
    # Five of Sandaran's nine desa are on the shipped blank-spot list; four have no evidence.
    assert sandaran.village_statuses["no_signal"] == 5
    assert sandaran.village_statuses["unknown"] == 4
    total = table["total"]
    assert total.sites_on_air_total == 5 and total.villages == 141
    assert (total.facilities_connected, total.facilities) == (2, 4)
    assert sum(total.village_statuses.values()) == 141
    assert table["outside"] is None


def test_who_has_what_follows_the_village_statuses(built):
    from jangkau.evidence.models import VillageStatus

    before = {row.code: row for row in who_has_what()["rows"]}["64.08.11"].village_statuses
    VillageStatus.objects.update_or_create(
        village=Village.objects.get(code="64.08.11.2001"),
        operator="",
        defaults={"status": "4g_good", "as_of": dt.date(2025, 9, 1)},
    )
    after = {row.code: row for row in who_has_what()["rows"]}["64.08.11"].village_statuses
    assert after["no_signal"] == before["no_signal"] - 1
    assert after["4g_good"] == before["4g_good"] + 1


def test_the_who_has_what_page_shows_the_table(built, client):
    html = client.get("/infrastruktur/").content.decode()
    row = re.search(r'<tr data-kecamatan="64.08.11">(.*?)</tr>', html, re.S).group(1)
    assert re.search(r'data-col="on-air-telkomsel">2<', row)
    assert re.search(r'data-col="on-air-total"><strong>3<', row)
    assert re.search(r'data-col="access-points">1 / 2<', row)
    assert re.search(r'data-col="facilities">1 / 3<', row)
    assert re.search(r'data-col="status-no_signal">5<', row)
    total = re.search(r'<tr data-kecamatan="total">(.*?)</tr>', html, re.S).group(1)
    assert re.search(r'data-col="villages">141<', total)


def test_the_site_list_filters_and_answers_htmx_with_the_table_alone(built, client):
    html = client.get("/menara/", {"operator": "xl"}).content.decode()
    assert 'data-site="X-1"' in html and 'data-site="X-2"' in html
    assert 'data-site="T-1"' not in html and "<html" in html
    part = client.get("/menara/", {"kecamatan": "64.08.11"}, HTTP_HX_REQUEST="true")
    text = part.content.decode()
    assert "<html" not in text and text.count('<tr data-site="') == 5
    assert client.get("/menara/", {"status": "sleeping"}).status_code == 400


def test_the_site_page_shows_its_status_history(built, client):
    html = client.get("/menara/S-P/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "tower erected" in html and "2025-07-01" in html
    history = html[html.index('id="status-history"') :]
    assert history.index("2025-07-01") < history.index("2025-06-01")  # newest first
    assert client.get("/menara/NOPE/").status_code == 404


def test_the_village_partial_lists_its_infrastructure(built):
    village = Village.objects.get(code="64.08.11.2001")
    html = Template(
        '{% include "inventory/_village_inventory.html" with village=village %}'
    ).render(Context({"village": village}))
    assert 'data-site="T-1"' in html and 'data-site="T-2"' in html
    assert 'data-site="T-3"' not in html  # in the neighbouring desa
    assert 'data-access-point="A-1"' in html
    assert 'data-facility="F-1"' in html and 'data-facility="F-2"' in html
    empty = Template(
        '{% include "inventory/_village_inventory.html" with village=village %}'
    ).render(Context({"village": Village.objects.get(code="64.08.01.2001")}))
    assert "data-site=" not in empty and "data-facility=" not in empty


def test_inventory_for_village_gathers_sites_links_and_counts(built, one_frame):
    from jangkau.inventory.models import Site
    from jangkau.inventory.queries import inventory_for_village

    a, b = Site.objects.get(code="T-1"), Site.objects.get(code="T-3")
    make_link("MW-T", line((a.lon, a.lat), (b.lon, b.lat)), endpoint_a=a, endpoint_b=b)
    inv = inventory_for_village(Village.objects.get(code="64.08.11.2001"))
    assert [s.code for s in inv["sites"]] == ["T-1", "T-2"]
    assert inv["sites_on_air"] == 2 and inv["facilities_connected"] == 1
    assert [link.code for link in inv["links"]] == ["MW-T"]


def test_the_map_layers_partial_points_the_script_at_every_layer(kutim):
    html = Template('{% include "inventory/_map_layers.html" %}').render(Context({}))
    for needle in [
        "inventory/layers.js",
        'data-sites="/api/inventory/sites.geojson"',
        'data-links="/api/inventory/links.geojson"',
        'data-access-points="/api/inventory/access-points.geojson"',
        'data-facilities="/api/inventory/facilities.geojson"',
        'data-site-url="/menara/"',
    ]:
        assert needle in html, needle
