"""Public pages, the API's formats, languages and rate limits."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/desa/",
        "/desa/64.08.11.2007/",
        "/kecamatan/",
        "/kecamatan/64.08.11/",
        "/tentang-data/",
        "/api/docs",
        "/accounts/login/",
    ],
)
def test_public_pages_render_without_login(kutim, client, url):
    assert client.get(url).status_code == 200


def test_the_village_page_shows_every_figure_with_its_quality(kutim, client):
    html = client.get("/desa/64.08.11.2007/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Tanjung Mangkaliat" in html and "64.08.11.2007" in html
    assert "estimasi" in html  # the population is an estimate and says so
    assert "jejakkhatulistiwa" in html  # the blank-spot evidence names its source
    assert "Tidak ada sinyal" in html or "tidak ada sinyal" in html


def test_indonesian_is_the_default_and_english_is_one_switch_away(kutim, client, settings):
    import jangkau.settings as product_settings

    assert product_settings.LANGUAGE_CODE == "id"
    settings.LANGUAGE_CODE = product_settings.LANGUAGE_CODE  # the suite itself runs in English
    html = client.get("/").content.decode()
    assert 'lang="id"' in html and "Tentang data" in html
    r = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert r.status_code == 302
    html = client.get("/").content.decode()
    assert 'lang="en"' in html and "About the data" in html


def test_the_about_page_lists_every_source_and_licence(kutim, client):
    html = client.get("/tentang-data/").content.decode()
    for needle in [
        "cahyadsn/wilayah",
        "wilayah_boundaries",
        "BPS",
        "BIG",
        "Kepmendagri",
        "pvlib",
        "MIT License",
        "viralkaltim.com",
    ]:
        assert needle in html, needle


def test_village_list_filters_by_kecamatan_status_and_search(kutim, client):
    r = client.get("/api/regions/villages", {"kecamatan": "64.08.11", "limit": 500})
    assert r.json()["count"] == 9
    r = client.get("/api/regions/villages", {"status": "no_signal", "limit": 500})
    assert r.json()["count"] == 37
    r = client.get("/api/regions/villages", {"status": "unknown", "limit": 500})
    assert r.json()["count"] == 104
    r = client.get("/api/regions/villages", {"q": "Mangkal"})
    assert [v["code"] for v in r.json()["results"]] == ["64.08.11.2007"]
    html = client.get("/desa/", {"kecamatan": "64.08.11"}, HTTP_HX_REQUEST="true").content.decode()
    assert html.count("/desa/64.08.11.") == 9 and "<html" not in html


def test_api_lists_are_paginated_with_a_maximum(kutim, client):
    body = client.get("/api/regions/villages", {"limit": 10000}).json()
    assert body["limit"] == 500 and body["count"] == 141 and body["next"] is None
    body = client.get("/api/regions/villages", {"limit": 50, "offset": 50}).json()
    assert len(body["results"]) == 50 and body["previous"] and body["next"]


def test_api_errors_share_one_format(kutim, client):
    for url, status in [
        ("/api/regions/villages/64.08.99.9999", 404),
        ("/api/regions/villages?status=bogus", 422),
        ("/api/regions/villages?limit=abc", 422),
    ]:
        r = client.get(url)
        assert r.status_code == status
        error = r.json()["error"]
        assert set(error) == {"code", "message", "details"}


def test_the_api_village_detail_carries_provenance(kutim, client):
    body = client.get("/api/regions/villages/64.08.11.2007").json()
    assert body["population"]["quality"] == "estimated"
    assert body["population"]["method"]
    assert body["status"]["status"] == "no_signal"
    assert body["status"]["as_of"] == "2022-01-31"
    assert body["remoteness"]["class"] == 4


def test_public_api_is_rate_limited_per_client(kutim, client, settings):
    settings.JANGKAU_RATELIMIT_API_PER_MINUTE = 3
    codes = [client.get("/api/regions/kecamatan").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    r = client.get("/api/regions/kecamatan")
    assert r.json()["error"]["code"] == "rate_limited" and int(r["Retry-After"]) > 0
    other = client.get("/api/regions/kecamatan", REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200


def test_task_progress_partial_polls_until_done(kutim, client):
    from jangkau.core.models import TaskProgress

    p = TaskProgress.objects.create(label="Test job", total=10, done=3, state="running")
    html = client.get(f"/tugas/{p.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in html and 'value="30"' in html
    p.finish("ok")
    html = client.get(f"/tugas/{p.pk}/").content.decode()
    assert "hx-trigger" not in html
