"""A large file streams: memory stays far below the file's size in both passes."""

from __future__ import annotations

import tracemalloc

import pytest

from jangkau.core.importing import run_import
from tests.importing.files import SANGATTA_SELATAN

pytestmark = pytest.mark.django_db

TARGET_BYTES = 20 * 1024 * 1024


def write_big_csv(path, target_bytes: int) -> int:
    """Speed tests with long field notes, distinct ids, until the file reaches the target."""
    note = "catatan lapangan " * 110  # ~1,870 characters (the column allows 2,000)
    header = "measured_at,lat,lon,download_mbps,operator,technology,tool,test_id,note\n"
    rows = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(header)
        size = len(header)
        while size < target_bytes:
            line = (
                f"2025-03-14T10:{rows % 60:02d}:00+08:00,{SANGATTA_SELATAN[0]},"
                f"{SANGATTA_SELATAN[1]},{5 + rows % 20},telkomsel,4g,field_team,t{rows},{note}\n"
            )
            out.write(line)
            size += len(line)
            rows += 1
    return rows


def test_a_20_mb_file_is_imported_with_memory_far_below_its_size(kutim, tmp_path):
    path = tmp_path / "big.csv"
    rows = write_big_csv(path, TARGET_BYTES)
    size = path.stat().st_size
    peaks = {}

    def progress(done, total, message):
        # The closing report of the write step comes after the transaction and before the
        # status recomputation is queued: it holds the peak of both import passes.
        if message.startswith("step 2") and done == total:
            peaks["import"] = tracemalloc.get_traced_memory()[1]

    tracemalloc.start()
    try:
        result = run_import("speedtests", path, progress=progress, max_bytes=0)
    finally:
        tracemalloc.stop()
    assert result.created == rows
    print(f"{size / 1e6:.1f} MB, {rows} rows, peak {peaks['import'] / 1e6:.2f} MB")
    assert peaks["import"] < size / 5
