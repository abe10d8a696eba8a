"""Load the shipped prior evidence: the 2021–22 blank-spot village list."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from django.db import transaction

from jangkau.core.choices import QualityChoices
from jangkau.core.upsert import save_if_changed
from jangkau.evidence.choices import ConnectivityStatusChoices, EvidenceKindChoices
from jangkau.evidence.models import Evidence
from jangkau.regions.io.errors import InputFileError, RowError
from jangkau.regions.models import Village

#: the list's own wording is "c. 2021 - early 2022"; we date it at the end of the range it
#: names, since that is the latest the list can describe.
BLANKSPOT_DATE = dt.date(2022, 1, 31)
BLANKSPOT_SOURCE = "Diskominfo Perstik Kutai Timur blank-spot survey, as reported in the news"


def load_blankspots(path: Path) -> tuple[int, int]:
    """Load the blank-spot list as ``prior_list`` evidence; return (created, unchanged)."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    villages = {v.code: v for v in Village.objects.filter(code__in=[r["kode"] for r in rows])}
    errors = [
        RowError(i, "kode", f"village code {r['kode']!r} does not exist")
        for i, r in enumerate(rows, start=1)
        if r["kode"] not in villages
    ]
    if errors:
        raise InputFileError(errors)
    created = unchanged = 0
    with transaction.atomic():
        for r in rows:
            values = {
                "village": villages[r["kode"]],
                "kind": EvidenceKindChoices.PRIOR_LIST,
                "operator": "",
                "status": ConnectivityStatusChoices.NO_SIGNAL,
                "source": BLANKSPOT_SOURCE,
                "source_url": r["source_urls"],
                "as_of": BLANKSPOT_DATE,
                "as_of_label": r["as_of"],
                "quality": QualityChoices.OFFICIAL,
                "detail": {
                    "status_in_source": r["status"],
                    "name_in_source": r["nama_dalam_sumber"],
                    "match_note": r["match_note"],
                },
                "note": (
                    "List from before the 2022 programme (Kominfo 3435 non-3T built or upgraded "
                    "52 sites in Kutim by June 2023): a prior, not current status."
                ),
            }
            obj, was_created = Evidence.objects.get_or_create(
                key=f"blankspot-2021-2022:{r['kode']}", defaults=values
            )
            if was_created:
                created += 1
                continue
            if not save_if_changed(obj, values):
                unchanged += 1
    return created, unchanged
