"""Run an import: validate every row streaming, then write streaming in one transaction.

Pass 1 reads the file and cleans and checks every row, keeping only a 64-bit hash of each natural
key (and its row number) to find duplicates, and at most :data:`MAX_ERRORS` problems. Any
problem rejects the whole file (:class:`ImportRejected`) and nothing is written. Pass 2 reads the
file again and hands the rows to the importer's ``write_batch`` in batches of
:data:`BATCH_SIZE`, all inside one transaction. Memory therefore grows with the number of rows
by ~12 bytes (the key hashes), not with the size of the file.
"""

from __future__ import annotations

import time
from array import array
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from hashlib import blake2b
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils.translation import gettext as _

from jangkau.core.importing.context import ImportContext
from jangkau.core.importing.plan import ColumnPlan
from jangkau.core.importing.sources import MemorySource, ReadStopped, Source, open_source
from jangkau.core.importing.spec import ImportResult, ImportSpec, WriteStats, get_spec
from jangkau.regions.io.errors import InputFileError, RowError

#: the most problems listed for a rejected file; the rest are counted.
MAX_ERRORS = 1000
#: rows handed to ``write_batch`` at a time.
BATCH_SIZE = 500
#: SQLite page cache during the write transaction, KiB. The default (2 MiB) is smaller than the
#: pages a large import keeps touching (every index's insertion points), so SQLite would spill
#: and rewrite them in the WAL over and over; this bounds memory and keeps the writes linear.
SQLITE_WRITE_CACHE_KIB = 64 * 1024

#: progress(done, total, message): done/total count the source's unit (bytes, features or rows)
#: within the current step; the message names the step.
ProgressCallback = Callable[[int, int, str], None]


class ImportRejected(InputFileError):
    """A rejected file: ``errors`` lists the first :data:`MAX_ERRORS` problems (plus a closing
    line counting the rest); ``total`` is the number of problems found."""

    def __init__(self, errors: list[RowError], total: int | None = None):
        errors = list(errors)
        self.total = total if total is not None else len(errors)
        if self.total > len(errors):
            errors.append(
                RowError(
                    0,
                    "",
                    _("%(count)s more problem(s) not listed (the list stops at %(cap)s)")
                    % {"count": f"{self.total - len(errors):,}", "cap": f"{len(errors):,}"},
                )
            )
        super().__init__(errors)


class ErrorList:
    """Problems found so far: the first ``cap`` kept, all counted."""

    def __init__(self, cap: int = MAX_ERRORS):
        self.cap = cap
        self.items: list[RowError] = []
        self.total = 0

    def add(self, error: RowError) -> None:
        self.total += 1
        if len(self.items) < self.cap:
            self.items.append(error)

    def extend(self, errors: Iterable[RowError]) -> None:
        for error in errors:
            self.add(error)

    def __bool__(self) -> bool:
        return self.total > 0

    def rejected(self) -> ImportRejected:
        ordered = sorted(self.items, key=lambda e: (e.row, e.field))
        return ImportRejected(ordered, self.total)


class KeyIndex:
    """64-bit hashes of the natural keys seen, with their rows, in compact arrays."""

    def __init__(self):
        self.hashes = array("q")
        self.rows = array("q")

    def add(self, key: str, row: int) -> None:
        digest = blake2b(key.encode("utf-8"), digest_size=8).digest()
        self.hashes.append(int.from_bytes(digest, "little", signed=True))
        self.rows.append(row)

    def suspect_rows(self) -> set[int]:
        """Rows whose key hash occurs more than once (duplicates, or a 1-in-10¹⁹ collision)."""
        if len(self.hashes) < 2:
            return set()
        hashes = np.frombuffer(self.hashes, dtype=np.int64)
        order = np.argsort(hashes, kind="stable")
        ordered = hashes[order]
        same = np.nonzero(ordered[1:] == ordered[:-1])[0]
        if len(same) == 0:
            return set()
        rows = np.frombuffer(self.rows, dtype=np.int64)
        picked = np.union1d(order[same], order[same + 1])
        return {int(r) for r in rows[picked]}


