"""Auto-drafting against the database: read the candidates, slots and history, propose
(``autodraft.propose_drafts``), then insert the drafts in the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select
from sqlalchemy.orm import Session

from moments_desk.core.catalogue.variants import in_stock, stock_line, variants_of
from moments_desk.core.library.buyer_quotes import BuyerShowPicker
from moments_desk.core.library.buyer_sources import (
    consenting_quotes,
    quoted_since,
    record_sources,
)
from moments_desk.core.library.entries import library_items, mark_used, no_repeat_weeks
from moments_desk.core.library.picking import LibraryPicker
from moments_desk.core.planning.autodraft import (
    Candidate,
    DraftProposal,
    PlanOutcome,
    propose_drafts,
)
from moments_desk.core.planning.cadence import list_slots, occurrences
from moments_desk.core.planning.errors import PlanningError
from moments_desk.core.planning.post_views import plan_items
from moments_desk.core.planning.rules import (
    PlanItem,
    local_day,
)
from moments_desk.core.planning.settings import load_all_rule_settings, shop_zone
from moments_desk.core.shared.team_lock import one_at_a_time
from moments_desk.core.spreadsheets.importing import bulk_insert
from moments_desk.db.models import (
    AudienceMode,
    Post,
    PostAccount,
    PostImage,
    PostKind,
    PostProduct,
    PostStatus,
    Product,
    ProductImage,
    ProductStatus,
    Tag,
    WeChatAccount,
    product_tag,
)


def load_candidates(session: Session) -> list[Candidate]:
    """Products that may be drafted: on sale, in stock, not archived."""
    rows = session.execute(
        select(
            Product.id,
            Product.name,
            Product.price,
            Product.code,
            Product.category,
            Product.selling_points,
            Product.taobao_url,
            Product.stock,
            Product.new_arrival_date,
        ).where(Product.status == ProductStatus.ON_SALE, Product.stock > 0, ~Product.archived)
    ).all()
    ids = {row[0] for row in rows}
    images: dict[int, list[int]] = {}
    for pid, media_id in session.execute(
        select(ProductImage.product_id, ProductImage.media_id).order_by(
            ProductImage.product_id, ProductImage.position
        )
    ):
        if pid in ids:
            images.setdefault(pid, []).append(media_id)
    tags: dict[int, list[tuple[int, str]]] = {}
    for pid, tag_id, name in session.execute(
        select(product_tag.c.product_id, Tag.id, Tag.name).join(Tag, Tag.id == product_tag.c.tag_id)
    ):
        if pid in ids:
            tags.setdefault(pid, []).append((tag_id, name))
    skus = variants_of(session, ids)
    sized = {pid: in_stock(found) for pid, found in skus.items()}
    return [
        Candidate(
            product_id=pid,
            name=name,
            price=price,
            code=code,
            category=category,
            selling_points=points,
            link=url or "",
            stock=stock,
            on_sale=True,
            new_arrival=arrival,
            tag_ids=frozenset(t for t, _ in tags.get(pid, ())),
            tag_names=tuple(n for _, n in tags.get(pid, ())),
            image_ids=tuple(images.get(pid, ())),
            colors=tuple(sized.get(pid, ((), ()))[0]),
            sizes=tuple(sized.get(pid, ((), ()))[1]),
            stock_line=stock_line(skus.get(pid, [])),
        )
        for pid, name, price, code, category, points, url, stock, arrival in rows
    ]


def _product_history(session: Session, before: datetime) -> list[PlanItem]:
    """The latest use of each product on each account before the window, as plan items."""
    at = func.max(func.coalesce(Post.posted_at, Post.scheduled_at))
    rows = session.execute(
        select(PostAccount.account_id, PostProduct.product_id, at)
        .join(Post, Post.id == PostAccount.post_id)
        .join(PostProduct, PostProduct.post_id == Post.id)
        .where(Post.status != PostStatus.SKIPPED, Post.scheduled_at < before)
        .group_by(PostAccount.account_id, PostProduct.product_id)
    ).all()
    # Negative ids: these stand for history only and never reach the database.
    return [
        PlanItem(
            post_id=-(n + 1),
            kind=PostKind.LIFESTYLE,
            at=when,
            account_ids=(account_id,),
            status=PostStatus.POSTED,
            product_ids=(product_id,),
        )
        for n, (account_id, product_id, when) in enumerate(rows)
        if when is not None
    ]


def plan_weeks(
    session: Session,
    weeks: int,
    now: datetime,
    *,
    account_id: int | None = None,
    zone: tzinfo | None = None,
) -> PlanOutcome:
    """Fill the free slot occurrences from ``now`` to the end of the local week that holds
    ``today + 7·weeks − 1`` days with drafts (one transaction: run inside ``uow.write``)."""
    if not 1 <= weeks <= 53:
        raise PlanningError("bad_weeks", "Plan between 1 and 53 weeks ahead.", "weeks", weeks=weeks)
    # Two laptops planning at once would both find the same slot free: the second waits
    # for the first and then sees its drafts.
    one_at_a_time(session, "plan_weeks")
    zone = zone or shop_zone(session)
    today = now.astimezone(zone).date()
    # Whole local weeks: up to the Sunday of the week that holds today + 7·weeks − 1 days.
    horizon = today + timedelta(days=7 * weeks - 1)
    last_day = horizon - timedelta(days=horizon.weekday()) + timedelta(days=7)
    end = datetime.combine(last_day, time(0), tzinfo=zone).astimezone(UTC)
    views = [v for v in list_slots(session, account_id) if v.spec.active]
    archived = set(session.scalars(select(WeChatAccount.id).where(WeChatAccount.archived)))
    slots = {v.id: v.spec for v in views if v.spec.account_id not in archived}
    planned = occurrences(slots.items(), now, end, zone)
    settings = load_all_rule_settings(session)
    candidates = load_candidates(session)
    replaced = _drop_stale_drafts(session, now, end, {c.product_id for c in candidates})
    margin = timedelta(
        days=max([7, *(max(s.product_cooldown_days, s.mix_window_days) for s in settings.values())])
        + 1
    )
    existing = plan_items(session, now - margin, end + margin)
    occupied = {
        (slot_id, local_day(at, zone))
        for slot_id, at in session.execute(
            select(Post.slot_id, Post.scheduled_at).where(
                Post.slot_id.is_not(None),
                Post.scheduled_at >= now - timedelta(days=1),
                Post.scheduled_at < end + timedelta(days=1),
            )
        )
        if slot_id is not None and at is not None
    }
    history = _product_history(session, now - margin)
    names = {a.id: a.nickname or a.label for a in session.scalars(select(WeChatAccount))}
    weeks_apart = no_repeat_weeks(session)
    library = LibraryPicker(
        library_items(session),
        timedelta(weeks=weeks_apart),
        _recent_texts(session, now - timedelta(weeks=weeks_apart), end),
    )
    # Only customers who allowed it are read at all; each is quoted once per window.
    buyers = BuyerShowPicker(
        consenting_quotes(session),
        timedelta(weeks=weeks_apart),
        quoted_since(session, now - timedelta(weeks=weeks_apart)),
    )
    proposals, empty, kept = propose_drafts(
        planned,
        slots,
        candidates,
        [*history, *existing],
        settings,
        zone,
        occupied=occupied,
        shop_names=names,
        library=library,
        buyers=buyers,
    )
    created = _insert(session, proposals)
    record_sources(
        session,
        ((pid, *p.quote) for pid, p in zip(created, proposals, strict=True) if p.quote),
    )
    mark_used(session, {p.entry_id: p.at for p in proposals if p.entry_id is not None})
    return PlanOutcome(tuple(created), kept, tuple(empty), tuple(proposals), tuple(replaced))


def _recent_texts(
    session: Session, start: datetime, end: datetime
) -> dict[int, list[tuple[datetime, str]]]:
    """Texts each account showed or plans in [start, end): the library never repeats them."""
    found: dict[int, list[tuple[datetime, str]]] = {}
    for account_id, at, text in session.execute(
        select(PostAccount.account_id, Post.scheduled_at, Post.text)
        .join(Post, Post.id == PostAccount.post_id)
        .where(
            Post.status != PostStatus.SKIPPED,
            Post.scheduled_at >= start,
            Post.scheduled_at < end,
            Post.kind.in_([PostKind.LIFESTYLE, PostKind.FEEDBACK]),
        )
    ):
        if at is not None and text:
            found.setdefault(account_id, []).append((at, text))
    return found


def _drop_stale_drafts(
    session: Session, start: datetime, end: datetime, eligible: set[int]
) -> list[int]:
    """Delete untouched auto-drafts in the window whose products can no longer be sold or
    changed since (name, price, pictures, stock): they are drafted again from the products
    as they are now. A draft a person edited is never touched."""
    rows = session.execute(
        select(Post.id, PostProduct.product_id, Post.updated_at, Product.updated_at)
        .join(PostProduct, PostProduct.post_id == Post.id)
        .join(Product, Product.id == PostProduct.product_id)
        .where(
            Post.auto_drafted,
            ~Post.edited_by_person,
            Post.status == PostStatus.DRAFT,
            Post.scheduled_at >= start,
            Post.scheduled_at < end,
        )
    ).all()
    stale = sorted(
        {
            post_id
            for post_id, product_id, drafted, changed in rows
            if product_id not in eligible or (changed is not None and changed > drafted)
        }
    )
    if stale:
        session.execute(delete(Post).where(Post.id.in_(stale)))
    return stale


def _insert(session: Session, proposals: Sequence[DraftProposal]) -> list[int]:
    """Write the drafts with Core inserts (a year of drafts through the ORM takes seconds)."""
    if not proposals:
        return []
    moment = datetime.now(UTC)
    rows = [
        {
            "kind": p.kind,
            "text": p.text,
            "status": PostStatus.DRAFT,
            "scheduled_at": p.at,
            "slot_id": p.slot_id,
            "auto_drafted": True,
            "edited_by_person": False,
            "skip_reason": "",
            "audience_mode": AudienceMode.EVERYONE,
            "review_comment": "",
            "created_at": moment,
            "updated_at": moment,
        }
        for p in proposals
    ]
    # Core on the session's connection: the ORM's bulk path would set up a primary key per
    # row (a year for 10 accounts is 7,000 drafts).
    conn = session.connection()
    ids = _insert_posts(conn, rows, [(p.slot_id, p.at) for p in proposals])
    # The link rows are plain integers: the driver's executemany, without Core building and
    # processing a dict per row (11,000 rows for a year of 10 accounts).
    bulk_insert(
        conn,
        PostAccount.__table__,  # type: ignore[arg-type]
        ("post_id", "account_id"),
        [(pid, p.account_id) for pid, p in zip(ids, proposals, strict=True)],
    )
    bulk_insert(
        conn,
        PostImage.__table__,  # type: ignore[arg-type]
        ("post_id", "media_id", "position"),
        [
            (pid, media, n)
            for pid, p in zip(ids, proposals, strict=True)
            for n, media in enumerate(p.image_ids)
        ],
    )
    bulk_insert(
        conn,
        PostProduct.__table__,  # type: ignore[arg-type]
        ("post_id", "product_id", "position"),
        [
            (pid, product, n)
            for pid, p in zip(ids, proposals, strict=True)
            for n, product in enumerate(p.product_ids)
        ],
    )
    return ids


def _insert_posts(
    conn: Connection, rows: list[dict[str, Any]], keys: list[tuple[int | None, datetime]]
) -> list[int]:
    """The new posts' ids in the order of ``rows``.

    A slot has one draft per occurrence, so (slot, time) names each row and the ids can be
    read back in any order: asking the database to keep the rows' order makes SQLite
    insert them one statement each."""
    if len(set(keys)) != len(keys):
        return list(
            conn.execute(
                insert(Post).returning(Post.id, sort_by_parameter_order=True), rows
            ).scalars()
        )
    found = {
        (slot_id, at): post_id
        for post_id, slot_id, at in conn.execute(
            insert(Post).returning(Post.id, Post.slot_id, Post.scheduled_at), rows
        )
    }
    return [found[key] for key in keys]
