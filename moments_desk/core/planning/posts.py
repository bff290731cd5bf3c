"""Posts: drafts, editing, the status flow and the plan the rule engine checks. No Qt.

Status flow: draft → scheduled → due → posted / skipped (``schedule_post`` sends an
assistant's post to awaiting_approval instead when the owner asks for approval, see
``core.approval``). Every change is written to the audit log in the same transaction, and a
new time releases the post's "N minutes before" reminder so it is shown again. Everything a
person changes through ``create_post``/``update_post``/``move_post`` sets
``edited_by_person``, so auto-drafting never overwrites it. Functions take an open session
(run them inside ``core.uow.write``/``read``) and hand back plain dataclasses.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from moments_desk.core.pictures.media import (
    ImageRejected,
    media_file_path,
    register_media,
    store_image,
)
from moments_desk.core.planning.errors import PlanningError
from moments_desk.core.planning.messages import violation_text
from moments_desk.core.planning.reminders import release_post_reminders
from moments_desk.core.planning.rules import (
    COMMITTED_STATUSES,
    TIME_RULES,
    MixGauge,
    PlanItem,
    RuleViolation,
    check_plan,
    hard_violations,
    mix_gauge,
    violations_for,
)
from moments_desk.core.planning.settings import load_all_rule_settings, load_rule_settings
from moments_desk.core.planning.templates import TextWarning, forbidden_text
from moments_desk.core.team import approval, audit
from moments_desk.db.models import (
    AudienceMode,
    CadenceSlot,
    MediaFile,
    Post,
    PostAccount,
    PostImage,
    PostKind,
    PostProduct,
    PostStatus,
    Product,
    ProductImage,
    Tag,
    User,
    WeChatAccount,
    post_audience_tag,
)

#: Allowed status changes. Posted and skipped posts are history.
TRANSITIONS: dict[PostStatus, frozenset[PostStatus]] = {
    PostStatus.DRAFT: frozenset(
        {PostStatus.SCHEDULED, PostStatus.AWAITING_APPROVAL, PostStatus.SKIPPED}
    ),
    PostStatus.AWAITING_APPROVAL: frozenset(
        {PostStatus.DRAFT, PostStatus.SCHEDULED, PostStatus.SKIPPED}
    ),
    PostStatus.SCHEDULED: frozenset(
        {PostStatus.DRAFT, PostStatus.DUE, PostStatus.POSTED, PostStatus.SKIPPED}
    ),
    PostStatus.DUE: frozenset({PostStatus.POSTED, PostStatus.SKIPPED, PostStatus.DRAFT}),
    PostStatus.POSTED: frozenset(),
    PostStatus.SKIPPED: frozenset({PostStatus.DRAFT}),
}
#: Posts whose content may still change.
EDITABLE = frozenset(
    {PostStatus.DRAFT, PostStatus.AWAITING_APPROVAL, PostStatus.SCHEDULED, PostStatus.DUE}
)


class RuleRefusal(PlanningError):
    """Scheduling or moving refused: ``violations`` are the hard rules it would break."""

    def __init__(self, violations: Sequence[RuleViolation]) -> None:
        first = violations[0]
        super().__init__("rule_refusal", violation_text(first, "en")[0], rule=first.rule.value)
        self.violations = tuple(violations)


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


@dataclass(frozen=True)
class ScheduleOutcome:
    status: PostStatus
    #: Soft rules the post breaks: shown, not refused.
    warnings: tuple[RuleViolation, ...]


# -- validation and writing --------------------------------------------------------------------


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise PlanningError("naive_time", "A post time must carry its time zone.", "scheduled_at")
    return moment.astimezone(UTC).replace(microsecond=0)


def _check_refs(session: Session, draft: PostDraft) -> None:
    def missing(model: type, ids: Iterable[int]) -> list[int]:
        wanted = set(ids)
        if not wanted:
            return []
        found = set(session.scalars(select(model.id).where(model.id.in_(wanted))))  # type: ignore[attr-defined]
        return sorted(wanted - found)

    for model, ids, code, what in (
        (WeChatAccount, draft.account_ids, "account_gone", "account"),
        (MediaFile, draft.image_media_ids, "image_gone", "picture"),
        (Product, draft.product_ids, "product_gone", "product"),
        (Tag, draft.audience_tag_ids, "tag_gone", "tag"),
    ):
        gone = missing(model, ids)
        if gone:
            raise PlanningError(
                code,
                f"The {what} {', '.join(map(str, gone))} was removed meanwhile.",
                what,
                ids=", ".join(map(str, gone)),
            )
    if draft.audience_mode is not AudienceMode.EVERYONE and not draft.audience_tag_ids:
        raise PlanningError(
            "audience_without_tags",
            "部分可见 / 不给谁看 needs at least one customer tag.",
            "audience_tag_ids",
        )


def _apply(session: Session, post: Post, draft: PostDraft) -> None:
    _check_refs(session, draft)
    post.kind = PostKind(draft.kind)
    post.text = draft.text.replace("\r\n", "\n").strip()
    post.audience_mode = AudienceMode(draft.audience_mode)
    post.scheduled_at = _aware(draft.scheduled_at)
    post.author_id = draft.author_id
    post.slot_id = draft.slot_id
    accounts = list(dict.fromkeys(draft.account_ids))
    keep = {pa.account_id: pa for pa in post.accounts}
    post.accounts = [keep.get(a) or PostAccount(account_id=a) for a in accounts]
    post.images = [
        PostImage(media_id=media_id, position=i) for i, media_id in enumerate(draft.image_media_ids)
    ]
    post.products = [
        PostProduct(product_id=pid, position=i)
        for i, pid in enumerate(dict.fromkeys(draft.product_ids))
    ]
    session.flush()
    session.execute(delete(post_audience_tag).where(post_audience_tag.c.post_id == post.id))
    tags = list(dict.fromkeys(draft.audience_tag_ids))
    if tags and post.audience_mode is not AudienceMode.EVERYONE:
        session.execute(
            post_audience_tag.insert(), [{"post_id": post.id, "tag_id": t} for t in tags]
        )


def create_post(session: Session, draft: PostDraft, *, by_person: bool = True) -> int:
    """A new draft. ``by_person=False`` marks it as auto-drafted."""
    post = Post(
        kind=draft.kind,
        status=PostStatus.DRAFT,
        auto_drafted=not by_person,
        edited_by_person=by_person,
    )
    session.add(post)
    session.flush()
    _apply(session, post, draft)
    if by_person:
        audit.record(session, draft.author_id, "create", "post", post.id, _summary(post))
    return post.id


def _summary(post: Post) -> str:
    """What the audit log shows of a post: its kind and the hook (first line)."""
    first_line = post.text.strip().split("\n", 1)[0]
    return f"{post.kind.value}: {first_line[:60]}"


def _post(session: Session, post_id: int) -> Post:
    post = session.get(Post, post_id)
    if post is None:
        raise PlanningError("post_gone", "This post was removed meanwhile.", post_id=post_id)
    return post


def update_post(
    session: Session,
    post_id: int,
    draft: PostDraft,
    *,
    by_person: bool = True,
    media_root: Path | None = None,
    zone: tzinfo | None = None,
    user_id: int | None = None,
) -> PostStatus:
    """Save the composer's changes; returns the post's status afterwards.

    Given ``media_root`` and ``zone``, a scheduled (or due, or awaiting) post that now breaks
    a hard rule goes back to draft, with all its changes kept, so it cannot come due broken;
    ``get_post`` then shows why."""
    post = _post(session, post_id)
    if post.status not in EDITABLE:
        raise PlanningError(
            "not_editable",
            "A post that was posted or skipped can no longer be changed.",
            status=post.status.value,
        )
    if not by_person and post.edited_by_person:
        raise PlanningError(
            "edited_by_person", "A person edited this post; auto-drafting leaves it alone."
        )
    old_time = post.scheduled_at
    _apply(session, post, draft)
    if by_person:
        post.edited_by_person = True
        audit.record(session, user_id, "change", "post", post_id, _summary(post))
    if post.scheduled_at != old_time:
        release_post_reminders(session, post_id)
    if media_root is not None and zone is not None and post.status in COMMITTED_STATUSES:
        violations = check_post_at(session, post_id, post.scheduled_at, media_root, zone)
        if hard_violations(violations):
            post.status = PostStatus.DRAFT
    session.flush()
    return post.status


def delete_post(session: Session, post_id: int, *, user_id: int | None = None) -> None:
    """Delete a post that never went out. Posted posts are history (likes, orders)."""
    post = session.get(Post, post_id)
    if post is None:
        return
    if post.status is PostStatus.POSTED:
        raise PlanningError(
            "posted_is_history",
            "This post went out; its likes and orders refer to it. Keep it.",
        )
    audit.record(session, user_id, "delete", "post", post_id, _summary(post))
    session.delete(post)
    session.flush()


def add_free_pictures(
    session: Session, files: Sequence[Path], media_root: Path
) -> tuple[list[int], list[ImageRejected]]:
    """Store pictures that belong to no product; returns (media ids in order, rejections)."""
    ids: list[int] = []
    rejected: list[ImageRejected] = []
    for path in files:
        try:
            ids.append(register_media(session, store_image(path, media_root)).id)
        except ImageRejected as error:
            rejected.append(error)
    return ids, rejected


def product_picture_ids(session: Session, product_ids: Sequence[int], limit: int = 9) -> list[int]:
    """Media ids of the products' pictures, covers first, at most ``limit``."""
    rows = session.execute(
        select(ProductImage.product_id, ProductImage.media_id)
        .where(ProductImage.product_id.in_(product_ids))
        .order_by(ProductImage.position)
    ).all()
    per_product: dict[int, list[int]] = {pid: [] for pid in product_ids}
    for pid, media_id in rows:
        per_product[pid].append(media_id)
    # Round robin: three products with many pictures each still all get shown.
    found: list[int] = []
    depth = 0
    while len(found) < limit and any(len(v) > depth for v in per_product.values()):
        for pid in product_ids:
            pictures = per_product[pid]
            if depth < len(pictures) and pictures[depth] not in found and len(found) < limit:
                found.append(pictures[depth])
        depth += 1
    return found


