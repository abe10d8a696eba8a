"""Evidence about a village's connectivity: the status scale, the kinds of evidence and their ranks.

Everything here is plain data. The rules that turn a set of :class:`Evidence` into a status live
in :mod:`jangkau.cores.status.rules` (parameters) and :mod:`jangkau.cores.status.fusion` (the
decision); the conversions from raw values (dBm, Mbps, survey answers) live in
:mod:`jangkau.cores.status.mappers`. The rules are explained in ``docs/status-engine.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from enum import IntEnum, StrEnum

__all__ = ["Evidence", "KIND_RANK", "Kind", "Rank", "Status"]


class Status(StrEnum):
    """Connectivity status of a village, for one operator or overall.

    The four observable statuses form an ordered scale of service,
    ``no_signal < 2g_3g_only < 4g_weak < 4g_good`` (see :attr:`step`). ``unknown`` is not on the
    scale: it means "no usable evidence" and is never treated as covered.
    """

    NO_SIGNAL = "no_signal"
    ONLY_2G_3G = "2g_3g_only"
    WEAK_4G = "4g_weak"
    GOOD_4G = "4g_good"
    UNKNOWN = "unknown"

    @property
    def step(self) -> int | None:
        """Position on the ordered scale (0 = ``no_signal`` … 3 = ``4g_good``), None if unknown."""
        return _STEPS.get(self)


_STEPS: dict[Status, int] = {
    Status.NO_SIGNAL: 0,
    Status.ONLY_2G_3G: 1,
    Status.WEAK_4G: 2,
    Status.GOOD_4G: 3,
}


class Kind(StrEnum):
    """Kind of evidence, i.e. how the status was obtained."""

    SPEEDTEST = "speedtest"
    SIGNAL_READING = "signal_reading"
    CITIZEN_REPORT = "citizen_report"
    VILLAGE_SURVEY = "village_survey"
    PRIOR_LIST = "prior_list"
    MODEL_PREDICTION = "model_prediction"


class Rank(IntEnum):
    """Rank class of a kind of evidence; a larger value ranks higher.

    ``measured > reported > surveyed > prior > modelled``. A model prediction ranks below every
    observation, including a prior list: a prior list records what people on the ground saw, a
    model prediction is an inference from tower positions (see ``docs/status-engine.md``).
    """

    MODELLED = 1
    PRIOR = 2
    SURVEYED = 3
    REPORTED = 4
    MEASURED = 5


KIND_RANK: dict[Kind, Rank] = {
    Kind.SPEEDTEST: Rank.MEASURED,
    Kind.SIGNAL_READING: Rank.MEASURED,
    Kind.CITIZEN_REPORT: Rank.REPORTED,
    Kind.VILLAGE_SURVEY: Rank.SURVEYED,
    Kind.PRIOR_LIST: Rank.PRIOR,
    Kind.MODEL_PREDICTION: Rank.MODELLED,
}


def _coerce(enum_cls: type[StrEnum], value: object, field_name: str) -> StrEnum:
    """Return ``value`` as a member of ``enum_cls``, or raise a ValueError naming the choices."""
    try:
        return enum_cls(value)
    except ValueError:
        choices = ", ".join(member.value for member in enum_cls)
        raise ValueError(f"{field_name} must be one of {choices}; got {value!r}") from None


@dataclass(frozen=True, slots=True)
class Evidence:
    """One piece of evidence about one village's connectivity.

    Parameters
    ----------
    id : str
        Identifier, unique among the evidence passed to one :func:`~.fusion.fuse` call (e.g.
        ``"speedtest:1234"``). It is what ``decided_by`` lists and the last tie-breaker.
    kind : Kind or str
        How the status was obtained; its :class:`Rank` follows from :data:`KIND_RANK`.
    observed_on : datetime.date
        When the evidence was observed (for an aggregate such as an Ookla quarter, the last day
        of the period; for a model prediction, the date of its input tower inventory, not the
        run date). A ``datetime`` is refused so that ages are whole days.
    status : Status or str
        The status the evidence supports, already mapped from raw values (see
        :mod:`~.mappers`). ``unknown`` is refused: evidence that says nothing is left out.
    operator : str or None, default None
        Operator the evidence is about, as a canonical code chosen by the caller (e.g.
        ``"telkomsel"``); None means "any / unspecified operator" (village-level evidence).
    source : str, default ""
        Free text naming the source, for display.
    weight : float, default 1.0
        Multiplicity :math:`n_i`: how many independent observations the item stands for (e.g. the
        devices in an Ookla tile, identical reports merged by the caller); > 0, may be
        fractional. It raises the confidence (rule R5) but not the item's decayed weight, so it
        never changes which item decides.

    Raises
    ------
    ValueError
        If a field has a value outside its vocabulary or range.
    TypeError
        If ``observed_on`` is not a ``date`` or a text/number field has the wrong type.

    Notes
    -----
    Citizen reports must be passed only once a moderator approved them; the engine cannot tell.
    """

    id: str
    kind: Kind
    observed_on: date
    status: Status
    operator: str | None = None
    source: str = ""
    weight: float = 1.0

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise ValueError(f"id must be a non-empty string; got {self.id!r}")
        object.__setattr__(self, "kind", _coerce(Kind, self.kind, "kind"))
        object.__setattr__(self, "status", _coerce(Status, self.status, "status"))
        if self.status is Status.UNKNOWN:
            raise ValueError(
                f"evidence {self.id!r} has status 'unknown': evidence that says nothing must be "
                "left out, not passed in"
            )
        if isinstance(self.observed_on, datetime) or not isinstance(self.observed_on, date):
            raise TypeError(
                f"observed_on of {self.id!r} must be a datetime.date (not a datetime); "
                f"got {self.observed_on!r}"
            )
        if self.operator is not None and (not isinstance(self.operator, str) or not self.operator):
            raise ValueError(
                f"operator of {self.id!r} must be a non-empty string or None; got {self.operator!r}"
            )
        if not isinstance(self.source, str):
            raise TypeError(f"source of {self.id!r} must be a string; got {self.source!r}")
        weight = self.weight
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not weight > 0:
            raise ValueError(f"weight of {self.id!r} must be a number > 0; got {weight!r}")
        if not math.isfinite(weight):
            raise ValueError(f"weight of {self.id!r} must be finite; got {weight!r}")
        object.__setattr__(self, "weight", float(weight))

    @property
    def rank(self) -> Rank:
        """Rank class of this evidence's kind."""
        return KIND_RANK[self.kind]
