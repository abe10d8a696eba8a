"""What an importer declares: its columns, geometry, natural key and writer; and the registry.

An importer ("kind") is one :class:`ImportSpec`. The framework reads the file, cleans every
value by its :class:`Column`, locates points in villages, checks the rows, and only then calls
``write_batch`` inside one transaction. See ``docs/importing.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from jangkau.regions.io.errors import RowError

if TYPE_CHECKING:
    from jangkau.core.importing.context import ImportContext

#: the value types a column may have.
COLUMN_TYPES = ("str", "int", "float", "date", "datetime", "bool", "choice", "village_code")
#: the geometry an importer expects.
GEOMETRY_KINDS = ("point", "line", "polygon", "none")


@dataclass(frozen=True)
class Column:
    """One column of an import file.

    ``name`` is the canonical name (the key of the cleaned row and the template's header);
    ``aliases`` are other headers accepted for it (compared case-insensitively). ``min``/``max``
    bound numbers, ``max_length`` strings, ``choices`` the values of a ``choice`` column (compared
    case-insensitively, cleaned to the spelling given here). ``not_future`` refuses dates and
    times after now. ``help`` and ``example`` feed the documentation page and the CSV template.
    """

    name: str
    type: str
    required: bool = True
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] | None = None
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    not_future: bool = True
    help: str = ""
    example: str = ""

    def __post_init__(self) -> None:
        if self.type not in COLUMN_TYPES:
            raise ValueError(f"column {self.name!r}: unknown type {self.type!r}")
        if self.type == "choice" and not self.choices:
            raise ValueError(f"column {self.name!r}: a choice column needs choices")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"column {self.name!r}: min {self.min} is above max {self.max}")

    @property
    def headers(self) -> tuple[str, ...]:
        """Every header accepted for this column, the canonical name first."""
        return (self.name, *self.aliases)


@dataclass
class WriteStats:
    """What ``write_batch`` did with one batch (the framework adds the batches up).

    ``villages`` holds the codes of the villages whose evidence was created or changed: after the
    transaction commits, their statuses are recomputed in the background.
    """

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    villages: set[str] = field(default_factory=set)

    def add(self, other: WriteStats) -> WriteStats:
        """Add ``other`` into this one; return self."""
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.skipped += other.skipped
        self.villages |= other.villages
        return self


@dataclass(frozen=True)
class ImportSpec:
    """An importer: what its files hold and how the rows are written.

    Parameters
    ----------
    kind : the short name used by ``jangkau import KIND`` and the upload page (``speedtests``).
    title, description : shown on the upload and documentation pages.
    columns : the columns; a point importer need not declare ``lat``/``lon`` (declare them only
        to give other header names, e.g. ``client.Geo.Latitude``).
    geometry : ``point`` (lat/lon columns, a WKT/GeoJSON column or the features of a vector
        file; the row gets ``lon``, ``lat`` and ``village``), ``line``, ``polygon`` (the row
        gets ``geometry``, a shapely geometry in EPSG:4326) or ``none``.
    natural_key : the row's identity; two rows of one file with the same key are an error and a
        re-import finds the stored row by it.
    write_batch : writes a batch of clean rows, called inside the one transaction of the file;
        returns :class:`WriteStats`. It may raise ``InputFileError``: the transaction is rolled
        back.
    check_row : cross-field checks on a clean row; returns a list of ``RowError``.
    example_rows : rows for the CSV template (strings by column name).
    keep_row : optional cheap filter on the *raw* values (canonical column names): a row it
        refuses is counted as skipped and never validated (e.g. Ookla tiles outside the regency).
    key_columns : the columns the natural key is made of (named in duplicate-row errors and on
        the documentation page).
    """

    kind: str
    title: str
    columns: tuple[Column, ...]
    geometry: str
    natural_key: Callable[[dict], str]
    write_batch: Callable[[list[dict], ImportContext], WriteStats]
    check_row: Callable[[dict, ImportContext], list[RowError]] | None = None
    example_rows: tuple[dict, ...] = ()
    description: str = ""
    keep_row: Callable[[dict, ImportContext], bool] | None = None
    key_columns: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.geometry not in GEOMETRY_KINDS:
            raise ValueError(f"import kind {self.kind!r}: unknown geometry {self.geometry!r}")
        names = [c.name for c in self.columns]
        if len(set(names)) != len(names):
            raise ValueError(f"import kind {self.kind!r}: duplicate column names")
        headers = [h.lower() for c in self.columns for h in c.headers]
        if len(set(headers)) != len(headers):
            raise ValueError(f"import kind {self.kind!r}: a header names two columns")

    def column(self, name: str) -> Column | None:
        """The column called ``name`` (canonical name), or None."""
        return next((c for c in self.columns if c.name == name), None)

    def village_column(self) -> Column | None:
        """The first column of type ``village_code``, if any."""
        return next((c for c in self.columns if c.type == "village_code"), None)


#: every registered importer by kind.
REGISTRY: dict[str, ImportSpec] = {}


def register(spec: ImportSpec) -> ImportSpec:
    """Add an importer to :data:`REGISTRY` (re-registering the same kind replaces it)."""
    REGISTRY[spec.kind] = spec
    return spec


def get_spec(kind_or_spec: str | ImportSpec) -> ImportSpec:
    """The spec itself, or the registered spec of that kind (KeyError naming the known kinds)."""
    if isinstance(kind_or_spec, ImportSpec):
        return kind_or_spec
    try:
        return REGISTRY[kind_or_spec]
    except KeyError:
        known = ", ".join(sorted(REGISTRY)) or "none"
        raise KeyError(f"unknown import kind {kind_or_spec!r}; known: {known}") from None


@dataclass(frozen=True)
class ImportResult:
    """What a successful import did."""

    kind: str
    source_name: str
    rows: int
    created: int
    updated: int
    unchanged: int
    skipped: int
    villages: tuple[str, ...] = ()
    ignored_columns: tuple[str, ...] = ()
    recompute_progress_id: int | None = None
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        """One line for the command line and the logs."""
        text = (
            f"{self.kind} from {self.source_name}: {self.rows} row(s): {self.created} created, "
            f"{self.updated} updated, {self.unchanged} unchanged"
        )
        if self.skipped:
            text += f", {self.skipped} skipped"
        if self.villages:
            text += f"; status recomputed for {len(self.villages)} village(s)"
        if self.ignored_columns:
            text += f"; ignored columns: {', '.join(self.ignored_columns)}"
        return text

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "source_name": self.source_name,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "villages": list(self.villages),
            "ignored_columns": list(self.ignored_columns),
            "recompute_progress_id": self.recompute_progress_id,
            "seconds": round(self.seconds, 3),
        }