# -- reading -----------------------------------------------------------------------------------


def _views(
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
        )
        out[post.id] = (view, plan_item(view))
    return out


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
    context = _views(session, _window_posts(session, start - margin, end + margin), media_root)
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
    return [view for view, _ in _views(session, posts, media_root).values()]


def _with_warnings(view: PostView, warnings: Sequence[RuleViolation]) -> PostView:
    from dataclasses import replace

    return replace(view, warnings=tuple(warnings))


def get_post(session: Session, post_id: int, media_root: Path, zone: tzinfo) -> PostView:
    """One post with the warnings the plan around it gives it."""
    post = _post(session, post_id)
    view, item = _views(session, [post], media_root)[post.id]
    violations = _plan_violations(session, item, media_root, zone, committed_only=False)
    return _with_warnings(view, violations_for(post.id, violations))


def _plan_violations(
    session: Session, item: PlanItem, media_root: Path, zone: tzinfo, *, committed_only: bool
) -> list[RuleViolation]:
    """Violations of the plan with ``item`` in it (replacing its stored version)."""
    neighbours: list[PlanItem] = []
    if item.at is not None:
        margin = _margin(session)
        posts = _window_posts(session, item.at - margin, item.at + margin)
        for view, other in _views(session, posts, media_root).values():
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
    post = _post(session, post_id)
    _, item = _views(session, [post], media_root)[post.id]
    from dataclasses import replace

    moved = replace(item, at=_aware(at), status=PostStatus.SCHEDULED)
    return violations_for(
        post_id, _plan_violations(session, moved, media_root, zone, committed_only=committed_only)
    )


