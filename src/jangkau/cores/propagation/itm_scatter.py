r"""Troposcatter attenuation of ITM 1.2.2 (``ascat``, ``h0f``, ``ahd``), vectorised.

Far beyond the horizons the field is carried by scattering from atmospheric turbulence; ITM
uses an approximation to the method of NBS Technical Note 101 [3]_ (Hufford 1995 [1]_,
eqs. 4.61-4.67 and 6.8-6.13). :mod:`.itm_attenuation` evaluates it at two distances and
draws the scatter line through them.

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

import numpy as np

from jangkau.cores.propagation.itm_numerics import py_max, py_min
from jangkau.cores.propagation.itm_terrain import PathGeometry

_H01_A = np.array([25.0, 80.0, 177.0, 395.0, 705.0])
_H01_B = np.array([24.0, 45.0, 68.0, 80.0, 105.0])


def frequency_gain(r, et):
    r"""Frequency-gain function :math:`H_{01}(r, \eta_s)` of troposcatter (``h0f``).

    .. math::

        H_{01} = 4.343 \ln\!\left((a_i r^{-2} + b_i) r^{-2} + 1\right),

    interpolated linearly in :math:`\eta_s` between the tabulated
    :math:`i = \lfloor \eta_s \rfloor \in 1..5` (Hufford 1995, eq. 6.13).
    """
    it = np.floor(et)
    it = np.where(np.isfinite(it), it, 1.0)  # a non-finite eta only comes with invalid input
    frac = np.where((it <= 0) | (it >= 5), 0.0, et - it)
    it = np.clip(it, 1, 5).astype(np.intp)
    x = (1.0 / r) ** 2
    lo = 4.343 * np.log((_H01_A[it - 1] * x + _H01_B[it - 1]) * x + 1.0)
    nxt = np.minimum(it, 4)
    hi = 4.343 * np.log((_H01_A[nxt] * x + _H01_B[nxt]) * x + 1.0)
    return np.where(frac != 0.0, (1.0 - frac) * lo + frac * hi, lo)


def scatter_distance_term(td):
    r"""Attenuation function :math:`F_0(\theta d)` of troposcatter (``ahd``), dB.

    :math:`F_0 = a_i + b_i\,\theta d + c_i \ln(\theta d)` with coefficients for
    :math:`\theta d \le 10` km, :math:`\le 70` km and beyond (Hufford 1995, eq. 6.9).
    """
    i = np.where(td <= 10e3, 0, np.where(td <= 70e3, 1, 2))
    a = np.array([133.4, 104.6, 71.8])[i]
    b = np.array([0.332e-3, 0.212e-3, 0.157e-3])[i]
    c = np.array([-4.343, -1.086, 2.171])[i]
    with np.errstate(invalid="ignore", divide="ignore"):
        return a + b * td + c * np.log(td)


def scatter_h0(d, g: PathGeometry, wn, gme, ad, rr, etq, h0s):
    r"""Frequency-gain term :math:`H_0` of troposcatter at distance ``d`` (``ascat`` body).

    With :math:`\theta' = \theta_{e0} + \theta_{e1} + d \gamma_e`,
    :math:`r_j = 2 k \theta' h_{ej}`, :math:`s = (d - a_d)/(d + a_d)`,
    :math:`z_0 = (d - a_d)(d + a_d)\theta'/(4 d)` and the scattering efficiency
    :math:`\eta_s = (1 + \eta_q e^{-\min(1.7, z_0/8\,\mathrm{km})^6})\, z_0 / 1755.6`:

    .. math::

        H_0 = \tfrac{1}{2}\sum_j H_{01}(r_j, \max(\eta_s, 1)), \qquad
        H_0 \leftarrow \max\!\left(0, H_0 + \min(H_0, (1.38 - \ln \eta_s) \ln s \ln q\, 0.49)\right)

    (:math:`s \ge 0.1`, :math:`0.1 \le q = r_r/s \le 10`), blended for :math:`\eta_s < 1` with

    .. math::

        4.343 \ln\left(((1 + \sqrt2/r_0)(1 + \sqrt2/r_1))^2 \frac{r_0 + r_1}{r_0 + r_1 + 2\sqrt2}
        \right)

    and replaced by the stored value :math:`H_{0s}` when it exceeds 15 dB
    (Hufford 1995, eqs. 4.63-4.67).

    Returns
    -------
    h0, h0s : numpy.ndarray
        The term for this distance and the updated stored value. ITM returns 1001 dB (no
        scatter) when :math:`r_0 < 0.2` and :math:`r_1 < 0.2`; itmlogic instead carries on
        with the full formula and only leaves :math:`H_{0s}` unchanged, and we follow itmlogic
        (``docs/itm.md``, "Deviations").
    """
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        th = g.the0 + g.the1 + d * gme
        r2 = 2.0 * wn * th
        r1 = r2 * g.he0
        r2 = r2 * g.he1
        small = (r1 < 0.2) & (r2 < 0.2)
        ss = (d - ad) / (d + ad)
        q = rr / ss
        ss = py_max(0.1, ss)
        q = py_min(py_max(0.1, q), 10.0)
        z0 = (d - ad) * (d + ad) * th * 0.25 / d
        et = (etq * np.exp(-(py_min(1.7, z0 / 8.0e3) ** 6)) + 1.0) * z0 / 1.7556e3
        ett = py_max(et, 1.0)
        h0 = (frequency_gain(r1, ett) + frequency_gain(r2, ett)) * 0.5
        h0 = h0 + py_min(h0, (1.38 - np.log(ett)) * np.log(ss) * np.log(q) * 0.49)
        h0 = py_max(h0, 0.0)
        low = 4.343 * np.log(
            ((1.0 + 1.4142 / r1) * (1.0 + 1.4142 / r2)) ** 2 * (r1 + r2) / (r1 + r2 + 2.8284)
        )
        h0 = np.where(et < 1.0, et * h0 + (1.0 - et) * low, h0)
        h0 = np.where((h0 > 15.0) & (h0s >= 0.0), h0s, h0)
    stored = h0s > 15.0
    h0 = np.where(stored, h0s, h0)
    new_h0s = np.where(stored | small, h0s, h0)
    return h0, new_h0s


def scatter_attenuation(d, g, wn, gme, ens, tha, ad, rr, etq, h0s):
    r"""Troposcatter attenuation :math:`A_{scat}(d)` (``ascat``), dB.

    .. math::

        A_{scat} = F_0(\theta d) + 4.343 \ln(47.7\, k\, \theta^4)
        - 0.1 (N_s - 301) e^{-\theta d / 40\,\mathrm{km}} + H_0,
        \qquad \theta = \theta_e + d \gamma_e .

    Returns
    -------
    ascat, h0s : numpy.ndarray
        Attenuation (dB) and the updated stored :math:`H_{0s}`.
    """
    h0, h0s = scatter_h0(d, g, wn, gme, ad, rr, etq, h0s)
    th = tha + d * gme
    with np.errstate(invalid="ignore", divide="ignore"):
        a = (
            scatter_distance_term(th * d)
            + 4.343 * np.log(47.7 * wn * th**4)
            - 0.1 * (ens - 301.0) * np.exp(-th * d / 40e3)
            + h0
        )
    return a, h0s
