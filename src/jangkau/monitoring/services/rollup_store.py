"""Reading and writing :class:`jangkau.cores.probes.Rollup` arrays as ``ResultRollup`` rows.

Buckets are aligned to WITA (``offset_s = WITA_OFFSET_S``) at every width, so daily rows are
local days and :func:`~jangkau.cores.probes.monthly_sla_from_rollup` can use them. Histograms
use the core's default :class:`~jangkau.cores.probes.HistogramSpec`; changing it would make
stored rows unreadable, so it is fixed here as :data:`SPEC`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, datetime

import numpy as np
from django.db import transaction
from django.db.models import Max, Min, Q, Sum

from jangkau.cores.probes import (
    DAY_S,
    WITA_OFFSET_S,
    HistogramSpec,
    Rollup,
    WindowStats,
    window_stats,
)
from jangkau.monitoring.models import ProbeResult, ResultRollup

SPEC = HistogramSpec()
OFFSET_S = WITA_OFFSET_S
WEEK_S = 7 * DAY_S
_FIELDS = (
    "target_id",
    "bucket_start",
    "count",
    "successes",
    "latency_count",
    "latency_sum",
    "latency_min",
    "latency_max",
    "packets_sent",
    "packets_lost",
    "hist_offset",
    "hist",
)


def epoch(dt: datetime) -> float:
    """An aware datetime as UTC epoch seconds."""
    return dt.timestamp()


def from_epoch(seconds: float) -> datetime:
    """UTC epoch seconds as an aware datetime."""
    return datetime.fromtimestamp(seconds, UTC)


def floor_to(seconds: float, width_s: int) -> int:
    """Start of the WITA-aligned bucket of width ``width_s`` containing ``seconds``."""
    return int(math.floor((seconds + OFFSET_S) / width_s)) * width_s - OFFSET_S


def ceil_to(seconds: float, width_s: int) -> int:
    """Smallest WITA-aligned bucket edge >= ``seconds``."""
    return int(math.ceil((seconds + OFFSET_S) / width_s)) * width_s - OFFSET_S


def empty_rollup(width_s: int) -> Rollup:
    """A rollup without rows."""
    z = np.zeros(0, np.int64)
    f = np.zeros(0, np.float64)
    return Rollup(
        width_s=width_s,
        offset_s=OFFSET_S,
        spec=SPEC,
        target=z,
        bucket_start=z,
        count=z,
        successes=z,
        latency_count=z,
        latency_sum=f,
        latency_min=f,
        latency_max=f,
        packets_sent=z,
        packets_lost=z,
        hist=np.zeros((0, SPEC.n_bins), np.int32),
    )


def encode_hist(row: np.ndarray) -> tuple[int, bytes]:
    """Trim a histogram row to its non-zero span: ``(first bin, little-endian uint32 bytes)``."""
    nz = np.flatnonzero(row)
    if not nz.size:
        return 0, b""
    lo, hi = int(nz[0]), int(nz[-1]) + 1
    return lo, row[lo:hi].astype("<u4").tobytes()


def decode_hists(offsets: np.ndarray, blobs: list) -> np.ndarray:
    """Dense ``(rows, SPEC.n_bins)`` int32 histograms from trimmed rows, vectorised."""
    n = len(blobs)
    out = np.zeros((n, SPEC.n_bins), np.int32)
    if not n:
        return out
    lengths = np.fromiter((len(b) // 4 for b in blobs), np.int64, count=n)
    total = int(lengths.sum())
    if not total:
        return out
    values = np.frombuffer(b"".join(blobs), dtype="<u4")
    rows = np.repeat(np.arange(n), lengths)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    cols = np.repeat(offsets.astype(np.int64) - starts, lengths) + np.arange(total)
    out[rows, cols] = values
    return out


def rollup_from_rows(width_s: int, rows: list[tuple]) -> Rollup:
    """A :class:`Rollup` from ``values_list(*_FIELDS)`` rows (sorted by target, bucket)."""
    if not rows:
        return empty_rollup(width_s)
    cols = list(zip(*rows, strict=True))

    def ints(i):
        return np.fromiter(cols[i], np.int64, count=len(rows))

    def floats(i):
        return np.array(cols[i], dtype=np.float64)  # None -> nan

    return Rollup(
        width_s=width_s,
        offset_s=OFFSET_S,
        spec=SPEC,
        target=ints(0),
        bucket_start=ints(1),
        count=ints(2),
        successes=ints(3),
        latency_count=ints(4),
        latency_sum=floats(5),
        latency_min=floats(6),
        latency_max=floats(7),
        packets_sent=ints(8),
        packets_lost=ints(9),
        hist=decode_hists(ints(10), list(cols[11])),
    )


def load_rollup(
    width_s: int, start: float, end: float, targets: Iterable[int] | None = None
) -> Rollup:
    """Stored rows of width ``width_s`` with ``bucket_start`` in ``[start, end)``."""
    qs = ResultRollup.objects.filter(
        width_s=width_s, bucket_start__gte=int(math.floor(start)), bucket_start__lt=int(end)
    )
    if targets is not None:
        qs = qs.filter(target_id__in=list(targets))
    rows = list(qs.order_by("target_id", "bucket_start").values_list(*_FIELDS))
    return rollup_from_rows(width_s, rows)


def rollup_models(r: Rollup) -> list[ResultRollup]:
    """Unsaved ``ResultRollup`` objects for every row of ``r``."""
    objs = []
    for i in range(len(r)):
        offset, blob = encode_hist(r.hist[i])
        lat_min, lat_max = float(r.latency_min[i]), float(r.latency_max[i])
        objs.append(
            ResultRollup(
                target_id=int(r.target[i]),
                width_s=r.width_s,
                bucket_start=int(r.bucket_start[i]),
                count=int(r.count[i]),
                successes=int(r.successes[i]),
                latency_count=int(r.latency_count[i]),
                latency_sum=float(r.latency_sum[i]),
                latency_min=None if math.isnan(lat_min) else lat_min,
                latency_max=None if math.isnan(lat_max) else lat_max,
                packets_sent=int(r.packets_sent[i]),
                packets_lost=int(r.packets_lost[i]),
                hist_offset=offset,
                hist=blob,
            )
        )
    return objs


def replace_rows(width_s: int, targets: Iterable[int], start: int, end: int, r: Rollup) -> int:
    """Make the stored rows of ``targets`` in ``[start, end)`` exactly the rows of ``r`` there.

    Deletes and inserts in one transaction, so recomputing a bucket always gives the same row.
    Returns the number of rows written.
    """
    objs = [o for o in rollup_models(r) if start <= o.bucket_start < end]
    with transaction.atomic():
        ResultRollup.objects.filter(
            width_s=width_s,
            target_id__in=list(targets),
            bucket_start__gte=start,
            bucket_start__lt=end,
        ).delete()
        ResultRollup.objects.bulk_create(objs, batch_size=500)
    return len(objs)


def load_raw(
    targets: Iterable[int] | None, start: datetime | None, end: datetime | None, **filters
) -> dict[str, np.ndarray]:
    """Raw results with ``ts`` in ``[start, end)`` as arrays sorted by (target, ts).

    ``targets=None`` means every target; ``filters`` are extra queryset filters. Keys: ``id``,
    ``target``, ``ts`` (epoch s), ``ok``, ``latency_ms`` (NaN when null), ``sent``, ``lost``,
    ``rolled_up``.
    """
    qs = ProbeResult.objects.filter(**filters)
    if targets is not None:
        qs = qs.filter(target_id__in=list(targets))
    if start is not None:
        qs = qs.filter(ts__gte=start)
    if end is not None:
        qs = qs.filter(ts__lt=end)
    rows = list(
        qs.order_by("target_id", "ts", "id").values_list(
            "id",
            "target_id",
            "ts",
            "ok",
            "latency_ms",
            "packets_sent",
            "packets_lost",
            "rolled_up",
        )
    )
    n = len(rows)
    cols = list(zip(*rows, strict=True)) if n else [()] * 8
    return {
        "id": np.fromiter(cols[0], np.int64, count=n),
        "target": np.fromiter(cols[1], np.int64, count=n),
        "ts": np.fromiter((t.timestamp() for t in cols[2]), np.float64, count=n),
        "ok": np.fromiter(cols[3], bool, count=n),
        "latency_ms": np.array(cols[4], dtype=np.float64).reshape(n),
        "sent": np.fromiter(cols[5], np.int64, count=n),
        "lost": np.fromiter(cols[6], np.int64, count=n),
        "rolled_up": np.fromiter(cols[7], bool, count=n),
    }


def take(r: Rollup, mask: np.ndarray) -> Rollup:
    """The rows of ``r`` where ``mask`` is true."""
    return Rollup(
        width_s=r.width_s,
        offset_s=r.offset_s,
        spec=r.spec,
        target=r.target[mask],
        bucket_start=r.bucket_start[mask],
        count=r.count[mask],
        successes=r.successes[mask],
        latency_count=r.latency_count[mask],
        latency_sum=r.latency_sum[mask],
        latency_min=r.latency_min[mask],
        latency_max=r.latency_max[mask],
        packets_sent=r.packets_sent[mask],
        packets_lost=r.packets_lost[mask],
        hist=r.hist[mask],
    )


def _tile_ranges(start: int, end: int) -> list[tuple[int, int, int]]:
    """``(width, lo, hi)`` ranges of bucket starts tiling ``[start, end)``.

    ``start`` must be a WITA midnight; ``end`` may be any time. Whole weeks inside the window
    come from weekly rows, the days around them from daily rows, the last one being today's
    (partial) row, which holds what has been rolled up so far.
    """
    if (start + OFFSET_S) % DAY_S:
        raise ValueError("the window must start at a WITA midnight")
    w_lo, w_hi = ceil_to(start, WEEK_S), floor_to(end, WEEK_S)
    if w_lo >= w_hi:
        return [(DAY_S, start, end)]
    return [(DAY_S, start, w_lo), (WEEK_S, w_lo, w_hi), (DAY_S, w_hi, end)]


def _tiles(start: int, end: int) -> Q:
    q = Q(pk__in=[])
    for width, lo, hi in _tile_ranges(start, end):
        if lo < hi:
            q |= Q(width_s=width, bucket_start__gte=lo, bucket_start__lt=hi)
    return q


def tiled_rollup(start: float, end: float, targets: Iterable[int] | None = None) -> Rollup:
    """The stored rows tiling ``[start, end)`` (see :func:`_tile_ranges`), as one rollup.

    The rows have different widths (``width_s`` is nominal);
    :func:`~jangkau.cores.probes.window_stats` sums the rows whose ``bucket_start`` lies in the
    window, which is exact for such a tiling. :func:`window_rollup` gives the same sums faster.
    """
    targets = None if targets is None else list(targets)
    parts = [
        load_rollup(w, lo, hi, targets)
        for w, lo, hi in _tile_ranges(int(start), int(end))
        if lo < hi
    ]
    parts = [p for p in parts if len(p)]
    if not parts:
        return empty_rollup(DAY_S)
    names = (
        "target",
        "bucket_start",
        "count",
        "successes",
        "latency_count",
        "latency_sum",
        "latency_min",
        "latency_max",
        "packets_sent",
        "packets_lost",
        "hist",
    )
    cols = {n: np.concatenate([getattr(p, n) for p in parts]) for n in names}
    order = np.lexsort((cols["bucket_start"], cols["target"]))
    cols = {n: v[order] for n, v in cols.items()}
    return Rollup(width_s=DAY_S, offset_s=OFFSET_S, spec=SPEC, **cols)


def day_window(now: float, days: float) -> tuple[int, int]:
    """``[start, end)`` of "the last ``days`` whole WITA days and today so far"."""
    end = int(now)
    return floor_to(end, DAY_S) - int(round(days)) * DAY_S, end


def window_rollup(start: float, end: float, targets: Iterable[int] | None = None) -> Rollup:
    """One row per target holding the sums of its rows over ``[start, end)``.

    The same rows as :func:`tiled_rollup`, added up: the scalar columns by the database
    (``GROUP BY target``: sums, minimum, maximum), the histograms here from the trimmed blobs
    (only target, offset and blob are read per row). Counts, sums and histograms add and
    extremes combine, so :func:`~jangkau.cores.probes.window_stats` on these rows gives exactly
    what it gives on the tiled rows; each row's ``bucket_start`` is ``start``. This is the
    query behind the status page, the target statistics and the gate (see
    ``bench/bench_rollup_query.py``).
    """
    qs = ResultRollup.objects.filter(_tiles(int(start), int(end)))
    if targets is not None:
        qs = qs.filter(target_id__in=list(targets))
    sums = list(
        qs.order_by("target_id")
        .values("target_id")
        .annotate(
            n=Sum("count"),
            ok=Sum("successes"),
            lat_n=Sum("latency_count"),
            lat_sum=Sum("latency_sum"),
            lat_min=Min("latency_min"),
            lat_max=Max("latency_max"),
            sent=Sum("packets_sent"),
            lost=Sum("packets_lost"),
        )
        .values_list(
            "target_id", "n", "ok", "lat_n", "lat_sum", "lat_min", "lat_max", "sent", "lost"
        )
    )
    if not sums:
        return empty_rollup(int(end - start))
    cols = list(zip(*sums, strict=True))
    keys = np.fromiter(cols[0], np.int64, count=len(sums))
    blobs = list(qs.order_by().values_list("target_id", "hist_offset", "hist"))
    hist = np.zeros((keys.size, SPEC.n_bins), np.int64)
    if blobs:
        b_target, b_offset, b_data = zip(*blobs, strict=True)
        lengths = np.fromiter((len(b) // 4 for b in b_data), np.int64, count=len(blobs))
        values = np.frombuffer(b"".join(b_data), dtype="<u4")
        row = np.searchsorted(keys, np.fromiter(b_target, np.int64, count=len(blobs)))
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        col = np.repeat(
            np.fromiter(b_offset, np.int64, count=len(blobs)) - starts, lengths
        ) + np.arange(values.size)
        flat = np.repeat(row, lengths) * SPEC.n_bins + col
        hist = np.bincount(flat, weights=values, minlength=hist.size).reshape(hist.shape)

    def ints(i):
        return np.array([0 if v is None else v for v in cols[i]], dtype=np.int64)

    def floats(i):
        return np.array(cols[i], dtype=np.float64)  # None -> nan

    return Rollup(
        width_s=int(end - start),
        offset_s=OFFSET_S,
        spec=SPEC,
        target=keys,
        bucket_start=np.full(keys.size, int(start), np.int64),
        count=ints(1),
        successes=ints(2),
        latency_count=ints(3),
        latency_sum=np.nan_to_num(floats(4)),
        latency_min=floats(5),
        latency_max=floats(6),
        packets_sent=ints(7),
        packets_lost=ints(8),
        hist=hist.astype(np.int64),
    )


def window_stats_for(
    r: Rollup, start: float, end: float, *, interval_s: float, targets: list[int]
) -> WindowStats:
    """:func:`~jangkau.cores.probes.window_stats` for exactly ``targets`` (all of ``r``'s when
    empty); a target without a row in the window gets zero counts, coverage 0 and NaN
    availability."""
    if not targets:
        return window_stats(r, start, end, interval_s=interval_s)
    return window_stats(r, start, end, interval_s=interval_s, targets=targets)
