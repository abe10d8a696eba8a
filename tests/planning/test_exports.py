"""Exports of a plan parse back; the printable report is Indonesian, with quality words."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from jangkau.planning import exports
from jangkau.planning.tasks import enqueue_pdf

from .i18n import fragment_locale, parse_po

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer(client, make_user):
    client.force_login(make_user("viewer"))


@pytest.fixture
def indonesian(settings, tmp_path):
    """The planning translations available (from the fragment until it is merged)."""
    extra = fragment_locale(tmp_path / "locale")
    if extra is not None:
        settings.LOCALE_PATHS = [extra, *settings.LOCALE_PATHS]


def test_csv_parses_back_one_row_per_village(client, viewer, solved):
    result = solved.latest_result()
    response = client.get(f"/rencana/hasil/{result.pk}/rencana.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert f"rencana-{solved.pk}-{result.pk}.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 141 and tuple(rows[0]) == exports.CSV_COLUMNS
    served = [r for r in rows if r["outcome"] == "served"]
    assert sum(int(r["people_served"]) for r in served) == result.people_served
    assert all(r["year"] in ("2026", "2027") and r["people_quality"] == "estimated" for r in served)
    assert all(
        r["cost_quality"] and r["cost_includes_assumption"] in ("true", "false") for r in served
    )
    assert all(r["explanation"] for r in rows)


def test_geojson_parses_back(client, viewer, solved):
    result = solved.latest_result()
    body = json.loads(client.get(f"/rencana/hasil/{result.pk}/rencana.geojson").content)
    assert body["type"] == "FeatureCollection" and body["properties"]["quality"] == "estimated"
    villages = [f for f in body["features"] if f["properties"]["feature"] == "village"]
    sites = [f for f in body["features"] if f["properties"]["feature"] == "site"]
    assert len(villages) == result.items.filter(reason="served").count()
    assert {f["geometry"]["type"] for f in villages} <= {"Polygon", "MultiPolygon"}
    assert all(f["properties"]["year"] in (2026, 2027) for f in villages)
    assert len(sites) == len([i for i in result.built_items if i["type"] == "access"])
    assert all(f["geometry"]["type"] == "Point" for f in sites)
    layer = client.get(f"/rencana/hasil/{result.pk}/peta.geojson")
    assert layer["Content-Type"] == "application/geo+json"
    assert json.loads(layer.content) == body


def test_xlsx_parses_back(client, viewer, solved):
    result = solved.latest_result()
    response = client.get(f"/rencana/hasil/{result.pk}/rencana.xlsx")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == [
        "Summary",
        "Villages",
        "Per year",
        "Per kecamatan",
        "Cost curve",
        "Costs and sources",
    ]
    villages = list(book["Villages"].iter_rows(values_only=True))
    assert villages[0] == exports.CSV_COLUMNS and len(villages) == 142
    years = list(book["Per year"].iter_rows(values_only=True))
    assert [r[0] for r in years[1:]] == [2026, 2027]
    assert sum(r[1] for r in years[1:]) == result.people_served
    costs = {r[0]: r for r in book["Costs and sources"].iter_rows(min_row=2, values_only=True)}
    assert costs["new_4g_site"][2] == 2_600_000_000 and costs["new_4g_site"][5] == "yes"
    curve = list(book["Cost curve"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in curve] == [0.5, 1.0]


def test_the_report_is_in_indonesian_with_the_quality_words(client, viewer, solved, indonesian):
    result = solved.latest_result()
    html = client.get(f"/rencana/hasil/{result.pk}/laporan/").content.decode()
    assert '<html lang="id">' in html
    assert "Peta Jalan Konektivitas Desa" in html and "Desa dan alasannya" in html
    assert "estimasi" in html  # people are estimates
    assert "asumsi" in html and "resmi" in html  # costs: assumption flags and qualities
    assert "miliar" in html and "jiwa" in html
    assert "melayani" in html  # the explanations too
    assert "@page { size: A4" in html and "<svg" in html and "<script" not in html
    english = client.get(f"/rencana/hasil/{result.pk}/laporan/?lang=en").content.decode()
    assert "Village connectivity roadmap" in english and '<html lang="en">' in english


def test_the_fragment_covers_every_report_heading():
    from .i18n import FRAGMENT

    if not FRAGMENT.exists():
        pytest.skip("the fragment has been merged into the project catalogue")
    entries = parse_po(FRAGMENT.read_text(encoding="utf-8"))
    for heading in ("Village connectivity roadmap", "Villages and the reasons", "Method"):
        assert entries.get(heading)


@pytest.mark.skipif(exports.chromium_path() is None, reason="Chromium is not installed")
def test_the_pdf_is_printed_by_headless_chromium(client, make_user, solved, data_dir):
    client.force_login(make_user("planner"))
    result = solved.latest_result()
    response = client.post(f"/rencana/hasil/{result.pk}/laporan.pdf")
    assert response.status_code == 302
    result.refresh_from_db()
    assert result.pdf_progress.state == "done", result.pdf_progress.message
    assert result.pdf_path.startswith("planning/reports/")
    pdf = client.get(f"/rencana/hasil/{result.pk}/laporan.pdf")
    content = b"".join(pdf.streaming_content)
    assert content.startswith(b"%PDF") and len(content) > 10_000
    page = client.get(f"/rencana/{solved.pk}/").content.decode()
    assert 'id="pdf-download"' in page
    assert client.get(f"/api/planning/scenarios/{solved.pk}/exports").json()["report_pdf"]


def test_a_failed_print_is_reported(solved, data_dir, monkeypatch):
    monkeypatch.setattr(exports, "chromium_path", lambda: "/bin/false")
    result = solved.latest_result()
    progress = enqueue_pdf(result)
    progress.refresh_from_db()
    assert progress.state == "failed" and "Chromium could not print" in progress.message
    result.refresh_from_db()
    assert result.pdf_path == ""
