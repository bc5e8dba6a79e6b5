"""Web stage: the shared database of feedback and the query log.

SQLite under the data directory by default (nothing to set up), or PostgreSQL when several app replicas
share one database. SQLAlchemy Core; the schema is created on start and upgraded by numbered migrations
recorded in a one-row `schema_version` table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Float,
    Integer,
    MetaData,
    Table,
    Text,
    create_engine,
    event,
    text,
)
from sqlalchemy.pool import NullPool

from assistant.config import database_url
from assistant.errors import ConfigError

metadata = MetaData()
# The current shape, for reads and writes. The tables themselves are made by MIGRATIONS, never by
# metadata.create_all, so a database made by any earlier version is upgraded the same way.
feedback_table = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", Text, nullable=False),
    Column("question", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("decision", Text, nullable=False),
    Column("citations", Text, nullable=False),
    Column("history", Text, nullable=False),
    Column("rating", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    Column("app_version", Text, nullable=False),
    Column("index_version", Text, nullable=False),
    Column("channel", Text, nullable=False),
)
queries_table = Table(
    "queries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", Text, nullable=False),
    Column("question", Text, nullable=False),
    Column("decision", Text, nullable=False),
    Column("category", Text, nullable=False),
    Column("latency_ms", Float, nullable=False),
)

# Version 1 is the schema the app used before migrations existed: IF NOT EXISTS adopts such a database.
_V1 = [
    """CREATE TABLE IF NOT EXISTS feedback (
        id {serial},
        created_at TEXT NOT NULL,
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        decision TEXT NOT NULL,
        citations TEXT NOT NULL,
        history TEXT NOT NULL DEFAULT '[]',
        rating INTEGER NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        app_version TEXT NOT NULL,
        index_version TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS feedback_rating ON feedback (rating)",
    """CREATE TABLE IF NOT EXISTS queries (
        id {serial},
        created_at TEXT NOT NULL,
        question TEXT NOT NULL,
        decision TEXT NOT NULL,
        category TEXT NOT NULL,
        latency_ms {real} NOT NULL)""",
]
# Version 2: which door a rating came through (page, gradio-api, rest), for the staff console.
_V2 = ["ALTER TABLE feedback ADD COLUMN channel TEXT NOT NULL DEFAULT ''"]
MIGRATIONS: list[list[str]] = [_V1, _V2]
SCHEMA_VERSION = len(MIGRATIONS)
_TYPES = {
    "sqlite": {"serial": "INTEGER PRIMARY KEY AUTOINCREMENT", "real": "REAL"},
    "postgresql": {"serial": "BIGSERIAL PRIMARY KEY", "real": "DOUBLE PRECISION"},
}
_PG_LOCK = 724_113  # advisory lock id: replicas starting together migrate one after the other


def make_engine(target: Path | str, *, busy_timeout_s: float = 10.0) -> Engine:
    """An engine for a SQLite file path, or a sqlite:/// or postgresql:// URL."""
    try:
        url = f"sqlite:///{target}" if isinstance(target, Path) else database_url(target)
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    if url.startswith("sqlite:///"):
        # A connection per operation, as before: nothing pooled can outlive a removed data directory.
        engine = create_engine(
            url, poolclass=NullPool, connect_args={"timeout": busy_timeout_s, "check_same_thread": False}
        )
        _immediate_transactions(engine)
        return engine
    return create_engine(
        url,
        pool_pre_ping=True,  # a restarted database server costs one reconnect, not a failed request
        pool_size=5,
        max_overflow=10,
        pool_timeout=10,
        connect_args={"connect_timeout": 5},
    )


def _immediate_transactions(engine: Engine) -> None:
    """SQLite transactions take the write lock at BEGIN: writers queue on the busy timeout, and a
    migration's DDL is atomic (pysqlite would otherwise run DDL outside any transaction)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get("read_only") else "BEGIN IMMEDIATE")


def schema_version(conn: Connection) -> int:
    """The version recorded in the database; 0 when it has none (new, or made before migrations)."""
    if not conn.dialect.has_table(conn, "schema_version"):
        return 0
    value = conn.execute(text("SELECT version FROM schema_version")).scalar()
    return int(value or 0)


def migrate(engine: Engine, *, migrations: list[list[str]] | None = None) -> int:
    """Bring the schema up to date in one transaction; return the version reached."""
    steps = MIGRATIONS if migrations is None else migrations
    dialect = engine.dialect.name
    types = _TYPES[dialect]
    if dialect == "sqlite":  # outside any transaction (SQLite refuses it inside one); kept by the file
        raw = engine.raw_connection()
        try:
            raw.driver_connection.execute("PRAGMA journal_mode=WAL")  # type: ignore[union-attr]
        finally:
            raw.close()
    with engine.begin() as conn:
        if dialect == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_LOCK})
        current = schema_version(conn)
        if current > len(steps):
            raise ConfigError(
                f"The database schema is version {current}, newer than this app knows ({len(steps)}): "
                "upgrade the app before pointing it at this database."
            )
        if current == 0:
            conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            conn.exec_driver_sql("INSERT INTO schema_version (version) VALUES (0)")
        for statements in steps[current:]:
            for sql in statements:
                conn.exec_driver_sql(sql.format(**types))
        if current < len(steps):
            conn.execute(text("UPDATE schema_version SET version = :v"), {"v": len(steps)})
    return len(steps)
