"""``moments-desk plan``: auto-draft the next weeks headless and print the rule check."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from moments_desk.scheduling.clock import Clock


def plan_command(args: argparse.Namespace, clock: Clock | None = None) -> int:
    from moments_desk.cli.text import cli_language, render, report_startup_failure
    from moments_desk.core.planning.drafting import plan_weeks
    from moments_desk.core.planning.errors import PlanningError
    from moments_desk.core.planning.labels import empty_reason, kind_label
    from moments_desk.core.planning.messages import error_message, violation_message
    from moments_desk.core.planning.post_views import plan_items
    from moments_desk.core.planning.rules import check_plan
    from moments_desk.core.planning.settings import load_all_rule_settings, shop_zone
    from moments_desk.paths import default_data_dir
    from moments_desk.scheduling.clock import SystemClock
    from moments_desk.startup import StartupError, open_shop

    lang = cli_language(args.lang)
    try:
        shop = open_shop(args.data_dir or default_data_dir(), args.database)
    except StartupError as error:
        return report_startup_failure(error, args.lang)
    now = (clock or SystemClock()).now()
    try:
        with shop.sessions() as session:
            code, refusal = _nothing_to_plan(session, args.account)
            if refusal:
                print(f"moments-desk: {refusal}", file=sys.stderr)
                return code
            zone = shop_zone(session)
            try:
                outcome = plan_weeks(session, args.weeks, now, account_id=args.account, zone=zone)
            except PlanningError as error:
                sentence = error_message(error.code, error.params) or error.code
                print(f"moments-desk: {render(sentence, lang)}", file=sys.stderr)
                return 1
            for p in outcome.proposals:
                first_line = p.text.split("\n", 1)[0]
                local = p.at.astimezone(zone).strftime("%Y-%m-%d %a %H:%M")
                account = f"account {p.account_id}"
                print(f"{local}  {account}  {render(kind_label(p.kind.value), lang)}  {first_line}")
            for e in outcome.empty:
                local = e.at.astimezone(zone).strftime("%Y-%m-%d %a %H:%M")
                reason = render(empty_reason(e.reason), lang)
                print(f"{local}  account {e.account_id}  -  {reason}")
            print(
                f"drafts: {len(outcome.created)}  already planned: {outcome.kept}  "
                f"left empty: {len(outcome.empty)}  redrafted: {len(outcome.replaced)}"
            )
            end = now + timedelta(weeks=args.weeks + 1)
            items = plan_items(session, now, end, shop.paths.media, args.account)
            violations = check_plan(items, load_all_rule_settings(session), zone)
            for v in violations:
                message, advice = (render(m, lang) for m in violation_message(v))
                ids = ", ".join(f"#{i}" for i in v.post_ids)
                print(f"{v.severity.value}  {ids}: {message} {advice}")
            hard = sum(1 for v in violations if v.hard)
            print(f"rule check: {hard} hard, {len(violations) - hard} soft")
            if args.dry_run:
                session.rollback()
                print("dry run: nothing was written")
            else:
                session.commit()
        return 0
    finally:
        shop.close()


def _nothing_to_plan(session: Session, account_id: int | None) -> tuple[int, str]:
    """Why ``plan`` cannot draft anything here: (exit code, sentence); (0, "") when it can.
    A bad ``--account`` is a bad argument (2); an empty shop has nothing to plan (1)."""
    from sqlalchemy import func, select

    from moments_desk.core.team.accounts import list_accounts
    from moments_desk.db.models import CadenceSlot

    accounts = list_accounts(session)
    if not accounts:
        return 1, (
            "the shop has no WeChat account yet: add one with "
            "`moments-desk account add NAME` (or in Settings), then give it a posting rhythm."
        )
    if account_id is not None and account_id not in {a.id for a in accounts}:
        known = ", ".join(f"{a.id} {a.label}" for a in accounts)
        return (
            2,
            f"--account {account_id}: there is no WeChat account with that id; there are: {known}.",
        )
    slots = select(func.count()).where(CadenceSlot.active.is_(True))
    if account_id is not None:
        slots = slots.where(CadenceSlot.account_id == account_id)
    if not session.scalar(slots):
        return 1, (
            "no posting rhythm (weekly slots) yet, so there is nothing to draft: set one in the "
            "planner (每周时段…) or the setup wizard."
        )
    return 0, ""
