"""Local profiles (owner, assistants) with a PIN or password hashed with argon2.

Wrong PINs lock a profile: after ``MAX_ATTEMPTS`` in a row it is locked for
``FIRST_LOCK``, and every further wrong PIN after a lock doubles the wait. Time comes from
the caller (the injectable clock), so tests move it instead of sleeping.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from moments_desk.core.shared.uow import affected
from moments_desk.core.team import audit
from moments_desk.core.team.permissions import Action, require_owner
from moments_desk.db.models import User, UserRole

MAX_ATTEMPTS = 5
FIRST_LOCK = timedelta(seconds=30)
LONGEST_LOCK = timedelta(hours=1)
MIN_PIN = 4
DEFAULT_OWNER_NAME = "店主"

_hasher = PasswordHasher()


class UserError(Exception):
    """A rule the person managing profiles broke; ``code`` names which."""

    def __init__(self, code: str, subject: str = "") -> None:
        super().__init__(f"{code}: {subject}")
        self.code = code
        self.subject = subject


@dataclass(frozen=True)
class UserRow:
    id: int
    name: str
    role: UserRole
    has_secret: bool
    active: bool
    locked_until: datetime | None


@dataclass(frozen=True)
class SignIn:
    """The result of one sign-in attempt."""

    ok: bool
    attempts_left: int = 0
    locked_until: datetime | None = None


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def _row(user: User) -> UserRow:
    return UserRow(
        user.id,
        user.name,
        user.role,
        bool(user.password_hash),
        user.active,
        user.locked_until,
    )


def list_users(session: Session, include_inactive: bool = False) -> list[UserRow]:
    query = select(User).order_by(User.role.desc(), User.name)
    if not include_inactive:
        query = query.where(User.active.is_(True))
    return [_row(u) for u in session.scalars(query)]


def ensure_owner(session: Session) -> UserRow:
    """The first owner, created implicitly (no PIN) so a one-person shop never signs in."""
    owner = session.scalars(
        select(User).where(User.role == UserRole.OWNER, User.active.is_(True)).order_by(User.id)
    ).first()
    if owner is None:
        owner = User(name=DEFAULT_OWNER_NAME, role=UserRole.OWNER)
        session.add(owner)
        session.flush()
        audit.record(session, owner.id, "create", "user", owner.id, owner.name)
    return _row(owner)


def needs_sign_in(session: Session) -> bool:
    """Ask who is at the keyboard when several people share the shop, or the owner set a PIN."""
    users = list_users(session)
    return len(users) > 1 or any(u.has_secret for u in users)


def _check_secret(secret: str | None) -> None:
    if secret is not None and len(secret) < MIN_PIN:
        raise UserError("pin_too_short", str(MIN_PIN))


def create_user(
    session: Session, name: str, role: UserRole, secret: str | None, by: int | None
) -> int:
    require_owner(session, by, Action.MANAGE_PROFILES, "user")
    name = name.strip()
    if not name:
        raise UserError("name_missing")
    if len(name) > 60:
        raise UserError("name_too_long", name)
    if session.scalar(select(func.count(User.id)).where(User.name == name)):
        raise UserError("name_taken", name)
    _check_secret(secret)
    if role == UserRole.ASSISTANT and not secret:
        # An assistant without a PIN could sign in as anyone's assistant; ask for one.
        raise UserError("pin_required", name)
    user = User(name=name, role=role, password_hash=hash_secret(secret) if secret else None)
    session.add(user)
    session.flush()
    audit.record(session, by, "create", "user", user.id, f"{name} ({role.value})")
    return user.id


def _active_owners(session: Session) -> int:
    return int(
        session.scalar(
            select(func.count(User.id)).where(User.role == UserRole.OWNER, User.active.is_(True))
        )
        or 0
    )


def update_user(
    session: Session,
    user_id: int,
    name: str,
    role: UserRole,
    secret: str | None,
    by: int | None,
    clear_secret: bool = False,
) -> None:
    """Rename, change role, set (``secret``) or remove (``clear_secret``) the PIN.

    An assistant may change her own PIN and name, nothing of anyone else's, and no role."""
    user = session.get(User, user_id)
    if user is not None and (by != user_id or role != user.role):
        require_owner(session, by, Action.MANAGE_PROFILES, "user", user_id)
    if user is None:
        raise UserError("gone", str(user_id))
    name = name.strip()
    if not name:
        raise UserError("name_missing")
    clash = session.scalar(select(User.id).where(User.name == name, User.id != user_id))
    if clash is not None:
        raise UserError("name_taken", name)
    if user.role == UserRole.OWNER and role != UserRole.OWNER and _active_owners(session) <= 1:
        raise UserError("last_owner", user.name)
    _check_secret(secret)
    if clear_secret and role == UserRole.ASSISTANT:
        raise UserError("pin_required", name)
    changes = []
    if user.name != name:
        changes.append(f"{user.name} → {name}")
    if user.role != role:
        changes.append(f"{user.role.value} → {role.value}")
    user.name = name
    user.role = role
    if secret:
        user.password_hash = hash_secret(secret)
        user.failed_attempts = 0
        user.locked_until = None
        changes.append("PIN")
    elif clear_secret:
        user.password_hash = None
        changes.append("PIN removed")
    audit.record(session, by, "change", "user", user_id, "; ".join(changes) or name)


