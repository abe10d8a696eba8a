r"""Estimating per-village population from a regency total and partial kecamatan facts.

Per-village population figures for Kutai Timur are not public. This core turns what *is*
public into an estimate by a fixed, documented rule (``docs/population.md``):

1. **Kecamatan with a known figure** (any year): scale it to the target year with the regency's
   own growth between that year and the target year,

   .. math:: P_k(T) = P_k(t) \cdot \frac{P_{kab}(T)}{P_{kab}(t)}

   where :math:`P_{kab}(t)` is the regency total for year :math:`t`, interpolated linearly
   between known regency totals when the year itself is not known.
2. **Kecamatan without a figure** share what is left of the regency total in proportion to
   their number of desa/kelurahan (in the interior a desa is the unit that settles a community;
   area would hand most people to empty forest).
3. If the scaled known figures exceed the regency total, every kecamatan is scaled down in
   proportion so that the parts add up to the official total.
4. **Villages** share their kecamatan's figure equally.

All results are integers whose parts sum exactly to the whole (largest-remainder rounding).
Every output is an *estimate*; an official figure entered later replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class KnownFigure:
    """A population figure for one kecamatan in one year, with its source."""

    kecamatan_code: str
    year: int
    value: int
    source: str


@dataclass
class KecamatanEstimate:
    """The estimated population of a kecamatan and how it was obtained."""

    kecamatan_code: str
    value: int
    method: str  # "scaled_known" or "share_by_desa_count"
    basis: str  # human-readable derivation


@dataclass
class PopulationEstimate:
    """The full estimate: per kecamatan and per village."""

    target_year: int
    regency_total: int
    kecamatan: dict[str, KecamatanEstimate] = field(default_factory=dict)
    villages: dict[str, int] = field(default_factory=dict)


def interpolate_total(regency_totals: dict[int, int], year: int) -> float:
    """Regency total in ``year``: exact if known, else linear between the nearest known years.

    Outside the known range the nearest end's linear trend is extended.
    """
    if year in regency_totals:
        return float(regency_totals[year])
    years = sorted(regency_totals)
    if len(years) < 2:
        raise ValueError("need regency totals for at least two years to interpolate")
    lower = max((y for y in years if y < year), default=None)
    upper = min((y for y in years if y > year), default=None)
    if lower is None:
        lower, upper = years[0], years[1]
    elif upper is None:
        lower, upper = years[-2], years[-1]
    p0, p1 = regency_totals[lower], regency_totals[upper]
    return p0 + (p1 - p0) * (year - lower) / (upper - lower)


def largest_remainder(values: dict[str, float], total: int) -> dict[str, int]:
    """Round ``values`` to integers that sum to ``total`` (Hamilton's method, ties by key)."""
    if not values:
        return {}
    raw_sum = sum(values.values())
    if raw_sum <= 0:
        raise ValueError("cannot apportion a total over weights that sum to zero")
    scaled = {k: v * total / raw_sum for k, v in values.items()}
    floors = {k: int(v) for k, v in scaled.items()}
    remaining = total - sum(floors.values())
    order = sorted(scaled, key=lambda k: (-(scaled[k] - floors[k]), k))
    for k in order[:remaining]:
        floors[k] += 1
    return floors


def estimate_population(
    regency_total: int,
    target_year: int,
    regency_totals: dict[int, int],
    villages_by_kecamatan: dict[str, list[str]],
    known: list[KnownFigure],
) -> PopulationEstimate:
    """Estimate kecamatan and village populations (see the module docstring for the rule).

    Parameters
    ----------
    regency_total : the official regency population in ``target_year``.
    target_year : the year the estimate describes.
    regency_totals : known regency totals by year (used to scale older kecamatan figures).
    villages_by_kecamatan : kecamatan code -> list of village codes.
    known : kecamatan figures; for a kecamatan with several, the most recent year is used.

    Raises
    ------
    ValueError
        If a known figure names a kecamatan not in ``villages_by_kecamatan``, or a kecamatan has
        no villages.
    """
    if regency_total <= 0:
        raise ValueError("regency_total must be positive")
    totals = dict(regency_totals)
    totals[target_year] = regency_total
    latest: dict[str, KnownFigure] = {}
    for fig in known:
        if fig.kecamatan_code not in villages_by_kecamatan:
            raise ValueError(f"known figure for unknown kecamatan {fig.kecamatan_code}")
        if fig.kecamatan_code not in latest or fig.year > latest[fig.kecamatan_code].year:
            latest[fig.kecamatan_code] = fig
    for code, villages in villages_by_kecamatan.items():
        if not villages:
            raise ValueError(f"kecamatan {code} has no villages")

    raw: dict[str, float] = {}
    basis: dict[str, tuple[str, str]] = {}
    for code, fig in latest.items():
        factor = regency_total / interpolate_total(totals, fig.year)
        raw[code] = fig.value * factor
        basis[code] = (
            "scaled_known",
            f"{fig.value:,} ({fig.year}, {fig.source}) × regency growth {factor:.4f}",
        )
    known_sum = sum(raw.values())
    unknown_codes = [c for c in villages_by_kecamatan if c not in latest]
    remainder = regency_total - known_sum
    if remainder < 0 or (remainder == 0 and unknown_codes):
        # Known figures overshoot: scale them down; unknown kecamatan get a per-desa share
        # equal to the known kecamatan's mean per desa.
        known_desa = sum(len(villages_by_kecamatan[c]) for c in latest)
        per_desa = known_sum / known_desa
        for code in unknown_codes:
            raw[code] = per_desa * len(villages_by_kecamatan[code])
            basis[code] = ("share_by_desa_count", "mean per desa of the known kecamatan")
    else:
        desa_unknown = sum(len(villages_by_kecamatan[c]) for c in unknown_codes)
        for code in unknown_codes:
            n = len(villages_by_kecamatan[code])
            raw[code] = remainder * n / desa_unknown
            basis[code] = (
                "share_by_desa_count",
                f"{n}/{desa_unknown} desa of the remainder {remainder:,.0f}",
            )
    kec_values = largest_remainder(raw, regency_total)
    result = PopulationEstimate(target_year=target_year, regency_total=regency_total)
    for code, value in kec_values.items():
        method, why = basis[code]
        result.kecamatan[code] = KecamatanEstimate(code, value, method, why)
        villages = sorted(villages_by_kecamatan[code])
        result.villages.update(largest_remainder({v: 1.0 for v in villages}, value))
    return result
