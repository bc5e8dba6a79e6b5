"""Assemble the web server: public chat at /, staff console at /staff (only with a password)."""

from __future__ import annotations

import logging
from typing import Any

import gradio as gr
from fastapi import FastAPI

from assistant.answer.chain import Assistant
from assistant.config import Settings
from assistant.web.feedback import FeedbackStore
from assistant.web.ui import CSS, build_app

log = logging.getLogger(__name__)


def create_server(settings: Settings, assistant: Assistant | None = None) -> tuple[FastAPI, gr.Blocks]:
    """Return the FastAPI app with both UIs mounted, and the public Blocks."""
    assistant = assistant or Assistant(settings)
    feedback = FeedbackStore(settings.feedback_db)
    public = build_app(assistant, settings=settings, feedback=feedback)
    public.queue(default_concurrency_limit=4, max_size=256)
    app = FastAPI(title="Knee-health assistant", docs_url=None, redoc_url=None, openapi_url=None)
    if settings.staff_password is not None and settings.staff_password.get_secret_value():
        from assistant.web.staff import build_staff

        staff = build_staff(assistant, feedback)
        staff.queue(default_concurrency_limit=2)
        password = settings.staff_password.get_secret_value()
        app = gr.mount_gradio_app(
            app,
            staff,
            path="/staff",
            auth=(settings.staff_user, password),
            auth_message="Staff console: log in with the staff user and ASSISTANT_STAFF_PASSWORD.",
            footer_links=[],
            css=CSS,
        )
    app = gr.mount_gradio_app(app, public, path="", footer_links=["api"], css=CSS)
    return app, public


def serve(settings: Settings, *, host: str, port: int, assistant: Assistant | None = None) -> Any:
    """Run the server in this process until interrupted (no access log: it would record addresses)."""
    import uvicorn

    app, _ = create_server(settings, assistant)
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="warning")
