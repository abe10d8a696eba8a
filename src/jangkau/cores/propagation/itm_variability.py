r"""Variability of the ITM: quantiles of attenuation in time, location and situation (``avar``).

ITM 1.2.2 (Hufford 1995 [1]_, section 5) turns the median reference attenuation
:math:`A_{ref}` into the attenuation :math:`A(q_T, q_L, q_S)` not exceeded for a fraction
:math:`q_T` of the time, at :math:`q_L` of the locations, in :math:`q_S` of the situations,
using the climate-dependent curves of NBS Technical Note 101 [2]_ (ch. 10) for time
variability. Quantiles enter as standard normal deviates :math:`z = Q^{-1}(q)`
(:func:`normal_deviate`).

Steps, with the effective distance

.. math::

    d_e = \begin{cases} 130\,\mathrm{km}\; d / d_{ex} & d < d_{ex} \\
    130\,\mathrm{km} + d - d_{ex} & \text{otherwise} \end{cases}, \qquad
    d_{ex} = \sqrt{18 \cdot 10^6 h_{e0}} + \sqrt{18 \cdot 10^6 h_{e1}}
    + (575.7 \cdot 10^{12} / k)^{1/3},

and the climate curve :math:`C(c_1, c_2, x_1, x_2, x_3; d_e) = (c_1 + c_2 / (1 + ((d_e - x_2)
/ x_3)^2)) (d_e/x_1)^2 / (1 + (d_e/x_1)^2)`:

* median shift :math:`V_{med} = C(\mathrm{cv}; d_e)`;
* time: :math:`\sigma_{T-} = C(\mathrm{csm}; d_e)\, g_m(k)`,
  :math:`\sigma_{T+} = C(\mathrm{csp}; d_e)\, g_p(k)`,
  :math:`\sigma_{TD} = c_{sd1} \sigma_{T+}` and :math:`\sigma_T(z_T) = \sigma_{T-}` for
  :math:`z_T < 0`, :math:`\sigma_{T+}` for :math:`z_T \le z_D`, else
  :math:`\sigma_{TD} + (\sigma_{T+} - \sigma_{TD}) z_D / z_T`;
* location: :math:`\sigma_L = 10 q/(q + 13)`, :math:`q = k \Delta h(d)`, but 0 in the
  point-to-point mode (``mdvar`` + 10: location variability is eliminated);
* situation: :math:`\sigma_S^2 = (5 + 3 e^{-d_e / 100\,\mathrm{km}})^2
  + (\sigma_T z_T)^2/(7.8 + z_S^2) + (\sigma_L z_L)^2 / (24 + z_S^2)`.

For the accidental mode (``mdvar`` = 1, + 10 in point-to-point use) the deviates combine as
:math:`Y_R = \sigma_T z_T`, :math:`\sigma_c = \sqrt{\sigma_L^2 + \sigma_S^2}` and

.. math::

    A = A_{ref} - V_{med} - Y_R - \sigma_c z_S, \qquad
    A \leftarrow A \frac{29 - A}{29 - 10 A} \text{ when } A < 0 .

References
----------
.. [1] G. A. Hufford, "The ITS Irregular Terrain Model, version 1.2.2: the algorithm",
   Institute for Telecommunication Sciences, NTIA, 1995.
.. [2] P. L. Rice, A. G. Longley, K. A. Norton and A. P. Barsis, "Transmission loss
   predictions for tropospheric communication circuits", NBS Technical Note 101, 1967.
.. [3] G. A. Hufford, A. G. Longley and W. A. Kissick, "A guide to the use of the ITS
   Irregular Terrain Model in the area prediction mode", NTIA Report 82-100, 1982.
.. [4] C. Hastings, "Approximations for digital computers", Princeton University Press, 1955.
"""

from __future__ import annotations

import numpy as np

CLIMATES = (
    "equatorial",
    "continental_subtropical",
    "maritime_subtropical",
    "desert",
    "continental_temperate",
    "maritime_temperate_land",
    "maritime_temperate_sea",
)
"""ITM radio climates, in the order of ITM's climate codes 1..7."""

MDVAR_POINT_TO_POINT = 11
"""Variability mode used here: accidental (1) + point-to-point (10), as itmlogic's p2p run."""

