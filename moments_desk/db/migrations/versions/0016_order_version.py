"""Orders get a ``version`` like posts, customers and products (migration 0011).

Two laptops editing the same order could still overwrite each other: the order editor now
writes only the fields the person changed, and the ``version`` every save bumps (SQLAlchemy's
``version_id_col``) refuses a save that lands between another save's read and write.
Existing orders start at version 1.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN, written out: a batch copy of "sales_order" on SQLite would drop the
    # old table, which with foreign keys on deletes every order's items.
    op.execute("ALTER TABLE sales_order ADD COLUMN version INTEGER NOT NULL DEFAULT 1")


def downgrade() -> None:
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+), for the same reason.
    op.execute("ALTER TABLE sales_order DROP COLUMN version")
