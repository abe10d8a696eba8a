"""API of measurements (mounted at /api/measurements/): lists, details, creates, GeoJSON.

Creates run the importer of the kind on the one row, so a row sent to the API is checked exactly
like a row of an uploaded file; the permission is ``evidence.add`` (a village operator only for
their own villages), since every record writes evidence.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from jangkau.core.api import DEFAULT_LIMIT, error_body, paginate
from jangkau.core.importing import InputFileError, check_rows, get_spec, import_rows
from jangkau.core.permissions import RULES, require, roles_of
from jangkau.measurements import geojson
from jangkau.measurements.filtersets import (
    filter_point_measurements,
    filter_surveys,
    filter_tiles,
)
from jangkau.measurements.importers.ookla import tile_status
from jangkau.measurements.models import OoklaTile, SignalReading, SpeedTest, VillageSurvey
from jangkau.measurements.serializers import (
    signal_dict,
    speedtest_dict,
    survey_dict,
    tile_dict,
)
from jangkau.regions.filtersets import InvalidFilter

router = Router(tags=["measurements"])

GEOJSON = "application/geo+json"


def _invalid(exc: InvalidFilter):
    return HttpError(422, f"{exc.field}: {exc}")


def _one(model, pk: int):
    obj = model.objects.select_related("village").filter(pk=pk).first()
    if obj is None:
        raise Http404(f"{model._meta.verbose_name} {pk} not found")
    return obj


def _rejected(exc: InputFileError) -> JsonResponse:
    details = [
        {"field": e.field, "message": e.message, **({"row": e.row} if e.row else {})}
        for e in exc.errors
    ]
    return JsonResponse(error_body("invalid", "Invalid measurement.", details), status=422)


def _create(request, kind: str, model, payload: Schema, serialize):
    """Check the row like an import row, check the permission on its village, write it."""
    if not RULES["evidence.add"] & roles_of(request.user):
        raise PermissionDenied("not allowed: evidence.add")
    data = payload.dict(exclude_none=True)
    try:
        rows = check_rows(kind, [data], user=request.user)
        village = rows[0]["village"]
        require(request.user, "evidence.add", village_code=village.code)
        key = get_spec(kind).natural_key(rows[0])
        result = import_rows(kind, [data], user=request.user)
    except InputFileError as exc:
        return _rejected(exc)
    obj = model.objects.select_related("village").get(key=key)
    body = serialize(obj)
    body["recompute_progress_id"] = result.recompute_progress_id
    return Status(201 if result.created else 200, body)


def _mode(bin: str, hex_km: float) -> str:
    if bin not in ("auto", "points", "hex"):
        raise HttpError(422, "bin: one of auto, points, hex")
    low, high = geojson.HEX_KM_RANGE
    if not low <= hex_km <= high:
        raise HttpError(422, f"hex_km: between {low} and {high}")
    return bin


def _geojson_response(build) -> JsonResponse:
    try:
        body = build()
    except geojson.TooMany as exc:
        return JsonResponse(error_body("too_many", str(exc)), status=422)
    return JsonResponse(body, content_type=GEOJSON)


# -- speed tests -----------------------------------------------------------------------------


class SpeedTestIn(Schema):
    """One speed test; checked like a row of the ``speedtests`` import."""

    measured_at: datetime = Field(..., description="with a UTC offset; without one, WITA")
    lat: float
    lon: float
    download_mbps: float
    upload_mbps: float | None = None
    latency_ms: float | None = None
    jitter_ms: float | None = None
    operator: str | None = Field(None, description="telkomsel, indosat, xl, smartfren, other")
    technology: str | None = Field(None, description="2g 3g 4g 5g wifi fixed satellite unknown")
    tool: str = Field(..., description="ookla_app, mlab_ndt, opensignal, nperf, field_team, other")
    test_id: str | None = None
    village_code: str | None = None
    source: str | None = None
    source_url: str | None = None
    note: str | None = None


def _speedtests(village, kecamatan, operator, technology, tool, since, until):
    qs = SpeedTest.objects.select_related("village")
    try:
        return filter_point_measurements(
            qs,
            village=village,
            kecamatan=kecamatan,
            operator=operator,
            technology=technology,
            tool=tool,
            since=since,
            until=until,
        )
    except InvalidFilter as exc:
        raise _invalid(exc) from exc


@router.get("/speedtests", summary="List speed tests (filter by place, operator, date ...)")
def list_speedtests(
    request,
    village: str | None = None,
    kecamatan: str | None = None,
    operator: str | None = None,
    technology: str | None = None,
    tool: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
):
    qs = _speedtests(village, kecamatan, operator, technology, tool, since, until)
    return paginate(request, qs.order_by("-measured_at", "pk"), limit, offset, speedtest_dict)


@router.get(
    "/speedtests.geojson",
    summary="Speed tests as points, or hexagons with count and medians where dense",
)
def speedtests_geojson(
    request,
    village: str | None = None,
    kecamatan: str | None = None,
    operator: str | None = None,
    technology: str | None = None,
    tool: str | None = None,
    since: date | None = None,
    until: date | None = None,
    bin: str = "auto",
    hex_km: float = geojson.DEFAULT_HEX_KM,
):
    mode = _mode(bin, hex_km)
    qs = _speedtests(village, kecamatan, operator, technology, tool, since, until)
    return _geojson_response(
        lambda: geojson.measurement_collection(
            qs.order_by("pk"),
            mode=mode,
            width_km=hex_km,
            value_fields=("download_mbps", "upload_mbps", "latency_ms"),
            properties=lambda o: {
                "id": o.pk,
                "village": o.village.code,
                "measured_at": o.measured_at.isoformat(),
                "download_mbps": o.download_mbps,
                "upload_mbps": o.upload_mbps,
                "latency_ms": o.latency_ms,
                "operator": o.operator,
                "technology": o.technology,
                "tool": o.tool,
            },
        )
    )


@router.get("/speedtests/{pk}", summary="One speed test")
def get_speedtest(request, pk: int):
    return speedtest_dict(_one(SpeedTest, pk))


@router.post(
    "/speedtests",
    auth=django_auth,
    response={201: dict, 200: dict, 422: dict},
    summary="Record a speed test (admin, planner, network operator; village operator for "
    "their own villages); 200 when the same test is already stored",
)
def create_speedtest(request, payload: SpeedTestIn):
    return _create(request, "speedtests", SpeedTest, payload, speedtest_dict)


# -- signal readings -------------------------------------------------------------------------


class SignalReadingIn(Schema):
    """One signal reading; checked like a row of the ``signals`` import."""

    measured_at: datetime
    lat: float
    lon: float
    technology: str = Field(..., description="2g 3g 4g 5g none")
    operator: str | None = None
    rsrp_dbm: float | None = None
    rsrq_db: float | None = None
    sinr_db: float | None = None
    bars: int | None = None
    reading_id: str | None = None
    device: str | None = None
    village_code: str | None = None
    source: str | None = None
    source_url: str | None = None
    note: str | None = None


def _signals(village, kecamatan, operator, technology, since, until):
    qs = SignalReading.objects.select_related("village")
    try:
        return filter_point_measurements(
            qs,
            village=village,
            kecamatan=kecamatan,
            operator=operator,
            technology=technology,
            since=since,
            until=until,
        )
    except InvalidFilter as exc:
        raise _invalid(exc) from exc


@router.get("/signals", summary="List signal readings")
def list_signals(
    request,
    village: str | None = None,
    kecamatan: str | None = None,
    operator: str | None = None,
    technology: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
):
    qs = _signals(village, kecamatan, operator, technology, since, until)
    return paginate(request, qs.order_by("-measured_at", "pk"), limit, offset, signal_dict)


@router.get(
    "/signals.geojson",
    summary="Signal readings as points, or hexagons with count and medians where dense",
)
def signals_geojson(
    request,
    village: str | None = None,
    kecamatan: str | None = None,
    operator: str | None = None,
    technology: str | None = None,
    since: date | None = None,
    until: date | None = None,
    bin: str = "auto",
    hex_km: float = geojson.DEFAULT_HEX_KM,
):
    mode = _mode(bin, hex_km)
    qs = _signals(village, kecamatan, operator, technology, since, until)
    return _geojson_response(
        lambda: geojson.measurement_collection(
            qs.order_by("pk"),
            mode=mode,
            width_km=hex_km,
            value_fields=("rsrp_dbm", "bars"),
            properties=lambda o: {
                "id": o.pk,
                "village": o.village.code,
                "measured_at": o.measured_at.isoformat(),
                "operator": o.operator,
                "technology": o.technology,
                "rsrp_dbm": o.rsrp_dbm,
                "bars": o.bars,
            },
        )
    )


@router.get("/signals/{pk}", summary="One signal reading")
def get_signal(request, pk: int):
    return signal_dict(_one(SignalReading, pk))


@router.post(
    "/signals",
    auth=django_auth,
    response={201: dict, 200: dict, 422: dict},
    summary="Record a signal reading (same roles as evidence)",
)
def create_signal(request, payload: SignalReadingIn):
    return _create(request, "signals", SignalReading, payload, signal_dict)


# -- village surveys -------------------------------------------------------------------------


class VillageSurveyIn(Schema):
    """One village's Podes answers; checked like a row of the ``surveys`` import."""

    village_code: str
    survey_kind: str = Field(..., description="podes or field")
    survey_date: date
    edition: str | None = None
    phone_signal: str | None = Field(None, description="R1005C, e.g. 'Sinyal lemah'")
    internet_signal: str | None = Field(None, description="R1005D, e.g. '3G/H/H+/EVDO' or 2")
    bts_count: int | None = None
    operator_count: int | None = None
    surveyor: str | None = None
    source: str | None = None
    source_url: str | None = None
    note: str | None = None


