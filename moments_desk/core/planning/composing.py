"""What the post composer asks of the database besides its look-ups: the draft checked against
the rest of the plan, and saving the draft. No Qt; each function takes an open session (run
it inside ``core.shared.uow.read``/``write``) and hands back plain data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta, tzinfo
from pathlib import Path

from sqlalchemy.orm import Session

from moments_desk.core.planning.post_views import PostDraft, plan_items
from moments_desk.core.planning.posts import create_post, update_post
from moments_desk.core.planning.rules import (
    PlanItem,
    RuleSettings,
    RuleViolation,
    check_plan,
    violations_for,
)
from moments_desk.core.planning.settings import load_all_rule_settings

#: How far around the draft's time other posts can break a time rule with it (the widest
#: rule looks at a month).
PLAN_MARGIN = timedelta(days=31)


@dataclass(frozen=True)
class PlanCheck:
    """The draft against the plan: what it breaks, and every account's limits (the checks
    the composer re-runs on each keystroke without the database need them)."""

    violations: list[RuleViolation]
    settings: dict[int, RuleSettings]


def check_against_plan(
    session: Session, item: PlanItem, media_root: Path, zone: tzinfo
) -> PlanCheck:
    """The rules ``item`` (the unsaved draft, or a saved post as edited) breaks together with
    the other posts around its time."""
    settings = load_all_rule_settings(session)
    if item.at is None:
        return PlanCheck([], settings)  # no time, no time rule to break
    at = item.at
    others = [
        p
        for p in plan_items(session, at - PLAN_MARGIN, at + PLAN_MARGIN, media_root)
        if p.post_id != item.post_id
    ]
    found = check_plan([*others, item], settings, zone)
    return PlanCheck(violations_for(item.post_id, found), settings)


def save_draft(
    session: Session,
    post_id: int | None,
    draft: PostDraft,
    user_id: int | None,
    base: PostDraft | None = None,
) -> int:
    """A new post (``post_id`` None) or the composer's changes to one; returns its id.
    ``base``: the post as the composer opened it, so only what the seller changed is written
    (``update_post``)."""
    if post_id is None:
        return create_post(session, draft)
    update_post(session, post_id, draft, user_id=user_id, base=base)
    return post_id
