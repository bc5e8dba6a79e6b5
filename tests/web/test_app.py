"""The Gradio app: built without a server; served on loopback and called through gradio_client."""

from __future__ import annotations

import gradio as gr
import pytest
from gradio_client import Client

import app as app_module
from assistant.web.render import escape_user, safe_markdown
from assistant.web.ui import answer_message, sources_markdown
from tests.app_server import AppServer, running_app

PASSWORD = "correct horse battery staple"  # noqa: S105 - a test value


def test_build_app_without_launching(built, settings) -> None:  # type: ignore[no-untyped-def]
    demo = app_module.build_app(built, settings)
    assert isinstance(demo, gr.Blocks)
    names = {d.api_name for d in demo.fns.values() if d.api_visibility == "public"}
    assert names == {"ask", "feedback"}


def test_rendering_escapes_user_text_and_keeps_answers_markdown(built) -> None:  # type: ignore[no-untyped-def]
    shown = escape_user("<img src=x onerror=alert(1)> ![a](http://x/y.png) [c](javascript:alert(1))")
    assert "<img" not in shown and "![" not in shown and "](" not in shown
    assert safe_markdown("**bold** <script>x</script> ![i](http://r/i.png) [l](javascript:evil)") == (
        "**bold** &lt;script>x&lt;/script> !\\[i](http://r/i.png) [l](#blocked:evil)"
    )
    answer = built.ask("How many capsules should I take?")
    sources = sources_markdown(answer)
    assert "seller's claim" in sources and "> Take three capsules daily." in sources
    assert answer_message(built.ask("my knee is hot, swollen and I have a fever")).startswith(
        "## ⚠ Get help now"
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory):  # type: ignore[no-untyped-def]
    data = tmp_path_factory.mktemp("app") / "data"
    with running_app(data, ASSISTANT_STAFF_PASSWORD=PASSWORD) as srv:
        yield srv


@pytest.mark.server
def test_ask_through_gradio_client(server: AppServer) -> None:
    client = Client(server.url + "/", verbose=False)
    data = client.predict("How do I do a glute bridge?", api_name="/ask")
    assert data["decision"] == "answer"
    assert data["citations"] and {"n", "source", "title", "section", "text", "promotional"} <= set(
        data["citations"][0]
    )
    assert "[1]" in data["answer"] and data["disclaimer"] and data["latency_ms"] > 0
    escalated = client.predict("I can't put any weight on my leg after the fall", api_name="/ask")
    assert escalated["decision"] == "escalate"
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert set(endpoints) == {"/ask", "/feedback"}


def test_staff_explain_and_corpus_view(built) -> None:  # type: ignore[no-untyped-def]
    from assistant.web.staff import corpus_view, explain

    answer, verdict, rows, chart, data = explain(built, "Which stretches help tight hip flexors?", "")
    assert "[1]" in answer and "`answer`" in verdict and "<svg" in chart
    assert rows and {r[1] for r in rows} >= {"yes"}  # which passages were cited
    assert all(isinstance(r[3], float) and isinstance(r[4], float) and isinstance(r[5], float) for r in rows)
    assert data["decision"] == "answer"
    _, _, _, _, bad = explain(built, "hi", "{not json")
    assert bad == {}
    head, docs = corpus_view(built)
    assert "hash-256" in head and docs[0][0] == "muscle-imbalance-and-knee-pain.md" and docs[0][4] > 10