@router.get("/surveys", summary="List village surveys (Podes categories)")
def list_surveys(
    request,
    village: str | None = None,
    kecamatan: str | None = None,
    survey_kind: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
):
    qs = VillageSurvey.objects.select_related("village")
    try:
        qs = filter_surveys(
            qs,
            village=village,
            kecamatan=kecamatan,
            survey_kind=survey_kind,
            since=since,
            until=until,
        )
    except InvalidFilter as exc:
        raise _invalid(exc) from exc
    qs = qs.order_by("village__code", "-survey_date", "pk")
    return paginate(request, qs, limit, offset, survey_dict)


@router.get("/surveys/{pk}", summary="One village survey")
def get_survey(request, pk: int):
    return survey_dict(_one(VillageSurvey, pk))


@router.post(
    "/surveys",
    auth=django_auth,
    response={201: dict, 200: dict, 422: dict},
    summary="Record a village survey (same roles as evidence)",
)
def create_survey(request, payload: VillageSurveyIn):
    return _create(request, "surveys", VillageSurvey, payload, survey_dict)


# -- Ookla tiles -----------------------------------------------------------------------------


def _tiles(village, kecamatan, network, period):
    qs = OoklaTile.objects.select_related("village")
    try:
        return filter_tiles(
            qs, village=village, kecamatan=kecamatan, network=network, period=period
        )
    except InvalidFilter as exc:
        raise _invalid(exc) from exc


