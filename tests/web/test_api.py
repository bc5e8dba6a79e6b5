"""The REST API in process (FastAPI's test client on the real server object): bodies, errors, staff."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from assistant import messages as M
from assistant.config import Settings
from assistant.web.server import create_server

PASSWORD = SecretStr("api-staff-pw")
STAFF = ("staff", PASSWORD.get_secret_value())


def _client(built: Any, settings: Settings, **update: Any) -> TestClient:
    app, _ = create_server(settings.model_copy(update=update), built)
    return TestClient(app)


def _without_latency(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "latency_ms"}


def test_ask_is_the_cli_json_object(built, settings, capsys) -> None:  # type: ignore[no-untyped-def]
    from assistant.cli import main

    client = _client(built, settings)
    question = "How do I do a glute bridge, and how many ibuprofen can I take?"
    reply = client.post("/api/v1/ask", json={"question": question})
    assert reply.status_code == 200 and reply.headers["content-type"] == "application/json"
    assert main(["ask", question, "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert _without_latency(reply.json()) == _without_latency(printed)
    assert (
        reply.json()["decision"] == "answer" and reply.json()["citations"] and reply.json()["latency_ms"] > 0
    )


def test_history_and_long_questions_follow_the_chain(built, settings) -> None:  # type: ignore[no-untyped-def]
    client = _client(built, settings)
    history = [
        {"role": "user", "content": "What are the hip flexors?"},
        {"role": "assistant", "content": "..."},
    ]
    follow = client.post("/api/v1/ask", json={"question": "and how do I stretch them?", "history": history})
    expected = built.ask("and how do I stretch them?", history)
    assert follow.status_code == 200 and follow.json()["answer"] == expected.answer
    long = "How do I do a glute bridge? " + "My knee story goes on. " * 600  # ~14,000 characters, under 64 kB
    cut = client.post("/api/v1/ask", json={"question": long})
    assert cut.status_code == 200
    assert M.TRUNCATED_NOTE.format(limit=settings.max_input_chars) in cut.json()["answer"]


def _is_error(reply: Any, status: int) -> str:
    assert reply.status_code == status, reply.text
    body = reply.json()
    assert set(body) == {"error"} and isinstance(body["error"], str) and "Traceback" not in body["error"]
    return str(body["error"])


def test_errors_are_json_with_the_right_status(built, settings) -> None:  # type: ignore[no-untyped-def]
    client = _client(built, settings)
    raw = {"content-type": "application/json"}
    assert "JSON" in _is_error(client.post("/api/v1/ask", content=b'{"question": "x"', headers=raw), 400)
    assert "question" in _is_error(client.post("/api/v1/ask", json={}), 422)
    assert "role" in _is_error(
        client.post("/api/v1/ask", json={"question": "x", "history": [{"role": "x"}]}), 422
    )
    bad_rating = {"question": "q", "answer": "a", "decision": "answer", "rating": 5}
    assert "rating" in _is_error(client.post("/api/v1/feedback", json=bad_rating), 422)
    assert "64 kB" in _is_error(client.post("/api/v1/ask", content=b"x" * 70_000, headers=raw), 413)

    def streamed() -> Any:  # no Content-Length: the limit holds while the body streams in
        for _ in range(40):
            yield b" " * 2048

    assert "64 kB" in _is_error(client.post("/api/v1/ask", content=streamed(), headers=raw), 413)
    _is_error(client.get("/api/v1/ask"), 405)
    _is_error(client.get("/api/v1/nothing-here"), 404)
    _is_error(client.get("/api/v1/staff/feedback"), 404)  # no staff password: no staff API at all


def test_no_index_is_503_with_the_reason(settings) -> None:  # type: ignore[no-untyped-def]
    from assistant.answer.chain import Assistant

    client = _client(Assistant(settings), settings)  # nothing ingested
    assert "ingest" in _is_error(client.get("/api/v1/health"), 503)
    unavailable = client.post("/api/v1/ask", json={"question": "What is PFPS?"})
    assert "ingest" in _is_error(unavailable, 503) and unavailable.headers["retry-after"]


def test_health_names_the_serving_index(built, settings) -> None:  # type: ignore[no-untyped-def]
    health = _client(built, settings).get("/api/v1/health")
    assert health.status_code == 200
    assert health.json() == {"status": "ok", "index_version": built.knowledge().manifest["generation"]}


def test_feedback_then_the_staff_api_lists_and_exports_it(built, settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from evals.questions import load_questions

    client = _client(built, settings, staff_password=PASSWORD)
    down = {
        "question": "What is PFPS?",
        "answer": "It is ...",
        "decision": "answer",
        "rating": -1,
        "reason": "vague",
    }
    first = client.post("/api/v1/feedback", json=down)
    second = client.post(
        "/api/v1/feedback", json=down | {"question": "Hi", "decision": "refuse", "rating": 1}
    )
    assert first.status_code == 200 and second.json()["id"] > first.json()["id"]
    _is_error(client.get("/api/v1/staff/feedback"), 401)
    assert client.get("/api/v1/staff/feedback").headers["www-authenticate"].startswith("Basic")
    _is_error(client.get("/api/v1/staff/feedback", auth=("staff", "wrong")), 401)
    listed = client.get("/api/v1/staff/feedback", auth=STAFF).json()
    assert [(i["question"], i["rating"], i["channel"]) for i in listed] == [
        ("Hi", 1, "rest"),
        ("What is PFPS?", -1, "rest"),
    ]
    assert listed[1]["reason"] == "vague" and listed[1]["history"] == [] and listed[1]["citations"] == []
    downs = client.get("/api/v1/staff/feedback", params={"rating": -1, "limit": 5}, auth=STAFF).json()
    assert [i["question"] for i in downs] == ["What is PFPS?"]
    _is_error(client.get("/api/v1/staff/feedback", params={"rating": 0}, auth=STAFF), 422)
    export = client.get("/api/v1/staff/feedback/export", params={"rating": -1}, auth=STAFF)
    assert export.status_code == 200 and export.headers["content-type"].startswith("application/x-ndjson")
    (tmp_path / "fb.jsonl").write_text(export.text)
    (case,) = load_questions([tmp_path / "fb.jsonl"])
    assert (case.question, case.expect, case.category) == ("What is PFPS?", "answer", "feedback-down")


def test_openapi_and_docs(built, settings) -> None:  # type: ignore[no-untyped-def]
    client = _client(built, settings, staff_password=PASSWORD)
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["servers"] == [{"url": "/api/v1"}]
    assert set(spec["paths"]) == {"/ask", "/feedback", "/health", "/staff/feedback", "/staff/feedback/export"}
    assert spec["paths"]["/ask"]["post"]["requestBody"]["content"]["application/json"]["schema"][
        "$ref"
    ].endswith("AskRequest")
    assert {"400", "413", "422", "429", "503"} <= set(spec["paths"]["/ask"]["post"]["responses"])
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and "/api/v1/openapi.json" in docs.text


def test_one_limiter_for_rest_and_gradio_api_health_exempt(built, settings) -> None:  # type: ignore[no-untyped-def]
    """The REST ask and feedback, and the Gradio API functions, draw on one per-client allowance."""
    per_minute = 3
    app, public = create_server(settings.model_copy(update={"rate_limit_per_min": per_minute}), built)
    client = TestClient(app)
    codes = [
        client.post("/api/v1/ask", json={"question": "What is PFPS?"}).status_code for _ in range(per_minute)
    ]
    assert codes == [200] * per_minute
    limited = client.post(
        "/api/v1/feedback", json={"question": "q", "answer": "a", "decision": "answer", "rating": 1}
    )
    assert "Too many" in _is_error(limited, 429) and 1 <= int(limited.headers["retry-after"]) <= 60
    assert client.get("/api/v1/health").status_code == 200
    # the Gradio API's `ask` for the same client (the test client's address) shares the allowance
    import gradio as gr

    api_ask = next(d.fn for d in public.fns.values() if d.api_name == "ask")

    def request(host: str) -> gr.Request:
        return gr.Request(client=SimpleNamespace(host=host))

    with pytest.raises(gr.Error, match="very quickly"):
        api_ask("What is PFPS?", None, request("testclient"))
    assert api_ask("What is PFPS?", None, request("another client"))["decision"] == "answer"
