"""A change log kept by the database, and pictures shared through it.

The remote-change check compared ``max(updated_at)`` per kind: a post dated 13 days ahead
hid every edit until then, and a local reconcile refreshed the marker and swallowed another
laptop's change. Now every write on PostgreSQL adds a ``change_log`` row in its own
transaction (statement triggers, see ``db.change_log``); SQLite shops get the table too.
Pictures added on one laptop lived only in its data folder; ``shared_picture`` and its
chunks hold their bytes for a team (``core.pictures.shared_store``).

Revision ID: 0012
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from moments_desk.db import change_log

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

#: The shop's tables and the kind of data each holds, as of this revision (a frozen copy
#: of ``core.shared.changes.TABLE_KINDS``: migrations must not follow later code).
TABLE_KINDS = {
    "post": "posts",
    "post_account": "posts",
    "post_image": "posts",
    "post_product": "posts",
    "post_screenshot": "posts",
    "post_audience_tag": "posts",
    "cadence_slot": "posts",
    "draw": "posts",
    "reminder": "reminders",
    "customer": "customers",
    "customer_address": "customers",
    "customer_tag": "customers",
    "interaction": "interactions",
    "product": "products",
    "product_image": "products",
    "product_variant": "products",
    "tag": "products",
    "product_tag": "products",
    "media_file": "products",
    "sales_order": "orders",
    "order_item": "orders",
    "allocation": "orders",
    "wechat_account": "accounts",
    "account_rules": "accounts",
    "app_user": "accounts",
    "app_setting": "settings",
    "audit_log": "audit",
}


def upgrade() -> None:
    op.create_table(
        "change_log",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("origin", sa.String(120), nullable=False, server_default=""),
        sa.Column("tx", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("at", sa.DateTime(), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("ix_change_log_tx", "change_log", ["tx"])
    op.create_index("ix_change_log_at", "change_log", ["at"])
    change_log.install(op.get_bind(), TABLE_KINDS)
    # Pictures a team shares: bytes in the database every laptop reaches, in slices.
    op.create_table(
        "shared_picture",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("chunk_count", sa.Integer(), nullable=False),
    )
    op.create_table(
        "shared_picture_chunk",
        sa.Column(
            "sha256",
            sa.String(64),
            sa.ForeignKey("shared_picture.sha256", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("seq", sa.Integer(), primary_key=True),
        sa.Column("data", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("shared_picture_chunk")
    op.drop_table("shared_picture")
    change_log.uninstall(op.get_bind(), list(TABLE_KINDS))
    op.drop_index("ix_change_log_at", "change_log")
    op.drop_index("ix_change_log_tx", "change_log")
    op.drop_table("change_log")
