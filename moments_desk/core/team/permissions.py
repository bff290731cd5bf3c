"""What an assistant may not do, refused where the data is changed, not only in the UI.

Every owner-only use-case calls ``require_owner`` with the acting profile before it writes
anything. A refusal raises ``NotAllowedError`` (a sentence in the interface language) and is
written to the audit log in a transaction of its own, so it stays recorded although the
refused use-case rolls back.

``acting=None`` is a shop used without profiles (one seller, or the command line): whoever
holds the database URL can do anything there anyway — see README "Team" and docs/team.md for
giving assistants a database role with fewer rights.
"""

from __future__ import annotations

import enum
import logging

from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP, Msg
from moments_desk.core.team import audit
from moments_desk.db.models import User, UserRole

log = logging.getLogger(__name__)


class Action(enum.StrEnum):
    APPROVE_POST = "approve_post"
    MANAGE_PROFILES = "manage_profiles"
    RESTORE_BACKUP = "restore_backup"
    MAKE_BACKUP = "make_backup"
    DELETE_CUSTOMER = "delete_customer"
    EXPORT_CUSTOMER = "export_customer"
    CHANGE_RULES = "change_rules"


_REFUSALS: dict[Action, Msg] = {
    Action.APPROVE_POST: QT_TRANSLATE_NOOP(
        "Permissions", "Only an owner can approve or return posts, her own included."
    ),
    Action.MANAGE_PROFILES: QT_TRANSLATE_NOOP(
        "Permissions",
        "Only an owner can add profiles, change another profile's name, role or PIN, or "
        "unlock one; an assistant can change her own PIN.",
    ),
    Action.RESTORE_BACKUP: QT_TRANSLATE_NOOP(
        "Permissions", "Only an owner can restore a backup: it replaces the whole shop."
    ),
    Action.MAKE_BACKUP: QT_TRANSLATE_NOOP(
        "Permissions",
        "Only an owner can back up a shared shop: a backup holds every customer's phone and "
        "address.",
    ),
    Action.DELETE_CUSTOMER: QT_TRANSLATE_NOOP("Permissions", "Only an owner can delete customers."),
    Action.EXPORT_CUSTOMER: QT_TRANSLATE_NOOP(
        "Permissions", "Only an owner can export a customer's personal data."
    ),
    Action.CHANGE_RULES: QT_TRANSLATE_NOOP(
        "Permissions", "Only an owner can change the posting rules and the approval setting."
    ),
}


class NotAllowedError(ValueError):
    """The acting profile may not do this; nothing was written (the refusal is audited)."""

    def __init__(self, action: Action) -> None:
        super().__init__(_REFUSALS[action])
        self.action = action


def is_owner(session: Session, acting: int | None) -> bool:
    if acting is None:
        return True
    role = session.scalar(select(User.role).where(User.id == acting, User.active.is_(True)))
    return role == UserRole.OWNER


def require_owner(
    session: Session,
    acting: int | None,
    action: Action,
    entity: str,
    entity_id: int | None = None,
) -> None:
    """Return if ``acting`` may do ``action``; else record the refusal and raise.

    Call it before the use-case writes: on SQLite the refusal's own transaction would wait
    for this one's write lock.
    """
    if is_owner(session, acting):
        return
    record_refusal(session, acting, action, entity, entity_id)
    raise NotAllowedError(action)


def require_owner_of_shared_shop(
    engine: Engine, acting: int | None, action: Action, entity: str
) -> None:
    """``require_owner`` in its own session, for a shared (PostgreSQL) shop only: a SQLite
    shop lives on one laptop, whose seller may copy her own folder anyway."""
    if engine.dialect.name == "sqlite":
        return
    with Session(engine) as session:
        require_owner(session, acting, action, entity)


def record_refusal(
    session: Session, acting: int | None, action: Action, entity: str, entity_id: int | None
) -> None:
    bind = session.get_bind()
    engine = bind.engine if isinstance(bind, Connection) else bind
    try:
        with Session(engine) as own, own.begin():
            audit.record(own, acting, "refused", entity, entity_id, action.value)
    except SQLAlchemyError:  # the refusal itself must still reach the person
        log.warning("could not record the refusal of %s by profile %s", action, acting)
