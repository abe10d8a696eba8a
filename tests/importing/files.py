"""Helpers shared by the import tests: write small files, snapshot the database."""

from __future__ import annotations

import csv
import io
from pathlib import Path

#: a point in desa Sangatta Selatan (64.08.12.2001), near the regency seat.
SANGATTA_SELATAN = (0.5120, 117.5200)
#: a point in the Makassar Strait, ~30 km off the coast (outside the regency).
AT_SEA = (0.55, 118.35)
#: Samarinda, the provincial capital (outside the regency).
SAMARINDA = (-0.5022, 117.1536)


def write_csv(
    path: Path, header: list[str], rows: list[list], *, encoding="utf-8", sep=","
) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def write_dicts(path: Path, rows: list[dict], **kwargs) -> Path:
    header = list(dict.fromkeys(k for row in rows for k in row))
    return write_csv(path, header, [[row.get(h) for h in header] for row in rows], **kwargs)


def speedtest_row(**overrides) -> dict:
    row = {
        "measured_at": "2025-03-14T10:20:00+08:00",
        "lat": SANGATTA_SELATAN[0],
        "lon": SANGATTA_SELATAN[1],
        "download_mbps": "12.4",
        "upload_mbps": "3.1",
        "latency_ms": "48",
        "operator": "telkomsel",
        "technology": "4g",
        "tool": "ookla_app",
        "test_id": "t-1",
    }
    row.update(overrides)
    return row


def snapshot() -> dict:
    """Everything an import may touch, as comparable values."""
    from jangkau.core.models import TaskProgress
    from jangkau.evidence.models import Evidence, VillageStatus, VillageStatusChange
    from jangkau.measurements.models import OoklaTile, SignalReading, SpeedTest, VillageSurvey

    def rows(model, *fields):
        return sorted(model.objects.values_list(*fields))

    return {
        "speedtests": rows(SpeedTest, "key", "download_mbps", "village_id", "measured_at"),
        "signals": rows(SignalReading, "key", "rsrp_dbm", "village_id"),
        "surveys": rows(VillageSurvey, "key", "phone_signal", "internet_signal"),
        "ookla": rows(OoklaTile, "key", "avg_d_kbps", "village_id"),
        "evidence": rows(Evidence, "key", "status", "village_id", "as_of"),
        "statuses": rows(VillageStatus, "village_id", "operator", "status", "confidence"),
        "changes": VillageStatusChange.objects.count(),
        "progress": TaskProgress.objects.count(),
    }


SANGATTA_SELATAN_CODE = "64.08.12.2001"
#: a point in desa Kerayaan (64.08.05.2001), on the regency's 2021-22 blank-spot list.
KERAYAAN = (1.089534, 118.207402)
KERAYAAN_CODE = "64.08.05.2001"
#: just outside every village boundary but within 0.02° of the regency; nearest: 64.08.16.2002.
NEAR_EDGE = (1.4653, 117.8556)
NEAR_EDGE_NEAREST = "64.08.16.2002"