# Climate-dependent constants of ITM 1.2.2 (Hufford 1995, table in section 5; NBS TN 101,
# figs. 10.13-10.15), one column per climate code 1..7.
_CLIMATE_TABLE = {
    "cv1": (-9.67, -0.62, 1.26, -9.21, -0.62, -0.39, 3.15),
    "cv2": (12.7, 9.19, 15.5, 9.05, 9.19, 2.86, 857.9),
    "yv1": (144.9e3, 228.9e3, 262.6e3, 84.1e3, 228.9e3, 141.7e3, 2222.0e3),
    "yv2": (190.3e3, 205.2e3, 185.2e3, 101.1e3, 205.2e3, 315.9e3, 164.8e3),
    "yv3": (133.8e3, 143.6e3, 99.8e3, 98.6e3, 143.6e3, 167.4e3, 116.3e3),
    "csm1": (2.13, 2.66, 6.11, 1.98, 2.68, 6.86, 8.51),
    "csm2": (159.5, 7.67, 6.65, 13.11, 7.16, 10.38, 169.8),
    "ysm1": (762.2e3, 100.4e3, 138.2e3, 139.1e3, 93.7e3, 187.8e3, 609.8e3),
    "ysm2": (123.6e3, 172.5e3, 242.2e3, 132.7e3, 186.8e3, 169.6e3, 119.9e3),
    "ysm3": (94.5e3, 136.4e3, 178.6e3, 193.5e3, 133.5e3, 108.9e3, 106.6e3),
    "csp1": (2.11, 6.87, 10.08, 3.68, 4.75, 8.58, 8.43),
    "csp2": (102.3, 15.53, 9.60, 159.3, 8.12, 13.97, 8.19),
    "ysp1": (636.9e3, 138.7e3, 165.3e3, 464.4e3, 93.2e3, 216.0e3, 136.2e3),
    "ysp2": (134.8e3, 143.7e3, 225.7e3, 93.1e3, 135.9e3, 152.0e3, 188.5e3),
    "ysp3": (95.6e3, 98.6e3, 129.7e3, 94.2e3, 113.4e3, 122.7e3, 122.9e3),
    "csd1": (1.224, 0.801, 1.380, 1.000, 1.224, 1.518, 1.518),
    "zd": (1.282, 2.161, 1.282, 20.0, 1.282, 1.282, 1.282),
    "cfm1": (1.0, 1.0, 1.0, 1.0, 0.92, 1.0, 1.0),
    "cfm2": (0.0, 0.0, 0.0, 0.0, 0.25, 0.0, 0.0),
    "cfm3": (0.0, 0.0, 0.0, 0.0, 1.77, 0.0, 0.0),
    "cfp1": (1.0, 0.93, 1.0, 0.93, 0.93, 1.0, 1.0),
    "cfp2": (0.0, 0.31, 0.0, 0.19, 0.31, 0.0, 0.0),
    "cfp3": (0.0, 2.00, 0.0, 1.79, 2.00, 0.0, 0.0),
}
_CLIMATE_COLUMNS = {key: np.array(values) for key, values in _CLIMATE_TABLE.items()}


def normal_deviate(q):
    r"""Inverse of the complementary normal distribution, :math:`z = Q^{-1}(q)` (``qerfi``).

    Hastings' rational approximation (absolute error below :math:`4.5 \cdot 10^{-4}`): with
    :math:`x = 1/2 - q`, :math:`t = \sqrt{-2 \ln \max(1/2 - |x|, 10^{-6})}`,

    .. math::

        z = \operatorname{sign}(x) \left(t - \frac{c_0 + c_1 t + c_2 t^2}
        {1 + d_1 t + d_2 t^2 + d_3 t^3}\right),

    :math:`c = (2.515516698, 0.802853, 0.010328)`, :math:`d = (1.432788, 0.189269, 0.001308)`.
    ITM uses this approximation (not the exact inverse) so we do too; itmlogic additionally
    rounds the result to 4 decimals, which we do not (effect below 0.001 dB).

    Parameters
    ----------
    q : array_like
        Fraction in (0, 1), e.g. 0.9 for "not exceeded 90 % of the time".

    Returns
    -------
    numpy.ndarray
        Standard normal deviate; positive for :math:`q < 1/2`.
    """
    x = 0.5 - np.asarray(q, dtype=float)
    t = np.sqrt(-2.0 * np.log(np.maximum(0.5 - np.abs(x), 1e-6)))
    z = t - ((0.010328 * t + 0.802853) * t + 2.515516698) / (
        ((0.001308 * t + 0.189269) * t + 1.432788) * t + 1.0
    )
    return np.where(x < 0.0, -z, z)


