"""Coverage runs: gather the inputs, hash them, compute, and store the results.

:func:`prepare_run` builds the inputs of a run from the database (the inventory sites on air,
optionally the proposed sites, the regency grid, the terrain and the parameters), hashes them
and either returns the existing run with the same hash (the cache) or creates a queued one.
:func:`execute_run` (called by the task) computes it with the pure core and stores the GeoTIFF,
the PNG overlay and the per-village figures.

Per-operator rasters
--------------------
Model predictions are evidence *per operator*, and a best-server raster only says which site
is best, not whether a second operator also covers a cell. So the engine computes one raster
per operator (the sites are stored sorted by operator) and merges them cell by cell, keeping
the strictly better level in site order. That is exactly what one
:func:`~jangkau.cores.propagation.raster.compute_best_server` call over all sites gives (the
core also keeps the earlier site on a tie), without computing any site twice.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from jangkau.core.choices import QualityChoices
from jangkau.core.models import TaskProgress
from jangkau.cores.propagation.linkbudget import LinkBudget, ServiceThresholds
from jangkau.cores.propagation.metrics import village_metrics
from jangkau.cores.propagation.raster import (
    CoverageParams,
    CoverageResult,
    GridSpec,
    ItmParams,
    compute_best_server,
    coverage_inputs_hash,
    write_coverage_geotiff,
)
from jangkau.radio.adapters import (
    core_site,
    inventory_site_specs,
    proposed_site_spec,
    village_inputs,
)
from jangkau.radio.choices import (
    EirpConventionChoices,
    EnvironmentChoices,
    PropagationModelChoices,
    ProposedSiteStatusChoices,
    RunStateChoices,
)
from jangkau.radio.geo import RegencyArea, utm_crs_for
from jangkau.radio.models import CoverageRun, ProposedSite, Terrain, VillageCoverage
from jangkau.radio.models.runs import FLAT_EARTH_LABEL, FLOOR_BELOW_WEAK_DB
from jangkau.radio.overlay import write_overlay
from jangkau.radio.terrains import open_terrain

#: bumped when the app changes what a run stores for the same inputs (part of the hash).
RUN_VERSION = "radio-1"

DEFAULT_RESOLUTION_M = 250.0
#: at most this many cells in a run's grid (a 25 m grid of Kutai Timur has 55 million).
MAX_GRID_CELLS = 20_000_000


@dataclass(frozen=True)
class RunOptions:
    """What a planner chooses on the run form (every field has a sensible default)."""

    model: str
    resolution_m: float = DEFAULT_RESOLUTION_M
    terrain_id: int | None = None
    environment: str = EnvironmentChoices.SUBURBAN
    good_dbm: float = -105.0
    weak_dbm: float = -115.0
    eirp_convention: str = EirpConventionChoices.TOTAL
    n_rb: int = 50
    rx_height_m: float = 1.5
    max_radius_m: float = 40_000.0
    include_proposed: bool = False

    @classmethod
    def defaults(cls) -> RunOptions:
        """Hata over a coarse DEM (or none), ITM when a fine DEM is active; 250 m."""
        terrain = Terrain.active_terrain()
        fine = terrain is not None and not terrain.is_coarse
        return cls(
            model=PropagationModelChoices.ITM if fine else PropagationModelChoices.HATA,
            terrain_id=terrain.pk if terrain else None,
        )

    def core_params(self) -> CoverageParams:
        return CoverageParams(
            environment=str(self.environment),
            rx_height_m=float(self.rx_height_m),
            max_radius_m=float(self.max_radius_m),
            min_signal_dbm=float(self.weak_dbm) - FLOOR_BELOW_WEAK_DB,
            link=LinkBudget(eirp_convention=str(self.eirp_convention), n_rb=int(self.n_rb)),
        )

    def thresholds(self) -> ServiceThresholds:
        return ServiceThresholds(good_dbm=float(self.good_dbm), weak_dbm=float(self.weak_dbm))


def params_from_json(data: dict) -> CoverageParams:
    """Rebuild :class:`CoverageParams` from its stored ``asdict`` form."""
    values = dict(data)
    values["link"] = LinkBudget(**values.get("link", {}))
    values["itm"] = ItmParams(**values.get("itm", {}))
    return CoverageParams(**values)


def terrain_identifier(terrain: Terrain | None) -> str:
    """The terrain's part of the hash: its file digest and band (no need to read the DEM)."""
    if terrain is None:
        return "flat:0.0"
    return f"{terrain.name}:{terrain.sha256}:band{terrain.band}"


