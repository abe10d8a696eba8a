r"""Base-station antenna patterns: omnidirectional and 3GPP parabolic sector pattern.

The sector pattern is the one of 3GPP TR 36.814 (Table A.2.1.1-2), also used per element in
3GPP TR 38.901 (Table 7.3-1). With :math:`\varphi` the horizontal angle between the direction to
the receiver and the sector azimuth (wrapped to [-180°, 180°]) and :math:`\theta` the
depression angle of the receiver below the horizontal plane of the antenna (positive
downwards), the attenuation relative to boresight, in dB and positive, is

.. math::

    A_H(\varphi) = \min\left[12 \left(\frac{\varphi}{\varphi_{3dB}}\right)^2, A_m\right],
    \qquad
    A_V(\theta) = \min\left[12 \left(\frac{\theta - \theta_{tilt}}{\theta_{3dB}}\right)^2,
                            SLA_V\right],

.. math::

    A(\varphi, \theta) = \min\left[A_H(\varphi) + A_V(\theta), A_m\right].

:math:`A_m` is the front-to-back ratio (maximum attenuation) and :math:`SLA_V` the vertical
side-lobe limit. TR 36.814 uses :math:`\varphi_{3dB} = 70°`, :math:`A_m = 25` dB,
:math:`\theta_{3dB} = 10°`, :math:`SLA_V = 20` dB; TR 38.901 uses 65°, 30 dB, 65° and 30 dB for
a single element. The defaults of :class:`Sector` are those of TR 36.814 (a typical macro
panel). The boresight gain is not part of the pattern: it is already in the EIRP.

An omnidirectional antenna has zero attenuation in every direction (its vertical pattern is
ignored).

References
----------
.. [1] 3GPP TR 36.814 V9.2.0, "Further advancements for E-UTRA physical layer aspects",
   Annex A.2.1.1, Table A.2.1.1-2, 2017.
.. [2] 3GPP TR 38.901 V17.0.0, "Study on channel model for frequencies from 0.5 to 100 GHz",
   clause 7.3, Table 7.3-1, 2022.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Sector:
    r"""One sector antenna of a site.

    Attributes
    ----------
    azimuth_deg : float
        Boresight azimuth, degrees clockwise from north.
    beamwidth_h_deg : float
        Horizontal half-power beamwidth :math:`\varphi_{3dB}` (TR 36.814: 70°).
    downtilt_deg : float
        Total (mechanical + electrical) downtilt, positive below the horizon.
    beamwidth_v_deg : float
        Vertical half-power beamwidth :math:`\theta_{3dB}` (TR 36.814: 10°).
    front_to_back_db : float
        Maximum attenuation :math:`A_m` (TR 36.814: 25 dB).
    side_lobe_v_db : float
        Vertical side-lobe limit :math:`SLA_V` (TR 36.814: 20 dB).
    eirp_dbm : float or None
        Boresight EIRP of this sector; ``None`` uses the site's EIRP.
    """

    azimuth_deg: float
    beamwidth_h_deg: float = 70.0
    downtilt_deg: float = 0.0
    beamwidth_v_deg: float = 10.0
    front_to_back_db: float = 25.0
    side_lobe_v_db: float = 20.0
    eirp_dbm: float | None = None

    def __post_init__(self) -> None:
        if self.beamwidth_h_deg <= 0 or self.beamwidth_v_deg <= 0:
            raise ValueError("beamwidths must be positive")
        if self.front_to_back_db < 0 or self.side_lobe_v_db < 0:
            raise ValueError("front-to-back ratio and side-lobe limit must be >= 0")


def wrap_degrees(angle_deg) -> np.ndarray:
    """Wrap angles to the interval [-180, 180) degrees."""
    return (np.asarray(angle_deg, dtype=float) + 180.0) % 360.0 - 180.0


def horizontal_attenuation_db(
    phi_deg, beamwidth_h_deg: float = 70.0, front_to_back_db: float = 25.0
) -> np.ndarray:
    r"""Horizontal pattern :math:`A_H(\varphi) = \min[12 (\varphi/\varphi_{3dB})^2, A_m]` (dB).

    Parameters
    ----------
    phi_deg : array_like
        Angle from boresight in degrees (wrapped internally).
    beamwidth_h_deg, front_to_back_db : float
        :math:`\varphi_{3dB}` and :math:`A_m`.
    """
    phi = np.abs(np.asarray(phi_deg, dtype=float))
    if phi.size and phi.max() > 360.0:
        phi = phi % 360.0
    phi = np.minimum(phi, 360.0 - phi)  # |wrapped angle|, cheaper than a float modulo
    return np.minimum(12.0 * (phi / beamwidth_h_deg) ** 2, front_to_back_db)


def vertical_attenuation_db(
    depression_deg,
    downtilt_deg: float = 0.0,
    beamwidth_v_deg: float = 10.0,
    side_lobe_v_db: float = 20.0,
) -> np.ndarray:
    r"""Vertical pattern (dB): :math:`\min[12 ((\theta-\theta_{tilt})/\theta_{3dB})^2, SLA_V]`.

    Parameters
    ----------
    depression_deg : array_like
        Angle of the receiver below the antenna's horizontal plane, degrees (positive down).
    downtilt_deg, beamwidth_v_deg, side_lobe_v_db : float
        :math:`\theta_{tilt}`, :math:`\theta_{3dB}` and :math:`SLA_V`.
    """
    theta = np.asarray(depression_deg, dtype=float)
    return np.minimum(12.0 * ((theta - downtilt_deg) / beamwidth_v_deg) ** 2, side_lobe_v_db)


def sector_attenuation_db(azimuth_to_rx_deg, depression_deg, sector: Sector) -> np.ndarray:
    r"""Combined 3GPP attenuation :math:`\min[A_H + A_V, A_m]` of a sector (dB, >= 0).

    Parameters
    ----------
    azimuth_to_rx_deg : array_like
        Azimuth from the site to the receiver, degrees clockwise from north.
    depression_deg : array_like
        Depression angle of the receiver seen from the antenna (positive below horizontal).
    sector : Sector
        The antenna.

    Returns
    -------
    numpy.ndarray
        Attenuation relative to boresight in dB.
    """
    a_h = horizontal_attenuation_db(
        np.asarray(azimuth_to_rx_deg) - sector.azimuth_deg,
        sector.beamwidth_h_deg,
        sector.front_to_back_db,
    )
    a_v = vertical_attenuation_db(
        depression_deg, sector.downtilt_deg, sector.beamwidth_v_deg, sector.side_lobe_v_db
    )
    return np.minimum(a_h + a_v, sector.front_to_back_db)


def omni_attenuation_db(azimuth_to_rx_deg, depression_deg=0.0) -> np.ndarray:
    """Omnidirectional antenna: zero attenuation, shaped like the broadcast inputs."""
    az, dep = np.broadcast_arrays(
        np.asarray(azimuth_to_rx_deg, dtype=float), np.asarray(depression_deg, dtype=float)
    )
    return np.zeros(az.shape)
