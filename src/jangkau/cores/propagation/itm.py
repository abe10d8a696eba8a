r"""Irregular Terrain Model (Longley-Rice, ITM 1.2.2), point-to-point mode, vectorised numpy.

:func:`itm_p2p` predicts the basic transmission loss over terrain profiles. It is our own
implementation of the published algorithm (Hufford 1995 [1]_; Longley & Rice 1968 [2]_),
written with array operations so that thousands of profiles are computed at once, and it is
validated against the itmlogic port of ITM [4]_ (see ``docs/itm.md`` and
``tests/cores/test_itm.py``).

The computation, per profile (modules in brackets):

1. General parameters (ITM ``qlrps``): wave number :math:`k = f/47.7` MHz per metre,
   effective earth curvature :math:`\gamma_e = 157 \cdot 10^{-9} (1 - 0.04665
   e^{N_s/179.3})` 1/m and surface transfer impedance :math:`Z_g = \sqrt{\epsilon_r' - 1}`
   (horizontal) or :math:`\sqrt{\epsilon_r' - 1}/\epsilon_r'` (vertical), with
   :math:`\epsilon_r' = \epsilon_r + i\, 376.62\, \sigma / k` (Hufford 1995, eqs. 2.1-2.4).
2. Path geometry (``qlrpfl``: horizons, terrain irregularity :math:`\Delta h`, effective
   heights) [:mod:`.itm_terrain`].
3. Median reference attenuation :math:`A_{ref}` from the line-of-sight, diffraction and
   troposcatter regions (``lrprop``) [:mod:`.itm_attenuation`].
4. Quantile of attenuation for the requested time / location / situation percentages
   (``avar``, ``mdvar`` = 11) [:mod:`.itm_variability`].
5. Basic transmission loss :math:`L_b = L_{bf} + A`, with the free-space loss
   :math:`L_{bf} = 20 \log_{10}(2 k d)` (= :math:`20\log_{10}(4 \pi d / \lambda)`).

The propagation mode reported is ITM's region of step 3 (not a visibility test): line of
sight if :math:`d \le d_{Ls}` (the smooth-earth horizon distance of the effective heights),
troposcatter if :math:`d > d_x`, diffraction otherwise; see ``docs/itm.md``, "Mode".

References
----------
.. [1] G. A. Hufford, "The ITS Irregular Terrain Model, version 1.2.2: the algorithm",
   Institute for Telecommunication Sciences, NTIA, 1995.
.. [2] A. G. Longley and P. L. Rice, "Prediction of tropospheric radio transmission loss over
   irregular terrain: a computer method - 1968", ESSA Technical Report ERL 79-ITS 67, 1968.
.. [3] G. A. Hufford, A. G. Longley and W. A. Kissick, "A guide to the use of the ITS
   Irregular Terrain Model in the area prediction mode", NTIA Report 82-100, 1982.
.. [4] E. J. Oughton et al., "itmlogic: the Irregular Terrain Model by Longley and Rice",
   Journal of Open Source Software 5, 2266, 2020.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from operator import itemgetter

import numpy as np

from jangkau.cores.propagation.itm_attenuation import (
    MODE_DIFFRACTION,
    MODE_LOS,
    MODE_SCATTER,
    reference_attenuation,
)
from jangkau.cores.propagation.itm_terrain import path_geometry
from jangkau.cores.propagation.itm_variability import (
    CLIMATES,
    MDVAR_POINT_TO_POINT,
    attenuation_quantile,
    normal_deviate,
)

__all__ = [
    "CLIMATES",
    "MODE_DIFFRACTION",
    "MODE_LOS",
    "MODE_NAMES",
    "MODE_SCATTER",
    "POLARIZATIONS",
    "WARNING_TEXTS",
    "ItmInputError",
    "ItmResult",
    "MIN_POINTS",
    "check_scalar",
    "itm_p2p",
    "mode_name",
    "warning_text",
]

MODE_NAMES = ("los", "diffraction", "scatter")
"""Names of the mode codes 0, 1, 2."""

POLARIZATIONS = ("horizontal", "vertical")
"""Polarisations, in the order of ITM's ``ipol`` codes 0, 1."""

WARNING_TEXTS = (
    "0: no warning",
    "1: caution: some parameters are close to the limits of the model",
    "2: impossible parameters: default values were substituted",
    "3: internal calculations show parameters out of range",
    "4: parameters out of range: results are probably invalid",
)
"""Meaning of ITM's error/warning marker ``kwx`` (ITM manual, common block /PROP/)."""

MIN_POINTS = 3
"""Fewest profile points accepted (two intervals: one interior point for the horizon search)."""

