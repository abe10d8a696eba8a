"""Free-space, Okumura-Hata and COST-231 Hata against hand-computed values.

Hand computations use f = 900 MHz (1800 MHz for COST-231), hb = 30 m, hm = 1.5 m, d = 5 km:

    log10(900)  = 2.954243     log10(30) = 1.477121     log10(5) = 0.698970
    log10(1800) = 3.255273
"""

import warnings

import numpy as np
import pytest

from jangkau.cores.propagation.empirical import (
    FSPL_CONSTANT_DB,
    ModelValidityWarning,
    cost231_loss_db,
    free_space_distance_km,
    free_space_loss_db,
    hata_loss_db,
    hata_mobile_correction_db,
)


def test_free_space_constant_is_exact():
    # 20 log10(4 pi * 1e3 m * 1e6 Hz / 299792458 m/s) = 20 log10(41.91690) = 32.44778 dB
    assert FSPL_CONSTANT_DB == pytest.approx(32.44778, abs=1e-5)
    # the textbook rounding 32.45 differs by 0.002 dB only
    assert abs(FSPL_CONSTANT_DB - 32.45) < 0.003


@pytest.mark.parametrize(
    ("d_km", "f_mhz", "expected"),
    [
        # 20 log10(1) + 20 log10(1000) + 32.44778 = 0 + 60 + 32.44778
        (1.0, 1000.0, 92.44778),
        # 20 log10(10) + 20 log10(100) + 32.44778 = 20 + 40 + 32.44778
        (10.0, 100.0, 92.44778),
        # 20 log10(5) + 20 log10(900) + 32.44778 = 13.97940 + 59.08485 + 32.44778
        (5.0, 900.0, 105.51203),
        # 20 log10(0.1) + 20 log10(2400) + 32.44778 = -20 + 67.60422 + 32.44778
        (0.1, 2400.0, 80.05200),
    ],
)
def test_free_space_hand_values(d_km, f_mhz, expected):
    assert free_space_loss_db(d_km, f_mhz) == pytest.approx(expected, abs=1e-4)


def test_free_space_matches_4pi_d_over_lambda_and_inverts():
    d_m = np.array([10.0, 1234.5, 40_000.0])
    f_hz = 1800e6
    wavelength = 299_792_458.0 / f_hz
    exact = 20 * np.log10(4 * np.pi * d_m / wavelength)
    np.testing.assert_allclose(free_space_loss_db(d_m / 1000, 1800.0), exact, atol=1e-9)
    # doubling the distance adds 20 log10(2) = 6.0206 dB
    assert (free_space_loss_db(2.0, 900) - free_space_loss_db(1.0, 900)) == pytest.approx(
        6.0206, abs=1e-4)
    np.testing.assert_allclose(free_space_distance_km(free_space_loss_db(d_m / 1000, 1800.0),
                                                      1800.0), d_m / 1000, rtol=1e-12)
    with pytest.raises(ValueError):
        free_space_loss_db(0.0, 900)


def test_hata_mobile_correction_small_and_large_city():
    # small/medium: (1.1*2.954243 - 0.7)*1.5 - (1.56*2.954243 - 0.8)
    #             = 2.549667*1.5 - 3.808618 = 3.824501 - 3.808618 = 0.015882
    assert hata_mobile_correction_db(900, 1.5) == pytest.approx(0.015882, abs=1e-5)
    # large city, f >= 400: 3.2*(log10(11.75*1.5))^2 - 4.97 = 3.2*1.246129^2 - 4.97 = -0.000919
    assert hata_mobile_correction_db(900, 1.5, large_city=True) == pytest.approx(
        -0.000919, abs=1e-5)
    # large city, f <= 200: 8.29*(log10(1.54*1.5))^2 - 1.1 = 8.29*0.363612^2 - 1.1 = -0.003949
    assert hata_mobile_correction_db(150, 1.5, large_city=True) == pytest.approx(
        -0.003949, abs=1e-5)


