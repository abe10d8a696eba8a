"""Importers of the inventory (sites, links, facilities, access points) for the shared framework.

Each kind is an :class:`~jangkau.core.importing.ImportSpec` registered on app ready. The
framework reads the file, cleans each value by its column and locates points in villages;
``check_row`` adds the inventory's own rules (technology and band lists, sectors, a status change
the site may make, a link route inside the regency with its end sites at its ends), so a file
with any problem is refused whole before anything is written. Rows are matched on ``code``:
importing the same file again changes nothing, and a blank optional cell keeps the stored value.
A site whose status changes gets a :class:`~jangkau.inventory.models.SiteStatusChange` row dated
``status_date`` (else ``as_of``, else today); a link or an access point, a
:class:`~jangkau.inventory.models.ServiceStatusChange` row dated the same way.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from shapely.geometry import LineString, mapping

from jangkau.core.choices import QualityChoices
from jangkau.core.importing import Column, ImportSpec, InputFileError, RowError, WriteStats
from jangkau.core.importing import register as register_spec
from jangkau.inventory.choices import (
    SITE_OPERATOR_CHOICES,
    AccessPointKindChoices,
    BackhaulChoices,
    ConnectedChoices,
    ConnectionKindChoices,
    FacilityKindChoices,
    LinkKindChoices,
    PowerSourceChoices,
    ProgrammeChoices,
    ServiceStatusChoices,
    SiteStatusChoices,
    TechnologyChoices,
)
from jangkau.inventory.geo import distance_km, frame_scope
from jangkau.inventory.models import AccessPoint, Facility, Link, Sector, Site
from jangkau.inventory.models.links import ENDPOINT_TOLERANCE_KM
from jangkau.inventory.models.sites import validate_bands, validate_technologies

_LIST_SPLIT = re.compile(r"[;,/|\s]+")
EXAMPLE_SOURCE = "Example row: replace with your source"


def _code_column(noun: str, example: str) -> Column:
    return Column(
        "code",
        "str",
        aliases=(f"{noun}_code", f"{noun}_id", "kode"),
        max_length=64,
        help=gettext_lazy("Stable identifier; re-importing a code updates that row."),
        example=example,
    )


PROVENANCE_COLUMNS = (
    Column(
        "source",
        "str",
        aliases=("sumber",),
        max_length=300,
        help=gettext_lazy("Who says so: the list, survey or document the row comes from."),
        example="Diskominfo Kutim field survey",
    ),
    Column("source_url", "str", required=False, max_length=2000),
    Column(
        "as_of",
        "date",
        required=False,
        aliases=("date", "tanggal"),
        help=gettext_lazy("The date the row describes."),
        example="2025-06-01",
    ),
    Column("as_of_label", "str", required=False, max_length=100),
    Column("quality", "choice", required=False, choices=tuple(QualityChoices.values)),
    Column("notes", "str", required=False, max_length=5000),
)

VILLAGE_CODE = Column(
    "village_code",
    "village_code",
    required=False,
    aliases=("kode_desa",),
    help=gettext_lazy("Optional: checked against the coordinates."),
)


# --- shared helpers ------------------------------------------------------------------------


def _split(text: str | None) -> list[str]:
    return [part for part in _LIST_SPLIT.split(text or "") if part]


def _errors_of(exc: ValidationError, row: int, default_field: str) -> list[RowError]:
    if hasattr(exc, "error_dict"):
        return [
            RowError(row, default_field if field == "__all__" else field, message)
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [RowError(row, default_field, message) for message in exc.messages]


def _clean_or_raise(obj, row: dict, default_field: str = "code") -> None:
    """``full_clean`` as the last guard while writing: a problem rolls the whole file back."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise InputFileError(_errors_of(exc, row["_row"], default_field)) from exc


def _given(row: dict, names: tuple[str, ...]) -> dict:
    """The row's values for ``names`` that are not blank (blank keeps the stored value)."""
    return {name: row[name] for name in names if row.get(name) is not None}


