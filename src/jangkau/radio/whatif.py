"""What would a proposed site add? Its footprint and the villages it would newly serve.

One site is computed synchronously: only the cells within ``max_radius_m`` (40 km) of it, on
the grid of the latest run of the current network (same resolution, model, parameters and
terrain), so the result is directly comparable. Measured on this machine (Kutai Timur, see
docs/coverage-app.md): Hata 250 m well under 0.1 s for the site, ITM on the demo DEM about
0.3 s; reading the baseline GeoTIFF and the village figures add a few tenths of a second.

* **With a baseline run**, the site's raster is merged (cell maximum) into the run's raster
  and the villages near the site are measured again: a village is *newly served* when its good
  share rises from below 0.5 to at least 0.5.
* **Without a run**, the site is computed alone on a 200 m grid and a village is newly served
  when its good share reaches 0.5 and its current overall status is not ``4g_good``.

People are estimated (population × share: uniform density within the village). Facilities of
the inventory are looked up at their points in the merged raster.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
from django.conf import settings
from pyproj import Transformer

from jangkau.cores.propagation.linkbudget import ServiceThresholds
from jangkau.cores.propagation.metrics import village_metrics
from jangkau.cores.propagation.raster import (
    CoverageResult,
    GridSpec,
    compute_best_server,
    coverage_inputs_hash,
    read_coverage_geotiff,
)
from jangkau.radio.adapters import core_site, facility_points, proposed_site_spec, village_inputs
from jangkau.radio.engine import (
    RunOptions,
    _grid_lonlat_bounds,
    coverage_dir,
    latest_run,
    params_from_json,
    regency_grid,
    terrain_identifier,
)
from jangkau.radio.geo import RegencyArea
from jangkau.radio.models import CoverageRun, Terrain, VillageCoverage
from jangkau.radio.overlay import write_overlay
from jangkau.radio.predictions import SERVED_SHARE
from jangkau.radio.terrains import open_terrain

#: resolution of a what-if computed without a baseline run.
STANDALONE_RESOLUTION_M = 200.0
#: the site id of the proposed site in its own raster.
WHATIF_SITE_ID = 0


def _window(grid: GridSpec, x: float, y: float, radius: float) -> tuple[int, int, int, int]:
    """(row0, row1, col0, col1) of the grid cells within ``radius`` of (x, y), clipped."""
    res = grid.resolution_m
    col0 = max(0, int(math.floor((x - radius - grid.xmin) / res)))
    col1 = min(grid.width, int(math.ceil((x + radius - grid.xmin) / res)))
    row0 = max(0, int(math.floor((grid.ymax - y - radius) / res)))
    row1 = min(grid.height, int(math.ceil((grid.ymax - y + radius) / res)))
    return row0, row1, col0, col1


def _subgrid(grid: GridSpec, window) -> GridSpec:
    row0, row1, col0, col1 = window
    res = grid.resolution_m
    return GridSpec(
        grid.xmin + col0 * res,
        grid.ymax - row1 * res,
        grid.xmin + col1 * res,
        grid.ymax - row0 * res,
        res,
        grid.crs,
    )


def _baseline_status(codes: list[str]) -> dict[str, str]:
    from jangkau.evidence.models import VillageStatus

    return dict(
        VillageStatus.objects.filter(village__code__in=codes, operator="").values_list(
            "village__code", "status"
        )
    )


def assess(site, baseline: CoverageRun | None | bool = True) -> dict:
    """Footprint and gains of a proposed site (a :class:`~jangkau.radio.models.ProposedSite`).

    ``baseline=True`` uses the latest finished run of the current network, ``None``/``False``
    none, or a given run. Returns plain data (see :func:`jangkau.radio.serializers.whatif_dict`).
    """
    started = time.monotonic()
    area = RegencyArea.load()
    if area is None:
        raise ValueError("No regency boundary is loaded; run `jangkau setup` first.")
    if baseline is True:
        baseline = latest_run(include_proposed=False)
    baseline = baseline or None
    if baseline is not None:
        grid = GridSpec(**baseline.grid)
        model = baseline.model
        params = params_from_json(baseline.params)
        terrain = baseline.terrain
        thresholds = ServiceThresholds(baseline.threshold_good_dbm, baseline.threshold_weak_dbm)
    else:
        options = RunOptions.defaults()
        grid = regency_grid(area, STANDALONE_RESOLUTION_M)
        model = options.model
        params = options.core_params()
        terrain = Terrain.objects.filter(pk=options.terrain_id).first()
        thresholds = options.thresholds()
    spec = {**proposed_site_spec(site), "site_id": WHATIF_SITE_ID}
    csite = core_site(spec)
    to_grid = Transformer.from_crs("EPSG:4326", grid.crs, always_xy=True)
    x, y = to_grid.transform(csite.lon, csite.lat)
    window = _window(grid, x, y, params.max_radius_m)
    row0, row1, col0, col1 = window
    if row1 <= row0 or col1 <= col0:
        raise ValueError("the site lies outside the coverage grid")
    sub = _subgrid(grid, window)
    core_terrain = open_terrain(terrain, _grid_lonlat_bounds(sub))
    result = compute_best_server([csite], sub, core_terrain, model, params)
    key = hashlib.sha256(
        (
            coverage_inputs_hash([csite], sub, terrain_identifier(terrain), model, params)
            + f":{thresholds.good_dbm}:{thresholds.weak_dbm}"
        ).encode()
    ).hexdigest()
    png = coverage_dir() / "footprints" / f"{key}.png"
    west, south, east, north = write_overlay(
        result.signal_dbm,
        result.transform,
        result.crs,
        thresholds.good_dbm,
        thresholds.weak_dbm,
        png,
    )
    compute_seconds = time.monotonic() - started

    # The raster before and after, on the whole grid.
    if baseline is not None and baseline.geotiff_path:
        before = read_coverage_geotiff(Path(settings.DATA_DIR) / baseline.geotiff_path)
        before_signal = before.signal_dbm
    else:
        before_signal = np.full(grid.shape, np.nan, dtype=np.float32)
    after_signal = before_signal.copy()
    patch = after_signal[row0:row1, col0:col1]
    site_signal = result.signal_dbm
    improved = np.isfinite(site_signal) & ~(patch >= site_signal)
    patch[improved] = site_signal[improved]
    after = CoverageResult(
        signal_dbm=after_signal,
        serving=np.where(np.isfinite(after_signal), 0, -1).astype(np.int32),
        transform=grid.transform,
        crs=grid.crs,
        site_ids=(WHATIF_SITE_ID,),
        operators=(csite.operator,),
        model=model,
        min_signal_dbm=float(params.min_signal_dbm),
    )

    # Villages near the site, measured after; before from the baseline rows (or status).
    positions = area.villages_in(west, south, east, north)
    codes = [area.village_codes[i] for i in positions]
    from jangkau.regions.models import Village

    villages = list(
        Village.objects.filter(code__in=codes)
        .prefetch_related("population_figures")
        .order_by("code")
    )
    inputs = village_inputs(villages)
    metrics = village_metrics(after, [core for _v, core, _f in inputs], thresholds)
    if baseline is not None:
        before_rows = {
            r.village.code: r
            for r in VillageCoverage.objects.filter(
                run=baseline, operator="", village__code__in=codes
            ).select_related("village")
        }
        statuses = {}
    else:
        before_rows = {}
        statuses = _baseline_status(codes)
    rows = []
    for (village, _core, figure), m in zip(inputs, metrics, strict=True):
        if not np.isfinite(m.share_good):
            continue
        prior = before_rows.get(village.code)
        before_good = (
            prior.share_good if prior is not None and prior.share_good is not None else 0.0
        )
        population = figure.value if figure is not None else None
        gain = max(0.0, m.share_good - before_good)
        if baseline is not None:
            newly = before_good < SERVED_SHARE <= m.share_good
        else:
            newly = m.share_good >= SERVED_SHARE and statuses.get(village.code) != "4g_good"
        if gain <= 0 and not newly:
            continue
        rows.append(
            {
                "code": village.code,
                "name": village.name,
                "share_good_before": round(before_good, 4),
                "share_good_after": round(float(m.share_good), 4),
                "share_weak_after": round(float(m.share_weak), 4),
                "status_before": statuses.get(village.code, "") if baseline is None else "",
                "newly_served": bool(newly),
                "population": population,
                "population_quality": figure.quality if figure is not None else "",
                "people_served_estimate": (
                    round(population * float(m.share_good)) if population is not None else None
                ),
                "people_gaining_estimate": (
                    round(population * gain) if population is not None else None
                ),
            }
        )
    rows.sort(
        key=lambda r: (not r["newly_served"], -(r["people_gaining_estimate"] or 0), r["code"])
    )
    newly = [r for r in rows if r["newly_served"]]

    facilities = _facilities(
        (west, south, east, north), before_signal, after_signal, grid, thresholds
    )
    return {
        "site": site.pk,
        "baseline_run": baseline.pk if baseline is not None else None,
        "baseline": "run" if baseline is not None else "status",
        "model": model,
        "resolution_m": grid.resolution_m,
        "terrain": terrain.name if terrain is not None else "",
        "terrain_is_coarse": terrain is None or terrain.is_coarse,
        "thresholds_dbm": {"good": thresholds.good_dbm, "weak": thresholds.weak_dbm},
        "params": asdict(params),
        "overlay_path": str(png.relative_to(Path(settings.DATA_DIR))),
        "overlay_key": key,
        "bounds": [[south, west], [north, east]],
        "cells_good": int(np.count_nonzero(site_signal >= thresholds.good_dbm)),
        "area_good_km2": round(
            float(np.count_nonzero(site_signal >= thresholds.good_dbm))
            * grid.resolution_m**2
            / 1e6,
            2,
        ),
        "villages": rows,
        "newly_served": newly,
        "people_newly_served_estimate": sum(r["people_served_estimate"] or 0 for r in newly),
        "people_gaining_estimate": sum(r["people_gaining_estimate"] or 0 for r in rows),
        "facilities": facilities,
        "notes": list(result.notes),
        "compute_seconds": round(compute_seconds, 3),
        "seconds": round(time.monotonic() - started, 3),
    }


def _facilities(bounds, before, after, grid: GridSpec, thresholds: ServiceThresholds):
    """Facilities in the footprint box: how many get good signal, and how many newly."""
    points = facility_points(*bounds)
    if points is None:
        return None
    to_grid = Transformer.from_crs("EPSG:4326", grid.crs, always_xy=True)
    items = []
    for point in points:
        x, y = to_grid.transform(point["lon"], point["lat"])
        col = int(math.floor((x - grid.xmin) / grid.resolution_m))
        row = int(math.floor((grid.ymax - y) / grid.resolution_m))
        if not (0 <= row < grid.height and 0 <= col < grid.width):
            continue
        level_after = float(after[row, col])
        if not (level_after >= thresholds.good_dbm):
            continue
        level_before = float(before[row, col])
        items.append(
            {
                **{k: point[k] for k in ("code", "name", "kind", "kind_label", "connected")},
                "newly_good": not (level_before >= thresholds.good_dbm),
                "signal_dbm": round(level_after, 1),
            }
        )
    return {
        "good": len(items),
        "newly_good": sum(1 for i in items if i["newly_good"]),
        "not_connected_newly_good": sum(
            1 for i in items if i["newly_good"] and i["connected"] != "yes"
        ),
        "items": items,
    }
