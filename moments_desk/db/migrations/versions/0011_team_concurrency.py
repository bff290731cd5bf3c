"""Team mode under concurrency: reminders stored once, versions against lost updates.

Two laptops on one shop both derive the daily follow-ups (unpaid orders, birthdays, quiet
friends); nothing stopped both from storing them, so a team saw them twice. Every reminder
gets the key that makes it the same reminder (``dedupe_key``), existing repeats are removed
first — keeping, of each group, the copy someone already acted on (dismissed, then shown,
then the earliest) — and a unique index makes a second copy impossible.

Posts, customers and products get a ``version`` that every save bumps, so a save from a copy
another laptop changed meanwhile is refused instead of overwriting (SQLAlchemy's
``version_id_col``).

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_REMINDER = sa.table(
    "reminder",
    sa.column("id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("due_at", sa.DateTime),
    sa.column("state", sa.String),
    sa.column("post_id", sa.Integer),
    sa.column("customer_id", sa.Integer),
    sa.column("order_id", sa.Integer),
    sa.column("dedupe_key", sa.String),
)
_VERSIONED = ("post", "customer", "product")
#: which copy of a repeated reminder stays: the one a person already acted on
_STATE_RANK = {"dismissed": 0, "fired": 1, "pending": 2}


def _key(row: Any) -> str:
    # A frozen copy of db.models.posts.reminder_key at 0011 (stored times are naive UTC).
    if row.order_id is not None and row.kind in ("unpaid_order", "shipped_unconfirmed"):
        return f"{row.kind}:order={row.order_id}"
    due = row.due_at
    if isinstance(due, str):  # SQLite without type affinity for a reflected column
        due = datetime.fromisoformat(due)
    at = due.strftime("%Y-%m-%dT%H:%M:%S")
    return f"{row.kind}:post={row.post_id}:customer={row.customer_id}:order={row.order_id}:at={at}"


def upgrade() -> None:
    with op.batch_alter_table("reminder") as batch:
        batch.add_column(sa.Column("dedupe_key", sa.String(length=200), nullable=True))
    bind = op.get_bind()
    reminder = _REMINDER
    groups: dict[str, list[tuple[int, int]]] = {}
    for row in bind.execute(
        sa.select(
            reminder.c.id,
            reminder.c.kind,
            reminder.c.due_at,
            reminder.c.state,
            reminder.c.post_id,
            reminder.c.customer_id,
            reminder.c.order_id,
        )
    ):
        groups.setdefault(_key(row), []).append((_STATE_RANK.get(row.state, 3), row.id))
    doomed: list[int] = []
    for key, members in groups.items():
        keep = min(members)[1]
        doomed += [rid for _rank, rid in members if rid != keep]
        bind.execute(sa.update(reminder).where(reminder.c.id == keep).values(dedupe_key=key))
    for start in range(0, len(doomed), 500):
        bind.execute(sa.delete(reminder).where(reminder.c.id.in_(doomed[start : start + 500])))
    op.create_index("ux_reminder_dedupe_key", "reminder", ["dedupe_key"], unique=True)
    for table in _VERSIONED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch copy would have to drop the
    # product and customer tables, which foreign keys from orders and posts forbid.
    for table in _VERSIONED:
        op.drop_column(table, "version")
    op.drop_index("ux_reminder_dedupe_key", table_name="reminder")
    op.drop_column("reminder", "dedupe_key")
