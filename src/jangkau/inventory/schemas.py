"""Request bodies of the inventory API (creates take every field; updates any subset).

Update bodies forbid unknown fields, so a misspelt field (or ``status`` on a site, which
changes only through its status endpoint) is refused rather than silently ignored.
"""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema
from pydantic import ConfigDict

from jangkau.core.choices import QualityChoices
from jangkau.evidence.choices import OperatorChoices
from jangkau.inventory.choices import (
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

Code = Field(..., min_length=1, max_length=64, description="natural key; re-sending it conflicts")
Lat = Field(..., ge=-90, le=90, description="latitude (WGS84, north positive)")
Lon = Field(..., ge=-180, le=180, description="longitude (WGS84)")


class ProvenanceIn(Schema):
    source: str = Field(..., min_length=3, max_length=300)
    source_url: str = Field("", max_length=2000)
    as_of: date | None = None
    as_of_label: str = Field("", max_length=100)
    quality: QualityChoices = QualityChoices.ESTIMATED


class ProvenancePatch(Schema):
    model_config = ConfigDict(extra="forbid")

    source: str | None = Field(None, min_length=3, max_length=300)
    source_url: str | None = Field(None, max_length=2000)
    as_of: date | None = None
    as_of_label: str | None = Field(None, max_length=100)
    quality: QualityChoices | None = None


class SectorIn(Schema):
    azimuth_deg: int = Field(..., ge=0, le=359)
    mechanical_tilt_deg: float = Field(0.0, ge=-90, le=90)
    electrical_tilt_deg: float = Field(0.0, ge=-90, le=90)
    beamwidth_deg: float = Field(65.0, gt=0, le=360)


class SiteIn(ProvenanceIn):
    """A new tower/BTS site; its first status is recorded in its history."""

    code: str = Code
    name: str = Field(..., min_length=1, max_length=200)
    operator: OperatorChoices
    operator_name: str = Field("", max_length=120)
    lat: float = Lat
    lon: float = Lon
    technologies: list[TechnologyChoices] = []
    bands_mhz: list[int] = []
    antenna_height_m: float | None = None
    omni: bool = False
    sectors: list[SectorIn] = []
    eirp_dbm: float | None = None
    power_source: PowerSourceChoices = PowerSourceChoices.UNKNOWN
    backhaul: BackhaulChoices = BackhaulChoices.UNKNOWN
    status: SiteStatusChoices = SiteStatusChoices.PLANNED
    programme: ProgrammeChoices = ProgrammeChoices.OPERATOR
    notes: str = Field("", max_length=5000)


class SitePatch(ProvenancePatch):
    """Fields of a site to change; ``sectors``, when given, replaces every sector."""

    name: str | None = Field(None, min_length=1, max_length=200)
    operator: OperatorChoices | None = None
    operator_name: str | None = Field(None, max_length=120)
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    technologies: list[TechnologyChoices] | None = None
    bands_mhz: list[int] | None = None
    antenna_height_m: float | None = None
    omni: bool | None = None
    sectors: list[SectorIn] | None = None
    eirp_dbm: float | None = None
    power_source: PowerSourceChoices | None = None
    backhaul: BackhaulChoices | None = None
    programme: ProgrammeChoices | None = None
    notes: str | None = Field(None, max_length=5000)


class SiteStatusIn(Schema):
    """A status change of a site, dated (today when ``changed_on`` is left out)."""

    status: SiteStatusChoices
    changed_on: date | None = None
    note: str = Field("", max_length=2000)


class LinkIn(ProvenanceIn):
    """A backhaul link; ``geometry`` is a GeoJSON LineString of [longitude, latitude] points."""

    code: str = Code
    name: str = Field("", max_length=200)
    kind: LinkKindChoices
    provider: str = Field("", max_length=120)
    geometry: dict
    endpoint_a: str | None = Field(None, description="site code of one end")
    endpoint_b: str | None = Field(None, description="site code of the other end")
    capacity_mbps: float | None = None
    status: ServiceStatusChoices = ServiceStatusChoices.PLANNED
    notes: str = Field("", max_length=5000)


class LinkPatch(ProvenancePatch):
    name: str | None = Field(None, max_length=200)
    kind: LinkKindChoices | None = None
    provider: str | None = Field(None, max_length=120)
    geometry: dict | None = None
    endpoint_a: str | None = None
    endpoint_b: str | None = None
    capacity_mbps: float | None = None
    status: ServiceStatusChoices | None = None
    notes: str | None = Field(None, max_length=5000)


class AccessPointIn(ProvenanceIn):
    code: str = Code
    name: str = Field("", max_length=200)
    kind: AccessPointKindChoices
    provider: str = Field("", max_length=120)
    lat: float = Lat
    lon: float = Lon
    capacity_mbps: float | None = None
    status: ServiceStatusChoices = ServiceStatusChoices.ACTIVE
    installed_on: date | None = None
    notes: str = Field("", max_length=5000)


class AccessPointPatch(ProvenancePatch):
    name: str | None = Field(None, max_length=200)
    kind: AccessPointKindChoices | None = None
    provider: str | None = Field(None, max_length=120)
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    capacity_mbps: float | None = None
    status: ServiceStatusChoices | None = None
    installed_on: date | None = None
    notes: str | None = Field(None, max_length=5000)


class FacilityIn(ProvenanceIn):
    code: str = Code
    kind: FacilityKindChoices
    name: str = Field(..., min_length=1, max_length=200)
    lat: float = Lat
    lon: float = Lon
    connected: ConnectedChoices = ConnectedChoices.UNKNOWN
    connection_kind: ConnectionKindChoices = ConnectionKindChoices.UNKNOWN
    notes: str = Field("", max_length=5000)


class FacilityPatch(ProvenancePatch):
    kind: FacilityKindChoices | None = None
    name: str | None = Field(None, min_length=1, max_length=200)
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    connected: ConnectedChoices | None = None
    connection_kind: ConnectionKindChoices | None = None
    notes: str | None = Field(None, max_length=5000)
