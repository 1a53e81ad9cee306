"""Retention: live_sessions.retention_days, and the record of deleted live sessions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07

The server deletes a live session ``retention_days`` after its end (its start, if never ended;
issue 12 item 8). Live sessions that exist at the upgrade get 90 days from the upgrade, not from
their end: an upgrade never deletes anything on its first start, and the control screen shows
each one's date. ``deletions`` records every deleted live session without personal data.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

DEFAULT_DAYS = 90


def upgrade() -> None:
    op.create_table(
        "deletions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("programme_version", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("responses", sa.Integer(), nullable=False),
        sa.Column("questions", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("live_sessions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("retention_days", sa.Integer(), server_default="90", nullable=False)
        )
    bind = op.get_bind()
    lives = sa.table(
        "live_sessions",
        sa.column("id", sa.Integer()),
        sa.column("created_at", sa.DateTime()),
        sa.column("ended_at", sa.DateTime()),
        sa.column("retention_days", sa.Integer()),
    )
    now = datetime.now(UTC).replace(tzinfo=None)
    for id_, created, ended in bind.execute(
        sa.select(lives.c.id, lives.c.created_at, lives.c.ended_at)
    ):
        age = (now - (ended or created)).days + 1
        if age > 0:
            bind.execute(
                sa.update(lives).where(lives.c.id == id_).values(retention_days=DEFAULT_DAYS + age)
            )


def downgrade() -> None:
    with op.batch_alter_table("live_sessions", schema=None) as batch_op:
        batch_op.drop_column("retention_days")
    op.drop_table("deletions")
