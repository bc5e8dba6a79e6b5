"""Faults: a killed ingest, a vanished data dir, an unreachable or hanging LLM."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest
from gradio_client import Client

from assistant import messages as M
from assistant.answer.chain import Assistant
from assistant.index.store import make_store
from assistant.ingest.pipeline import run_ingest
from evals.chroma_server import free_port

from ..app_server import running_app
from ..conftest import ROOT, run_env


def test_kill_9_mid_ingest_leaves_previous_index_serving(settings) -> None:  # type: ignore[no-untyped-def]
    run_ingest(settings)
    old = make_store(settings).read_manifest()
    for i in range(30):  # enough chunks for several slow embedding batches
        (settings.corpus_dir / f"extra-{i}.md").write_text(
            "\n\n".join(f"## Part {j}\n\nKnee fact number {i}-{j} about sleeves." for j in range(20))
        )
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "ingest.py")],
        env=run_env(ASSISTANT_EMBEDDING_MODEL="hash-slow"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    index_dir = settings.index_dir
    deadline = time.time() + 60
    while time.time() < deadline and len([p for p in index_dir.iterdir() if p.name.startswith("g-")]) < 2:
        time.sleep(0.05)
    time.sleep(1.5)  # inside the embedding loop
    assert proc.poll() is None, "ingest finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert make_store(settings).read_manifest() == old
    answer = Assistant(settings).ask("How do I do a glute bridge?")
    assert answer.decision == "answer"
    report = run_ingest(settings)
    assert report.added == 30 and make_store(settings).read_manifest()["generation"] != old["generation"]
    assert (
        len([p for p in index_dir.iterdir() if p.name.startswith("g-")]) <= 2
    )  # the half-written one is pruned


@pytest.mark.server
def test_data_dir_removed_while_the_app_runs(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with running_app(tmp_path / "data") as srv:
        client = Client(srv.url + "/", verbose=False)
        assert client.predict("How do I do a glute bridge?", api_name="/ask")["decision"] == "answer"
        shutil.rmtree(srv.data_dir)
        time.sleep(1.2)
        down = client.predict("How do I do a glute bridge?", api_name="/ask")
        assert down["decision"] == "refuse" and "ingest.py" in down["answer"]
        assert srv.proc and srv.proc.poll() is None
        srv.ingest()
        time.sleep(1.2)
        assert client.predict("How do I do a glute bridge?", api_name="/ask")["decision"] == "answer"


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A loopback server that accepts connections and never answers (a hung LLM host)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
                held.append(conn)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield sock.getsockname()[1]
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    sock.close()


def _ollama_bot(settings, monkeypatch: pytest.MonkeyPatch, port: int) -> Assistant:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("OLLAMA_HOST", f"http://127.0.0.1:{port}")
    run_ingest(settings)
    return Assistant(settings.model_copy(update={"llm": "ollama:llama3.2", "llm_timeout_s": 2.0}))


def test_hanging_llm_server_falls_back_within_the_timeout(settings, monkeypatch, silent_server: int) -> None:  # type: ignore[no-untyped-def]
    bot = _ollama_bot(settings, monkeypatch, silent_server)
    started = time.perf_counter()
    answer = bot.ask("How do I do a glute bridge?")
    assert time.perf_counter() - started < 6
    assert answer.decision == "answer" and M.LLM_FALLBACK_NOTE in answer.answer and answer.citations


def test_unreachable_llm_server_falls_back(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    bot = _ollama_bot(settings, monkeypatch, free_port())  # nothing listens there
    answer = bot.ask("How do I do a glute bridge?")
    assert answer.decision == "answer" and M.LLM_FALLBACK_NOTE in answer.answer
