"""Village corrections: a moderator moves a report to the village it belongs to."""

from __future__ import annotations

import json

import pytest

from jangkau.evidence.models import Evidence, VillageStatus
from jangkau.reports.models import CitizenReport, VillageCorrection

from .conftest import SANDARAN

pytestmark = pytest.mark.django_db

#: Desa Manubar, Sandaran's neighbour in Kecamatan Sandaran; also on the blank-spot list.
MANUBAR = "64.08.11.2002"
#: Desa Kerayaan (Kecamatan Sangkulirang): another kecamatan.
KERAYAAN = "64.08.05.2001"


def overall_status(code: str) -> str:
    return VillageStatus.objects.get(village__code=code, operator="").status


def correct(client, report, village: str, reason: str = "the note names Manubar", **extra):
    return client.post(
        f"/lapor/moderasi/{report.reference}/desa/",
        {"village": village, "reason": reason},
        **extra,
    )


def test_moving_a_pending_report_records_who_why_and_how_far(file_report, client, make_user):
    report = file_report()
    planner = make_user("planner")
    client.force_login(planner)
    r = correct(client, report, MANUBAR)
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.village.code == MANUBAR
    assert report.state == "pending"
    row = VillageCorrection.objects.get(report=report)
    assert (row.previous_village.code, row.village.code, row.moderator) == (
        SANDARAN,
        MANUBAR,
        planner,
    )
    assert row.reason == "the note names Manubar"
    # The pin (Sandaran's centroid) lies outside Manubar: some hundreds of metres at least.
    assert row.distance_m > 100
    assert not Evidence.objects.filter(kind="citizen_report").exists()
    html = client.get("/lapor/moderasi/").content.decode()
    assert "village changed from Sandaran to Manubar" in html


