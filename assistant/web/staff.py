"""The staff console: why the assistant said what it said, the corpus, and the feedback queue."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.answer.chain import Assistant
from assistant.answer.contract import to_contract
from assistant.errors import AssistantError
from assistant.web.charts import bar_chart
from assistant.web.feedback import FeedbackStore, to_question_lines

PASSAGE_HEADERS = ["rank", "cited", "section", "dense", "lexical", "fused", "promotional", "text"]
FEEDBACK_HEADERS = ["id", "time", "rating", "decision", "question", "reason"]


def explain(assistant: Assistant, question: str, history_json: str) -> tuple[Any, ...]:
    """Answer a question and show the guard's verdict, every passage's scores and what was cited."""
    try:
        history = json.loads(history_json) if history_json.strip() else []
        if not isinstance(history, list):
            raise ValueError("history must be a JSON list")
    except (json.JSONDecodeError, ValueError) as exc:
        return "", f"**History is not valid JSON:** {exc}", [], "", {}
    answer = assistant.ask(question, history)
    data = to_contract(answer)
    cited_text = {c["text"] for c in data["citations"]}
    rows = [
        [
            p.rank,
            "yes" if p.chunk.text in cited_text else "",
            p.chunk.section_label,
            p.dense,
            p.lexical,
            p.fused,
            "seller" if p.chunk.promotional else "",
            p.chunk.text[:300],
        ]
        for p in answer.retrieved
    ]
    verdict = (
        f"**Decision:** `{answer.decision}` · **guard category:** `{answer.category or '-'}` · "
        f"**reason:** {answer.reason or '-'} · **latency:** {answer.latency_ms:.1f} ms"
    )
    chart = (
        bar_chart(
            {f"#{p.rank} {p.chunk.section[-1][:22]}": max(0.0, p.dense) for p in answer.retrieved},
            title="Dense (cosine) score of each retrieved passage",
        )
        if answer.retrieved
        else ""
    )
    return answer.answer, verdict, rows, chart, data


def corpus_view(assistant: Assistant) -> tuple[str, list[list[Any]]]:
    """Documents, sections, chunk counts, when the index was built and with which model."""
    try:
        kb = assistant.knowledge()
    except AssistantError as exc:
        return f"**Index unavailable:** {exc}", []
    m = kb.manifest
    head = (
        f"**Built:** {m.get('built_at')} · **model:** `{m.get('model')}` · **generation:** `{m.get('generation')}` · "
        f"**chunks:** {m.get('chunks')} · **documents:** {len(m.get('documents', {}))}"
    )
    rows = [
        [
            src,
            info.get("title", ""),
            info.get("publisher", ""),
            info.get("published", ""),
            len(info.get("chunk_ids", [])),
            info.get("promotional_chunks", 0),
            len(info.get("sections", [])),
            "; ".join(info.get("sections", [])),
        ]
        for src, info in sorted(m.get("documents", {}).items())
    ]
    return head, rows


def build_staff(assistant: Assistant, feedback: FeedbackStore) -> gr.Blocks:
    """Build the console; it is mounted behind a login and none of its functions are public API."""

    def list_feedback(only_down: bool) -> tuple[list[list[Any]], Any]:
        items = feedback.list(only_negative=only_down)
        rows = [
            [
                i["id"],
                i["created_at"],
                "👍" if i["rating"] > 0 else "👎",
                i["decision"],
                i["question"][:200],
                i["reason"],
            ]
            for i in items
        ]
        return rows, gr.update(choices=[str(i["id"]) for i in items], value=[])

    def open_item(fid: float | None) -> dict[str, Any]:
        item = feedback.get(int(fid)) if fid else None
        return item or {"error": f"no feedback with id {fid}"}

    def export(ids: list[str]) -> tuple[str, str | None]:
        items = [i for i in (feedback.get(int(x)) for x in ids) if i]
        text = to_question_lines(items)
        if not text:
            return "", None
        path = Path(tempfile.mkdtemp(prefix="feedback-")) / "feedback-questions.jsonl"
        path.write_text(text, encoding="utf-8")
        return text, str(path)

    staff: gr.Blocks
    with gr.Blocks(title="Staff console", analytics_enabled=False) as staff:
        gr.Markdown(
            "# Staff console\nWhy the assistant answered as it did, what it answers from, and what users said."
        )
        with gr.Tab("Ask"):
            question = gr.Textbox(label="Question", elem_id="staff-question")
            history = gr.Textbox(label="History (optional JSON list of {role, content})", lines=2)
            go = gr.Button("Explain", variant="primary", elem_id="staff-go")
            verdict = gr.Markdown(elem_id="staff-verdict")
            answer = gr.Textbox(label="Answer (markdown)", lines=10, buttons=["copy"], elem_id="staff-answer")
            passages = gr.Dataframe(
                headers=PASSAGE_HEADERS, label="Retrieved passages", wrap=True, interactive=False
            )
            chart = gr.HTML()
            raw = gr.JSON(label="Full response (contract JSON)")
            go.click(
                lambda q, h: explain(assistant, q, h),
                [question, history],
                [answer, verdict, passages, chart, raw],
                api_visibility="private",
            )
            question.submit(
                lambda q, h: explain(assistant, q, h),
                [question, history],
                [answer, verdict, passages, chart, raw],
                api_visibility="private",
            )
        with gr.Tab("Corpus"):
            head = gr.Markdown()
            docs = gr.Dataframe(
                headers=[
                    "source",
                    "title",
                    "publisher",
                    "published",
                    "chunks",
                    "seller chunks",
                    "sections",
                    "section list",
                ],
                wrap=True,
                interactive=False,
            )
            refresh = gr.Button("Refresh")
            refresh.click(lambda: corpus_view(assistant), None, [head, docs], api_visibility="private")
            staff.load(lambda: corpus_view(assistant), None, [head, docs], api_visibility="private")
        with gr.Tab("Feedback"):
            only_down = gr.Checkbox(label="Only thumbs-down", value=False)
            reload = gr.Button("Refresh list")
            table = gr.Dataframe(
                headers=FEEDBACK_HEADERS, wrap=True, interactive=False, elem_id="feedback-table"
            )
            with gr.Row():
                fid = gr.Number(label="Open feedback id", precision=0)
                open_btn = gr.Button("Open")
            item = gr.JSON(label="Full exchange")
            chosen = gr.CheckboxGroup(label="Select items to export", choices=[])
            export_btn = gr.Button("Export selected as question-set JSONL")
            lines = gr.Code(
                label="Question-set lines (edit `expect` where the assistant was wrong)", language=None
            )
            file = gr.File(label="Download")
            for trig in (reload.click, only_down.change):
                trig(list_feedback, [only_down], [table, chosen], api_visibility="private")
            staff.load(list_feedback, [only_down], [table, chosen], api_visibility="private")
            open_btn.click(open_item, [fid], [item], api_visibility="private")
            export_btn.click(export, [chosen], [lines, file], api_visibility="private")
    return staff
