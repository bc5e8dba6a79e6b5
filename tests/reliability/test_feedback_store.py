"""Feedback: concurrent writes lose nothing and a lock is waited out, on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from assistant.errors import DatabaseUnavailableError
from assistant.web.feedback import FeedbackStore, to_question_lines
from tests.conftest import free_port


def test_8_threads_x_250_writes_all_present(database: Path | str) -> None:
    store = FeedbackStore(database)

    def writer(t: int) -> None:
        for i in range(250):
            store.add(
                question=f"q{t}-{i}", answer="a", decision="answer", citations=[], rating=1 if i % 2 else -1
            )

    threads = [threading.Thread(target=writer, args=(t,)) for t in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    questions = {item["question"] for item in store.list(limit=5000)}
    assert questions == {f"q{t}-{i}" for t in range(8) for i in range(250)} and store.count() == 2000
    assert len(store.list(only_negative=True, limit=5000)) == 1000 == len(store.list(rating=1, limit=5000))
    if store.path is not None:
        with sqlite3.connect(store.path) as db:
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()


def test_a_locked_database_is_retried(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "fb.sqlite3", busy_timeout_s=0.05)
    store.add(question="first", answer="a", decision="answer", citations=[], rating=1)
    assert store.path is not None
    blocker = sqlite3.connect(store.path, timeout=1, isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN EXCLUSIVE")
    released = threading.Event()

    def release() -> None:
        time.sleep(1.0)
        blocker.execute("COMMIT")
        released.set()

    threading.Thread(target=release).start()
    fid = store.add(
        question="while locked", answer="a", decision="answer", citations=[], rating=-1, reason="slow"
    )
    assert released.is_set()  # it really had to wait for the lock
    item = store.get(fid)
    assert item and item["question"] == "while locked" and item["reason"] == "slow"


@pytest.mark.server
def test_a_locked_postgresql_table_is_waited_out(postgres) -> None:  # type: ignore[no-untyped-def]
    import psycopg

    url = postgres.new_database()
    store = FeedbackStore(url)
    store.add(question="first", answer="a", decision="answer", citations=[], rating=1)
    blocker = psycopg.connect(url)
    blocker.execute("LOCK TABLE feedback IN ACCESS EXCLUSIVE MODE")  # held until commit
    released = threading.Event()

    def release() -> None:
        time.sleep(1.0)
        released.set()
        blocker.commit()

    threading.Thread(target=release).start()
    fid = store.add(question="while locked", answer="a", decision="answer", citations=[], rating=-1)
    assert released.is_set()
    item = store.get(fid)
    assert item and item["question"] == "while locked" and store.count() == 2
    blocker.close()
    store.close()


def test_export_is_the_question_set_format(database: Path | str, tmp_path: Path) -> None:
    from evals.questions import load_questions

    store = FeedbackStore(database)
    a = store.add(
        question="What is PFPS?",
        answer="...",
        decision="answer",
        citations=[],
        rating=-1,
        history=[{"role": "user", "content": "hi"}],
    )
    lines = to_question_lines([store.get(a)])  # type: ignore[list-item]
    assert lines == to_question_lines(store.list())  # raw rows export the same lines
    (tmp_path / "q.jsonl").write_text(lines)
    (q,) = load_questions([tmp_path / "q.jsonl"])
    assert (q.question, q.expect, q.category) == ("What is PFPS?", "answer", "feedback-down")
    assert q.history == ({"role": "user", "content": "hi"},)


def test_text_any_database_stores(database: Path | str) -> None:
    """NUL (PostgreSQL refuses it) and a lone surrogate (not UTF-8) do not lose the rating."""
    store = FeedbackStore(database)
    fid = store.add(
        question="a\x00b\ud800c", answer="x", decision="answer", citations=[], rating=1, reason="é 👍"
    )
    store.set_reason(fid, "why\x00 not")
    store.log_query(question="q\x00", decision="refuse", category="scope", latency_ms=1.5)
    item = store.get(fid)
    assert item and item["question"] == "ab?c" and item["reason"] == "why not"
    assert [(q["question"], q["latency_ms"]) for q in store.queries()] == [("q", 1.5)]


def test_a_removed_data_dir_reads_empty_and_the_next_rating_recreates_it(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "data" / "fb.sqlite3")
    store.add(question="q", answer="a", decision="answer", citations=[], rating=1)
    import shutil

    shutil.rmtree(tmp_path / "data")
    assert store.list() == [] and store.count() == 0 and store.get(1) is None
    store.add(question="again", answer="a", decision="answer", citations=[], rating=-1)
    assert [i["question"] for i in store.list()] == ["again"]


def test_an_unreachable_postgresql_is_a_clear_error_without_the_password() -> None:
    store = FeedbackStore(f"postgresql://user:hunter2secret@127.0.0.1:{free_port()}/db")
    with pytest.raises(DatabaseUnavailableError) as err:
        store.add(question="q", answer="a", decision="answer", citations=[], rating=1)
    assert "not available" in str(err.value) and "hunter2secret" not in str(err.value)
    store.log_query(question="q", decision="answer", category="", latency_ms=1.0)  # best effort: no error
