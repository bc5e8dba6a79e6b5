"""Feedback store: ratings with their exchange and the query log, in the shared database.

SQLite (WAL) under ASSISTANT_DATA_DIR by default, PostgreSQL for several replicas; concurrent writes
lose nothing: a locked SQLite file is waited out and a dropped database connection is retried.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.exc import DBAPIError, OperationalError

from assistant import __version__
from assistant.config import Settings
from assistant.errors import DatabaseUnavailableError
from assistant.web.database import feedback_table, make_engine, migrate, queries_table

log = logging.getLogger(__name__)
RETRIES = (
    20  # a write waits out another writer (busy timeout), then retries with backoff: never drops a rating
)
NETWORK_RETRIES = 4  # a PostgreSQL connection that dropped: reconnect a few times, then say it is unavailable
T = TypeVar("T")
Rows = list[dict[str, Any]]  # (`list` is also a method name below)


def clean(value: str, limit: int | None = None) -> str:
    """Text any database stores: no NUL (PostgreSQL refuses it), no lone surrogates (not UTF-8)."""
    value = value.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")
    return value[:limit] if limit else value


class FeedbackStore:
    """Ratings with the full exchange, for the staff console; no IP addresses, nothing beyond what was typed."""

    def __init__(self, target: Path | str, *, busy_timeout_s: float = 10.0) -> None:
        # target: a SQLite file path, or a database URL (sqlite:///... or postgresql+psycopg://...)
        self.path: Path | None = (
            target
            if isinstance(target, Path)
            else Path(target.removeprefix("sqlite:///"))
            if target.startswith("sqlite:///")
            else None
        )
        self.busy_timeout_s = busy_timeout_s
        self.engine = make_engine(self.path or target, busy_timeout_s=busy_timeout_s)
        self.backend = self.engine.dialect.name
        self._init_lock = threading.Lock()
        self._ready = False

    @classmethod
    def from_settings(cls, settings: Settings) -> FeedbackStore:
        """The store ASSISTANT_DATABASE_URL names (SQLite under the data directory when unset)."""
        return cls(settings.database)

    # --- plumbing --------------------------------------------------------------------------------
    def ensure_schema(self) -> int:
        """Create or upgrade the schema (idempotent); return its version."""
        with self._init_lock:
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            version = self._retry(lambda: migrate(self.engine))
            self._ready = True
            return version

    def _missing(self) -> bool:
        """A SQLite file that does not exist (yet, or any more: the data directory was removed)."""
        return self.path is not None and not self.path.exists()

    def _retry(self, work: Callable[[], T]) -> T:
        delay = 0.01
        for attempt in range(RETRIES):
            try:
                return work()
            except OperationalError as exc:
                text = str(exc.orig or exc).lower()
                locked = self.backend == "sqlite" and ("locked" in text or "busy" in text)
                if not locked and (self.backend == "sqlite" or attempt >= NETWORK_RETRIES - 1):
                    raise DatabaseUnavailableError(
                        f"The feedback database is not available right now ({type(exc.orig).__name__})."
                    ) from exc
            except DBAPIError as exc:
                if not exc.connection_invalidated or attempt >= NETWORK_RETRIES - 1:
                    raise
            time.sleep(delay)
            delay = min(delay * 2, 1.0)
        raise DatabaseUnavailableError("The feedback database stayed locked; please try again.")

    def _write(self, work: Callable[[Connection], T]) -> T:
        if not self._ready or self._missing():
            self.ensure_schema()

        def run() -> T:
            with self.engine.begin() as conn:
                return work(conn)

        return self._retry(run)

    def _read(self, work: Callable[[Connection], T], empty: T) -> T:
        if self._missing():
            return empty
        if not self._ready:
            self.ensure_schema()

        def run() -> T:
            with self.engine.connect() as conn:
                return work(conn.execution_options(read_only=True))

        return self._retry(run)

    # --- public ----------------------------------------------------------------------------------
    def add(
        self,
        *,
        question: str,
        answer: str,
        decision: str,
        citations: list[dict[str, Any]],
        rating: int,
        reason: str = "",
        history: list[dict[str, str]] | None = None,
        index_version: str = "",
        channel: str = "",
    ) -> int:
        """Store one rating (+1 or -1) with the exchange; return its id."""
        if rating not in (1, -1):
            raise ValueError("rating must be 1 (thumbs up) or -1 (thumbs down)")
        row = {
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "question": clean(question),
            "answer": clean(answer),
            "decision": clean(decision, 40),
            "citations": clean(json.dumps(citations, ensure_ascii=False)),
            "history": clean(json.dumps(history or [], ensure_ascii=False)),
            "rating": rating,
            "reason": clean(reason, 2000),
            "app_version": __version__,
            "index_version": clean(index_version, 200),
            "channel": clean(channel, 40),
        }
        stmt = insert(feedback_table).values(**row).returning(feedback_table.c.id)
        return self._write(lambda conn: int(conn.execute(stmt).scalar_one()))

    def set_reason(self, feedback_id: int, reason: str) -> None:
        """Attach the optional reason to a rating."""
        stmt = (
            update(feedback_table)
            .where(feedback_table.c.id == feedback_id)
            .values(reason=clean(reason, 2000))
        )
        self._write(lambda conn: conn.execute(stmt))

    def log_answer(self, question: str, answer: Any) -> None:
        """Log one answered message (an `Answer`): the single call every door makes."""
        self.log_query(
            question=question,
            decision=answer.decision,
            category=answer.category,
            latency_ms=answer.latency_ms,
        )

    def log_query(self, *, question: str, decision: str, category: str, latency_ms: float) -> None:
        """Query log (only when ASSISTANT_LOG_QUERIES is on): what was asked, never who asked.

        Best effort: an unreachable database is logged as a warning and the answer is still given.
        """
        row = {
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "question": clean(question),
            "decision": clean(decision, 40),
            "category": clean(category, 200),
            "latency_ms": float(latency_ms),
        }
        try:
            self._write(lambda conn: conn.execute(insert(queries_table).values(**row)))
        except DatabaseUnavailableError as exc:
            log.warning("query log skipped: %s", exc)

    def list(self, *, only_negative: bool = False, limit: int = 500, rating: int | None = None) -> Rows:
        """Newest first; `rating` (1 or -1) or `only_negative` filter."""
        stmt = select(feedback_table).order_by(feedback_table.c.id.desc()).limit(limit)
        if only_negative:
            stmt = stmt.where(feedback_table.c.rating < 0)
        if rating is not None:
            stmt = stmt.where(feedback_table.c.rating == rating)
        return self._read(lambda conn: [dict(r._mapping) for r in conn.execute(stmt)], [])

    def get(self, feedback_id: int) -> dict[str, Any] | None:
        """One item with its citations and history decoded."""
        stmt = select(feedback_table).where(feedback_table.c.id == feedback_id)
        row = self._read(lambda conn: conn.execute(stmt).first(), None)
        if row is None:
            return None
        item = dict(row._mapping)
        item["citations"] = json.loads(item["citations"])
        item["history"] = json.loads(item["history"])
        return item

    def count(self) -> int:
        """Number of stored ratings."""
        stmt = select(func.count()).select_from(feedback_table)
        return self._read(lambda conn: int(conn.execute(stmt).scalar_one()), 0)

    def queries(self, *, limit: int = 500) -> Rows:
        """The query log, newest first."""
        stmt = select(queries_table).order_by(queries_table.c.id.desc()).limit(limit)
        return self._read(lambda conn: [dict(r._mapping) for r in conn.execute(stmt)], [])

    def close(self) -> None:
        """Release pooled connections."""
        self.engine.dispose()


def to_question_lines(items: list[dict[str, Any]]) -> str:
    """Feedback as eval cases in the contract's question-set format (edit `expect` where it was wrong)."""
    lines = []
    for item in items:
        case: dict[str, Any] = {
            "id": f"feedback-{item['id']}",
            "question": item["question"],
            "expect": item["decision"],
            "category": "feedback-" + ("up" if item["rating"] > 0 else "down"),
        }
        history = item["history"] if isinstance(item["history"], list) else json.loads(item["history"])
        if history:
            case["history"] = history
        lines.append(json.dumps(case, ensure_ascii=False))
    return "\n".join(lines) + ("\n" if lines else "")
