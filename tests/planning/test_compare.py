"""Two scenarios side by side: totals per year and the villages planned differently."""

from __future__ import annotations

import pytest

from jangkau.planning.services import compare
from jangkau.planning.tasks import enqueue_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_plans(make_scenario):
    small = make_scenario(name="Hemat", budgets=[3_000_000_000, 3_000_000_000])
    large = make_scenario(name="Luas", budgets=[9_000_000_000, 9_000_000_000])
    enqueue_run(small)
    enqueue_run(large)
    return small, large


def test_the_comparison_lists_totals_per_year_and_villages_that_differ(two_plans):
    small, large = two_plans
    out = compare(small, large)
    ra, rb = small.latest_result(), large.latest_result()
    assert [row["year"] for row in out["years"]] == [2026, 2027]
    assert sum(row["people_a"] for row in out["years"]) == ra.people_served
    assert sum(row["people_b"] for row in out["years"]) == rb.people_served
    assert out["totals"]["people_b"] > out["totals"]["people_a"]
    differing = {row["village"].code for row in out["villages"]}
    items_a = {i.village.code: i for i in ra.items.all()}
    items_b = {i.village.code: i for i in rb.items.all()}
    expected = {
        code
        for code in items_a
        if (items_a[code].reason, items_a[code].year, items_a[code].kind)
        != (items_b[code].reason, items_b[code].year, items_b[code].kind)
    }
    assert expected and expected <= differing


def test_the_comparison_page(client, make_user, two_plans):
    small, large = two_plans
    client.force_login(make_user("viewer"))
    page = client.get(f"/rencana/bandingkan/?a={small.pk}&b={large.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="compare-totals"' in html and 'id="compare-villages"' in html
    assert "Hemat" in html and "Luas" in html
    assert html.count('<tr data-year="') == 2


def test_comparing_with_an_unsolved_scenario_says_so(client, make_user, make_scenario):
    a, b = make_scenario(name="A"), make_scenario(name="B")
    client.force_login(make_user("viewer"))
    html = client.get(f"/rencana/bandingkan/?a={a.pk}&b={b.pk}").content.decode()
    assert 'id="compare-missing"' in html
    assert client.get("/rencana/bandingkan/?a=x&b=1").status_code == 404
