"""Reading posts: what the planner, the composer and the publish helper show, and the plan
the rule engine checks (one ``PlanItem`` per post). No Qt; run inside ``core.uow.read``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from moments_desk.core.pictures.media import (
    media_file_path,
)
from moments_desk.core.pictures.shared_store import ensure_local
from moments_desk.core.planning.errors import PlanningError
from moments_desk.core.planning.rules import (
    COMMITTED_STATUSES,
    MixGauge,
    PlanItem,
    RuleViolation,
    check_plan,
    mix_gauge,
    violations_for,
)
from moments_desk.core.planning.settings import load_all_rule_settings, load_rule_settings
from moments_desk.core.planning.wording import TextWarning, forbidden_text
from moments_desk.db.models import (
    AudienceMode,
    CadenceSlot,
    MediaFile,
    Post,
    PostAccount,
    PostKind,
    PostStatus,
    Product,
    Tag,
    User,
    WeChatAccount,
    post_audience_tag,
)


@dataclass
class PostDraft:
    """The editable fields of a post, as the composer hands them in."""

    kind: PostKind
    text: str = ""
    account_ids: list[int] = field(default_factory=list)
    #: Ordered pictures (media ids); more than 9 may be saved but never scheduled.
    image_media_ids: list[int] = field(default_factory=list)
    product_ids: list[int] = field(default_factory=list)
    audience_mode: AudienceMode = AudienceMode.EVERYONE
    audience_tag_ids: list[int] = field(default_factory=list)
    scheduled_at: datetime | None = None
    author_id: int | None = None
    slot_id: int | None = None


@dataclass(frozen=True)
class AccountRef:
    id: int
    label: str
    nickname: str
    avatar_path: str | None = None

    @property
    def display_name(self) -> str:
        return self.nickname or self.label


@dataclass(frozen=True)
class PostImageView:
    media_id: int
    path: Path
    exists: bool
    width: int
    height: int
    original_name: str = ""


@dataclass(frozen=True)
class ProductRef:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class TagRef:
    id: int
    name: str


@dataclass(frozen=True)
class PostView:
    """Everything the planner and the Moments preview show about one post."""

    id: int
    kind: PostKind
    status: PostStatus
    text: str
    scheduled_at: datetime | None
    posted_at: datetime | None
    skip_reason: str
    accounts: tuple[AccountRef, ...]
    images: tuple[PostImageView, ...]
    products: tuple[ProductRef, ...]
    audience_mode: AudienceMode
    audience_tags: tuple[TagRef, ...]
    slot_id: int | None
    slot_label: str
    auto_drafted: bool
    edited_by_person: bool
    author_id: int | None
    author_name: str
    #: Rule violations involving this post (from the whole plan around it).
    warnings: tuple[RuleViolation, ...] = ()
    #: Forbidden phrases in the text, with their positions (for highlighting).
    text_warnings: tuple[TextWarning, ...] = ()
    #: The seller's reason for scheduling forbidden wording anyway ("" = none).
    wording_override: str = ""
    #: An edited draft whose products changed since (name, price, pictures, stock):
    #: the planner shows 商品已更新 with a one-click refresh.
    products_changed: bool = False

    @property
    def account_nickname(self) -> str:
        return self.accounts[0].display_name if self.accounts else ""

    @property
    def image_paths(self) -> tuple[Path, ...]:
        return tuple(image.path for image in self.images)

    @property
    def is_sales(self) -> bool:
        return self.kind.is_sales

    @property
    def has_hard_warning(self) -> bool:
        return any(w.hard for w in self.warnings)

    def local_time(self, zone: tzinfo) -> datetime | None:
        return self.scheduled_at.astimezone(zone) if self.scheduled_at else None

    def to_draft(self) -> PostDraft:
        return PostDraft(
            kind=self.kind,
            text=self.text,
            account_ids=[a.id for a in self.accounts],
            image_media_ids=[i.media_id for i in self.images],
            product_ids=[p.id for p in self.products],
            audience_mode=self.audience_mode,
            audience_tag_ids=[t.id for t in self.audience_tags],
            scheduled_at=self.scheduled_at,
            author_id=self.author_id,
            slot_id=self.slot_id,
        )


def as_aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise PlanningError("naive_time", "A post time must carry its time zone.", "scheduled_at")
    return moment.astimezone(UTC).replace(microsecond=0)


def find_post(session: Session, post_id: int) -> Post:
    post = session.get(Post, post_id)
    if post is None:
        raise PlanningError("post_gone", "This post was removed meanwhile.", post_id=post_id)
    return post


# -- reading -----------------------------------------------------------------------------------


def views_and_items(
    session: Session, posts: Sequence[Post], media_root: Path
) -> dict[int, tuple[PostView, PlanItem]]:
    ids = [p.id for p in posts]
    if not ids:
        return {}
    media: dict[int, MediaFile] = {
        m.id: m
        for m in session.scalars(
            select(MediaFile).where(MediaFile.id.in_({i.media_id for p in posts for i in p.images}))
        )
    }
    # A shared shop: pictures another laptop added are fetched into this one's media folder.
    ensure_local(session, list(media), media_root)
    accounts = {
        a.id: AccountRef(a.id, a.label, a.nickname, a.avatar_path)
        for a in session.scalars(select(WeChatAccount))
    }
    products = {
        pid: ProductRef(pid, code, name)
        for pid, code, name in session.execute(
            select(Product.id, Product.code, Product.name).where(
                Product.id.in_({pp.product_id for p in posts for pp in p.products})
            )
        )
    }
    tags: dict[int, list[TagRef]] = {}
    for post_id, tag_id, name in session.execute(
        select(post_audience_tag.c.post_id, Tag.id, Tag.name)
        .join(Tag, Tag.id == post_audience_tag.c.tag_id)
        .where(post_audience_tag.c.post_id.in_(ids))
        .order_by(Tag.name)
    ):
        tags.setdefault(post_id, []).append(TagRef(tag_id, name))
    slot_labels = dict(
        session.execute(
            select(CadenceSlot.id, CadenceSlot.label).where(
                CadenceSlot.id.in_({p.slot_id for p in posts if p.slot_id})
            )
        ).all()
    )
    authors = dict(
        session.execute(
            select(User.id, User.name).where(
                User.id.in_({p.author_id for p in posts if p.author_id})
            )
        ).all()
    )
    changed = _products_changed(session, posts)
    exists_cache: dict[int, bool] = {}
    out: dict[int, tuple[PostView, PlanItem]] = {}
    for post in posts:
        images = []
        for link in post.images:
            m = media.get(link.media_id)
            if m is None:
                continue
            path = media_file_path(media_root, m.rel_path)
            if m.id not in exists_cache:
                exists_cache[m.id] = path.is_file()
            images.append(
                PostImageView(m.id, path, exists_cache[m.id], m.width, m.height, m.original_name)
            )
        view = PostView(
            id=post.id,
            kind=post.kind,
            status=post.status,
            text=post.text,
            scheduled_at=post.scheduled_at,
            posted_at=post.posted_at,
            skip_reason=post.skip_reason,
            accounts=tuple(accounts[pa.account_id] for pa in post.accounts),
            images=tuple(images),
            products=tuple(products[pp.product_id] for pp in post.products),
            audience_mode=post.audience_mode,
            audience_tags=tuple(tags.get(post.id, ())),
            slot_id=post.slot_id,
            slot_label=slot_labels.get(post.slot_id, "") if post.slot_id else "",
            auto_drafted=post.auto_drafted,
            edited_by_person=post.edited_by_person,
            author_id=post.author_id,
            author_name=authors.get(post.author_id, "") if post.author_id else "",
            text_warnings=tuple(forbidden_text(post.text)),
            wording_override=post.wording_override,
            products_changed=post.id in changed,
        )
        out[post.id] = (view, plan_item(view))
    return out


def _products_changed(session: Session, posts: Sequence[Post]) -> set[int]:
    """Person-edited drafts with a product changed after the draft was last saved."""
    edited = {
        p.id: p.updated_at
        for p in posts
        if p.edited_by_person and p.status is PostStatus.DRAFT and p.products
    }
    if not edited:
        return set()
    product_ids = {pp.product_id for p in posts if p.id in edited for pp in p.products}
    touched = dict(
        session.execute(
            select(Product.id, Product.updated_at).where(Product.id.in_(product_ids))
        ).all()
    )
    return {
        p.id
        for p in posts
        if p.id in edited
        and any(
            (when := touched.get(pp.product_id)) is not None and when > edited[p.id]
            for pp in p.products
        )
    }


def plan_item(view: PostView) -> PlanItem:
    """The rule engine's view of a post."""
    at = view.posted_at if view.status is PostStatus.POSTED and view.posted_at else None
    return PlanItem(
        post_id=view.id,
        kind=view.kind,
        at=at or view.scheduled_at,
        account_ids=tuple(a.id for a in view.accounts),
        status=view.status,
        product_ids=tuple(p.id for p in view.products),
        image_count=len(view.images),
        text=view.text,
        missing_images=tuple(i.original_name or i.path.name for i in view.images if not i.exists),
        wording_override=view.wording_override,
    )


