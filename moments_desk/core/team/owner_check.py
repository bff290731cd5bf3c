"""Who is acting when there is no window: an owner named on the command line with her PIN.

The command line has no signed-in profile, and ``acting=None`` means "whoever holds the
database" (see ``permissions``). On a shared shop that is not enough for what replaces or
copies the whole shop (restore, backup): the command names an owner (``--as-owner``) and
proves it with her PIN, checked like a sign-in at the window — a wrong PIN is counted and
locks the profile the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from moments_desk.core.team.permissions import Action, record_refusal
from moments_desk.core.team.users import sign_in
from moments_desk.db.models import User, UserRole


@dataclass(frozen=True)
class OwnerCheck:
    """The owner's profile id, or why the command is refused (an English sentence)."""

    owner_id: int | None
    refusal: str = ""


def check_owner(
    session: Session, name: str | None, pin: str, action: Action, now: datetime
) -> OwnerCheck:
    """Check the owner a command acts as. Returns rather than raises, so the caller commits
    the counted wrong PIN and the audited refusal with it."""
    if not name:
        record_refusal(session, None, action, "backup", None)
        return OwnerCheck(
            None,
            "this shop is shared on a server; name an owner with --as-owner NAME "
            "(her PIN with --pin, or when asked)",
        )
    user = session.scalars(
        select(User).where(User.name == name.strip(), User.active.is_(True)).order_by(User.id)
    ).first()
    if user is None or user.role is not UserRole.OWNER:
        record_refusal(session, user.id if user else None, action, "backup", None)
        return OwnerCheck(None, f"{name} is not an owner of this shop")
    result = sign_in(session, user.id, pin, now)
    if not result.ok:
        if result.locked_until is not None:
            return OwnerCheck(None, f"{name}'s profile is locked after too many wrong PINs")
        return OwnerCheck(None, f"wrong PIN for {name} ({result.attempts_left} tries left)")
    return OwnerCheck(user.id)
