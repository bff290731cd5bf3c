"""Customer reports against figures worked out by hand (see shop.build_customer_shop)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session, sessionmaker

from moments_desk.core.reports import customers as cr
from moments_desk.core.reports.customers import Segment
from moments_desk.core.reports.period import ReportFilter
from moments_desk.db.models import CustomerStage
from tests.core.reports.shop import SHANGHAI, build_cohort_shop, build_customer_shop

pytestmark = pytest.mark.db
YEAR = ReportFilter(date(2025, 11, 23), date(2026, 11, 22), SHANGHAI)
MONTH = ReportFilter(date(2026, 10, 24), date(2026, 11, 22), SHANGHAI)


@pytest.fixture
def ids(session_factory: sessionmaker[Session]) -> dict[str, int]:
    with session_factory.begin() as s:
        return build_customer_shop(s)


def test_rfm_scores_and_segments(
    session_factory: sessionmaker[Session], ids: dict[str, int]
) -> None:
    with session_factory() as s:
        found = {f.segment: f for f in cr.rfm_segments(s, YEAR)}
        on_a = {
            f.segment: f.customers
            for f in cr.rfm_segments(s, ReportFilter(YEAR.start, YEAR.end, SHANGHAI, ids["a"]))
        }
        at_risk = cr.segment_members(s, YEAR, Segment.AT_RISK)
        new = cr.segment_members(s, YEAR, Segment.NEW)
    counts = {segment: f.customers for segment, f in found.items()}
    # r1 R3 F3 · r2 R2 F2 · r3, b1, f1 R3 F1 · r4 R2 F1 · r5 R1 F2, r6 R1 M3 · r7 R1 F1 M1;
    # r8 has only a cancelled order.
    assert counts == {
        Segment.CHAMPIONS: 1,
        Segment.LOYAL: 1,
        Segment.NEW: 3,
        Segment.NEEDS_ATTENTION: 1,
        Segment.AT_RISK: 2,
        Segment.LOST: 1,
    }
    assert (found[Segment.CHAMPIONS].orders, found[Segment.CHAMPIONS].revenue_fen) == (5, 125_000)
    assert found[Segment.AT_RISK].revenue_fen == 150_000 + 30_000
    assert on_a[Segment.NEW] == 2  # b1 is on the other account
    assert [(m.customer_id, m.r, m.f, m.m) for m in at_risk] == [
        (ids["r6"], 1, 1, 3),
        (ids["r5"], 1, 2, 2),
    ]
    assert at_risk[0].name == "r6" and at_risk[0].account == "主号"
    assert {m.customer_id for m in new} == {ids["r3"], ids["b1"], ids["f1"]}


def test_recency_is_measured_from_the_ranges_end(
    session_factory: sessionmaker[Session], ids: dict[str, int]
) -> None:
    # As of 1 September 2026: r1 has one order (15 Aug, 17 days before), the others come
    # later; r5's three orders end on 26 July (37 days before); r2 has not bought yet.
    summer = ReportFilter(date(2026, 6, 1), date(2026, 8, 31), SHANGHAI)
    with session_factory() as s:
        loyal = cr.segment_members(s, summer, Segment.LOYAL)
        new = cr.segment_members(s, summer, Segment.NEW)
    assert [(m.customer_id, m.orders, m.r, m.f) for m in loyal] == [(ids["r5"], 3, 2, 2)]
    assert [(m.customer_id, m.orders, m.r, m.f) for m in new] == [(ids["r1"], 1, 3, 1)]


def test_repurchase_rate(session_factory: sessionmaker[Session], ids: dict[str, int]) -> None:
    with session_factory() as s:
        year = cr.repurchase(s, YEAR)
        month = cr.repurchase(s, MONTH)
    # Buyers in the year: r1..r7, b1, f1 = 9; twice or more: r1, r2, r5.
    assert (year.buyers, year.repeat_buyers) == (9, 3)
    assert year.rate == pytest.approx(1 / 3)
    # Last 30 days: r1 (2 orders), r3, b1, f1.
    assert (month.buyers, month.repeat_buyers) == (4, 1)


def test_funnel_counts_every_stage_and_those_beyond(
    session_factory: sessionmaker[Session], ids: dict[str, int]
) -> None:
    with session_factory() as s:
        steps = cr.funnel(s, YEAR)
    assert [(st.stage, st.at_stage, st.reached) for st in steps] == [
        (CustomerStage.PROSPECT, 4, 12),
        (CustomerStage.CUSTOMER, 5, 8),
        (CustomerStage.FAN, 2, 3),
        (CustomerStage.IRON_FAN, 1, 1),
    ]


def test_referrals_show_who_brought_whom(
    session_factory: sessionmaker[Session], ids: dict[str, int]
) -> None:
    with session_factory() as s:
        total, top = cr.referrers(s, YEAR)
        month_total, month_top = cr.referrers(s, MONTH)
    assert total == 3
    assert [
        (r.customer_id, r.referred, r.referred_buyers, r.referred_revenue_fen) for r in top
    ] == [
        (ids["r1"], 2, 1, 30_000),
        (ids["r2"], 1, 0, 0),
    ]
    assert month_total == 2  # f3 joined on 9 October
    assert [r.customer_id for r in month_top] == [ids["r1"]]


def test_cohorts_and_movement_by_local_month(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as s:
        build_cohort_shop(s)
    autumn = ReportFilter(date(2026, 9, 1), date(2026, 11, 30), SHANGHAI)
    with session_factory() as s:
        cohorts = cr.cohorts(s, autumn)
        moves = cr.movement(s, autumn)
    # x4 first bought in August: in no cohort. x3's first order at 00:30 on 1 November in
    # Shanghai (31 October in UTC) makes her November's.
    assert [(c.month, c.size, c.active) for c in cohorts] == [
        ("2026-09", 2, (2, 1, 1)),
        ("2026-10", 0, (0, 0)),
        ("2026-11", 1, (1,)),
    ]
    assert cohorts[0].retention(1) == 0.5
    assert cohorts[1].retention(1) is None
    assert cohorts[2].retention(1) is None
    assert [
        (m.month, m.new_friends, m.first_orders, m.second_orders, m.fifth_orders) for m in moves
    ] == [
        ("2026-09", 2, 2, 1, 0),  # x4's second order counts in September
        ("2026-10", 1, 0, 1, 0),
        ("2026-11", 0, 1, 1, 0),
    ]


def test_movement_follows_the_ladder_thresholds_in_settings(
    session_factory: sessionmaker[Session],
) -> None:
    from moments_desk.core.stages.ladder import StageThresholds, save_thresholds

    with session_factory.begin() as s:
        build_cohort_shop(s)
        save_thresholds(s, StageThresholds(fan_orders=3, iron_orders=4))
    autumn = ReportFilter(date(2026, 9, 1), date(2026, 11, 30), SHANGHAI)
    with session_factory() as s:
        moves = cr.movement(s, autumn)
        funnel = {step.stage: step.at_stage for step in cr.funnel(s, autumn)}
    # A fan now needs three paid orders: only x1's third (2 November) moves anyone.
    assert [(m.month, m.second_orders) for m in moves] == [
        ("2026-09", 0),
        ("2026-10", 0),
        ("2026-11", 1),
    ]
    # The funnel reads the stages the ladder placed: x1 a fan, x2 x3 x4 customers.
    assert (funnel[CustomerStage.FAN], funnel[CustomerStage.CUSTOMER]) == (1, 3)
