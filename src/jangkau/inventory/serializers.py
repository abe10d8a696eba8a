"""Plain-dict views of inventory objects for the API, the GeoJSON layers and templates."""

from __future__ import annotations

from jangkau.inventory.choices import CONNECTED_COLOURS, LINK_COLOURS, OPERATOR_COLOURS


def provenance_dict(obj) -> dict:
    return {
        "source": obj.source,
        "source_url": obj.source_url,
        "as_of": obj.as_of.isoformat() if obj.as_of else None,
        "as_of_label": obj.as_of_label,
        "quality": obj.quality,
    }


def village_ref(village) -> dict | None:
    if village is None:
        return None
    return {
        "code": village.code,
        "name": village.name,
        "kecamatan": {"code": village.district.code, "name": village.district.name},
    }


def sector_dict(s) -> dict:
    return {
        "azimuth_deg": s.azimuth_deg,
        "mechanical_tilt_deg": s.mechanical_tilt_deg,
        "electrical_tilt_deg": s.electrical_tilt_deg,
        "beamwidth_deg": s.beamwidth_deg,
    }


def status_change_dict(c) -> dict:
    return {
        "from_status": c.from_status,
        "to_status": c.to_status,
        "changed_on": c.changed_on.isoformat(),
        "note": c.note,
        "changed_by": c.changed_by.get_username() if c.changed_by else None,
        "recorded_at": c.recorded_at.isoformat(),
    }


def site_dict(s, full: bool = False) -> dict:
    data = {
        "code": s.code,
        "name": s.name,
        "operator": s.operator,
        "operator_name": s.operator_display,
        "lat": s.lat,
        "lon": s.lon,
        "village": village_ref(s.village),
        "technologies": s.technologies,
        "bands_mhz": s.bands_mhz,
        "antenna_height_m": s.antenna_height_m,
        "omni": s.omni,
        "eirp_dbm": s.eirp_dbm,
        "power_source": s.power_source,
        "backhaul": s.backhaul,
        "status": s.status,
        "programme": s.programme,
        "provenance": provenance_dict(s),
        "notes": s.notes,
    }
    if full:
        data["sectors"] = [sector_dict(x) for x in s.sectors.all()]
        data["status_history"] = [
            status_change_dict(c)
            for c in sorted(s.status_changes.all(), key=lambda c: (c.changed_on, c.pk))
        ]
    return data


def link_dict(link, full: bool = False) -> dict:
    data = {
        "code": link.code,
        "name": link.name,
        "kind": link.kind,
        "provider": link.provider,
        "endpoint_a": link.endpoint_a.code if link.endpoint_a else None,
        "endpoint_b": link.endpoint_b.code if link.endpoint_b else None,
        "capacity_mbps": link.capacity_mbps,
        "length_km": link.length_km,
        "status": link.status,
        "provenance": provenance_dict(link),
        "notes": link.notes,
    }
    if full:
        data["geometry"] = link.geometry
        data["status_history"] = [status_change_dict(c) for c in link.status_history()]
    return data


def access_point_dict(ap, full: bool = False) -> dict:
    data = {
        "code": ap.code,
        "name": ap.name,
        "kind": ap.kind,
        "provider": ap.provider,
        "lat": ap.lat,
        "lon": ap.lon,
        "village": village_ref(ap.village),
        "capacity_mbps": ap.capacity_mbps,
        "status": ap.status,
        "installed_on": ap.installed_on.isoformat() if ap.installed_on else None,
        "provenance": provenance_dict(ap),
        "notes": ap.notes,
    }
    if full:
        data["status_history"] = [status_change_dict(c) for c in ap.status_history()]
    return data


def facility_dict(f) -> dict:
    return {
        "code": f.code,
        "kind": f.kind,
        "name": f.name,
        "lat": f.lat,
        "lon": f.lon,
        "village": village_ref(f.village),
        "connected": f.connected,
        "connection_kind": f.connection_kind,
        "provenance": provenance_dict(f),
        "notes": f.notes,
    }


def _point(obj) -> dict:
    return {"type": "Point", "coordinates": [obj.lon, obj.lat]}


def _village_props(obj) -> dict:
    village = obj.village
    return {
        "village": village.code if village else None,
        "village_name": village.name if village else None,
        "kec": village.district.code if village else None,
    }


def site_feature(s) -> dict:
    return {
        "type": "Feature",
        "id": s.code,
        "properties": {
            "code": s.code,
            "name": s.name,
            "operator": s.operator,
            "operator_name": s.operator_display,
            "colour": OPERATOR_COLOURS.get(s.operator, OPERATOR_COLOURS["other"]),
            "status": s.status,
            "status_label": str(s.get_status_display()),
            "technologies": s.technologies,
            "programme": s.programme,
            "quality": s.quality,
            **_village_props(s),
        },
        "geometry": _point(s),
    }


def link_feature(link) -> dict:
    return {
        "type": "Feature",
        "id": link.code,
        "properties": {
            "code": link.code,
            "name": link.name,
            "kind": link.kind,
            "kind_label": str(link.get_kind_display()),
            "colour": LINK_COLOURS[link.kind],
            "status": link.status,
            "status_label": str(link.get_status_display()),
            "capacity_mbps": link.capacity_mbps,
            "length_km": link.length_km,
            "quality": link.quality,
        },
        "geometry": link.geometry,
    }


def access_point_feature(ap) -> dict:
    return {
        "type": "Feature",
        "id": ap.code,
        "properties": {
            "code": ap.code,
            "name": ap.name,
            "kind": ap.kind,
            "kind_label": str(ap.get_kind_display()),
            "provider": ap.provider,
            "status": ap.status,
            "status_label": str(ap.get_status_display()),
            "capacity_mbps": ap.capacity_mbps,
            "quality": ap.quality,
            **_village_props(ap),
        },
        "geometry": _point(ap),
    }


def facility_feature(f) -> dict:
    return {
        "type": "Feature",
        "id": f.code,
        "properties": {
            "code": f.code,
            "name": f.name,
            "kind": f.kind,
            "kind_label": str(f.get_kind_display()),
            "connected": f.connected,
            "connected_label": str(f.get_connected_display()),
            "connection_kind": f.connection_kind,
            "colour": CONNECTED_COLOURS[f.connected],
            "quality": f.quality,
            **_village_props(f),
        },
        "geometry": _point(f),
    }
