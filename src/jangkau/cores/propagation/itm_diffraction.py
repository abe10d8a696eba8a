r"""Diffraction attenuation of ITM 1.2.2 (``adiff``, ``aknfe``, ``fht``), vectorised.

Beyond the smooth-earth horizon ITM blends double knife-edge diffraction (over the two
horizons) with smooth-earth diffraction by the three-radii method, weighted by the terrain
roughness (Hufford 1995 [1]_, eqs. 4.10-4.21 and 6.1-6.7). :mod:`.itm_attenuation` evaluates
it at two distances and draws the diffraction line through them.

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

from jangkau.cores.propagation.itm_numerics import py_min
from jangkau.cores.propagation.itm_terrain import PathGeometry

THIRD = 1.0 / 3.0


def knife_edge(v2):
    r"""Knife-edge diffraction loss :math:`A(v, 0)` (dB) as a function of :math:`v^2` (``aknfe``).

    .. math::

        A = \begin{cases} 6.02 + 9.11 \sqrt{v^2} - 1.27 v^2 & v^2 < 5.76 \\
        12.953 + 4.343 \ln v^2 & \text{otherwise} \end{cases}

    (Hufford 1995, eq. 6.1). Non-positive arguments are replaced by :math:`10^{-5}`, as in
    itmlogic (in ITM they cannot arise for valid paths).
    """
    v2 = np.where(v2 <= 0.0, 1e-5, v2)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(
            v2 < 5.76, 6.02 + 9.11 * np.sqrt(v2) - 1.27 * v2, 12.953 + 4.343 * np.log(v2)
        )


def height_gain(x, pk):
    r"""Height-gain term :math:`F(x, K)` of the three-radii smooth-earth method (``fht``).

    For :math:`x < 200`, with :math:`w = -\ln K`:
    :math:`F = -117 + 17.372 \ln x\,[x > 1]` if :math:`K < 10^{-5}` or :math:`x w^3 > 5495`,
    else :math:`F = 2.5 \cdot 10^{-5} x^2 / K - 8.686 w - 15`. For :math:`x \ge 200`,
    :math:`F = 0.05751 x - 4.343 \ln x`, blended for :math:`x < 2000` with
    :math:`17.372 \ln x - 117` by the weight :math:`w = 0.0134\, x\, e^{-0.005 x}`
    (Hufford 1995, eqs. 6.2-6.7).
    """
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        w = -np.log(pk)
        log_x = np.log(x)
        far = (pk < 1e-5) | (x * w**3 > 5495.0)
        small = np.where(
            far,
            -117.0 + np.where(x > 1.0, 17.372 * log_x, 0.0),
            2.5e-5 * x * x / pk - 8.686 * w - 15.0,
        )
        large = 0.05751 * x - 4.343 * log_x
        blend = 0.0134 * x * np.exp(-0.005 * x)
        large = np.where(
            x < 2000.0, (1.0 - blend) * large + blend * (17.372 * log_x - 117.0), large
        )
        return np.where(x < 200.0, small, large)


class Diffraction:
    r"""Diffraction attenuation :math:`A_{diff}(d)` with its distance-independent constants.

    Set-up (``adiff`` called with :math:`d = 0`):

    .. math::

        w_{d1} = \sqrt{1 + \frac{h_{e0}h_{e1} - h_{g0}h_{g1}}{h_{g0}h_{g1} + 10}}, \quad
        x_{d1} = d_L + \theta_e/\gamma_e, \quad
        A_{fo} = \min\left(15, 2.171 \ln(1 + 4.77 \cdot 10^{-4} h_{g0} h_{g1} k \sigma_h)\right),

    with :math:`\sigma_h = 0.78\,\Delta h(d_{Ls})\,e^{-(\Delta h(d_{Ls})/16)^{1/4}}`,
    :math:`\Delta h(s) = (1 - 0.8 e^{-s/50\,\mathrm{km}}) \Delta h`, and the height-gain sums
    :math:`x_{ht} = \sum_j x_j`, :math:`A_{ht} = 20 + \sum_j F(x_j, K_j)` of the three-radii
    method. At distance :math:`d` (:math:`\theta = \theta_e + d \gamma_e`,
    :math:`d_s = d - d_L`):

    .. math::

        A_k = \sum_j A\!\left(\frac{0.0795775\, k\, d_s \theta^2\, d_{Lj}}{d_s + d_{Lj}}\right),
        \quad
        A_r = 0.05751 x - 4.343 \ln x - A_{ht}, \quad x = x_{ht} + (1.607 - K) 151 w_a \theta,

        A_{diff} = w A_r + (1 - w) A_k + A_{fo}, \qquad
        w = \frac{25.1}{25.1 + \sqrt{(w_{d1} + x_{d1}/d)\min(k \Delta h(d), 6283.2)}}

    (Hufford 1995, eqs. 4.10-4.21).
    """

    def __init__(self, g: PathGeometry, hg0, hg1, wn, gme, zgnd, dla, dlsa, tha):
        self.g, self.wn, self.gme, self.dla, self.tha = g, wn, gme, dla, tha
        q = hg0 * hg1
        qk = g.he0 * g.he1 - q
        q = q + 10.0  # point-to-point mode (mdp < 0)
        self.wd1 = np.sqrt(1.0 + qk / q)
        self.xd1 = dla + tha / gme
        q = (1.0 - 0.8 * np.exp(-dlsa / 50e3)) * g.dh
        q = 0.78 * q * np.exp(-((q / 16.0) ** 0.25))
        self.afo = py_min(15.0, 2.171 * np.log(1.0 + 4.77e-4 * hg0 * hg1 * wn * q))
        self.qk = 1.0 / np.abs(zgnd)
        self.aht = np.full_like(wn, 20.0)
        self.xht = np.zeros_like(wn)
        for dl, he in ((g.dl0, g.he0), (g.dl1, g.he1)):
            a = 0.5 * dl**2 / he
            wa = (a * wn) ** THIRD
            pk = self.qk / wa
            q = (1.607 - pk) * 151.0 * wa * dl / a
            self.xht = self.xht + q
            self.aht = self.aht + height_gain(q, pk)

    def __call__(self, d):
        g, wn = self.g, self.wn
        th = self.tha + d * self.gme
        ds = d - self.dla
        q = 0.0795775 * wn * ds * th**2
        ak = knife_edge(q * g.dl0 / (ds + g.dl0)) + knife_edge(q * g.dl1 / (ds + g.dl1))
        a = ds / th
        wa = (a * wn) ** THIRD
        pk = self.qk / wa
        q = (1.607 - pk) * 151.0 * wa * th + self.xht
        with np.errstate(invalid="ignore", divide="ignore"):
            ar = 0.05751 * q - 4.343 * np.log(q) - self.aht
        q = (self.wd1 + self.xd1 / d) * py_min((1.0 - 0.8 * np.exp(-d / 50e3)) * g.dh * wn, 6283.2)
        wd = 25.1 / (25.1 + np.sqrt(q))
        return ar * wd + (1.0 - wd) * ak + self.afo
