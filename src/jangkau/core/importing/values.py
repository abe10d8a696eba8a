"""Clean one raw value (text from a CSV, or a typed value from GeoJSON/Parquet) by its column.

:func:`clean_value` returns the Python value or raises :class:`ValueProblem` with a message for
the user; the caller adds the row number and column. Accepted spellings are listed in
``docs/importing.md`` ("Values").
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from jangkau.core.importing.spec import Column

#: a date or time this far after "now" is still accepted (clock skew of phones), seconds.
FUTURE_SLACK = timedelta(minutes=10)

TRUE_WORDS = frozenset({"1", "true", "t", "yes", "y", "ya", "benar"})
FALSE_WORDS = frozenset({"0", "false", "f", "no", "n", "tidak", "salah"})

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_VILLAGE_DOTTED = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")
_VILLAGE_DIGITS = re.compile(r"^\d{10}$")


class ValueProblem(ValueError):
    """A value that does not fit its column; the message is shown to the user."""


def is_blank(raw: Any) -> bool:
    """None, empty or white-space text, or a NaN number (a missing value in Parquet/GDAL)."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, float):
        return math.isnan(raw)
    return False


def _shown(raw: Any) -> str:
    text = str(raw)
    return text if len(text) <= 60 else text[:57] + "..."


def _number_problem(raw: Any, whole: bool) -> ValueProblem:
    text = str(raw).strip()
    if "," in text and "." not in text:
        return ValueProblem(
            _("'%(value)s' is not a number (use a dot as the decimal separator)")
            % {"value": _shown(raw)}
        )
    if whole:
        return ValueProblem(_("'%(value)s' is not a whole number") % {"value": _shown(raw)})
    return ValueProblem(_("'%(value)s' is not a number") % {"value": _shown(raw)})


def _range(column: Column, value: float) -> None:
    if column.min is not None and value < column.min:
        raise ValueProblem(
            _("%(value)s is below the minimum %(min)s") % {"value": value, "min": _fmt(column.min)}
        )
    if column.max is not None and value > column.max:
        raise ValueProblem(
            _("%(value)s is above the maximum %(max)s") % {"value": value, "max": _fmt(column.max)}
        )


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def parse_float(raw: Any) -> float:
    """A finite float from a number or text, else ValueProblem."""
    if isinstance(raw, bool):
        raise _number_problem(raw, whole=False)
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        try:
            value = float(str(raw).strip())
        except ValueError:
            raise _number_problem(raw, whole=False) from None
    if not math.isfinite(value):
        raise ValueProblem(_("'%(value)s' is not a finite number") % {"value": _shown(raw)})
    return value


def parse_int(raw: Any) -> int:
    """An integer from an int, an integral float or text such as ``12`` or ``12.0``."""
    if isinstance(raw, bool):
        raise _number_problem(raw, whole=True)
    if isinstance(raw, int):
        return raw
    try:
        value = parse_float(raw)
    except ValueProblem:
        raise _number_problem(raw, whole=True) from None
    if not value.is_integer():
        raise _number_problem(raw, whole=True)
    return int(value)


def parse_date(raw: Any) -> date:
    """A date from a date, a datetime (its local date) or text ``YYYY-MM-DD``/``DD/MM/YYYY``."""
    if isinstance(raw, datetime):
        return _aware(raw).astimezone(timezone.get_default_timezone()).date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    match = _DMY.match(text)
    if match and match.group(4) is None:
        day, month, year = (int(g) for g in match.group(1, 2, 3))
        try:
            return date(year, month, day)
        except ValueError:
            pass
    try:  # an ISO date and time: its local date
        return (
            _aware(datetime.fromisoformat(text)).astimezone(timezone.get_default_timezone()).date()
        )
    except ValueError:
        pass
    raise ValueProblem(
        _("'%(value)s' is not a date (write YYYY-MM-DD, e.g. 2024-10-01)") % {"value": _shown(raw)}
    )


