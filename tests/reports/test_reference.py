"""Reference codes: short, from a safe alphabet, and the page that checks a report by its code."""

from __future__ import annotations

import pytest

from jangkau.reports.services import (
    REFERENCE_ALPHABET,
    is_reference,
    new_reference,
    normalise_reference,
)

pytestmark = pytest.mark.django_db


def test_reference_codes_are_8_characters_without_look_alikes():
    codes = {new_reference() for _ in range(2000)}
    assert len(codes) == 2000  # 31^8 codes: a collision here would mean a broken generator
    assert all(len(c) == 8 and set(c) <= set(REFERENCE_ALPHABET) for c in codes)
    assert not set("01OIL") & set(REFERENCE_ALPHABET)


def test_a_code_typed_in_lower_case_with_a_hyphen_is_understood():
    assert normalise_reference(" k7pm-3qxa ") == "K7PM3QXA"
    assert is_reference("K7PM3QXA") and not is_reference("K7PM3QX0") and not is_reference("K7PM")


def test_the_check_page_shows_the_state_and_the_decision_date(file_report, client, make_user):
    from jangkau.reports.services import decide

    report = file_report()
    page = client.get(f"/lapor/cek/{report.reference}/").content.decode()
    assert 'data-state="pending"' in page and "Desa Sandaran" in page and "Decided on" not in page
    assert "Good signal near the jetty." not in page and "0.944579" not in page
    decide(report, make_user("planner"), "approve")
    page = client.get(f"/lapor/cek/{report.reference}/").content.decode()
    assert 'data-state="approved"' in page and "Decided on" in page


def test_the_check_box_goes_to_the_report_and_explains_bad_codes(file_report, client):
    report = file_report()
    typed = report.reference.lower()[:4] + "-" + report.reference.lower()[4:]
    r = client.get("/lapor/cek/", {"kode": typed})
    assert r.status_code == 302 and r["Location"] == f"/lapor/cek/{report.reference}/"
    assert client.get(f"/lapor/cek/{report.reference.lower()}/").status_code == 302
    bad = client.get("/lapor/cek/", {"kode": "abc"})
    assert "A reference code has 8 letters and digits." in bad.content.decode()
    unknown = client.get("/lapor/cek/ZZZZZZZZ/")
    assert unknown.status_code == 404
    assert "There is no report with this code." in unknown.content.decode()


def test_the_answers_are_exactly_those_the_status_mapper_knows():
    from jangkau.cores.status.mappers import CITIZEN_ANSWERS
    from jangkau.reports.choices import ServiceAnswerChoices

    assert list(ServiceAnswerChoices.values) == list(CITIZEN_ANSWERS)
