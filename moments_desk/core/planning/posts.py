"""Posts: drafts, editing, the status flow and the plan the rule engine checks. No Qt.

Status flow: draft → scheduled → due → posted / skipped (``schedule_post`` sends an
assistant's post to awaiting_approval instead when the owner asks for approval, see
``core.approval``). Every change is written to the audit log in the same transaction, and a
new time releases the post's "N minutes before" reminder so it is shown again. Everything a
person changes through ``create_post``/``update_post``/``move_post`` sets
``edited_by_person``, so auto-drafting never overwrites it. Functions take an open session
(run them inside ``core.uow.write``/``read``) and hand back plain dataclasses; reading posts
and the plan the rules check is in ``post_views.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from moments_desk.core.pictures.media import (
    ImageRejected,
    register_media,
    store_image,
)
from moments_desk.core.planning.copy_bank import is_to_write
from moments_desk.core.planning.errors import PlanningError
from moments_desk.core.planning.messages import violation_message
from moments_desk.core.planning.post_views import PostDraft as PostDraft
from moments_desk.core.planning.post_views import (
    as_aware,
    check_post_at,
    find_post,
)
from moments_desk.core.planning.reminders import release_post_reminders
from moments_desk.core.planning.rules import (
    COMMITTED_STATUSES,
    TIME_RULES,
    RuleViolation,
    hard_violations,
)
from moments_desk.core.shared.edits import EditConflictError, merge_edit, shown
from moments_desk.core.team import approval, audit
from moments_desk.db.models import (
    AudienceMode,
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
        super().__init__("rule_refusal", violation_message(first)[0], rule=first.rule.value)
        self.violations = tuple(violations)


@dataclass(frozen=True)
class ScheduleOutcome:
    status: PostStatus
    #: Soft rules the post breaks: shown, not refused.
    warnings: tuple[RuleViolation, ...]


# -- validation and writing --------------------------------------------------------------------


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
    post.scheduled_at = as_aware(draft.scheduled_at)
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


def update_post(
    session: Session,
    post_id: int,
    draft: PostDraft,
    *,
    by_person: bool = True,
    media_root: Path | None = None,
    zone: tzinfo | None = None,
    user_id: int | None = None,
    base: PostDraft | None = None,
) -> PostStatus:
    """Save the composer's changes; returns the post's status afterwards.

    Only the fields changed since ``base`` (the post as the composer opened it) are written,
    so what another laptop saved meanwhile stays; a field changed on both sides to different
    values is refused (``edit_conflict``) with both values, nothing written.

    Given ``media_root`` and ``zone``, a scheduled (or due, or awaiting) post that now breaks
    a hard rule goes back to draft, with all its changes kept, so it cannot come due broken;
    ``get_post`` then shows why."""
    post = find_post(session, post_id)
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
    before = _reviewed_content(session, post)
    theirs = _stored_draft(session, post)
    try:
        merged = merge_edit(base or theirs, draft, theirs)
    except EditConflictError as clash:
        conflict = clash.conflict
        name = conflict.fields[0]
        error = PlanningError(
            "edit_conflict",
            f"{name} was changed on another computer while you were editing.",
            name,
            what=name,
            theirs=shown(getattr(conflict.theirs, name)),
            mine=shown(getattr(conflict.mine, name)),
            others=len(conflict.fields) - 1,
        )
        error.conflict = conflict  # type: ignore[attr-defined]
        raise error from clash
    _apply(session, post, merged)
    if by_person:
        post.edited_by_person = True
        audit.record(session, user_id, "change", "post", post_id, _summary(post))
    if post.scheduled_at != old_time:
        release_post_reminders(session, post_id)
    if media_root is not None and zone is not None and post.status in COMMITTED_STATUSES:
        violations = check_post_at(session, post_id, post.scheduled_at, media_root, zone)
        if hard_violations(violations):
            post.status = PostStatus.DRAFT
    after = _reviewed_content(session, post)
    changed = [part for part in before if before[part] != after[part]]
    approval.resubmit_if_changed(session, post, user_id, changed)
    try:
        session.flush()
    except StaleDataError:
        raise PlanningError(
            "saved_meanwhile", "Another computer saved this post at the same moment."
        ) from None
    return post.status


def _stored_draft(session: Session, post: Post) -> PostDraft:
    """The post as the composer would show it now (what another laptop may have saved)."""
    tags = session.scalars(
        select(post_audience_tag.c.tag_id).where(post_audience_tag.c.post_id == post.id)
    ).all()
    return PostDraft(
        kind=post.kind,
        text=post.text,
        account_ids=[a.account_id for a in post.accounts],
        image_media_ids=[i.media_id for i in post.images],
        product_ids=[p.product_id for p in post.products],
        audience_mode=post.audience_mode,
        audience_tag_ids=list(tags) if post.audience_mode is not AudienceMode.EVERYONE else [],
        scheduled_at=post.scheduled_at,
        author_id=post.author_id,
        slot_id=post.slot_id,
    )


def _reviewed_content(session: Session, post: Post) -> dict[str, object]:
    """What an owner's approval covers: text, pictures in order, time and audience."""
    tags = session.scalars(
        select(post_audience_tag.c.tag_id).where(post_audience_tag.c.post_id == post.id)
    )
    return {
        "text": post.text,
        "pictures": [image.media_id for image in sorted(post.images, key=lambda i: i.position)],
        "time": as_aware(post.scheduled_at),
        "audience": (
            post.audience_mode,
            sorted(tags),
            sorted(account.account_id for account in post.accounts),
        ),
    }


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
    wording_override: str = "",
) -> ScheduleOutcome:
    """The one way a post becomes scheduled. Refuses (``RuleRefusal``) when the post breaks a
    hard rule against the committed plan; otherwise returns the soft warnings. When the
    approval policy asks for it, the post waits in awaiting_approval instead.

    ``wording_override``: the seller's reason for posting wording WeChat forbids (集赞,
    转发抽奖 …) anyway; kept on the post and written to the audit log. It lifts only that
    rule, never a time or picture rule."""
    post = find_post(session, post_id)
    if is_to_write(post.text):
        raise PlanningError(
            "to_write",
            "This draft is still to be written (待写): write the post, then schedule it.",
        )
    reason = " ".join(wording_override.split())[:200]
    if reason and reason != post.wording_override:
        post.wording_override = reason
        session.flush()
        audit.record(session, user_id, "override", "post", post_id, f"wording: {reason}")
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
    post = find_post(session, post_id)
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
    post = find_post(session, post_id)
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
    when = as_aware(at)
    before = as_aware(post.scheduled_at)
    post.scheduled_at = when
    if slot_id is not None:
        post.slot_id = slot_id
    post.edited_by_person = True
    release_post_reminders(session, post_id)
    audit.record(session, user_id, "reschedule", "post", post_id, when.isoformat() if when else "")
    approval.resubmit_if_changed(session, post, user_id, ["time"] if when != before else [])
    session.flush()
    return violations
