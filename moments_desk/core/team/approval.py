"""Assistants' posts waiting for the owner: when approval applies, approve, return.

The post service's ``schedule_post`` asks ``status_when_scheduled``; the owner's decisions
are conditional UPDATEs, so two people deciding the same post at once cannot both win.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from moments_desk.core.shared.shop_settings import get_setting, set_setting
from moments_desk.core.shared.uow import affected
from moments_desk.core.team import audit
from moments_desk.core.team.permissions import Action, record_refusal, require_owner
from moments_desk.db.models import Post, PostStatus, User, UserRole

APPROVAL_KEY = "team.assistants_need_approval"


class ApprovalError(Exception):
    """``code``: not_owner, already_decided, comment_missing."""

    def __init__(self, code: str, post_id: int) -> None:
        super().__init__(f"{code}: post {post_id}")
        self.code = code
        self.post_id = post_id


def approval_required(session: Session) -> bool:
    return bool(get_setting(session, APPROVAL_KEY, False))


def set_approval_required(session: Session, required: bool, by: int | None) -> None:
    require_owner(session, by, Action.CHANGE_RULES, "setting")
    set_setting(session, APPROVAL_KEY, bool(required))
    audit.record(session, by, "change", "setting", None, f"{APPROVAL_KEY}={bool(required)}")


def _role(session: Session, user_id: int | None) -> UserRole | None:
    if user_id is None:
        return None
    return session.scalar(select(User.role).where(User.id == user_id))


def status_when_scheduled(session: Session, author_id: int | None) -> PostStatus:
    """SCHEDULED, or AWAITING_APPROVAL for an assistant's post when the owner asks for it."""
    if approval_required(session) and _role(session, author_id) == UserRole.ASSISTANT:
        return PostStatus.AWAITING_APPROVAL
    return PostStatus.SCHEDULED


def needs_approval(session: Session, user_id: int | None) -> bool:
    """Whether what ``user_id`` changes in a post must be approved again by an owner."""
    return approval_required(session) and _role(session, user_id) == UserRole.ASSISTANT


#: Posts that carry an owner's approval (or the owner's own scheduling) and may still go out.
APPROVED = frozenset({PostStatus.SCHEDULED, PostStatus.DUE})


def resubmit_if_changed(
    session: Session, post: Post, user_id: int | None, changed: list[str]
) -> bool:
    """After ``user_id`` changed ``changed`` (text, pictures, time, audience) of ``post``: an
    approved post changed by someone who needs approval goes back to awaiting approval, the
    approval withdrawn and any reminder claim released, audited. True when it did.

    The approval was given to what the owner saw; "加微信领红包" written in afterwards must
    not go out under it, nor may an assistant rewrite the owner's own scheduled post."""
    if not changed or post.status not in APPROVED or not needs_approval(session, user_id):
        return False
    # Straight to awaiting approval, past the usual flow (a due post never waits otherwise):
    # the owner decides again, with approve or return.
    post.status = PostStatus.AWAITING_APPROVAL
    post.approved_by_id = None
    post.reminder_claimed_by = None
    post.reminder_claimed_at = None
    audit.record(session, user_id, "resubmit", "post", post.id, ", ".join(changed))
    return True


def _require_owner(session: Session, user_id: int, post_id: int) -> None:
    if _role(session, user_id) != UserRole.OWNER:
        record_refusal(session, user_id, Action.APPROVE_POST, "post", post_id)
        raise ApprovalError("not_owner", post_id)


def approve(session: Session, post_id: int, owner_id: int, now: datetime) -> None:
    """Awaiting approval → scheduled. Raises ``already_decided`` for the slower of two."""
    _require_owner(session, owner_id, post_id)
    done = session.execute(
        update(Post)
        .where(Post.id == post_id, Post.status == PostStatus.AWAITING_APPROVAL)
        .values(
            status=PostStatus.SCHEDULED,
            approved_by_id=owner_id,
            review_comment="",
            reminder_claimed_by=None,
            reminder_claimed_at=None,
        )
        .execution_options(synchronize_session=False)
    )
    if affected(done) != 1:
        raise ApprovalError("already_decided", post_id)
    audit.record(session, owner_id, "approve", "post", post_id, "", at=now)


def return_with_comment(
    session: Session, post_id: int, owner_id: int, comment: str, now: datetime
) -> None:
    """Awaiting approval → draft, with the owner's comment for the assistant."""
    comment = comment.strip()
    if not comment:
        raise ApprovalError("comment_missing", post_id)
    _require_owner(session, owner_id, post_id)
    done = session.execute(
        update(Post)
        .where(Post.id == post_id, Post.status == PostStatus.AWAITING_APPROVAL)
        .values(status=PostStatus.DRAFT, review_comment=comment, approved_by_id=None)
        .execution_options(synchronize_session=False)
    )
    if affected(done) != 1:
        raise ApprovalError("already_decided", post_id)
    audit.record(session, owner_id, "return", "post", post_id, comment, at=now)


def has_assistants(session: Session) -> bool:
    """Whether any active profile is an assistant (whose posts may need approval)."""
    query = select(User.id).where(User.role == UserRole.ASSISTANT, User.active.is_(True))
    return session.scalar(query.limit(1)) is not None


def awaiting_approval(session: Session) -> list[int]:
    query = (
        select(Post.id)
        .where(Post.status == PostStatus.AWAITING_APPROVAL)
        .order_by(Post.scheduled_at, Post.id)
    )
    return list(session.scalars(query))
