"""Client id fingerprints and browser grants (issue 12, items 2 and 4).

- ``submissions.value_hash``: the fingerprint of the value sent with a client id, so that a
  retry (same activity and value) is told from a reuse of the id (refused, ``client_id_reused``).
  Rows already there get "" and are compared with the stored answer instead.
- ``browser_grants``: a browser's rights (signed in, control and projector links opened), held
  server-side so that logging out revokes them. No rows: browsers signed in before this
  migration sign in again (their cookie names no grant).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 12:10:22.267310

Made with ``flask --app app db revision -m "..."``. Keep data: a migration that changes a
column copies what is in it; on SQLite, alter and drop go through ``op.batch_alter_table``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "browser_grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("facilitator", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("value_hash", sa.String(length=64), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_column("value_hash")

    op.drop_table("browser_grants")
