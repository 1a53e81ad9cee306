"""Tables report back (issue 14): per activity, the phone holding each table's role and the
table the projector shows full screen.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 12:18:58.029672

Two nullable columns on ``activity_states``: ``holders`` (JSON, table -> participant id of the
phone holding that table's reporter role for a per-table activity) and ``spotlight`` (the
group, a table, shown full screen). Existing rows get NULL: no holder, no spotlight. Made with
``flask --app app db revision -m "..."``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a development database of this change made before the migrations (its init_schema added
    # the columns, then 0001 adopted it) has them already
    have = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("activity_states")}
    with op.batch_alter_table("activity_states", schema=None) as batch_op:
        if "holders" not in have:
            batch_op.add_column(sa.Column("holders", sa.JSON(), nullable=True))
        if "spotlight" not in have:
            batch_op.add_column(sa.Column("spotlight", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("activity_states", schema=None) as batch_op:
        batch_op.drop_column("spotlight")
        batch_op.drop_column("holders")
