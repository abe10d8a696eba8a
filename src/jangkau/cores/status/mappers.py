"""Map raw observations (dBm, Mbps, answers, survey categories) to a :class:`Status`.

Every mapper refuses values outside its vocabulary with a ValueError naming what it accepts, so an
importer can report the bad row instead of storing a guess. Thresholds and their sources are
listed in ``docs/status-engine.md`` ("Mappers").
"""

from __future__ import annotations

import math
import re

from jangkau.cores.status.evidence import Status

__all__ = [
    "CITIZEN_ANSWERS",
    "PODES_INTERNET_SIGNAL",
    "PODES_PHONE_SIGNAL",
    "RSRP_GOOD_DBM",
    "RSRP_WEAK_DBM",
    "SPEED_GOOD_MBPS",
    "SPEED_WEAK_MBPS",
    "status_from_blank_spot",
    "status_from_citizen_answer",
    "status_from_podes",
    "status_from_signal",
    "status_from_speedtest",
]

#: RSRP at or above which a 4G/5G reading is ``4g_good`` (project default, dBm).
RSRP_GOOD_DBM = -105.0
#: RSRP at or above which a 4G/5G reading is ``4g_weak``; below it, no usable signal (dBm).
RSRP_WEAK_DBM = -115.0
#: Reporting range of RSRP / SS-RSRP (3GPP TS 38.133); a value outside it is not an RSRP.
_RSRP_RANGE_DBM = (-156.0, -31.0)

#: Download speed at or above which a test is ``4g_good`` (ITU U4SSC KPI A1.1.6, 10 Mbit/s).
SPEED_GOOD_MBPS = 10.0
#: Download speed at or above which a test of unknown technology is ``4g_weak`` (FCC BDC 4G 5/1).
SPEED_WEAK_MBPS = 5.0

_TECH_4G = frozenset({"4g", "lte", "lte-a", "lte+", "5g", "nr", "5g nr"})
_TECH_2G_3G = frozenset(
    {
        "2g", "gsm", "gprs", "edge", "2.5g", "3g", "umts", "wcdma", "hspa", "hspa+", "hsdpa",
        "hsupa", "h", "h+", "evdo", "cdma",
    }
)  # fmt: skip
_TECH_NONE = frozenset({"none", "no_service", "no service"})

#: Citizen report answers, in the order of the scale.
CITIZEN_ANSWERS: dict[str, Status] = {
    "none": Status.NO_SIGNAL,
    "calls_only": Status.ONLY_2G_3G,
    "slow_internet": Status.WEAK_4G,
    "good_internet": Status.GOOD_4G,
}

#: Podes R1005C / 904c "Sinyal telepon seluler di sebagian besar wilayah desa/kelurahan"
#: (labels from shared/data/raw/frameworks/podes_telecom_variables.csv), normalised, to the
#: strength they report; None means no phone signal.
PODES_PHONE_SIGNAL: dict[str, str | None] = {
    "sinyal sangat kuat": "strong",
    "sinyal kuat": "strong",
    "sinyal lemah": "weak",
    "tidak ada sinyal": None,
}

#: Podes R1005D / 904d "Sinyal internet telepon seluler di sebagian besar wilayah" categories
#: (same CSV), normalised, to a technology class. Codes 1-4 follow the order inferred from a
#: Stata script (the CSV's caveat); older forms say "4G/LTE" instead of "5G/4G/LTE".
PODES_INTERNET_SIGNAL: dict[str, str | None] = {
    "5g/4g/lte": "4g",
    "4g/lte": "4g",
    "3g/h/h+/evdo": "2g_3g",
    "2.5g/e/gprs": "2g_3g",
    "tidak ada sinyal internet": None,
}
_PODES_INTERNET_CODES = {
    1: "5g/4g/lte",
    2: "3g/h/h+/evdo",
    3: "2.5g/e/gprs",
    4: "tidak ada sinyal internet",
}


def _normalise(label: str) -> str:
    """Lower-case, collapse white space and drop spaces around slashes."""
    text = re.sub(r"\s+", " ", label.strip().lower())
    return re.sub(r"\s*/\s*", "/", text)


def _technology(technology: str) -> str:
    """Return "4g", "2g_3g" or "none" for a radio technology name, else raise ValueError."""
    if not isinstance(technology, str):
        raise ValueError(f"technology must be a string; got {technology!r}")
    name = _normalise(technology)
    if name in _TECH_4G:
        return "4g"
    if name in _TECH_2G_3G:
        return "2g_3g"
    if name in _TECH_NONE:
        return "none"
    known = ", ".join(sorted(_TECH_4G | _TECH_2G_3G | _TECH_NONE))
    raise ValueError(f"unknown radio technology {technology!r}; known: {known}")


