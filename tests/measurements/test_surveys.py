"""Importer ``surveys``: Podes categories (labels or codes), statuses and quality."""

from __future__ import annotations

from datetime import date

import pytest

from jangkau.core.importing import InputFileError, run_import
from jangkau.measurements.importers.surveys import parse_internet_signal, parse_phone_signal
from tests.importing.files import KERAYAAN_CODE, SANGATTA_SELATAN_CODE, snapshot, write_dicts

pytestmark = pytest.mark.django_db


def survey(**overrides):
    row = {
        "village_code": SANGATTA_SELATAN_CODE,
        "survey_kind": "podes",
        "survey_date": "2024-05-01",
        "edition": "Podes 2024",
        "phone_signal": "Sinyal kuat",
        "internet_signal": "5G/4G/LTE",
        "bts_count": "3",
        "operator_count": "4",
    }
    row.update(overrides)
    return row


@pytest.mark.parametrize(
    ("text", "choice"),
    [
        ("Sinyal sangat kuat", "sangat_kuat"),
        ("  SINYAL   LEMAH ", "lemah"),
        ("tidak ada sinyal", "tidak_ada"),
        ("kuat", "kuat"),
    ],
)
def test_phone_signal_labels(text, choice):
    assert parse_phone_signal(text) == choice


@pytest.mark.parametrize(
    ("text", "choice"),
    [("5G/4G/LTE", "4g_5g"), ("4G / LTE", "4g_5g"), ("3G/H/H+/EVDO", "3g"), ("3", "2_5g"),
     ("4", "tidak_ada"), ("2.0", "3g"), ("Tidak ada sinyal internet", "tidak_ada")],
)  # fmt: skip
def test_internet_signal_labels_and_codes(text, choice):
    assert parse_internet_signal(text) == choice


def test_a_podes_record_is_official_and_a_field_survey_measured(kutim, tmp_path):
    from jangkau.evidence.models import Evidence
    from jangkau.measurements.models import VillageSurvey

    rows = [
        survey(),
        survey(village_code=KERAYAAN_CODE, survey_kind="field", survey_date="2025-02-10",
               edition="", phone_signal="Sinyal lemah", internet_signal="2", surveyor="Tim"),
    ]  # fmt: skip
    assert run_import("surveys", write_dicts(tmp_path / "s.csv", rows)).created == 2
    podes = VillageSurvey.objects.get(village__code=SANGATTA_SELATAN_CODE)
    assert (podes.phone_signal, podes.internet_signal, podes.bts_count) == ("kuat", "4g_5g", 3)
    assert (podes.quality, podes.source) == ("official", "BPS Potensi Desa (Podes) Podes 2024")
    evidence = Evidence.objects.get(key=podes.evidence_key)
    assert (evidence.kind, evidence.status, evidence.quality) == (
        "village_survey",
        "4g_good",
        "official",
    )
    assert evidence.as_of == date(2024, 5, 1) and evidence.as_of_label == "Podes 2024"
    assert evidence.detail["R1005C_phone_signal"] == "Sinyal kuat"
    field = VillageSurvey.objects.get(village__code=KERAYAAN_CODE)
    field_evidence = Evidence.objects.get(key=field.evidence_key)
    assert (field.quality, field_evidence.status) == ("measured", "2g_3g_only")


def test_bad_survey_rows_are_refused(kutim, tmp_path):
    before = snapshot()
    rows = [
        survey(phone_signal="Tidak ada sinyal", internet_signal="5G/4G/LTE"),
        survey(survey_date="2024-06-01", phone_signal="", internet_signal=""),
        survey(survey_date="2024-07-01", phone_signal="kencang"),
        survey(survey_date="2024-08-01", internet_signal="7"),
        survey(village_code="64.08.12.2999", survey_date="2024-09-01"),
        survey(survey_date="2024-10-01", bts_count="-1"),
        survey(),  # same village, kind and date as row 1
    ]
    with pytest.raises(InputFileError) as info:
        run_import("surveys", write_dicts(tmp_path / "bad.csv", rows))
    got = [(e.row, e.field) for e in info.value.errors]
    assert got == [
        (1, "internet_signal"),
        (2, "phone_signal/internet_signal"),
        (3, "phone_signal"),
        (4, "internet_signal"),
        (5, "village_code"),
        (6, "bts_count"),
    ]
    assert "contradictory" in info.value.errors[0].message
    assert snapshot() == before
    rows = [survey(), survey(bts_count="4")]
    with pytest.raises(InputFileError) as info:
        run_import("surveys", write_dicts(tmp_path / "dup.csv", rows))
    assert [(e.row, e.field) for e in info.value.errors] == [
        (2, "survey_kind/village_code/survey_date")
    ]
