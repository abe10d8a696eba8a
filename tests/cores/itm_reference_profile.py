"""Reference data and reference runs for the ITM tests and benchmark.

* :data:`CRYSTAL_PALACE_MURSLEY`: the terrain profile of NTIA/ITS's published ITM
  point-to-point example, "QKPFL test 1, path 2200: Crystal Palace to Mursley, England"
  (input file ``qkpfldat.txt`` and expected output ``qkpflanx.txt`` of the ITM distribution,
  https://www.its.bldrdoc.gov/resources/radio-propagation-software/itm/itm.aspx; the same
  profile is in itmlogic's ``scripts/p2p.py``). 156 intervals over 77.8 km.
* :data:`QKPFL_TESTS`: the two published runs over that profile with their printed
  quantiles of basic transmission loss (dB, rounded to 0.1 dB), rows = reliability (time)
  1, 10, 50, 90, 99 %, columns = confidence (situation) 50, 90, 10 %.
* :func:`run_itmlogic`: one point-to-point prediction with the itmlogic package, set up the
  way itmlogic's own ``scripts/p2p.py`` does (``zsys = 0``, ``mdvarx = 11``).
* :func:`random_cases`: seeded random profiles and parameters covering line-of-sight,
  diffraction and troposcatter paths.
"""

from __future__ import annotations

import math

import numpy as np

CRYSTAL_PALACE_MURSLEY = np.array(
    [
        96, 84, 65, 46, 46, 46, 61, 41, 33, 27, 23, 19, 15, 15, 15,
        15, 15, 15, 15, 15, 15, 15, 15, 15, 17, 19, 21, 23, 25, 27,
        29, 35, 46, 41, 35, 30, 33, 35, 37, 40, 35, 30, 51, 62, 76,
        46, 46, 46, 46, 46, 46, 50, 56, 67, 106, 83, 95, 112, 137, 137,
        76, 103, 122, 122, 83, 71, 61, 64, 67, 71, 74, 77, 79, 86, 91,
        83, 76, 68, 63, 76, 107, 107, 107, 119, 127, 133, 135, 137, 142, 148,
        152, 152, 107, 137, 104, 91, 99, 120, 152, 152, 137, 168, 168, 122, 137,
        137, 170, 183, 183, 187, 194, 201, 192, 152, 152, 166, 177, 198, 156, 127,
        116, 107, 104, 101, 98, 95, 103, 91, 97, 102, 107, 107, 107, 103, 98,
        94, 91, 105, 122, 122, 122, 122, 122, 137, 137, 137, 137, 137, 137, 137,
        137, 140, 144, 147, 150, 152, 159,
    ],
    dtype=float,
)  # fmt: skip
"""Elevations (m), transmitter (Crystal Palace) first; 157 points."""

CRYSTAL_PALACE_STEP_M = 77.8e3 / 156
"""Profile step: the published distance 77.8 km over 156 intervals (XI = 0.499 km)."""

RELIABILITY_PCT = (1.0, 10.0, 50.0, 90.0, 99.0)
CONFIDENCE_PCT = (50.0, 90.0, 10.0)

QKPFL_TESTS = {
    "path 2200": {
        "freq_mhz": 41.5,
        "tx_height_m": 143.9,
        "rx_height_m": 8.5,
        "effective_heights_m": (240.5, 18.4),
        "delta_h_m": 89.0,
        "free_space_db": 102.6,
        "itm_region": "los",
        "loss_db": (
            (128.6, 137.6, 119.6),
            (132.2, 140.8, 123.5),
            (135.8, 144.3, 127.2),
            (138.0, 146.5, 129.4),
            (139.7, 148.4, 131.0),
        ),
    },
    "path 1979": {
        "freq_mhz": 573.3,
        "tx_height_m": 194.0,
        "rx_height_m": 9.1,
        "effective_heights_m": (292.5, 19.0),
        "delta_h_m": 91.0,
        "free_space_db": 125.4,
        "itm_region": "los",
        "loss_db": (
            (144.3, 154.1, 134.4),
            (150.9, 159.5, 142.3),
            (157.6, 165.7, 149.4),
            (161.6, 169.9, 153.3),
            (164.9, 173.6, 156.2),
        ),
    },
}
"""Published QKPFL runs: horizontal polarisation, eps 15, sigma 0.005 S/m, Ns 314,
climate 5 (continental temperate); both printed as "a double-horizon path, diffraction is the
dominant mode" (NTIA's terrain-horizon wording). ``itm_region`` is our mode for the path (ITM
region by d_Ls and d_x, docs/itm.md), not a published value."""