def _finite(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number; got {value!r}")
    return float(value)


def status_from_signal(
    technology: str,
    rsrp_dbm: float | None = None,
    *,
    good_dbm: float = RSRP_GOOD_DBM,
    weak_dbm: float = RSRP_WEAK_DBM,
) -> Status:
    """Status of a signal reading (a phone or drive-test measurement).

    Parameters
    ----------
    technology : str
        Radio technology the device was on: 4G/5G (``"LTE"``, ``"4G"``, ``"5G"``, ``"NR"`` …),
        2G/3G (``"GSM"``, ``"EDGE"``, ``"UMTS"``, ``"HSPA+"``, ``"EVDO"`` …) or ``"none"``.
    rsrp_dbm : float, optional
        Reference Signal Received Power in dBm, for 4G/5G readings.
    good_dbm, weak_dbm : float
        Thresholds, default -105 and -115 dBm (the project's defaults).

    Returns
    -------
    Status
        4G/5G: ``4g_good`` if RSRP >= ``good_dbm``, ``4g_weak`` if RSRP >= ``weak_dbm``,
        ``no_signal`` below (no usable signal; whether 2G/3G is available was not observed), and
        ``4g_weak`` if no RSRP was recorded (4G present, strength unknown: never claim "good"
        without evidence of strength). 2G/3G: ``2g_3g_only`` whatever the RSRP. ``"none"``:
        ``no_signal``.

    Raises
    ------
    ValueError
        For an unknown technology, an RSRP outside the 3GPP reporting range (-156 to -31 dBm,
        e.g. an RSSI or a positive number) or thresholds in the wrong order.
    """
    if good_dbm <= weak_dbm:
        raise ValueError(f"good_dbm ({good_dbm}) must be above weak_dbm ({weak_dbm})")
    tech = _technology(technology)
    if tech == "none":
        return Status.NO_SIGNAL
    if tech == "2g_3g":
        return Status.ONLY_2G_3G
    if rsrp_dbm is None:
        return Status.WEAK_4G
    rsrp = _finite(rsrp_dbm, "rsrp_dbm")
    low, high = _RSRP_RANGE_DBM
    if not low <= rsrp <= high:
        raise ValueError(f"rsrp_dbm {rsrp} is outside the RSRP reporting range {low}..{high} dBm")
    if rsrp >= good_dbm:
        return Status.GOOD_4G
    if rsrp >= weak_dbm:
        return Status.WEAK_4G
    return Status.NO_SIGNAL


def status_from_speedtest(
    download_mbps: float,
    technology: str | None = None,
    *,
    good_mbps: float = SPEED_GOOD_MBPS,
    weak_mbps: float = SPEED_WEAK_MBPS,
) -> Status:
    """Status of a speed test (one test or an aggregate such as an Ookla tile average).

    Parameters
    ----------
    download_mbps : float
        Download throughput in Mbit/s (Ookla's ``avg_d_kbps`` / 1000).
    technology : str, optional
        Radio technology if the test recorded it (see :func:`status_from_signal`).
    good_mbps, weak_mbps : float
        Thresholds, default 10 Mbit/s (ITU U4SSC KPI A1.1.6 "mobile broadband >= 10 Mbit/s") and
        5 Mbit/s (FCC BDC 4G LTE coverage speed, 5/1 Mbit/s).

    Returns
    -------
    Status
        Technology 2G/3G: ``2g_3g_only``; ``"none"``: ``no_signal``. Technology 4G/5G:
        ``4g_good`` at >= ``good_mbps``, else ``4g_weak``. Technology unknown: ``4g_good`` at
        >= ``good_mbps``, ``4g_weak`` at >= ``weak_mbps``, ``2g_3g_only`` above 0 (data flows,
        but no faster than 3G-class service), ``no_signal`` at 0 (no data moved).

    Raises
    ------
    ValueError
        For a negative or non-finite speed, an unknown technology or thresholds in the wrong
        order.
    """
    if not 0 < weak_mbps < good_mbps:
        raise ValueError(f"need 0 < weak_mbps ({weak_mbps}) < good_mbps ({good_mbps})")
    speed = _finite(download_mbps, "download_mbps")
    if speed < 0:
        raise ValueError(f"download_mbps must be >= 0; got {speed}")
    if technology is not None:
        tech = _technology(technology)
        if tech == "none":
            return Status.NO_SIGNAL
        if tech == "2g_3g":
            return Status.ONLY_2G_3G
        return Status.GOOD_4G if speed >= good_mbps else Status.WEAK_4G
    if speed >= good_mbps:
        return Status.GOOD_4G
    if speed >= weak_mbps:
        return Status.WEAK_4G
    if speed > 0:
        return Status.ONLY_2G_3G
    return Status.NO_SIGNAL


def status_from_citizen_answer(answer: str) -> Status:
    """Status of an (approved) citizen report.

    Parameters
    ----------
    answer : str
        ``"none"``, ``"calls_only"``, ``"slow_internet"`` or ``"good_internet"``.

    Returns
    -------
    Status
        The answers map one-to-one, in order, onto the scale: ``no_signal``, ``2g_3g_only``,
        ``4g_weak``, ``4g_good``. The mapping is about the service a villager gets, not the
        technology (which a villager cannot be expected to know).

    Raises
    ------
    ValueError
        For any other answer.
    """
    key = _normalise(answer) if isinstance(answer, str) else answer
    try:
        return CITIZEN_ANSWERS[key]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown citizen answer {answer!r}; expected one of {', '.join(CITIZEN_ANSWERS)}"
        ) from None


