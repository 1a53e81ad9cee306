"""Baseline: the tables of release 0.1.0, the last made by ``store.init_schema``.

Revision ID: 0001
Revises:
Create Date: 2026-12-07

A new database gets these tables. A database made before the migrations (no ``alembic_version``
table; release 0.1.0 or a development version before it, whose ``init_schema`` created the
tables and added missing columns) is adopted: nothing in it is changed or copied, tables and
columns it lacks are added as that ``init_schema`` added them (nullable or with a default), and
Alembic records it at 0001. The tables are written out here, not taken from ``models.py``, so
that this revision stays the same when the models change.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def tables() -> sa.MetaData:
    meta = sa.MetaData()
    cascade: dict[str, Any] = {"ondelete": "CASCADE"}
    sa.Table(
        "live_sessions",
        meta,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(12), nullable=False, unique=True),
        sa.Column("programme_id", sa.String(64), nullable=False),
        sa.Column("programme_version", sa.String(64), nullable=False),
        sa.Column("programme_file", sa.String(255), nullable=False, default=""),
        sa.Column("programme", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("current_activity", sa.String(64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False, default=1),
        sa.Column("control_key", sa.String(64), nullable=False),
        sa.Column("projector_key", sa.String(64), nullable=False),
        sa.Column("join_locked", sa.Boolean(), nullable=False, default=False),
        sa.Column("timer_activity", sa.String(64), nullable=True),
        sa.Column("timer_ends_at", sa.Float(), nullable=True),
        sa.Column("timer_seconds", sa.Integer(), nullable=True),
        sa.Column("timer_auto_close", sa.Boolean(), nullable=False, default=True),
        sa.Column("tables", sa.Integer(), nullable=False, default=0),
        sa.Column("breakdown_by", sa.String(64), nullable=True),
        sa.Column("breakdown_compare", sa.JSON(), nullable=True),
    )
    sa.Table(
        "sign_in_tokens",
        meta,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("table", sa.Integer(), nullable=True),
        sa.Column("used_at", sa.DateTime(), nullable=True),
    )
    sa.Table(
        "activity_states",
        meta,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "live_id",
            sa.Integer(),
            sa.ForeignKey("live_sessions.id", **cascade),
            nullable=False,
            index=True,
        ),
        sa.Column("activity_id", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, default="pending"),
        sa.Column("results_visible", sa.Boolean(), nullable=False, default=False),
        sa.Column("opened_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("hidden_words", sa.JSON(), nullable=False),
        sa.Column("approved_words", sa.JSON(), nullable=False),
        sa.Column("resets", sa.Integer(), nullable=False, default=0),
        sa.UniqueConstraint("live_id", "activity_id"),
    )
    sa.Table(
        "log_entries",
        meta,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "live_id",
            sa.Integer(),
            sa.ForeignKey("live_sessions.id", **cascade),
            nullable=False,
            index=True,
        ),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("activity_id", sa.String(64), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
    )
    sa.Table(
        "participants",
        meta,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "live_id",
            sa.Integer(),
            sa.ForeignKey("live_sessions.id", **cascade),
            nullable=False,
            index=True,
        ),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("table", sa.Integer(), nullable=True),
    )
    sa.Table(
        "questions",
        meta,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "live_id",
            sa.Integer(),
            sa.ForeignKey("live_sessions.id", **cascade),
            nullable=False,
            index=True,
        ),
        sa.Column("activity_id", sa.String(64), nullable=False),
        sa.Column(
            "participant_id",
            sa.Integer(),
            sa.ForeignKey("participants.id", **cascade),
            nullable=False,
        ),
        sa.Column("text", sa.String(2000), nullable=False),
        sa.Column("client_id", sa.String(64), nullable=False, default=""),
        sa.Column("status", sa.String(16), nullable=False, default="approved"),
        sa.Column("pinned", sa.Boolean(), nullable=False, default=False),
        sa.Column("answered", sa.Boolean(), nullable=False, default=False),
        sa.Column("votes", sa.Integer(), nullable=False, default=0),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    sa.Table(
        "responses",
        meta,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "live_id", sa.Integer(), sa.ForeignKey("live_sessions.id", **cascade), nullable=False
        ),
        sa.Column("activity_id", sa.String(64), nullable=False),
        sa.Column(
            "participant_id",
            sa.Integer(),
            sa.ForeignKey("participants.id", **cascade),
            nullable=False,
            index=True,
        ),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("changes", sa.Integer(), nullable=False, default=0),
        sa.Column("status", sa.String(16), nullable=False, default="approved"),
        sa.UniqueConstraint("live_id", "activity_id", "participant_id"),
    )
    sa.Table(
        "submissions",
        meta,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "participant_id",
            sa.Integer(),
            sa.ForeignKey("participants.id", **cascade),
            nullable=False,
        ),
        sa.Column("client_id", sa.String(64), nullable=False),
        sa.Column("activity_id", sa.String(64), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("participant_id", "client_id"),
    )
    sa.Table(
        "question_votes",
        meta,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "question_id",
            sa.Integer(),
            sa.ForeignKey("questions.id", **cascade),
            nullable=False,
            index=True,
        ),
        sa.Column(
            "participant_id",
            sa.Integer(),
            sa.ForeignKey("participants.id", **cascade),
            nullable=False,
        ),
        sa.UniqueConstraint("question_id", "participant_id"),
    )
    return meta


def upgrade() -> None:
    bind = op.get_bind()
    meta = tables()
    existing = set(sa.inspect(bind).get_table_names())
    # a new database: every table; one made before the migrations: the tables it lacks
    meta.create_all(bind, checkfirst=True)
    inspector = sa.inspect(bind)
    for table in meta.sorted_tables:
        if table.name not in existing:
            continue
        have = {c["name"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in have:
                _add_column(table.name, column)
        indexes = {i["name"] for i in inspector.get_indexes(table.name)}
        for index in table.indexes:
            if index.name not in indexes:
                index.create(bind)


def _add_column(table: str, column: sa.Column[Any]) -> None:
    """A column an early database lacks, added as ``init_schema`` did: with its default as the
    server default (nullable when it has none)."""
    default = column.default.arg if isinstance(column.default, sa.ColumnDefault) else None
    server_default: Any = None
    if isinstance(default, bool):
        server_default = sa.true() if default else sa.false()
    elif isinstance(default, int | float | str):
        server_default = sa.text(repr(default)) if not isinstance(default, str) else default
    op.add_column(
        table,
        sa.Column(
            column.name,
            column.type,
            nullable=column.nullable or server_default is None,
            server_default=server_default,
        ),
    )


def downgrade() -> None:
    raise NotImplementedError(
        "0001 is the baseline: there is no schema before it to go back to (restore a backup)"
    )
