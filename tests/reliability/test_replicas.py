"""Two app replicas sharing one PostgreSQL and one `chroma run` server, as the README deploys them.

Feedback given through one replica's REST API is listed by the other's staff API; an ingest into the
shared Chroma server is picked up by both without a restart.
"""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from gradio_client import Client

from evals.chroma_server import ChromaServer
from tests.app_server import AppServer
from tests.conftest import free_port

pytestmark = pytest.mark.server
PASSWORD = "replica-staff-password"  # noqa: S105 - a test value
STAFF = "Basic " + base64.b64encode(f"staff:{PASSWORD}".encode()).decode()


def _get(url: str, *, auth: bool = False) -> Any:
    request = urllib.request.Request(url, headers={"Authorization": STAFF} if auth else {})
    with urllib.request.urlopen(request, timeout=30) as reply:
        return json.loads(reply.read())


def _post(url: str, body: dict[str, Any]) -> Any:
    data = json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as reply:
        return json.loads(reply.read())


def _version(replica: AppServer) -> str:
    return str(_get(replica.url + "/api/v1/health")["index_version"])


def test_two_replicas_share_feedback_and_the_index(postgres, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    database = postgres.new_database()
    corpus = tmp_path / "corpus"  # this test's copy of the real corpus (the autouse fixture made it)
    env = {
        "ASSISTANT_DATABASE_URL": database,
        "ASSISTANT_CORPUS_DIR": str(corpus),
        "ASSISTANT_STAFF_PASSWORD": PASSWORD,
    }
    for name in ("a", "b"):
        (tmp_path / name).mkdir()  # their logs go here; with a Chroma server nothing else is local
    chroma = ChromaServer(tmp_path / "chroma", free_port()).start()
    env["ASSISTANT_CHROMA_URL"] = chroma.url
    a = AppServer(tmp_path / "a" / "data", free_port(), **env)
    b = AppServer(tmp_path / "b" / "data", free_port(), **env)
    try:
        a.ingest()  # once, into the shared Chroma server
        a.start()
        b.start()
        first = _version(a)
        assert first and _version(b) == first

        given = _post(
            a.url + "/api/v1/feedback",
            {
                "question": "What is PFPS?",
                "answer": "...",
                "decision": "answer",
                "rating": -1,
                "reason": "via a",
            },
        )
        listed = _get(b.url + "/api/v1/staff/feedback?rating=-1", auth=True)
        assert [(i["id"], i["question"], i["reason"]) for i in listed] == [
            (given["id"], "What is PFPS?", "via a")
        ]
        answer = _post(b.url + "/api/v1/ask", {"question": "How do I do a glute bridge?"})
        assert answer["decision"] == "answer"

        (corpus / "hamstring-note.md").write_text(
            '---\ntitle: "A note on hamstrings"\npublisher: "Test"\n---\n# A note on hamstrings\n\n'
            "The hamstrings run down the back of the thigh and bend the knee.\n"
        )
        a.ingest()  # a new generation in the shared server; neither replica restarts
        deadline = time.time() + 30
        while time.time() < deadline and not (_version(a) != first and _version(b) != first):
            time.sleep(0.5)
        assert _version(a) == _version(b) != first
        for log in (a.output(), b.output()):
            assert postgres.password not in log  # the database URL's secret never reaches a log
    finally:
        a.stop()
        b.stop()
        chroma.stop()


def test_replicas_refuse_a_database_they_cannot_reach_clearly(tmp_path: Path) -> None:
    """A wrong database URL does not stop the chat (nor does the query log); ratings say why they fail."""
    url = f"postgresql://knee:secret-pw@127.0.0.1:{free_port()}/knee"
    srv = AppServer(tmp_path / "data", free_port(), ASSISTANT_DATABASE_URL=url, ASSISTANT_LOG_QUERIES="true")
    srv.ingest()
    srv.start()
    try:
        assert (
            _post(srv.url + "/api/v1/ask", {"question": "How do I do a glute bridge?"})["decision"]
            == "answer"
        )
        with pytest.raises(urllib.error.HTTPError) as down:
            _post(
                srv.url + "/api/v1/feedback",
                {"question": "q", "answer": "a", "decision": "answer", "rating": 1},
            )
        assert down.value.code == 503 and "not available" in json.loads(down.value.read())["error"]
        assert "Traceback" not in srv.output()  # the REST API logs a warning, not a stack
        with pytest.raises(Exception, match="not available"):  # the Gradio API says so too
            Client(srv.url + "/", verbose=False).predict("q", "a", "answer", 1, "", api_name="/feedback")
        assert "secret-pw" not in srv.output()
    finally:
        srv.stop()