def _assign(obj, values: dict) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _moved(obj, row: dict) -> bool:
    moved = (obj.lat, obj.lon) != (row["lat"], row["lon"]) or obj.village_id != (
        row["village"].pk if row["village"] is not None else None
    )
    if moved:
        obj.place(row["lat"], row["lon"], row["village"])
    return moved


PROVENANCE_FIELDS = ("source", "source_url", "as_of", "as_of_label", "quality", "notes")


# --- sites ---------------------------------------------------------------------------------

SITE_FIELDS = (
    "name",
    "operator",
    "operator_name",
    "antenna_height_m",
    "omni",
    "eirp_dbm",
    "power_source",
    "backhaul",
    "programme",
    *PROVENANCE_FIELDS,
)


def _parse_site_lists(row: dict) -> list[RowError]:
    errors = []
    n = row["_row"]
    if row.get("technologies") is not None:
        techs = [t.upper() for t in _split(row["technologies"])]
        try:
            validate_technologies(techs)
            order = TechnologyChoices.values
            row["_technologies"] = sorted(techs, key=order.index)
        except ValidationError as exc:
            errors += _errors_of(exc, n, "technologies")
    if row.get("bands_mhz") is not None:
        try:
            bands = [int(b) for b in _split(row["bands_mhz"])]
            validate_bands(bands)
            row["_bands"] = sorted(bands)
        except ValueError:
            errors.append(
                RowError(n, "bands_mhz", _("Bands are whole MHz separated by ';', e.g. 900;1800"))
            )
        except ValidationError as exc:
            errors += _errors_of(exc, n, "bands_mhz")
    if row.get("azimuths") is not None:
        try:
            azimuths = [int(a) for a in _split(row["azimuths"])]
        except ValueError:
            azimuths = None
        if azimuths is None or any(not 0 <= a <= 359 for a in azimuths):
            errors.append(
                RowError(n, "azimuths", _("Azimuths are whole degrees 0–359 separated by ';'."))
            )
        elif len(set(azimuths)) != len(azimuths):
            errors.append(RowError(n, "azimuths", _("An azimuth is listed twice.")))
        else:
            row["_azimuths"] = sorted(azimuths)
    return errors


def check_site_row(row: dict, ctx) -> list[RowError]:
    n = row["_row"]
    errors = _parse_site_lists(row)
    site = Site.objects.filter(code=row["code"]).first()
    omni = row["omni"] if row.get("omni") is not None else bool(site and site.omni)
    if omni and row.get("_azimuths"):
        errors.append(RowError(n, "azimuths", _("An omnidirectional site has no sector azimuths.")))
    operator = row["operator"]
    name = row.get("operator_name") or (site.operator_name if site else "")
    if operator == "other" and not name:
        errors.append(RowError(n, "operator_name", _("Name the operator when it is 'other'.")))
    if site is not None and row["status"] != site.status:
        try:
            site.check_status_change(row["status"], _status_date(row, ctx))
        except ValidationError as exc:
            for error in _errors_of(exc, n, "status"):
                field = "status_date" if error.field == "changed_on" else error.field
                errors.append(RowError(n, field, error.message))
    return errors


def _status_date(row: dict, ctx):
    return row.get("status_date") or row.get("as_of") or ctx.today


def _sector_values(row: dict, azimuth: int) -> dict:
    values = {"azimuth_deg": azimuth}
    for name in ("mechanical_tilt_deg", "electrical_tilt_deg", "beamwidth_deg"):
        if row.get(name) is not None:
            values[name] = row[name]
    return values


def _sectors_differ(site: Site, row: dict) -> bool:
    if row.get("_azimuths") is None:
        return False
    stored = sorted(
        (s.azimuth_deg, s.mechanical_tilt_deg, s.electrical_tilt_deg, s.beamwidth_deg)
        for s in site.sectors.all()
    )
    wanted = []
    for azimuth in row["_azimuths"]:
        sector = Sector(site=site, **_sector_values(row, azimuth))
        wanted.append(
            (
                sector.azimuth_deg,
                sector.mechanical_tilt_deg,
                sector.electrical_tilt_deg,
                sector.beamwidth_deg,
            )
        )
    return stored != wanted


