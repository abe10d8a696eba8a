"""The admin of the inventory: every model's pages, and a site's status changed with history."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from jangkau.inventory.models import Site

from .builders import line, make_access_point, make_facility, make_link, make_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, one_frame):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "pw-123456789"))
    return client


def test_every_inventory_admin_page_renders(admin_client):
    site = make_site("S-1", "64.08.11.2001")
    ap = make_access_point("AP-1", "64.08.11.2001")
    facility = make_facility("F-1", "64.08.11.2001")
    link = make_link("L-1", line((117.5, 0.5), (117.5, 0.6)))
    change = site.status_changes.get()
    for name, obj in [
        ("site", site),
        ("accesspoint", ap),
        ("facility", facility),
        ("link", link),
        ("sitestatuschange", change),
    ]:
        assert admin_client.get(f"/admin/inventory/{name}/").status_code == 200
        assert admin_client.get(f"/admin/inventory/{name}/{obj.pk}/change/").status_code == 200
    for name in ["site", "accesspoint", "facility", "link"]:
        assert admin_client.get(f"/admin/inventory/{name}/add/").status_code == 200


def _site_form(site: Site, **changes) -> dict:
    data = {
        "code": site.code,
        "name": site.name,
        "operator": site.operator,
        "operator_name": site.operator_name,
        "programme": site.programme,
        "lat": site.lat,
        "lon": site.lon,
        "technologies": '["4G"]',
        "bands_mhz": "[]",
        "power_source": site.power_source,
        "backhaul": site.backhaul,
        "status": site.status,
        "status_changed_on": "",
        "status_note": "",
        "source": site.source,
        "source_url": "",
        "as_of": site.as_of.isoformat(),
        "as_of_label": "",
        "quality": site.quality,
        "notes": "",
        "sectors-TOTAL_FORMS": "0",
        "sectors-INITIAL_FORMS": "0",
    }
    changes_rows = list(site.status_changes.all())
    data["status_changes-TOTAL_FORMS"] = data["status_changes-INITIAL_FORMS"] = str(
        len(changes_rows)
    )
    for i, row in enumerate(changes_rows):
        data[f"status_changes-{i}-id"] = str(row.pk)
        data[f"status_changes-{i}-site"] = str(site.pk)
    data.update(changes)
    return data


def test_changing_a_status_in_the_admin_writes_a_history_row(admin_client):
    site = make_site("S-ADM", "64.08.11.2001")
    url = f"/admin/inventory/site/{site.pk}/change/"
    form = _site_form(site, status="down", status_changed_on="2025-09-01", status_note="flood")
    r = admin_client.post(url, form)
    assert r.status_code == 302, r.content.decode()[:3000]
    last = site.status_changes.order_by("-changed_on").first()
    assert (last.from_status, last.to_status, last.note) == ("on_air", "down", "flood")
    assert last.changed_by.username == "root"
    # A transition the site cannot make is refused on the form, and nothing is written.
    r = admin_client.post(url, _site_form(Site.objects.get(pk=site.pk), status="planned"))
    assert r.status_code == 200 and "cannot go from down to planned" in r.content.decode()
    assert site.status_changes.count() == 2


def test_changing_an_access_points_status_in_the_admin_records_who_and_when(admin_client):
    from django.utils import timezone

    ap = make_access_point("AP-ADM", "64.08.11.2001")
    rows = list(ap.status_changes.all())
    form = {
        "code": ap.code,
        "name": ap.name,
        "kind": ap.kind,
        "provider": ap.provider,
        "lat": ap.lat,
        "lon": ap.lon,
        "capacity_mbps": "",
        "status": "down",
        "installed_on": "",
        "notes": "",
        "source": ap.source,
        "source_url": "",
        "as_of": ap.as_of.isoformat(),
        "as_of_label": "",
        "quality": ap.quality,
        "status_changes-TOTAL_FORMS": str(len(rows)),
        "status_changes-INITIAL_FORMS": str(len(rows)),
    }
    for i, row in enumerate(rows):
        form[f"status_changes-{i}-id"] = str(row.pk)
        form[f"status_changes-{i}-access_point"] = str(ap.pk)
    r = admin_client.post(f"/admin/inventory/accesspoint/{ap.pk}/change/", form)
    assert r.status_code == 302, r.content.decode()[:3000]
    last = ap.status_history().last()
    assert (last.from_status, last.to_status) == ("active", "down")
    assert (last.changed_on, last.changed_by.username) == (timezone.localdate(), "root")
    assert last.note == "changed in the admin"
