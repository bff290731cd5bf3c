"""What a write changed: kinds of data (and ids where known), so screens re-read only that.

Every committed transaction on an engine being watched (``watch_commits``) is summarised as
a ``ChangeSet``: the tables its INSERT/UPDATE/DELETE statements touched, mapped to the
kinds a seller recognises, and the ids of the ORM rows it flushed. Nothing here knows about
Qt; the UI turns the change sets into one signal every page listens to. Another laptop's
writes arrive the same way, from ``kinds_changed`` between two ``fingerprint`` polls.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

# The vocabularies only: the table classes load on first use (this module is imported
# before the first paint).
from moments_desk.db.models import PostStatus

if TYPE_CHECKING:  # SQLAlchemy itself loads after a SQLite shop's first paint
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker


class Kind(enum.StrEnum):
    POSTS = "posts"
    REMINDERS = "reminders"
    CUSTOMERS = "customers"
    INTERACTIONS = "interactions"
    PRODUCTS = "products"
    ORDERS = "orders"
    ACCOUNTS = "accounts"
    SETTINGS = "settings"
    AUDIT = "audit"


#: Which kind each table belongs to; tables not listed (none today) change nothing visible.
TABLE_KINDS: Mapping[str, Kind] = {
    "post": Kind.POSTS,
    "post_account": Kind.POSTS,
    "post_image": Kind.POSTS,
    "post_product": Kind.POSTS,
    "post_screenshot": Kind.POSTS,
    "post_audience_tag": Kind.POSTS,
    "cadence_slot": Kind.POSTS,
    "draw": Kind.POSTS,
    "reminder": Kind.REMINDERS,
    "customer": Kind.CUSTOMERS,
    "customer_address": Kind.CUSTOMERS,
    "customer_tag": Kind.CUSTOMERS,
    "customer_photo": Kind.CUSTOMERS,
    "buyer_show_source": Kind.POSTS,
    "interaction": Kind.INTERACTIONS,
    "product": Kind.PRODUCTS,
    "product_image": Kind.PRODUCTS,
    "product_variant": Kind.PRODUCTS,
    "tag": Kind.PRODUCTS,
    "product_tag": Kind.PRODUCTS,
    "media_file": Kind.PRODUCTS,
    "sales_order": Kind.ORDERS,
    "order_item": Kind.ORDERS,
    "allocation": Kind.ORDERS,
    "wechat_account": Kind.ACCOUNTS,
    "account_rules": Kind.ACCOUNTS,
    "app_user": Kind.ACCOUNTS,
    "app_setting": Kind.SETTINGS,
    "audit_log": Kind.AUDIT,
}


@dataclass(frozen=True)
class ChangeSet:
    """The kinds of data a write changed; ``ids`` holds the row ids known for some of them
    (a kind listed in ``kinds`` without ids means "some rows of that kind")."""

    kinds: frozenset[Kind] = frozenset()
    ids: Mapping[Kind, frozenset[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, *kinds: Kind) -> ChangeSet:
        return cls(frozenset(kinds))

    @classmethod
    def everything(cls) -> ChangeSet:
        return cls(frozenset(Kind))

    def __bool__(self) -> bool:
        return bool(self.kinds)

    def touches(self, *kinds: Kind) -> bool:
        return not self.kinds.isdisjoint(kinds)

    def ids_of(self, kind: Kind) -> frozenset[int]:
        return self.ids.get(kind, frozenset())

    def merge(self, other: ChangeSet) -> ChangeSet:
        if not other:
            return self
        if not self:
            return other
        ids = {kind: self.ids_of(kind) | other.ids_of(kind) for kind in {*self.ids, *other.ids}}
        return ChangeSet(self.kinds | other.kinds, ids)


class _Pending:
    """What the current transaction on one connection has written so far."""

    def __init__(self) -> None:
        self.kinds: set[Kind] = set()
        self.ids: dict[Kind, set[int]] = {}

    def change_set(self) -> ChangeSet:
        ids = {kind: frozenset(found) for kind, found in self.ids.items() if found}
        return ChangeSet(frozenset(self.kinds), ids)


_KEY = "moments_desk.changes"


def _pending(info: dict[Any, Any]) -> _Pending:
    found = info.get(_KEY)
    if not isinstance(found, _Pending):
        found = _Pending()
        info[_KEY] = found
    return found


def _flushed(session: Session, _context: Any) -> None:
    from sqlalchemy import inspect

    pending = _pending(session.connection().info)
    for row in (*session.new, *session.dirty, *session.deleted):
        kind = TABLE_KINDS.get(str(getattr(row, "__tablename__", "")))
        identity = inspect(row).identity
        if kind is not None and identity is not None and len(identity) == 1:
            key = identity[0]
            if isinstance(key, int):
                pending.ids.setdefault(kind, set()).add(key)


def note_flushed_ids(sessions: sessionmaker[Session]) -> None:
    """Record the ids of ORM rows each flush wrote, so change sets name them."""
    from sqlalchemy import event

    if not event.contains(sessions, "after_flush", _flushed):
        event.listen(sessions, "after_flush", _flushed)


def watch_commits(
    engine: Engine,
    listener: Callable[[ChangeSet], None],
    sessions: sessionmaker[Session] | None = None,
) -> Callable[[], None]:
    """Call ``listener`` with what each committed transaction on ``engine`` changed (with the
    ids of the ORM rows that ``sessions`` flushed, when given).

    The listener runs on the thread that committed. Returns a function that stops watching.
    """
    from sqlalchemy import event
    from sqlalchemy.sql.dml import UpdateBase

    if sessions is not None:
        note_flushed_ids(sessions)

    def executed(conn: Any, clause: Any, *args: Any) -> None:
        # An UPDATE or DELETE that matched nothing changed nothing (-1: the driver cannot tell).
        if isinstance(clause, UpdateBase) and getattr(args[-1], "rowcount", -1) != 0:
            kind = TABLE_KINDS.get(str(getattr(clause.table, "name", "")))
            if kind is not None:
                _pending(conn.info).kinds.add(kind)

    def committed(conn: Any) -> None:
        changes = _pending(conn.info).change_set()
        conn.info.pop(_KEY, None)
        if changes:
            listener(changes)

    def rolled_back(conn: Any) -> None:
        conn.info.pop(_KEY, None)

    hooks = (("after_execute", executed), ("commit", committed), ("rollback", rolled_back))
    for name, hook in hooks:
        event.listen(engine, name, hook)

    def stop() -> None:
        for name, hook in hooks:
            if event.contains(engine, name, hook):
                event.remove(engine, name, hook)

    return stop


# -- another laptop's writes ------------------------------------------------------------------


#: Per kind, a cheap aggregate that moves when any row of it is added, changed or removed:
#: newest ``updated_at`` and row count where the table keeps timestamps, else newest id and
#: count (interactions, allocations and audit entries are only added or removed).
def _markers() -> Mapping[Kind, tuple[Any, ...]]:
    from sqlalchemy import func

    from moments_desk.db.models import (
        AuditEntry,
        Customer,
        Interaction,
        Order,
        Post,
        Product,
        Reminder,
        WeChatAccount,
    )

    return {
        Kind.POSTS: (
            func.max(Post.updated_at),
            func.count(Post.id),
            # bulk status moves (due, awaiting approval) may leave updated_at as it was
            func.count(Post.id).filter(
                Post.status.in_([PostStatus.DUE, PostStatus.AWAITING_APPROVAL])
            ),
        ),
        Kind.REMINDERS: (func.max(Reminder.updated_at), func.count(Reminder.id)),
        Kind.CUSTOMERS: (func.max(Customer.updated_at), func.count(Customer.id)),
        Kind.INTERACTIONS: (func.max(Interaction.id), func.count(Interaction.id)),
        Kind.PRODUCTS: (func.max(Product.updated_at), func.count(Product.id)),
        Kind.ORDERS: (func.max(Order.updated_at), func.count(Order.id)),
        Kind.ACCOUNTS: (func.max(WeChatAccount.updated_at), func.count(WeChatAccount.id)),
        Kind.AUDIT: (func.max(AuditEntry.id), func.count(AuditEntry.id)),
    }


Fingerprint = Mapping[Kind, tuple[object, ...]]


def fingerprint(session: Session) -> Fingerprint:
    """One read of every kind's marker (a handful of indexed aggregates)."""
    from sqlalchemy import func, select

    from moments_desk.db.models import Allocation, AppSetting, CustomerAddress, User

    found: dict[Kind, tuple[object, ...]] = {
        kind: tuple(session.execute(select(*columns)).one()) for kind, columns in _markers().items()
    }
    found[Kind.ORDERS] += tuple(
        session.execute(select(func.max(Allocation.id), func.count(Allocation.id))).one()
    )
    found[Kind.CUSTOMERS] += (session.scalar(select(func.count(CustomerAddress.id))),)
    found[Kind.ACCOUNTS] += tuple(
        session.execute(select(func.max(User.updated_at), func.count(User.id))).one()
    )
    # Settings are a few dozen short rows: their total length moves with any edit.
    found[Kind.SETTINGS] = tuple(
        session.execute(
            select(func.count(AppSetting.key), func.sum(func.length(AppSetting.value)))
        ).one()
    )
    return found


def kinds_changed(before: Fingerprint, after: Fingerprint) -> ChangeSet:
    return ChangeSet(frozenset(kind for kind in after if before.get(kind) != after[kind]))
