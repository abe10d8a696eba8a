"""Inventory API (mounted at /api/inventory/): sites, links, access points, facilities.

Lists are paginated and filtered through :mod:`jangkau.inventory.filtersets`; writes need the
``inventory.change`` permission (admin, planner, network operator). The GeoJSON layers are
plain views in :mod:`jangkau.inventory.geojson`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from jangkau.core.api import DEFAULT_LIMIT, error_body, paginate
from jangkau.core.permissions import require
from jangkau.inventory import filtersets
from jangkau.inventory.models import AccessPoint, Facility, Link, Sector, Site
from jangkau.inventory.queries import (
    access_points_qs,
    facilities_qs,
    links_qs,
    site_detail_qs,
    sites_qs,
)
from jangkau.inventory.schemas import (
    AccessPointIn,
    AccessPointPatch,
    FacilityIn,
    FacilityPatch,
    LinkIn,
    LinkPatch,
    SiteIn,
    SitePatch,
    SiteStatusIn,
)
from jangkau.inventory.serializers import (
    access_point_dict,
    facility_dict,
    link_dict,
    site_dict,
    status_change_dict,
)
from jangkau.regions.filtersets import InvalidFilter

router = Router(tags=["inventory"])

CHANGE = "inventory.change"
WRITE_RESPONSES = {200: dict, 201: dict, 409: dict, 422: dict}


class Invalid(Exception):
    """A write refused with field details (turned into a 422 or 409 body)."""

    def __init__(self, details: list[dict], status: int = 422):
        super().__init__(details)
        self.details = details
        self.status = status


def _details(exc: ValidationError) -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [
            {"field": "" if field == "__all__" else field, "message": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"field": "", "message": message} for message in exc.messages]


def _refused(exc: Invalid):
    code = "conflict" if exc.status == 409 else "invalid"
    message = "; ".join(
        f"{d['field']}: {d['message']}" if d["field"] else d["message"] for d in exc.details
    )
    return Status(exc.status, error_body(code, message, exc.details))


def _filtered(function, **filters):
    try:
        return function(**{k: v for k, v in filters.items() if v not in (None, "")})
    except InvalidFilter as exc:
        raise HttpError(422, f"{exc.field}: {exc}") from exc


def _provenance_defaults(obj) -> None:
    if obj.as_of is None and not obj.as_of_label:
        obj.as_of = timezone.localdate()


def _save(obj, exclude_unique: bool = False) -> None:
    """Validate every field and constraint, then save; raise :class:`Invalid` on a problem."""
    try:
        obj.full_clean(validate_unique=not exclude_unique)
    except ValidationError as exc:
        raise Invalid(_details(exc)) from exc
    try:
        obj.save()
    except IntegrityError as exc:
        raise Invalid([{"field": "", "message": str(exc)}], status=409) from exc


def _plain(value):
    """Enum members (from the request schema) as their stored values, also inside lists."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.value if hasattr(value, "value") else value


def _apply(obj, values: dict) -> None:
    for name, value in values.items():
        setattr(obj, name, _plain(value))


def _with_status_context(obj, request, data: dict, note: str):
    """``obj``, told how to record a status change: dated the request's ``as_of`` or today."""
    obj.status_context(data.get("as_of"), note, request.user)
    return obj


def _get(qs, code: str, noun: str):
    obj = qs.filter(code=code).first()
    if obj is None:
        raise Http404(f"{noun} {code} not found")
    return obj


def _conflict_if_exists(model, code: str, noun: str) -> None:
    if model.objects.filter(code=code).exists():
        raise Invalid([{"field": "code", "message": f"{noun} {code} already exists"}], status=409)


# --- sites ---------------------------------------------------------------------------------


@router.get("/sites", summary="List sites (filter by operator, status, village, kecamatan, …)")
def list_sites(
    request,
    operator: str | None = None,
    status: str | None = None,
    village: str | None = None,
    kecamatan: str | None = None,
    technology: str | None = None,
    programme: str | None = None,
    q: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
):
    qs = _filtered(
        filtersets.filter_sites,
        queryset=sites_qs(),
        operator=operator,
        status=status,
        village=village,
        kecamatan=kecamatan,
        technology=technology,
        programme=programme,
        q=q,
    )
    return paginate(request, qs, limit, offset, site_dict)


@router.get("/sites/{code}", summary="One site with its sectors and status history")
def get_site(request, code: str):
    return site_dict(_get(site_detail_qs(), code, "site"), full=True)


