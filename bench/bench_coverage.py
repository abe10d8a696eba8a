"""Benchmark: whole-regency best-server coverage of Kutai Timur at 100 m.

Sites are drawn (seeded) uniformly in the regency's bounding box, lon 115.97–118.99 E,
lat 0.02–1.87 N; each is a three-sector macro site (0/120/240°, 3° downtilt, TR 36.814
pattern), 30–60 m high, 900 MHz, 58 dBm total EIRP of a 10 MHz carrier (``"total"``
convention, 50 RB, i.e. 30.2 dBm per RE), operators cycling over three names. The output grid
is UTM 50N (EPSG:32650) covering the box (about 336 km x 205 km, 6.9 million cells at 100 m).

Terrain (``--dem``):

``synthetic`` (default)
    A fractal DEM at SRTM's 3 arc-second (about 90 m) spacing over the box plus a margin, in
    EPSG:4326 (3,840 x 2,400 cells, written once to a temporary GeoTIFF): spectral synthesis
    with a :math:`k^{-2}` amplitude spectrum (seeded), scaled to 0–1,500 m, with the
    eastern 15 % set to sea. This is fair to the engine: loading and reprojecting a realistic
    DEM costs what a real SRTM mosaic would, and the ITM core sees rough terrain.
``demo``
    The shipped 5 arc-minute demo DEM (about 9 km cells): same ITM cost, cheaper loading.

Each size runs in its own subprocess, so its peak resident memory
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``, which includes the interpreter and the
imported libraries, plus the largest worker process when ``--workers`` > 1) is per size.
Wall time is split into loading the DEM, computing the raster (including reprojecting the DEM
onto the grid) and writing the GeoTIFF. The machine is shared: the 1-minute load average
before and after each run is printed.

Usage::

    python bench/bench_coverage.py                  # 10, 100, 1000 sites, ITM, 2 workers
    python bench/bench_coverage.py --quick          # 10 sites at 250 m on the demo DEM
    python bench/bench_coverage.py --sizes 10 100 --model hata --workers 1
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

BBOX = (115.97, 0.02, 118.99, 1.87)
SYNTHETIC_BOUNDS = (115.9, -0.05, 119.1, 1.95)
ARC_SECOND_3 = 1.0 / 1200.0


def make_synthetic_dem(path: Path, seed: int = 7) -> Path:
    """Write a fractal 3 arc-second DEM over the box to ``path`` (float32 GeoTIFF)."""
    import rasterio
    from affine import Affine

    lon0, lat0, lon1, lat1 = SYNTHETIC_BOUNDS
    cols = int(round((lon1 - lon0) / ARC_SECOND_3))
    rows = int(round((lat1 - lat0) / ARC_SECOND_3))
    rng = np.random.default_rng(seed)
    ky = np.fft.fftfreq(rows)[:, None]
    kx = np.fft.rfftfreq(cols)[None, :]
    k = np.hypot(kx, ky)
    k[0, 0] = 1.0
    spectrum = (rng.standard_normal(k.shape) + 1j * rng.standard_normal(k.shape)) / k**2
    spectrum[0, 0] = 0.0
    field = np.fft.irfft2(spectrum, s=(rows, cols)).astype(np.float32)
    del spectrum, k
    field -= field.min()
    field *= 1500.0 / field.max()
    field[:, int(cols * 0.85):] = -9999.0  # sea (nodata, read as 0 m)
    with rasterio.open(path, "w", driver="GTiff", width=cols, height=rows, count=1,
                       dtype="float32", crs="EPSG:4326", nodata=-9999.0, compress="deflate",
                       tiled=True, blockxsize=512, blockysize=512,
                       transform=Affine(ARC_SECOND_3, 0, lon0, 0, -ARC_SECOND_3, lat1)) as dst:
        dst.write(field, 1)
    return path


def make_sites(n: int, seed: int = 2024):
    """Seeded three-sector sites inside the bounding box."""
    from jangkau.cores.propagation.antenna import Sector
    from jangkau.cores.propagation.raster import Site

    rng = np.random.default_rng(seed)
    lon = rng.uniform(BBOX[0], BBOX[2], n)
    lat = rng.uniform(BBOX[1], BBOX[3], n)
    height = rng.uniform(30.0, 60.0, n)
    operators = ("Telkomsel", "Indosat", "XL")
    sectors = tuple(Sector(az, beamwidth_h_deg=65.0, downtilt_deg=3.0) for az in (0, 120, 240))
    return [Site(i, float(lon[i]), float(lat[i]), float(height[i]), 58.0, 900.0,
                 sectors=sectors, operator=operators[i % 3]) for i in range(n)]


def run_child(args: argparse.Namespace) -> None:
    """One benchmark size, printed as one JSON line."""
    from jangkau.cores.propagation.linkbudget import LinkBudget
    from jangkau.cores.propagation.raster import (
        CoverageParams,
        GridSpec,
        compute_best_server,
        write_coverage_geotiff,
    )
    from jangkau.cores.propagation.terrain import Terrain, load_demo_terrain

    t0 = time.perf_counter()
    terrain = load_demo_terrain() if args.dem_path == "demo" else Terrain.from_file(args.dem_path)
    t_load = time.perf_counter() - t0
    grid = GridSpec.from_lonlat_bounds(*BBOX, args.resolution)
    sites = make_sites(args.n_sites)
    params = CoverageParams(link=LinkBudget(eirp_convention="total", n_rb=50),
                            max_radius_m=args.radius_km * 1000.0, environment="suburban")
    t0 = time.perf_counter()
    result = compute_best_server(sites, grid, terrain, args.model, params,
                                 n_workers=args.workers, mp_start=args.mp_start)
    t_compute = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        write_coverage_geotiff(result, Path(tmp) / "coverage.tif")
        t_write = time.perf_counter() - t0
        size_mb = (Path(tmp) / "coverage.tif").stat().st_size / 2**20
    signal = result.signal_dbm
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({
        "n_sites": args.n_sites, "cells": int(signal.size), "shape": list(signal.shape),
        "t_load": t_load, "t_compute": t_compute, "t_write": t_write,
        "peak_rss_mb": self_kb / 1024, "peak_worker_rss_mb": child_kb / 1024,
        "share_weak": float(np.mean(np.nan_to_num(signal, nan=-999.0) >= -115.0)),
        "share_signal": float(np.mean(np.isfinite(signal))),
        "tif_mb": size_mb,
    }))


def machine_description() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{cpu}, {os.cpu_count()} logical CPUs, {mem_gb:.0f} GiB RAM; "
            f"{platform.system()} {platform.release()}; Python {platform.python_version()}, "
            f"numpy {np.__version__}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--model", default="itm",
                        choices=["free_space", "hata", "cost231", "itm"])
    parser.add_argument("--dem", default="synthetic", choices=["synthetic", "demo"])
    parser.add_argument("--resolution", type=float, default=100.0)
    parser.add_argument("--radius-km", type=float, default=40.0)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--mp-start", default="spawn", choices=["spawn", "fork", "forkserver"])
    parser.add_argument("--quick", action="store_true",
                        help="10 sites at 250 m on the demo DEM (a smoke run)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--n-sites", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--dem-path", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args)
        return
    if args.quick:
        args.sizes, args.resolution, args.dem = [10], 250.0, "demo"

    with tempfile.TemporaryDirectory() as tmp:
        if args.dem == "synthetic":
            t0 = time.perf_counter()
            dem_path = str(make_synthetic_dem(Path(tmp) / "synthetic_dem.tif"))
            dem_note = (f"synthetic fractal DEM, 3 arc-second (~90 m) cells, EPSG:4326 "
                        f"(generated in {time.perf_counter() - t0:.1f} s, not timed below)")
        else:
            dem_path = "demo"
            dem_note = "shipped demo DEM, 5 arc-minute (~9 km) cells, EPSG:4326"
        rows = []
        for n in args.sizes:
            load_before = os.getloadavg()[0]
            cmd = [sys.executable, __file__, "--child", "--n-sites", str(n), "--dem-path",
                   dem_path, "--model", args.model, "--resolution", str(args.resolution),
                   "--radius-km", str(args.radius_km), "--workers", str(args.workers),
                   "--mp-start", args.mp_start]
            t0 = time.perf_counter()
            out = subprocess.run(cmd, check=True, capture_output=True, text=True)
            wall = time.perf_counter() - t0
            record = json.loads(out.stdout.strip().splitlines()[-1])
            record.update(wall=wall, load_before=load_before, load_after=os.getloadavg()[0])
            rows.append(record)
            print(f"# {n} sites done in {wall:.1f} s", file=sys.stderr)

    print(f"## Coverage benchmark ({dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z})\n")
    print(f"- Machine: {machine_description()}")
    print(f"- Model: `{args.model}`, grid EPSG:32650 at {args.resolution:g} m "
          f"({rows[0]['shape'][1]} x {rows[0]['shape'][0]} = {rows[0]['cells']:,} cells), "
          f"radius {args.radius_km:g} km, {args.workers} worker process(es) "
          f"({args.mp_start}), defaults of `CoverageParams` otherwise")
    print(f"- DEM: {dem_note}\n")
    print("| sites | wall s (process) | load DEM s | compute s | write GeoTIFF s "
          "| peak RSS MB (main / worker) | cells with signal | cells >= -115 dBm "
          "| load avg before/after |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['n_sites']:,} | {r['wall']:.1f} | {r['t_load']:.1f} | "
              f"{r['t_compute']:.1f} | {r['t_write']:.1f} | {r['peak_rss_mb']:.0f} / "
              f"{r['peak_worker_rss_mb']:.0f} | {100 * r['share_signal']:.1f} % | "
              f"{100 * r['share_weak']:.1f} % | {r['load_before']:.1f} / "
              f"{r['load_after']:.1f} |")


if __name__ == "__main__":
    main()
