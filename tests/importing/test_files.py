"""Reading files: encodings, delimiters, truncation, size and format are reported up front."""

from __future__ import annotations

import pytest

from jangkau.core.importing import InputFileError, run_import
from tests.importing.files import snapshot, speedtest_row, write_dicts

pytestmark = pytest.mark.django_db


def problems(path, **kwargs):
    with pytest.raises(InputFileError) as info:
        run_import("speedtests", path, **kwargs)
    return [(e.row, e.field, e.message) for e in info.value.errors]


def test_a_wrong_encoding_is_reported_with_its_byte_offset(kutim, tmp_path):
    before = snapshot()
    path = write_dicts(
        tmp_path / "latin1.csv",
        [speedtest_row(test_id="a"), speedtest_row(test_id="b", note="café en face")],
        encoding="cp1252",
    )
    data = path.read_bytes()
    offset = data.index(b"caf\xe9") + 3
    [(row, field, message)] = problems(path)
    assert (row, field) == (2, "")
    assert f"byte {offset:,} (0xe9)" in message and "UTF-8" in message
    assert snapshot() == before


def test_a_utf8_file_with_a_byte_order_mark_and_semicolons_is_read(kutim, tmp_path):
    path = write_dicts(tmp_path / "excel.csv", [speedtest_row(note="kafé")], sep=";")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = run_import("speedtests", path)
    assert (result.rows, result.created) == (1, 1)


def test_utf16_is_refused_with_a_hint(kutim, tmp_path):
    path = tmp_path / "utf16.csv"
    path.write_bytes("measured_at,lat\n".encode("utf-16"))
    assert problems(path) == [(0, "", "the file is UTF-16 text; save it as UTF-8 CSV")]


def test_a_truncated_last_row_is_reported_by_row(kutim, tmp_path):
    before = snapshot()
    path = write_dicts(tmp_path / "cut.csv", [speedtest_row(test_id=str(i)) for i in range(3)])
    text = path.read_text()
    path.write_text(text[: text.rindex("\n", 0, len(text) - 1) + 30])
    [(row, field, message)] = problems(path)
    assert (row, field) == (3, "") and "truncated row?" in message
    assert snapshot() == before


def test_a_file_cut_inside_quotes_is_malformed(kutim, tmp_path):
    path = write_dicts(tmp_path / "quote.csv", [speedtest_row(note="di, depan kantor")])
    text = path.read_text()
    path.write_text(text[: text.index('"di, depan') + 5])
    [(row, field, message)] = problems(path)
    assert (row, field) == (1, "") and "malformed CSV" in message


def test_files_above_the_limit_are_refused_before_reading(kutim, tmp_path, settings):
    path = write_dicts(tmp_path / "big.csv", [speedtest_row()])
    settings.JANGKAU_MAX_UPLOAD_BYTES = 100
    [(row, field, message)] = problems(path)
    assert row == 0 and "above the limit of 100 bytes" in message
    assert run_import("speedtests", path, max_bytes=0).created == 1  # 0: no limit


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("empty.csv", b"", "the file is empty"),
        ("blank.csv", b"\n\n", "the file has no header row"),
        ("header.csv", b"measured_at,lat,lon,download_mbps,tool\n", "the file has no data rows"),
        ("data.xlsx", b"PK\x03\x04", "unsupported format '.xlsx'"),
        ("cut.geojson", b'{"type": "FeatureCollection", "features": [{"ty', "cannot read"),
        ("cut.parquet", b"PAR1\x00\x00", "cannot read the file as Parquet"),
    ],
)
def test_unreadable_files_are_refused_with_one_reason(kutim, tmp_path, name, content, fragment):
    path = tmp_path / name
    path.write_bytes(content)
    [(row, _field, message)] = problems(path)
    assert row == 0 and fragment in message


def test_a_missing_file_is_reported(kutim, tmp_path):
    assert problems(tmp_path / "nope.csv") == [(0, "", "file not found: nope.csv")]
