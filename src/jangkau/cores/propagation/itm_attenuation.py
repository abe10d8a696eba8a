r"""Reference attenuation of the ITM point-to-point mode (``lrprop``), vectorised.

Given the path parameters of :mod:`.itm_terrain`, ITM 1.2.2 (Hufford 1995 [1]_, section 4)
computes the median *reference attenuation* :math:`A_{ref}` relative to free space, as a
function of distance, from three pieces joined into one continuous curve:

* **Line of sight** (:math:`d < d_{Ls}`, the smooth-earth horizon distance
  :math:`d_{Ls} = \sum_j \sqrt{2 h_{ej}/\gamma_e}`):
  :math:`A_{el} + K_1 d + K_2 \ln d`, fitted through two-ray values
  :math:`A_{los}(d_0)`, :math:`A_{los}(d_1)` and the diffraction line at :math:`d_{Ls}`
  (eqs. 4.41-4.46).
* **Diffraction** (:math:`d_{Ls} \le d \le d_x`): the straight line
  :math:`A_{ed} + m_d d` through the diffraction attenuation at two distances
  :math:`d_3, d_4` beyond the horizons, each a blend of double knife-edge and smooth-earth
  (three radii) diffraction (eqs. 4.10-4.21).
* **Troposcatter** (:math:`d > d_x`): the line :math:`A_{es} + m_s d` through the scatter
  attenuation at :math:`d_5 = d_L + 200` km and :math:`d_6 = d_5 + 200` km (eqs. 4.61-4.67);
  :math:`d_x` is where the scatter line overtakes the diffraction line.

Finally :math:`A_{ref} \leftarrow \max(A_{ref}, 0)`. All functions work on arrays with one
element per path; the branches of the scalar algorithm become masks.

References
----------
.. [1] G. A. Hufford, "The ITS Irregular Terrain Model, version 1.2.2: the algorithm",
   Institute for Telecommunication Sciences, NTIA, 1995.
.. [2] A. G. Longley and P. L. Rice, "Prediction of tropospheric radio transmission loss over
   irregular terrain: a computer method - 1968", ESSA Technical Report ERL 79-ITS 67, 1968.
.. [3] P. L. Rice, A. G. Longley, K. A. Norton and A. P. Barsis, "Transmission loss
   predictions for tropospheric communication circuits", NBS Technical Note 101, 1967.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jangkau.cores.propagation.itm_diffraction import THIRD, Diffraction
from jangkau.cores.propagation.itm_numerics import py_max, py_min
from jangkau.cores.propagation.itm_scatter import scatter_attenuation
from jangkau.cores.propagation.itm_terrain import PathGeometry

MODE_LOS = 0
MODE_DIFFRACTION = 1
MODE_SCATTER = 2


@dataclass(frozen=True)
class ReferenceAttenuation:
    """Output of :func:`reference_attenuation`, one value per path.

    Attributes
    ----------
    aref : numpy.ndarray
        Median reference attenuation below free space (dB).
    mode : numpy.ndarray of int
        ITM region of the path: 0 line of sight (:math:`d \\le d_{Ls}`), 1 diffraction
        (:math:`d_{Ls} < d \\le d_x`), 2 troposcatter (:math:`d > d_x`). ITM uses the
        line-of-sight formula for :math:`d < d_{Ls}`; at :math:`d = d_{Ls}` both formulas give
        the same value. A path that ends exactly on the smooth-earth horizon in exact
        arithmetic (:math:`\\Delta h = 0` and heights rescaled) is line of sight, whatever
        the last bit of the computed :math:`d_{Ls}`.
    kwx : numpy.ndarray of int
        ITM warning code raised while computing :math:`A_{ref}` (0-4).
    dlsa : numpy.ndarray
        Smooth-earth horizon distance :math:`d_{Ls}` (m).
    dx : numpy.ndarray
        Diffraction/scatter crossover distance :math:`d_x` (m); NaN on line-of-sight paths,
        for which ITM never computes it.
    """

    aref: np.ndarray
    mode: np.ndarray
    kwx: np.ndarray
    dlsa: np.ndarray
    dx: np.ndarray


def _line_of_sight(d, g: PathGeometry, wn, zgnd, emd, aed, wls):
    r"""Two-ray line-of-sight attenuation :math:`A_{los}(d)` (``alos``), dB.

    With :math:`\sigma_h(d) = 0.78 \Delta h(d) e^{-(\Delta h(d)/16)^{1/4}}`,
    :math:`\sin\psi = (h_{e0} + h_{e1}) / \sqrt{d^2 + (h_{e0} + h_{e1})^2}` and the
    roughness-reduced plane-earth reflection coefficient

    .. math::

        R_e = \frac{\sin\psi - Z_g}{\sin\psi + Z_g}\, e^{-\min(10, k \sigma_h \sin\psi)},

    (raised to :math:`|R_e| = \sqrt{\sin\psi}` when :math:`|R_e|^2 < \max(1/4, \sin\psi)`) and
    the phase :math:`\delta = 2 k h_{e0} h_{e1}/d` (folded to :math:`\pi - (\pi/2)^2/\delta`
    above :math:`\pi/2`),

    .. math::

        A_{los} = w \left(-4.343 \ln |e^{-i\delta} + R_e|^2 - A_{ed} - m_d d\right)
        + A_{ed} + m_d d,

    with the weight :math:`w = 0.021 / (0.021 + k \Delta h / \max(10\,\mathrm{km}, d_{Ls}))`
    (Hufford 1995, eqs. 4.47-4.52).
    """
    q = (1.0 - 0.8 * np.exp(-d / 50e3)) * g.dh
    s = 0.78 * q * np.exp(-((q / 16.0) ** 0.25))
    q = g.he0 + g.he1
    sps = q / np.sqrt(d * d + q * q)
    # R_e in real arithmetic: (a - Z)/(a + Z) = (a^2 - |Z|^2 - 2 i a Im Z) / |a + Z|^2.
    zr, zi = zgnd.real, zgnd.imag
    damp = np.exp(-py_min(10.0, wn * s * sps)) / ((sps + zr) ** 2 + zi**2)
    re = (sps * sps - zr * zr - zi * zi) * damp
    im = -2.0 * sps * zi * damp
    q = re * re + im * im
    with np.errstate(invalid="ignore", divide="ignore"):
        boost = np.where((q < 0.25) | (q < sps), np.sqrt(sps / q), 1.0)
        re = re * boost
        im = im * boost
        alos = emd * d + aed
        q = wn * g.he0 * g.he1 * 2.0 / d
        q = np.where(q > 1.57, 3.14 - 2.4649 / q, q)
        two_ray = -4.343 * np.log((np.cos(q) + re) ** 2 + (im - np.sin(q)) ** 2)
    return (two_ray - alos) * wls + alos


def reference_attenuation(g: PathGeometry, hg0, hg1, wn, ens, gme, zgnd) -> ReferenceAttenuation:
    r"""Median reference attenuation of point-to-point paths (ITM ``lrprop`` with ``mdp = -1``).

    Parameters
    ----------
    g : PathGeometry
        Path parameters from :func:`.itm_terrain.path_geometry`.
    hg0, hg1 : numpy.ndarray
        Antenna heights above ground (m).
    wn : numpy.ndarray
        Wave number :math:`k = f / 47.7\,\mathrm{MHz}` (1/m).
    ens : numpy.ndarray
        Surface refractivity :math:`N_s` (N-units).
    gme : numpy.ndarray
        Effective earth curvature :math:`\gamma_e` (1/m).
    zgnd : numpy.ndarray of complex
        Surface transfer impedance :math:`Z_g`.

    Returns
    -------
    ReferenceAttenuation

    Notes
    -----
    Warning codes (``kwx``), as in ITM: 1 if :math:`k \notin [0.838, 210]`
    (40 MHz-10 GHz), :math:`h_{gj} \notin [1, 1000]` m or :math:`d > 1000` km; 3 if
    :math:`|\theta_{ej}| > 0.2`, :math:`d_{Lj} \notin [0.1, 3]\, d_{Lsj}` or
    :math:`d < |h_{e0} - h_{e1}| / 0.2`; 4 if :math:`N_s \notin [250, 400]`,
    :math:`\gamma_e \notin [75, 250]` nano/m, :math:`\Re Z_g \le |\Im Z_g|`,
    :math:`k \notin [0.419, 420]`, :math:`h_{gj} \notin [0.5, 3000]` m or
    :math:`d \notin [1, 2000]` km. The code is the largest that applies.
    """
    dist = g.dist
    dls0 = np.sqrt(2.0 * g.he0 / gme)
    dls1 = np.sqrt(2.0 * g.he1 / gme)
    dlsa = dls0 + dls1
    dla = g.dl0 + g.dl1
    tha = py_max(g.the0 + g.the1, -dla * gme)

    kwx = np.zeros(dist.shape, dtype=np.int64)
    caution = (wn < 0.838) | (wn > 210.0) | (hg0 < 1.0) | (hg0 > 1000.0)
    caution |= (hg1 < 1.0) | (hg1 > 1000.0) | (dist > 1000e3)
    kwx = np.where(caution, 1, kwx)
    dmin = np.abs(g.he0 - g.he1) / 0.2
    internal = dist < dmin
    for the, dl, dls in ((g.the0, g.dl0, dls0), (g.the1, g.dl1, dls1)):
        internal |= (np.abs(the) > 0.2) | (dl < 0.1 * dls) | (dl > 3.0 * dls)
    kwx = np.where(internal, 3, kwx)
    out = (ens < 250.0) | (ens > 400.0) | (gme < 75e-9) | (gme > 250e-9)
    out |= (zgnd.real <= np.abs(zgnd.imag)) | (wn < 0.419) | (wn > 420.0)
    out |= (hg0 < 0.5) | (hg0 > 3000.0) | (hg1 < 0.5) | (hg1 > 3000.0)
    out |= (dist < 1e3) | (dist > 2000e3)
    kwx = np.where(out, 4, kwx)

    diffraction = Diffraction(g, hg0, hg1, wn, gme, zgnd, dla, dlsa, tha)
    xae = (wn * gme**2) ** (-THIRD)
    d3 = py_max(dlsa, 1.3787 * xae + dla)
    d4 = d3 + 2.7574 * xae
    a3 = diffraction(d3)
    a4 = diffraction(d4)
    emd = (a4 - a3) / (d4 - d3)
    aed = a3 - emd * d3

    aref = np.full(dist.shape, np.nan)
    mode = np.full(dist.shape, MODE_DIFFRACTION, dtype=np.int64)
    dx = np.full(dist.shape, np.nan)

    los = dist < dlsa
    i = np.flatnonzero(los)
    if i.size:
        aref[i] = _los_attenuation(g, i, wn, gme, zgnd, dlsa, dla, emd, aed)
        mode[i] = MODE_LOS

    i = np.flatnonzero(~los)
    if i.size:
        sub = _subset(g, i)
        a, x = _beyond_horizon(
            sub, wn[i], gme[i], ens[i], tha[i], dlsa[i], dla[i], xae[i], emd[i], aed[i]
        )
        aref[i] = a
        dx[i] = x
        # d = d_Ls is labelled line of sight (both formulas give the same A_ref there). With
        # dh = 0 and rescaled heights, d_L0 + d_L1 = d_Ls = d holds in exact arithmetic, so
        # such a path is on that boundary whatever the last bit of the computed d_Ls.
        boundary = (sub.dist <= dlsa[i]) | (sub.rescaled & (sub.dh == 0.0))
        mode[i] = np.where(
            sub.dist > x, MODE_SCATTER, np.where(boundary, MODE_LOS, MODE_DIFFRACTION)
        )

    aref = py_max(aref, 0.0)
    return ReferenceAttenuation(aref=aref, mode=mode, kwx=kwx, dlsa=dlsa, dx=dx)


def _subset(g: PathGeometry, i) -> PathGeometry:
    """The paths ``i`` of a :class:`PathGeometry`."""
    return PathGeometry(*(getattr(g, f)[i] for f in PathGeometry.__dataclass_fields__))


def _los_attenuation(g, i, wn, gme, zgnd, dlsa, dla, emd, aed):
    r"""Line-of-sight branch of ``lrprop`` for the paths ``i``.

    With :math:`d_2 = d_{Ls}`, :math:`A_2 = A_{ed} + m_d d_2`,
    :math:`d_0 = 1.908\, k\, h_{e0} h_{e1}` and :math:`d_1` chosen between :math:`d_0` and
    :math:`d_L` (:math:`d_0 \leftarrow \min(d_0, d_L/2)`, :math:`d_1 = d_0 + (d_L - d_0)/4`
    if :math:`A_{ed} \ge 0`, else :math:`d_1 = \max(-A_{ed}/m_d, d_L/4)`), the coefficients

    .. math::

        K_2 = \max\!\left(0, \frac{(d_2 - d_0)(A_1 - A_0) - (d_1 - d_0)(A_2 - A_0)}
        {(d_2 - d_0) \ln(d_1/d_0) - (d_1 - d_0) \ln(d_2/d_0)}\right), \qquad
        K_1 = \frac{A_2 - A_0 - K_2 \ln(d_2/d_0)}{d_2 - d_0}

    (with ITM's fall-backs for :math:`K_1 < 0` and for :math:`d_0 \ge d_1`) define
    :math:`A_{ref} = A_2 - K_1 d_2 - K_2 \ln d_2 + K_1 d + K_2 \ln d`
    (Hufford 1995, eqs. 4.41-4.46).
    """
    gi = _subset(g, i)
    wn, gme, zgnd = wn[i], gme[i], zgnd[i]
    dlsa, dla, emd, aed = dlsa[i], dla[i], emd[i], aed[i]
    wls = 0.021 / (0.021 + wn * gi.dh / py_max(10e3, dlsa))

    d2 = dlsa
    a2 = aed + d2 * emd
    d0 = 1.908 * wn * gi.he0 * gi.he1
    positive = aed >= 0.0
    d0 = np.where(positive, py_min(d0, 0.5 * dla), d0)
    with np.errstate(invalid="ignore", divide="ignore"):
        d1 = np.where(positive, d0 + 0.25 * (dla - d0), py_max(-aed / emd, 0.25 * dla))
        a1 = _line_of_sight(d1, gi, wn, zgnd, emd, aed, wls)
        a0 = _line_of_sight(d0, gi, wn, zgnd, emd, aed, wls)
        q = np.log(d2 / d0)
        ak2 = py_max(
            0.0,
            ((d2 - d0) * (a1 - a0) - (d1 - d0) * (a2 - a0))
            / ((d2 - d0) * np.log(d1 / d0) - (d1 - d0) * q),
        )
        three_point = (d0 < d1) & (positive | (ak2 > 0.0))
        ak1 = (a2 - a0 - ak2 * q) / (d2 - d0)
        negative = ak1 < 0.0
        ak2_fix = py_max(a2 - a0, 0.0) / q
        ak1 = np.where(negative, np.where(ak2_fix == 0.0, emd, 0.0), ak1)
        ak2 = np.where(negative, ak2_fix, ak2)
        # Two-point fall-back: straight line through A(d1) and A(d2).
        ak1_two = py_max(a2 - a1, 0.0) / (d2 - d1)
        ak1_two = np.where(ak1_two == 0.0, emd, ak1_two)
    ak1 = np.where(three_point, ak1, ak1_two)
    ak2 = np.where(three_point, ak2, 0.0)
    ael = a2 - ak1 * d2 - ak2 * np.log(d2)
    return ael + ak1 * gi.dist + ak2 * np.log(gi.dist)


def _beyond_horizon(g, wn, gme, ens, tha, dlsa, dla, xae, emd, aed):
    r"""Diffraction/troposcatter branch of ``lrprop``.

    With :math:`a_d = |d_{L0} - d_{L1}|`, :math:`r_r` the ratio of the effective heights
    (larger horizon distance's terminal in the denominator), :math:`\eta_q =
    (5.67 \cdot 10^{-6} N_s - 2.32 \cdot 10^{-3}) N_s + 0.031`, :math:`d_5 = d_L + 200` km and
    :math:`d_6 = d_5 + 200` km: if :math:`A_5 = A_{scat}(d_5) < 1000`,

    .. math::

        m_s = \frac{A_6 - A_5}{200\,\mathrm{km}}, \quad
        d_x = \max\!\left(d_{Ls},\; d_L + 0.3\, x_{ae} \ln(47.7 k),\;
        \frac{A_5 - A_{ed} - m_s d_5}{m_d - m_s}\right), \quad
        A_{es} = (m_d - m_s) d_x + A_{ed},

    otherwise no scatter (:math:`m_s = m_d`, :math:`A_{es} = A_{ed}`, :math:`d_x = 10^7` m);
    then :math:`A_{ref} = A_{es} + m_s d` for :math:`d > d_x`, else
    :math:`A_{ed} + m_d d` (Hufford 1995, eqs. 4.22-4.27).

    Returns
    -------
    aref, dx : numpy.ndarray
    """
    ad = g.dl0 - g.dl1
    rr = g.he1 / g.he0
    flip = ad < 0.0
    ad = np.where(flip, -ad, ad)
    rr = np.where(flip, 1.0 / rr, rr)
    etq = (5.67e-6 * ens - 2.32e-3) * ens + 0.031
    h0s = np.full(ad.shape, -15.0)
    d5 = dla + 200e3
    d6 = d5 + 200e3
    a6, h0s = scatter_attenuation(d6, g, wn, gme, ens, tha, ad, rr, etq, h0s)
    a5, h0s = scatter_attenuation(d5, g, wn, gme, ens, tha, ad, rr, etq, h0s)
    with np.errstate(invalid="ignore", divide="ignore"):
        scatter = a5 < 1000.0
        ems = (a6 - a5) / 200e3
        dx = py_max(
            py_max(dlsa, dla + 0.3 * xae * np.log(47.7 * wn)), (a5 - aed - ems * d5) / (emd - ems)
        )
        aes = (emd - ems) * dx + aed
    ems = np.where(scatter, ems, emd)
    aes = np.where(scatter, aes, aed)
    dx = np.where(scatter, dx, 10e6)
    aref = np.where(g.dist > dx, aes + ems * g.dist, aed + emd * g.dist)
    return aref, dx
