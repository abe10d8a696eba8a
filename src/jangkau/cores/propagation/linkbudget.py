r"""Downlink link budget: received reference-signal power (RSRP-like) and service thresholds.

Convention
----------
Coverage is judged on the received power of one reference-signal resource element (RE), the
quantity LTE calls RSRP (3GPP TS 36.214 §5.1.1) and NR calls SS-RSRP (TS 38.215 §5.1.1):

.. math::

    P_{rx} = EIRP_{RE} - A(\varphi, \theta) - L_p + G_{rx} - L_{other}

with :math:`EIRP_{RE}` the boresight EIRP per RE (dBm), :math:`A` the antenna pattern
attenuation relative to boresight (dB, see :mod:`.antenna`), :math:`L_p` the path loss,
:math:`G_{rx}` the receive antenna gain (dBi, 0 for a handset) and :math:`L_{other}` other losses
(body, building penetration, cable; dB).

The EIRP of a site can be given in one of two ways, chosen with
:attr:`LinkBudget.eirp_convention` (this matters: the two differ by 30 dB for 20 MHz LTE):

``"per_re"``
    The EIRP is already per reference-signal RE (what RSRP measures). Used as is.
``"total"``
    The EIRP is the total over the carrier; it is spread evenly over the
    :math:`12 N_{RB}` subcarriers, so

    .. math:: EIRP_{RE} = EIRP_{total} - 10 \log_{10}(12 N_{RB}).

    This assumes no reference-signal power boosting. :math:`N_{RB}` is 6, 15, 25, 50, 75, 100
    for 1.4, 3, 5, 10, 15, 20 MHz LTE (TS 36.101 Table 5.6-1).

Example: a 43 dBm (20 W) 10 MHz carrier into an 18 dBi panel with 3 dB feeder loss has
:math:`EIRP_{total} = 58` dBm and :math:`EIRP_{RE} = 58 - 10 \log_{10}(600) = 30.2` dBm.

Thresholds
----------
The default service classes use RSRP levels common in LTE planning: good at or above -105 dBm,
weak at or above -115 dBm, no service below; both are configurable.

References
----------
.. [1] 3GPP TS 36.214, "E-UTRA; Physical layer; Measurements", §5.1.1 (RSRP).
.. [2] 3GPP TS 36.101, "E-UTRA; User Equipment radio transmission and reception", Table 5.6-1.
.. [3] H. Holma, A. Toskala (eds.), "LTE for UMTS", 2nd ed., Wiley, 2011, ch. 11 (link budgets).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

EirpConvention = Literal["per_re", "total"]

LTE_N_RB = {1.4: 6, 3.0: 15, 5.0: 25, 10.0: 50, 15.0: 75, 20.0: 100}
"""Resource blocks per LTE channel bandwidth in MHz (TS 36.101 Table 5.6-1)."""

COVERAGE_NONE, COVERAGE_WEAK, COVERAGE_GOOD = 0, 1, 2
"""Service classes returned by :meth:`ServiceThresholds.classify`."""


@dataclass(frozen=True)
class ServiceThresholds:
    """Received-level thresholds of one service.

    Attributes
    ----------
    good_dbm : float
        Good service at or above this level (default -105 dBm RSRP).
    weak_dbm : float
        Weak service at or above this level (default -115 dBm RSRP).
    """

    good_dbm: float = -105.0
    weak_dbm: float = -115.0

    def __post_init__(self) -> None:
        if not self.good_dbm > self.weak_dbm:
            raise ValueError("good threshold must be above the weak threshold")

    def classify(self, signal_dbm) -> np.ndarray:
        """Service class per value: 2 good, 1 weak, 0 none (NaN = none).

        Parameters
        ----------
        signal_dbm : array_like
            Received levels in dBm.
        """
        s = np.asarray(signal_dbm, dtype=float)
        with np.errstate(invalid="ignore"):
            out = np.where(
                s >= self.good_dbm,
                COVERAGE_GOOD,
                np.where(s >= self.weak_dbm, COVERAGE_WEAK, COVERAGE_NONE),
            )
        return out.astype(np.int8)


DEFAULT_THRESHOLDS = ServiceThresholds()
"""LTE RSRP thresholds: good >= -105 dBm, weak >= -115 dBm."""


def eirp_per_re_dbm(total_eirp_dbm, n_rb: int) -> np.ndarray:
    r"""Convert a total carrier EIRP to EIRP per RE: :math:`EIRP - 10\log_{10}(12 N_{RB})`."""
    if n_rb <= 0:
        raise ValueError("n_rb must be positive")
    return np.asarray(total_eirp_dbm, dtype=float) - 10.0 * np.log10(12.0 * n_rb)


@dataclass(frozen=True)
class LinkBudget:
    """Receiver side of the link budget and the EIRP convention.

    Attributes
    ----------
    eirp_convention : {"per_re", "total"}
        How site EIRPs are to be read (see the module docstring).
    n_rb : int
        Resource blocks of the carrier, used only with ``"total"`` (50 = 10 MHz LTE).
    rx_gain_dbi : float
        Receive antenna gain, dBi.
    other_losses_db : float
        Body, penetration and other losses, dB.
    """

    eirp_convention: EirpConvention = "per_re"
    n_rb: int = 50
    rx_gain_dbi: float = 0.0
    other_losses_db: float = 0.0

    def __post_init__(self) -> None:
        if self.eirp_convention not in ("per_re", "total"):
            raise ValueError("eirp_convention must be 'per_re' or 'total'")
        if self.n_rb <= 0:
            raise ValueError("n_rb must be positive")

    def reference_eirp_dbm(self, eirp_dbm) -> np.ndarray:
        """EIRP per reference-signal RE for a site EIRP given in this convention."""
        if self.eirp_convention == "total":
            return eirp_per_re_dbm(eirp_dbm, self.n_rb)
        return np.asarray(eirp_dbm, dtype=float)

    def received_dbm(self, eirp_dbm, path_loss_db, pattern_attenuation_db=0.0) -> np.ndarray:
        r"""Received RE power :math:`EIRP_{RE} - A - L_p + G_{rx} - L_{other}` in dBm."""
        return (
            self.reference_eirp_dbm(eirp_dbm)
            - np.asarray(pattern_attenuation_db)
            - np.asarray(path_loss_db)
            + self.rx_gain_dbi
            - self.other_losses_db
        )

    def max_path_loss_db(self, eirp_dbm, threshold_dbm: float) -> np.ndarray:
        r"""Largest path loss meeting ``threshold_dbm`` on boresight.

        .. math:: L_{max} = EIRP_{RE} + G_{rx} - L_{other} - P_{threshold}
        """
        return (
            self.reference_eirp_dbm(eirp_dbm)
            + self.rx_gain_dbi
            - self.other_losses_db
            - threshold_dbm
        )
