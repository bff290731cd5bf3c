"""Verifiable draws: "two random commenters win the item" with a seed anyone can re-run.

The pool is every distinct commenter (or liker) recorded under the post up to the moment
of the draw, sorted by customer id; the winners are ``random.Random(seed).sample(pool, k)``.
The seed is stored with the draw, so recomputing later gives the same winners unless the
pool itself changed (a customer deleted since), which the verification reports.
"""

from __future__ import annotations

import enum
import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP
from moments_desk.db.models import (
    Customer,
    Draw,
    Interaction,
    InteractionKind,
    Post,
    PostStatus,
)


class DrawPool(enum.StrEnum):
    COMMENTERS = "comments"
    LIKERS = "likes"


class DrawError(ValueError):
    """Something the seller can fix; ``str()`` says what."""


@dataclass(frozen=True)
class Winner:
    customer_id: int
    name: str


@dataclass(frozen=True)
class DrawResult:
    draw_id: int
    post_id: int
    pool: DrawPool
    seed: str
    pool_size: int
    excluded: int
    exclude_days: int | None
    winners: tuple[Winner, ...]
    at: datetime


@dataclass(frozen=True)
class Verification:
    draw_id: int
    same: bool
    recorded: tuple[Winner, ...]
    recomputed: tuple[Winner, ...]
    pool_size: int


def _pool(
    session: Session, post_id: int, pool: DrawPool, at: datetime, exclude_days: int | None
) -> tuple[list[int], int]:
    kind = InteractionKind.COMMENT if pool is DrawPool.COMMENTERS else InteractionKind.LIKE
    candidates = sorted(
        set(
            session.scalars(
                select(Interaction.customer_id).where(
                    Interaction.post_id == post_id,
                    Interaction.kind == kind,
                    Interaction.occurred_at <= at,
                )
            )
        )
    )
    excluded: set[int] = set()
    if exclude_days:
        since = at - timedelta(days=exclude_days)
        for winner_ids in session.scalars(
            select(Draw.winner_ids).where(Draw.created_at >= since, Draw.created_at < at)
        ):
            excluded.update(int(i) for i in winner_ids.split(",") if i)
    eligible = [c for c in candidates if c not in excluded]
    return eligible, len(candidates) - len(eligible)


def pick_winners(eligible: list[int], seed: str, count: int) -> list[int]:
    """The draw itself: the same pool and seed always give the same winners."""
    return random.Random(seed).sample(eligible, count)


def _names(session: Session, ids: list[int]) -> tuple[Winner, ...]:
    names = {
        r.id: r.remark or r.nickname
        for r in session.execute(
            select(Customer.id, Customer.remark, Customer.nickname).where(Customer.id.in_(ids))
        )
    }
    return tuple(Winner(i, names.get(i, "—")) for i in ids)


def run_draw(
    session: Session,
    post_id: int,
    count: int,
    now: datetime,
    *,
    pool: DrawPool = DrawPool.COMMENTERS,
    exclude_days: int | None = None,
    seed: str | None = None,
) -> DrawResult:
    post = session.get(Post, post_id)
    if post is None:
        raise DrawError(QT_TRANSLATE_NOOP("Draws", "This post was deleted meanwhile."))
    if post.status is not PostStatus.POSTED:
        raise DrawError(QT_TRANSLATE_NOOP("Draws", "Draws happen under posted posts only."))
    if count < 1:
        raise DrawError(
            QT_TRANSLATE_NOOP("Draws", "Draw at least 1 winner, not {count}.").format(count=count)
        )
    if exclude_days is not None and exclude_days < 1:
        exclude_days = None
    eligible, excluded = _pool(session, post_id, pool, now, exclude_days)
    if count > len(eligible) and excluded:
        raise DrawError(
            QT_TRANSLATE_NOOP(
                "Draws",
                "Only {eligible} eligible friends for {count} winners "
                "({excluded} won within {days} days).",
            ).format(eligible=len(eligible), count=count, excluded=excluded, days=exclude_days)
        )
    if count > len(eligible):
        raise DrawError(
            QT_TRANSLATE_NOOP(
                "Draws", "Only {eligible} eligible friends for {count} winners."
            ).format(eligible=len(eligible), count=count)
        )
    seed = seed or secrets.token_hex(16)
    winners = pick_winners(eligible, seed, count)
    draw = Draw(
        post_id=post_id,
        pool=pool.value,
        winners_count=count,
        seed=seed,
        exclude_days=exclude_days,
        winner_ids=",".join(str(w) for w in winners),
        created_at=now,
        updated_at=now,
    )
    session.add(draw)
    session.flush()
    return DrawResult(
        draw.id,
        post_id,
        pool,
        seed,
        len(eligible),
        excluded,
        exclude_days,
        _names(session, winners),
        now,
    )


def verify_draw(session: Session, draw_id: int) -> Verification:
    """Recompute the winners from the stored seed and pool rules."""
    draw = session.get(Draw, draw_id)
    if draw is None:
        raise DrawError(QT_TRANSLATE_NOOP("Draws", "This draw was deleted meanwhile."))
    recorded = [int(i) for i in draw.winner_ids.split(",") if i]
    eligible, _ = _pool(
        session, draw.post_id, DrawPool(draw.pool), draw.created_at, draw.exclude_days
    )
    recomputed = (
        pick_winners(eligible, draw.seed, draw.winners_count)
        if draw.winners_count <= len(eligible)
        else []
    )
    return Verification(
        draw.id,
        recomputed == recorded,
        _names(session, recorded),
        _names(session, recomputed),
        len(eligible),
    )


def list_draws(session: Session, post_id: int) -> list[DrawResult]:
    draws = session.scalars(
        select(Draw).where(Draw.post_id == post_id).order_by(Draw.created_at.desc(), Draw.id.desc())
    ).all()
    return [
        DrawResult(
            d.id,
            d.post_id,
            DrawPool(d.pool),
            d.seed,
            0,
            0,
            d.exclude_days,
            _names(session, [int(i) for i in d.winner_ids.split(",") if i]),
            d.created_at,
        )
        for d in draws
    ]