def test_hata_urban_suburban_open_hand_values():
    # urban (small/medium city):
    #   69.55 + 26.16*2.954243 - 13.82*1.477121 - a(hm) + (44.9 - 6.55*1.477121)*0.698970
    # = 69.55 + 77.282984 - 20.413816 - 0.015882 + 35.224856*0.698970
    # = 69.55 + 77.282984 - 20.413816 - 0.015882 + 24.621118 = 151.024404 dB
    urban = hata_loss_db(5.0, 900.0, 30.0, 1.5, "urban")
    assert float(urban.loss_db) == pytest.approx(151.0244, abs=1e-3)
    assert bool(urban.valid)
    # suburban: Lu - 2*(log10(900/28))^2 - 5.4 = 151.024404 - 2*1.507084^2 - 5.4
    #         = 151.024404 - 4.542607 - 5.4 = 141.081797 dB
    suburban = hata_loss_db(5.0, 900.0, 30.0, 1.5, "suburban")
    assert float(suburban.loss_db) == pytest.approx(141.0818, abs=1e-3)
    # open: Lu - 4.78*2.954243^2 + 18.33*2.954243 - 40.94
    #     = 151.024404 - 41.718085 + 54.151265 - 40.94 = 122.517586 dB
    open_area = hata_loss_db(5.0, 900.0, 30.0, 1.5, "open")
    assert float(open_area.loss_db) == pytest.approx(122.5180, abs=1e-3)
    # large city: same as urban but a(hm) = -0.000919 instead of 0.015882:
    #   151.024404 + 0.015882 + 0.000919 = 151.041205 dB
    large = hata_loss_db(5.0, 900.0, 30.0, 1.5, "urban_large")
    assert float(large.loss_db) == pytest.approx(151.0412, abs=1e-3)


def test_hata_distance_slope_and_vectorisation():
    d = np.array([1.0, 2.0, 10.0, 20.0])
    res = hata_loss_db(d, 900.0, 30.0, 1.5)
    assert res.loss_db.shape == (4,)
    # slope per decade = 44.9 - 6.55*log10(30) = 35.224856 dB
    assert res.loss_db[2] - res.loss_db[0] == pytest.approx(35.224856, abs=1e-5)
    assert np.all(np.diff(res.loss_db) > 0)
    assert res.valid.all()


def test_cost231_hand_values():
    # a(hm) at 1800 MHz: (1.1*3.255273 - 0.7)*1.5 - (1.56*3.255273 - 0.8)
    #                   = 2.880800*1.5 - 4.278225 = 0.042975
    # L = 46.3 + 33.9*3.255273 - 20.413816 - 0.042975 + 24.621118 + Cm
    #   = 46.3 + 110.353738 - 20.413816 - 0.042975 + 24.621118 = 160.818065 (+ Cm)
    medium = cost231_loss_db(5.0, 1800.0, 30.0, 1.5, "urban")
    assert float(medium.loss_db) == pytest.approx(160.8181, abs=1e-3)
    assert bool(medium.valid)
    metro = cost231_loss_db(5.0, 1800.0, 30.0, 1.5, "metropolitan")
    assert float(metro.loss_db) == pytest.approx(163.8181, abs=1e-3)
    assert float(cost231_loss_db(5.0, 1800.0, 30.0, 1.5, "urban_large").loss_db) == float(
        metro.loss_db)
    with pytest.raises(ValueError):
        cost231_loss_db(5.0, 1800.0, 30.0, 1.5, "open")


def test_validity_flags_and_warning():
    with pytest.warns(ModelValidityWarning):
        res = hata_loss_db([0.5, 5.0, 25.0], 900.0, 30.0, 1.5)
    np.testing.assert_array_equal(res.valid, [False, True, False])
    with pytest.warns(ModelValidityWarning):
        assert not bool(hata_loss_db(5.0, 1800.0, 30.0, 1.5).valid)  # f > 1500 MHz
    with pytest.warns(ModelValidityWarning):
        assert not bool(hata_loss_db(5.0, 900.0, 20.0, 1.5).valid)  # hb < 30 m
    with pytest.warns(ModelValidityWarning):
        assert not bool(hata_loss_db(5.0, 900.0, 30.0, 12.0).valid)  # hm > 10 m
    with pytest.warns(ModelValidityWarning):
        assert not bool(cost231_loss_db(5.0, 900.0, 30.0, 1.5).valid)  # f < 1500 MHz
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = hata_loss_db([0.5, 25.0], 900.0, 30.0, 1.5, warn=False)
        assert not res.valid.any()
        # extrapolated, not clipped: still the formula's value
        assert np.all(np.isfinite(res.loss_db))
    with pytest.raises(ValueError):
        hata_loss_db(5.0, 900.0, 30.0, 1.5, "rural")
