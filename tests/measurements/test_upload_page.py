"""The import page for planners: who may use it, an upload end to end, its result page."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.importing.files import SAMARINDA, snapshot, speedtest_row, write_dicts

pytestmark = pytest.mark.django_db

URL = "/impor/"


def csv_upload(tmp_path, rows, name="tests.csv"):
    path = write_dicts(tmp_path / name, rows)
    upload = io.BytesIO(path.read_bytes())
    upload.name = name
    return upload


def test_the_named_routes():
    assert reverse("measurements:import-upload") == URL
    assert reverse("measurements:import-template", args=["ookla"]) == "/impor/template/ookla.csv"
    assert reverse("measurements:import-kind", args=["ookla"]) == "/impor/panduan/ookla/"
    assert reverse("measurements:import-run", args=[3]) == "/impor/3/"


def test_anonymous_users_and_viewers_are_refused(kutim, client, make_user, tmp_path):
    assert client.get(URL).status_code == 403
    upload = csv_upload(tmp_path, [speedtest_row()])
    assert client.post(URL, {"kind": "speedtests", "file": upload}).status_code == 403
    for role in ("viewer", "network_operator", "village_operator"):
        client.force_login(make_user(role, username=f"u-{role}"))
        assert client.get(URL).status_code == 403, role


def test_a_planner_sees_the_form_every_kind_and_its_template(kutim, client, make_user):
    client.force_login(make_user("planner"))
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for kind in ("speedtests", "signals", "surveys", "ookla", "mlab"):
        assert f'value="{kind}"' in html and f"/impor/template/{kind}.csv" in html
        assert f"/impor/panduan/{kind}/" in html
    assert 'enctype="multipart/form-data"' in html


def test_a_planner_uploads_a_file_and_sees_what_was_imported(kutim, client, make_user, tmp_path):
    from jangkau.measurements.models import ImportRun, SpeedTest

    planner = make_user("planner")
    client.force_login(planner)
    upload = csv_upload(tmp_path, [speedtest_row(test_id=str(i)) for i in range(3)])
    r = client.post(URL, {"kind": "speedtests", "file": upload, "crs": "", "values": ""})
    assert r.status_code == 302
    run = ImportRun.objects.get()
    assert r["Location"] == f"/impor/{run.pk}/"
    assert (run.state, run.user, run.created_count, run.rows) == ("done", planner, 3, 3)
    assert run.progress.state == "done" and run.recompute_progress is not None
    assert SpeedTest.objects.count() == 3
    assert not Path(run.stored_path).exists()  # the uploaded file is not kept
    html = client.get(r["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "tests.csv" in html and 'id="import-counts"' in html
    result = client.get(f"/impor/{run.pk}/hasil/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "hx-get" not in result.split(">")[0]  # finished: no more polling
    assert "<th>created</th><td>3</td>" in result.replace("\n", "").replace("  ", "")
    again = csv_upload(tmp_path, [speedtest_row(test_id=str(i)) for i in range(3)])
    client.post(URL, {"kind": "speedtests", "file": again})
    latest = ImportRun.objects.first()
    assert (latest.created_count, latest.unchanged_count) == (0, 3)


def test_a_rejected_upload_lists_every_problem_by_row_and_column(
    kutim, client, make_user, tmp_path
):
    from jangkau.measurements.models import ImportRun

    before = snapshot()
    client.force_login(make_user("planner"))
    rows = [
        speedtest_row(test_id="1", lat=SAMARINDA[0], lon=SAMARINDA[1]),
        speedtest_row(test_id="2", download_mbps="cepat"),
    ]
    r = client.post(URL, {"kind": "speedtests", "file": csv_upload(tmp_path, rows)})
    run = ImportRun.objects.get()
    assert (run.state, run.error_count) == ("rejected", 2)
    assert (run.progress.state, run.progress.message) == (
        "done",
        "rejected: 2 problem(s); nothing was written",
    )
    assert [(e["row"], e["field"]) for e in run.errors] == [(1, "lat/lon"), (2, "download_mbps")]
    html = client.get(r["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="import-errors"' in html
    assert "<td>1</td><td>lat/lon</td>" in html and "<td>2</td><td>download_mbps</td>" in html
    assert "outside the regency" in html
    after = snapshot()
    assert after["progress"] == before["progress"] + 1  # the upload's own progress row only
    assert {k: v for k, v in after.items() if k != "progress"} == {
        k: v for k, v in before.items() if k != "progress"
    }


def test_ookla_values_come_from_the_form(kutim, client, make_user, tmp_path):
    from jangkau.measurements.models import ImportRun, OoklaTile
    from jangkau.measurements.quadkey import lonlat_to_tile, tile_to_quadkey

    client.force_login(make_user("planner"))
    qk = tile_to_quadkey(*lonlat_to_tile(117.52, 0.512, 16), 16)
    rows = [{"quadkey": qk, "avg_d_kbps": 9000, "avg_u_kbps": 1000, "avg_lat_ms": 50,
             "tests": 3, "devices": 2}]  # fmt: skip
    values = "period=2024-10-01\nnetwork=mobile\n"
    client.post(URL, {"kind": "ookla", "file": csv_upload(tmp_path, rows), "values": values})
    assert ImportRun.objects.get().options == {"period": "2024-10-01", "network": "mobile"}
    assert OoklaTile.objects.get().quadkey == qk
    r = client.post(URL, {"kind": "ookla", "file": csv_upload(tmp_path, rows), "values": "x"})
    assert r.status_code == 400 and "Line 1 is not NAME=VALUE" in r.content.decode()


def test_oversize_uploads_are_refused_by_content_length_and_while_streaming(
    kutim, client, make_user, tmp_path, settings
):
    from jangkau.measurements.models import ImportRun

    client.force_login(make_user("planner"))
    settings.JANGKAU_MAX_UPLOAD_BYTES = 1000
    r = client.post(URL, {"kind": "speedtests"}, CONTENT_LENGTH=str(10**9))
    assert r.status_code == 413 and "above the limit of 1,000 bytes" in r.content.decode()
    rows = [speedtest_row(test_id=str(i)) for i in range(30)]  # ~4 kB: under the header check
    r = client.post(URL, {"kind": "speedtests", "file": csv_upload(tmp_path, rows)})
    assert r.status_code == 413 and "above the limit of 1,000 bytes" in r.content.decode()
    assert ImportRun.objects.count() == 0


def test_the_form_refuses_unknown_formats_and_checks_csrf(kutim, client, make_user, tmp_path):
    planner = make_user("planner")
    client.force_login(planner)
    upload = io.BytesIO(b"PK\x03\x04")
    upload.name = "data.xlsx"
    r = client.post(URL, {"kind": "speedtests", "file": upload})
    assert r.status_code == 400 and "Unsupported format" in r.content.decode()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(planner)
    r = strict.post(URL, {"kind": "speedtests", "file": csv_upload(tmp_path, [speedtest_row()])})
    assert r.status_code == 403


def test_templates_and_column_pages_are_public(kutim, client):
    r = client.get("/impor/template/surveys.csv")
    assert r.status_code == 200 and r["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="jangkau-surveys-template.csv"' in r["Content-Disposition"]
    text = r.content.decode("utf-8")
    assert text.startswith("\ufeffvillage_code,survey_kind,survey_date")
    html = client.get("/impor/panduan/surveys/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "R1005C" in html and "<code>phone_signal</code>" in html and "r1005c" in html
    assert client.get("/impor/template/towers.csv").status_code == 404
    assert client.get("/impor/panduan/towers/").status_code == 404


def test_the_result_page_is_for_importers_only(kutim, client, make_user, tmp_path):
    from jangkau.measurements.models import ImportRun

    client.force_login(make_user("planner"))
    client.post(URL, {"kind": "speedtests", "file": csv_upload(tmp_path, [speedtest_row()])})
    run = ImportRun.objects.get()
    client.logout()
    assert client.get(f"/impor/{run.pk}/").status_code == 403
    assert client.get(f"/impor/{run.pk}/hasil/").status_code == 403
    client.force_login(make_user("admin", username="boss"))
    assert client.get(f"/impor/{run.pk}/").status_code == 200
