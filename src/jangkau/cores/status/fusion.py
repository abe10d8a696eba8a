r"""Fuse all evidence about a village into a status per operator and overall.

The rules are numbered as in ``docs/status-engine.md``, which gives the reasons and worked
examples. In short, for each *scope* (one operator, or the village-level evidence whose operator
is unspecified):

R1. No usable evidence: ``unknown``, confidence 0, never shown as covered.
R8. Evidence dated after ``as_of`` is ignored.
R3. Evidence older than ``max_age_days`` is ignored unless the scope has nothing newer.
R2/R3. Each item gets the weight :math:`w_i = R_{r(i)}\,0.5^{a_i/H_{k(i)}}`; the heaviest item
    decides (ties: newer first, then smaller id). A model prediction never decides while the
    scope holds a measurement.
R4. Items of the decider's rank observed within ``conflict_window_days`` of it that disagree by
    more than one step on the scale flag the status for review, and the worst status among
    them is kept.
R5/R7. Confidence grows with agreeing evidence and shrinks with disagreeing evidence:

.. math::

    P = 1 - \prod_{i \in S} (1 - c_{k(i)} d_i)^{n_i}, \qquad
    \text{confidence} = \min\bigl(P, \max_{i \in S} C_{r(i)}\bigr)\,
    \frac{\sum_{i \in S} w_i}{\sum_{i \in S} w_i + \sum_{j \notin S} w_j}

where :math:`S` are the items supporting the decided status, :math:`n_i` their multiplicities
(``Evidence.weight``) and :math:`C_r` the rank ceilings.
R9. ``as_of`` of a status is the date of the newest evidence supporting it.
R6. The overall status is the best status any operator offers, unless village-level evidence
    outweighs it (see :func:`fuse`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from jangkau.cores.status.evidence import Evidence, Rank, Status
from jangkau.cores.status.rules import DEFAULT_PARAMS, FusionParams, age_in_days, decay

__all__ = ["OperatorStatus", "UNKNOWN_STATUS", "VillageStatus", "fuse", "status_changed"]

_VILLAGE_LEVEL = "village-level evidence"


@dataclass(frozen=True)
class OperatorStatus:
    """The fused status for one operator, or for the village overall.

    Attributes
    ----------
    status : Status
        One of the five status codes.
    as_of : datetime.date or None
        Date of the newest evidence supporting ``status``; None when ``unknown``.
    confidence : float
        In [0, 1], rounded to 4 decimals; 0 when ``unknown``.
    decided_by : tuple of str
        Ids of the evidence supporting ``status``, the deciding item first, then by weight
        (heavier first), date (newer first) and id.
    needs_review : bool
        True when recent evidence of the same rank contradicts itself (rule R4).
    review_reason : str or None
        Human-readable explanation naming the conflicting evidence, when ``needs_review``.
    disputed_by : tuple of str
        Ids of evidence that contradicts ``status`` and was set aside by a rule: the
        same-rank recent items with another status (R4) and, overall, the candidates that
        lost (R6). Lower-ranked or older dissent only lowers the confidence.
    """

    status: Status
    as_of: date | None
    confidence: float
    decided_by: tuple[str, ...]
    needs_review: bool = False
    review_reason: str | None = None
    disputed_by: tuple[str, ...] = ()


#: The status of a scope without usable evidence (rule R1).
UNKNOWN_STATUS = OperatorStatus(status=Status.UNKNOWN, as_of=None, confidence=0.0, decided_by=())


@dataclass(frozen=True)
class VillageStatus:
    """The fused status of one village.

    Attributes
    ----------
    overall : OperatorStatus
        The best connectivity available to a villager from any operator (rule R6).
    by_operator : dict of str to OperatorStatus
        One entry per operator named by at least one evidence item, sorted by operator code.
    """

    overall: OperatorStatus
    by_operator: dict[str, OperatorStatus] = field(default_factory=dict)


@dataclass(frozen=True)
class _Scored:
    """An evidence item with its decay factor and decayed weight at the fusion date."""

    evidence: Evidence
    decay: float
    weight: float

    @property
    def key(self) -> tuple[float, int, str]:
        """Sort key: heavier first, then newer, then smaller id."""
        return (-self.weight, -self.evidence.observed_on.toordinal(), self.evidence.id)


@dataclass(frozen=True)
class _Decision:
    """A scope's decision with the internals the overall combination needs."""

    status: Status
    supporters: tuple[_Scored, ...]  # the decider first
    disputed: tuple[_Scored, ...]
    confidence: float
    ceiling: float
    stale: bool
    reason: str | None

    @property
    def decider(self) -> _Scored:
        return self.supporters[0]

    @property
    def as_of(self) -> date:
        return max(item.evidence.observed_on for item in self.supporters)

    @property
    def best_disputed_step(self) -> int:
        return max((item.evidence.status.step for item in self.disputed), default=-1)

    def public(self) -> OperatorStatus:
        return OperatorStatus(
            status=self.status,
            as_of=self.as_of,
            confidence=round(self.confidence, 4),
            decided_by=tuple(item.evidence.id for item in self.supporters),
            needs_review=self.reason is not None,
            review_reason=self.reason,
            disputed_by=tuple(item.evidence.id for item in self.disputed),
        )