CLIMATE_CODES = {
    "equatorial": 1,
    "continental_subtropical": 2,
    "maritime_subtropical": 3,
    "desert": 4,
    "continental_temperate": 5,
    "maritime_temperate_land": 6,
    "maritime_temperate_sea": 7,
}


def run_itmlogic(
    elevations,
    step_m,
    freq_mhz,
    tx_height_m,
    rx_height_m,
    *,
    polarization="vertical",
    climate="equatorial",
    epsilon=15.0,
    sigma=0.005,
    ns=360.0,
    time_pct=50.0,
    location_pct=50.0,
    situation_pct=50.0,
):
    """One point-to-point prediction with itmlogic, as its ``scripts/p2p.py`` sets it up.

    Returns
    -------
    dict
        ``loss_db`` (free space + ``avar``), ``mode`` (0 if ``dist <= dlsa``, 2 if
        ``dist > dx``, else 1: the rule of ``docs/itm.md``), ``kwx``, and the ``prop``
        dictionary itmlogic filled in.
    """
    from itmlogic.misc.qerfi import qerfi
    from itmlogic.preparatory_subroutines.qlrpfl import qlrpfl
    from itmlogic.statistics.avar import avar

    z = [float(v) for v in elevations]
    prop = {
        "hg": [float(tx_height_m), float(rx_height_m)],
        "klim": CLIMATE_CODES[climate],
        "lvar": 5,
        "kwx": 0,
        "mdvarx": 11,
        "klimx": 0,
        "pfl": [len(z) - 1, float(step_m), *z],
    }
    # qlrps with zsys = 0 (the surface refractivity is used as is).
    prop["wn"] = float(freq_mhz) / 47.7
    prop["ens"] = float(ns)
    prop["gme"] = 157e-9 * (1 - 0.04665 * math.exp(prop["ens"] / 179.3))
    zq = complex(epsilon, 376.62 * sigma / prop["wn"])
    prop["zgnd"] = np.sqrt(zq - 1)
    if polarization == "vertical":
        prop["zgnd"] = prop["zgnd"] / zq
    prop = qlrpfl(prop)
    zt, zl, zc = qerfi([time_pct / 100, location_pct / 100, situation_pct / 100])
    attenuation, prop = avar(zt, zl, zc, prop)
    free_space = 8.685890 * np.log(2 * prop["wn"] * prop["dist"])
    if prop["dist"] <= prop["dlsa"]:
        mode = 0
    elif prop["dist"] > prop["dx"]:
        mode = 2
    else:
        mode = 1
    return {
        "loss_db": float(free_space + attenuation),
        "mode": mode,
        "kwx": int(prop["kwx"]),
        "prop": prop,
    }


def _smooth_noise(rng, n, scale_points, amplitude):
    """Gaussian-smoothed white noise, zero mean, standard deviation ``amplitude``."""
    width = max(1, int(scale_points))
    kernel = np.exp(-0.5 * (np.arange(-3 * width, 3 * width + 1) / width) ** 2)
    noise = rng.standard_normal(n + kernel.size)
    smooth = np.convolve(noise, kernel / kernel.sum(), mode="same")[:n]
    std = smooth.std()
    return smooth / std * amplitude if std > 0 else smooth


