"""Upgrades lose nothing (issue 12, item 9): the schema is changed by Alembic migrations
(facilitator/migrations), run at start-up.

- A database written by release 0.1.0 (tests/upgrade/release-0.1.0.sql: made by that release's
  own code, with answers, questions, votes, moderation and a log in it) is started on by this
  version: every row is still there, value for value, and the app reads its results.
- The same on PostgreSQL (the scale-out mode): the release's tables made as that release made
  them (a frozen copy of its models, ``create_all``), its rows copied in.
- The newest migration matches the models (nothing for autogenerate to add), both for a new
  database and for an adopted one.
- A migration that copies a table (SQLite batch mode) fires no ON DELETE CASCADE.
- A database newer than the code is refused with a message that says what to do.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, create_engine, insert, select, text
from sqlalchemy.pool import NullPool

from facilitator import create_app, live, migrate, store
from tests.inprocess import app_config

HERE = Path(__file__).resolve().parent
DUMP = HERE / "upgrade" / "release-0.1.0.sql"
TABLES = [
    "live_sessions",
    "activity_states",
    "participants",
    "responses",
    "submissions",
    "questions",
    "question_votes",
    "log_entries",
    "sign_in_tokens",
]
#: what the release's database holds (tests/upgrade/make_release_db.py): 23 participants, nine
#: answerable activities, three of them left before the two survey questions
RELEASE_COUNTS = {
    "live_sessions": 1,
    "activity_states": 11,
    "participants": 23,
    "responses": 9 * 23 - 2 * 3,
    "submissions": 9 * 23 - 2 * 3 + 1 + 5,
    "questions": 5,
    "question_votes": 15,
    "log_entries": 5,
    "sign_in_tokens": 0,
}


def release_db(path: Path) -> Path:
    con = sqlite3.connect(path)
    con.executescript(DUMP.read_text())
    con.close()
    return path


#: columns of the release that a migration drops on purpose, left out of the comparison:
#: the links' keys in plain text (0004: derived from a nonce and the secret key instead)
DROPPED = {"live_sessions": ("control_key", "projector_key")}


def snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the release, its columns as the release had them, values
    in a form that compares across SQLite and PostgreSQL (JSON decoded, times as text)."""
    from tests.upgrade.models_0_1_0 import Base as Release

    engine = create_engine(url, poolclass=NullPool)
    out: dict[str, list[tuple[Any, ...]]] = {}
    try:
        with engine.connect() as conn:
            for name in TABLES:
                table = Release.metadata.tables[name]
                kept = [c for c in table.c if c.name not in DROPPED.get(name, ())]
                rows = conn.execute(select(*kept).order_by(table.c.id)).all()
                out[name] = [tuple(_plain(v) for v in row) for row in rows]
    finally:
        engine.dispose()
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def revision_of(url: str) -> list[str]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return [r for (r,) in conn.execute(text("SELECT version_num FROM alembic_version"))]
    finally:
        engine.dispose()


def check_the_app_reads_it(url: str, folder: Path) -> None:
    """This version's app starts on the upgraded database (the real start-up path) and counts
    the release's answers as the release stored them."""
    app = create_app(dict(app_config(folder), DATABASE_URL=url))
    try:
        with app.app_context():
            [summary] = store.list_lives()
            assert summary.participants == 23
            current = live.get(summary.code)
            assert current.ended_at is not None
            assert live.respondents(current, "org") == 23
            assert live.respondents(current, "e1") == 20
            result, respondents, _rev = live.result(current, "org")
            assert respondents == 23
            assert result is not None
            assert {o["id"]: o["count"] for o in result["options"]} == {
                "school": 8,
                "clb": 8,
                "welzijn": 7,
            }
            # 0007: no table holds a reporter role, nothing is spotlighted
            assert current.status("org").holders == () and current.status("org").spotlight is None
            e1 = {pid: v for pid, v, _s, _c in store.responses_for(current.id, "e1")}
            assert sorted(e1.values()).count("nee") == 11  # participant 0 changed to "nee"
            # 0006: no language chosen yet, so the programme's default; the release's stored
            # programme (moderation as true/false) reads as before/none
            assert current.language is None and current.lang == "nl"
            assert current.programme.activity("mening").moderation == "before"
            assert current.programme.activity("e3").moderation == "none"
    finally:
        live.reset_caches()
        from facilitator.extensions import db

        assert db.engine is not None
        db.engine.dispose()  # PostgreSQL: close the pool's connections now


