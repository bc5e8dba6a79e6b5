"""The same ingest and query against a `chroma run` server on loopback."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.chain import Assistant
from assistant.config import Settings
from assistant.ingest.pipeline import run_ingest
from evals.chroma_server import ChromaServer

from ..conftest import free_port

pytestmark = pytest.mark.server


@pytest.fixture
def server(tmp_path: Path):  # type: ignore[no-untyped-def]
    srv = ChromaServer(tmp_path / "chroma", free_port()).start()
    yield srv
    srv.stop()


def test_ingest_and_query_on_a_chroma_server(server: ChromaServer, settings: Settings) -> None:
    remote = settings.model_copy(update={"chroma_url": server.url})
    first = run_ingest(remote)
    assert first.added == 1 and first.chunks > 10
    again = run_ingest(remote)
    assert (again.added, again.updated, again.removed) == (0, 0, 0) and not again.changed
    answer = Assistant(remote).ask("How do I do a glute bridge?")
    assert answer.decision == "answer"
    assert any("Glute Bridges" in c.text for c in answer.citations)
    assert not (settings.data_dir / "index").exists()  # nothing was written locally


def test_server_stopped_then_back(server: ChromaServer, settings: Settings) -> None:
    remote = settings.model_copy(update={"chroma_url": server.url})
    run_ingest(remote)
    bot = Assistant(remote)
    assert bot.ask("How do I do a glute bridge?").decision == "answer"
    server.stop()
    import time

    time.sleep(1.1)  # past the recheck interval
    down = bot.ask("How do I do a glute bridge?")
    assert down.decision == "refuse" and down.category == "unavailable"
    assert "not reachable" in down.answer or "not available" in down.answer
    server.start()
    time.sleep(1.1)
    assert bot.ask("How do I do a glute bridge?").decision == "answer"
