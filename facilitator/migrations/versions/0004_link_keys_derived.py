"""Link keys derived, not stored (issue 12, item 5).

``live_sessions.control_key`` and ``projector_key`` held the keys of the control and projector
links in plain text: anyone with a copy of the database could open every control screen. Now a
live session has a random ``key_nonce`` and the keys are an HMAC of it under the app's secret key
(``store.link_key``), which is not in the database. The old keys are dropped: links printed
before this upgrade stop working; a signed-in facilitator finds the new ones on the control
screen.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 12:11:57.011535

Made with ``flask --app app db revision -m "..."``. Keep data: a migration that changes a
column copies what is in it; on SQLite, alter and drop go through ``op.batch_alter_table``.
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("live_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key_nonce", sa.String(length=32), nullable=True))
    conn = op.get_bind()
    sessions = sa.table("live_sessions", sa.column("id", sa.Integer), sa.column("key_nonce"))
    for (row_id,) in conn.execute(sa.select(sessions.c.id)).all():
        conn.execute(
            sessions.update()
            .where(sessions.c.id == row_id)
            .values(key_nonce=secrets.token_urlsafe(18))
        )
    with op.batch_alter_table("live_sessions", schema=None) as batch_op:
        batch_op.alter_column("key_nonce", existing_type=sa.String(length=32), nullable=False)
        batch_op.drop_column("control_key")
        batch_op.drop_column("projector_key")


def downgrade() -> None:
    """New random keys (the derived ones cannot be stored back without the secret key)."""
    with op.batch_alter_table("live_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("control_key", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("projector_key", sa.String(length=64), nullable=True))
    conn = op.get_bind()
    sessions = sa.table(
        "live_sessions",
        sa.column("id", sa.Integer),
        sa.column("control_key"),
        sa.column("projector_key"),
    )
    for (row_id,) in conn.execute(sa.select(sessions.c.id)).all():
        conn.execute(
            sessions.update()
            .where(sessions.c.id == row_id)
            .values(control_key=secrets.token_urlsafe(18), projector_key=secrets.token_urlsafe(18))
        )
    with op.batch_alter_table("live_sessions", schema=None) as batch_op:
        batch_op.alter_column("control_key", existing_type=sa.String(64), nullable=False)
        batch_op.alter_column("projector_key", existing_type=sa.String(64), nullable=False)
        batch_op.drop_column("key_nonce")