def _curve(c1, c2, x1, x2, x3, de):
    r"""Climate curve :math:`(c_1 + c_2/(1 + ((d_e - x_2)/x_3)^2))\,(d_e/x_1)^2/(1 + (d_e/x_1)^2)`
    (Hufford 1995, eq. 5.5)."""
    return (c1 + c2 / (1.0 + ((de - x2) / x3) ** 2)) * (de / x1) ** 2 / (1.0 + (de / x1) ** 2)


def attenuation_quantile(
    aref, dist, dh, wn, he0, he1, klim, zt, zl, zc, mdvar=MDVAR_POINT_TO_POINT
):
    r"""Quantile of attenuation below free space, :math:`A(z_T, z_L, z_S)` (``avar``), dB.

    Parameters
    ----------
    aref : numpy.ndarray
        Median reference attenuation (dB).
    dist, dh, wn, he0, he1 : numpy.ndarray
        Path length (m), terrain irregularity (m), wave number (1/m), effective heights (m).
    klim : numpy.ndarray of int
        Climate code 1..7 (see :data:`CLIMATES`).
    zt, zl, zc : numpy.ndarray
        Standard normal deviates of the time, location and situation (confidence) quantiles.
    mdvar : int
        ITM variability mode: 0 single message, 1 accidental, 2 mobile, 3 broadcast; + 10
        eliminates location variability (point-to-point), + 20 direct situation variability
        (interference). Default 11.

    Returns
    -------
    attenuation : numpy.ndarray
        Attenuation below free space at the requested quantiles (dB).
    caution : numpy.ndarray of bool
        Where any deviate used exceeds 3.1 in magnitude (ITM warning code 1).
    """
    if not 0 <= mdvar % 10 <= 3 or not 0 <= mdvar < 40:
        raise ValueError(f"mdvar must be 0..3 plus optionally 10 and/or 20, got {mdvar}")
    kdv = mdvar % 10
    no_location = (mdvar // 10) % 2 == 1
    no_situation = mdvar >= 20
    c = {key: column[klim - 1] for key, column in _CLIMATE_COLUMNS.items()}

    q = np.log(0.133 * wn)
    gm = c["cfm1"] + c["cfm2"] / ((c["cfm3"] * q) ** 2 + 1.0)
    gp = c["cfp1"] + c["cfp2"] / ((c["cfp3"] * q) ** 2 + 1.0)
    dexa = np.sqrt(18e6 * he0) + np.sqrt(18e6 * he1) + (575.7e12 / wn) ** (1.0 / 3.0)
    de = np.where(dist < dexa, 130e3 * dist / dexa, 130e3 + dist - dexa)
    vmd = _curve(c["cv1"], c["cv2"], c["yv1"], c["yv2"], c["yv3"], de)
    sgtm = _curve(c["csm1"], c["csm2"], c["ysm1"], c["ysm2"], c["ysm3"], de) * gm
    sgtp = _curve(c["csp1"], c["csp2"], c["ysp1"], c["ysp2"], c["ysp3"], de) * gp
    sgtd = sgtp * c["csd1"]
    tgtd = (sgtp - sgtd) * c["zd"]
    if no_location:
        sgl = np.zeros_like(dist)
    else:
        q = (1.0 - 0.8 * np.exp(-dist / 50e3)) * dh * wn
        sgl = 10.0 * q / (q + 13.0)
    vs0 = np.zeros_like(dist) if no_situation else (5.0 + 3.0 * np.exp(-de / 100e3)) ** 2

    if kdv == 0:
        zt, zl = zc, zc
    elif kdv == 1:
        zl = zc
    elif kdv == 2:
        zl = zt
    caution = (np.abs(zt) > 3.1) | (np.abs(zl) > 3.1) | (np.abs(zc) > 3.1)
    with np.errstate(divide="ignore", invalid="ignore"):
        sgt = np.where(zt < 0.0, sgtm, np.where(zt <= c["zd"], sgtp, sgtd + tgtd / zt))
    vs = vs0 + (sgt * zt) ** 2 / (7.8 + zc**2) + (sgl * zl) ** 2 / (24.0 + zc**2)
    if kdv == 0:
        yr = np.zeros_like(vs)
        sgc = np.sqrt(sgt**2 + sgl**2 + vs)
    elif kdv == 1:
        yr = sgt * zt
        sgc = np.sqrt(sgl**2 + vs)
    elif kdv == 2:
        yr = np.sqrt(sgt**2 + sgl**2) * zt
        sgc = np.sqrt(vs)
    else:
        yr = sgt * zt + sgl * zl
        sgc = np.sqrt(vs)
    a = aref - vmd - yr - sgc * zc
    a = np.where(a < 0.0, a * (29.0 - a) / (29.0 - 10.0 * a), a)
    return a, caution
