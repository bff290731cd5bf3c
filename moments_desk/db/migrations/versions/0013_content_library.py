"""The 素材库 (content library) and the seller's reason for scheduling forbidden wording.

Planning could not write the 60 % of posts that are not selling; a library of reusable life,
tips, 买家秀 and brand-story posts fills those slots. Forbidden wording (集赞, 转发抽奖 …) now
refuses scheduling unless the seller gives a reason, kept on the post.

Revision ID: 0013
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("post") as batch:
        batch.add_column(
            sa.Column("wording_override", sa.Text(), nullable=False, server_default="")
        )
    op.create_table(
        "content_entry",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("tags", sa.String(200), nullable=False),
        sa.Column("season", sa.String(10), nullable=False),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_content_entry"),
    )
    op.create_index("ix_content_entry_kind", "content_entry", ["kind"])
    op.create_table(
        "content_entry_image",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("media_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["content_entry.id"],
            name="fk_content_entry_image_entry_id_content_entry",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["media_id"],
            ["media_file.id"],
            name="fk_content_entry_image_media_id_media_file",
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_content_entry_image"),
    )
    op.create_index("ix_content_entry_image_entry_id", "content_entry_image", ["entry_id"])


def downgrade() -> None:
    op.drop_index("ix_content_entry_image_entry_id", "content_entry_image")
    op.drop_table("content_entry_image")
    op.drop_index("ix_content_entry_kind", "content_entry")
    op.drop_table("content_entry")
    with op.batch_alter_table("post") as batch:
        batch.drop_column("wording_override")
