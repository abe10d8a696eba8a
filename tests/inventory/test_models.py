"""Model rules of the inventory: location, status history, validation, link length."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from shapely.geometry import Point, shape

from jangkau.inventory.geo import REGENCY_BUFFER_DEG
from jangkau.inventory.models import Facility, Link, Sector, Site, SiteStatusChange
from jangkau.regions.models import Regency, Village

from .builders import line, make_facility, make_link, make_site, point_in, provenance

pytestmark = pytest.mark.django_db

SANGATTA_FLIPPED = (-0.5854, 117.4807)  # the seat with the latitude sign lost: in the sea


def test_a_site_finds_its_village_by_point_in_polygon(one_frame):
    for code in ["64.08.11.2007", "64.08.04.2012", "64.08.01.2001"]:
        site = make_site(f"S-{code}", code)
        assert site.village.code == code


def test_moving_a_site_moves_it_to_the_village_under_its_new_point(one_frame):
    site = make_site("S-MOVE", "64.08.11.2001")
    site = Site.objects.get(pk=site.pk)
    site.lat, site.lon = point_in("64.08.11.2002")
    site.save()
    assert Site.objects.get(pk=site.pk).village.code == "64.08.11.2002"


def test_a_point_outside_the_regency_is_refused_with_a_specific_message(one_frame):
    lat, lon = SANGATTA_FLIPPED
    site = Site(code="S-OUT", name="Out", operator="xl", lat=lat, lon=lon, **provenance())
    with pytest.raises(ValidationError) as err:
        site.full_clean()
    message = err.value.message_dict["lat"][0]
    assert "outside Kabupaten Kutai Timur" in message and "sign" in message
    with pytest.raises(ValidationError):
        site.save()  # saving without cleaning is refused too
    assert not Site.objects.filter(code="S-OUT").exists()
    facility = Facility(code="F-OUT", kind="sd", name="SD", lat=lat, lon=lon, **provenance())
    with pytest.raises(ValidationError):
        facility.full_clean()


def test_the_regency_margin_accepts_points_just_outside_and_refuses_beyond(one_frame):
    boundary = shape(Regency.objects.get(code="64.08").boundary)
    near = boundary.buffer(REGENCY_BUFFER_DEG * 0.5).difference(boundary).representative_point()
    far = (
        boundary.buffer(REGENCY_BUFFER_DEG * 3)
        .difference(boundary.buffer(REGENCY_BUFFER_DEG * 1.5))
        .representative_point()
    )
    ok = Site(code="S-NEAR", name="Near", operator="xl", lat=near.y, lon=near.x, **provenance())
    ok.full_clean()
    ok.save()
    assert ok.village is not None  # in the margin, in no village: the nearest one
    nearest = min(Village.objects.all(), key=lambda v: v.geometry.distance(Point(near.x, near.y)))
    assert ok.village == nearest
    refused = Site(code="S-FAR", name="Far", operator="xl", lat=far.y, lon=far.x, **provenance())
    with pytest.raises(ValidationError):
        refused.full_clean()


def test_a_new_site_starts_its_history_with_its_first_status(one_frame):
    site = make_site("S-NEW", "64.08.11.2001", status="building")
    (row,) = SiteStatusChange.objects.filter(site=site)
    assert (row.from_status, row.to_status, row.changed_on) == ("", "building", site.as_of)


def test_set_status_records_a_dated_row_with_note_and_user(one_frame, make_user):
    user = make_user("network_operator")
    site = make_site("S-HIST", "64.08.11.2001", status="planned")
    site.set_status("building", dt.date(2025, 7, 1), "civil works started", user)
    site.set_status("on_air", dt.date(2025, 9, 15), "integrated", user)
    site.set_status("down", dt.date(2025, 10, 2), "genset failure", user)
    rows = list(site.status_changes.order_by("changed_on", "pk"))
    assert [(r.from_status, r.to_status) for r in rows] == [
        ("", "planned"),
        ("planned", "building"),
        ("building", "on_air"),
        ("on_air", "down"),
    ]
    assert rows[-1].changed_on == dt.date(2025, 10, 2) and rows[-1].note == "genset failure"
    assert rows[-1].changed_by == user
    assert Site.objects.get(pk=site.pk).status == "down"


@pytest.mark.parametrize(
    ("start", "new", "when", "field", "code"),
    [
        ("on_air", "on_air", dt.date(2025, 7, 1), "status", "unchanged"),
        ("planned", "down", dt.date(2025, 7, 1), "status", "transition"),
        ("decommissioned", "on_air", dt.date(2025, 7, 1), "status", "transition"),
        ("on_air", "teleported", dt.date(2025, 7, 1), "status", "invalid"),
        ("on_air", "down", dt.date(2025, 5, 1), "changed_on", "before_last"),
        ("on_air", "down", None, "changed_on", "future"),
    ],
)
def test_set_status_refuses_impossible_changes_and_writes_nothing(
    one_frame, start, new, when, field, code
):
    site = make_site("S-BAD", "64.08.11.2001", status=start)
    when = when or timezone.localdate() + dt.timedelta(days=3)
    with pytest.raises(ValidationError) as err:
        site.set_status(new, when, "")
    assert [e.code for e in err.value.error_dict[field]] == [code]
    assert site.status_changes.count() == 1
    assert Site.objects.get(pk=site.pk).status == start


@pytest.mark.parametrize(
    ("technologies", "ok"),
    [(["4G", "2G"], True), (["6G"], False), (["4G", "4G"], False), ("4G", False)],
)
def test_technologies_are_a_validated_list_in_canonical_order(one_frame, technologies, ok):
    lat, lon = point_in("64.08.11.2001")
    site = Site(
        code="S-T",
        name="T",
        operator="indosat",
        lat=lat,
        lon=lon,
        technologies=technologies,
        **provenance(),
    )
    if ok:
        site.full_clean()
        assert site.technologies == ["2G", "4G"]
    else:
        with pytest.raises(ValidationError) as err:
            site.full_clean()
        assert "technologies" in err.value.message_dict


@pytest.mark.parametrize(
    ("bands", "ok"), [([1800, 900], True), ([900, 900], False), ([50], False), ([9.5], False)]
)
def test_bands_are_whole_mhz_in_the_radio_range(one_frame, bands, ok):
    lat, lon = point_in("64.08.11.2001")
    site = Site(
        code="S-B", name="B", operator="xl", lat=lat, lon=lon, bands_mhz=bands, **provenance()
    )
    if ok:
        site.full_clean()
        assert site.bands_mhz == [900, 1800]
    else:
        with pytest.raises(ValidationError) as err:
            site.full_clean()
        assert "bands_mhz" in err.value.message_dict


def test_an_other_operator_must_be_named(one_frame):
    lat, lon = point_in("64.08.11.2001")
    site = Site(code="S-O", name="O", operator="other", lat=lat, lon=lon, **provenance())
    with pytest.raises(ValidationError, match="Name the operator"):
        site.full_clean()
    site.operator_name = "PT Mitra Desa"
    site.full_clean()
    assert site.operator_display == "PT Mitra Desa"


def test_sectors_are_checked_and_an_omni_site_has_none(one_frame):
    site = make_site("S-SEC", "64.08.11.2001")
    Sector(site=site, azimuth_deg=120, mechanical_tilt_deg=2, electrical_tilt_deg=4).full_clean()
    for bad in [{"azimuth_deg": 360}, {"azimuth_deg": 10, "beamwidth_deg": 0}]:
        with pytest.raises(ValidationError):
            Sector(site=site, **bad).full_clean()
    Sector.objects.create(site=site, azimuth_deg=0)
    with pytest.raises(ValidationError, match="already has a sector"):
        Sector(site=site, azimuth_deg=0).full_clean()
    omni = make_site("S-OMNI", "64.08.11.2002", omni=True)
    with pytest.raises(ValidationError, match="omnidirectional"):
        Sector(site=omni, azimuth_deg=90).full_clean()


@pytest.mark.parametrize(
    ("connected", "kind", "ok"),
    [
        ("yes", "fiber", True),
        ("yes", "none", False),
        ("no", "none", True),
        ("no", "vsat", False),
        ("unknown", "unknown", True),
    ],
)
def test_a_facility_connection_agrees_with_connected(one_frame, connected, kind, ok):
    lat, lon = point_in("64.08.11.2001")
    facility = Facility(
        code="F-1",
        kind="puskesmas",
        name="Puskesmas Sandaran",
        lat=lat,
        lon=lon,
        connected=connected,
        connection_kind=kind,
        **provenance(),
    )
    if ok:
        facility.full_clean()
    else:
        with pytest.raises(ValidationError):
            facility.full_clean()


def test_link_length_is_geodesic_along_the_whole_route(one_frame):
    # 0.1° along a meridian near the equator is 11.057 km on WGS84; two legs add up.
    link = make_link("L-1", line((117.5, 0.5), (117.5, 0.6)))
    assert link.length_km == pytest.approx(11.057, abs=0.002)
    bent = make_link("L-2", line((117.5, 0.5), (117.5, 0.55), (117.5, 0.6)))
    assert bent.length_km == pytest.approx(link.length_km, abs=0.001)
    east = make_link("L-3", line((117.4, 0.55), (117.5, 0.55)))
    assert east.length_km == pytest.approx(11.131, abs=0.005)  # 0.1° of longitude at 0.55° N
    Link.objects.filter(pk=link.pk).update(length_km=0)
    link.refresh_from_db()
    link.save()
    assert link.length_km == pytest.approx(11.057, abs=0.002)


@pytest.mark.parametrize(
    ("geometry", "needle"),
    [
        ({"type": "LineString", "coordinates": [[117.5, 0.5]]}, "at least two points"),
        ({"type": "Point", "coordinates": [117.5, 0.5]}, "LineString"),
        (line((117.5, 0.5), (117.5, 0.5)), "distinct"),
        (line((117.5, 0.5), (117.15, -0.5)), "leaves"),  # to Samarinda
        (line((0.5, 117.5), (0.6, 117.5)), "longitude"),  # swapped order
    ],
)
def test_a_bad_link_route_is_refused_with_its_reason(one_frame, geometry, needle):
    link = Link(code="L-BAD", kind="fiber_route", geometry=geometry, **provenance())
    with pytest.raises(ValidationError) as err:
        link.full_clean()
    assert needle in " ".join(err.value.message_dict["geometry"])


def test_a_link_end_site_must_stand_at_an_end_of_the_line(one_frame):
    a = make_site("S-A", "64.08.04.2012")
    far = make_site("S-FAR", "64.08.11.2007")
    route = line((a.lon, a.lat), (a.lon + 0.05, a.lat + 0.02))
    make_link("L-OK", route, endpoint_a=a)
    link = Link(code="L-FAR", kind="microwave_hop", geometry=route, endpoint_b=far, **provenance())
    with pytest.raises(ValidationError) as err:
        link.full_clean()
    assert "S-FAR" in err.value.message_dict["endpoint_b"][0]
    same = Link(
        code="L-SAME",
        kind="microwave_hop",
        geometry=route,
        endpoint_a=a,
        endpoint_b=a,
        **provenance(),
    )
    with pytest.raises(ValidationError, match="same site"):
        same.full_clean()


def test_a_facility_in_a_village_is_found_there(one_frame):
    facility = make_facility("F-V", "64.08.12.2003", kind="kantor_desa", name="Kantor Desa")
    assert facility.village.code == "64.08.12.2003"
