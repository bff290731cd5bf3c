"""买家秀 from the customers themselves, only with their consent.

``customer.shares_buyer_show`` records that a customer allowed her comments and photos to be
shown as 买家秀 (off for everyone already in the shop). ``customer_photo`` holds the photos
a buyer sent (the media store keeps the file); ``buyer_show_source`` remembers which
customer and comment a drafted 买家秀 quotes, so the planner does not repeat her within the
no-repeat window and withdrawing consent or forgetting her removes the untouched drafts.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from moments_desk.db import change_log

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

#: A frozen copy of the kinds these tables belong to (``core.shared.changes.TABLE_KINDS``).
TABLE_KINDS = {"customer_photo": "customers", "buyer_show_source": "posts"}


def upgrade() -> None:
    # A plain ADD COLUMN, written out: on SQLite this project's Alembic runs every step in
    # batch mode, and a batch copy of "customer" drops the old table, which with foreign keys
    # on deletes every customer's addresses and interactions.
    off = "0" if op.get_bind().dialect.name == "sqlite" else "false"
    op.execute(f"ALTER TABLE customer ADD COLUMN shares_buyer_show BOOLEAN NOT NULL DEFAULT {off}")
    op.create_table(
        "customer_photo",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("media_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.id"],
            name="fk_customer_photo_customer_id_customer",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["media_id"],
            ["media_file.id"],
            name="fk_customer_photo_media_id_media_file",
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_customer_photo"),
        sa.UniqueConstraint("customer_id", "media_id", name="uq_customer_photo_customer_id"),
    )
    op.create_index("ix_customer_photo_customer_id", "customer_photo", ["customer_id"])
    op.create_table(
        "buyer_show_source",
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["post_id"], ["post.id"], name="fk_buyer_show_source_post_id_post", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.id"],
            name="fk_buyer_show_source_customer_id_customer",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interaction.id"],
            name="fk_buyer_show_source_interaction_id_interaction",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("post_id", name="pk_buyer_show_source"),
    )
    op.create_index("ix_buyer_show_source_customer_id", "buyer_show_source", ["customer_id"])
    change_log.install(op.get_bind(), TABLE_KINDS)


def downgrade() -> None:
    # Dropping the tables drops their triggers; the logging function stays for the others.
    op.drop_index("ix_buyer_show_source_customer_id", "buyer_show_source")
    op.drop_table("buyer_show_source")
    op.drop_index("ix_customer_photo_customer_id", "customer_photo")
    op.drop_table("customer_photo")
    # In place (SQLite 3.35+), for the same reason as the upgrade.
    op.execute("ALTER TABLE customer DROP COLUMN shares_buyer_show")
