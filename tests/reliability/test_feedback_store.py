"""Feedback: concurrent writes lose nothing; a locked database is waited out, not a lost rating."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from assistant.web.feedback import FeedbackStore, to_question_lines


def test_8_threads_x_250_writes_all_present(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "fb.sqlite3")

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
    with sqlite3.connect(store.path) as db:
        questions = {row[0] for row in db.execute("SELECT question FROM feedback")}
        mode = db.execute("PRAGMA journal_mode").fetchone()[0]
    assert len(questions) == 2000 and store.count() == 2000
    assert mode == "wal"


def test_a_locked_database_is_retried(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "fb.sqlite3", busy_timeout_s=0.05)
    store.add(question="first", answer="a", decision="answer", citations=[], rating=1)
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


def test_export_is_the_question_set_format(tmp_path: Path) -> None:
    from evals.questions import load_questions

    store = FeedbackStore(tmp_path / "fb.sqlite3")
    a = store.add(
        question="What is PFPS?",
        answer="...",
        decision="answer",
        citations=[],
        rating=-1,
        history=[{"role": "user", "content": "hi"}],
    )
    lines = to_question_lines([store.get(a)])  # type: ignore[list-item]
    (tmp_path / "q.jsonl").write_text(lines)
    (q,) = load_questions([tmp_path / "q.jsonl"])
    assert (q.question, q.expect, q.category) == ("What is PFPS?", "answer", "feedback-down")
    assert q.history == ({"role": "user", "content": "hi"},)
