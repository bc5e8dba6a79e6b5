"""Assemble the web server: public chat at /, REST API at /api/v1, staff console at /staff (only with a
password). One rate limiter and one feedback store are shared by every door of the process."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import gradio as gr
from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from assistant.answer.chain import Assistant
from assistant.config import Settings
from assistant.errors import AssistantError
from assistant.web.api import PREFIX, build_api
from assistant.web.feedback import FeedbackStore
from assistant.web.ratelimit import RateLimiter
from assistant.web.ui import CSS, build_app

log = logging.getLogger(__name__)


def create_server(settings: Settings, assistant: Assistant | None = None) -> tuple[FastAPI, gr.Blocks]:
    """Return the FastAPI app with both UIs and the REST API mounted, and the public Blocks."""
    assistant = assistant or Assistant(settings)
    feedback = FeedbackStore.from_settings(settings)
    try:
        feedback.ensure_schema()  # created or upgraded on start; replicas take turns (a database lock)
    except AssistantError as exc:
        log.warning("%s Ratings will fail until it is reachable.", exc)
    limiter = RateLimiter(settings.rate_limit_per_min)  # per client, across the page, Gradio API and REST
    public = build_app(assistant, settings=settings, feedback=feedback, limiter=limiter)
    public.queue(default_concurrency_limit=4, max_size=256)
    app = FastAPI(title="Knee-health assistant", docs_url=None, redoc_url=None, openapi_url=None)
    app.mount(PREFIX, build_api(assistant, settings=settings, feedback=feedback, limiter=limiter))
    if settings.staff_password is not None and settings.staff_password.get_secret_value():
        from assistant.web.staff import build_staff

        @app.get("/staff", include_in_schema=False)
        def staff_login() -> RedirectResponse:
            """The README's URL: the console lives at /staff/, which shows the login first."""
            return RedirectResponse("/staff/", status_code=307)

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
    # Stop within a few seconds of SIGTERM even while clients hold connections open (Gradio's event
    # streams would otherwise keep a replica shutting down for as long as they stay connected).
    config = uvicorn.Config(
        app, host=host, port=port, access_log=False, log_level="warning", timeout_graceful_shutdown=3
    )
    logging.getLogger("uvicorn.error").addFilter(_quiet_shutdown)
    uvicorn.Server(config).run()


def _quiet_shutdown(record: logging.LogRecord) -> bool:
    """Drop the traceback of a stream cancelled at shutdown: expected, and not an error."""
    return not (record.exc_info and isinstance(record.exc_info[1], asyncio.CancelledError))