def test_moving_an_approved_report_moves_its_evidence_and_recomputes_both_villages(
    file_report, client, make_user
):
    report = file_report()
    client.force_login(make_user("planner"))
    client.post(f"/lapor/moderasi/{report.reference}/", {"decision": "approve"})
    assert (overall_status(SANDARAN), overall_status(MANUBAR)) == ("4g_good", "no_signal")
    r = client.post(
        f"/api/reports/{report.reference}/village",
        json.dumps({"village": MANUBAR, "reason": "the note names Manubar"}),
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["village"]["code"] == MANUBAR
    assert body["correction"]["previous_village"]["code"] == SANDARAN
    assert body["correction"]["distance_m"] > 100
    assert body["recompute_progress_id"] is not None
    assert Evidence.objects.get(key=report.evidence_key).village.code == MANUBAR
    # The task ran (immediate backend in tests): Sandaran is back on the blank-spot list's word.
    assert (overall_status(SANDARAN), overall_status(MANUBAR)) == ("no_signal", "4g_good")


def test_a_pin_inside_the_new_village_is_zero_metres_away(file_report, make_user):
    from jangkau.regions.models import Village
    from jangkau.reports.services import correct_village

    report = file_report()
    manubar = Village.objects.get(code=MANUBAR)
    CitizenReport.objects.filter(pk=report.pk).update(
        latitude=manubar.centroid_lat, longitude=manubar.centroid_lon
    )
    report.refresh_from_db()
    corrected = correct_village(report, make_user("planner"), manubar, "pin checked")
    assert corrected.correction.distance_m == 0.0
    assert corrected.progress is None  # a pending report has no evidence to move


def test_moving_to_the_same_village_is_refused(file_report, client, make_user):
    report = file_report()
    client.force_login(make_user("planner"))
    r = client.post(
        f"/api/reports/{report.reference}/village",
        json.dumps({"village": SANDARAN, "reason": "typo"}),
        content_type="application/json",
    )
    assert r.status_code == 409 and r.json()["error"]["code"] == "conflict"
    assert "already in Sandaran" in r.json()["error"]["message"]
    assert not VillageCorrection.objects.exists()


def test_an_unknown_village_code_is_a_field_error(file_report, client, make_user):
    report = file_report()
    client.force_login(make_user("planner"))
    r = client.post(
        f"/api/reports/{report.reference}/village",
        json.dumps({"village": "64.08.99.9999", "reason": "typo"}),
        content_type="application/json",
    )
    assert r.status_code == 422
    details = r.json()["error"]["details"]
    assert details == [
        {
            "field": "payload.village",
            "message": "There is no village with code 64.08.99.9999 in this regency.",
        }
    ]
    report.refresh_from_db()
    assert report.village.code == SANDARAN


def test_a_correction_needs_a_reason(file_report, client, make_user):
    report = file_report()
    client.force_login(make_user("planner"))
    r = correct(client, report, MANUBAR, reason="", follow=True)
    assert "Say why the report belongs to another village." in r.content.decode()
    report.refresh_from_db()
    assert report.village.code == SANDARAN and not VillageCorrection.objects.exists()


@pytest.mark.parametrize(
    ("villages", "target", "moved"),
    [
        ((SANDARAN,), MANUBAR, False),  # may moderate the report, not the village it goes to
        ((MANUBAR,), MANUBAR, None),  # may not moderate the report at all: 403
        ((SANDARAN, MANUBAR), MANUBAR, True),
    ],
)
def test_a_village_operator_moves_reports_only_between_their_own_villages(
    file_report, client, make_user, villages, target, moved
):
    report = file_report()
    client.force_login(make_user("village_operator", villages=villages))
    r = correct(client, report, target, HTTP_HX_REQUEST="true")
    report.refresh_from_db()
    if moved is None:
        assert r.status_code == 403
    else:
        assert r.status_code == 200
        html = r.content.decode()
        if moved:
            assert "Village changed." in html
        else:
            assert "You may not moderate the reports of Manubar." in html
    assert report.village.code == (MANUBAR if moved else SANDARAN)
    assert VillageCorrection.objects.exists() == bool(moved)


def test_the_api_refuses_a_move_outside_the_operators_villages(file_report, client, make_user):
    report = file_report()
    client.force_login(make_user("village_operator", villages=(SANDARAN,)))
    r = client.post(
        f"/api/reports/{report.reference}/village",
        json.dumps({"village": KERAYAAN, "reason": "wrong kecamatan"}),
        content_type="application/json",
    )
    assert r.status_code == 403
    report.refresh_from_db()
    assert report.village.code == SANDARAN


def test_a_stale_correction_loses_to_the_one_that_came_first(file_report, make_user):
    from jangkau.regions.models import Village
    from jangkau.reports.services import CorrectionRefused, correct_village

    report = file_report()
    stale = CitizenReport.objects.select_related("village").get(pk=report.pk)
    correct_village(report, make_user("planner", "first"), Village.objects.get(code=MANUBAR), "x")
    with pytest.raises(CorrectionRefused):
        correct_village(
            stale, make_user("planner", "second"), Village.objects.get(code=KERAYAAN), "y"
        )
    report.refresh_from_db()
    assert report.village.code == MANUBAR
    assert VillageCorrection.objects.count() == 1


def test_htmx_gets_the_moved_report_back_as_a_fragment(file_report, client, make_user):
    report = file_report()
    client.force_login(make_user("planner"))
    r = correct(client, report, MANUBAR, HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert r.status_code == 200 and "<html" not in html
    assert f'id="report-{report.reference}"' in html
    assert "Manubar" in html and "village changed from Sandaran to Manubar" in html


def test_the_queue_offers_only_the_villages_the_user_may_moderate(file_report, client, make_user):
    file_report()
    client.force_login(make_user("village_operator", villages=(SANDARAN, MANUBAR)))
    html = client.get("/lapor/moderasi/").content.decode()
    datalist = html.split('<datalist id="village-choices">', 1)[1].split("</datalist>", 1)[0]
    assert datalist.count("<option") == 2
    assert f'value="{MANUBAR}"' in datalist and f'value="{SANDARAN}"' in datalist
    client.force_login(make_user("planner"))
    html = client.get("/lapor/moderasi/").content.decode()
    assert html.count('list="village-choices"') == 1  # one report, one correction form
    datalist = html.split('<datalist id="village-choices">', 1)[1].split("</datalist>", 1)[0]
    assert datalist.count("<option") == 141