def deactivate_user(session: Session, user_id: int, by: int | None) -> None:
    """Profiles are deactivated, not deleted, so the audit log keeps naming them."""
    require_owner(session, by, Action.MANAGE_PROFILES, "user", user_id)
    user = session.get(User, user_id)
    if user is None:
        raise UserError("gone", str(user_id))
    if user.id == by:
        raise UserError("self", user.name)
    if user.role == UserRole.OWNER and _active_owners(session) <= 1:
        raise UserError("last_owner", user.name)
    user.active = False
    audit.record(session, by, "delete", "user", user_id, user.name)


def lock_length(failed_attempts: int) -> timedelta:
    """30 s after the fifth wrong PIN, then twice as long after each further one."""
    extra = min(max(0, failed_attempts - MAX_ATTEMPTS), 16)
    length: timedelta = FIRST_LOCK * (2**extra)
    return min(length, LONGEST_LOCK)


def sign_in(session: Session, user_id: int, secret: str, now: datetime) -> SignIn:
    """Check a PIN. The caller commits, so a wrong PIN is counted even though it fails."""
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise UserError("gone", str(user_id))
    if user.locked_until is not None and now < user.locked_until:
        return SignIn(False, 0, user.locked_until)
    if not user.password_hash:
        return SignIn(True)
    try:
        _hasher.verify(user.password_hash, secret)
    except (VerificationError, InvalidHashError):
        # Counted with an UPDATE so two windows guessing at once cannot both miss a count.
        session.execute(
            update(User)
            .where(User.id == user_id)
            .values(failed_attempts=User.failed_attempts + 1)
            .execution_options(synchronize_session=False)
        )
        session.refresh(user)
        audit.record(session, user_id, "sign_in_failed", "user", user_id, user.name, at=now)
        if user.failed_attempts >= MAX_ATTEMPTS:
            user.locked_until = now + lock_length(user.failed_attempts)
            audit.record(session, user_id, "locked", "user", user_id, user.name, at=now)
            return SignIn(False, 0, user.locked_until)
        return SignIn(False, MAX_ATTEMPTS - user.failed_attempts)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_secret(secret)
    user.failed_attempts = 0
    user.locked_until = None
    audit.record(session, user_id, "sign_in", "user", user_id, user.name, at=now)
    return SignIn(True)


def get_user(session: Session, user_id: int) -> UserRow | None:
    user = session.get(User, user_id)
    return _row(user) if user is not None else None


def reset_lock(session: Session, user_id: int, by: int | None) -> bool:
    require_owner(session, by, Action.MANAGE_PROFILES, "user", user_id)
    done = session.execute(
        update(User).where(User.id == user_id).values(failed_attempts=0, locked_until=None)
    )
    audit.record(session, by, "change", "user", user_id, "unlock")
    return affected(done) == 1