def _replace_sectors(site: Site, sectors: list) -> None:
    site.sectors.all().delete()
    for index, item in enumerate(sectors):
        sector = Sector(site=site, **item)
        try:
            sector.full_clean()
        except ValidationError as exc:
            raise Invalid(
                [
                    {"field": f"sectors.{index}.{d['field']}".rstrip("."), "message": d["message"]}
                    for d in _details(exc)
                ]
            ) from exc
        sector.save()


def _check_omni(site: Site, sectors: list | None) -> None:
    n = len(sectors) if sectors is not None else site.sectors.count() if site.pk else 0
    if site.omni and n:
        raise Invalid([{"field": "sectors", "message": "an omnidirectional site has no sectors"}])


@router.post(
    "/sites",
    auth=django_auth,
    response=WRITE_RESPONSES,
    summary="Add a site (admin, planner, network operator); its first status is recorded",
)
def create_site(request, payload: SiteIn):
    require(request.user, CHANGE)
    data = payload.dict()
    sectors = data.pop("sectors")
    try:
        _conflict_if_exists(Site, payload.code, "site")
        with transaction.atomic():
            site = Site()
            _apply(site, data)
            _provenance_defaults(site)
            _check_omni(site, sectors)
            _save(site)
            _replace_sectors(site, sectors)
            site.start_history(user=request.user, note=_("created through the API"))
    except Invalid as exc:
        return _refused(exc)
    return Status(201, site_dict(site_detail_qs().get(pk=site.pk), full=True))


@router.patch(
    "/sites/{code}",
    auth=django_auth,
    response=WRITE_RESPONSES,
    summary="Change a site (admin, planner, network operator); status has its own endpoint",
)
def update_site(request, code: str, payload: SitePatch):
    require(request.user, CHANGE)
    site = _get(Site.objects.all(), code, "site")
    data = payload.dict(exclude_unset=True)
    sectors = data.pop("sectors", None)
    try:
        with transaction.atomic():
            _apply(site, data)
            _check_omni(site, sectors)
            _save(site)
            if sectors is not None:
                _replace_sectors(site, sectors)
    except Invalid as exc:
        return _refused(exc)
    return Status(200, site_dict(site_detail_qs().get(pk=site.pk), full=True))


@router.post(
    "/sites/{code}/status",
    auth=django_auth,
    response=WRITE_RESPONSES,
    summary="Change a site's status on a date; writes a row of its status history",
)
def change_site_status(request, code: str, payload: SiteStatusIn):
    require(request.user, CHANGE)
    site = _get(Site.objects.all(), code, "site")
    try:
        change = site.set_status(
            payload.status.value,
            payload.changed_on or timezone.localdate(),
            payload.note,
            request.user,
        )
    except ValidationError as exc:
        return _refused(Invalid(_details(exc), status=409 if _has_code(exc, "unchanged") else 422))
    return Status(201, {"change": status_change_dict(change), "site": site_dict(site)})


def _has_code(exc: ValidationError, code: str) -> bool:
    errors = exc.error_dict.values() if hasattr(exc, "error_dict") else [exc.error_list]
    return any(e.code == code for group in errors for e in group)


# --- links ---------------------------------------------------------------------------------


@router.get("/links", summary="List backhaul links (filter by kind, status, site, village, …)")
def list_links(
    request,
    kind: str | None = None,
    status: str | None = None,
    site: str | None = None,
    village: str | None = None,
    kecamatan: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
):
    qs = _filtered(
        filtersets.filter_links,
        queryset=links_qs(),
        kind=kind,
        status=status,
        site=site,
        village=village,
        kecamatan=kecamatan,
    )
    return paginate(request, qs, limit, offset, link_dict)


@router.get("/links/{code}", summary="One link with its route and status history")
def get_link(request, code: str):
    return link_dict(_get(links_qs(), code, "link"), full=True)


def _endpoints(data: dict) -> None:
    for field in ("endpoint_a", "endpoint_b"):
        if field not in data:
            continue
        code = data.pop(field)
        if code in (None, ""):
            data[field] = None
            continue
        site = Site.objects.filter(code=code).first()
        if site is None:
            raise Invalid([{"field": field, "message": f"site {code} does not exist"}])
        data[field] = site


@router.post(
    "/links",
    auth=django_auth,
    response=WRITE_RESPONSES,
    summary="Add a link (admin, planner, network operator); its length is computed from the route",
)
def create_link(request, payload: LinkIn):
    require(request.user, CHANGE)
    data = payload.dict()
    try:
        _conflict_if_exists(Link, payload.code, "link")
        _endpoints(data)
        link = Link()
        _apply(link, data)
        _provenance_defaults(link)
        _save(_with_status_context(link, request, data, _("created through the API")))
    except Invalid as exc:
        return _refused(exc)
    return Status(201, link_dict(links_qs().get(pk=link.pk), full=True))


