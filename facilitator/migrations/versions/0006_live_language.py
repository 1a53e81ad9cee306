"""The live session's language (issue 13): projector, control screen and report use it.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 12:06:20.045106

Made with ``flask --app app db revision -m "..."``. A new nullable column: existing live
sessions keep NULL, which means the programme's default language (``LiveState.lang``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    have = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("live_sessions")}
    if "language" in have:  # a development database whose init_schema added it already
        return
    with op.batch_alter_table("live_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("live_sessions", schema=None) as batch_op:
        batch_op.drop_column("language")