def _score(evidence: Evidence, as_of: date, params: FusionParams) -> _Scored:
    factor = decay(age_in_days(evidence, as_of), params.half_life_days[evidence.kind])
    return _Scored(evidence, factor, params.rank_weight[evidence.rank] * factor)


def _outweighs(a: _Scored, b: _Scored) -> bool:
    """Whether ``a`` beats ``b``: a measurement always beats a model prediction, else weight."""
    ranks = (a.evidence.rank, b.evidence.rank)
    if ranks == (Rank.MEASURED, Rank.MODELLED):
        return True
    if ranks == (Rank.MODELLED, Rank.MEASURED):
        return False
    return a.weight > b.weight


def _heaviest(items: Sequence[_Scored]) -> _Scored:
    """The first of ``items`` (in key order) that may decide: a model prediction may not while a
    measurement is among ``items`` (rule R2)."""
    ordered = sorted(items, key=lambda s: s.key)
    if any(item.evidence.rank is Rank.MEASURED for item in ordered):
        return next(item for item in ordered if item.evidence.rank is not Rank.MODELLED)
    return ordered[0]


def _in_conflict(a: _Scored, b: _Scored, params: FusionParams) -> bool:
    """Same rank, observed within the conflict window, more than one step apart (rule R4)."""
    return (
        a.evidence.rank == b.evidence.rank
        and abs((a.evidence.observed_on - b.evidence.observed_on).days)
        <= params.conflict_window_days
        and abs(a.evidence.status.step - b.evidence.status.step) > 1
    )


def _describe(items: Sequence[_Scored]) -> str:
    return ", ".join(
        f"{item.evidence.id} says {item.evidence.status.value} "
        f"({item.evidence.observed_on.isoformat()})"
        for item in items
    )


def _unique_sorted(items: Iterable[_Scored]) -> list[_Scored]:
    """Items without repeats (by evidence id), in :attr:`_Scored.key` order."""
    return sorted({item.evidence.id: item for item in items}.values(), key=lambda s: s.key)


def _confidence(
    supporters: Sequence[_Scored], dissenters: Sequence[_Scored], params: FusionParams
) -> tuple[float, float]:
    """Return (confidence, ceiling) for a decision (rules R5 and R7)."""
    none_true = 1.0
    for item in supporters:
        single = params.item_confidence[item.evidence.kind] * item.decay
        none_true *= (1.0 - single) ** item.evidence.weight
    ceiling = max(params.confidence_ceiling[item.evidence.rank] for item in supporters)
    support = sum(item.weight for item in supporters)
    dissent = sum(item.weight for item in dissenters)
    return min(1.0 - none_true, ceiling) * support / (support + dissent), ceiling


