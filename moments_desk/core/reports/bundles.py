"""What each Reports tab loads in one go on the DB thread, and its tables for export."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo

from sqlalchemy.orm import Session

from moments_desk.core.reports import customers as cr
from moments_desk.core.reports import posts as pr
from moments_desk.core.reports.period import ReportFilter
from moments_desk.core.reports.table import Column, ReportTable, yuan
from moments_desk.core.reports.variants import VariantFigures, sales_by_variant

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class PostReport:
    filter: ReportFilter
    rows: list[pr.PostPerformance]
    kinds: list[pr.GroupFigures]
    categories: list[pr.GroupFigures]
    cells: list[pr.HeatCell]
    best: list[pr.HeatCell]
    cadence: list[pr.CadenceFigures]
    #: pieces sold and left per category and size (the size curve)
    sizes: list[VariantFigures] = field(default_factory=list)


@dataclass(frozen=True)
class CustomerReport:
    filter: ReportFilter
    segments: list[cr.SegmentFigures]
    funnel: list[cr.FunnelStep]
    movement: list[cr.MonthMovement]
    repurchase: cr.Repurchase
    referred_total: int
    referrers: list[cr.Referrer]
    cohorts: list[cr.Cohort]


def load_post_report(
    session: Session,
    f: ReportFilter,
    now: datetime,
    sort: pr.PostSort = pr.PostSort.POSTED_AT,
    descending: bool = True,
) -> PostReport:
    rows = pr.post_performance(session, f, sort, descending)
    cells = pr.heatmap(rows, f.zone)
    return PostReport(
        f,
        rows,
        pr.by_kind(rows),
        pr.by_category(session, f),
        cells,
        pr.best_slots(cells),
        pr.cadence(session, f, now),
        sales_by_variant(session, f),
    )


def load_customer_summary(session: Session, f: ReportFilter) -> CustomerReport:
    """The quick part (RFM, funnel, repurchase, referrals); movement and cohorts left empty.

    The page shows these first and fills in ``load_customer_trends`` when it arrives.
    """
    total, top = cr.referrers(session, f)
    return CustomerReport(
        f,
        cr.rfm_segments(session, f),
        cr.funnel(session, f),
        [],
        cr.repurchase(session, f),
        total,
        top,
        [],
    )


def load_customer_trends(
    session: Session, f: ReportFilter
) -> tuple[list[cr.MonthMovement], list[cr.Cohort]]:
    """Stage movement and cohorts: each walks every order before the range's end."""
    return cr.movement(session, f), cr.cohorts(session, f)


def load_customer_report(session: Session, f: ReportFilter) -> CustomerReport:
    movement, cohorts = load_customer_trends(session, f)
    return replace(load_customer_summary(session, f), movement=movement, cohorts=cohorts)


# -- tables -----------------------------------------------------------------------------------
# Column titles here are English fallbacks; the UI passes translated headers to the exporters.


def posts_table(report: PostReport) -> ReportTable:
    zone = report.filter.zone
    return ReportTable(
        "posts",
        "Post performance",
        (
            Column("posted_at", "Posted", "text"),
            Column("kind", "Kind", "text"),
            Column("text", "Text", "text"),
            Column("likes", "Likes"),
            Column("comments", "Comments"),
            Column("inquiries", "Inquiries"),
            Column("orders", "Orders"),
            Column("revenue", "Revenue", "money"),
            Column("reach", "Friends who could see it"),
            Column("conversion_reach", "Orders ÷ friends", "percent"),
            Column("conversion_interactions", "Orders ÷ interactions", "percent"),
        ),
        tuple(
            (
                r.posted_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                r.kind.value,
                r.first_line,
                r.likes,
                r.comments,
                r.inquiries,
                r.orders,
                yuan(r.revenue_fen),
                r.reach,
                r.conversion_reach,
                r.conversion_interactions,
            )
            for r in report.rows
        ),
    )


def groups_table(name: str, title: str, groups: list[pr.GroupFigures]) -> ReportTable:
    return ReportTable(
        name,
        title,
        (
            Column("key", "Group", "text"),
            Column("posts", "Posts"),
            Column("orders", "Orders"),
            Column("revenue", "Revenue", "money"),
            Column("orders_per_post", "Orders per post", "float"),
        ),
        tuple((g.key, g.posts, g.orders, yuan(g.revenue_fen), g.orders_per_post) for g in groups),
    )


