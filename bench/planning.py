"""Auto-draft and rule-check a year of cadence against the 5,000-product catalogue.

The cadence is the one the issue names: Tue/Thu 20:00 new arrivals, daily 12:00 lifestyle
and daily 21:30 #每日一荐# on one account (≈830 occurrences a year). Measured:

- the pure core the issue's ≤ 200 ms target is about: occurrences (APScheduler CronTrigger),
  ``propose_drafts`` over 5,000 candidates and ``check_plan`` of the year that results;
- baseline: occurrences alone, the part no planner can skip;
- end to end through the database: ``plan_weeks(52)`` (loads products, history, writes the
  drafts; rolled back so the dataset stays as built) and the planner's month query.
"""

from __future__ import annotations

import dataclasses
from datetime import time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bench.common import Result, median_ms
from bench.dataset import NOW
from moments_desk.core.planning.autodraft import propose_drafts
from moments_desk.core.planning.cadence import SlotSpec, occurrences
from moments_desk.core.planning.drafting import load_candidates, plan_weeks
from moments_desk.core.planning.post_views import list_posts
from moments_desk.core.planning.rules import PlanItem, RuleSettings, check_plan
from moments_desk.core.planning.templates import DEFAULT_TEMPLATES
from moments_desk.db.engine import DB_FILENAME, make_engine, make_session_factory, sqlite_url
from moments_desk.db.models import CadenceSlot, PostKind, PostStatus, WeChatAccount

ZONE = ZoneInfo("Asia/Shanghai")
TARGET_MS = 200.0
ACCOUNTS = 10


def _cadence() -> dict[int, SlotSpec]:
    na = DEFAULT_TEMPLATES["new_arrival"]
    return {
        1: SlotSpec(1, 1, time(20), PostKind.NEW_ARRIVAL, "周二上新", template=na),
        2: SlotSpec(1, 3, time(20), PostKind.NEW_ARRIVAL, "周四上新", template=na),
        3: SlotSpec(1, None, time(12), PostKind.LIFESTYLE, "午间生活", template="☀️午间分享"),
        4: SlotSpec(
            1, None, time(21, 30), PostKind.PROMOTION, "#每日一荐#", template="#每日一荐# {name}"
        ),
    }


def _ten_accounts(
    sessions: sessionmaker[Session], slots: dict[int, SlotSpec], repeat: int
) -> Result:
    """The issue's "a year for 10 accounts": the bench cadence on each of 10 accounts (the
    shop's own and new ones), ``plan_weeks(52)`` end to end, against occurrences alone."""
    added: list[SlotSpec] = []

    def plan() -> int:
        with sessions() as session:
            have = list(session.scalars(select(WeChatAccount.id).order_by(WeChatAccount.id)))
            for n in range(len(have), ACCOUNTS):
                account = WeChatAccount(label=f"bench {n + 1}", nickname=f"bench {n + 1}")
                session.add(account)
                session.flush()
                have.append(account.id)
            rows = [
                CadenceSlot(
                    account_id=account_id,
                    weekday=s.weekday,
                    time_of_day=s.time_of_day,
                    kind=s.kind,
                    label=s.label,
                    template=s.template,
                    active=True,
                )
                for account_id in have[:ACCOUNTS]
                for s in slots.values()
            ]
            session.add_all(rows)
            session.flush()
            added[:] = [dataclasses.replace(s, account_id=a) for a in have for s in slots.values()]
            outcome = plan_weeks(session, 52, NOW, zone=ZONE)
            session.rollback()
            return len(outcome.created)

    drafts = plan()
    took = median_ms(plan, max(1, repeat // 2))
    specs = dict(enumerate(added))
    end = NOW + timedelta(days=371)
    base = median_ms(lambda: occurrences(specs.items(), NOW, end, ZONE), repeat)
    return Result(
        f"plan a year for {ACCOUNTS} accounts (plan_weeks(52), {drafts:,} drafts, rolled back)",
        took,
        "occurrences alone",
        base,
        note=f"target ≤ {TARGET_MS:.0f} ms: " + ("met" if took <= TARGET_MS else "MISSED"),
    )


def run(shop: Path, repeat: int) -> list[Result]:
    engine = make_engine(sqlite_url(shop / DB_FILENAME))
    sessions = make_session_factory(engine)
    with sessions() as session:
        candidates = load_candidates(session)
    slots = _cadence()
    # Sales posts may exceed the default 10 a week here: the bench measures, it does not judge.
    rules = {1: RuleSettings(max_sales_posts_per_week=20)}
    end = NOW + timedelta(days=365)
    year = occurrences(slots.items(), NOW, end, ZONE)

    def core() -> int:
        planned = occurrences(slots.items(), NOW, end, ZONE)
        proposals, _, _ = propose_drafts(planned, slots, candidates, [], rules, ZONE)
        items = [
            PlanItem(
                n, p.kind, p.at, (1,), PostStatus.DRAFT, p.product_ids, len(p.image_ids), p.text
            )
            for n, p in enumerate(proposals)
        ]
        return len(check_plan(items, rules, ZONE))

    def occurrences_only() -> int:
        return len(occurrences(slots.items(), NOW, end, ZONE))

    planned = occurrences(slots.items(), NOW, end, ZONE)
    proposals, empty, _ = propose_drafts(planned, slots, candidates, [], rules, ZONE)
    core_ms = median_ms(core, repeat)
    base_ms = median_ms(occurrences_only, repeat)
    results = [
        Result(
            f"auto-draft + rule-check a year ({len(year)} occurrences, "
            f"{len(candidates):,} products)",
            core_ms,
            "occurrences only (CronTrigger)",
            base_ms,
            note=f"{len(proposals)} drafts, {len(empty)} left empty; target ≤ {TARGET_MS:.0f} ms: "
            + ("met" if core_ms <= TARGET_MS else "MISSED"),
        )
    ]

    def end_to_end() -> int:
        with sessions() as session:
            session.add_all(
                CadenceSlot(
                    account_id=1,
                    weekday=s.weekday,
                    time_of_day=s.time_of_day,
                    kind=s.kind,
                    label=s.label,
                    template=s.template,
                    active=True,
                )
                for s in slots.values()
            )
            session.flush()
            outcome = plan_weeks(session, 52, NOW, zone=ZONE)
            session.rollback()
            return len(outcome.created)

    results.append(
        Result(
            "plan_weeks(52) end to end in SQLite (demo cadence + the bench's, rolled back)",
            median_ms(end_to_end, max(1, repeat // 2)),
        )
    )

    results.append(_ten_accounts(sessions, slots, repeat))

    def month() -> int:
        with sessions() as session:
            return len(list_posts(session, NOW - timedelta(days=28), NOW, shop / "media", ZONE))

    results.append(
        Result(
            "planner month query with rule warnings (list_posts, 4 weeks)", median_ms(month, repeat)
        )
    )
    engine.dispose()
    return results