def test_the_release_database_holds_what_the_test_expects(tmp_path: Path) -> None:
    url = f"sqlite:///{release_db(tmp_path / 'release.db')}"
    before = snapshot(url)
    assert {name: len(rows) for name, rows in before.items()} == RELEASE_COUNTS
    con = sqlite3.connect(tmp_path / "release.db")
    assert (
        con.execute("SELECT name FROM sqlite_master WHERE name = 'alembic_version'").fetchall()
        == []
    )


def test_a_release_database_keeps_every_answer(tmp_path: Path) -> None:
    url = f"sqlite:///{release_db(tmp_path / 'release.db')}"
    before = snapshot(url)
    assert migrate.upgrade(url) is None  # made before the migrations: adopted
    assert revision_of(url) == [migrate.head()]
    after = snapshot(url)
    assert {name: len(rows) for name, rows in after.items()} == RELEASE_COUNTS
    for name in TABLES:
        assert after[name] == before[name], name
    assert migrate.diff(url) == []
    check_the_app_reads_it(url, tmp_path)
    assert snapshot(url) == before  # reading it changed nothing either


def test_sessions_that_exist_at_the_upgrade_get_their_retention_from_it(tmp_path: Path) -> None:
    """0002 (retention): a live session of the release is kept 90 days from the upgrade, not
    from its end: the first start after an upgrade deletes nothing."""
    from datetime import UTC, datetime, timedelta

    path = release_db(tmp_path / "release.db")
    con = sqlite3.connect(path)
    con.execute("UPDATE live_sessions SET ended_at = '2020-01-01 10:00:00'")
    con.commit()
    migrate.upgrade(f"sqlite:///{path}")
    [(days, ended)] = con.execute("SELECT retention_days, ended_at FROM live_sessions").fetchall()
    ended_at = datetime.fromisoformat(ended)
    keep_until = ended_at + timedelta(days=days)
    now = datetime.now(UTC).replace(tzinfo=None)
    assert now + timedelta(days=90) <= keep_until <= now + timedelta(days=91)
    assert store.delete_after(ended_at, ended_at, days) == keep_until
    con.close()


