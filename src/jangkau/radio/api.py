"""Coverage API (mounted at /api/coverage/): runs, village figures, terrains, proposed sites.

Reads of runs and terrains are public like the rest of the register; proposed sites are
internal planning material and need a login. Writes ask :func:`jangkau.core.permissions.can`:
``coverage.run`` (admin, planner) starts a run, ``coverage.propose`` (admin, planner, network
operator) adds a proposed site and edits one's own, ``coverage.decide`` (admin, planner)
accepts or rejects a proposal and edits anyone's.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from jangkau.core.api import DEFAULT_LIMIT, error_body, paginate
from jangkau.core.permissions import can, require
from jangkau.evidence.choices import OperatorChoices
from jangkau.radio import whatif
from jangkau.radio.choices import (
    EirpConventionChoices,
    EnvironmentChoices,
    PropagationModelChoices,
    ProposedSiteStatusChoices,
    RunStateChoices,
)
from jangkau.radio.engine import RunOptions, RunRefused, latest_run
from jangkau.radio.models import CoverageRun, ProposedSite, Terrain, VillageCoverage
from jangkau.radio.planning import proposed_site_dict
from jangkau.radio.serializers import (
    run_dict,
    terrain_dict,
    village_coverage_dict,
    whatif_dict,
)
from jangkau.radio.tasks import request_run

router = Router(tags=["coverage"])


def _details(exc: ValidationError) -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [
            {"field": "" if field == "__all__" else field, "message": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"field": "", "message": m} for m in exc.messages]


def _invalid(details: list[dict]):
    message = "; ".join(
        f"{d['field']}: {d['message']}" if d["field"] else d["message"] for d in details
    )
    return Status(422, error_body("invalid", message, details))


def _run(pk: int) -> CoverageRun:
    run = CoverageRun.objects.select_related("terrain").filter(pk=pk).first()
    if run is None:
        raise Http404(f"coverage run {pk} not found")
    return run


# --- runs ----------------------------------------------------------------------------------


@router.get("/runs", summary="List coverage runs, newest request first")
def list_runs(
    request,
    state: RunStateChoices | None = None,
    include_proposed: bool | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
):
    qs = CoverageRun.objects.order_by("-requested_at", "-pk")
    if state is not None:
        qs = qs.filter(state=state)
    if include_proposed is not None:
        qs = qs.filter(include_proposed=include_proposed)
    return paginate(request, qs, limit, offset, run_dict)


@router.get(
    "/runs/latest",
    summary="The latest finished run of the current network (its overlay for the map)",
)
def get_latest_run(request):
    run = latest_run(include_proposed=False)
    if run is None:
        raise Http404("no finished coverage run yet")
    return run_dict(run)


@router.get("/runs/{run_id}", summary="One run with its parameters, grid, sites and notes")
def get_run(request, run_id: int):
    return run_dict(_run(run_id), full=True)


@router.get(
    "/runs/{run_id}/villages",
    summary="Predicted coverage per village (operator '' = all operators; people estimated)",
)
def list_run_villages(
    request,
    run_id: int,
    operator: OperatorChoices | None = None,
    village: str | None = None,
    kecamatan: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
):
    run = _run(run_id)
    qs = VillageCoverage.objects.filter(run=run).select_related("village")
    qs = qs.filter(operator=operator.value if operator is not None else "")
    if village:
        qs = qs.filter(village__code=village)
    if kecamatan:
        qs = qs.filter(village__district__code=kecamatan)
    return paginate(request, qs.order_by("village__code"), limit, offset, village_coverage_dict)


class RunIn(Schema):
    """Parameters of a run; anything left out takes the app's default (shown in the reply)."""

    model: PropagationModelChoices | None = None
    resolution_m: float | None = Field(None, ge=50, le=5000)
    terrain: int | None = Field(None, description="terrain id; omit for the active terrain")
    flat_earth: bool = Field(False, description="ignore every terrain")
    environment: EnvironmentChoices | None = None
    good_dbm: float | None = Field(None, ge=-140, le=-40)
    weak_dbm: float | None = Field(None, ge=-140, le=-40)
    eirp_convention: EirpConventionChoices | None = None
    n_rb: int | None = Field(None, description="LTE resource blocks: 6, 15, 25, 50, 75, 100")
    max_radius_m: float | None = Field(None, ge=1000, le=100_000)
    include_proposed: bool = False


@router.post(
    "/runs",
    auth=django_auth,
    response={200: dict, 202: dict, 422: dict},
    summary="Start a coverage run (admin, planner); identical inputs reuse the finished run",
)
def create_run(request, payload: RunIn):
    require(request.user, "coverage.run")
    defaults = RunOptions.defaults()
    data = payload.dict(exclude_none=True)
    terrain_id = defaults.terrain_id
    if payload.flat_earth:
        terrain_id = None
    elif payload.terrain is not None:
        if not Terrain.objects.filter(pk=payload.terrain).exists():
            return _invalid([{"field": "terrain", "message": f"no terrain {payload.terrain}"}])
        terrain_id = payload.terrain
    if "n_rb" in data and data["n_rb"] not in (6, 15, 25, 50, 75, 100):
        return _invalid([{"field": "n_rb", "message": "use 6, 15, 25, 50, 75 or 100"}])
    values = {
        "model": str(data.get("model", defaults.model)),
        "resolution_m": data.get("resolution_m", defaults.resolution_m),
        "terrain_id": terrain_id,
        "environment": str(data.get("environment", defaults.environment)),
        "good_dbm": data.get("good_dbm", defaults.good_dbm),
        "weak_dbm": data.get("weak_dbm", defaults.weak_dbm),
        "eirp_convention": str(data.get("eirp_convention", defaults.eirp_convention)),
        "n_rb": data.get("n_rb", defaults.n_rb),
        "max_radius_m": data.get("max_radius_m", defaults.max_radius_m),
        "include_proposed": payload.include_proposed,
    }
    if values["good_dbm"] <= values["weak_dbm"]:
        return _invalid([{"field": "good_dbm", "message": "must be above weak_dbm"}])
    try:
        run, queued = request_run(RunOptions(**values), request.user)
    except RunRefused as exc:
        return _invalid([{"field": "resolution_m", "message": str(exc)}])
    return Status(202 if queued else 200, {**run_dict(run), "cached": not queued})


