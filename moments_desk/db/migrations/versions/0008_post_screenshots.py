"""Screenshots of a post's likes and comments, sent back from the phone (手机接力).

One row per screenshot attached to a post; the file itself is a ``media_file`` row in the
content-addressed media store, so backups, restores and the integrity check include it.

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "post_screenshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("media_id", sa.Integer(), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["post.id"],
            name=op.f("fk_post_screenshot_post_id_post"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["media_id"],
            ["media_file.id"],
            name=op.f("fk_post_screenshot_media_id_media_file"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_screenshot")),
        sa.UniqueConstraint("post_id", "media_id", name=op.f("uq_post_screenshot_post_id")),
    )
    op.create_index(op.f("ix_post_screenshot_post_id"), "post_screenshot", ["post_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_post_screenshot_post_id"), table_name="post_screenshot")
    op.drop_table("post_screenshot")
