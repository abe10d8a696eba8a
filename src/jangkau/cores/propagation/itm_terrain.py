r"""Terrain geometry of the ITM point-to-point mode, vectorised across profiles.

This module turns terrain profiles into the path parameters of the Irregular Terrain Model
(ITM, Longley-Rice, version 1.2.2): horizon distances :math:`d_{Lj}`, horizon elevation angles
:math:`\theta_{ej}`, the terrain irregularity :math:`\Delta h` and effective antenna heights
:math:`h_{ej}` (Hufford 1995 [1]_, section 3, and the subroutines ``hzns``, ``zlsq1``,
``dlthx`` and ``qlrpfl`` of ``itm.cpp`` [2]_). Every function takes a 2-D array ``z`` of
``m`` equal-length profiles with ``n + 1`` elevations each (first sample under the
transmitter, last under the receiver, spacing ``xi`` metres) and returns one value per
profile. Across profiles, branches become masks; the three walks along each profile (horizon
search, resampling for :math:`\Delta h`, window sums) are compiled loops
(:mod:`.itm_kernels`), and the sort of :math:`\Delta h` runs in blocks of rows small enough
to stay in the CPU cache.

Distances along the profile are accumulated exactly as ITM does (``sa += xi``,
``sb -= xi``), because the horizon distances feed integer decisions (the samples of the
least-squares windows, the number of :math:`\Delta h` samples) where a last-bit difference
from :math:`i x_i` would select a different window.

References
----------
.. [1] G. A. Hufford, "The ITS Irregular Terrain Model, version 1.2.2: the algorithm",
   Institute for Telecommunication Sciences, NTIA, 1995.
.. [2] NTIA/ITS, ``itm.cpp``, ITM version 1.2.2 reference source.
.. [3] A. G. Longley and P. L. Rice, "Prediction of tropospheric radio transmission loss over
   irregular terrain: a computer method - 1968", ESSA Technical Report ERL 79-ITS 67, 1968.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jangkau.cores.propagation.itm_kernels import (
    horizon_points,
    resample_detrended,
    window_sums,
)
from jangkau.cores.propagation.itm_numerics import py_max, py_min

_BLOCK_ELEMENTS = 1 << 15
"""Elements per block of rows (about 256 KiB of float64): keeps temporaries in cache."""


@dataclass(frozen=True)
class PathGeometry:
    r"""Path parameters of the point-to-point mode, one value per profile.

    Attributes
    ----------
    dist : numpy.ndarray
        Path length :math:`d = n\,x_i` (m).
    dh : numpy.ndarray
        Terrain irregularity :math:`\Delta h` (m).
    he0, he1 : numpy.ndarray
        Effective antenna heights of the transmitter and receiver (m).
    dl0, dl1 : numpy.ndarray
        Horizon distances (m).
    the0, the1 : numpy.ndarray
        Horizon elevation angles (rad).
    rescaled : numpy.ndarray of bool
        Line-of-sight-like paths whose effective heights were scaled up so that the
        smooth-earth horizons reach the other terminal (:math:`d_{L0} + d_{L1} = d`).
    """

    dist: np.ndarray
    dh: np.ndarray
    he0: np.ndarray
    he1: np.ndarray
    dl0: np.ndarray
    dl1: np.ndarray
    the0: np.ndarray
    the1: np.ndarray
    rescaled: np.ndarray


def _blocks(m: int, width: int, elements: int = _BLOCK_ELEMENTS):
    """Slices of at most ``elements // width`` rows covering ``range(m)``."""
    rows = max(1, elements // max(width, 1))
    for start in range(0, m, rows):
        yield slice(start, min(start + rows, m))


def _accumulate(start, step, count):
    """``start`` with ``step`` added ``count`` times, one addition after the other.

    Reproduces the rounding of ITM's running sums (``sa += xi``; ``sb -= xi`` is the same
    with a negative ``step``): row ``r`` gets exactly ``count[r]`` floating-point additions.
    The loop runs over the addition index with array operations across rows.
    """
    out = np.array(start, dtype=float, copy=True)
    if out.size == 0:
        return out
    if np.all(step == step[0]) and np.all(out == out[0]):
        # Common case (one DEM step for all profiles): one running sum serves every row.
        table = np.full(int(count.max()) + 1, step[0])
        table[0] = out[0]
        return np.add.accumulate(table)[count]
    small = count.max() < np.iinfo(np.int16).max
    order = np.argsort(-(count.astype(np.int16) if small else count), kind="stable")
    sums = out[order]
    steps = step[order]
    needed = count[order]
    kmax = int(needed[0])
    # active[k - 1] = number of rows that need at least k additions (a prefix of `order`).
    active = np.searchsorted(-needed, -np.arange(1, kmax + 1), side="right")
    for k in range(kmax):
        a = active[k]
        sums[:a] += steps[:a]
    out[order] = sums
    return out


def horizons(z, xi, hg0, hg1, gme):
    r"""Horizon angles and distances of each terminal (ITM ``hzns``).

    With :math:`z_a = z_0 + h_{g0}`, :math:`z_b = z_n + h_{g1}` and half the effective earth
    curvature :math:`q_c = \gamma_e / 2`, the initial (line-of-sight) angles are

    .. math::

        \theta_0 = \frac{z_b - z_a}{d} - q_c d, \qquad
        \theta_1 = -\frac{z_b - z_a}{d} - q_c d, \qquad d_{L0} = d_{L1} = d .

    An interior point :math:`i` at distances :math:`s_a = i x_i` and :math:`s_b = d - s_a`
    raises the transmitter horizon when its elevation angle
    :math:`\alpha_i = (z_i - z_a)/s_a - q_c s_a` exceeds :math:`\theta_0`; the largest angle
    wins and :math:`d_{L0}` is the distance of its first occurrence. ITM searches the receiver
    horizon, the largest :math:`\beta_i = (z_i - z_b)/s_b - q_c s_b`, from the first point
    that obstructs the transmitter's ray onwards (its ``wq`` flag); a path that nothing
    obstructs keeps the line-of-sight values. A point obstructs the ray seen from one end if
    and only if it obstructs it seen from the other (both tests compare :math:`z_i` with
    :math:`z_a + (z_b - z_a) s_a/d - q_c s_a s_b`), so the points before the first
    obstruction have :math:`\beta_i \le \theta_1` and the receiver's maximum may be taken
    over the whole profile.

    Parameters
    ----------
    z : numpy.ndarray, shape (m, n + 1)
        Elevations (m).
    xi : numpy.ndarray, shape (m,)
        Profile step (m).
    hg0, hg1 : numpy.ndarray, shape (m,)
        Antenna heights above ground (m).
    gme : numpy.ndarray, shape (m,)
        Effective earth curvature :math:`\gamma_e` (1/m).

    Returns
    -------
    the0, the1, dl0, dl1, dist : numpy.ndarray, shape (m,)
        Horizon angles (rad), horizon distances (m) and path length (m).
    """
    m, n_pts = z.shape
    n_int = n_pts - 1
    dist = n_int * xi
    za = z[:, 0] + hg0
    zb = z[:, -1] + hg1
    qc = 0.5 * gme
    slope = (zb - za) / dist
    the0 = slope - qc * dist
    the1 = -slope - qc * dist
    dl0 = dist.copy()
    dl1 = dist.copy()
    if n_int < 2 or m == 0:
        return the0, the1, dl0, dl1, dist

    # Search on angles scaled by x_i: alpha_i x_i = (z_i - z_a)/i - c i with c = q_c x_i^2,
    # and beta_i x_i = (z_i - z_b)/j - c j with j = n - i, i.e. (z_i - z_b)/j + c i - c n:
    # the constant c n does not move the maximum. The receiver side only matters where
    # something obstructs the ray; the kernel keeps a margin so that the exact test below
    # (ITM's q > 0) is never short of a candidate.
    i = np.arange(float(n_pts))
    inv_i = np.zeros(n_pts)
    inv_i[1:] = 1.0 / i[1:]
    inv_j = inv_i[::-1].copy()
    best0, best1 = horizon_points(
        np.ascontiguousarray(z), za, zb, qc * xi * xi, the0 * xi, inv_i, inv_j
    )

    rows = np.arange(m)
    p0 = np.maximum(best0, 1)  # profile index of the transmitter horizon
    p1 = np.maximum(best1, 1)
    sa = _accumulate(np.zeros(m), xi, p0)
    sb = _accumulate(dist, -xi, p1)
    z0 = z[rows, p0]
    z1 = z[rows, p1]
    # ITM's tests: the point rises above the current ray (q > 0).
    obstructed = z0 - (qc * sa + the0) * sa - za > 0.0
    raised = obstructed & (z1 - (qc * sb + the1) * sb - zb > 0.0)
    the0 = np.where(obstructed, (z0 - za) / sa - qc * sa, the0)
    dl0 = np.where(obstructed, sa, dl0)
    the1 = np.where(raised, (z1 - zb) / sb - qc * sb, the1)
    dl1 = np.where(raised, sb, dl1)
    return the0, the1, dl0, dl1, dist


def _window(xi, x1, x2, xn):
    """ITM ``zlsq1``'s sample window ``[ja, jb]`` for the distances ``x1 < x2``."""
    xa = np.floor(np.maximum(x1 / xi, 0.0))
    xb = xn - np.floor(np.maximum(xn - x2 / xi, 0.0))
    empty = xb <= xa
    xa = np.where(empty, np.maximum(xa - 1.0, 0.0), xa)
    xb = np.where(empty, xn - np.maximum(xn - xb - 1.0, 0.0), xb)
    return xa, xb


def _window_sums(z, requests):
    r"""Sums :math:`\sum_{j=j_a}^{j_b} z_j` and :math:`\sum_{j=j_a}^{j_b} j z_j` per window.

    ``requests`` is a list of ``(rows, ja, jb)``: windows ``[ja, jb]`` on the profiles
    ``rows``. Each window is summed on its own, in one compiled loop
    (:func:`.itm_kernels.window_sums`), so results do not depend on the batch.

    Returns
    -------
    list of (numpy.ndarray, numpy.ndarray)
        For each request, the two sums per row.
    """
    z = np.ascontiguousarray(z)
    return [
        window_sums(z, rows.astype(np.intp), ja.astype(np.intp), jb.astype(np.intp))
        for rows, ja, jb in requests
    ]


def _fit_lines(z, requests):
    """Least-squares lines for several ``(rows, xi, x1, x2)`` requests (see below)."""
    n_pts = z.shape[1]
    xn = float(n_pts - 1)
    windows = []
    for rows, xi, x1, x2 in requests:
        xa, xb = _window(xi, x1, x2, xn)
        windows.append((rows, xa, xb))
    sums = _window_sums(
        z, [(rows, xa.astype(np.intp), xb.astype(np.intp)) for rows, xa, xb in windows]
    )
    out = []
    for (rows, xa, xb), (sum0, sum1) in zip(windows, sums, strict=True):
        za = z[rows, xa.astype(np.intp)]
        zb = z[rows, xb.astype(np.intp)]
        w0 = sum0 - 0.5 * (za + zb)
        w1 = sum1 - 0.5 * (xa * za + xb * zb)
        span = xb - xa
        centre = xb - 0.5 * span
        a = w0 / span
        b = (w1 - centre * w0) * 12.0 / ((span * span + 2.0) * span)
        out.append((a - b * centre, a + b * (xn - centre)))
    return out


def least_squares_line(z, xi, x1, x2, rows=None):
    r"""Least-squares straight line through a profile between two distances (ITM ``zlsq1``).

    The fit uses the samples :math:`j_a = \lfloor \max(x_1/x_i, 0) \rfloor` to
    :math:`j_b = n - \lfloor \max(n - x_2/x_i, 0) \rfloor` (widened by one sample on each side
    if that leaves no interval), with weights :math:`w_j = 1/2` at both ends and 1 inside, and
    :math:`N = j_b - j_a`, :math:`c = (j_a + j_b)/2`:

    .. math::

        a = \frac{1}{N} \sum_j w_j z_j, \qquad
        b = \frac{12}{(N^2 + 2) N} \sum_j w_j z_j (j - c), \qquad
        z(0) = a - b\,c, \qquad z(n) = a + b\,(n - c),

    :math:`a` being the fitted value at :math:`c` and :math:`b` the slope per sample. The sums
    are one compiled loop per window (:func:`.itm_kernels.window_sums`).

    Parameters
    ----------
    z : numpy.ndarray, shape (m, n + 1)
        Elevations (m).
    xi, x1, x2 : numpy.ndarray, shape (k,)
        Profile step and the fit interval's limits (m from the transmitter).
    rows : numpy.ndarray of int, shape (k,), optional
        The profiles of ``z`` to fit (default: all, ``k = m``).

    Returns
    -------
    z0, zn : numpy.ndarray, shape (k,)
        Fitted elevations under the transmitter and under the receiver (m).
    """
    if rows is None:
        rows = np.arange(z.shape[0])
    return _fit_lines(z, [(rows, xi, x1, x2)])[0]


def terrain_irregularity(z, xi, x1, x2):
    r"""Interdecile range :math:`\Delta h` of the detrended terrain between two points (``dlthx``).

    Between :math:`x_1` and :math:`x_2` (:math:`X = x_2/x_i - x_1/x_i` samples apart) the
    profile is resampled by linear interpolation at :math:`N = 10 k_a - 5` equally spaced
    points, :math:`k_a = \min(\max(4, \lfloor (X + 8)/10 \rfloor), 25)`; a least-squares line
    (as in :func:`least_squares_line`) is subtracted and

    .. math::

        \Delta h = \frac{v_{(k_a)} - v_{(k_b)}}{1 - 0.8\, e^{-(x_2 - x_1)/50\,\mathrm{km}}},
        \qquad k_b = N - k_a + 1,

    where :math:`v_{(k)}` is the :math:`k`-th largest residual: the 10 % to 90 % interdecile
    range, scaled to its asymptotic value for long paths (Longley & Rice 1968; Hufford 1995,
    eq. 3.9). :math:`\Delta h = 0` when :math:`X < 2`. Profiles are grouped by :math:`N`, so
    each group is one rectangular array of samples.

    Parameters
    ----------
    z : numpy.ndarray, shape (m, n + 1)
        Elevations (m).
    xi, x1, x2 : numpy.ndarray, shape (m,)
        Profile step and the interval's limits (m from the transmitter).

    Returns
    -------
    numpy.ndarray, shape (m,)
        :math:`\Delta h` (m).
    """
    m = z.shape[0]
    z = np.ascontiguousarray(z)
    xa = x1 / xi
    xb = x2 / xi
    width = xb - xa
    valid = width >= 2.0
    ka = np.clip(np.floor(0.1 * (width + 8.0)), 4, 25).astype(np.intp)
    n = 10 * ka - 5
    dh = np.zeros(m)
    for size in np.unique(n[valid]):
        group = np.flatnonzero(valid & (n == size))
        k = int(ka[group[0]])
        sn = float(size - 1)
        # Trapezoid least-squares slope weights, centred on sn / 2.
        w = np.arange(size, dtype=float) - 0.5 * sn
        w[0] *= 0.5
        w[-1] *= 0.5
        w *= 12.0 / ((sn * sn + 2.0) * sn)
        for s in _blocks(group.size, size):
            r = group[s]
            residuals = np.empty((r.size, size))
            resample_detrended(z, r, xa, width, w, residuals)
            residuals.sort(axis=1)
            dh[r] = residuals[:, size - k] - residuals[:, k - 1]
    return np.where(valid, dh / (1.0 - 0.8 * np.exp(-(x2 - x1) / 50e3)), 0.0)


def _radio_horizon(he, dh, gme):
    r"""Horizon distance over irregular terrain (Hufford 1995, eq. 3.5).

    .. math:: d_L = \sqrt{2 h_e/\gamma_e}\; e^{-0.07 \sqrt{\Delta h / \max(h_e, 5)}}
    """
    return np.sqrt(2.0 * he / gme) * np.exp(-0.07 * np.sqrt(dh / py_max(he, 5.0)))


def path_geometry(z, xi, hg0, hg1, gme) -> PathGeometry:
    r"""Point-to-point path parameters from terrain profiles (ITM ``qlrpfl``, geometry part).

    1. Horizons from :func:`horizons`.
    2. :math:`\Delta h` from :func:`terrain_irregularity` between
       :math:`x_{L0} = \min(15 h_{g0}, 0.1 d_{L0})` and
       :math:`x_{L1} = d - \min(15 h_{g1}, 0.1 d_{L1})`.
    3. If :math:`d_{L0} + d_{L1} \ge 1.5 d` (both terminals see far: a line-of-sight-like
       path) a least-squares line between :math:`x_{L0}` and :math:`x_{L1}` defines the
       effective heights :math:`h_{ej} = h_{gj} + \max(z_j - z^{fit}_j, 0)`; the horizons are
       replaced by the estimates of :func:`_radio_horizon`, the heights scaled by
       :math:`(d / (d_{L0} + d_{L1}))^2` when those horizons fall short of the path, and
       :math:`\theta_{ej} = (0.65 \Delta h (q_j/d_{Lj} - 1) - 2 h_{ej}) / q_j`,
       :math:`q_j = \sqrt{2 h_{ej}/\gamma_e}` (Hufford 1995, eqs. 3.5-3.6).
    4. Otherwise (a trans-horizon path) each effective height comes from a line fitted over
       that terminal's foreground, from :math:`x_{L0}` to :math:`0.9 d_{L0}` and from
       :math:`d - 0.9 d_{L1}` to :math:`x_{L1}`; the terrain horizons are kept.

    In step 3 the receiver's ground elevation is taken at the *last-but-one* profile point,
    as itmlogic does (``pfl[np+1]``); NTIA's ``itm.cpp`` uses the last point. See
    ``docs/itm.md``, "Deviations".

    Parameters
    ----------
    z : numpy.ndarray, shape (m, n + 1)
        Elevations (m).
    xi, hg0, hg1, gme : numpy.ndarray, shape (m,)
        Profile step (m), antenna heights above ground (m), effective earth curvature (1/m).

    Returns
    -------
    PathGeometry
    """
    the0, the1, dl0, dl1, dist = horizons(z, xi, hg0, hg1, gme)
    xl0 = py_min(15.0 * hg0, 0.1 * dl0)
    xl1 = dist - py_min(15.0 * hg1, 0.1 * dl1)
    dh = terrain_irregularity(z, xi, xl0, xl1)

    he0 = np.empty_like(dist)
    he1 = np.empty_like(dist)
    rescaled = np.zeros(dist.shape, dtype=bool)
    wide = dl0 + dl1 >= 1.5 * dist

    w = np.flatnonzero(wide)
    t = np.flatnonzero(~wide)
    (za_w, zb_w), (za_t, _), (_, zb_t) = _fit_lines(
        z,
        [
            (w, xi[w], xl0[w], xl1[w]),
            (t, xi[t], xl0[t], 0.9 * dl0[t]),
            (t, xi[t], dist[t] - 0.9 * dl1[t], xl1[t]),
        ],
    )
    if w.size:
        gw, dhw = gme[w], dh[w]
        h0 = hg0[w] + py_max(z[w, 0] - za_w, 0.0)
        h1 = hg1[w] + py_max(z[w, -2] - zb_w, 0.0)
        d0 = _radio_horizon(h0, dhw, gw)
        d1 = _radio_horizon(h1, dhw, gw)
        total = d0 + d1
        short = total <= dist[w]
        scale = np.where(short, (dist[w] / total) ** 2, 1.0)
        h0 = np.where(short, h0 * scale, h0)
        h1 = np.where(short, h1 * scale, h1)
        d0 = np.where(short, _radio_horizon(h0, dhw, gw), d0)
        d1 = np.where(short, _radio_horizon(h1, dhw, gw), d1)
        q0 = np.sqrt(2.0 * h0 / gw)
        q1 = np.sqrt(2.0 * h1 / gw)
        the0[w] = (0.65 * dhw * (q0 / d0 - 1.0) - 2.0 * h0) / q0
        the1[w] = (0.65 * dhw * (q1 / d1 - 1.0) - 2.0 * h1) / q1
        he0[w], he1[w], dl0[w], dl1[w] = h0, h1, d0, d1
        rescaled[w] = short
    if t.size:
        he0[t] = hg0[t] + py_max(z[t, 0] - za_t, 0.0)
        he1[t] = hg1[t] + py_max(z[t, -1] - zb_t, 0.0)

    return PathGeometry(dist, dh, he0, he1, dl0, dl1, the0, the1, rescaled)