def random_terrain(rng, n_points, step_m, kind):
    """One random terrain profile of ``n_points`` elevations (m).

    ``kind`` is one of ``"flat"`` (plain at a random altitude, small undulation), ``"sea"``
    (0 m), ``"rolling"`` (sums of smoothed noise), ``"hills"`` (Gaussian hills on rolling
    ground), ``"mountains"`` (high relief) or ``"valleys"`` (terminals in valleys behind
    ridges: trans-horizon and troposcatter paths).
    """
    n = n_points
    x = np.arange(n) * step_m
    length = x[-1]
    base = rng.uniform(0.0, 800.0)
    if kind == "sea":
        return np.zeros(n)
    if kind == "flat":
        return base + _smooth_noise(rng, n, n / 10, rng.uniform(0.0, 3.0))
    z = base + sum(
        _smooth_noise(rng, n, n * f, a)
        for f, a in ((0.2, rng.uniform(5, 60)), (0.05, rng.uniform(2, 25)), (0.01, 3.0))
    )
    if kind in ("hills", "mountains", "valleys"):
        n_hills = rng.integers(1, 6)
        for _ in range(n_hills):
            centre = rng.uniform(0.0, length)
            width = rng.uniform(0.02, 0.2) * length
            height = rng.uniform(20, 200 if kind == "hills" else 900)
            z = z + height * np.exp(-0.5 * ((x - centre) / width) ** 2)
    if kind == "valleys":
        for end in (0.0, length):
            centre = abs(end - rng.uniform(0.03, 0.12) * length)
            width = rng.uniform(0.01, 0.04) * length
            z = z + rng.uniform(150, 600) * np.exp(-0.5 * ((x - centre) / width) ** 2)
    return np.maximum(z, 0.0)


_KINDS = ("flat", "sea", "rolling", "hills", "mountains", "valleys")
_KIND_WEIGHTS = (0.12, 0.12, 0.16, 0.2, 0.15, 0.25)


def random_cases(seed, count, n_points=None):
    """Seeded random ITM cases: a list of ``(elevations, keyword arguments)``.

    Path length 1-100 km (log-uniform; 20-100 km behind valley ridges), 20-300 points (or
    ``n_points``), 100-3000 MHz (log-uniform), antenna heights 1-100 m (log-uniform), both
    polarisations, all seven climates, random ground constants, refractivity and percentages.
    """
    rng = np.random.default_rng(seed)
    climates = list(CLIMATE_CODES)
    cases = []
    for _ in range(count):
        kind = _KINDS[rng.choice(len(_KINDS), p=_KIND_WEIGHTS)]
        n = int(n_points or rng.integers(20, 301))
        shortest = 20e3 if kind == "valleys" else 1e3
        length = math.exp(rng.uniform(math.log(shortest), math.log(100e3)))
        step = length / (n - 1)
        z = random_terrain(rng, n, step, kind)
        if kind == "valleys":
            heights = np.exp(rng.uniform(0.0, math.log(15.0), size=2))
            freq = math.exp(rng.uniform(math.log(400.0), math.log(3000.0)))
        else:
            heights = np.exp(rng.uniform(0.0, math.log(100.0), size=2))
            freq = math.exp(rng.uniform(math.log(100.0), math.log(3000.0)))
        params = {
            "step_m": step,
            "freq_mhz": freq,
            "tx_height_m": float(heights[0]),
            "rx_height_m": float(heights[1]),
            "polarization": ("vertical", "horizontal")[rng.integers(2)],
            "climate": climates[rng.integers(len(climates))],
            "epsilon": float(rng.choice([4.0, 10.0, 15.0, 25.0, 81.0])),
            "sigma": float(rng.choice([0.001, 0.005, 0.01, 0.02, 5.0])),
            "ns": float(rng.uniform(250.0, 400.0)),
            "time_pct": float(rng.choice([1.0, 10.0, 50.0, 90.0, 99.0])),
            "location_pct": float(rng.choice([10.0, 50.0, 90.0])),
            "situation_pct": float(rng.choice([10.0, 50.0, 90.0])),
        }
        cases.append((z, params))
    return cases
