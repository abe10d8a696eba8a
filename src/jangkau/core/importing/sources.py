"""Read an import file record by record, without loading it into memory.

- CSV: the standard library's ``csv`` over the file's lines, decoded as UTF-8 one line at a
  time, so a wrong encoding is reported with its byte offset. Comma, semicolon or tab, chosen
  from the header line.
- GeoJSON / GeoPackage: pyogrio, ``skip_features``/``max_features`` batches; geometries
  reprojected from the file's CRS (or the one given) to EPSG:4326.
- Parquet: pyarrow, record batches of the needed columns only.

Every source can be read more than once (the importer validates in a first pass and writes in a
second). ``row`` numbers are 1-based data rows (the CSV header is row 0) or feature numbers.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyogrio
import pyogrio.errors
import shapely
from django.utils.translation import gettext as _
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError
from shapely.geometry.base import BaseGeometry

from jangkau.regions.io.errors import InputFileError, RowError

CSV_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
VECTOR_SUFFIXES = frozenset({".geojson", ".json", ".gpkg"})
PARQUET_SUFFIXES = frozenset({".parquet", ".pq"})
SUFFIXES = CSV_SUFFIXES | VECTOR_SUFFIXES | PARQUET_SUFFIXES

#: features read from a vector file per batch.
VECTOR_BATCH = 5000
#: rows read from a Parquet file per batch.
PARQUET_BATCH = 20000


@dataclass
class Record:
    """One data row or feature as read: raw values by the file's column names."""

    row: int
    values: dict[str, Any]
    geometry: BaseGeometry | None = None
    problem: RowError | None = None


class ReadStopped(Exception):
    """The file cannot be read any further (wrong encoding, malformed CSV, corrupt data)."""

    def __init__(self, error: RowError):
        super().__init__(str(error))
        self.error = error


def file_error(message: str, field: str = "") -> InputFileError:
    return InputFileError([RowError(0, field, message)])


def transformer_to_wgs84(crs_text: str | None) -> Transformer | None:
    """A transformer to EPSG:4326 (x = longitude), or None when the CRS already is lon/lat."""
    if not crs_text:
        return None
    crs = CRS.from_user_input(crs_text)
    if crs.equals(CRS.from_epsg(4326), ignore_axis_order=True) or crs.to_epsg() in {4326, 4269}:
        return None
    return Transformer.from_crs(crs, "EPSG:4326", always_xy=True)


class Source:
    """A readable file: its column names and an iterator over its records."""

    format = ""
    #: whether records carry a geometry read from the file itself (vector formats).
    has_geometry = False
    #: what ``position`` and ``total`` count: "bytes", "features" or "rows".
    unit = "rows"

    def __init__(self, name: str):
        self.name = name
        self.columns: list[str] = []
        self.total = 0
        self.position = 0

    def records(self, wanted: set[str] | None = None) -> Iterator[Record]:
        raise NotImplementedError


