"""The shared database: its URL setting, migrations from the pre-migration schema, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import inspect

from assistant.config import Settings
from assistant.errors import ConfigError
from assistant.web.database import (
    SCHEMA_VERSION,
    feedback_table,
    make_engine,
    metadata,
    migrate,
    schema_version,
)
from assistant.web.feedback import FeedbackStore

# The schema the app created before migrations existed (copied from that version), with one old rating.
LEGACY = """
CREATE TABLE feedback (id {serial}, created_at TEXT NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL,
    decision TEXT NOT NULL, citations TEXT NOT NULL, history TEXT NOT NULL DEFAULT '[]', rating INTEGER NOT NULL,
    reason TEXT NOT NULL DEFAULT '', app_version TEXT NOT NULL, index_version TEXT NOT NULL);
CREATE INDEX feedback_rating ON feedback (rating);
CREATE TABLE queries (id {serial}, created_at TEXT NOT NULL, question TEXT NOT NULL, decision TEXT NOT NULL,
    category TEXT NOT NULL, latency_ms {real} NOT NULL);
INSERT INTO feedback (created_at, question, answer, decision, citations, rating, app_version, index_version)
    VALUES ('2026-01-01T00:00:00+00:00', 'old question', 'old answer', 'answer', '[]', -1, '0.1.0', 'g-old');
"""


def test_database_url_setting(settings: Settings) -> None:
    assert settings.database == settings.data_dir / "feedback.sqlite3"  # default: nothing to set up
    url = Settings(database_url="postgresql://u:p@db:5432/knee").database
    assert url == "postgresql+psycopg://u:p@db:5432/knee"
    assert Settings(database_url="postgres://u:p@db/knee").database == "postgresql+psycopg://u:p@db/knee"
    assert Settings(database_url="sqlite:////srv/fb.db").database == "sqlite:////srv/fb.db"
    assert "u:p" not in repr(Settings(database_url="postgresql://u:p@db/knee"))  # a secret
    with pytest.raises(ValidationError, match="postgresql://user:password@host:port/database"):
        Settings(database_url="mysql://u:p@db/knee")
    with pytest.raises(ConfigError):
        make_engine("redis://nope")


def _legacy(database: Path | str) -> FeedbackStore:
    store = FeedbackStore(database)
    types = {
        "sqlite": ("INTEGER PRIMARY KEY AUTOINCREMENT", "REAL"),
        "postgresql": ("BIGSERIAL PRIMARY KEY", "REAL"),
    }
    serial, real = types[store.backend]
    with store.engine.begin() as conn:
        for sql in LEGACY.format(serial=serial, real=real).split(";"):
            if sql.strip():
                conn.exec_driver_sql(sql)
    return store


def test_a_database_from_before_migrations_is_upgraded_in_place(database: Path | str) -> None:
    store = _legacy(database)
    with store.engine.connect() as conn:
        assert schema_version(conn) == 0
    assert store.ensure_schema() == SCHEMA_VERSION == 2
    old = store.list()
    assert [(i["question"], i["rating"], i["channel"]) for i in old] == [("old question", -1, "")]
    new = store.add(question="new", answer="a", decision="refuse", citations=[], rating=1, channel="rest")
    assert new > old[0]["id"] and store.get(new)["channel"] == "rest"  # type: ignore[index]
    columns = {c["name"] for c in inspect(store.engine).get_columns("feedback")}
    assert columns == {c.name for c in feedback_table.columns}  # migrations give exactly the code's shape
    assert store.ensure_schema() == 2 and store.count() == 2  # again: nothing changes
    with store.engine.connect() as conn:
        assert schema_version(conn) == 2


def test_a_new_database_gets_every_table(database: Path | str) -> None:
    store = FeedbackStore(database)
    store.ensure_schema()
    assert set(inspect(store.engine).get_table_names()) == set(metadata.tables) | {"schema_version"}


def test_a_newer_schema_than_the_app_knows_is_refused(database: Path | str) -> None:
    store = FeedbackStore(database)
    store.ensure_schema()
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE schema_version SET version = 99")
    with pytest.raises(ConfigError, match="newer than this app"):
        migrate(store.engine)


def test_replicas_starting_together_migrate_once(database: Path | str) -> None:
    """Four processes' worth of stores migrate the same fresh database at once: one wins, none fails."""
    stores = [FeedbackStore(database) for _ in range(4)]
    errors: list[BaseException] = []

    def start(store: FeedbackStore) -> None:
        try:
            store.ensure_schema()
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with stores[0].engine.connect() as conn:
        assert schema_version(conn) == 2
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM schema_version").scalar() == 1


def test_sqlite_file_made_by_the_old_app_keeps_working_with_sqlite3(tmp_path: Path) -> None:
    """The browser tests and staff scripts read the default file with plain sqlite3."""
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    store.add(question="q", answer="a", decision="answer", citations=[], rating=-1, reason="r")
    with sqlite3.connect(tmp_path / "feedback.sqlite3") as db:
        assert db.execute("SELECT question, rating, reason FROM feedback").fetchall() == [("q", -1, "r")]
