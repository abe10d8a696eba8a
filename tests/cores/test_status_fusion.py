"""Tests of the connectivity status engine (``jangkau.cores.status``); no Django needed.

Each rule of docs/status-engine.md (R1-R9) has table-driven cases chosen so that they fail if the
rule is removed; the worked examples of that page are checked number by number.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from jangkau.cores.status import (
    DEFAULT_PARAMS,
    UNKNOWN_STATUS,
    Evidence,
    FusionParams,
    Kind,
    OperatorStatus,
    Rank,
    Status,
    decay,
    evidence_weight,
    fuse,
    status_changed,
    status_from_blank_spot,
    status_from_citizen_answer,
    status_from_podes,
    status_from_signal,
    status_from_speedtest,
)

AS_OF = date(2026, 6, 1)


def ev(id_, kind, days_ago, status, operator=None, weight=1.0):
    """Evidence observed ``days_ago`` days before AS_OF (negative: in the future)."""
    return Evidence(
        id=id_,
        kind=kind,
        observed_on=AS_OF - timedelta(days=days_ago),
        status=status,
        operator=operator,
        weight=weight,
    )


def days_ago(n):
    return AS_OF - timedelta(days=n)


# --- R1 no evidence, R8 future evidence --------------------------------------------------------


def test_a_village_without_evidence_is_unknown_with_zero_confidence():
    result = fuse([], AS_OF)
    assert result.overall == UNKNOWN_STATUS
    assert result.overall.status is Status.UNKNOWN
    assert result.overall.confidence == 0.0
    assert result.overall.as_of is None
    assert result.overall.decided_by == ()
    assert result.by_operator == {}


@pytest.mark.parametrize(
    ("items", "expected_status", "expected_ids"),
    [
        pytest.param(
            [ev("st:future", "speedtest", -1, "4g_good")], "unknown", (), id="only-future"
        ),
        pytest.param(
            [
                ev("st:future", "speedtest", -3, "4g_good"),
                ev("rep:1", "citizen_report", 5, "no_signal"),
            ],
            "no_signal",
            ("rep:1",),
            id="future-good-does-not-beat-past-report",
        ),
        pytest.param(
            [ev("st:today", "speedtest", 0, "4g_weak")], "4g_weak", ("st:today",), id="same-day"
        ),
    ],
)
def test_evidence_dated_after_as_of_is_ignored(items, expected_status, expected_ids):
    overall = fuse(items, AS_OF).overall
    assert overall.status == expected_status
    assert overall.decided_by == expected_ids


def test_an_operator_with_only_future_evidence_is_listed_as_unknown():
    result = fuse([ev("st:1", "speedtest", -10, "4g_good", operator="xl")], AS_OF)
    assert result.by_operator == {"xl": UNKNOWN_STATUS}
    assert result.overall == UNKNOWN_STATUS


# --- R2 rank ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("higher", "lower", "expected"),
    [
        pytest.param(
            ev("st:30d", "speedtest", 30, "4g_good"),
            ev("rep:1d", "citizen_report", 1, "no_signal"),
            "4g_good",
            id="measured-beats-newer-reported",
        ),
        pytest.param(
            ev("rep:20d", "citizen_report", 20, "4g_good"),
            ev("podes:1d", "village_survey", 1, "no_signal"),
            "4g_good",
            id="reported-beats-newer-surveyed",
        ),
        pytest.param(
            ev("podes:10d", "village_survey", 10, "4g_weak"),
            ev("prior:1d", "prior_list", 1, "no_signal"),
            "4g_weak",
            id="surveyed-beats-newer-prior",
        ),
        pytest.param(
            ev("prior:10d", "prior_list", 10, "no_signal"),
            ev("model:1d", "model_prediction", 1, "4g_good"),
            "no_signal",
            id="prior-beats-newer-model",
        ),
    ],
)
def test_higher_ranked_fresh_evidence_decides_over_newer_lower_ranked(higher, lower, expected):
    overall = fuse([lower, higher], AS_OF).overall
    assert overall.status == expected
    assert overall.decided_by == (higher.id,)
    assert not overall.needs_review


@pytest.mark.parametrize(
    ("age_of_measurement", "expected"),
    [
        pytest.param(730, "no_signal", id="two-year-old-measurement"),
        pytest.param(1095, "no_signal", id="measurement-at-max-age"),
        pytest.param(1096, "4g_good", id="stale-measurement-gives-way"),
    ],
)
def test_a_model_prediction_never_decides_over_a_measurement(age_of_measurement, expected):
    # By weight alone the fresh model (0.2) would beat the old measurement (<= 0.06).
    items = [
        ev("st:old", "speedtest", age_of_measurement, "no_signal"),
        ev("model:new", "model_prediction", 1, "4g_good"),
    ]
    assert evidence_weight(items[1], AS_OF) > evidence_weight(items[0], AS_OF)
    assert fuse(items, AS_OF).overall.status == expected


def test_the_rank_order_of_the_kinds():
    assert Rank.MEASURED > Rank.REPORTED > Rank.SURVEYED > Rank.PRIOR > Rank.MODELLED
    assert Evidence("a", "speedtest", AS_OF, "4g_good").rank is Rank.MEASURED
    assert Evidence("b", "signal_reading", AS_OF, "4g_good").rank is Rank.MEASURED
    assert Evidence("c", "model_prediction", AS_OF, "4g_good").rank is Rank.MODELLED


# --- R3 decay and maximum age -------------------------------------------------------------------


def test_weights_follow_the_documented_formula():
    assert decay(0, 180) == 1.0
    assert decay(180, 180) == 0.5
    assert evidence_weight(ev("st", "speedtest", 180, "4g_good"), AS_OF) == pytest.approx(0.5)
    assert evidence_weight(ev("rep", "citizen_report", 90, "no_signal"), AS_OF) == pytest.approx(
        0.25
    )
    assert evidence_weight(ev("podes", "village_survey", 365, "no_signal"), AS_OF) == pytest.approx(
        0.175
    )
    assert evidence_weight(ev("m", "model_prediction", 0, "no_signal"), AS_OF) == pytest.approx(0.2)
    with pytest.raises(ValueError, match="dated after"):
        evidence_weight(ev("f", "speedtest", -1, "no_signal"), AS_OF)


@pytest.mark.parametrize(
    ("items", "expected_status", "expected_ids"),
    [
        pytest.param(
            [
                ev("st:200d", "speedtest", 200, "4g_good"),
                ev("rep:2d", "citizen_report", 2, "no_signal"),
            ],
            "no_signal",
            ("rep:2d",),
            id="newer-report-beats-much-older-measurement",
        ),
        pytest.param(
            [
                ev("st:150d", "speedtest", 150, "4g_good"),
                ev("rep:2d", "citizen_report", 2, "no_signal"),
            ],
            "4g_good",
            ("st:150d",),
            id="measurement-younger-than-a-half-life-holds",
        ),
        pytest.param(
            [
                ev("podes:975d", "village_survey", 975, "4g_good"),
                ev("prior:529d", "prior_list", 529, "no_signal"),
            ],
            "no_signal",
            ("prior:529d",),
            id="newer-prior-list-beats-older-survey",
        ),
    ],
)
def test_newer_lower_ranked_evidence_wins_when_its_decayed_weight_is_larger(
    items, expected_status, expected_ids
):
    overall = fuse(items, AS_OF).overall
    assert overall.status == expected_status
    assert overall.decided_by == expected_ids


def test_stale_evidence_is_used_when_nothing_else_exists():
    overall = fuse([ev("prior:2021", "prior_list", 1643, "no_signal")], AS_OF).overall
    assert overall.status is Status.NO_SIGNAL
    assert overall.decided_by == ("prior:2021",)
    assert overall.confidence == pytest.approx(0.3 * 0.5 ** (1643 / 365), abs=1e-4)


def test_stale_evidence_neither_supports_nor_dissents_when_fresh_evidence_exists():
    report = ev("rep:1", "citizen_report", 12, "4g_good")
    alone = fuse([report], AS_OF).overall
    with_stale = fuse(
        [
            report,
            ev("prior:2021", "prior_list", 1643, "no_signal"),
            ev("rep:old", "citizen_report", 1200, "4g_good"),
        ],
        AS_OF,
    ).overall
    assert with_stale == alone


def test_a_stale_operator_status_does_not_count_overall_when_another_is_fresh():
    result = fuse(
        [
            ev("st:tsel-2022", "speedtest", 1400, "4g_good", operator="telkomsel"),
            ev("st:xl-2026", "speedtest", 20, "no_signal", operator="xl"),
        ],
        AS_OF,
    )
    assert result.by_operator["telkomsel"].status is Status.GOOD_4G
    assert result.overall.status is Status.NO_SIGNAL
    assert result.overall.decided_by == ("st:xl-2026",)


# --- R4 conflicts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "status", "needs_review", "decided_by", "disputed_by"),
    [
        pytest.param(
            [ev("st:a", "speedtest", 52, "4g_good"), ev("st:b", "speedtest", 92, "no_signal")],
            "no_signal",
            True,
            ("st:b",),
            ("st:a",),
            id="newer-good-older-none-within-window",
        ),
        pytest.param(
            [ev("st:a", "speedtest", 52, "no_signal"), ev("st:b", "speedtest", 92, "4g_weak")],
            "no_signal",
            True,
            ("st:a",),
            ("st:b",),
            id="newer-none-older-weak-within-window",
        ),
        pytest.param(
            [
                ev("st:a", "speedtest", 10, "4g_good"),
                ev("sig:b", "signal_reading", 40, "2g_3g_only"),
            ],
            "2g_3g_only",
            True,
            ("sig:b",),
            ("st:a",),
            id="speedtest-and-signal-reading-share-a-rank",
        ),
        pytest.param(
            [
                ev("rep:a", "citizen_report", 3, "4g_good"),
                ev("rep:b", "citizen_report", 30, "no_signal"),
            ],
            "no_signal",
            True,
            ("rep:b",),
            ("rep:a",),
            id="citizen-reports-conflict",
        ),
        pytest.param(
            [ev("st:a", "speedtest", 52, "4g_good"), ev("st:b", "speedtest", 92, "4g_weak")],
            "4g_good",
            False,
            ("st:a",),
            ("st:b",),
            id="one-step-apart-is-not-a-conflict",
        ),
        pytest.param(
            [ev("st:a", "speedtest", 10, "4g_good"), ev("st:b", "speedtest", 101, "no_signal")],
            "4g_good",
            False,
            ("st:a",),
            (),
            id="outside-the-window-newer-wins",
        ),
        pytest.param(
            [ev("st:a", "speedtest", 30, "4g_good"), ev("rep:b", "citizen_report", 1, "no_signal")],
            "4g_good",
            False,
            ("st:a",),
            (),
            id="different-ranks-are-not-a-conflict",
        ),
    ],
)
def test_conflicting_recent_evidence_of_the_same_rank_is_flagged_and_the_worse_kept(
    items, status, needs_review, decided_by, disputed_by
):
    overall = fuse(items, AS_OF).overall
    assert overall.status == status
    assert overall.needs_review is needs_review
    assert overall.decided_by == decided_by
    assert overall.disputed_by == disputed_by
    if needs_review:
        for item in items:
            assert item.id in overall.review_reason
    else:
        assert overall.review_reason is None


def test_a_conflict_is_not_averaged_to_a_middle_status():
    items = [ev("st:a", "speedtest", 5, "4g_good"), ev("st:b", "speedtest", 6, "no_signal")]
    assert fuse(items, AS_OF).overall.status is Status.NO_SIGNAL


def test_the_conflict_window_is_a_parameter():
    items = [ev("st:a", "speedtest", 10, "4g_good"), ev("st:b", "speedtest", 60, "no_signal")]
    assert fuse(items, AS_OF).overall.needs_review
    narrow = replace(DEFAULT_PARAMS, conflict_window_days=30)
    assert not fuse(items, AS_OF, narrow).overall.needs_review
    assert fuse(items, AS_OF, narrow).overall.status is Status.GOOD_4G


# --- R5 and R7 confidence -----------------------------------------------------------------------


def test_confidence_of_one_fresh_measurement_is_its_item_confidence():
    assert fuse([ev("st:1", "speedtest", 0, "4g_good")], AS_OF).overall.confidence == 0.6


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        pytest.param([ev("st:1", "speedtest", 0, "4g_good")], 0.6, id="one"),
        pytest.param(
            [ev("st:1", "speedtest", 0, "4g_good"), ev("st:2", "speedtest", 0, "4g_good")],
            1 - 0.4**2,
            id="two-agreeing",
        ),
        pytest.param(
            [ev("tile:1", "speedtest", 0, "4g_good", weight=2)], 1 - 0.4**2, id="weight-2"
        ),
        pytest.param(
            [ev(f"st:{i}", "speedtest", 0, "4g_good") for i in range(6)], 0.95, id="capped-at-0.95"
        ),
        pytest.param(
            [ev("st:1", "speedtest", 0, "4g_good"), ev("rep:1", "citizen_report", 0, "no_signal")],
            0.6 * 1.0 / (1.0 + 0.5),
            id="lower-ranked-dissent-lowers",
        ),
        pytest.param(
            [ev("st:1", "speedtest", 0, "4g_good"), ev("rep:1", "citizen_report", 0, "4g_good")],
            1 - 0.4 * 0.7,
            id="lower-ranked-agreement-raises",
        ),
        pytest.param([ev("st:1", "speedtest", 90, "4g_good")], 0.6 * 0.5**0.5, id="decayed"),
    ],
)
def test_agreeing_evidence_raises_confidence_and_dissent_lowers_it(items, expected):
    assert fuse(items, AS_OF).overall.confidence == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize(
    ("n_reports", "expected"),
    [
        pytest.param(1, 0.3, id="one-report-is-limited"),
        pytest.param(2, 1 - 0.7**2, id="two-reports"),
        pytest.param(3, 1 - 0.7**3, id="three-reports"),
        pytest.param(8, 0.7, id="reports-alone-cap-at-0.7"),
    ],
)
def test_citizen_reports_give_limited_confidence_that_grows_with_agreement(n_reports, expected):
    items = [ev(f"rep:{i}", "citizen_report", 0, "4g_good") for i in range(n_reports)]
    assert fuse(items, AS_OF).overall.confidence == pytest.approx(expected, abs=1e-4)


def test_confidence_ceilings_hold_per_operator_and_overall():
    items = [ev(f"st:t{i}", "speedtest", 0, "4g_good", operator="telkomsel") for i in range(6)]
    items += [ev(f"rep:x{i}", "citizen_report", 0, "4g_good", operator="xl") for i in range(8)]
    result = fuse(items, AS_OF)
    assert result.by_operator["telkomsel"].confidence == 0.95
    assert result.by_operator["xl"].confidence == 0.7
    # Two operators at their ceilings: 1 - 0.05 * 0.3 = 0.985 by noisy-OR, capped at 0.95.
    assert result.overall.confidence == 0.95


def test_one_citizen_report_is_less_certain_than_one_measurement_of_the_same_day():
    report = fuse([ev("rep:1", "citizen_report", 3, "4g_good")], AS_OF).overall
    test = fuse([ev("st:1", "speedtest", 3, "4g_good")], AS_OF).overall
    assert report.confidence < test.confidence


# --- R6 overall ---------------------------------------------------------------------------------


def test_operators_disagreeing_is_not_a_conflict_and_overall_is_the_best():
    result = fuse(
        [
            ev("st:tsel", "speedtest", 52, "4g_good", operator="telkomsel"),
            ev("st:xl", "speedtest", 50, "no_signal", operator="xl"),
        ],
        AS_OF,
    )
    assert result.by_operator["telkomsel"].status is Status.GOOD_4G
    assert result.by_operator["xl"].status is Status.NO_SIGNAL
    assert result.overall.status is Status.GOOD_4G
    assert not result.overall.needs_review
    assert result.overall.decided_by == ("st:tsel",)
    assert result.overall.confidence == result.by_operator["telkomsel"].confidence


def test_operators_agreeing_combine_their_confidence():
    result = fuse(
        [
            ev("st:tsel", "speedtest", 0, "4g_weak", operator="telkomsel"),
            ev("st:xl", "speedtest", 1, "4g_weak", operator="xl"),
            ev("st:isat", "speedtest", 0, "2g_3g_only", operator="indosat"),
        ],
        AS_OF,
    )
    xl_confidence = 0.6 * 0.5 ** (1 / 180)
    assert result.overall.status is Status.WEAK_4G
    assert result.overall.decided_by == ("st:tsel", "st:xl")
    assert result.overall.confidence == pytest.approx(1 - 0.4 * (1 - xl_confidence), abs=1e-4)
    assert result.overall.as_of == AS_OF


@pytest.mark.parametrize(
    ("items", "status", "decided_by", "disputed_by", "needs_review"),
    [
        pytest.param(
            [
                ev("podes:30d", "village_survey", 30, "no_signal"),
                ev("st:tsel", "speedtest", 730, "4g_good", operator="telkomsel"),
            ],
            "no_signal",
            ("podes:30d",),
            ("st:tsel",),
            False,
            id="newer-village-level-outweighs-older-operator",
        ),
        pytest.param(
            [
                ev("podes:365d", "village_survey", 365, "no_signal"),
                ev("st:tsel", "speedtest", 20, "4g_good", operator="telkomsel"),
            ],
            "4g_good",
            ("st:tsel",),
            ("podes:365d",),
            False,
            id="heavier-operator-outweighs-village-level",
        ),
        pytest.param(
            [
                ev("tile:q1", "speedtest", 60, "4g_good"),
                ev("st:tsel", "speedtest", 10, "4g_weak", operator="telkomsel"),
            ],
            "4g_good",
            ("tile:q1",),
            (),
            False,
            id="better-village-level-is-not-contradicted-by-a-worse-operator",
        ),
        pytest.param(
            [
                ev("sig:village", "signal_reading", 40, "no_signal"),
                ev("st:tsel", "speedtest", 10, "4g_good", operator="telkomsel"),
            ],
            "no_signal",
            ("sig:village",),
            ("st:tsel",),
            True,
            id="recent-same-rank-village-and-operator-conflict",
        ),
        pytest.param(
            [ev("podes:1", "village_survey", 10, "4g_weak")],
            "4g_weak",
            ("podes:1",),
            (),
            False,
            id="village-level-only",
        ),
    ],
)
def test_village_level_evidence_counts_for_overall_directly(
    items, status, decided_by, disputed_by, needs_review
):
    overall = fuse(items, AS_OF).overall
    assert overall.status == status
    assert overall.decided_by == decided_by
    assert overall.disputed_by == disputed_by
    assert overall.needs_review is needs_review


def test_village_level_evidence_does_not_change_an_operators_own_status():
    result = fuse(
        [
            ev("podes:30d", "village_survey", 30, "no_signal"),
            ev("st:tsel", "speedtest", 730, "4g_good", operator="telkomsel"),
        ],
        AS_OF,
    )
    assert result.by_operator["telkomsel"].status is Status.GOOD_4G
    assert result.by_operator["telkomsel"].decided_by == ("st:tsel",)


def test_overall_dissent_lowers_confidence():
    alone = fuse([ev("st:tsel", "speedtest", 20, "4g_good", operator="telkomsel")], AS_OF)
    disputed = fuse(
        [
            ev("st:tsel", "speedtest", 20, "4g_good", operator="telkomsel"),
            ev("podes:365d", "village_survey", 365, "no_signal"),
        ],
        AS_OF,
    )
    support = 0.5 ** (20 / 180)
    expected = alone.overall.confidence * support / (support + 0.35 * 0.5)
    assert disputed.overall.confidence == pytest.approx(expected, abs=1e-4)


def test_an_operator_review_that_could_raise_the_overall_flags_the_overall():
    result = fuse(
        [
            ev("st:tsel", "speedtest", 5, "4g_weak", operator="telkomsel"),
            ev("st:xl-a", "speedtest", 5, "4g_good", operator="xl"),
            ev("st:xl-b", "speedtest", 20, "no_signal", operator="xl"),
        ],
        AS_OF,
    )
    assert result.by_operator["xl"].needs_review
    assert result.overall.status is Status.WEAK_4G
    assert result.overall.needs_review
    assert result.overall.review_reason.startswith("xl: ")


def test_an_operator_review_that_cannot_change_the_overall_does_not_flag_it():
    result = fuse(
        [
            ev("st:tsel", "speedtest", 5, "4g_good", operator="telkomsel"),
            ev("st:xl-a", "speedtest", 5, "4g_weak", operator="xl"),
            ev("st:xl-b", "speedtest", 20, "no_signal", operator="xl"),
        ],
        AS_OF,
    )
    assert result.by_operator["xl"].needs_review
    assert result.overall.status is Status.GOOD_4G
    assert not result.overall.needs_review


def test_by_operator_is_sorted_by_operator_code():
    result = fuse(
        [
            ev("a", "speedtest", 1, "4g_good", operator="xl"),
            ev("b", "speedtest", 1, "4g_good", operator="indosat"),
            ev("c", "speedtest", 1, "4g_good", operator="telkomsel"),
        ],
        AS_OF,
    )
    assert list(result.by_operator) == ["indosat", "telkomsel", "xl"]


# --- R9 as-of date ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "expected_as_of"),
    [
        pytest.param([ev("st:1", "speedtest", 30, "4g_good")], days_ago(30), id="single"),
        pytest.param(
            [ev("st:1", "speedtest", 30, "4g_good"), ev("rep:1", "citizen_report", 5, "4g_good")],
            days_ago(5),
            id="newest-supporter-even-if-lower-ranked",
        ),
        pytest.param(
            [ev("st:1", "speedtest", 30, "4g_good"), ev("rep:1", "citizen_report", 5, "no_signal")],
            days_ago(30),
            id="dissent-does-not-move-as-of",
        ),
        pytest.param(
            [ev("st:a", "speedtest", 10, "4g_good"), ev("st:b", "speedtest", 40, "no_signal")],
            days_ago(40),
            id="conflict-takes-the-kept-items-date",
        ),
    ],
)
def test_as_of_is_the_date_of_the_newest_supporting_evidence(items, expected_as_of):
    assert fuse(items, AS_OF).overall.as_of == expected_as_of


# --- determinism --------------------------------------------------------------------------------


def test_ties_are_broken_by_date_then_id():
    same_day = [ev("b", "speedtest", 3, "4g_weak"), ev("a", "speedtest", 3, "4g_good")]
    assert fuse(same_day, AS_OF).overall.status is Status.GOOD_4G
    swapped = [ev("b", "speedtest", 3, "4g_good"), ev("a", "speedtest", 3, "4g_weak")]
    assert fuse(swapped, AS_OF).overall.status is Status.WEAK_4G


def test_equal_weights_are_broken_by_the_newer_date_before_the_id():
    # With a 90-day half-life for signal readings, a 180-day-old reading weighs exactly what a
    # 360-day-old speed test weighs (0.25); the newer one decides whatever the ids.
    params = replace(
        DEFAULT_PARAMS,
        half_life_days={**DEFAULT_PARAMS.half_life_days, Kind.SIGNAL_READING: 90.0},
    )
    for old_id, new_id in [("a", "b"), ("b", "a")]:
        items = [
            ev(old_id, "speedtest", 360, "4g_good"),
            ev(new_id, "signal_reading", 180, "4g_weak"),
        ]
        weights = {evidence_weight(item, AS_OF, params) for item in items}
        assert weights == {0.25}
        assert fuse(items, AS_OF, params).overall.decided_by == (new_id,)


def test_the_result_does_not_depend_on_input_order():
    items = [
        ev("st:a", "speedtest", 52, "4g_good", operator="telkomsel"),
        ev("st:b", "speedtest", 92, "no_signal", operator="telkomsel"),
        ev("rep:c", "citizen_report", 3, "4g_weak", operator="telkomsel"),
        ev("st:d", "speedtest", 10, "2g_3g_only", operator="xl"),
        ev("podes:e", "village_survey", 200, "4g_weak"),
        ev("prior:f", "prior_list", 1500, "no_signal"),
        ev("model:g", "model_prediction", 30, "4g_good", operator="xl"),
    ]
    expected = fuse(items, AS_OF)
    for permutation in itertools.permutations(items):
        assert fuse(permutation, AS_OF) == expected


# --- status_changed -----------------------------------------------------------------------------

_GOOD = OperatorStatus(Status.GOOD_4G, days_ago(3), 0.6, ("st:1",))


@pytest.mark.parametrize(
    ("previous", "new", "changed"),
    [
        pytest.param(None, _GOOD, True, id="first-status"),
        pytest.param(None, UNKNOWN_STATUS, True, id="first-status-unknown"),
        pytest.param(_GOOD, _GOOD, False, id="identical"),
        pytest.param(
            _GOOD,
            replace(_GOOD, as_of=days_ago(1), confidence=0.84, decided_by=("st:2", "st:1")),
            False,
            id="only-confirmed-again",
        ),
        pytest.param(_GOOD, replace(_GOOD, status=Status.WEAK_4G), True, id="status-changed"),
        pytest.param(
            _GOOD, replace(_GOOD, needs_review=True, review_reason="x"), True, id="flag-raised"
        ),
        pytest.param(
            replace(_GOOD, needs_review=True, review_reason="x"), _GOOD, True, id="flag-cleared"
        ),
    ],
)
def test_status_changed_only_for_status_or_review_flag(previous, new, changed):
    assert status_changed(previous, new) is changed


# --- validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        pytest.param({"kind": "rumour"}, ValueError, "kind must be one of", id="kind"),
        pytest.param({"status": "5g_great"}, ValueError, "status must be one of", id="status"),
        pytest.param({"status": "unknown"}, ValueError, "left out", id="unknown-status"),
        pytest.param({"id": ""}, ValueError, "id must be", id="empty-id"),
        pytest.param(
            {"observed_on": datetime(2026, 5, 1, 12)}, TypeError, "not a datetime", id="datetime"
        ),
        pytest.param({"observed_on": "2026-05-01"}, TypeError, "datetime.date", id="string-date"),
        pytest.param({"operator": ""}, ValueError, "operator", id="empty-operator"),
        pytest.param({"weight": 0}, ValueError, "weight", id="zero-weight"),
        pytest.param({"weight": float("inf")}, ValueError, "finite", id="infinite-weight"),
        pytest.param({"weight": True}, ValueError, "weight", id="bool-weight"),
        pytest.param({"source": None}, TypeError, "source", id="source"),
    ],
)
def test_evidence_rejects_bad_fields(kwargs, error, match):
    fields = {"id": "x", "kind": "speedtest", "observed_on": AS_OF, "status": "4g_good"}
    with pytest.raises(error, match=match):
        Evidence(**{**fields, **kwargs})


def test_evidence_accepts_plain_strings_and_stores_enums():
    item = Evidence("x", "citizen_report", AS_OF, "2g_3g_only", operator="xl", weight=2)
    assert item.kind is Kind.CITIZEN_REPORT
    assert item.status is Status.ONLY_2G_3G
    assert item.weight == 2.0


def test_fuse_rejects_bad_input():
    item = ev("x", "speedtest", 1, "4g_good")
    with pytest.raises(ValueError, match="more than once"):
        fuse([item, ev("x", "citizen_report", 2, "no_signal")], AS_OF)
    with pytest.raises(TypeError, match="as_of"):
        fuse([item], datetime(2026, 6, 1))
    with pytest.raises(TypeError, match="Evidence"):
        fuse([{"id": "x"}], AS_OF)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        pytest.param(
            {"rank_weight": {**DEFAULT_PARAMS.rank_weight, Rank.REPORTED: 1.0}},
            "strictly increasing",
            id="rank-weights-not-increasing",
        ),
        pytest.param(
            {"half_life_days": {Kind.SPEEDTEST: 180.0}}, "lacks a value", id="missing-half-life"
        ),
        pytest.param(
            {"half_life_days": {**DEFAULT_PARAMS.half_life_days, "rumour": 10}},
            "unknown key",
            id="unknown-kind",
        ),
        pytest.param(
            {"half_life_days": {**DEFAULT_PARAMS.half_life_days, Kind.SPEEDTEST: 0}},
            "> 0",
            id="zero-half-life",
        ),
        pytest.param(
            {"item_confidence": {**DEFAULT_PARAMS.item_confidence, Kind.SPEEDTEST: 1.0}},
            r"\(0, 1\)",
            id="certain-item",
        ),
        pytest.param(
            {"confidence_ceiling": {**DEFAULT_PARAMS.confidence_ceiling, Rank.PRIOR: 0}},
            r"\(0, 1\]",
            id="zero-ceiling",
        ),
        pytest.param({"max_age_days": -1}, "max_age_days", id="negative-age"),
        pytest.param({"conflict_window_days": 1.5}, "conflict_window_days", id="float-window"),
    ],
)
def test_fusion_params_reject_bad_values(change, match):
    with pytest.raises(ValueError, match=match):
        replace(DEFAULT_PARAMS, **change)


def test_fusion_params_accept_string_kind_keys():
    params = FusionParams(half_life_days={kind.value: 100 for kind in Kind})
    assert params.half_life_days[Kind.PRIOR_LIST] == 100.0


# --- mappers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("technology", "rsrp", "expected"),
    [
        ("LTE", -80, "4g_good"),
        ("4G", -105, "4g_good"),
        ("lte", -105.1, "4g_weak"),
        ("5G", -115, "4g_weak"),
        ("LTE", -115.1, "no_signal"),
        ("NR", -140, "no_signal"),
        ("LTE", None, "4g_weak"),
        ("HSPA+", None, "2g_3g_only"),
        ("GSM", -70, "2g_3g_only"),
        ("EDGE", None, "2g_3g_only"),
        ("none", None, "no_signal"),
    ],
)
def test_status_from_signal(technology, rsrp, expected):
    assert status_from_signal(technology, rsrp) == expected


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("LTE", -20), "reporting range"),
        (("LTE", 45), "reporting range"),
        (("LTE", float("nan")), "finite"),
        (("wifi", -80), "unknown radio technology"),
    ],
)
def test_status_from_signal_rejects_bad_values(args, match):
    with pytest.raises(ValueError, match=match):
        status_from_signal(*args)


def test_status_from_signal_thresholds_can_be_changed_but_must_be_ordered():
    assert status_from_signal("LTE", -108, good_dbm=-110, weak_dbm=-120) == "4g_good"
    with pytest.raises(ValueError, match="must be above"):
        status_from_signal("LTE", -100, good_dbm=-120, weak_dbm=-110)


@pytest.mark.parametrize(
    ("mbps", "technology", "expected"),
    [
        (25.0, None, "4g_good"),
        (10.0, None, "4g_good"),
        (9.99, None, "4g_weak"),
        (5.0, None, "4g_weak"),
        (4.99, None, "2g_3g_only"),
        (0.2, None, "2g_3g_only"),
        (0.0, None, "no_signal"),
        (12.0, "LTE", "4g_good"),
        (0.5, "LTE", "4g_weak"),
        (12.0, "HSPA+", "2g_3g_only"),
        (0.0, "none", "no_signal"),
    ],
)
def test_status_from_speedtest(mbps, technology, expected):
    assert status_from_speedtest(mbps, technology) == expected


def test_status_from_speedtest_rejects_bad_values():
    with pytest.raises(ValueError, match=">= 0"):
        status_from_speedtest(-1.0)
    with pytest.raises(ValueError, match="weak_mbps"):
        status_from_speedtest(3.0, good_mbps=5, weak_mbps=5)
    with pytest.raises(ValueError, match="unknown radio technology"):
        status_from_speedtest(3.0, "satellite")


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("none", "no_signal"),
        ("calls_only", "2g_3g_only"),
        ("slow_internet", "4g_weak"),
        ("good_internet", "4g_good"),
        (" Good_Internet ", "4g_good"),
    ],
)
def test_status_from_citizen_answer(answer, expected):
    assert status_from_citizen_answer(answer) == expected


@pytest.mark.parametrize("answer", ["fast", "", None, 3])
def test_status_from_citizen_answer_rejects_other_answers(answer):
    with pytest.raises(ValueError, match="unknown citizen answer"):
        status_from_citizen_answer(answer)


@pytest.mark.parametrize(
    ("phone", "internet", "expected"),
    [
        ("Sinyal sangat kuat", "5G/4G/LTE", "4g_good"),
        ("Sinyal kuat", "4G/LTE", "4g_good"),
        ("sinyal  KUAT", "5G / 4G / LTE", "4g_good"),
        ("Sinyal lemah", "5G/4G/LTE", "4g_weak"),
        (None, "5G/4G/LTE", "4g_weak"),
        ("Sinyal kuat", "3G/H/H+/EVDO", "2g_3g_only"),
        ("Sinyal sangat kuat", "2.5G/E/GPRS", "2g_3g_only"),
        (None, "3G/H/H+/EVDO", "2g_3g_only"),
        ("Sinyal kuat", "Tidak ada sinyal internet", "2g_3g_only"),
        ("Sinyal lemah", None, "2g_3g_only"),
        ("Tidak ada sinyal", "Tidak ada sinyal internet", "no_signal"),
        ("Tidak ada sinyal", None, "no_signal"),
        (None, "Tidak ada sinyal internet", "no_signal"),
        ("Sinyal kuat", 1, "4g_good"),
        ("Sinyal kuat", "2", "2g_3g_only"),
        ("Sinyal kuat", 3, "2g_3g_only"),
        ("Tidak ada sinyal", 4, "no_signal"),
    ],
)
def test_status_from_podes_maps_the_podes_categories(phone, internet, expected):
    assert status_from_podes(phone, internet) == expected


@pytest.mark.parametrize(
    ("phone", "internet", "match"),
    [
        (None, None, "needs R1005C"),
        ("Tidak ada sinyal", "5G/4G/LTE", "contradictory"),
        ("Tidak ada sinyal", 2, "contradictory"),
        ("Sinyal sedang", "5G/4G/LTE", "phone-signal category"),
        ("Sinyal kuat", "5G", "internet-signal category"),
        ("Sinyal kuat", 5, "expected 1-4"),
    ],
)
def test_status_from_podes_rejects_unknown_or_contradictory_records(phone, internet, match):
    with pytest.raises(ValueError, match=match):
        status_from_podes(phone, internet)


def test_the_podes_mapper_knows_exactly_the_categories_of_the_framework_file():
    # Categories of R1005C and R1005D in shared/data/raw/frameworks/podes_telecom_variables.csv.
    phone = ["Sinyal sangat kuat", "Sinyal kuat", "Sinyal lemah", "Tidak ada sinyal"]
    internet = ["5G/4G/LTE", "3G/H/H+/EVDO", "2.5G/E/GPRS", "Tidak ada sinyal internet", "4G/LTE"]
    mapped = {(p, i): status_from_podes(p, i) for p in phone[:3] for i in internet}
    assert set(mapped.values()) == {Status.GOOD_4G, Status.WEAK_4G, Status.ONLY_2G_3G}
    assert status_from_podes(phone[3], internet[3]) is Status.NO_SIGNAL


def test_status_from_blank_spot():
    assert status_from_blank_spot(True) is Status.NO_SIGNAL
    assert status_from_blank_spot(False) is None
    with pytest.raises(ValueError, match="True or False"):
        status_from_blank_spot("yes")


# --- the worked examples of docs/status-engine.md -----------------------------------------------


def test_example_1_blank_spot_list_2021_and_a_2026_citizen_report():
    result = fuse(
        [
            Evidence("prior:kutim-2021", "prior_list", date(2021, 12, 1), "no_signal"),
            Evidence("report:118", "citizen_report", date(2026, 5, 20), "4g_good"),
        ],
        as_of=date(2026, 6, 1),
    )
    assert result.overall == OperatorStatus(
        status=Status.GOOD_4G, as_of=date(2026, 5, 20), confidence=0.2735,
        decided_by=("report:118",),
    )  # fmt: skip


def test_example_2_speed_tests_of_two_operators_and_of_one():
    two = fuse(
        [
            Evidence("st:tsel-1", "speedtest", date(2026, 4, 10), "4g_good", operator="telkomsel"),
            Evidence("st:xl-1", "speedtest", date(2026, 4, 12), "no_signal", operator="xl"),
        ],
        as_of=date(2026, 6, 1),
    )
    assert two.overall.status is Status.GOOD_4G
    assert two.overall.confidence == 0.4911
    assert not two.overall.needs_review
    assert two.by_operator["xl"].confidence == 0.4949

    one = fuse(
        [
            Evidence("st:tsel-1", "speedtest", date(2026, 4, 10), "4g_good", operator="telkomsel"),
            Evidence("st:tsel-2", "speedtest", date(2026, 3, 1), "no_signal", operator="telkomsel"),
        ],
        as_of=date(2026, 6, 1),
    )
    tsel = one.by_operator["telkomsel"]
    assert tsel.status is Status.NO_SIGNAL
    assert tsel.as_of == date(2026, 3, 1)
    assert tsel.confidence == 0.1943
    assert tsel.needs_review
    assert tsel.disputed_by == ("st:tsel-1",)
    assert one.overall.needs_review


def test_example_3_an_old_survey_and_a_newer_blank_spot_list():
    result = fuse(
        [
            Evidence("podes:2021", "village_survey", date(2021, 5, 1), "4g_good"),
            Evidence("prior:kutim-2022", "prior_list", date(2022, 7, 21), "no_signal"),
        ],
        as_of=date(2024, 1, 1),
    )
    assert result.overall.status is Status.NO_SIGNAL
    assert result.overall.decided_by == ("prior:kutim-2022",)
    assert result.overall.confidence == 0.0687
    assert not result.overall.needs_review


def test_example_4_a_newer_village_survey_against_an_old_operator_measurement():
    result = fuse(
        [
            Evidence("podes:2026", "village_survey", date(2026, 5, 2), "no_signal"),
            Evidence(
                "st:tsel-2024", "speedtest", date(2024, 6, 1), "4g_good", operator="telkomsel"
            ),
        ],
        as_of=date(2026, 6, 1),
    )
    assert result.overall.status is Status.NO_SIGNAL
    assert result.overall.confidence == 0.3197
    assert result.by_operator["telkomsel"].status is Status.GOOD_4G
    assert result.by_operator["telkomsel"].confidence == 0.0361