def _write_sectors(site: Site, row: dict) -> None:
    site.sectors.all().delete()
    for azimuth in row["_azimuths"]:
        sector = Sector(site=site, **_sector_values(row, azimuth))
        try:
            sector.full_clean()
        except ValidationError as exc:
            raise InputFileError(_errors_of(exc, row["_row"], "azimuths")) from exc
        sector.save()


def write_sites(rows: list[dict], ctx) -> WriteStats:
    stats = WriteStats()
    existing = {
        s.code: s
        for s in Site.objects.filter(code__in=[r["code"] for r in rows]).prefetch_related("sectors")
    }
    note = _("imported from %(name)s") % {"name": ctx.source_name}
    for row in rows:
        values = _given(row, SITE_FIELDS)
        if row.get("_technologies") is not None:
            values["technologies"] = row["_technologies"]
        if row.get("_bands") is not None:
            values["bands_mhz"] = row["_bands"]
        if values.get("operator") != "other":
            values["operator_name"] = ""
        site = existing.get(row["code"])
        if site is None:
            site = Site(code=row["code"], status=row["status"])
            _assign(site, values)
            site.place(row["lat"], row["lon"], row["village"])
            _clean_or_raise(site, row)
            site.save()
            if row.get("_azimuths"):
                _write_sectors(site, row)
            site.start_history(_status_date(row, ctx), note, ctx.user)
            existing[site.code] = site
            stats.created += 1
            continue
        changed = _assign(site, values)
        changed = _moved(site, row) or changed
        if changed:
            _clean_or_raise(site, row)
            site.save()
        if _sectors_differ(site, row):
            _write_sectors(site, row)
            changed = True
        if row["status"] != site.status:
            try:
                site.set_status(row["status"], _status_date(row, ctx), note, ctx.user)
            except ValidationError as exc:
                raise InputFileError(_errors_of(exc, row["_row"], "status")) from exc
            changed = True
        if changed:
            stats.updated += 1
        else:
            stats.unchanged += 1
    return stats


SITES = ImportSpec(
    kind="sites",
    title=gettext_lazy("Towers and BTS sites"),
    description=gettext_lazy(
        "One row per site of an operator: where it stands, what it radiates and its status. "
        "Lists (technologies, bands, azimuths) are separated by ';'. A changed status is "
        "recorded in the site's history, dated by status_date."
    ),
    columns=(
        _code_column("site", "TSEL-KTM-0001"),
        Column("name", "str", aliases=("site_name", "nama"), max_length=200, example="Sandaran"),
        Column(
            "operator",
            "choice",
            choices=tuple(value for value, _label in SITE_OPERATOR_CHOICES),
            example="telkomsel",
        ),
        Column("operator_name", "str", required=False, max_length=120),
        VILLAGE_CODE,
        Column(
            "technologies",
            "str",
            required=False,
            aliases=("tech",),
            help=gettext_lazy("2G, 3G, 4G, 5G separated by ';'."),
            example="2G;4G",
        ),
        Column(
            "bands_mhz",
            "str",
            required=False,
            aliases=("bands",),
            help=gettext_lazy("Bands in MHz separated by ';'."),
            example="900;1800",
        ),
        Column("antenna_height_m", "float", required=False, min=0, max=300, example="42"),
        Column("omni", "bool", required=False, example="false"),
        Column(
            "azimuths",
            "str",
            required=False,
            help=gettext_lazy("Sector azimuths in degrees separated by ';' (one sector each)."),
            example="0;120;240",
        ),
        Column("mechanical_tilt_deg", "float", required=False, min=-90, max=90),
        Column("electrical_tilt_deg", "float", required=False, min=-90, max=90),
        Column("beamwidth_deg", "float", required=False, min=0.1, max=360),
        Column("eirp_dbm", "float", required=False, min=0, max=100),
        Column("power_source", "choice", required=False, choices=tuple(PowerSourceChoices.values)),
        Column("backhaul", "choice", required=False, choices=tuple(BackhaulChoices.values)),
        Column("status", "choice", choices=tuple(SiteStatusChoices.values), example="on_air"),
        Column(
            "status_date",
            "date",
            required=False,
            help=gettext_lazy("When the site took this status (default: as_of, else today)."),
        ),
        Column("programme", "choice", required=False, choices=tuple(ProgrammeChoices.values)),
        *PROVENANCE_COLUMNS,
    ),
    geometry="point",
    natural_key=lambda row: row["code"],
    key_columns=("code",),
    write_batch=write_sites,
    check_row=check_site_row,
    example_rows=(
        {
            "code": "TSEL-KTM-0001",
            "name": "Swarga Bara",
            "operator": "telkomsel",
            "technologies": "2G;4G",
            "bands_mhz": "900;1800",
            "antenna_height_m": "42",
            "azimuths": "0;120;240",
            "power_source": "pln",
            "backhaul": "microwave",
            "status": "on_air",
            "programme": "operator",
            "source": EXAMPLE_SOURCE,
            "as_of": "2025-06-01",
            "quality": "illustrative",
            "lat": "0.5798",
            "lon": "117.4866",
        },
    ),
)


