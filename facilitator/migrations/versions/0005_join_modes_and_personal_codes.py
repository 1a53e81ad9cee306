"""Join modes (issue 12 item 13): live_sessions.join_mode and personal_codes, and the personal
codes used to join.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07

Every existing live session stays "open" (anyone with the code joins), as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "join_code_uses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("live_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["live_id"], ["live_sessions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["participant_id"], ["participants.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("live_id", "number"),
    )
    with op.batch_alter_table("live_sessions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("join_mode", sa.String(length=16), server_default="open", nullable=False)
        )
        batch_op.add_column(
            sa.Column("personal_codes", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("live_sessions", schema=None) as batch_op:
        batch_op.drop_column("personal_codes")
        batch_op.drop_column("join_mode")

    op.drop_table("join_code_uses")
