r"""Line of sight of a microwave hop over a terrain profile, with the first Fresnel zone.

Pure (NumPy only): takes a :class:`jangkau.cores.propagation.terrain.Profile` (or any object
with ``distances_m`` and ``elevations_m``) sampled between the two antennas.

With :math:`d` the path length, :math:`d_1` the distance of a sample from end 1 and
:math:`d_2 = d - d_1`, the ray between the antenna tips (terrain plus mast height) is straight,
and the terrain is raised by the Earth bulge for an effective Earth radius :math:`kR`:

.. math::

    b(d_1) = \frac{d_1 d_2}{2 k R}, \qquad
    F_1(d_1) = \sqrt{\frac{\lambda\, d_1 d_2}{d}}, \qquad
    \text{clear} \iff h_\text{ray}(d_1) - \big(z(d_1) + b(d_1)\big) \ge c\, F_1(d_1)
    \;\; \forall\ 0 < d_1 < d

with :math:`\lambda = c_0/f` and :math:`c` the required clearance (0.6: sixty per cent of the
first Fresnel zone clear at :math:`k = 4/3`, the usual planning rule; ITU-R P.530 gives the
full criteria). Reference: ITU-R P.526 (Fresnel zones), ITU-R P.530 (clearance rules).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

EARTH_RADIUS_M = 6_371_008.8
SPEED_OF_LIGHT = 299_792_458.0


@dataclass(frozen=True)
class LosResult:
    """Outcome of one check.

    Attributes
    ----------
    clear : bool
        Whether the required share of the first Fresnel zone is clear everywhere.
    worst_clearance : float
        The smallest ratio (free height above terrain and bulge) / F1 over the path; below the
        required clearance means blocked, negative means the terrain cuts the straight ray.
    worst_at_m : float
        Distance from end 1 where that ratio occurs.
    length_m : float
        Path length.
    """

    clear: bool
    worst_clearance: float
    worst_at_m: float
    length_m: float


def fresnel_clearance(
    profile,
    height_1_m: float,
    height_2_m: float,
    freq_mhz: float,
    *,
    k_factor: float = 4.0 / 3.0,
    clearance: float = 0.6,
) -> LosResult:
    """Check a hop for line of sight with ``clearance`` of the first Fresnel zone clear.

    Parameters
    ----------
    profile
        Terrain samples from end 1 to end 2: ``distances_m`` (increasing, first 0) and
        ``elevations_m`` (same length).
    height_1_m, height_2_m : float
        Antenna heights above the terrain at each end.
    freq_mhz : float
        Carrier frequency.
    k_factor : float
        Effective Earth radius factor.
    clearance : float
        Required share of the first Fresnel zone radius.

    Returns
    -------
    LosResult

    Raises
    ------
    ValueError
        For fewer than two samples, a non-positive frequency or k-factor, or negative heights.
    """
    d = np.asarray(profile.distances_m, dtype=float)
    z = np.asarray(profile.elevations_m, dtype=float)
    if d.shape != z.shape or d.size < 2:
        raise ValueError("profile: need at least two samples with one elevation each")
    if freq_mhz <= 0 or k_factor <= 0:
        raise ValueError("freq_mhz and k_factor must be positive")
    if height_1_m < 0 or height_2_m < 0:
        raise ValueError("antenna heights cannot be negative")
    length = float(d[-1])
    if length <= 0:
        return LosResult(True, float("inf"), 0.0, 0.0)
    inner = slice(1, d.size - 1)
    d1 = d[inner]
    if d1.size == 0:
        return LosResult(True, float("inf"), 0.0, length)
    d2 = length - d1
    top_1 = z[0] + height_1_m
    top_2 = z[-1] + height_2_m
    ray = top_1 + (top_2 - top_1) * d1 / length
    bulge = d1 * d2 / (2.0 * k_factor * EARTH_RADIUS_M)
    wavelength = SPEED_OF_LIGHT / (freq_mhz * 1e6)
    f1 = np.sqrt(wavelength * d1 * d2 / length)
    ratio = (ray - (z[inner] + bulge)) / f1
    worst = int(np.argmin(ratio))
    return LosResult(
        clear=bool(ratio[worst] >= clearance),
        worst_clearance=float(ratio[worst]),
        worst_at_m=float(d1[worst]),
        length_m=length,
    )