# --- links ---------------------------------------------------------------------------------

#: the date of a changed status of a link or an access point (kept in its status history).
SERVICE_STATUS_DATE = Column(
    "status_date",
    "date",
    required=False,
    help=gettext_lazy(
        "When it took this status, for its status history (default: as_of, else today)."
    ),
)

LINK_FIELDS = ("name", "kind", "provider", "capacity_mbps", "status", *PROVENANCE_FIELDS)


def check_link_row(row: dict, ctx) -> list[RowError]:
    n = row["_row"]
    errors = []
    geom = row["geometry"]
    if geom.geom_type == "MultiLineString":
        if len(geom.geoms) != 1:
            return [RowError(n, "wkt", _("A link is one continuous line, not several."))]
        geom = geom.geoms[0]
    line = LineString([(x, y) for x, y, *_z in geom.coords])
    if len(line.coords) < 2 or line.length == 0:
        return [RowError(n, "wkt", _("A line needs at least two distinct points."))]
    if not ctx.locator.zone.covers(line):
        errors.append(RowError(n, "wkt", _("The line leaves the regency (grown by 0.02°).")))
    row["_geojson"] = {
        "type": "LineString",
        "coordinates": [list(c) for c in mapping(line)["coordinates"]],
    }
    ends = [line.coords[0], line.coords[-1]]
    for field in ("endpoint_a", "endpoint_b"):
        code = row.get(field)
        if not code:
            continue
        site = Site.objects.filter(code=code).first()
        if site is None:
            errors.append(RowError(n, field, _("Site %(code)s does not exist.") % {"code": code}))
            continue
        nearest = min(distance_km(site.lat, site.lon, lat, lon) for lon, lat in ends)
        if nearest > ENDPOINT_TOLERANCE_KM:
            errors.append(
                RowError(
                    n,
                    field,
                    _("Site %(code)s stands %(km).1f km from the nearest end of the line.")
                    % {"code": code, "km": nearest},
                )
            )
    if row.get("endpoint_a") and row.get("endpoint_a") == row.get("endpoint_b"):
        errors.append(RowError(n, "endpoint_b", _("A link cannot start and end at one site.")))
    return errors


def write_links(rows: list[dict], ctx) -> WriteStats:
    stats = WriteStats()
    existing = {link.code: link for link in Link.objects.filter(code__in=[r["code"] for r in rows])}
    codes = {r.get(f) for r in rows for f in ("endpoint_a", "endpoint_b") if r.get(f)}
    sites = {s.code: s for s in Site.objects.filter(code__in=codes)}
    note = _("imported from %(name)s") % {"name": ctx.source_name}
    with frame_scope():
        for row in rows:
            values = _given(row, LINK_FIELDS)
            values["geometry"] = row["_geojson"]
            for field in ("endpoint_a", "endpoint_b"):
                if row.get(field):
                    values[f"{field}_id"] = sites[row[field]].pk
            link = existing.get(row["code"])
            if link is None:
                link = Link(code=row["code"])
                _assign(link, values)
                _clean_or_raise(_with_status_context(link, row, ctx, note), row, "wkt")
                link.save()
                existing[link.code] = link
                stats.created += 1
            elif _assign(link, values):
                _clean_or_raise(_with_status_context(link, row, ctx, note), row, "wkt")
                link.save()
                stats.updated += 1
            else:
                stats.unchanged += 1
    return stats