def regency_grid(area: RegencyArea, resolution_m: float) -> GridSpec:
    """The run grid: the regency's bounds in its UTM zone, snapped to the resolution."""
    west, south, east, north = area.bounds
    crs = utm_crs_for((west + east) / 2.0, (south + north) / 2.0)
    return GridSpec.from_lonlat_bounds(west, south, east, north, resolution_m, crs=crs)


def gather_site_specs(include_proposed: bool) -> tuple[list[dict], list[str], object]:
    """Inventory sites on air (and proposed/accepted ones if asked), sorted, with site ids."""
    specs, notes, inventory_date = inventory_site_specs()
    if include_proposed:
        proposed = ProposedSite.objects.exclude(status=ProposedSiteStatusChoices.REJECTED)
        specs += [proposed_site_spec(p) for p in proposed.order_by("pk")]
    specs.sort(key=lambda s: (s["operator"], s["kind"], s["code"]))
    for index, spec in enumerate(specs):
        spec["site_id"] = index
    return specs, notes, inventory_date


def _villages_fingerprint(inputs) -> list:
    return [
        [village.code, core.population, round(float(village.area_km2 or 0.0), 3)]
        for village, core, _figure in inputs
    ]


def _villages():
    from jangkau.regions.models import Village

    return village_inputs(
        Village.objects.exclude(boundary=None).prefetch_related("population_figures")
    )