class _Progress:
    """Throttled progress reports (at most every ``interval`` seconds, plus forced ones)."""

    def __init__(self, callback: ProgressCallback | None, interval: float = 0.5):
        self.callback = callback
        self.interval = interval
        self.last = 0.0

    def __call__(self, done: int, total: int, message: str, force: bool = False) -> None:
        if self.callback is None:
            return
        now = time.monotonic()
        if force or now - self.last >= self.interval:
            self.last = now
            self.callback(done, total, message)


def run_import(
    kind_or_spec: str | ImportSpec,
    path: str | Path,
    *,
    user=None,
    progress: ProgressCallback | None = None,
    max_bytes: int | None = None,
    crs: str | None = None,
    options: dict | None = None,
) -> ImportResult:
    """Import a file all-or-nothing; return what was done or raise :class:`ImportRejected`.

    Parameters
    ----------
    kind_or_spec : a registered kind (``"speedtests"``) or an :class:`ImportSpec`.
    path : CSV, GeoJSON, GeoPackage or Parquet file.
    user : who imports (passed to the importer through the context).
    progress : called as ``progress(done, total, message)`` while the file is read and written.
    max_bytes : refuse larger files before reading them; None means
        ``settings.JANGKAU_MAX_UPLOAD_BYTES``, 0 no limit.
    crs : the CRS of the coordinates when the file does not state it (CSV), or to override it.
    options : values for columns the file lacks, by column name (e.g. ``{"period": "2024-10-01"}``).

    Raises
    ------
    InputFileError
        (an :class:`ImportRejected`) listing every problem by row and column; nothing written.
    """
    spec = get_spec(kind_or_spec)
    limit = settings.JANGKAU_MAX_UPLOAD_BYTES if max_bytes is None else max_bytes
    source = open_source(path, crs=crs, max_bytes=limit)
    return _run(spec, source, user=user, progress=progress, crs=crs, options=options)


def import_rows(
    kind_or_spec: str | ImportSpec,
    rows: list[dict],
    *,
    user=None,
    options: dict | None = None,
    source_name: str = "api",
) -> ImportResult:
    """Import rows given as dicts (by column name), with exactly the checks of a file."""
    spec = get_spec(kind_or_spec)
    return _run(spec, MemorySource(rows, source_name), user=user, options=options)


def check_rows(
    kind_or_spec: str | ImportSpec,
    rows: list[dict],
    *,
    user=None,
    options: dict | None = None,
    source_name: str = "api",
) -> list[dict]:
    """Validate rows given as dicts and return them clean (raise ImportRejected); write nothing."""
    spec = get_spec(kind_or_spec)
    source = MemorySource(rows, source_name)
    ctx = ImportContext(spec=spec, user=user, source_name=source_name)
    plan = ColumnPlan.build(spec, source, ctx, options or {}, None)
    ctx.options = dict(plan.constants)
    _validate(spec, source, plan, ctx, _Progress(None))
    out = []
    for record in source.records(plan.wanted):
        row, _errors = plan.clean(record, plan.raw_values(record), ctx)
        if row is not None:
            out.append(row)
    return out


def check_file(
    kind_or_spec: str | ImportSpec,
    path: str | Path,
    *,
    max_bytes: int | None = None,
    crs: str | None = None,
    options: dict | None = None,
    progress: ProgressCallback | None = None,
) -> tuple[int, int]:
    """Validate a file without writing; return (valid rows, skipped rows) or raise."""
    spec = get_spec(kind_or_spec)
    limit = settings.JANGKAU_MAX_UPLOAD_BYTES if max_bytes is None else max_bytes
    source = open_source(path, crs=crs, max_bytes=limit)
    ctx = ImportContext(spec=spec, source_name=source.name)
    plan = ColumnPlan.build(spec, source, ctx, options or {}, crs)
    ctx.options = dict(plan.constants)
    return _validate(spec, source, plan, ctx, _Progress(progress))


def _run(spec, source: Source, *, user=None, progress=None, crs=None, options=None):
    started = time.monotonic()
    ctx = ImportContext(spec=spec, user=user, source_name=source.name)
    plan = ColumnPlan.build(spec, source, ctx, options or {}, crs)
    ctx.options = dict(plan.constants)
    report = _Progress(progress)
    valid, skipped = _validate(spec, source, plan, ctx, report)
    stats = _write(spec, source, plan, ctx, report, valid)
    recompute_id = None
    if stats.villages:
        from jangkau.evidence.tasks import enqueue_recompute

        recompute = enqueue_recompute(
            sorted(stats.villages),
            label=_("Village statuses after importing %(name)s") % {"name": source.name},
        )
        recompute_id = recompute.pk
    return ImportResult(
        kind=spec.kind,
        source_name=source.name,
        rows=valid,
        created=stats.created,
        updated=stats.updated,
        unchanged=stats.unchanged,
        skipped=skipped + stats.skipped,
        villages=tuple(sorted(stats.villages)),
        ignored_columns=tuple(plan.ignored),
        recompute_progress_id=recompute_id,
        seconds=time.monotonic() - started,
    )


