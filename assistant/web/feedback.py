"""Feedback store: SQLite in WAL mode under ASSISTANT_DATA_DIR; concurrent writes lose nothing."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant import __version__

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    decision TEXT NOT NULL,
    citations TEXT NOT NULL,
    history TEXT NOT NULL DEFAULT '[]',
    rating INTEGER NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    app_version TEXT NOT NULL,
    index_version TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS feedback_rating ON feedback (rating);
CREATE TABLE IF NOT EXISTS queries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    question TEXT NOT NULL,
    decision TEXT NOT NULL,
    category TEXT NOT NULL,
    latency_ms REAL NOT NULL
);
"""
RETRIES = (
    20  # a write waits out another writer (busy timeout), then retries with backoff: never drops a rating
)


class FeedbackStore:
    """Ratings with the full exchange, for the staff console; no IP addresses, nothing beyond what was typed."""

    def __init__(self, path: Path, *, busy_timeout_s: float = 10.0) -> None:
        self.path = path
        self.busy_timeout_s = busy_timeout_s
        self._init_lock = threading.Lock()
        self._ready = False

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with self._init_lock:
            if not self._ready or not self.path.exists():
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with sqlite3.connect(self.path, timeout=30) as conn:
                    conn.execute("PRAGMA journal_mode=WAL")
                    conn.executescript(SCHEMA)
                self._ready = True
        conn = sqlite3.connect(self.path, timeout=self.busy_timeout_s)
        try:
            conn.row_factory = sqlite3.Row
            yield conn
        finally:
            conn.close()

    def _write(self, sql: str, params: tuple[Any, ...]) -> int:
        delay = 0.01
        for attempt in range(RETRIES):
            try:
                with self._connect() as conn, conn:
                    cur = conn.execute(sql, params)
                    return int(cur.lastrowid or cur.rowcount)
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc) or attempt == RETRIES - 1:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 1.0)
        raise RuntimeError("unreachable")

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
    ) -> int:
        """Store one rating (+1 or -1) with the exchange; return its id."""
        if rating not in (1, -1):
            raise ValueError("rating must be 1 (thumbs up) or -1 (thumbs down)")
        return self._write(
            "INSERT INTO feedback (created_at, question, answer, decision, citations, history, rating, reason,"
            " app_version, index_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                datetime.now(UTC).isoformat(timespec="seconds"),
                question,
                answer,
                decision,
                json.dumps(citations, ensure_ascii=False),
                json.dumps(history or [], ensure_ascii=False),
                rating,
                reason[:2000],
                __version__,
                index_version,
            ),
        )

    def set_reason(self, feedback_id: int, reason: str) -> None:
        """Attach the optional reason to a rating."""
        self._write("UPDATE feedback SET reason = ? WHERE id = ?", (reason[:2000], feedback_id))

    def log_query(self, *, question: str, decision: str, category: str, latency_ms: float) -> None:
        """Query log (only when ASSISTANT_LOG_QUERIES is on): what was asked, never who asked."""
        self._write(
            "INSERT INTO queries (created_at, question, decision, category, latency_ms) VALUES (?, ?, ?, ?, ?)",
            (datetime.now(UTC).isoformat(timespec="seconds"), question, decision, category, latency_ms),
        )

    def list(self, *, only_negative: bool = False, limit: int = 500) -> list[dict[str, Any]]:
        """Newest first."""
        if not self.path.exists():
            return []
        where = "WHERE rating < 0" if only_negative else ""
        with self._connect() as conn:
            rows = conn.execute(
                f"SELECT * FROM feedback {where} ORDER BY id DESC LIMIT ?", (limit,)
            ).fetchall()
        return [dict(r) for r in rows]

    def get(self, feedback_id: int) -> dict[str, Any] | None:
        """One item with its citations and history decoded."""
        if not self.path.exists():
            return None
        with self._connect() as conn:
            row = conn.execute("SELECT * FROM feedback WHERE id = ?", (feedback_id,)).fetchone()
        if row is None:
            return None
        item = dict(row)
        item["citations"] = json.loads(item["citations"])
        item["history"] = json.loads(item["history"])
        return item

    def count(self) -> int:
        """Number of stored ratings."""
        if not self.path.exists():
            return 0
        with self._connect() as conn:
            return int(conn.execute("SELECT COUNT(*) FROM feedback").fetchone()[0])


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