class CsvSource(Source):
    """A UTF-8 CSV file, read line by line."""

    format = "csv"
    unit = "bytes"

    def __init__(self, path: Path):
        super().__init__(path.name)
        self.path = path
        self.total = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(4)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise file_error(_("the file is UTF-16 text; save it as UTF-8 CSV"))
        self.delimiter = ","
        self.columns = []
        try:
            for header in self._raw_records():
                self.columns = [h.strip() for h in header]
                break
        except ReadStopped as exc:
            raise InputFileError([exc.error]) from None
        if not self.columns:
            raise file_error(_("the file has no header row"))

    def _lines(self, fh, counter: list[int]) -> Iterator[str]:
        offset = 0
        first = True
        for raw in fh:
            if first:
                first = False
                if raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8) :]
                    offset = len(codecs.BOM_UTF8)
                text = raw.decode("utf-8", errors="replace")
                self.delimiter = max(",;\t", key=lambda d: (text.count(d), d == ","))
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                where = offset + exc.start
                raise ReadStopped(
                    RowError(
                        counter[0],
                        "",
                        _(
                            "the file is not UTF-8 text: byte %(offset)s (0x%(byte)s) cannot be "
                            "decoded; save the file as UTF-8 CSV"
                        )
                        % {
                            "offset": f"{where:,}",
                            "byte": raw[exc.start : exc.start + 1].hex(),
                        },
                    )
                ) from None
            offset += len(raw)
            self.position = offset
            yield text

    def _raw_records(self, counter: list[int] | None = None) -> Iterator[list[str]]:
        """Non-blank CSV records, the header included; ``counter[0]`` is the data row read."""
        counter = counter if counter is not None else [0]
        with self.path.open("rb") as fh:
            lines = self._lines(fh, counter)
            first = next(lines, None)
            if first is None:
                return
            reader = csv.reader(_chain(first, lines), delimiter=self.delimiter, strict=True)
            while True:
                try:
                    fields = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    raise ReadStopped(
                        RowError(
                            counter[0],
                            "",
                            _("malformed CSV (%(reason)s); is the file truncated?")
                            % {"reason": exc},
                        )
                    ) from None
                if not fields or all(not f.strip() for f in fields):
                    continue
                yield fields

    def records(self, wanted: set[str] | None = None) -> Iterator[Record]:
        counter = [0]
        self.position = 0
        width = len(self.columns)
        header_seen = False
        for fields in self._raw_records(counter):
            if not header_seen:
                header_seen = True
                counter[0] = 1
                continue
            row = counter[0]
            problem = None
            if len(fields) < width:
                problem = RowError(
                    row,
                    "",
                    _("has %(count)d fields, the header has %(width)d (truncated row?)")
                    % {"count": len(fields), "width": width},
                )
            elif len(fields) > width and any(f.strip() for f in fields[width:]):
                problem = RowError(
                    row,
                    "",
                    _("has %(count)d fields, the header has %(width)d")
                    % {"count": len(fields), "width": width},
                )
            values = {
                name: fields[i]
                for i, name in enumerate(self.columns)
                if i < len(fields) and (wanted is None or name in wanted)
            }
            yield Record(row, values, problem=problem)
            counter[0] = row + 1


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


class VectorSource(Source):
    """A GeoJSON or GeoPackage file (first layer), read in batches of features."""

    format = "vector"
    has_geometry = True
    unit = "features"

    def __init__(self, path: Path, crs: str | None = None):
        super().__init__(path.name)
        self.path = path
        try:
            info = pyogrio.read_info(str(path), force_feature_count=True)
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
            raise file_error(
                _("cannot read the file as %(format)s (%(reason)s); is it truncated?")
                % {"format": path.suffix, "reason": exc}
            ) from None
        except Exception as exc:  # GDAL reports some corrupt files with generic errors
            raise file_error(_("cannot read the file: %(reason)s") % {"reason": exc}) from None
        self.columns = [str(f) for f in info["fields"]]
        self.total = max(int(info.get("features") or 0), 0)
        try:
            self.transformer = transformer_to_wgs84(crs or info.get("crs") or "EPSG:4326")
        except CRSError as exc:
            raise file_error(_("unknown CRS: %(reason)s") % {"reason": exc}, "crs") from None

    def records(self, wanted: set[str] | None = None) -> Iterator[Record]:
        columns = [c for c in self.columns if wanted is None or c in wanted]
        start = 0
        self.position = 0
        while start < self.total:
            try:
                meta, _fids, geometries, field_data = pyogrio.raw.read(
                    str(self.path),
                    columns=columns,
                    skip_features=start,
                    max_features=VECTOR_BATCH,
                    datetime_as_string=True,
                )
            except Exception as exc:
                raise ReadStopped(
                    RowError(start + 1, "", _("cannot read: %(reason)s") % {"reason": exc})
                ) from None
            count = len(geometries)
            if count == 0:
                return
            names = [str(f) for f in meta["fields"]]
            shapes = _geometries(geometries, self.transformer)
            for i in range(count):
                values = {names[j]: _plain(field_data[j][i]) for j in range(len(names))}
                geom = shapes[i]
                problem = None
                if isinstance(geom, str):
                    problem, geom = RowError(start + i + 1, "geometry", geom), None
                yield Record(start + i + 1, values, geometry=geom, problem=problem)
            start += count
            self.position = start


