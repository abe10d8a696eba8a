"""Importer ``surveys``: one village's Podes telecommunication answers per row."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from jangkau.core.importing import Column, ImportSpec, RowError, WriteStats, register
from jangkau.cores.status import status_from_podes
from jangkau.measurements.choices import (
    INTERNET_SIGNAL_PODES,
    PHONE_SIGNAL_PODES,
    SurveyKindChoices,
)
from jangkau.measurements.importers.common import (
    Prepared,
    evidence_values,
    write_prepared,
)
from jangkau.measurements.models import VillageSurvey

SOURCES = {
    "podes": "BPS Potensi Desa (Podes)",
    "field": "Diskominfo field survey in the Podes categories",
}


def _norm(text: str) -> str:
    text = re.sub(r"\s+", " ", str(text).strip().lower())
    return re.sub(r"\s*/\s*", "/", text).replace("_", " ")


#: accepted spellings of R1005C -> choice (the Podes wording, the code, English words).
PHONE_INPUT: dict[str, str] = {}
for _code, _wording in PHONE_SIGNAL_PODES.items():
    PHONE_INPUT[_norm(_code)] = _code
    PHONE_INPUT[_norm(_wording)] = _code
    PHONE_INPUT[_norm(_wording).removeprefix("sinyal ")] = _code
PHONE_INPUT.update({"very strong": "sangat_kuat", "strong": "kuat", "weak": "lemah"})
PHONE_INPUT.update({"none": "tidak_ada", "no signal": "tidak_ada"})

#: accepted spellings of R1005D -> choice (the Podes wording, its code 1-4, the older 4G/LTE).
INTERNET_INPUT: dict[str, str] = {}
for _code, (_wording, _number) in INTERNET_SIGNAL_PODES.items():
    INTERNET_INPUT[_norm(_code)] = _code
    INTERNET_INPUT[_norm(_wording)] = _code
    INTERNET_INPUT[str(_number)] = _code
INTERNET_INPUT.update({"4g/lte": "4g_5g", "tidak ada": "tidak_ada", "none": "tidak_ada"})


def parse_phone_signal(text) -> str:
    """The :class:`PhoneSignalChoices` value of an R1005C answer, else ValueError."""
    key = _norm(text)
    if key not in PHONE_INPUT:
        raise ValueError(
            _g("'%(value)s' is not a Podes R1005C answer (%(choices)s)")
            % {"value": text, "choices": ", ".join(PHONE_SIGNAL_PODES.values())}
        )
    return PHONE_INPUT[key]


def parse_internet_signal(text) -> str:
    """The :class:`InternetSignalChoices` value of an R1005D answer or code 1-4, else
    ValueError."""
    key = _norm(text)
    if key.endswith(".0") and key[:-2].isdigit():
        key = key[:-2]
    if key not in INTERNET_INPUT:
        choices = ", ".join(f"{n} {w}" for w, n in INTERNET_SIGNAL_PODES.values())
        raise ValueError(
            _g("'%(value)s' is not a Podes R1005D answer (%(choices)s)")
            % {"value": text, "choices": choices}
        )
    return INTERNET_INPUT[key]


def survey_status(phone: str | None, internet: str | None) -> str:
    """The status of a survey through :func:`~jangkau.cores.status.status_from_podes`."""
    return status_from_podes(
        PHONE_SIGNAL_PODES[phone] if phone else None,
        INTERNET_SIGNAL_PODES[internet][0] if internet else None,
    ).value


def check_survey(row: dict, ctx) -> list[RowError]:
    errors = []
    answers = {}
    for name, parse in (
        ("phone_signal", parse_phone_signal),
        ("internet_signal", parse_internet_signal),
    ):
        if row[name] is None:
            answers[name] = None
            continue
        try:
            answers[name] = parse(row[name])
        except ValueError as exc:
            errors.append(RowError(row["_row"], name, str(exc)))
    if errors:
        return errors
    if answers["phone_signal"] is None and answers["internet_signal"] is None:
        return [
            RowError(
                row["_row"],
                "phone_signal/internet_signal",
                _g("give the phone signal (R1005C), the internet signal (R1005D) or both"),
            )
        ]
    if answers["phone_signal"] == "tidak_ada" and answers["internet_signal"] not in (
        None,
        "tidak_ada",
    ):
        return [
            RowError(
                row["_row"],
                "internet_signal",
                _g("contradictory answers: no phone signal but a mobile internet signal"),
            )
        ]
    return []


def survey_key(row: dict) -> str:
    return f"{row['survey_kind']}:{row['village_code']}:{row['survey_date'].isoformat()}"


def write_surveys(rows: list[dict], ctx) -> WriteStats:
    items = []
    for row in rows:
        phone = parse_phone_signal(row["phone_signal"]) if row["phone_signal"] else ""
        internet = parse_internet_signal(row["internet_signal"]) if row["internet_signal"] else ""
        kind = row["survey_kind"]
        quality = "official" if kind == SurveyKindChoices.PODES else "measured"
        source = row["source"] or " ".join(filter(None, [SOURCES[kind], row["edition"]]))
        values = {
            "village": row["village"],
            "survey_kind": kind,
            "edition": row["edition"] or "",
            "survey_date": row["survey_date"],
            "surveyor": row["surveyor"] or "",
            "phone_signal": phone,
            "internet_signal": internet,
            "bts_count": row["bts_count"],
            "operator_count": row["operator_count"],
            "note": row["note"] or "",
            "source": source,
            "source_url": row["source_url"] or "",
            "as_of": row["survey_date"],
            "as_of_label": row["edition"] or "",
            "quality": quality,
        }
        detail = {
            "R1005A_bts": row["bts_count"],
            "R1005B_operators": row["operator_count"],
            "R1005C_phone_signal": PHONE_SIGNAL_PODES.get(phone),
            "R1005D_internet_signal": INTERNET_SIGNAL_PODES[internet][0] if internet else None,
            "survey": kind,
            "edition": row["edition"] or "",
        }
        evidence = evidence_values(
            village=row["village"],
            kind="village_survey",
            status=survey_status(phone or None, internet or None),
            as_of=row["survey_date"],
            as_of_label=row["edition"] or "",
            source=source,
            source_url=row["source_url"] or "",
            quality=quality,
            detail=detail,
        )
        items.append(Prepared(survey_key(row), values, evidence))
    return write_prepared(VillageSurvey, items)


COLUMNS = (
    Column("village_code", "village_code", aliases=("kode_desa", "kode", "kode_wilayah"),
           help=_("the desa's Kemendagri code"), example="64.08.04.2001"),
    Column("survey_kind", "choice", choices=tuple(SurveyKindChoices.values),
           aliases=("survey", "jenis_survei"),
           help=_("podes for BPS Podes records (official), field for a survey of your own"),
           example="field"),
    Column("survey_date", "date", aliases=("tanggal", "tanggal_survei"),
           help=_("the date of the answers (for Podes, the enumeration date)"),
           example="2025-02-10"),
    Column("edition", "str", required=False, max_length=40, aliases=("edisi",),
           help=_("e.g. Podes 2024"), example=""),
    Column("phone_signal", "str", required=False, max_length=60,
           aliases=("r1005c", "904c", "sinyal_telepon"),
           help=_("R1005C: Sinyal sangat kuat, Sinyal kuat, Sinyal lemah or Tidak ada sinyal"),
           example="Sinyal lemah"),
    Column("internet_signal", "str", required=False, max_length=60,
           aliases=("r1005d", "904d", "sinyal_internet"),
           help=_("R1005D: 5G/4G/LTE, 3G/H/H+/EVDO, 2.5G/E/GPRS or Tidak ada sinyal internet "
                  "(or the code 1-4)"),
           example="3G/H/H+/EVDO"),
    Column("bts_count", "int", required=False, min=0, max=500,
           aliases=("r1005a", "904a", "jumlah_bts"),
           help=_("R1005A: number of BTS towers in the village"), example="1"),
    Column("operator_count", "int", required=False, min=0, max=20,
           aliases=("r1005b", "904b", "jumlah_operator"),
           help=_("R1005B: number of mobile operators reaching the village"), example="2"),
    Column("surveyor", "str", required=False, max_length=120, aliases=("petugas", "enumerator"),
           help=_("who answered or asked"), example="Tim Diskominfo"),
    Column("source", "str", required=False, max_length=300, aliases=("sumber",),
           help=_("by default BPS Podes or the field survey"), example=""),
    Column("source_url", "str", required=False, max_length=2000, help=_("link to the source"),
           example=""),
    Column("note", "str", required=False, max_length=2000, aliases=("catatan",),
           help=_("notes"), example=""),
)  # fmt: skip

SPEC = register(
    ImportSpec(
        kind="surveys",
        title=_("Village surveys (Podes categories)"),
        description=_(
            "One village per row with the Podes telecommunication items: phone signal "
            "(R1005C), mobile internet signal (R1005D), BTS towers (R1005A) and operators "
            "(R1005B)."
        ),
        columns=COLUMNS,
        geometry="none",
        natural_key=survey_key,
        write_batch=write_surveys,
        check_row=check_survey,
        key_columns=("survey_kind", "village_code", "survey_date"),
        example_rows=(
            {
                "village_code": "64.08.04.2001",
                "survey_kind": "field",
                "survey_date": "2025-02-10",
                "phone_signal": "Sinyal lemah",
                "internet_signal": "3G/H/H+/EVDO",
                "bts_count": "1",
                "operator_count": "2",
                "surveyor": "Tim Diskominfo",
            },
            {
                "village_code": "64.08.11.2007",
                "survey_kind": "podes",
                "survey_date": "2024-05-01",
                "edition": "Podes 2024",
                "phone_signal": "Tidak ada sinyal",
                "internet_signal": "4",
                "bts_count": "0",
                "operator_count": "0",
            },
        ),
    )
)