def test_a_new_database_matches_the_models(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    assert migrate.upgrade(url) is None
    assert revision_of(url) == [migrate.head()]
    assert migrate.diff(url) == []
    assert migrate.upgrade(url) == migrate.head()  # a second start finds it at head


def test_a_model_changed_without_a_migration_shows(tmp_path: Path) -> None:
    """The check above can fail: a database without a column the models have differs."""
    url = f"sqlite:///{tmp_path / 'new.db'}"
    migrate.upgrade(url)
    con = sqlite3.connect(tmp_path / "new.db")
    con.execute("ALTER TABLE responses DROP COLUMN changes")
    con.commit()
    con.close()
    [(op, *_rest)] = migrate.diff(url)
    assert op == "add_column"


def test_a_database_from_an_early_version_gets_the_missing_columns(tmp_path: Path) -> None:
    """Before 0.1.0, ``init_schema`` added columns the database lacked; the baseline does the
    same for such a database, keeping its rows."""
    path = release_db(tmp_path / "early.db")
    con = sqlite3.connect(path)
    con.execute("ALTER TABLE live_sessions DROP COLUMN breakdown_compare")
    con.execute("ALTER TABLE live_sessions DROP COLUMN tables")
    con.execute("DROP TABLE sign_in_tokens")
    con.commit()
    con.close()
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    after = snapshot(url)
    assert {name: len(rows) for name, rows in after.items()} == RELEASE_COUNTS
    con = sqlite3.connect(path)
    assert con.execute("SELECT tables, breakdown_compare FROM live_sessions").fetchall() == [
        (0, None)
    ]


def test_copying_a_table_fires_no_cascade(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A later migration that changes ``live_sessions`` on SQLite copies the table (batch mode:
    create, copy, drop, rename). With foreign keys on, the drop would delete every answer
    through ON DELETE CASCADE; the migrations run with them off."""
    folder = tmp_path / "migrations"
    shutil.copytree(migrate.FOLDER, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / "9001_copy_live_sessions.py").write_text(
        f'''"""test: a column changed in place"""
import sqlalchemy as sa
from alembic import op

revision = "9001"
down_revision = {migrate.head()!r}
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("live_sessions", recreate="always") as batch:
        batch.alter_column("programme_file", type_=sa.String(300))


def downgrade() -> None:
    pass
'''
    )
    monkeypatch.setattr(migrate, "FOLDER", folder)
    migrate.revisions.cache_clear()
    try:
        url = f"sqlite:///{release_db(tmp_path / 'release.db')}"
        before = snapshot(url)
        migrate.upgrade(url)
        assert revision_of(url) == ["9001"]
        assert snapshot(url) == before
        con = sqlite3.connect(tmp_path / "release.db")
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        migrate.revisions.cache_clear()


def test_a_database_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    migrate.upgrade(url)
    con = sqlite3.connect(tmp_path / "new.db")
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    with pytest.raises(migrate.SchemaError, match="'9999'.*newer version"):
        create_app(dict(app_config(tmp_path), DATABASE_URL=url))


# --------------------------------------------------------------------------- PostgreSQL


@contextmanager
def postgres_database() -> Iterator[str]:
    # imported here: tests.scaleout skips the module that imports it where psycopg is missing
    from tests.scaleout import postgres_database as fresh

    with fresh("dialoogtafel_upgrade") as url:
        yield url


def copy_release_to(source: str, target: str) -> None:
    """The release's tables made on ``target`` as that release made them, and every row of
    ``source`` copied in (ids kept; the sequences set past them)."""
    from tests.upgrade.models_0_1_0 import Base as Release

    src = create_engine(source, poolclass=NullPool)
    dst = create_engine(target, poolclass=NullPool)
    try:
        with src.connect() as s, dst.begin() as d:
            Release.metadata.create_all(d)
            for table in Release.metadata.sorted_tables:
                rows = [dict(r._mapping) for r in s.execute(select(table))]
                if rows:
                    d.execute(insert(table), rows)
                d.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false)"
                    )
                )
    finally:
        src.dispose()
        dst.dispose()


def test_a_release_database_on_postgresql_keeps_every_answer(tmp_path: Path) -> None:
    source = f"sqlite:///{release_db(tmp_path / 'release.db')}"
    with postgres_database() as url:
        copy_release_to(source, url)
        before = snapshot(url)
        assert {name: len(rows) for name, rows in before.items()} == RELEASE_COUNTS
        assert before == snapshot(source)
        assert migrate.upgrade(url) is None
        assert revision_of(url) == [migrate.head()]
        assert snapshot(url) == before
        assert migrate.diff(url) == []
        check_the_app_reads_it(url, tmp_path)
        # a new answer after the upgrade gets a fresh id (the sequences survived)
        engine = create_engine(url, poolclass=NullPool)
        try:
            with engine.begin() as conn:
                meta = MetaData()
                meta.reflect(conn, only=["log_entries"])
                conn.execute(
                    insert(meta.tables["log_entries"]),
                    {"live_id": 1, "at": "2026-01-01", "action": "test", "detail": {}},
                )
                assert conn.execute(text("SELECT count(*) FROM log_entries")).scalar() == 6
        finally:
            engine.dispose()


def test_a_new_postgresql_database_matches_the_models() -> None:
    with postgres_database() as url:
        assert migrate.upgrade(url) is None
        assert migrate.diff(url) == []
        assert migrate.upgrade(url) == migrate.head()
