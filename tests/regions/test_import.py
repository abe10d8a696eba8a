"""``jangkau regions import``: each bad file is refused with its own error; nothing changes."""

from __future__ import annotations

import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pyproj import Transformer
from shapely.geometry import box, mapping

pytestmark = pytest.mark.django_db

# A small square inside Kecamatan Sangatta Utara (64.08.04), near the seat.
INSIDE = box(117.50, 0.50, 117.52, 0.52)


def snapshot():
    from jangkau.regions.models import District, Regency, Village

    return (
        list(Regency.objects.values_list("code", "name", "boundary").order_by("code")),
        list(District.objects.values_list("code", "name", "boundary").order_by("code")),
        list(Village.objects.values_list("code", "name", "boundary", "area_km2").order_by("code")),
    )


def feature(code, name, geom, **props):
    return {
        "type": "Feature",
        "properties": {"kode": code, "nama": name, **props},
        "geometry": mapping(geom) if geom is not None else None,
    }


def write_geojson(path, features, crs=None):
    body = {"type": "FeatureCollection", "features": features}
    if crs:
        body["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def run_import(path, *extra):
    call_command("regions", "import", str(path), *extra)


def utm(geom):
    from jangkau.cores.geo import reproject

    return reproject(geom, Transformer.from_crs("EPSG:4326", "EPSG:32650", always_xy=True))


BOWTIE = {
    "type": "Polygon",
    "coordinates": [
        [[117.50, 0.50], [117.52, 0.52], [117.52, 0.50], [117.50, 0.52], [117.50, 0.50]]
    ],
}


def bad_files(tmp_path):
    """(name, file, expected fragment of the error)."""
    cases = []
    p = write_geojson(
        tmp_path / "wrongcrs.geojson", [feature("64.08.04.2999", "Desa Baru", utm(INSIDE))]
    )
    cases.append(("coordinates in metres declared as lon/lat", p, "not longitude/latitude"))
    p = write_geojson(
        tmp_path / "wrongzone.geojson",
        [feature("64.08.04.2999", "Desa Baru", utm(INSIDE))],
        crs="EPSG:32750",
    )
    cases.append(("a CRS that puts it elsewhere", p, "is not inside regency 64.08"))
    p = write_geojson(tmp_path / "badcode.geojson", [feature("64.8.4.29", "Desa Baru", INSIDE)])
    cases.append(("malformed code", p, "is not a Kemendagri code"))
    p = write_geojson(
        tmp_path / "otherregency.geojson", [feature("64.02.04.2999", "Desa Baru", INSIDE)]
    )
    cases.append(("code of another regency", p, "is not in regency 64.08"))
    p = write_geojson(tmp_path / "parent.geojson", [feature("64.08.99.2001", "Desa Baru", INSIDE)])
    cases.append(("unknown parent", p, "parent region '64.08.99'"))
    p = write_geojson(
        tmp_path / "dup.geojson",
        [feature("64.08.04.2999", "A", INSIDE), feature("64.08.04.2999", "B", INSIDE)],
    )
    cases.append(("duplicate", p, "duplicate code '64.08.04.2999' (first at row 1)"))
    p = tmp_path / "invalid.geojson"
    p.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"kode": "64.08.04.2999", "nama": "X"},
                        "geometry": BOWTIE,
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    cases.append(("self-intersecting polygon", p, "invalid geometry: Self-intersection"))
    p = write_geojson(
        tmp_path / "outside.geojson",
        [feature("64.08.04.2999", "Desa Baru", box(110.0, -5.0, 110.1, -4.9))],
    )
    cases.append(("outside the regency", p, "is not inside regency 64.08"))
    p = tmp_path / "empty.geojson"
    p.write_text("", encoding="utf-8")
    cases.append(("empty file", p, "file is empty"))
    p = write_geojson(tmp_path / "nofeatures.geojson", [])
    cases.append(("no features", p, "no features"))
    p = tmp_path / "regions.xlsx"
    p.write_bytes(b"PK\x03\x04 not really a spreadsheet")
    cases.append(("wrong format", p, "unsupported format"))
    good = json.dumps(
        {"type": "FeatureCollection", "features": [feature("64.08.04.2999", "Desa Baru", INSIDE)]}
    )
    p = tmp_path / "truncated.geojson"
    p.write_text(good[: len(good) // 2], encoding="utf-8")
    cases.append(("truncated GeoJSON", p, "cannot read the file"))
    p = tmp_path / "truncated.csv"
    p.write_text(
        f'kode,nama,wkt\n64.08.04.2999,Desa Baru,"{INSIDE.wkt}"\n64.08.04.2998,Desa',
        encoding="utf-8",
    )
    cases.append(("truncated CSV", p, "row 2: has 2 fields, the header has 3"))
    p = tmp_path / "latin1.csv"
    p.write_bytes("kode,nama,lat,lon\n64.08.04.2999,Désa,0.51,117.51\n".encode("latin-1"))
    cases.append(("wrong encoding", p, "not UTF-8"))
    p = tmp_path / "broken.zip"
    p.write_bytes(b"PK\x03\x04 truncated")
    cases.append(("truncated zip", p, "not a valid zip archive"))
    p = tmp_path / "nocode.csv"
    p.write_text("id,nama,lat,lon\n1,X,0.5,117.5\n", encoding="utf-8")
    cases.append(("missing code column", p, "field 'code': no code column"))
    p = tmp_path / "badkind.geojson"
    write_geojson(p, [feature("64.08.04.2999", "Desa Baru", INSIDE, jenis="kelurahan")])
    cases.append(("kind contradicting the code", p, "contradicts the code"))
    return cases


def test_each_bad_file_gives_its_specific_error_and_changes_nothing(kutim, tmp_path, capsys):
    before = snapshot()
    for name, path, expected in bad_files(tmp_path):
        with pytest.raises(CommandError, match="rejected, nothing was changed"):
            run_import(path)
        err = capsys.readouterr().err
        assert expected in err, f"{name}: expected {expected!r} in:\n{err}"
        assert snapshot() == before, name


def test_an_oversize_file_is_refused_before_reading(kutim, tmp_path, settings, capsys):
    settings.JANGKAU_MAX_UPLOAD_BYTES = 100
    p = write_geojson(tmp_path / "big.geojson", [feature("64.08.04.2999", "Desa Baru", INSIDE)])
    with pytest.raises(CommandError):
        run_import(p)
    assert "above the limit of 100 bytes" in capsys.readouterr().err


def test_one_bad_row_rejects_the_whole_file_and_lists_every_problem(kutim, tmp_path, capsys):
    from jangkau.regions.models import Village

    p = write_geojson(
        tmp_path / "mixed.geojson",
        [
            feature("64.08.04.2998", "Good One", INSIDE),
            feature("64.08.04.29x9", "Bad Code", INSIDE),
            feature("64.08.04.2997", "", INSIDE),
        ],
    )
    with pytest.raises(CommandError, match=r"\(2 problem\(s\)\)"):
        run_import(p)
    err = capsys.readouterr().err
    assert "row 2, field 'code'" in err and "row 3, field 'name': name is empty" in err
    assert not Village.objects.filter(code="64.08.04.2998").exists()


def test_a_utm_file_is_reprojected_and_reimporting_it_changes_nothing(kutim, tmp_path, capsys):
    from jangkau.regions.models import Village

    p = write_geojson(
        tmp_path / "utm.geojson",
        [feature("64.08.04.2999", "Desa Uji", utm(INSIDE))],
        crs="EPSG:32650",
    )
    run_import(p)
    out = capsys.readouterr().out
    assert "desa: 1 created" in out
    v = Village.objects.get(code="64.08.04.2999")
    assert v.kind == "desa" and v.name == "Desa Uji"
    assert abs(v.centroid_lon - 117.51) < 1e-4 and abs(v.centroid_lat - 0.51) < 1e-4
    assert 4.5 < v.area_km2 < 5.0  # 0.02° x 0.02° at the equator ≈ 4.9 km²
    assert v.remoteness_class is not None
    before = snapshot()
    run_import(p)
    assert "desa: 0 created, 0 updated, 1 unchanged" in capsys.readouterr().out
    assert snapshot() == before


def test_invalid_geometry_is_repaired_only_when_asked(kutim, tmp_path):
    from jangkau.regions.models import Village

    p = tmp_path / "bowtie.geojson"
    p.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"kode": "64.08.04.2999", "nama": "X"},
                        "geometry": BOWTIE,
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(CommandError):
        run_import(p)
    run_import(p, "--repair")
    from shapely.geometry import shape

    assert shape(Village.objects.get(code="64.08.04.2999").boundary).is_valid


def test_csv_with_lat_lon_and_a_zipped_shapefile_are_accepted(kutim, tmp_path):
    import pyogrio

    from jangkau.regions.models import Village

    p = tmp_path / "points.csv"
    p.write_text("kode,nama,lat,lon\n64.08.04.2012,Swarga Bara,0.52,117.55\n", encoding="utf-8")
    run_import(p)
    v = Village.objects.get(code="64.08.04.2012")
    assert (v.centroid_lat, v.centroid_lon) != (None, None)

    shp_dir = tmp_path / "shp"
    shp_dir.mkdir()
    import numpy as np
    import shapely

    pyogrio.raw.write(
        str(shp_dir / "desa.shp"),
        np.array([shapely.to_wkb(utm(INSIDE))], dtype=object),
        [np.array(["64.08.04.2996"], dtype=object), np.array(["Desa Zip"], dtype=object)],
        ["kode", "nama"],
        driver="ESRI Shapefile",
        geometry_type="Polygon",
        crs="EPSG:32650",
    )
    z = tmp_path / "desa.zip"
    with zipfile.ZipFile(z, "w") as archive:
        for f in shp_dir.iterdir():
            archive.write(f, f.name)
    run_import(z)
    assert Village.objects.get(code="64.08.04.2996").name == "Desa Zip"


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "csv"])
def test_export_round_trips_through_import(kutim, tmp_path, fmt, capsys):
    out = tmp_path / f"desa.{fmt}"
    call_command("regions", "export", "--format", fmt, "--output", str(out))
    assert "wrote 141 desa features" in capsys.readouterr().out
    before = snapshot()
    run_import(out)
    assert "desa: 0 created, 0 updated, 141 unchanged" in capsys.readouterr().out
    assert snapshot() == before
