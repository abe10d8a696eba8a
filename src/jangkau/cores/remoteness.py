r"""Remoteness of a village: distances and a class used by planning (no Django).

The class rule (``docs/remoteness.md``) uses great-circle distance to the regency seat
:math:`d_s`, distance to the kecamatan centre :math:`d_k`, and whether the village is on an
island:

==========================  ==========================================================
class                       rule (first that matches, top to bottom)
==========================  ==========================================================
``4 sangat_terpencil``      island village, or :math:`d_s > 150` km
``3 terpencil``             :math:`d_s > 75` km, or :math:`d_k > 25` km
``2 antara``                :math:`d_s > 25` km
``1 pusat``                 otherwise (the seat's surroundings)
==========================  ==========================================================

The thresholds are parameters. Straight-line distance understates travel up rivers, so the
class is a first-order ordering, not a travel time.
"""

from __future__ import annotations

from dataclasses import dataclass

from jangkau.cores.geo import haversine_km

CLASS_LABELS = {
    1: "pusat",
    2: "antara",
    3: "terpencil",
    4: "sangat_terpencil",
}


@dataclass(frozen=True)
class RemotenessThresholds:
    """Distance thresholds of the class rule, in km."""

    very_remote_seat_km: float = 150.0
    remote_seat_km: float = 75.0
    remote_kecamatan_km: float = 25.0
    central_seat_km: float = 25.0


@dataclass(frozen=True)
class Remoteness:
    """A village's remoteness facts."""

    distance_to_seat_km: float
    distance_to_kecamatan_km: float
    is_island: bool
    is_coastal: bool
    remoteness_class: int

    @property
    def label(self) -> str:
        return CLASS_LABELS[self.remoteness_class]


def classify(
    distance_to_seat_km: float,
    distance_to_kecamatan_km: float,
    is_island: bool,
    thresholds: RemotenessThresholds | None = None,
) -> int:
    """Return the remoteness class 1–4 by the rule in the module docstring."""
    t = thresholds or RemotenessThresholds()
    if is_island or distance_to_seat_km > t.very_remote_seat_km:
        return 4
    if distance_to_seat_km > t.remote_seat_km or distance_to_kecamatan_km > t.remote_kecamatan_km:
        return 3
    if distance_to_seat_km > t.central_seat_km:
        return 2
    return 1


def remoteness(
    lon: float,
    lat: float,
    seat: tuple[float, float],
    kecamatan_centre: tuple[float, float],
    is_island: bool,
    is_coastal: bool,
    thresholds: RemotenessThresholds | None = None,
) -> Remoteness:
    """Compute a village's remoteness from its point (lon, lat) and the reference points."""
    d_seat = haversine_km(lon, lat, seat[0], seat[1])
    d_kec = haversine_km(lon, lat, kecamatan_centre[0], kecamatan_centre[1])
    return Remoteness(
        distance_to_seat_km=round(d_seat, 2),
        distance_to_kecamatan_km=round(d_kec, 2),
        is_island=is_island,
        is_coastal=is_coastal,
        remoteness_class=classify(d_seat, d_kec, is_island, thresholds),
    )
