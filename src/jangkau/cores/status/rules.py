r"""Parameters of the status fusion and the weight of one piece of evidence.

The weight of evidence :math:`i` at the date ``as_of`` is its rank weight times an exponential
decay in its age:

.. math::

    a_i = \text{as\_of} - \text{observed\_on}_i \quad\text{(whole days)}, \qquad
    d_i = 0.5^{\,a_i / H_{k(i)}}, \qquad
    w_i = R_{r(i)} \, d_i

where :math:`k(i)` is the kind, :math:`r(i)` its rank class, :math:`H_k` the kind's half-life
and :math:`R_r` the rank weight. The defaults and the reasons for them are in
``docs/status-engine.md``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from jangkau.cores.status.evidence import Evidence, Kind, Rank

__all__ = ["DEFAULT_PARAMS", "FusionParams", "age_in_days", "decay", "evidence_weight"]


def _frozen(mapping: Mapping) -> Mapping:
    return MappingProxyType(dict(mapping))


def _default_rank_weight() -> Mapping[Rank, float]:
    return _frozen(
        {
            Rank.MEASURED: 1.0,
            Rank.REPORTED: 0.5,
            Rank.SURVEYED: 0.35,
            Rank.PRIOR: 0.25,
            Rank.MODELLED: 0.2,
        }
    )


def _default_half_life_days() -> Mapping[Kind, float]:
    return _frozen(
        {
            Kind.SPEEDTEST: 180.0,
            Kind.SIGNAL_READING: 180.0,
            Kind.CITIZEN_REPORT: 90.0,
            Kind.VILLAGE_SURVEY: 365.0,
            Kind.PRIOR_LIST: 365.0,
            Kind.MODEL_PREDICTION: 365.0,
        }
    )


def _default_item_confidence() -> Mapping[Kind, float]:
    return _frozen(
        {
            Kind.SPEEDTEST: 0.6,
            Kind.SIGNAL_READING: 0.6,
            Kind.CITIZEN_REPORT: 0.3,
            Kind.VILLAGE_SURVEY: 0.4,
            Kind.PRIOR_LIST: 0.3,
            Kind.MODEL_PREDICTION: 0.2,
        }
    )


def _default_confidence_ceiling() -> Mapping[Rank, float]:
    return _frozen(
        {
            Rank.MEASURED: 0.95,
            Rank.REPORTED: 0.7,
            Rank.SURVEYED: 0.6,
            Rank.PRIOR: 0.4,
            Rank.MODELLED: 0.3,
        }
    )


def _checked_mapping(mapping: Mapping, keys: type, name: str) -> Mapping:
    """Return ``mapping`` re-keyed by members of ``keys``; every member must have a value."""
    converted = {}
    for key, value in mapping.items():
        try:
            member = keys(key)
        except ValueError:
            raise ValueError(f"{name} has an unknown key {key!r}") from None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise ValueError(f"{name}[{member.name}] must be a finite number; got {value!r}")
        converted[member] = float(value)
    missing = [member.name for member in keys if member not in converted]
    if missing:
        raise ValueError(f"{name} lacks a value for {', '.join(missing)}")
    return _frozen(converted)


@dataclass(frozen=True)
class FusionParams:
    """Tunable parameters of the fusion; every field is documented in ``docs/status-engine.md``.

    Parameters
    ----------
    rank_weight : Mapping[Rank, float]
        :math:`R_r`, the weight of fresh evidence of each rank class; must be positive and
        strictly increasing with the rank (defaults: measured 1.0, reported 0.5, surveyed 0.35,
        prior 0.25, modelled 0.2).
    half_life_days : Mapping[Kind, float]
        :math:`H_k`, the age in days at which evidence of a kind has lost half its weight
        (defaults: measurements 180, citizen reports 90, surveys, prior lists and model
        predictions 365).
    item_confidence : Mapping[Kind, float]
        :math:`c_k`, the confidence one fresh observation of a kind gives on its own, in (0, 1)
        (defaults: measurements 0.6, citizen report 0.3, survey 0.4, prior list 0.3, model 0.2).
    confidence_ceiling : Mapping[Rank, float]
        Upper bound of the confidence reachable from supporters of a rank class, in (0, 1]
        (defaults: measured 0.95, reported 0.7, surveyed 0.6, prior 0.4, modelled 0.3).
    max_age_days : int, default 1095
        Evidence older than this (three years) is ignored unless nothing newer exists.
    conflict_window_days : int, default 90
        Two items of the same rank observed at most this many days apart are "recent" to each
        other; if they disagree by more than one step the status is flagged for review.

    Raises
    ------
    ValueError
        If a mapping lacks a key or a value is out of range.
    """

    rank_weight: Mapping[Rank, float] = field(default_factory=_default_rank_weight)
    half_life_days: Mapping[Kind, float] = field(default_factory=_default_half_life_days)
    item_confidence: Mapping[Kind, float] = field(default_factory=_default_item_confidence)
    confidence_ceiling: Mapping[Rank, float] = field(default_factory=_default_confidence_ceiling)
    max_age_days: int = 1095
    conflict_window_days: int = 90

    def __post_init__(self) -> None:
        rank_weight = _checked_mapping(self.rank_weight, Rank, "rank_weight")
        half_life = _checked_mapping(self.half_life_days, Kind, "half_life_days")
        item_confidence = _checked_mapping(self.item_confidence, Kind, "item_confidence")
        ceiling = _checked_mapping(self.confidence_ceiling, Rank, "confidence_ceiling")
        ordered = sorted(Rank)
        for lower, higher in zip(ordered, ordered[1:], strict=False):
            if not 0 < rank_weight[lower] < rank_weight[higher]:
                raise ValueError(
                    "rank_weight must be positive and strictly increasing with the rank; "
                    f"{lower.name}={rank_weight[lower]} vs {higher.name}={rank_weight[higher]}"
                )
        for kind, value in half_life.items():
            if value <= 0:
                raise ValueError(f"half_life_days[{kind.value}] must be > 0; got {value}")
        for kind, value in item_confidence.items():
            if not 0 < value < 1:
                raise ValueError(f"item_confidence[{kind.value}] must be in (0, 1); got {value}")
        for rank, value in ceiling.items():
            if not 0 < value <= 1:
                raise ValueError(f"confidence_ceiling[{rank.name}] must be in (0, 1]; got {value}")
        for name in ("max_age_days", "conflict_window_days"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be an integer >= 0; got {value!r}")
        object.__setattr__(self, "rank_weight", rank_weight)
        object.__setattr__(self, "half_life_days", half_life)
        object.__setattr__(self, "item_confidence", item_confidence)
        object.__setattr__(self, "confidence_ceiling", ceiling)


DEFAULT_PARAMS = FusionParams()


def age_in_days(evidence: Evidence, as_of: date) -> int:
    """Whole days from ``evidence.observed_on`` to ``as_of`` (negative if future-dated)."""
    return (as_of - evidence.observed_on).days


def decay(age_days: float, half_life_days: float) -> float:
    r"""Exponential decay factor :math:`0.5^{a/H}` of evidence ``age_days`` old.

    Parameters
    ----------
    age_days : float
        Age :math:`a` in days, >= 0.
    half_life_days : float
        Half-life :math:`H` in days, > 0.

    Returns
    -------
    float
        A factor in (0, 1]; 1 for evidence observed on the as-of date.

    Examples
    --------
    >>> decay(180, 180)
    0.5
    """
    if age_days < 0:
        raise ValueError(f"age_days must be >= 0; got {age_days}")
    return 0.5 ** (age_days / half_life_days)


def evidence_weight(
    evidence: Evidence, as_of: date, params: FusionParams = DEFAULT_PARAMS
) -> float:
    r"""Decayed weight :math:`w_i = R_{r(i)}\,0.5^{a_i/H_{k(i)}}` of one item at ``as_of``.

    Parameters
    ----------
    evidence : Evidence
        The item; it must not be dated after ``as_of``.
    as_of : datetime.date
        The date the status is computed for.
    params : FusionParams, optional
        Rank weights and half-lives.

    Returns
    -------
    float
        The weight used to decide which evidence wins.

    Raises
    ------
    ValueError
        If the evidence is dated after ``as_of``.
    """
    age = age_in_days(evidence, as_of)
    if age < 0:
        raise ValueError(f"evidence {evidence.id!r} is dated after {as_of.isoformat()}")
    return params.rank_weight[evidence.rank] * decay(age, params.half_life_days[evidence.kind])