# name -> (low, high, low bound inclusive, what the value is)
_LIMITS = {
    "step_m": (0.0, math.inf, False, "the profile step (m) must be > 0"),
    "freq_mhz": (20.0, 20000.0, True, "the frequency must be within ITM's 20-20000 MHz"),
    "tx_height_m": (0.5, 3000.0, True, "the antenna height must be within ITM's 0.5-3000 m"),
    "rx_height_m": (0.5, 3000.0, True, "the antenna height must be within ITM's 0.5-3000 m"),
    "epsilon": (1.0, math.inf, False, "the relative permittivity must be > 1"),
    "sigma": (0.0, math.inf, False, "the ground conductivity (S/m) must be > 0"),
    "ns": (250.0, 400.0, True, "the surface refractivity must be within ITM's 250-400 N-units"),
    "time_pct": (0.1, 99.9, True, "the percentage must be within 0.1-99.9"),
    "location_pct": (0.1, 99.9, True, "the percentage must be within 0.1-99.9"),
    "situation_pct": (0.1, 99.9, True, "the percentage must be within 0.1-99.9"),
}

_GAMMA_A = 157e-9  # actual earth curvature (1/m)
_DB = 20.0 / math.log(10.0)  # dB per neper of field: 20 log10(x) = _DB ln(x)


class ItmInputError(ValueError):
    """An input of :func:`itm_p2p` is missing its required form or outside ITM's range.

    Attributes
    ----------
    param : str
        Name of the offending parameter (as in :func:`itm_p2p`'s signature).
    """

    def __init__(self, param: str, message: str):
        super().__init__(f"{param}: {message}")
        self.param = param
        self.detail = message


@dataclass(frozen=True)
class ItmResult:
    r"""Result of :func:`itm_p2p`; every field has the broadcast shape of the inputs.

    Attributes
    ----------
    loss_db : numpy.ndarray of float
        Basic transmission loss (dB) at the requested time/location/situation quantiles.
    mode : numpy.ndarray of int
        ITM region: 0 line of sight (:math:`d \le d_{Ls}`), 1 diffraction, 2 troposcatter
        (:math:`d > d_x`); names in :data:`MODE_NAMES`.
    warnings : numpy.ndarray of int
        ITM's warning marker ``kwx``, 0-4 (:data:`WARNING_TEXTS`).
    free_space_db : numpy.ndarray of float
        Free-space basic transmission loss over the path length (dB).
    """

    loss_db: np.ndarray
    mode: np.ndarray
    warnings: np.ndarray
    free_space_db: np.ndarray

    def mode_names(self) -> np.ndarray:
        """The modes as names ``"los"``, ``"diffraction"`` or ``"scatter"`` (object array)."""
        return _lookup(MODE_NAMES, self.mode)

    def warning_texts(self) -> np.ndarray:
        """The warning codes as text, e.g. ``"0: no warning"`` (object array)."""
        return _lookup(WARNING_TEXTS, self.warnings)


def _lookup(names: tuple[str, ...], codes: np.ndarray) -> np.ndarray:
    """``names[code]`` for every code, as an object array of the codes' shape."""
    codes = np.asarray(codes)
    out = np.empty(codes.shape, dtype=object)
    out[...] = np.asarray(names, dtype=object)[codes.ravel()].reshape(codes.shape)
    return out


def mode_name(code: int) -> str:
    """Name of a mode code: 0 ``"los"``, 1 ``"diffraction"``, 2 ``"scatter"``."""
    return MODE_NAMES[int(code)]


def warning_text(code: int) -> str:
    """Text of an ITM warning code 0-4, e.g. ``"0: no warning"``."""
    return WARNING_TEXTS[int(code)]


def check_scalar(name: str, value: float | int) -> str | None:
    """Check one numeric parameter against ITM's accepted range.

    Parameters
    ----------
    name : str
        One of ``step_m``, ``freq_mhz``, ``tx_height_m``, ``rx_height_m``, ``epsilon``,
        ``sigma``, ``ns``, ``time_pct``, ``location_pct``, ``situation_pct``.
    value : float
        The value.

    Returns
    -------
    str or None
        Why the value is refused, or None if it is accepted.
    """
    lo, hi, inclusive, what = _LIMITS[name]
    if not math.isfinite(value):
        return f"must be a finite number, got {value!r}"
    ok = (lo <= value if inclusive else lo < value) and value <= hi
    return None if ok else f"{what}, got {value!r}"


def _numeric(name: str, value) -> np.ndarray:
    """A parameter as a float array of at most one dimension, checked against its range."""
    arr = np.asarray(value)
    if arr.dtype.kind not in "iuf":
        raise ItmInputError(name, f"must be a number or a 1-D array of numbers, got {value!r}")
    arr = arr.astype(float, copy=False)
    if arr.ndim > 1:
        raise ItmInputError(
            name, f"must be a scalar or 1-D (one per profile), got shape {arr.shape}"
        )
    lo, hi, inclusive, _ = _LIMITS[name]
    bad = ~np.isfinite(arr) | (arr > hi) | ((arr < lo) if inclusive else (arr <= lo))
    if bad.any():
        index = np.flatnonzero(bad.ravel())[0]
        message = check_scalar(name, float(arr.ravel()[index]))
        where = f" (profile {index})" if arr.ndim else ""
        raise ItmInputError(name, f"{message}{where}")
    return arr


