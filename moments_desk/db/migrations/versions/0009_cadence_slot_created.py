"""When each weekly slot was created, so the cadence report counts from then.

A shop's first day used to read "115 次中按时 0 次": every slot was counted back to the start
of the report's range, before the shop or the slot existed. Slots made before this version
take their account's creation time: a slot cannot be older than its account.

Revision ID: 0009
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_SLOTS = sa.table(
    "cadence_slot",
    sa.column("account_id", sa.Integer),
    sa.column("created_at", sa.DateTime),
)
_ACCOUNTS = sa.table("wechat_account", sa.column("id", sa.Integer), sa.column("created_at"))


def upgrade() -> None:
    with op.batch_alter_table("cadence_slot") as batch:
        batch.add_column(sa.Column("created_at", sa.DateTime(), nullable=True))
    account_created = (
        sa.select(_ACCOUNTS.c.created_at)
        .where(_ACCOUNTS.c.id == _SLOTS.c.account_id)
        .scalar_subquery()
    )
    op.get_bind().execute(sa.update(_SLOTS).values(created_at=account_created))


def downgrade() -> None:
    with op.batch_alter_table("cadence_slot") as batch:
        batch.drop_column("created_at")