# --- terrains ------------------------------------------------------------------------------


@router.get("/terrains", summary="Registered terrains (DEMs); the active one is used by runs")
def list_terrains(request, limit: int = DEFAULT_LIMIT, offset: int = 0):
    return paginate(
        request, Terrain.objects.order_by("-active", "name"), limit, offset, terrain_dict
    )


# --- proposed sites ------------------------------------------------------------------------


class SectorIn(Schema):
    azimuth: float = Field(..., ge=0, lt=360)
    beamwidth: float = Field(65.0, gt=0, le=360)
    downtilt: float = Field(0.0, ge=-20, le=30)


class ProposedSiteIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    lat: float = Field(..., ge=-90, le=90)
    lon: float = Field(..., ge=-180, le=180)
    antenna_height_m: float = Field(30.0, gt=0, le=300)
    freq_mhz: float = Field(900.0, ge=400, le=6000)
    eirp_dbm: float = Field(58.0, ge=0, le=100, description="total carrier EIRP by default")
    sectors: list[SectorIn] = Field(default_factory=list, description="empty = omnidirectional")
    operator: OperatorChoices = OperatorChoices.ANY
    notes: str = Field("", max_length=4000)


class ProposedSitePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    antenna_height_m: float | None = Field(None, gt=0, le=300)
    freq_mhz: float | None = Field(None, ge=400, le=6000)
    eirp_dbm: float | None = Field(None, ge=0, le=100)
    sectors: list[SectorIn] | None = None
    operator: OperatorChoices | None = None
    notes: str | None = Field(None, max_length=4000)
    status: ProposedSiteStatusChoices | None = None


def _proposed(pk: int) -> ProposedSite:
    site = ProposedSite.objects.select_related("village", "created_by").filter(pk=pk).first()
    if site is None:
        raise Http404(f"proposed site {pk} not found")
    return site


def _save_site(site: ProposedSite):
    try:
        site.full_clean()
    except ValidationError as exc:
        return _invalid(_details(exc))
    site.save()
    return None


@router.get("/proposed-sites", auth=django_auth, summary="Proposed sites (logged-in users)")
def list_proposed_sites(
    request,
    status: ProposedSiteStatusChoices | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
):
    qs = ProposedSite.objects.select_related("village", "created_by").order_by("-created", "-pk")
    if status is not None:
        qs = qs.filter(status=status)
    return paginate(request, qs, limit, offset, proposed_site_dict)


@router.post(
    "/proposed-sites",
    auth=django_auth,
    response={201: dict, 422: dict},
    summary="Propose a site (admin, planner, network operator); the point must be in the regency",
)
def create_proposed_site(request, payload: ProposedSiteIn):
    require(request.user, "coverage.propose")
    data = payload.dict()
    data["sectors"] = [dict(s) for s in data["sectors"]]
    data["operator"] = str(
        data["operator"].value if hasattr(data["operator"], "value") else data["operator"]
    )
    site = ProposedSite(created_by=request.user, **data)
    refused = _save_site(site)
    if refused is not None:
        return refused
    return Status(201, proposed_site_dict(site))


@router.get("/proposed-sites/{site_id}", auth=django_auth, summary="One proposed site")
def get_proposed_site(request, site_id: int):
    return proposed_site_dict(_proposed(site_id))


@router.patch(
    "/proposed-sites/{site_id}",
    auth=django_auth,
    response={200: dict, 422: dict},
    summary="Edit a proposed site (its proposer, or a planner/admin); status: planner/admin",
)
def patch_proposed_site(request, site_id: int, payload: ProposedSitePatch):
    site = _proposed(site_id)
    require(request.user, "coverage.propose")
    data = payload.dict(exclude_unset=True)
    own = site.created_by_id == request.user.pk
    if not own and not can(request.user, "coverage.decide"):
        raise PermissionDenied("not allowed: only the proposer or a planner edits this site")
    if "status" in data and data["status"] is not None:
        require(request.user, "coverage.decide")
    for name, value in data.items():
        if value is None:
            raise HttpError(422, f"{name}: may not be null")
        if name == "sectors":
            value = [dict(s) for s in value]
        elif hasattr(value, "value"):
            value = value.value
        setattr(site, name, value)
    refused = _save_site(site)
    if refused is not None:
        return refused
    return proposed_site_dict(site)


@router.get(
    "/proposed-sites/{site_id}/footprint",
    auth=django_auth,
    summary="Predicted footprint of a proposed site and the villages it would newly serve",
)
def get_proposed_footprint(request, site_id: int):
    site = _proposed(site_id)
    try:
        result = whatif.assess(site)
    except ValueError as exc:
        raise HttpError(422, str(exc)) from exc
    return whatif_dict(result)