def _named(name: str, value, names: tuple[str, ...]) -> np.ndarray:
    """A name parameter (or a 1-D array of names) as integer codes, index into ``names``."""
    table = {n: i for i, n in enumerate(names)}
    choices = ", ".join(repr(n) for n in names)
    if isinstance(value, str):
        if value not in table:
            raise ItmInputError(name, f"unknown value {value!r}; expected one of {choices}")
        return np.asarray(table[value])
    if isinstance(value, np.ndarray) and value.ndim == 1 and value.dtype.kind in "OU":
        items = value.tolist()
    elif isinstance(value, (list, tuple)):
        items = value
    else:
        raise ItmInputError(name, f"must be a name or a 1-D sequence of names, got {value!r}")
    if len(items) == 0:
        return np.empty(0, dtype=np.int64)
    try:
        found = itemgetter(*items)(table)
        return np.array(found if len(items) > 1 else [found], dtype=np.int64)
    except (KeyError, TypeError):  # an unknown name or an unhashable item
        pass
    i = next(k for k, v in enumerate(items) if not isinstance(v, str) or v not in table)
    raise ItmInputError(
        name, f"unknown value {items[i]!r} (profile {i}); expected one of {choices}"
    )


def _elevations(elevations) -> np.ndarray:
    z = np.asarray(elevations)
    if z.dtype.kind not in "iuf":
        raise ItmInputError("elevations", "must be a 1-D or 2-D array of numbers")
    z = z.astype(float, copy=False)
    if z.ndim not in (1, 2):
        raise ItmInputError(
            "elevations", f"must be 1-D (one profile) or 2-D (profiles x points), got {z.ndim}-D"
        )
    if z.shape[-1] < MIN_POINTS:
        raise ItmInputError(
            "elevations",
            f"too few points: a profile needs at least "
            f"{MIN_POINTS} points (2 intervals), got "
            f"{z.shape[-1]}",
        )
    # One cheap pass: a NaN or an infinity makes the sum non-finite (an overflowing sum of
    # finite values falls through to the exact test).
    if not np.isfinite(z.sum()) and not np.isfinite(z).all():
        raise ItmInputError("elevations", "must all be finite numbers (no NaN or infinity)")
    return z