def _load(session: Session, where: Iterable[object]) -> list[Post]:
    query = (
        select(Post)
        .options(
            selectinload(Post.accounts), selectinload(Post.images), selectinload(Post.products)
        )
        .where(*where)  # type: ignore[arg-type]
        .order_by(Post.scheduled_at, Post.id)
    )
    return list(session.scalars(query))


def _window_posts(
    session: Session, start: datetime, end: datetime, account_id: int | None = None
) -> list[Post]:
    where: list[object] = [Post.scheduled_at >= start, Post.scheduled_at < end]
    if account_id is not None:
        where.append(Post.accounts.any(PostAccount.account_id == account_id))
    return _load(session, where)


def _margin(session: Session) -> timedelta:
    # Rules look back this far: the longest window of any account, plus a day.
    settings = load_all_rule_settings(session).values()
    days = max([7, *(max(s.mix_window_days, s.product_cooldown_days, 7) for s in settings)])
    return timedelta(days=days + 1)


def list_posts(
    session: Session,
    start: datetime,
    end: datetime,
    media_root: Path,
    zone: tzinfo,
    account_id: int | None = None,
) -> list[PostView]:
    """Posts scheduled in [start, end), each with the rule warnings of the plan around it
    (posts just outside the window count too, so a week's edge is judged fairly)."""
    margin = _margin(session)
    context = views_and_items(
        session, _window_posts(session, start - margin, end + margin), media_root
    )
    violations = check_plan(
        (item for _, item in context.values()), load_all_rule_settings(session), zone
    )
    by_post: dict[int, list[RuleViolation]] = {}
    for v in violations:
        for pid in v.post_ids:
            by_post.setdefault(pid, []).append(v)
    out = []
    for view, _ in context.values():
        if view.scheduled_at is None or not start <= view.scheduled_at < end:
            continue
        if account_id is not None and account_id not in {a.id for a in view.accounts}:
            continue
        out.append(_with_warnings(view, by_post.get(view.id, [])))
    return out


