"""Fixtures of the citizen report tests: English pages, a ready form payload, filed reports."""

from __future__ import annotations

import pytest

#: Desa Sandaran (Kecamatan Sandaran): on the 2021-22 blank-spot list, so "no signal" until now.
SANDARAN = "64.08.11.2001"
#: its centroid as loaded from the shipped boundaries (it lies inside the village).
SANDARAN_LAT, SANDARAN_LON = 0.944579, 118.782619
#: Tanjung Redeb, the seat of the neighbouring Kabupaten Berau: outside Kutai Timur.
BERAU_LAT, BERAU_LON = 2.1526, 117.4946


@pytest.fixture
def client():
    """A browser that asks for English, so the tests read the source strings.

    The interface is Indonesian first; the Indonesian strings live in the translation catalogue,
    which these tests do not depend on.
    """
    from django.test import Client

    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def payload():
    """A valid report from Desa Sandaran, as the form posts it."""
    return {
        "latitude": str(SANDARAN_LAT),
        "longitude": str(SANDARAN_LON),
        "location_method": "map",
        "operator": "telkomsel",
        "answer": "good_internet",
        "download_mbps": "23.5",
        "upload_mbps": "8",
        "latency_ms": "41",
        "note": "Good signal near the jetty.",
        "website": "",
    }


@pytest.fixture
def file_report(kutim, payload):
    """File a report through the form and the service (as the web form does); return it."""
    from jangkau.reports.forms import CitizenReportForm
    from jangkau.reports.services import file_report as file

    def make(address: str = "10.9.8.7", **changes):
        form = CitizenReportForm(data={**payload, **changes})
        assert form.is_valid(), form.errors
        return file(form, address=address, channel="web").report

    return make
