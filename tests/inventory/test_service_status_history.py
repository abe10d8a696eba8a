"""The status history of links and access points: every change of status is a dated row."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jangkau.core.importing import InputFileError, run_import
from jangkau.inventory.models import AccessPoint, Link, ServiceStatusChange

from .builders import (
    AS_OF,
    line,
    make_access_point,
    make_link,
    patch,
    point_in,
    post,
    write_csv,
)

pytestmark = pytest.mark.django_db


def history(obj) -> list[tuple[str, str, dt.date]]:
    return [(c.from_status, c.to_status, c.changed_on) for c in obj.status_history()]


def test_a_new_link_starts_its_history_on_its_as_of_date(one_frame):
    link = make_link("FO-1", line((117.5, 0.5), (117.5, 0.6)), status="planned")
    assert history(link) == [("", "planned", AS_OF)]


def test_saving_without_a_status_change_adds_no_row(one_frame):
    link = make_link("FO-1", line((117.5, 0.5), (117.5, 0.6)))
    link.capacity_mbps = 1000
    link.save()
    assert len(history(link)) == 1


def test_a_change_is_dated_today_unless_the_caller_says_when(one_frame, make_user):
    ap = make_access_point("AP-1", "64.08.11.2001", status="active")
    user = make_user("network_operator")
    ap.status = "down"
    ap.status_context(dt.date(2026, 3, 2), "flood at the terminal", user).save()
    ap.status = "active"
    ap.save()
    rows = list(ap.status_history())
    assert [(r.from_status, r.to_status) for r in rows] == [
        ("", "active"),
        ("active", "down"),
        ("down", "active"),
    ]
    assert (rows[1].changed_on, rows[1].note, rows[1].changed_by) == (
        dt.date(2026, 3, 2),
        "flood at the terminal",
        user,
    )
    assert rows[2].changed_on == timezone.localdate() and rows[2].changed_by is None


def test_a_change_dated_before_the_last_one_or_in_the_future_is_refused(one_frame):
    ap = make_access_point("AP-1", "64.08.11.2001", status="active")
    ap.status = "down"
    ap.status_context(dt.date(2026, 3, 2)).save()
    for when in (dt.date(2026, 3, 1), timezone.localdate() + dt.timedelta(days=1)):
        ap.status = "active"
        ap.status_context(when)
        with pytest.raises(ValidationError) as err:
            ap.full_clean()
        assert list(err.value.message_dict) == ["status"]
        with pytest.raises(ValidationError):
            ap.save()  # save() checks too, and writes nothing
    assert AccessPoint.objects.get(pk=ap.pk).status == "down"
    assert len(history(ap)) == 2


def test_the_api_records_who_changed_a_link_and_when(one_frame, client, make_user):
    client.force_login(make_user("planner"))
    body = {
        "code": "FO-9",
        "kind": "fiber_route",
        "geometry": line((117.5, 0.5), (117.5, 0.6)),
        "status": "planned",
        "source": "Telkom",
        "as_of": "2025-01-15",
    }
    assert post(client, "/api/inventory/links", body).status_code == 201
    r = patch(client, "/api/inventory/links/FO-9", {"status": "active", "as_of": "2025-09-01"})
    assert r.status_code == 200
    r = patch(client, "/api/inventory/links/FO-9", {"status": "down", "as_of": "2025-08-01"})
    assert r.status_code == 422
    assert [d["field"] for d in r.json()["error"]["details"]] == ["status"]
    r = patch(client, "/api/inventory/links/FO-9", {"capacity_mbps": 10000})
    assert r.json()["status"] == "active"
    got = r.json()["status_history"]
    assert [(h["from_status"], h["to_status"], h["changed_on"]) for h in got] == [
        ("", "planned", "2025-01-15"),
        ("planned", "active", "2025-09-01"),
    ]
    assert {h["changed_by"] for h in got} == {"user-planner"}
    assert got[1]["note"] == "changed through the API"


def test_an_access_points_history_is_in_its_detail_not_in_the_list(one_frame, client):
    ap = make_access_point("AP-1", "64.08.11.2001")
    ap.status = "degraded"
    ap.save()
    detail = client.get("/api/inventory/access-points/AP-1").json()
    assert [h["to_status"] for h in detail["status_history"]] == ["active", "degraded"]
    listed = client.get("/api/inventory/access-points").json()["results"][0]
    assert "status_history" not in listed


def test_imports_record_a_changed_status_once_dated_by_status_date(one_frame, tmp_path):
    lat, lon = point_in("64.08.11.2001")
    row = {
        "code": "BAI-1",
        "kind": "bakti_ai",
        "provider": "BAKTI",
        "lat": f"{lat:.6f}",
        "lon": f"{lon:.6f}",
        "status": "active",
        "source": "BAKTI terminal list",
        "as_of": "2025-06-01",
    }
    path = write_csv(tmp_path / "ap.csv", [row])
    run_import("accesspoints", path)
    assert run_import("accesspoints", path).unchanged == 1  # the same file again: no new row
    down = write_csv(
        tmp_path / "ap-down.csv", [{**row, "status": "down", "status_date": "2025-08-10"}]
    )
    run_import("accesspoints", down)
    ap = AccessPoint.objects.get(code="BAI-1")
    assert history(ap) == [
        ("", "active", dt.date(2025, 6, 1)),
        ("active", "down", dt.date(2025, 8, 10)),
    ]
    assert ap.status_history().last().note == "imported from ap-down.csv"
    # A change dated before the last one is refused with its row and field; nothing moves.
    early = {**row, "status": "active", "status_date": "2025-07-01"}
    with pytest.raises(InputFileError) as err:
        run_import("accesspoints", write_csv(tmp_path / "ap-early.csv", [early]))
    [error] = err.value.errors
    assert (error.row, error.field) == (1, "status")  # data rows count from 1
    assert "before the last recorded change (2025-08-10)" in error.message
    ap.refresh_from_db()
    assert ap.status == "down" and len(history(ap)) == 2


def test_a_failed_import_leaves_no_history_behind(one_frame, tmp_path):
    good = {
        "code": "FO-1",
        "kind": "fiber_route",
        "wkt": "LINESTRING (117.5 0.5, 117.5 0.6)",
        "source": "Telkom",
        "status": "active",
    }
    bad = {**good, "code": "FO-2", "wkt": "LINESTRING (100 10, 101 11)"}  # far outside
    with pytest.raises(InputFileError):
        run_import("links", write_csv(tmp_path / "links.csv", [good, bad]))
    assert not Link.objects.exists() and not ServiceStatusChange.objects.exists()


def test_a_change_belongs_to_exactly_one_link_or_access_point(one_frame):
    link = make_link("FO-1", line((117.5, 0.5), (117.5, 0.6)))
    ap = make_access_point("AP-1", "64.08.11.2001")
    for owners in ({}, {"link": link, "access_point": ap}):
        with pytest.raises(IntegrityError), transaction.atomic():
            ServiceStatusChange.objects.create(
                **owners, from_status="active", to_status="down", changed_on=AS_OF
            )


def test_the_migration_starts_a_history_for_stored_objects(one_frame):
    from django.apps import apps

    migration = importlib.import_module(
        "jangkau.inventory.migrations.0002_link_and_access_point_status_history"
    )
    link = make_link("FO-1", line((117.5, 0.5), (117.5, 0.6)))
    ap = make_access_point("AP-1", "64.08.11.2001", as_of=None, as_of_label="2024")
    ServiceStatusChange.objects.all().delete()  # as before the migration
    migration.start_histories(apps, None)
    assert history(link) == [("", "active", AS_OF)]
    assert history(ap) == [("", "active", ap.updated.date())]