def itm_p2p(
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
) -> ItmResult:
    r"""Basic transmission loss over terrain profiles with ITM 1.2.2 (point-to-point mode).

    Parameters
    ----------
    elevations : array_like, shape (n_points,) or (n_profiles, n_points)
        Terrain elevations (m) at equal steps from the transmitter (first point) to the
        receiver (last point); at least 3 points. A 2-D array holds equal-length profiles.
    step_m : float or array_like, shape (n_profiles,)
        Distance between profile points (m); the path length is ``(n_points - 1) * step_m``.
    freq_mhz : float or array_like
        Frequency, 20-20000 MHz.
    tx_height_m, rx_height_m : float or array_like
        Antenna heights above ground, 0.5-3000 m.
    polarization : {"vertical", "horizontal"} or sequence of them
    climate : str or sequence of str
        One of :data:`CLIMATES` (ITM climate codes 1-7).
    epsilon : float or array_like
        Relative permittivity of the ground (> 1); 15 is average ground.
    sigma : float or array_like
        Ground conductivity (S/m, > 0); 0.005 is average ground.
    ns : float or array_like
        Surface refractivity :math:`N_s` (N-units), 250-400. Used as is (ITM's ``zsys = 0``).
    time_pct, location_pct, situation_pct : float or array_like
        Quantiles (%) within 0.1-99.9: the loss is not exceeded for ``time_pct`` % of the
        time in ``situation_pct`` % of the situations (confidence). ITM's point-to-point
        variability mode (``mdvar`` = 11) eliminates location variability, so
        ``location_pct`` is checked but has no effect.

    Returns
    -------
    ItmResult
        Arrays of shape ``()`` for one profile with scalar parameters, else
        ``(n_profiles,)`` (a 1-D profile is repeated to match per-profile parameters).

    Raises
    ------
    ItmInputError
        (a :class:`ValueError`) naming the parameter, for a malformed or out-of-range input.

    Notes
    -----
    Loss: :math:`L_b = 20 \log_{10}(2 k d) + A(z_T, z_L, z_S)` with
    :math:`z = Q^{-1}(p/100)` and :math:`A` from
    :func:`.itm_variability.attenuation_quantile`. Path lengths outside ITM's 1-2000 km
    are computed but flagged with warning 4.

    The mode is ITM's *region* (line of sight below the smooth-earth horizon distance
    :math:`d_{Ls}` of the effective heights, diffraction up to :math:`d_x`, troposcatter
    beyond), not a visibility test: a path may cross a ridge and still be in the
    line-of-sight region, the ridge then showing in :math:`\Delta h` and in the loss.

    Examples
    --------
    A 20 km path over flat ground with a 200 m ridge, two frequencies at once:

    >>> z = np.r_[np.zeros(40), np.full(5, 200.0), np.zeros(56)]  # 100 steps of 200 m
    >>> r = itm_p2p(np.stack([z, z]), 200.0, [900.0, 2400.0], 10.0, 2.0)
    >>> r.loss_db.round(1), r.mode_names(), r.warnings
    (array([190.5, 203. ]), array(['los', 'los'], dtype=object), array([0, 0]))
    """
    z = _elevations(elevations)
    numeric = {
        "step_m": step_m,
        "freq_mhz": freq_mhz,
        "tx_height_m": tx_height_m,
        "rx_height_m": rx_height_m,
        "epsilon": epsilon,
        "sigma": sigma,
        "ns": ns,
        "time_pct": time_pct,
        "location_pct": location_pct,
        "situation_pct": situation_pct,
    }
    p = {name: _numeric(name, value) for name, value in numeric.items()}
    ipol = _named("polarization", polarization, POLARIZATIONS)
    klim = _named("climate", climate, CLIMATES) + 1

    base = () if z.ndim == 1 else (z.shape[0],)
    shapes = [base, ipol.shape, klim.shape, *(a.shape for a in p.values())]
    try:
        shape = np.broadcast_shapes(*shapes)
    except ValueError:
        counts = {name: a.shape[0] for name, a in p.items() if a.ndim}
        raise ItmInputError(
            "elevations",
            f"per-profile parameters do not match the number of profiles {base}: {counts}",
        ) from None
    count = int(np.prod(shape, dtype=np.int64)) if shape else 1
    flat = {name: np.broadcast_to(a, shape).reshape(count) for name, a in p.items()}
    zz = np.broadcast_to(z, (*shape, z.shape[-1])).reshape(count, z.shape[-1])
    ipol = np.broadcast_to(ipol, shape).reshape(count)
    klim = np.broadcast_to(klim, shape).reshape(count)

    if count == 0:
        empty = np.empty(shape)
        return ItmResult(empty, empty.astype(np.int64), empty.astype(np.int64), empty.copy())
    loss, mode, kwx, fs = _compute(zz, flat, ipol, klim)
    return ItmResult(
        loss_db=loss.reshape(shape),
        mode=mode.reshape(shape),
        warnings=kwx.reshape(shape),
        free_space_db=fs.reshape(shape),
    )


def _compute(z, p, ipol, klim):
    """ITM point-to-point for ``m`` validated profiles; returns loss, mode, kwx, free space."""
    xi = p["step_m"]
    hg0 = p["tx_height_m"]
    hg1 = p["rx_height_m"]
    # qlrps: wave number, effective earth curvature, surface transfer impedance.
    wn = p["freq_mhz"] / 47.7
    ens = p["ns"]
    gme = _GAMMA_A * (1.0 - 0.04665 * np.exp(ens / 179.3))
    zq = p["epsilon"] + 1j * (376.62 * p["sigma"] / wn)
    zgnd = np.sqrt(zq - 1.0)
    zgnd = np.where(ipol != 0, zgnd / zq, zgnd)

    geometry = path_geometry(z, xi, hg0, hg1, gme)
    ref = reference_attenuation(geometry, hg0, hg1, wn, ens, gme, zgnd)

    zt = normal_deviate(p["time_pct"] / 100.0)
    zl = normal_deviate(p["location_pct"] / 100.0)
    zc = normal_deviate(p["situation_pct"] / 100.0)
    atten, caution = attenuation_quantile(
        ref.aref,
        geometry.dist,
        geometry.dh,
        wn,
        geometry.he0,
        geometry.he1,
        klim,
        zt,
        zl,
        zc,
        mdvar=MDVAR_POINT_TO_POINT,
    )
    kwx = np.maximum(ref.kwx, np.where(caution, 1, 0))
    free_space = _DB * np.log(2.0 * wn * geometry.dist)
    loss = free_space + atten
    # ITM's formulas break down (a logarithm of a negative number) for a few extreme inputs,
    # e.g. 20-30 MHz, vertical polarisation over highly conductive ground with high antennas:
    # itmlogic then returns NaN as well. Flag such results as out of range.
    kwx = np.where(np.isfinite(loss), kwx, 4)
    return loss, ref.mode, kwx, free_space