def run_hash(core_hash: str, options: RunOptions, fingerprint: list) -> str:
    payload = {
        "app": RUN_VERSION,
        "core": core_hash,
        "thresholds": [float(options.good_dbm), float(options.weak_dbm)],
        "include_proposed": bool(options.include_proposed),
        "villages": fingerprint,
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _files_exist(run: CoverageRun) -> bool:
    files = [run.file(run.geotiff_path), run.file(run.png_path)]
    return all(f is not None and f.exists() for f in files)


class RunRefused(ValueError):
    """The options cannot be computed (e.g. a grid far too large); nothing was created."""


def prepare_run(options: RunOptions, user=None) -> tuple[CoverageRun, bool]:
    """The run for these options: an existing one with the same inputs, or a new queued one.

    Returns ``(run, needs_computing)``. A failed run with the same inputs is queued again.
    """
    area = RegencyArea.load()
    if area is None:
        raise RunRefused("No regency boundary is loaded; run `jangkau setup` first.")
    terrain = Terrain.objects.filter(pk=options.terrain_id).first() if options.terrain_id else None
    grid = regency_grid(area, options.resolution_m)
    if grid.width * grid.height > MAX_GRID_CELLS:
        raise RunRefused(
            f"A {options.resolution_m:g} m grid has {grid.width * grid.height:,} cells "
            f"(at most {MAX_GRID_CELLS:,}); choose a coarser resolution."
        )
    specs, notes, inventory_date = gather_site_specs(options.include_proposed)
    params = options.core_params()
    core_hash = coverage_inputs_hash(
        [core_site(s) for s in specs], grid, terrain_identifier(terrain), options.model, params
    )
    key = run_hash(core_hash, options, _villages_fingerprint(_villages()))
    now = timezone.now()
    today = timezone.localdate()
    existing = CoverageRun.objects.filter(inputs_hash=key).first()
    if existing is not None and existing.is_done and not _files_exist(existing):
        existing.state = RunStateChoices.FAILED  # its files were removed: compute again
    if existing is not None and existing.state != RunStateChoices.FAILED:
        existing.requested_at = now
        existing.save(update_fields=["requested_at"])
        return existing, False
    values = {
        "model": options.model,
        "params": asdict(params),
        "threshold_good_dbm": float(options.good_dbm),
        "threshold_weak_dbm": float(options.weak_dbm),
        "resolution_m": float(options.resolution_m),
        "terrain": terrain,
        "terrain_label": terrain.name if terrain else FLAT_EARTH_LABEL,
        "terrain_is_coarse": terrain is None or terrain.is_coarse,
        "include_proposed": bool(options.include_proposed),
        "sites": specs,
        "grid": asdict(grid),
        "n_sites": len(specs),
        "state": RunStateChoices.QUEUED,
        "notes": notes,
        "error": "",
        "requested_by": user if user is not None and user.is_authenticated else None,
        "requested_at": now,
        "source": f"Jangkau coverage engine ({options.model}), {len(specs)} site(s)",
        "as_of": min(inventory_date or today, today),
        "quality": QualityChoices.ESTIMATED,
    }
    if existing is not None:  # failed before: compute again
        for name, value in values.items():
            setattr(existing, name, value)
        existing.save()
        return existing, True
    try:
        with transaction.atomic():
            run = CoverageRun.objects.create(inputs_hash=key, **values)
    except IntegrityError:  # the same request raced us: use its run
        return CoverageRun.objects.get(inputs_hash=key), False
    return run, True


def merge_results(
    parts: list[CoverageResult],
    offsets: list[int],
    grid: GridSpec,
    sites: list,
    model: str,
    params: CoverageParams,
    core_hash: str,
    notes: list[str],
) -> CoverageResult:
    """Combine per-operator rasters (in site order) into the best-server raster of all sites."""
    best = np.full(grid.shape, -np.inf, dtype=np.float32)
    serving = np.full(grid.shape, -1, dtype=np.int32)
    for part, offset in zip(parts, offsets, strict=True):
        level = np.where(np.isnan(part.signal_dbm), -np.inf, part.signal_dbm)
        better = (level > best) & (part.serving >= 0)
        best[better] = level[better]
        serving[better] = part.serving[better] + offset
    signal = np.where(np.isfinite(best), best, np.float32(np.nan)).astype(np.float32)
    return CoverageResult(
        signal_dbm=signal,
        serving=serving,
        transform=grid.transform,
        crs=grid.crs,
        site_ids=tuple(int(s.site_id) for s in sites),
        operators=tuple(s.operator for s in sites),
        model=model,
        min_signal_dbm=float(params.min_signal_dbm),
        inputs_hash=core_hash,
        notes=tuple(notes),
    )


def compute(run: CoverageRun, progress=None) -> tuple[CoverageResult, dict[str, CoverageResult]]:
    """Compute a run's rasters: (all operators, {operator: raster}). No database writes."""
    grid = GridSpec(**run.grid)
    params = params_from_json(run.params)
    sites = [core_site(s) for s in run.sites]
    corners = _grid_lonlat_bounds(grid)
    if run.terrain_id is None and not run.uses_flat_earth:
        raise RuntimeError(f"run {run.pk}: its terrain {run.terrain_label!r} was deleted")
    terrain = open_terrain(run.terrain, corners)
    operators = sorted({s.operator for s in sites})
    parts, offsets, per_operator = [], [], {}
    notes: list[str] = []
    total = len(sites)
    done_before = 0
    for operator in operators:
        index = [i for i, s in enumerate(sites) if s.operator == operator]
        if index != list(range(index[0], index[0] + len(index))):
            raise ValueError("the sites of a run must be sorted by operator")
        group = [sites[i] for i in index]

        def report(done, _total, base=done_before):
            if progress is not None:
                progress(base + done, total)

        result = compute_best_server(group, grid, terrain, run.model, params, report)
        parts.append(result)
        offsets.append(index[0])
        per_operator[operator] = result
        notes += [n for n in result.notes if n not in notes]
        done_before += len(group)
    core_hash = coverage_inputs_hash(sites, grid, terrain.identifier, run.model, params)
    combined = merge_results(parts, offsets, grid, sites, run.model, params, core_hash, notes)
    return combined, per_operator


def _grid_lonlat_bounds(grid: GridSpec) -> tuple[float, float, float, float]:
    from pyproj import Transformer

    to_lonlat = Transformer.from_crs(grid.crs, "EPSG:4326", always_xy=True)
    return tuple(
        float(v)
        for v in to_lonlat.transform_bounds(
            grid.xmin, grid.ymin, grid.xmax, grid.ymax, densify_pts=21
        )
    )


def coverage_dir() -> Path:
    return Path(settings.DATA_DIR) / "coverage"


def _finite(value) -> float | None:
    return float(value) if value is not None and np.isfinite(value) else None


def village_rows(run: CoverageRun, result: CoverageResult, operator: str, inputs) -> list:
    """Unsaved :class:`VillageCoverage` rows of one raster."""
    thresholds = ServiceThresholds(run.threshold_good_dbm, run.threshold_weak_dbm)
    metrics = village_metrics(result, [core for _v, core, _f in inputs], thresholds)
    rows = []
    for (village, _core, figure), m in zip(inputs, metrics, strict=True):
        entry = run.site_entry(m.best_site_id)
        population = figure.value if figure is not None else None
        share_good = _finite(m.share_good)
        share_weak = _finite(m.share_weak)
        rows.append(
            VillageCoverage(
                run=run,
                village=village,
                operator=operator,
                share_good=share_good,
                share_weak=share_weak,
                population=population,
                population_quality=figure.quality if figure is not None else "",
                people_covered_estimate=(
                    population * share_good
                    if population is not None and share_good is not None
                    else None
                ),
                people_weak_estimate=(
                    population * share_weak
                    if population is not None and share_weak is not None
                    else None
                ),
                best_site_id=m.best_site_id,
                best_site_code=entry["code"] if entry else "",
                best_operator=m.best_operator or "",
                median_signal_dbm=_finite(m.median_signal_dbm),
                margin_db=_finite(m.margin_good_db),
                n_cells=m.n_cells,
                area_km2=_finite(m.area_km2),
                sampled_at_point=m.sampled_at_point,
            )
        )
    return rows


def execute_run(run: CoverageRun, progress: TaskProgress | None = None) -> CoverageRun:
    """Compute a queued run and store its files and village rows; mark it done.

    Predictions are published as evidence by the caller (:mod:`jangkau.radio.tasks`).
    """
    started = time.monotonic()
    run.state = RunStateChoices.RUNNING
    run.save(update_fields=["state"])
    last = {"t": 0.0}

    def report(done: int, total: int) -> None:
        now = time.monotonic()
        if progress is not None and (done == total or now - last["t"] >= 0.5):
            last["t"] = now
            progress.advance(done, total, f"{done}/{total} site(s)")

    combined, per_operator = compute(run, report)
    directory = coverage_dir()
    directory.mkdir(parents=True, exist_ok=True)
    tif = directory / f"{run.inputs_hash}.tif"
    png = directory / f"{run.inputs_hash}.png"
    write_coverage_geotiff(combined, tif)
    west, south, east, north = write_overlay(
        combined.signal_dbm,
        combined.transform,
        combined.crs,
        run.threshold_good_dbm,
        run.threshold_weak_dbm,
        png,
    )
    if progress is not None:
        progress.advance(run.n_sites, run.n_sites, "per-village figures")
    inputs = _villages()
    rows = village_rows(run, combined, "", inputs)
    for operator, result in per_operator.items():
        if operator:
            rows += village_rows(run, result, operator, inputs)
    with transaction.atomic():
        VillageCoverage.objects.filter(run=run).delete()
        VillageCoverage.objects.bulk_create(rows, batch_size=500)
        run.geotiff_path = str(tif.relative_to(Path(settings.DATA_DIR)))
        run.png_path = str(png.relative_to(Path(settings.DATA_DIR)))
        run.overlay_west, run.overlay_south = west, south
        run.overlay_east, run.overlay_north = east, north
        run.notes = list(run.notes) + [n for n in combined.notes if n not in run.notes]
        run.state = RunStateChoices.DONE
        run.finished_at = timezone.now()
        run.seconds = round(time.monotonic() - started, 3)
        run.error = ""
        run.save()
    return run


def latest_run(include_proposed: bool | None = None) -> CoverageRun | None:
    """The most recently requested finished run (of the current network if ``False``)."""
    qs = CoverageRun.objects.filter(state=RunStateChoices.DONE)
    if include_proposed is not None:
        qs = qs.filter(include_proposed=include_proposed)
    return qs.order_by("-requested_at", "-pk").first()