# -- status changes ----------------------------------------------------------------------------


def _transition(post: Post, target: PostStatus) -> None:
    if target not in TRANSITIONS[post.status]:
        raise PlanningError(
            "bad_transition",
            f"A {post.status.value} post cannot become {target.value}.",
            status=post.status.value,
            target=target.value,
        )
    post.status = target


def schedule_post(
    session: Session,
    post_id: int,
    media_root: Path,
    zone: tzinfo,
    *,
    user_id: int | None = None,
) -> ScheduleOutcome:
    """The one way a post becomes scheduled. Refuses (``RuleRefusal``) when the post breaks a
    hard rule against the committed plan; otherwise returns the soft warnings. When the
    approval policy asks for it, the post waits in awaiting_approval instead."""
    post = _post(session, post_id)
    violations = check_post_at(session, post_id, post.scheduled_at, media_root, zone)
    hard = hard_violations(violations)
    if hard:
        raise RuleRefusal(hard)
    if user_id is not None and post.author_id is None:
        post.author_id = user_id
    # Whoever schedules decides: an owner scheduling an assistant's post approves it.
    scheduler = user_id if user_id is not None else post.author_id
    target = approval.status_when_scheduled(session, scheduler)
    if post.status is not target:
        _transition(post, target)
        action = "submit" if target is PostStatus.AWAITING_APPROVAL else "schedule"
        audit.record(session, user_id, action, "post", post_id, _summary(post))
    session.flush()
    return ScheduleOutcome(post.status, tuple(violations))


def unschedule_post(session: Session, post_id: int, *, user_id: int | None = None) -> None:
    """Back to draft (the post keeps its time)."""
    post = _post(session, post_id)
    if post.status is not PostStatus.DRAFT:
        _transition(post, PostStatus.DRAFT)
        audit.record(session, user_id, "change", "post", post_id, "back to draft")
    post.edited_by_person = True


def move_post(
    session: Session,
    post_id: int,
    at: datetime,
    media_root: Path,
    zone: tzinfo,
    *,
    slot_id: int | None = None,
    user_id: int | None = None,
) -> list[RuleViolation]:
    """Give the post a new time (and slot, e.g. dropped on one in the planner).

    Refused (``RuleRefusal``) when the new time breaks a hard rule: for a scheduled post any
    hard rule, for a draft the time rules (its missing pictures may still be fixed later).
    Returns the warnings at the new time."""
    post = _post(session, post_id)
    if post.status not in EDITABLE:
        raise PlanningError(
            "not_editable",
            "A post that was posted or skipped can no longer be moved.",
            status=post.status.value,
        )
    committed = post.status in COMMITTED_STATUSES
    violations = check_post_at(session, post_id, at, media_root, zone, committed_only=committed)
    hard = [v for v in hard_violations(violations) if committed or v.rule in TIME_RULES]
    if hard:
        raise RuleRefusal(hard)
    when = _aware(at)
    post.scheduled_at = when
    if slot_id is not None:
        post.slot_id = slot_id
    post.edited_by_person = True
    release_post_reminders(session, post_id)
    audit.record(session, user_id, "reschedule", "post", post_id, when.isoformat() if when else "")
    session.flush()
    return violations


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
    items = [item for _, item in _views(session, posts, media_root).values()]
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
        return [item for _, item in _views(session, posts, media_root).values()]
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
        )
        for p in posts
    ]
