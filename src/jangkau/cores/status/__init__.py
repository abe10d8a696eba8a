"""Connectivity status engine: fuse all evidence about a village into a status.

A pure core (no Django): :class:`Evidence` in, :class:`VillageStatus` out. The rules, their
parameters and worked examples are in ``docs/status-engine.md``.

Modules
-------
evidence
    The status scale (:class:`Status`), kinds and ranks of evidence, the :class:`Evidence` record.
mappers
    Raw values (RSRP, Mbps, citizen answers, Podes categories, blank-spot lists) to a status.
rules
    :class:`FusionParams` (rank weights, half-lives, confidences, windows) and evidence weights.
fusion
    :func:`fuse`, :class:`OperatorStatus`, :class:`VillageStatus`, :func:`status_changed`.
"""

from jangkau.cores.status.evidence import KIND_RANK, Evidence, Kind, Rank, Status
from jangkau.cores.status.fusion import (
    UNKNOWN_STATUS,
    OperatorStatus,
    VillageStatus,
    fuse,
    status_changed,
)
from jangkau.cores.status.mappers import (
    status_from_blank_spot,
    status_from_citizen_answer,
    status_from_podes,
    status_from_signal,
    status_from_speedtest,
)
from jangkau.cores.status.rules import DEFAULT_PARAMS, FusionParams, decay, evidence_weight

__all__ = [
    "DEFAULT_PARAMS",
    "KIND_RANK",
    "UNKNOWN_STATUS",
    "Evidence",
    "FusionParams",
    "Kind",
    "OperatorStatus",
    "Rank",
    "Status",
    "VillageStatus",
    "decay",
    "evidence_weight",
    "fuse",
    "status_changed",
    "status_from_blank_spot",
    "status_from_citizen_answer",
    "status_from_podes",
    "status_from_signal",
    "status_from_speedtest",
]