def heatmap_table(report: PostReport) -> ReportTable:
    return ReportTable(
        "heatmap",
        "Weekday × hour",
        (
            Column("weekday", "Weekday", "text"),
            Column("hour", "Hour"),
            Column("posts", "Posts"),
            Column("interactions", "Interactions"),
            Column("orders", "Orders"),
            Column("orders_per_post", "Orders per post", "float"),
        ),
        tuple(
            (WEEKDAYS[c.weekday], c.hour, c.posts, c.interactions, c.orders, c.orders_per_post)
            for c in report.cells
            if c.posts
        ),
    )


def cadence_table(report: PostReport) -> ReportTable:
    return ReportTable(
        "cadence",
        "Cadence kept vs missed",
        (
            Column("slot", "Slot", "text"),
            Column("weekday", "Weekday", "text"),
            Column("time", "Time", "text"),
            Column("planned", "Planned"),
            Column("kept", "Kept"),
            Column("missed", "Missed"),
        ),
        tuple(
            (
                c.label,
                "" if c.weekday is None else WEEKDAYS[c.weekday],
                c.time_of_day.strftime("%H:%M"),
                c.planned,
                c.kept,
                c.missed,
            )
            for c in report.cadence
        ),
    )


def segments_table(report: CustomerReport) -> ReportTable:
    return ReportTable(
        "rfm",
        "RFM segments",
        (
            Column("segment", "Segment", "text"),
            Column("customers", "Customers"),
            Column("orders", "Orders"),
            Column("revenue", "Revenue", "money"),
        ),
        tuple(
            (s.segment.value, s.customers, s.orders, yuan(s.revenue_fen)) for s in report.segments
        ),
    )


def funnel_table(report: CustomerReport) -> ReportTable:
    return ReportTable(
        "funnel",
        "Stage funnel",
        (
            Column("stage", "Stage", "text"),
            Column("at_stage", "At this stage"),
            Column("reached", "Reached it or beyond"),
        ),
        tuple((s.stage.value, s.at_stage, s.reached) for s in report.funnel),
    )


def movement_table(report: CustomerReport) -> ReportTable:
    return ReportTable(
        "movement",
        "Stage movement by month",
        (
            Column("month", "Month", "text"),
            Column("new_friends", "New friends"),
            Column("first_orders", "First orders"),
            Column("second_orders", "Second orders"),
            Column("fifth_orders", "Fifth orders"),
        ),
        tuple(
            (m.month, m.new_friends, m.first_orders, m.second_orders, m.fifth_orders)
            for m in report.movement
        ),
    )


def referrers_table(report: CustomerReport) -> ReportTable:
    return ReportTable(
        "referrals",
        "Referrals",
        (
            Column("name", "Referrer", "text"),
            Column("referred", "Friends referred"),
            Column("buyers", "Of whom bought"),
            Column("referred_revenue", "Revenue from them", "money"),
        ),
        tuple(
            (r.name, r.referred, r.referred_buyers, yuan(r.referred_revenue_fen))
            for r in report.referrers
        ),
    )


def cohorts_table(report: CustomerReport) -> ReportTable:
    span = max((len(c.active) for c in report.cohorts), default=0)
    return ReportTable(
        "cohorts",
        "Retention by month of first order",
        (
            Column("month", "First order", "text"),
            Column("size", "Customers"),
            *(Column(f"m{k}", f"+{k}", "percent") for k in range(1, span)),
        ),
        tuple((c.month, c.size, *(c.retention(k) for k in range(1, span))) for c in report.cohorts),
    )


def members_table(members: list[cr.SegmentMember], zone: tzinfo) -> ReportTable:
    return ReportTable(
        "members",
        "Customers",
        (
            Column("name", "Customer", "text"),
            Column("account", "Account", "text"),
            Column("last_order", "Last order", "text"),
            Column("orders", "Orders"),
            Column("revenue", "Revenue", "money"),
            Column("rfm", "R F M", "text"),
        ),
        tuple(
            (
                m.name,
                m.account,
                m.last_order.astimezone(zone).strftime("%Y-%m-%d"),
                m.orders,
                yuan(m.revenue_fen),
                f"{m.r} {m.f} {m.m}",
            )
            for m in members
        ),
    )