def _decide(items: Sequence[Evidence], as_of: date, params: FusionParams) -> _Decision | None:
    """Decide the status of one scope; None if it has no usable evidence (R1, R8)."""
    usable = [item for item in items if item.observed_on <= as_of]
    if not usable:
        return None
    fresh = [item for item in usable if age_in_days(item, as_of) <= params.max_age_days]
    pool = sorted((_score(item, as_of, params) for item in fresh or usable), key=lambda s: s.key)
    winner = _heaviest(pool)
    window = params.conflict_window_days
    group = [
        item
        for item in pool
        if item.evidence.rank == winner.evidence.rank
        and abs((item.evidence.observed_on - winner.evidence.observed_on).days) <= window
    ]
    steps = [item.evidence.status.step for item in group]
    reason = None
    decider = winner
    if max(steps) - min(steps) > 1:
        decider = next(item for item in group if item.evidence.status.step == min(steps))
        reason = (
            f"{winner.evidence.rank.name.lower()} evidence observed within {window} days "
            f"disagrees by {max(steps) - min(steps)} steps: {_describe(group)}; "
            f"the worse status {decider.evidence.status.value} was kept"
        )
    status = decider.evidence.status
    supporters = [decider] + [i for i in pool if i.evidence.status == status and i is not decider]
    dissenters = [item for item in pool if item.evidence.status != status]
    confidence, ceiling = _confidence(supporters, dissenters, params)
    return _Decision(
        status=status,
        supporters=tuple(supporters),
        disputed=tuple(item for item in group if item.evidence.status != status),
        confidence=confidence,
        ceiling=ceiling,
        stale=not fresh,
        reason=reason,
    )


def _overall(
    village: _Decision | None, operators: Mapping[str, _Decision | None], params: FusionParams
) -> OperatorStatus:
    """Combine the village-level decision and the operators' decisions (rule R6)."""
    candidates: list[tuple[str, _Decision]] = []
    if village is not None:
        candidates.append((_VILLAGE_LEVEL, village))
    candidates += [(name, d) for name, d in operators.items() if d is not None]
    if not candidates:
        return UNKNOWN_STATUS
    if any(not d.stale for _, d in candidates):  # R3 across scopes
        candidates = [(name, d) for name, d in candidates if not d.stale]
    if not any(d is village for _, d in candidates):
        village = None

    survivors: list[tuple[str, _Decision]] = []
    defeated: list[_Decision] = []
    reasons: list[str] = []
    village_defeated = False
    for name, decision in candidates:
        if decision is village:
            continue
        if village is None or decision.status.step <= village.status.step:
            survivors.append((name, decision))  # best-of: a worse operator contradicts nothing
        elif _in_conflict(village.decider, decision.decider, params):
            defeated.append(decision)
            reasons.append(
                f"{_VILLAGE_LEVEL} and operator {name} disagree by "
                f"{decision.status.step - village.status.step} steps: "
                f"{_describe([village.decider, decision.decider])}; "
                f"the worse status {village.status.value} was kept"
            )
        elif _outweighs(decision.decider, village.decider):
            survivors.append((name, decision))
            village_defeated = True
        else:
            defeated.append(decision)
    if village is not None and not village_defeated:
        survivors.append((_VILLAGE_LEVEL, village))

    best = max(d.status.step for _, d in survivors)
    winners = [d for _, d in survivors if d.status.step == best]
    primary = _heaviest([d.decider for d in winners])
    winners.sort(key=lambda d: d.decider is not primary)
    dissenters = [d for d in defeated if d.status.step > best]
    if village_defeated:
        dissenters.append(village)

    inherited = [
        f"{name}: {decision.reason}"
        for name, decision in candidates
        if decision.reason is not None
        and (any(decision is w for w in winners) or decision.best_disputed_step > best)
    ]
    reasons = inherited + reasons

    none_true = 1.0
    for decision in winners:
        none_true *= 1.0 - decision.confidence
    ceiling = max(decision.ceiling for decision in winners)
    support = max(decision.decider.weight for decision in winners)
    dissent = sum(decision.decider.weight for decision in dissenters)
    confidence = min(1.0 - none_true, ceiling) * support / (support + dissent)

    rest = _unique_sorted(i for d in winners for i in d.supporters if i is not primary)
    disputed = _unique_sorted(
        [i for d in winners for i in d.disputed] + [i for d in dissenters for i in d.supporters]
    )
    return OperatorStatus(
        status=winners[0].status,
        as_of=max(decision.as_of for decision in winners),
        confidence=round(confidence, 4),
        decided_by=(primary.evidence.id, *(item.evidence.id for item in rest)),
        needs_review=bool(reasons),
        review_reason="; ".join(reasons) if reasons else None,
        disputed_by=tuple(item.evidence.id for item in disputed),
    )


