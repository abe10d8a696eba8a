"""Tests of the vectorised ITM point-to-point core against itmlogic and the published example.

Run without Django: ``python -m pytest -p no:django tests/cores/test_itm.py``.
"""

from __future__ import annotations

import math
import warnings
from collections import Counter

import numpy as np
import pytest

from jangkau.cores.propagation.itm import (
    CLIMATES,
    MODE_NAMES,
    WARNING_TEXTS,
    ItmInputError,
    ItmResult,
    itm_p2p,
    mode_name,
    warning_text,
)
from jangkau.cores.propagation.itm_numerics import py_max, py_min
from jangkau.cores.propagation.itm_terrain import (
    horizons,
    least_squares_line,
    path_geometry,
    terrain_irregularity,
)
from jangkau.cores.propagation.itm_variability import normal_deviate
from tests.cores.itm_reference_profile import (
    CONFIDENCE_PCT,
    CRYSTAL_PALACE_MURSLEY,
    CRYSTAL_PALACE_STEP_M,
    QKPFL_TESTS,
    RELIABILITY_PCT,
    random_cases,
    run_itmlogic,
)

itmlogic = pytest.importorskip("itmlogic")

TOLERANCE_DB = 0.1
N_RANDOM = 800
SEED = 20240611


def _reference(z, params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return run_itmlogic(z, **params)


def _is_exact_tie(prop) -> bool:
    """itmlogic's path ends on the smooth-earth horizon in exact arithmetic (docs/itm.md)."""
    return prop["dh"] == 0 and abs(prop["dist"] - prop["dlsa"]) <= 1e-9 * prop["dist"]


def _ours_by_length(cases):
    """itm_p2p on the cases, one vectorised call per profile length (per-profile params)."""
    by_length: dict[int, list[int]] = {}
    for k, (z, _) in enumerate(cases):
        by_length.setdefault(z.size, []).append(k)
    loss = np.empty(len(cases))
    mode = np.empty(len(cases), dtype=int)
    kwx = np.empty(len(cases), dtype=int)
    for members in by_length.values():
        z = np.stack([cases[k][0] for k in members])
        params = {key: [cases[k][1][key] for k in members] for key in cases[0][1]}
        step = params.pop("step_m")
        freq = params.pop("freq_mhz")
        tx = params.pop("tx_height_m")
        rx = params.pop("rx_height_m")
        result = itm_p2p(z, step, freq, tx, rx, **params)
        loss[members] = result.loss_db
        mode[members] = result.mode
        kwx[members] = result.warnings
    return loss, mode, kwx


@pytest.fixture(scope="module")
def random_comparison():
    cases = random_cases(SEED, N_RANDOM)
    refs = [_reference(z, p) for z, p in cases]
    loss, mode, kwx = _ours_by_length(cases)
    return cases, refs, loss, mode, kwx


def test_random_profiles_cover_the_parameter_space(random_comparison):
    cases, refs, *_ = random_comparison
    assert len(cases) >= 500
    modes = Counter(ref["mode"] for ref in refs)
    assert modes[0] >= 100, modes
    assert modes[1] >= 50, modes
    assert modes[2] >= 30, modes
    params = [p for _, p in cases]
    freqs = np.array([p["freq_mhz"] for p in params])
    assert freqs.min() < 120 and freqs.max() > 2500
    lengths = np.array([(z.size - 1) * p["step_m"] for z, p in cases])
    assert lengths.min() < 1.5e3 and lengths.max() > 90e3
    heights = np.array([[p["tx_height_m"], p["rx_height_m"]] for p in params])
    assert heights.min() < 1.5 and heights.max() > 80
    assert {p["polarization"] for p in params} == {"vertical", "horizontal"}
    assert {p["climate"] for p in params} == set(CLIMATES)


def test_random_profiles_match_itmlogic_loss(random_comparison):
    _, refs, loss, *_ = random_comparison
    expected = np.array([ref["loss_db"] for ref in refs])
    assert np.isfinite(expected).all() and np.isfinite(loss).all()
    diff = np.abs(loss - expected)
    worst = int(diff.argmax())
    assert diff.max() <= TOLERANCE_DB, f"case {worst}: {loss[worst]} vs {expected[worst]}"
    # In practice the two agree far better than the acceptance tolerance.
    assert np.median(diff) < 1e-3


def test_random_profiles_match_itmlogic_mode(random_comparison):
    _, refs, _, mode, _ = random_comparison
    expected = np.array([ref["mode"] for ref in refs])
    differ = np.flatnonzero(mode != expected)
    # Only a path that ends exactly on the smooth-earth horizon may be labelled differently
    # (the loss is continuous there); see docs/itm.md, "Mode".
    unexplained = [k for k in differ if not _is_exact_tie(refs[k]["prop"])]
    assert not unexplained, [(k, mode[k], expected[k]) for k in unexplained]
    assert differ.size <= 3


def test_random_profiles_match_itmlogic_warnings(random_comparison):
    _, refs, _, _, kwx = random_comparison
    for k, ref in enumerate(refs):
        ours, theirs = int(kwx[k]), ref["kwx"]
        if ours == theirs:
            continue
        prop = ref["prop"]
        # itmlogic tests dl[1] > 3 dls[0] where ITM 1.2.2 tests dl[0] > 3 dls[0] (docs/itm.md).
        typo = prop["dl"][1] > 3 * prop["dls"][0]
        missing = prop["dl"][0] > 3 * prop["dls"][0]
        assert (theirs == 3 and ours < 3 and typo) or (ours == 3 and theirs < 3 and missing), (
            k,
            ours,
            theirs,
        )


@pytest.mark.parametrize("name", sorted(QKPFL_TESTS))
def test_published_crystal_palace_example(name):
    """NTIA's QKPFL test paths: published quantiles, itmlogic, effective heights and delta h."""
    run = QKPFL_TESTS[name]
    common = {
        "polarization": "horizontal",
        "climate": "continental_temperate",
        "epsilon": 15.0,
        "sigma": 0.005,
        "ns": 314.0,
    }
    time_pct, situation_pct = np.meshgrid(RELIABILITY_PCT, CONFIDENCE_PCT, indexing="ij")
    result = itm_p2p(
        CRYSTAL_PALACE_MURSLEY,
        CRYSTAL_PALACE_STEP_M,
        run["freq_mhz"],
        run["tx_height_m"],
        run["rx_height_m"],
        time_pct=time_pct.ravel(),
        situation_pct=situation_pct.ravel(),
        **common,
    )
    published = np.array(run["loss_db"]).ravel()
    # Published values are rounded to 0.1 dB.
    np.testing.assert_allclose(result.loss_db, published, atol=0.05 + 1e-9)
    # The published text "a double-horizon path, diffraction is the dominant mode" follows
    # NTIA's reporting rule (terrain horizons d_L); our mode is the ITM region by d_Ls and d_x
    # (docs/itm.md, "Mode"): both paths are shorter than d_Ls, the line-of-sight region.
    expected_mode = run["itm_region"]
    assert set(result.mode_names()) == {expected_mode}
    np.testing.assert_allclose(result.free_space_db, run["free_space_db"], atol=0.05)
    for k, (t, c) in enumerate(zip(time_pct.ravel(), situation_pct.ravel(), strict=True)):
        ref = _reference(
            CRYSTAL_PALACE_MURSLEY,
            {
                "step_m": CRYSTAL_PALACE_STEP_M,
                "freq_mhz": run["freq_mhz"],
                "tx_height_m": run["tx_height_m"],
                "rx_height_m": run["rx_height_m"],
                "time_pct": t,
                "situation_pct": c,
                **common,
            },
        )
        assert abs(result.loss_db[k] - ref["loss_db"]) <= TOLERANCE_DB
        assert ref["mode"] == result.mode[k] == MODE_NAMES.index(expected_mode)

    gme = 157e-9 * (1 - 0.04665 * math.exp(314.0 / 179.3))
    geometry = path_geometry(
        CRYSTAL_PALACE_MURSLEY[None, :],
        np.array([CRYSTAL_PALACE_STEP_M]),
        np.array([run["tx_height_m"]]),
        np.array([run["rx_height_m"]]),
        np.array([gme]),
    )
    np.testing.assert_allclose(
        [geometry.he0[0], geometry.he1[0]], run["effective_heights_m"], atol=0.05 + 1e-9
    )
    assert abs(geometry.dh[0] - run["delta_h_m"]) <= 0.5
    # Published: "a double-horizon path" (both terminals see a terrain horizon).
    assert geometry.dl0[0] < geometry.dist[0] and geometry.dl1[0] < geometry.dist[0]


def test_vectorised_equals_one_by_one():
    cases = random_cases(SEED + 1, 60, n_points=120)
    z = np.stack([c[0] for c in cases])
    params = {key: [c[1][key] for c in cases] for key in cases[0][1]}
    step = params.pop("step_m")
    freq = params.pop("freq_mhz")
    tx = params.pop("tx_height_m")
    rx = params.pop("rx_height_m")
    batch = itm_p2p(z, step, freq, tx, rx, **params)
    assert batch.loss_db.shape == (60,)
    for k, (zk, pk) in enumerate(cases):
        single = itm_p2p(zk, **pk)
        assert single.loss_db.shape == ()
        assert single.loss_db == batch.loss_db[k]
        assert single.mode == batch.mode[k]
        assert single.warnings == batch.warnings[k]
        assert single.free_space_db == batch.free_space_db[k]


def test_blocks_do_not_change_results():
    """Results do not depend on how many profiles share the call (cache blocking)."""
    cases = random_cases(SEED + 2, 700, n_points=50)
    z = np.stack([c[0] for c in cases])
    freq = [c[1]["freq_mhz"] for c in cases]
    step = [c[1]["step_m"] for c in cases]
    whole = itm_p2p(z, step, freq, 10.0, 5.0)
    halves = [itm_p2p(z[s], step[s], freq[s], 10.0, 5.0) for s in (slice(0, 333), slice(333, None))]
    np.testing.assert_array_equal(whole.loss_db, np.concatenate([h.loss_db for h in halves]))
    np.testing.assert_array_equal(whole.mode, np.concatenate([h.mode for h in halves]))


def test_broadcasting_a_single_profile_over_parameters():
    z = CRYSTAL_PALACE_MURSLEY
    freqs = np.array([50.0, 300.0, 900.0, 2400.0])
    result = itm_p2p(z, CRYSTAL_PALACE_STEP_M, freqs, 30.0, 10.0, climate="desert")
    assert result.loss_db.shape == (4,)
    for k, f in enumerate(freqs):
        single = itm_p2p(z, CRYSTAL_PALACE_STEP_M, f, 30.0, 10.0, climate="desert")
        assert single.loss_db == result.loss_db[k]
    # Loss grows with frequency on this obstructed path.
    assert np.all(np.diff(result.loss_db) > 0)


def test_time_and_situation_quantiles_are_monotone_location_has_no_effect():
    args = (CRYSTAL_PALACE_MURSLEY, CRYSTAL_PALACE_STEP_M, 600.0, 50.0, 10.0)
    pct = np.array([1.0, 10.0, 50.0, 90.0, 99.0])
    by_time = itm_p2p(*args, time_pct=pct).loss_db
    by_situation = itm_p2p(*args, situation_pct=pct).loss_db
    by_location = itm_p2p(*args, location_pct=pct).loss_db
    assert np.all(np.diff(by_time) > 0)
    assert np.all(np.diff(by_situation) > 0)
    # mdvar = 11: point-to-point mode eliminates location variability.
    assert np.ptp(by_location) == 0


def test_exact_smooth_earth_horizon_tie_is_line_of_sight():
    """3-point sea path just beyond the smooth-earth horizon, midpoint below the ray."""
    z = np.zeros(3)
    params = {
        "step_m": 25e3,
        "freq_mhz": 900.0,
        "tx_height_m": 100.0,
        "rx_height_m": 2.0,
        "ns": 301.0,
    }
    result = itm_p2p(z, **params)
    ref = _reference(z, params)
    assert _is_exact_tie(ref["prop"])
    assert result.mode_names().item() == "los"
    assert abs(float(result.loss_db) - ref["loss_db"]) <= TOLERANCE_DB


def test_formula_breakdown_is_nan_with_warning_4():
    """ITM takes the log of a negative number for some extreme inputs (itmlogic too)."""
    z = np.array([1104.6, 1372.7, 1051.4, 1701.2, 2795.5, 2400.0, 2100.0, 1800.0])
    params = {
        "step_m": 113.92,
        "freq_mhz": 25.486,
        "tx_height_m": 338.15,
        "rx_height_m": 3.94,
        "polarization": "vertical",
        "epsilon": 3.27,
        "sigma": 1.53,
        "ns": 342.3,
    }
    result = itm_p2p(z, **params)
    ref = _reference(z, params)
    if not math.isnan(ref["loss_db"]):
        pytest.skip("itmlogic computes this case; nothing to compare")
    assert math.isnan(float(result.loss_db))
    assert int(result.warnings) == 4


def test_result_helpers_and_empty_input():
    assert MODE_NAMES == ("los", "diffraction", "scatter")
    assert [mode_name(k) for k in range(3)] == list(MODE_NAMES)
    assert warning_text(0) == "0: no warning" and len(WARNING_TEXTS) == 5
    result = itm_p2p(np.zeros((0, 10)), 100.0, 900.0, 10.0, 10.0)
    assert isinstance(result, ItmResult)
    assert result.loss_db.shape == result.mode.shape == result.warnings.shape == (0,)
    result = itm_p2p(CRYSTAL_PALACE_MURSLEY, CRYSTAL_PALACE_STEP_M, 900.0, 30.0, 10.0)
    assert result.mode_names().shape == () and result.warning_texts().shape == ()


def test_normal_deviate_matches_itmlogic_qerfi():
    from itmlogic.misc.qerfi import qerfi

    q = [0.001, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 0.999]
    np.testing.assert_allclose(normal_deviate(q), qerfi(q), atol=5e-5)
    # Hastings' approximation is 1.3e-9 (not 0) at q = 0.5, in ITM as here.
    assert abs(normal_deviate(0.5)) < 1e-8 and normal_deviate(0.1) > 1.28


def test_terrain_functions_match_itmlogic_subroutines():
    from itmlogic.preparatory_subroutines.dlthx import dlthx
    from itmlogic.preparatory_subroutines.hzns import hzns
    from itmlogic.preparatory_subroutines.zlsq1 import zlsq1

    rng = np.random.default_rng(SEED)
    for _ in range(40):
        n = int(rng.integers(5, 400))
        xi = float(rng.uniform(10.0, 500.0))
        z = np.cumsum(rng.normal(0.0, 5.0, n + 1)) + 200.0
        pfl = [n, xi, *z.tolist()]
        hg = [float(rng.uniform(1, 50)), float(rng.uniform(1, 50))]
        gme = 1.3e-7
        the, dl = hzns(pfl, n * xi, hg, gme)
        ours = horizons(
            z[None, :], np.array([xi]), np.array([hg[0]]), np.array([hg[1]]), np.array([gme])
        )
        np.testing.assert_allclose(
            [o[0] for o in ours[:4]], [the[0], the[1], dl[0], dl[1]], rtol=1e-12
        )
        x1, x2 = sorted(rng.uniform(0.0, n * xi, 2))
        if x2 - x1 > 2 * xi:
            za, zb = zlsq1(pfl, x1, x2)
            fit = least_squares_line(z[None, :], np.array([xi]), np.array([x1]), np.array([x2]))
            np.testing.assert_allclose([fit[0][0], fit[1][0]], [za, zb], rtol=1e-9, atol=1e-8)
        dh = terrain_irregularity(z[None, :], np.array([xi]), np.array([x1]), np.array([x2]))
        assert dh[0] == pytest.approx(dlthx(pfl, x1, x2), rel=1e-9, abs=1e-9)


def test_python_min_max_semantics():
    nan = float("nan")
    a = np.array([1.0, nan, 2.0])
    b = np.array([nan, 1.0, 3.0])
    np.testing.assert_array_equal(py_max(a, b), [max(x, y) for x, y in zip(a, b, strict=True)])
    np.testing.assert_array_equal(py_min(a, b), [min(x, y) for x, y in zip(a, b, strict=True)])


GOOD = {"step_m": 100.0, "freq_mhz": 900.0, "tx_height_m": 30.0, "rx_height_m": 2.0}


@pytest.mark.parametrize(
    ("change", "param", "message"),
    [
        ({"elevations": np.zeros(2)}, "elevations", "too few points.*at least 3.*got 2"),
        ({"elevations": np.zeros((2, 2, 5))}, "elevations", "1-D .*or 2-D"),
        ({"elevations": [0.0, math.nan, 1.0]}, "elevations", "finite"),
        ({"elevations": ["a", "b", "c"]}, "elevations", "array of numbers"),
        ({"step_m": 0.0}, "step_m", "step.*> 0"),
        ({"step_m": -30.0}, "step_m", "step.*> 0"),
        ({"step_m": math.inf}, "step_m", "finite"),
        ({"freq_mhz": 19.9}, "freq_mhz", "20-20000 MHz"),
        ({"freq_mhz": 20000.1}, "freq_mhz", "20-20000 MHz"),
        ({"freq_mhz": "900"}, "freq_mhz", "must be a number"),
        ({"tx_height_m": True}, "tx_height_m", "must be a number"),
        ({"tx_height_m": 0.4}, "tx_height_m", "0.5-3000 m"),
        ({"rx_height_m": 3000.5}, "rx_height_m", "0.5-3000 m"),
        ({"epsilon": 0.0}, "epsilon", "permittivity must be > 1"),
        ({"epsilon": 1.0}, "epsilon", "permittivity must be > 1"),
        ({"sigma": 0.0}, "sigma", "conductivity.*> 0"),
        ({"sigma": -1.0}, "sigma", "conductivity.*> 0"),
        ({"ns": 200.0}, "ns", "250-400 N-units"),
        ({"time_pct": 0.0}, "time_pct", "0.1-99.9"),
        ({"location_pct": 100.0}, "location_pct", "0.1-99.9"),
        ({"situation_pct": 99.95}, "situation_pct", "0.1-99.9"),
        ({"climate": "tropical"}, "climate", "unknown value 'tropical'"),
        ({"climate": 5}, "climate", "name"),
        ({"polarization": "circular"}, "polarization", "unknown value 'circular'"),
        ({"freq_mhz": [900.0, 10.0]}, "freq_mhz", r"20-20000 MHz.*profile 1"),
        ({"freq_mhz": [[900.0]]}, "freq_mhz", "scalar or 1-D"),
        ({"climate": ["desert", "arctic"]}, "climate", r"'arctic' \(profile 1\)"),
    ],
)
def test_bad_inputs_raise_value_error(change, param, message):
    kwargs = {"elevations": np.linspace(0.0, 50.0, 30), **GOOD, **change}
    with pytest.raises(ValueError, match=message) as info:
        itm_p2p(**kwargs)
    assert isinstance(info.value, ItmInputError)
    assert info.value.param == param
    assert str(info.value).startswith(f"{param}: ")


def test_per_profile_arrays_must_match_profile_count():
    z = np.zeros((3, 10))
    with pytest.raises(ValueError, match="do not match the number of profiles"):
        itm_p2p(z, [100.0, 100.0], 900.0, 10.0, 10.0)


def test_accepted_limits():
    z = np.linspace(0.0, 20.0, 12)
    for kwargs in (
        {"freq_mhz": 20.0},
        {"freq_mhz": 20000.0},
        {"tx_height_m": 0.5},
        {"rx_height_m": 3000.0},
        {"ns": 250.0},
        {"ns": 400.0},
        {"time_pct": 0.1},
        {"situation_pct": 99.9},
        {"epsilon": 1.001},
        {"sigma": 1e-9},
    ):
        result = itm_p2p(z, **{**GOOD, **kwargs})
        assert np.isfinite(result.loss_db)


def test_distances_accumulate_like_itm():
    """Horizon distances are ITM's running sums (sa += xi), not i * xi."""
    from jangkau.cores.propagation.itm_terrain import _accumulate

    def running(start, step, count):
        value = start
        for _ in range(count):
            value += step
        return value

    rng = np.random.default_rng(SEED)
    count = rng.integers(0, 400, 64)
    shared = np.full(64, 77.8e3 / 156)
    mixed = rng.uniform(10.0, 500.0, 64)
    for step in (shared, mixed):
        for start, sign in ((np.zeros(64), 1.0), (400 * step, -1.0)):
            got = _accumulate(start, sign * step, count)
            expected = [running(start[k], sign * step[k], int(count[k])) for k in range(64)]
            assert got.tolist() == expected


def test_compiled_window_sums_match_plain_sums_on_every_window_length():
    from jangkau.cores.propagation.itm_kernels import window_sums

    rng = np.random.default_rng(SEED)
    z = rng.normal(300.0, 80.0, (6, 40))
    rows = np.repeat(np.arange(6), 8).astype(np.intp)
    ja = rng.integers(0, 39, rows.size).astype(np.intp)
    jb = np.minimum(ja + np.arange(rows.size) % 8, 39).astype(np.intp)  # lengths 1 to 8
    s0, s1 = window_sums(z, rows, ja, jb)
    for q, (r, a, b) in enumerate(zip(rows, ja, jb, strict=True)):
        j = np.arange(a, b + 1)
        assert s0[q] == pytest.approx(z[r, j].sum(), rel=1e-13)
        assert s1[q] == pytest.approx((j * z[r, j]).sum(), rel=1e-13)


def test_compiled_resampling_matches_interpolation_minus_least_squares_slope():
    from jangkau.cores.propagation.itm_kernels import resample_detrended

    rng = np.random.default_rng(SEED + 7)
    z = np.cumsum(rng.normal(0.0, 10.0, (5, 120)), axis=1)
    rows = np.array([4, 0, 2], dtype=np.intp)
    start = rng.uniform(0.0, 20.0, 5)
    width = rng.uniform(30.0, 119.0 - start)
    for size in (35, 38, 245):  # the remainder loop of the four partial sums, and none
        sn = size - 1.0
        j = np.arange(size, dtype=float)
        w = j - 0.5 * sn
        w[0] *= 0.5
        w[-1] *= 0.5
        w *= 12.0 / ((sn * sn + 2.0) * sn)
        out = np.empty((rows.size, size))
        resample_detrended(z, rows, start, width, w, out)
        for q, r in enumerate(rows):
            u = np.interp(start[r] + j * width[r] / sn, np.arange(120.0), z[r])
            np.testing.assert_allclose(out[q], u - (u @ w) * j, rtol=0, atol=1e-9)


def test_read_only_and_broadcast_profiles_are_accepted():
    z = np.broadcast_to(CRYSTAL_PALACE_MURSLEY, (3, len(CRYSTAL_PALACE_MURSLEY)))
    assert not z.flags.writeable
    result = itm_p2p(z, CRYSTAL_PALACE_STEP_M, [100.0, 600.0, 2000.0], 30.0, 10.0)
    single = itm_p2p(np.array(CRYSTAL_PALACE_MURSLEY), CRYSTAL_PALACE_STEP_M, 600.0, 30.0, 10.0)
    assert result.loss_db[1] == single.loss_db