def _validate(spec, source, plan, ctx, report) -> tuple[int, int]:
    """Pass 1: check every row; return (valid rows, skipped rows) or raise ImportRejected."""
    if spec.geometry != "none" and not ctx.locator.ready:
        raise ImportRejected(
            [RowError(0, "", _("no regency boundary is loaded: run 'jangkau setup' first"))]
        )
    errors = ErrorList()
    keys = KeyIndex()
    valid = skipped = 0
    step = _("step 1 of 2: checking rows")
    report(0, source.total, step, force=True)
    try:
        for record in source.records(plan.wanted):
            report(source.position, source.total, f"{step} ({record.row - 1:,})")
            raw = plan.raw_values(record)
            if spec.keep_row is not None and record.problem is None:
                if not spec.keep_row(raw, ctx):
                    skipped += 1
                    continue
            row, problems = plan.clean(record, raw, ctx)
            if problems:
                errors.extend(problems)
            else:
                keys.add(spec.natural_key(row), record.row)
                valid += 1
    except ReadStopped as exc:
        errors.add(exc.error)
    if not errors:
        suspects = keys.suspect_rows()
        if suspects:
            errors.extend(_duplicates(spec, source, plan, ctx, suspects))
    if errors:
        raise errors.rejected()
    if valid == 0:
        message = (
            _("no row to import: all %(count)s rows were left out (e.g. outside the regency)")
            % {"count": f"{skipped:,}"}
            if skipped
            else _("the file has no data rows")
        )
        raise ImportRejected([RowError(0, "", message)])
    report(source.total, source.total, step, force=True)
    return valid, skipped


def _duplicates(spec, source, plan, ctx, suspects: set[int]) -> list[RowError]:
    """Confirm duplicate keys among the suspect rows by reading them again."""
    first: dict[str, int] = {}
    errors = []
    field = "/".join(spec.key_columns) or "key"
    for record in source.records(plan.wanted):
        if record.row not in suspects:
            continue
        raw = plan.raw_values(record)
        if spec.keep_row is not None and not spec.keep_row(raw, ctx):
            continue
        row, _problems = plan.clean(record, raw, ctx)
        if row is None:
            continue
        key = spec.natural_key(row)
        if key in first:
            errors.append(
                RowError(
                    record.row,
                    field,
                    _("duplicate of row %(row)s (same key '%(key)s')")
                    % {"row": first[key], "key": key},
                )
            )
        else:
            first[key] = record.row
    return errors


@contextmanager
def _sqlite_cache(kib: int):
    """A larger SQLite page cache for the duration of a write (other databases: nothing)."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _write(spec, source, plan, ctx, report, valid: int) -> WriteStats:
    """Pass 2: hand the rows to ``write_batch`` in batches, inside one transaction."""
    stats = WriteStats()
    step = _("step 2 of 2: writing")
    done = 0
    report(0, valid, step, force=True)
    with _sqlite_cache(SQLITE_WRITE_CACHE_KIB), transaction.atomic():
        batch: list[dict] = []
        try:
            for record in source.records(plan.wanted):
                raw = plan.raw_values(record)
                if spec.keep_row is not None and record.problem is None:
                    if not spec.keep_row(raw, ctx):
                        continue
                row, problems = plan.clean(record, raw, ctx)
                if problems:  # the file changed between the two passes
                    raise ImportRejected(problems)
                batch.append(row)
                if len(batch) >= BATCH_SIZE:
                    stats.add(spec.write_batch(batch, ctx))
                    done += len(batch)
                    batch = []
                    report(done, valid, step)
            if batch:
                stats.add(spec.write_batch(batch, ctx))
                done += len(batch)
        except ReadStopped as exc:
            raise ImportRejected([exc.error]) from None
    report(done, valid, step, force=True)
    return stats