def fuse(
    evidence: Iterable[Evidence], as_of: date, params: FusionParams = DEFAULT_PARAMS
) -> VillageStatus:
    """Fuse all evidence about one village into a status per operator and overall.

    Parameters
    ----------
    evidence : iterable of Evidence
        Everything known about the village (citizen reports only once approved). Ids must be
        unique. The order does not matter: the result is the same for any permutation.
    as_of : datetime.date
        The date the status is computed for; later evidence is ignored (R8).
    params : FusionParams, optional
        Weights, half-lives, confidences and windows; :data:`~.rules.DEFAULT_PARAMS` by default.

    Returns
    -------
    VillageStatus
        ``by_operator`` fuses each operator's own evidence. ``overall`` combines the
        village-level evidence (operator None) with the operators' statuses: a stale candidate is
        dropped when a fresh one exists; an operator status better than the village-level one
        replaces it only if its deciding item outweighs the village-level deciding item; one
        that is recent, of the same rank and more than one step better is a conflict (flagged,
        the worse status kept); operators never contradict one another, so the overall status is
        the best surviving one.

    Raises
    ------
    TypeError
        If ``as_of`` is not a ``date`` or an item is not an :class:`Evidence`.
    ValueError
        If two items share an id.

    Examples
    --------
    >>> from datetime import date
    >>> from jangkau.cores.status import Evidence, fuse
    >>> report = Evidence("report:7", "citizen_report", date(2026, 5, 1), "4g_good")
    >>> fuse([report], as_of=date(2026, 6, 1)).overall.status.value
    '4g_good'
    >>> fuse([], as_of=date(2026, 6, 1)).overall.status.value
    'unknown'
    """
    if isinstance(as_of, datetime) or not isinstance(as_of, date):
        raise TypeError(f"as_of must be a datetime.date (not a datetime); got {as_of!r}")
    items = list(evidence)
    seen: set[str] = set()
    for item in items:
        if not isinstance(item, Evidence):
            raise TypeError(f"expected Evidence items; got {item!r}")
        if item.id in seen:
            raise ValueError(f"evidence id {item.id!r} occurs more than once")
        seen.add(item.id)

    operators = sorted({item.operator for item in items if item.operator is not None})
    decisions = {
        name: _decide([item for item in items if item.operator == name], as_of, params)
        for name in operators
    }
    village = _decide([item for item in items if item.operator is None], as_of, params)
    return VillageStatus(
        overall=_overall(village, decisions, params),
        by_operator={
            name: d.public() if d is not None else UNKNOWN_STATUS for name, d in decisions.items()
        },
    )


def status_changed(previous: OperatorStatus | None, new: OperatorStatus) -> bool:
    """Whether ``new`` deserves a history row after ``previous``.

    Parameters
    ----------
    previous : OperatorStatus or None
        The last stored status, None if nothing was stored yet.
    new : OperatorStatus
        The freshly fused status.

    Returns
    -------
    bool
        True for the first status, or when the status code or the review flag changed. A new
        as-of date, confidence or list of deciding evidence alone is not a change: storing those
        would add a row for every new speed test that confirms what was known.
    """
    if previous is None:
        return True
    return previous.status != new.status or previous.needs_review != new.needs_review