def _podes_phone(label: str | None) -> str | None | bool:
    """Return "strong", "weak", None (no signal) or False (item not answered)."""
    if label is None:
        return False
    key = _normalise(label) if isinstance(label, str) else label
    if key not in PODES_PHONE_SIGNAL:
        raise ValueError(
            f"unknown Podes phone-signal category {label!r}; expected one of "
            + ", ".join(repr(k) for k in PODES_PHONE_SIGNAL)
        )
    return PODES_PHONE_SIGNAL[key]


def _podes_internet(label: str | int | None) -> str | None | bool:
    """Return "4g", "2g_3g", None (no internet signal) or False (item not answered)."""
    if label is None:
        return False
    key: object = label
    if isinstance(label, str) and label.strip().isdigit():
        key = int(label.strip())
    if isinstance(key, int) and not isinstance(key, bool):
        if key not in _PODES_INTERNET_CODES:
            raise ValueError(f"unknown Podes internet-signal code {label!r}; expected 1-4")
        key = _PODES_INTERNET_CODES[key]
    elif isinstance(key, str):
        key = _normalise(key)
    if key not in PODES_INTERNET_SIGNAL:
        raise ValueError(
            f"unknown Podes internet-signal category {label!r}; expected a code 1-4 or one of "
            + ", ".join(repr(k) for k in PODES_INTERNET_SIGNAL)
        )
    return PODES_INTERNET_SIGNAL[key]


def status_from_podes(phone_signal: str | None, internet_signal: str | int | None) -> Status:
    """Status of a BPS Podes village survey record (items R1005C and R1005D, or 904c/904d).

    Parameters
    ----------
    phone_signal : str or None
        R1005C answer: ``"Sinyal sangat kuat"``, ``"Sinyal kuat"``, ``"Sinyal lemah"`` or
        ``"Tidak ada sinyal"`` (case and spacing are ignored); None if not answered.
    internet_signal : str, int or None
        R1005D answer: ``"5G/4G/LTE"`` (or the older ``"4G/LTE"``), ``"3G/H/H+/EVDO"``,
        ``"2.5G/E/GPRS"``, ``"Tidak ada sinyal internet"``, or its code 1-4; None if not
        answered.

    Returns
    -------
    Status
        Internet 5G/4G/LTE: ``4g_good`` with a (very) strong phone signal, else ``4g_weak``
        (weak or not answered: never "good" without evidence of strength). Internet 3G or
        2.5G: ``2g_3g_only``. No internet signal, or internet not answered: ``2g_3g_only`` if
        there is a phone signal (calls only), ``no_signal`` if there is none or it was not
        answered. The full table is in ``docs/status-engine.md``.

    Raises
    ------
    ValueError
        For an unknown category, both items missing, or a contradictory record (no phone signal
        but mobile internet signal), which an importer should report rather than guess.
    """
    phone = _podes_phone(phone_signal)
    internet = _podes_internet(internet_signal)
    if phone is False and internet is False:
        raise ValueError("a Podes record needs R1005C (phone signal) or R1005D (internet signal)")
    if phone is None and internet not in (None, False):
        raise ValueError(
            f"contradictory Podes record: phone signal {phone_signal!r} but internet signal "
            f"{internet_signal!r}"
        )
    if internet == "4g":
        return Status.GOOD_4G if phone == "strong" else Status.WEAK_4G
    if internet == "2g_3g":
        return Status.ONLY_2G_3G
    # No internet signal, or the internet item is missing: the phone item decides.
    if phone in ("strong", "weak"):
        return Status.ONLY_2G_3G
    return Status.NO_SIGNAL


def status_from_blank_spot(listed: bool) -> Status | None:
    """Status implied by a blank-spot list (e.g. the regency's 2021-22 list).

    Parameters
    ----------
    listed : bool
        Whether the village is on the list.

    Returns
    -------
    Status or None
        ``no_signal`` for a listed village. None for a village not on the list: absence from a
        blank-spot list is not evidence of coverage, so no evidence must be created.
    """
    if not isinstance(listed, bool):
        raise ValueError(f"listed must be True or False; got {listed!r}")
    return Status.NO_SIGNAL if listed else None