def list_unscheduled(session: Session, media_root: Path) -> list[PostView]:
    """Drafts without a time (the composer's "ideas" pile)."""
    posts = _load(session, [Post.scheduled_at.is_(None), Post.status == PostStatus.DRAFT])
    return [view for view, _ in views_and_items(session, posts, media_root).values()]


def _with_warnings(view: PostView, warnings: Sequence[RuleViolation]) -> PostView:
    from dataclasses import replace

    return replace(view, warnings=tuple(warnings))


def get_post(session: Session, post_id: int, media_root: Path, zone: tzinfo) -> PostView:
    """One post with the warnings the plan around it gives it."""
    post = find_post(session, post_id)
    view, item = views_and_items(session, [post], media_root)[post.id]
    violations = plan_violations(session, item, media_root, zone, committed_only=False)
    return _with_warnings(view, violations_for(post.id, violations))


def plan_violations(
    session: Session, item: PlanItem, media_root: Path, zone: tzinfo, *, committed_only: bool
) -> list[RuleViolation]:
    """Violations of the plan with ``item`` in it (replacing its stored version)."""
    neighbours: list[PlanItem] = []
    if item.at is not None:
        margin = _margin(session)
        posts = _window_posts(session, item.at - margin, item.at + margin)
        for view, other in views_and_items(session, posts, media_root).values():
            if view.id == item.post_id:
                continue
            if committed_only and other.status not in COMMITTED_STATUSES:
                continue
            neighbours.append(other)
    return check_plan([*neighbours, item], load_all_rule_settings(session), zone)


def check_post_at(
    session: Session,
    post_id: int,
    at: datetime | None,
    media_root: Path,
    zone: tzinfo,
    *,
    committed_only: bool = True,
) -> list[RuleViolation]:
    """Violations involving the post if it went out at ``at`` (live feedback while dragging).

    ``committed_only`` compares it with scheduled/posted posts only (what scheduling does);
    False also counts other drafts."""
    post = find_post(session, post_id)
    _, item = views_and_items(session, [post], media_root)[post.id]
    from dataclasses import replace

    moved = replace(item, at=as_aware(at), status=PostStatus.SCHEDULED)
    return violations_for(
        post_id, plan_violations(session, moved, media_root, zone, committed_only=committed_only)
    )


# -- this week's mix ---------------------------------------------------------------------------


def week_mix(
    session: Session, account_id: int, now: datetime, zone: tzinfo, media_root: Path
) -> MixGauge:
    """Sales vs non-sales posts this (local) week on the account, against its target."""
    day = now.astimezone(zone).date()
    monday = day - timedelta(days=day.weekday())
    start = datetime.combine(monday, datetime.min.time(), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(monday + timedelta(days=7), datetime.min.time(), tzinfo=zone).astimezone(
        UTC
    )
    posts = _window_posts(session, start - timedelta(days=1), end + timedelta(days=1), account_id)
    items = [item for _, item in views_and_items(session, posts, media_root).values()]
    return mix_gauge(items, account_id, day, zone, load_rule_settings(session, account_id))


def plan_items(
    session: Session,
    start: datetime,
    end: datetime,
    media_root: Path | None = None,
    account_id: int | None = None,
) -> list[PlanItem]:
    """The rule engine's view of the posts in [start, end) (files checked when media_root)."""
    posts = _window_posts(session, start, end, account_id)
    if media_root is not None:
        return [item for _, item in views_and_items(session, posts, media_root).values()]
    return [
        PlanItem(
            post_id=p.id,
            kind=p.kind,
            at=(p.posted_at if p.status is PostStatus.POSTED and p.posted_at else p.scheduled_at),
            account_ids=tuple(pa.account_id for pa in p.accounts),
            status=p.status,
            product_ids=tuple(pp.product_id for pp in p.products),
            image_count=len(p.images),
            text=p.text,
            wording_override=p.wording_override,
        )
        for p in posts
    ]
