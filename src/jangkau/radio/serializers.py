"""Plain-data views of the coverage models, shared by the API and the map scripts."""

from __future__ import annotations

from django.urls import reverse

from jangkau.radio.models import CoverageRun, Terrain, VillageCoverage
from jangkau.radio.planning import proposed_site_dict


def terrain_dict(t: Terrain) -> dict:
    return {
        "id": t.pk,
        "name": t.name,
        "active": t.active,
        "is_coarse": t.is_coarse,
        "resolution_m": t.resolution_m,
        "crs": t.crs_label,
        "bounds": [t.west, t.south, t.east, t.north],
        "source": t.source,
        "source_url": t.source_url,
        "as_of": t.as_of.isoformat() if t.as_of else None,
        "as_of_label": t.as_of_label,
        "quality": t.quality,
        "notes": t.notes,
    }


def run_dict(run: CoverageRun, full: bool = False) -> dict:
    done = run.is_done
    body = {
        "id": run.pk,
        "state": run.state,
        "model": run.model,
        "resolution_m": run.resolution_m,
        "thresholds_dbm": {"good": run.threshold_good_dbm, "weak": run.threshold_weak_dbm},
        "terrain": run.terrain_label,
        "terrain_is_coarse": run.terrain_is_coarse,
        "include_proposed": run.include_proposed,
        "n_sites": run.n_sites,
        "seconds": run.seconds,
        "created": run.created.isoformat(),
        "requested_at": run.requested_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "published_at": run.published_at.isoformat() if run.published_at else None,
        "inputs_hash": run.inputs_hash,
        "source": run.source,
        "as_of": run.as_of.isoformat() if run.as_of else None,
        "quality": run.quality,
        "progress": run.progress_id,
        "progress_url": reverse("web:task-progress", args=[run.progress_id])
        if run.progress_id
        else None,
        "overlay_url": reverse("radio:run-overlay", args=[run.pk]) if done else None,
        "geotiff_url": reverse("radio:run-geotiff", args=[run.pk]) if done else None,
        "bounds": run.overlay_bounds,
        "error": run.error,
    }
    if full:
        body["params"] = run.params
        body["grid"] = run.grid
        body["notes"] = run.notes
        body["sites"] = run.sites
    return body


def village_coverage_dict(row: VillageCoverage) -> dict:
    return {
        "village": row.village.code,
        "name": row.village.name,
        "operator": row.operator,
        "share_good": row.share_good,
        "share_weak": row.share_weak,
        "population": row.population,
        "population_quality": row.population_quality,
        "people_covered_estimate": row.people_covered_estimate,
        "people_weak_estimate": row.people_weak_estimate,
        "people_quality": "estimated",
        "best_site": row.best_site_code,
        "best_operator": row.best_operator,
        "median_signal_dbm": row.median_signal_dbm,
        "margin_db": row.margin_db,
        "n_cells": row.n_cells,
        "sampled_at_point": row.sampled_at_point,
    }


def whatif_dict(result: dict) -> dict:
    """The assessment with URLs instead of file paths."""
    body = {k: v for k, v in result.items() if k not in ("overlay_path", "overlay_key")}
    body["overlay_url"] = reverse("radio:footprint-overlay", args=[result["overlay_key"]])
    body["people_quality"] = "estimated"
    return body


__all__ = [
    "proposed_site_dict",
    "run_dict",
    "terrain_dict",
    "village_coverage_dict",
    "whatif_dict",
]