@router.get(
    "/ookla-tiles", summary="List Ookla open-data tiles (filter by place, network, quarter)"
)
def list_tiles(
    request,
    village: str | None = None,
    kecamatan: str | None = None,
    network: str | None = None,
    period: date | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
):
    qs = _tiles(village, kecamatan, network, period).order_by("-period", "quadkey", "pk")
    return paginate(request, qs, limit, offset, tile_dict)


@router.get("/ookla-tiles.geojson", summary="Ookla tiles as squares with their averages")
def tiles_geojson(
    request,
    village: str | None = None,
    kecamatan: str | None = None,
    network: str | None = None,
    period: date | None = None,
):
    qs = _tiles(village, kecamatan, network, period).order_by("quadkey", "pk")
    return _geojson_response(
        lambda: geojson.tile_collection(
            qs,
            lambda t: {
                "id": t.pk,
                "quadkey": t.quadkey,
                "period": t.period.isoformat(),
                "network": t.network,
                "village": t.village.code,
                "avg_d_mbps": round(t.avg_d_kbps / 1000, 3),
                "avg_u_mbps": round(t.avg_u_kbps / 1000, 3),
                "avg_lat_ms": t.avg_lat_ms,
                "tests": t.tests,
                "devices": t.devices,
                "status": tile_status(t.network, t.avg_d_kbps)[0],
            },
        )
    )


@router.get("/ookla-tiles/{pk}", summary="One Ookla tile")
def get_tile(request, pk: int):
    return tile_dict(_one(OoklaTile, pk))