def _geometries(wkbs, transformer: Transformer | None) -> list:
    """Shapely geometries in EPSG:4326; a string in place of a geometry is a problem."""
    out: list = []
    for wkb in wkbs:
        if wkb is None:
            out.append(None)
            continue
        try:
            geom = shapely.from_wkb(wkb)
            if transformer is not None:
                geom = shapely.transform(
                    geom, lambda x, y: transformer.transform(x, y), interleaved=False
                )
            out.append(geom)
        except Exception as exc:
            out.append(_("unreadable geometry: %(reason)s") % {"reason": exc})
    return out


def _plain(value):
    """A numpy scalar as the Python value."""
    if hasattr(value, "item"):
        return value.item()
    return value


class ParquetSource(Source):
    """An Apache Parquet file, read in record batches."""

    format = "parquet"
    unit = "rows"

    def __init__(self, path: Path):
        super().__init__(path.name)
        self.path = path
        try:
            import pyarrow.parquet as pq
        except ImportError:  # pragma: no cover - pyarrow is a dependency
            raise file_error(_("reading Parquet needs the pyarrow package")) from None
        try:
            self._file = pq.ParquetFile(str(path))
        except Exception as exc:
            raise file_error(
                _("cannot read the file as Parquet (%(reason)s); is it truncated?")
                % {"reason": exc}
            ) from None
        self.columns = list(self._file.schema_arrow.names)
        self.total = self._file.metadata.num_rows

    def records(self, wanted: set[str] | None = None) -> Iterator[Record]:
        columns = [c for c in self.columns if wanted is None or c in wanted]
        row = 0
        self.position = 0
        batches = self._file.iter_batches(batch_size=PARQUET_BATCH, columns=columns)
        while True:
            try:
                batch = next(batches)
            except StopIteration:
                return
            except Exception as exc:
                raise ReadStopped(
                    RowError(row + 1, "", _("cannot read: %(reason)s") % {"reason": exc})
                ) from None
            for values in batch.to_pylist():
                row += 1
                yield Record(row, values)
            self.position = row


class MemorySource(Source):
    """Rows already in memory (the API's create endpoints use the same checks as files)."""

    format = "memory"

    def __init__(self, rows: list[dict], name: str = "api"):
        super().__init__(name)
        self.rows = list(rows)
        seen: dict[str, None] = {}
        for row in self.rows:
            for key in row:
                seen.setdefault(str(key), None)
        self.columns = list(seen)
        self.total = len(self.rows)

    def records(self, wanted: set[str] | None = None) -> Iterator[Record]:
        for index, values in enumerate(self.rows, start=1):
            self.position = index
            yield Record(index, {k: v for k, v in values.items() if v is not None})


def open_source(path: str | Path, *, crs: str | None = None, max_bytes: int | None = None):
    """Open ``path`` as a :class:`Source`, or raise InputFileError for a file-level problem."""
    path = Path(path)
    if not path.is_file():
        raise file_error(_("file not found: %(name)s") % {"name": path.name})
    size = path.stat().st_size
    if max_bytes is not None and max_bytes > 0 and size > max_bytes:
        raise file_error(
            _("the file is %(size)s bytes, above the limit of %(limit)s bytes")
            % {"size": f"{size:,}", "limit": f"{max_bytes:,}"}
        )
    if size == 0:
        raise file_error(_("the file is empty"))
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return CsvSource(path)
    if suffix in VECTOR_SUFFIXES:
        return VectorSource(path, crs=crs)
    if suffix in PARQUET_SUFFIXES:
        return ParquetSource(path)
    raise file_error(
        _(
            "unsupported format '%(suffix)s': use CSV (.csv), GeoJSON (.geojson), "
            "GeoPackage (.gpkg) or Parquet (.parquet)"
        )
        % {"suffix": suffix or path.name}
    )


__all__ = [
    "CsvSource",
    "MemorySource",
    "ParquetSource",
    "ReadStopped",
    "Record",
    "Source",
    "VectorSource",
    "open_source",
    "transformer_to_wgs84",
]