def parse_datetime(raw: Any) -> datetime:
    """An aware datetime in UTC. Text is ISO 8601 (``2024-10-01T14:30:00+08:00``, ``...Z``)
    or ``DD/MM/YYYY HH:MM``; without an offset the time is local (``JANGKAU_TIME_ZONE``)."""
    if isinstance(raw, datetime):
        return _aware(raw).astimezone(UTC)
    if isinstance(raw, date):
        raise ValueProblem(
            _("'%(value)s' has no time of day (write e.g. 2024-10-01T14:30:00+08:00)")
            % {"value": _shown(raw)}
        )
    text = str(raw).strip()
    if _date_only(text):
        raise ValueProblem(
            _("'%(value)s' has no time of day (write e.g. 2024-10-01T14:30:00+08:00)")
            % {"value": _shown(raw)}
        )
    value = None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        match = _DMY.match(text)
        if match and match.group(4) is not None:
            day, month, year, hour, minute = (int(g) for g in match.group(1, 2, 3, 4, 5))
            second = int(match.group(6) or 0)
            try:
                value = datetime(year, month, day, hour, minute, second)
            except ValueError:
                value = None
    if value is None:
        raise ValueProblem(
            _("'%(value)s' is not a date and time (write e.g. 2024-10-01T14:30:00+08:00)")
            % {"value": _shown(raw)}
        )
    return _aware(value).astimezone(UTC)


def _date_only(text: str) -> bool:
    try:
        date.fromisoformat(text)
        return True
    except ValueError:
        match = _DMY.match(text)
        return bool(match and match.group(4) is None)


def _aware(value: datetime) -> datetime:
    if timezone.is_naive(value):
        return timezone.make_aware(value, timezone.get_default_timezone())
    return value


def parse_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    text = str(raw).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueProblem(
        _("'%(value)s' is not yes/no (write true or false, ya or tidak, 1 or 0)")
        % {"value": _shown(raw)}
    )


def normalise_village_code(raw: Any) -> str:
    """``64.08.01.2001`` (also accepted without dots: ``6408012001``), else ValueProblem."""
    text = str(raw).strip()
    if isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    if _VILLAGE_DOTTED.match(text):
        return text
    if _VILLAGE_DIGITS.match(text):
        return f"{text[0:2]}.{text[2:4]}.{text[4:6]}.{text[6:10]}"
    raise ValueProblem(
        _("'%(value)s' is not a village code (write NN.NN.NN.NNNN, e.g. 64.08.01.2001)")
        % {"value": _shown(raw)}
    )


def clean_value(column: Column, raw: Any, *, ctx=None) -> Any:
    """The clean value of ``raw`` for ``column`` (None for a blank optional value).

    Raises
    ------
    ValueProblem
        With a message for the user (the caller adds row and column).
    """
    if is_blank(raw):
        if column.required:
            raise ValueProblem(_("a value is required"))
        return None
    kind = column.type
    if kind == "str":
        value = str(raw).strip()
        if column.max_length is not None and len(value) > column.max_length:
            raise ValueProblem(
                _("is %(length)d characters long; at most %(max)d are allowed")
                % {"length": len(value), "max": column.max_length}
            )
        return value
    if kind == "int":
        value = parse_int(raw)
        _range(column, value)
        return value
    if kind == "float":
        value = parse_float(raw)
        _range(column, value)
        return value
    if kind == "bool":
        return parse_bool(raw)
    if kind == "choice":
        text = str(raw).strip()
        lowered = {c.lower(): c for c in column.choices}
        if text.lower() not in lowered:
            raise ValueProblem(
                _("'%(value)s' is not one of: %(choices)s")
                % {"value": _shown(raw), "choices": ", ".join(column.choices)}
            )
        return lowered[text.lower()]
    if kind == "date":
        value = parse_date(raw)
        today = timezone.localdate(ctx.now) if ctx is not None else timezone.localdate()
        if column.not_future and value > today:
            raise ValueProblem(
                _("%(value)s is in the future (today is %(today)s)")
                % {"value": value.isoformat(), "today": today.isoformat()}
            )
        return value
    if kind == "datetime":
        value = parse_datetime(raw)
        now = ctx.now if ctx is not None else timezone.now()
        if column.not_future and value > now + FUTURE_SLACK:
            raise ValueProblem(
                _("%(value)s is in the future") % {"value": timezone.localtime(value).isoformat()}
            )
        return value
    if kind == "village_code":
        code = normalise_village_code(raw)
        if ctx is not None and ctx.village(code) is None:
            raise ValueProblem(
                _("village code '%(code)s' does not exist in regency %(regency)s")
                % {"code": code, "regency": ctx.regency_code}
            )
        return code
    raise ValueProblem(f"unsupported column type {kind!r}")  # Column refuses unknown types