LINKS = ImportSpec(
    kind="links",
    title=gettext_lazy("Backhaul links"),
    description=gettext_lazy(
        "One row per fiber route, microwave hop or VSAT path, drawn as a line (a 'wkt' column "
        "with WKT or GeoJSON, or the features of a GeoJSON/GeoPackage file). The length is "
        "computed from the line. End sites, when given, must stand at the ends of the line."
    ),
    columns=(
        _code_column("link", "MW-KTM-0001"),
        Column("name", "str", required=False, max_length=200),
        Column("kind", "choice", choices=tuple(LinkKindChoices.values), example="microwave_hop"),
        Column("provider", "str", required=False, max_length=120),
        Column("endpoint_a", "str", required=False, max_length=64, aliases=("site_a",)),
        Column("endpoint_b", "str", required=False, max_length=64, aliases=("site_b",)),
        Column("capacity_mbps", "float", required=False, min=0.001, max=10_000_000),
        Column(
            "wkt",
            "str",
            required=False,
            aliases=("geometry", "geom", "geojson"),
            help=gettext_lazy(
                "The route as WKT or GeoJSON, longitude first (not needed in a GeoJSON or "
                "GeoPackage file, whose features carry it)."
            ),
            example="LINESTRING (117.4866 0.5798, 117.5200 0.6100)",
        ),
        Column(
            "status",
            "choice",
            required=False,
            choices=tuple(ServiceStatusChoices.values),
            example="active",
        ),
        SERVICE_STATUS_DATE,
        *PROVENANCE_COLUMNS,
    ),
    geometry="line",
    natural_key=lambda row: row["code"],
    key_columns=("code",),
    write_batch=write_links,
    check_row=check_link_row,
    example_rows=(
        {
            "code": "MW-KTM-0001",
            "kind": "microwave_hop",
            "capacity_mbps": "400",
            "status": "active",
            "source": EXAMPLE_SOURCE,
            "as_of": "2025-06-01",
            "quality": "illustrative",
            "wkt": "LINESTRING (117.4866 0.5798, 117.5200 0.6100)",
        },
    ),
)


# --- facilities and access points ----------------------------------------------------------

FACILITY_FIELDS = ("kind", "name", "connected", "connection_kind", *PROVENANCE_FIELDS)
ACCESS_POINT_FIELDS = (
    "name",
    "kind",
    "provider",
    "capacity_mbps",
    "status",
    "installed_on",
    *PROVENANCE_FIELDS,
)


def check_facility_row(row: dict, ctx) -> list[RowError]:
    stored = Facility.objects.filter(code=row["code"]).values("connected", "connection_kind")
    stored = stored.first() or {
        "connected": ConnectedChoices.UNKNOWN,
        "connection_kind": ConnectionKindChoices.UNKNOWN,
    }
    connected = row.get("connected") or stored["connected"]
    kind = row.get("connection_kind") or stored["connection_kind"]
    if connected == ConnectedChoices.YES and kind == ConnectionKindChoices.NONE:
        message = _("A connected facility needs a connection other than 'none'.")
        return [RowError(row["_row"], "connection_kind", message)]
    if connected == ConnectedChoices.NO and kind not in (
        ConnectionKindChoices.NONE,
        ConnectionKindChoices.UNKNOWN,
    ):
        message = _("A facility that is not connected has the connection 'none' (or 'unknown').")
        return [RowError(row["_row"], "connection_kind", message)]
    return []


def _with_status_context(obj, row: dict, ctx, note: str):
    """``obj``, told how to date a status change it records (models with a status history)."""
    if hasattr(obj, "status_context"):
        obj.status_context(_status_date(row, ctx), note, ctx.user)
    return obj


