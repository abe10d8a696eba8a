"""Plain dicts of the measurement models for the API."""

from __future__ import annotations


def _provenance(obj) -> dict:
    return {
        "source": obj.source,
        "source_url": obj.source_url,
        "as_of": obj.as_of.isoformat() if obj.as_of else None,
        "as_of_label": obj.as_of_label,
        "quality": obj.quality,
    }


def _common(obj) -> dict:
    return {
        "id": obj.pk,
        "key": obj.key,
        "village": obj.village.code,
        "village_name": obj.village.name,
        "evidence_key": obj.evidence_key,
        "note": obj.note,
        **_provenance(obj),
    }


def speedtest_dict(obj) -> dict:
    return {
        **_common(obj),
        "tool": obj.tool,
        "test_id": obj.test_id,
        "measured_at": obj.measured_at.isoformat(),
        "lat": obj.lat,
        "lon": obj.lon,
        "download_mbps": obj.download_mbps,
        "upload_mbps": obj.upload_mbps,
        "latency_ms": obj.latency_ms,
        "jitter_ms": obj.jitter_ms,
        "operator": obj.operator,
        "technology": obj.technology,
        "extra": obj.extra,
    }


def signal_dict(obj) -> dict:
    return {
        **_common(obj),
        "reading_id": obj.reading_id,
        "measured_at": obj.measured_at.isoformat(),
        "lat": obj.lat,
        "lon": obj.lon,
        "operator": obj.operator,
        "technology": obj.technology,
        "rsrp_dbm": obj.rsrp_dbm,
        "rsrq_db": obj.rsrq_db,
        "sinr_db": obj.sinr_db,
        "bars": obj.bars,
        "device": obj.device,
    }


def survey_dict(obj) -> dict:
    return {
        **_common(obj),
        "survey_kind": obj.survey_kind,
        "edition": obj.edition,
        "survey_date": obj.survey_date.isoformat(),
        "surveyor": obj.surveyor,
        "phone_signal": obj.phone_signal,
        "internet_signal": obj.internet_signal,
        "bts_count": obj.bts_count,
        "operator_count": obj.operator_count,
    }


def tile_dict(obj) -> dict:
    return {
        **_common(obj),
        "quadkey": obj.quadkey,
        "period": obj.period.isoformat(),
        "network": obj.network,
        "avg_d_kbps": obj.avg_d_kbps,
        "avg_u_kbps": obj.avg_u_kbps,
        "avg_lat_ms": obj.avg_lat_ms,
        "tests": obj.tests,
        "devices": obj.devices,
        "centre_lat": obj.centre_lat,
        "centre_lon": obj.centre_lon,
    }