@router.patch("/links/{code}", auth=django_auth, response=WRITE_RESPONSES, summary="Change a link")
def update_link(request, code: str, payload: LinkPatch):
    require(request.user, CHANGE)
    link = _get(Link.objects.all(), code, "link")
    data = payload.dict(exclude_unset=True)
    try:
        _endpoints(data)
        _apply(link, data)
        _save(_with_status_context(link, request, data, _("changed through the API")))
    except Invalid as exc:
        return _refused(exc)
    return Status(200, link_dict(links_qs().get(pk=link.pk), full=True))


# --- access points -------------------------------------------------------------------------


@router.get("/access-points", summary="List access points (filter by kind, status, village, …)")
def list_access_points(
    request,
    kind: str | None = None,
    status: str | None = None,
    village: str | None = None,
    kecamatan: str | None = None,
    provider: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
):
    qs = _filtered(
        filtersets.filter_access_points,
        queryset=access_points_qs(),
        kind=kind,
        status=status,
        village=village,
        kecamatan=kecamatan,
        provider=provider,
    )
    return paginate(request, qs, limit, offset, access_point_dict)


@router.get("/access-points/{code}", summary="One access point with its status history")
def get_access_point(request, code: str):
    return access_point_dict(_get(access_points_qs(), code, "access point"), full=True)


@router.post(
    "/access-points", auth=django_auth, response=WRITE_RESPONSES, summary="Add an access point"
)
def create_access_point(request, payload: AccessPointIn):
    require(request.user, CHANGE)
    try:
        _conflict_if_exists(AccessPoint, payload.code, "access point")
        ap = AccessPoint()
        data = payload.dict()
        _apply(ap, data)
        _provenance_defaults(ap)
        _save(_with_status_context(ap, request, data, _("created through the API")))
    except Invalid as exc:
        return _refused(exc)
    return Status(201, access_point_dict(access_points_qs().get(pk=ap.pk), full=True))


@router.patch(
    "/access-points/{code}",
    auth=django_auth,
    response=WRITE_RESPONSES,
    summary="Change an access point",
)
def update_access_point(request, code: str, payload: AccessPointPatch):
    require(request.user, CHANGE)
    ap = _get(AccessPoint.objects.all(), code, "access point")
    try:
        data = payload.dict(exclude_unset=True)
        _apply(ap, data)
        _save(_with_status_context(ap, request, data, _("changed through the API")))
    except Invalid as exc:
        return _refused(exc)
    return Status(200, access_point_dict(access_points_qs().get(pk=ap.pk), full=True))


# --- facilities ----------------------------------------------------------------------------


@router.get("/facilities", summary="List facilities (filter by kind, connected, village, …)")
def list_facilities(
    request,
    kind: str | None = None,
    connected: str | None = None,
    connection_kind: str | None = None,
    village: str | None = None,
    kecamatan: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
):
    qs = _filtered(
        filtersets.filter_facilities,
        queryset=facilities_qs(),
        kind=kind,
        connected=connected,
        connection_kind=connection_kind,
        village=village,
        kecamatan=kecamatan,
    )
    return paginate(request, qs, limit, offset, facility_dict)


@router.get("/facilities/{code}", summary="One facility")
def get_facility(request, code: str):
    return facility_dict(_get(facilities_qs(), code, "facility"))


@router.post("/facilities", auth=django_auth, response=WRITE_RESPONSES, summary="Add a facility")
def create_facility(request, payload: FacilityIn):
    require(request.user, CHANGE)
    try:
        _conflict_if_exists(Facility, payload.code, "facility")
        facility = Facility()
        _apply(facility, payload.dict())
        _provenance_defaults(facility)
        _save(facility)
    except Invalid as exc:
        return _refused(exc)
    return Status(201, facility_dict(facilities_qs().get(pk=facility.pk)))


@router.patch(
    "/facilities/{code}", auth=django_auth, response=WRITE_RESPONSES, summary="Change a facility"
)
def update_facility(request, code: str, payload: FacilityPatch):
    require(request.user, CHANGE)
    facility = _get(Facility.objects.all(), code, "facility")
    try:
        _apply(facility, payload.dict(exclude_unset=True))
        _save(facility)
    except Invalid as exc:
        return _refused(exc)
    return Status(200, facility_dict(facilities_qs().get(pk=facility.pk)))