def _located_writer(model, fields: tuple[str, ...]):
    """A ``write_batch`` creating or updating located objects matched on ``code``."""

    def write(rows: list[dict], ctx) -> WriteStats:
        stats = WriteStats()
        existing = {o.code: o for o in model.objects.filter(code__in=[r["code"] for r in rows])}
        note = _("imported from %(name)s") % {"name": ctx.source_name}
        for row in rows:
            values = _given(row, fields)
            obj = existing.get(row["code"])
            if obj is None:
                obj = model(code=row["code"])
                _assign(obj, values)
                obj.place(row["lat"], row["lon"], row["village"])
                _clean_or_raise(_with_status_context(obj, row, ctx, note), row)
                obj.save()
                existing[obj.code] = obj
                stats.created += 1
                continue
            changed = _assign(obj, values)
            changed = _moved(obj, row) or changed
            if changed:
                _clean_or_raise(_with_status_context(obj, row, ctx, note), row)
                obj.save()
                stats.updated += 1
            else:
                stats.unchanged += 1
        return stats

    return write


FACILITIES = ImportSpec(
    kind="facilities",
    title=gettext_lazy("Public facilities"),
    description=gettext_lazy(
        "One row per village office, school, puskesmas, pustu or hospital, with whether it is "
        "connected and how. The code is the school's NPSN, the health facility's Kemenkes code "
        "or another stable id."
    ),
    columns=(
        _code_column("facility", "30401234"),
        Column("kind", "choice", choices=tuple(FacilityKindChoices.values), example="sd"),
        Column("name", "str", aliases=("nama",), max_length=200, example="SD Negeri 001"),
        VILLAGE_CODE,
        Column("connected", "choice", required=False, choices=tuple(ConnectedChoices.values)),
        Column(
            "connection_kind",
            "choice",
            required=False,
            choices=tuple(ConnectionKindChoices.values),
        ),
        *PROVENANCE_COLUMNS,
    ),
    geometry="point",
    natural_key=lambda row: row["code"],
    key_columns=("code",),
    write_batch=_located_writer(Facility, FACILITY_FIELDS),
    check_row=check_facility_row,
    example_rows=(
        {
            "code": "30401234",
            "kind": "sd",
            "name": "SD Negeri 001 (example)",
            "connected": "yes",
            "connection_kind": "cellular_4g",
            "source": EXAMPLE_SOURCE,
            "as_of": "2025-06-01",
            "quality": "illustrative",
            "lat": "0.5798",
            "lon": "117.4866",
        },
    ),
)

ACCESS_POINTS = ImportSpec(
    kind="accesspoints",
    title=gettext_lazy("Public access points"),
    description=gettext_lazy(
        "One row per VSAT or BAKTI Akses Internet terminal, public Wi-Fi or village-office "
        "internet, with its provider and capacity."
    ),
    columns=(
        _code_column("access_point", "BAI-KTM-0001"),
        Column("name", "str", required=False, max_length=200),
        Column("kind", "choice", choices=tuple(AccessPointKindChoices.values), example="bakti_ai"),
        Column("provider", "str", required=False, max_length=120, example="BAKTI"),
        VILLAGE_CODE,
        Column("capacity_mbps", "float", required=False, min=0.001, max=1_000_000),
        Column("status", "choice", required=False, choices=tuple(ServiceStatusChoices.values)),
        SERVICE_STATUS_DATE,
        Column("installed_on", "date", required=False),
        *PROVENANCE_COLUMNS,
    ),
    geometry="point",
    natural_key=lambda row: row["code"],
    key_columns=("code",),
    write_batch=_located_writer(AccessPoint, ACCESS_POINT_FIELDS),
    example_rows=(
        {
            "code": "BAI-KTM-0001",
            "kind": "bakti_ai",
            "provider": "BAKTI",
            "capacity_mbps": "20",
            "status": "active",
            "installed_on": "2023-11-01",
            "source": EXAMPLE_SOURCE,
            "as_of": "2025-06-01",
            "quality": "illustrative",
            "lat": "0.5798",
            "lon": "117.4866",
        },
    ),
)

SPECS = (SITES, LINKS, FACILITIES, ACCESS_POINTS)


def register_all() -> None:
    """Register every inventory importer with the shared framework (called on app ready)."""
    for spec in SPECS:
        register_spec(spec)


__all__ = ["ACCESS_POINTS", "FACILITIES", "LINKS", "SITES", "SPECS", "register_all"]
