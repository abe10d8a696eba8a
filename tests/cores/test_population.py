"""The population estimation rule, on hand-checkable numbers."""

from __future__ import annotations

import pytest

from jangkau.cores.population import (
    KnownFigure,
    estimate_population,
    interpolate_total,
    largest_remainder,
)

VILLAGES = {"A": ["A1", "A2"], "B": ["B1", "B2", "B3"], "C": ["C1"]}


def test_a_known_kecamatan_figure_is_scaled_by_the_regency_growth():
    est = estimate_population(
        2000, 2024, {2016: 1000}, VILLAGES, [KnownFigure("A", 2016, 300, "test")]
    )
    assert est.kecamatan["A"].value == 600  # 300 x 2000/1000
    assert est.kecamatan["A"].method == "scaled_known"


def test_the_remainder_is_shared_by_number_of_desa():
    est = estimate_population(
        2000, 2024, {2016: 1000}, VILLAGES, [KnownFigure("A", 2016, 300, "test")]
    )
    # 1400 left for B (3 desa) and C (1 desa): 1050 and 350
    assert est.kecamatan["B"].value == 1050 and est.kecamatan["C"].value == 350
    assert est.kecamatan["B"].method == "share_by_desa_count"


def test_villages_share_their_kecamatan_equally_and_everything_adds_up():
    est = estimate_population(
        2001, 2024, {2016: 1000}, VILLAGES, [KnownFigure("A", 2016, 300, "test")]
    )
    assert sum(est.villages.values()) == 2001
    assert sum(k.value for k in est.kecamatan.values()) == 2001
    b = [est.villages[c] for c in VILLAGES["B"]]
    assert max(b) - min(b) <= 1 and sum(b) == est.kecamatan["B"].value


def test_the_newest_known_figure_of_a_kecamatan_is_used():
    est = estimate_population(
        2000,
        2024,
        {2016: 1000, 2020: 2000},
        VILLAGES,
        [KnownFigure("A", 2016, 300, "old"), KnownFigure("A", 2020, 500, "new")],
    )
    assert est.kecamatan["A"].value == 500


def test_known_figures_that_overshoot_are_scaled_down_to_the_total():
    est = estimate_population(
        1000,
        2024,
        {2016: 1000},
        VILLAGES,
        [KnownFigure("A", 2016, 900, "x"), KnownFigure("B", 2016, 600, "y")],
    )
    assert sum(k.value for k in est.kecamatan.values()) == 1000
    assert est.kecamatan["C"].value > 0


def test_regency_totals_are_interpolated_between_known_years():
    assert interpolate_total({2020: 100, 2024: 140}, 2021) == pytest.approx(110)
    assert interpolate_total({2020: 100, 2024: 140}, 2026) == pytest.approx(160)


def test_largest_remainder_keeps_the_total_and_breaks_ties_by_key():
    assert largest_remainder({"a": 1, "b": 1, "c": 1}, 10) == {"a": 4, "b": 3, "c": 3}


def test_a_figure_for_an_unknown_kecamatan_is_refused():
    with pytest.raises(ValueError, match="unknown kecamatan Z"):
        estimate_population(100, 2024, {2016: 90}, VILLAGES, [KnownFigure("Z", 2016, 1, "x")])
