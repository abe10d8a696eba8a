r"""Distance-only path-loss models: free space, Okumura–Hata and COST-231 Hata.

All functions are vectorised over distance (any array shape; the other arguments broadcast
against it) and return median basic transmission loss in dB.

Free space (Friis)
------------------
The exact free-space basic transmission loss between isotropic antennas is

.. math::

    L_{fs} = 20 \log_{10}\left(\frac{4 \pi d}{\lambda}\right)
           = 20 \log_{10} d_{km} + 20 \log_{10} f_{MHz} + 32.4478 \;\mathrm{dB}

with :math:`\lambda = c / f` and :math:`c = 299\,792\,458` m/s. The constant is
:math:`20 \log_{10}(4 \pi \cdot 10^{3} \cdot 10^{6} / c) = 32.44778` dB; textbooks round it to
32.45 dB (a difference of 0.002 dB). This module uses the exact form.

Okumura–Hata
------------
Hata's empirical formula (Hata 1980) for the urban median loss is

.. math::

    L_u = 69.55 + 26.16 \log_{10} f - 13.82 \log_{10} h_b - a(h_m)
          + (44.9 - 6.55 \log_{10} h_b) \log_{10} d

with *f* in MHz, base-station height :math:`h_b` and mobile height :math:`h_m` in metres and
*d* in km. The mobile-antenna correction :math:`a(h_m)` is, for a small or medium city,

.. math::

    a(h_m) = (1.1 \log_{10} f - 0.7) h_m - (1.56 \log_{10} f - 0.8)

and for a large city

.. math::

    a(h_m) = 8.29 (\log_{10} 1.54 h_m)^2 - 1.1 \quad (f \le 200\ \mathrm{MHz}), \qquad
    a(h_m) = 3.2 (\log_{10} 11.75 h_m)^2 - 4.97 \quad (f \ge 400\ \mathrm{MHz}).

Hata gives no large-city formula between 200 and 400 MHz; this module uses the low-frequency
form below 300 MHz and the high-frequency form from 300 MHz. The suburban and open-area losses
are corrections of the (small/medium city) urban loss:

.. math::

    L_{su} = L_u - 2 \left[\log_{10}(f / 28)\right]^2 - 5.4, \qquad
    L_o = L_u - 4.78 (\log_{10} f)^2 + 18.33 \log_{10} f - 40.94.

Validity: 150 ≤ f ≤ 1500 MHz, 30 ≤ h_b ≤ 200 m, 1 ≤ h_m ≤ 10 m, 1 ≤ d ≤ 20 km.

COST-231 Hata
-------------
The COST 231 extension to 1500–2000 MHz (COST 231 final report, 1999, ch. 4.4.1) is

.. math::

    L = 46.3 + 33.9 \log_{10} f - 13.82 \log_{10} h_b - a(h_m)
        + (44.9 - 6.55 \log_{10} h_b) \log_{10} d + C_m

with the small/medium city :math:`a(h_m)` and :math:`C_m = 0` dB for medium-sized cities and
suburban centres with moderate tree density, :math:`C_m = 3` dB for metropolitan centres.
Validity: 1500 ≤ f ≤ 2000 MHz, 30 ≤ h_b ≤ 200 m, 1 ≤ h_m ≤ 10 m, 1 ≤ d ≤ 20 km.

Out-of-range inputs are computed anyway (the formulas are simply extrapolated); the result
carries a boolean ``valid`` mask and, unless ``warn=False``, a :class:`ModelValidityWarning`
is emitted once per call.

References
----------
.. [1] H. T. Friis, "A note on a simple transmission formula", Proc. IRE 34(5), 254–256, 1946.
.. [2] M. Hata, "Empirical formula for propagation loss in land mobile radio services",
   IEEE Trans. Vehicular Technology VT-29(3), 317–325, 1980.
.. [3] E. Damosso (ed.), "COST Action 231: Digital mobile radio towards future generation
   systems, final report", European Commission, EUR 18957, 1999, ch. 4.4.
.. [4] ITU-R P.525-4, "Calculation of free-space attenuation", 2019.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

SPEED_OF_LIGHT_M_S = 299_792_458.0
"""Speed of light in vacuum (exact, SI)."""

FSPL_CONSTANT_DB = float(20.0 * np.log10(4.0 * np.pi * 1e3 * 1e6 / SPEED_OF_LIGHT_M_S))
"""Exact constant of the free-space formula with d in km and f in MHz (32.44778 dB)."""

HATA_ENVIRONMENTS = ("urban_large", "urban", "suburban", "open")
"""Environments accepted by :func:`hata_loss_db`."""

COST231_ENVIRONMENTS = ("urban_large", "metropolitan", "urban", "suburban")
"""Environments accepted by :func:`cost231_loss_db` (``urban_large`` = ``metropolitan``)."""


class ModelValidityWarning(UserWarning):
    """Some inputs lie outside the validity range of an empirical model."""


@dataclass(frozen=True)
class PathLossResult:
    """Median basic transmission loss and its validity mask.

    Attributes
    ----------
    loss_db : numpy.ndarray
        Loss in dB, broadcast shape of the inputs.
    valid : numpy.ndarray
        Boolean array of the same shape: True where every input is inside the model's
        validity range.
    """

    loss_db: np.ndarray
    valid: np.ndarray


def free_space_loss_db(d_km, f_mhz) -> np.ndarray:
    r"""Free-space basic transmission loss (Friis), exact :math:`4 \pi d / \lambda` form.

    .. math:: L_{fs} = 20 \log_{10} d_{km} + 20 \log_{10} f_{MHz} + 32.44778

    Parameters
    ----------
    d_km : array_like
        Path length in km (> 0).
    f_mhz : array_like
        Frequency in MHz (> 0).

    Returns
    -------
    numpy.ndarray
        Loss in dB.
    """
    d = np.asarray(d_km, dtype=float)
    f = np.asarray(f_mhz, dtype=float)
    if np.any(d <= 0) or np.any(f <= 0):
        raise ValueError("distance and frequency must be positive")
    return 20.0 * np.log10(d) + 20.0 * np.log10(f) + FSPL_CONSTANT_DB


def free_space_distance_km(loss_db, f_mhz) -> np.ndarray:
    r"""Distance at which the free-space loss equals ``loss_db`` (inverse of the Friis form).

    .. math:: d_{km} = 10^{(L - 20 \log_{10} f_{MHz} - 32.44778) / 20}
    """
    f = np.asarray(f_mhz, dtype=float)
    return 10.0 ** (
        (np.asarray(loss_db, dtype=float) - 20.0 * np.log10(f) - FSPL_CONSTANT_DB) / 20.0
    )


def hata_mobile_correction_db(f_mhz, hm_m, large_city: bool = False) -> np.ndarray:
    r"""Hata mobile-antenna height correction :math:`a(h_m)` in dB.

    Parameters
    ----------
    f_mhz : array_like
        Frequency in MHz.
    hm_m : array_like
        Mobile antenna height in m.
    large_city : bool
        Use the large-city form (switching at 300 MHz between the f ≤ 200 MHz and
        f ≥ 400 MHz expressions) instead of the small/medium city form.

    Returns
    -------
    numpy.ndarray
        :math:`a(h_m)` in dB (about 0 dB for :math:`h_m = 1.5` m).
    """
    f = np.asarray(f_mhz, dtype=float)
    hm = np.asarray(hm_m, dtype=float)
    if large_city:
        low = 8.29 * np.log10(1.54 * hm) ** 2 - 1.1
        high = 3.2 * np.log10(11.75 * hm) ** 2 - 4.97
        return np.where(f < 300.0, low, high)
    logf = np.log10(f)
    return (1.1 * logf - 0.7) * hm - (1.56 * logf - 0.8)


def _validity(d, f, hb, hm, f_range) -> np.ndarray:
    return (
        (f >= f_range[0])
        & (f <= f_range[1])
        & (hb >= 30.0)
        & (hb <= 200.0)
        & (hm >= 1.0)
        & (hm <= 10.0)
        & (d >= 1.0)
        & (d <= 20.0)
    )


def _maybe_warn(valid: np.ndarray, model: str, warn: bool) -> None:
    if warn and not np.all(valid):
        n_bad = int(valid.size - np.count_nonzero(valid))
        warnings.warn(
            f"{model}: {n_bad} of {valid.size} inputs outside the validity range "
            "(f, hb 30-200 m, hm 1-10 m, d 1-20 km); values are extrapolated",
            ModelValidityWarning,
            stacklevel=3,
        )


def _hata_common(d, hb):
    if np.any(d <= 0) or np.any(hb <= 0):
        raise ValueError("distance and base-station height must be positive")
    loghb = np.log10(hb)
    return -13.82 * loghb + (44.9 - 6.55 * loghb) * np.log10(d)


def hata_loss_db(
    d_km, f_mhz, hb_m, hm_m, environment: str = "urban", *, warn: bool = True
) -> PathLossResult:
    """Okumura–Hata median path loss (Hata 1980).

    Parameters
    ----------
    d_km : array_like
        Horizontal distance in km (validity 1–20 km).
    f_mhz : array_like
        Frequency in MHz (validity 150–1500 MHz).
    hb_m : array_like
        Base-station effective antenna height in m (validity 30–200 m).
    hm_m : array_like
        Mobile antenna height in m (validity 1–10 m).
    environment : {"urban", "urban_large", "suburban", "open"}
        ``urban`` = small/medium city; ``urban_large`` = large city mobile correction;
        ``suburban`` and ``open`` apply Hata's corrections to the small/medium city loss.
    warn : bool
        Emit a :class:`ModelValidityWarning` if any input is outside the validity range.

    Returns
    -------
    PathLossResult
        Loss in dB and validity mask; see the module docstring for the formulas.
    """
    if environment not in HATA_ENVIRONMENTS:
        raise ValueError(f"unknown Hata environment {environment!r}; use {HATA_ENVIRONMENTS}")
    d, f, hb, hm = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (d_km, f_mhz, hb_m, hm_m))
    )
    logf = np.log10(f)
    a_hm = hata_mobile_correction_db(f, hm, large_city=environment == "urban_large")
    loss = 69.55 + 26.16 * logf - a_hm + _hata_common(d, hb)
    if environment == "suburban":
        loss = loss - 2.0 * np.log10(f / 28.0) ** 2 - 5.4
    elif environment == "open":
        loss = loss - 4.78 * logf**2 + 18.33 * logf - 40.94
    valid = _validity(d, f, hb, hm, (150.0, 1500.0))
    _maybe_warn(valid, "Okumura-Hata", warn)
    return PathLossResult(loss_db=np.asarray(loss), valid=np.asarray(valid))


def cost231_loss_db(
    d_km, f_mhz, hb_m, hm_m, environment: str = "urban", *, warn: bool = True
) -> PathLossResult:
    r"""COST-231 Hata median path loss (COST 231 final report 1999, ch. 4.4.1).

    Parameters
    ----------
    d_km, f_mhz, hb_m, hm_m : array_like
        As for :func:`hata_loss_db`; frequency validity 1500–2000 MHz.
    environment : {"urban", "suburban", "urban_large", "metropolitan"}
        ``urban``/``suburban``: medium city and suburban centres, :math:`C_m = 0` dB;
        ``urban_large``/``metropolitan``: metropolitan centres, :math:`C_m = 3` dB.
    warn : bool
        Emit a :class:`ModelValidityWarning` if any input is outside the validity range.

    Returns
    -------
    PathLossResult
        Loss in dB and validity mask.
    """
    if environment not in COST231_ENVIRONMENTS:
        raise ValueError(
            f"unknown COST-231 environment {environment!r}; use {COST231_ENVIRONMENTS}"
        )
    c_m = 3.0 if environment in ("urban_large", "metropolitan") else 0.0
    d, f, hb, hm = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (d_km, f_mhz, hb_m, hm_m))
    )
    a_hm = hata_mobile_correction_db(f, hm, large_city=False)
    loss = 46.3 + 33.9 * np.log10(f) - a_hm + _hata_common(d, hb) + c_m
    valid = _validity(d, f, hb, hm, (1500.0, 2000.0))
    _maybe_warn(valid, "COST-231 Hata", warn)
    return PathLossResult(loss_db=np.asarray(loss), valid=np.asarray(valid))
