"""Web stage: the versioned JSON REST API, mounted at /api/v1 on the app's FastAPI server.

Every error is `{"error": str}` with its status (400/422 bad body, 413 body over 64 kB, 429 over the
rate limit with Retry-After, 503 index or database unavailable); a bug is a 500 with a plain sentence,
never a traceback. Staff endpoints exist only when a staff password is set, behind HTTP Basic.
"""

from __future__ import annotations

import logging
import math
import secrets
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant import __version__
from assistant.answer.chain import Assistant
from assistant.answer.contract import to_contract
from assistant.config import Settings
from assistant.errors import AssistantError, DatabaseUnavailableError
from assistant.web.api_models import (
    AskRequest,
    AskResponse,
    ErrorBody,
    FeedbackCreated,
    FeedbackItem,
    FeedbackRequest,
    Health,
    Rating,
)
from assistant.web.feedback import FeedbackStore, clean, to_question_lines
from assistant.web.ratelimit import RateLimiter

log = logging.getLogger(__name__)
PREFIX = "/api/v1"
MAX_BODY = 64 * 1024
RATE_LIMITED = "Too many requests from this client; wait and try again (see Retry-After)."
_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text}
    for code, text in {
        400: "Body is not valid JSON",
        503: "Index (or database) unavailable; try again shortly",
        413: "Body over 64 kB",
        422: "Body or parameters do not match the schema",
        429: "Over the per-client rate limit (Retry-After says when to try again)",
    }.items()
}

_BASIC = HTTPBasic(
    auto_error=False, realm="staff", description="The staff user and ASSISTANT_STAFF_PASSWORD."
)
Credentials = Annotated[HTTPBasicCredentials | None, Depends(_BASIC)]
RatingFilter = Annotated[Rating | None, Query(description="1 or -1; every rating when absent")]
Limit = Annotated[int, Query(ge=1, le=1000)]


class BodyTooLarge(StarletteHTTPException):
    """Raised while the body streams in, so no more than the limit is ever read."""

    def __init__(self) -> None:
        super().__init__(413, f"Request body is over the limit of {MAX_BODY // 1024} kB.")


class BodyLimit:
    """ASGI middleware: 413 for a declared or streamed body over MAX_BODY, before any of it is parsed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > MAX_BODY:
            error = BodyTooLarge() if declared.isdigit() else HTTPException(400, "Bad Content-Length header.")
            await _error(error.status_code, str(error.detail))(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > MAX_BODY:
                raise BodyTooLarge()
            return message

        await self.app(scope, limited, send)


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def build_api(
    assistant: Assistant, *, settings: Settings, feedback: FeedbackStore, limiter: RateLimiter
) -> FastAPI:
    """The REST API as its own FastAPI app (mount it at /api/v1); docs at /docs, schema at /openapi.json."""
    api = FastAPI(
        title="Knee-health assistant API",
        version=__version__,
        description="Cited answers from the assistant's source material; feedback; health; staff reads.",
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
        servers=[{"url": PREFIX}],
        root_path_in_servers=False,
    )
    api.add_middleware(BodyLimit)
    _install_error_handlers(api)

    def rate_limited(request: Request) -> None:
        wait = limiter.check(_client(request))
        if wait:
            raise HTTPException(429, RATE_LIMITED, headers={"Retry-After": str(math.ceil(wait))})

    @api.post("/ask", response_model=AskResponse, responses=_ERRORS, dependencies=[Depends(rate_limited)])
    def ask(body: AskRequest) -> Any:
        """Answer one message; the same object as `python -m assistant ask --json`."""
        turns = [{"role": t.role, "content": clean(t.content)} for t in body.history]
        question = clean(body.question)
        answer = assistant.ask(question, turns)
        if answer.category == "unavailable":  # no index, or the Chroma server is down: retry later
            return _error(503, answer.reason, {"Retry-After": "5"})
        if settings.log_queries:
            feedback.log_answer(question, answer)
        return to_contract(answer)

    @api.post(
        "/feedback",
        response_model=FeedbackCreated,
        responses=_ERRORS,
        dependencies=[Depends(rate_limited)],
    )
    def give_feedback(body: FeedbackRequest) -> FeedbackCreated:
        """Record a rating (1 or -1) of one exchange."""
        fid = feedback.add(
            question=body.question,
            answer=body.answer,
            decision=body.decision,
            citations=[],
            rating=body.rating,
            reason=body.reason,
            channel="rest",
        )
        return FeedbackCreated(id=fid)

    @api.get(
        "/health", response_model=Health, responses={503: {"model": ErrorBody, "description": "No index"}}
    )
    def health() -> Any:
        """ok and the serving index generation; 503 with the reason when there is no usable index."""
        try:
            kb = assistant.knowledge()
        except AssistantError as exc:
            return _error(503, str(exc))
        return Health(status="ok", index_version=str(kb.manifest.get("generation", "")))

    if settings.staff_password is not None and settings.staff_password.get_secret_value():
        _staff_routes(api, settings=settings, feedback=feedback, limiter=limiter)
    return api


def _staff_routes(api: FastAPI, *, settings: Settings, feedback: FeedbackStore, limiter: RateLimiter) -> None:
    """Staff reads behind HTTP Basic; exempt from the rate limit once logged in (failed logins count)."""
    assert settings.staff_password is not None
    user = settings.staff_user.encode()
    password = settings.staff_password.get_secret_value().encode()

    def staff(request: Request, credentials: Credentials) -> None:
        if credentials is not None:
            ok_user = secrets.compare_digest(credentials.username.encode(), user)
            ok_password = secrets.compare_digest(credentials.password.encode(), password)
            if ok_user and ok_password:
                return
        wait = limiter.check(_client(request))
        if wait:
            raise HTTPException(429, RATE_LIMITED, headers={"Retry-After": str(math.ceil(wait))})
        raise HTTPException(401, "Staff login required.", headers={"WWW-Authenticate": 'Basic realm="staff"'})

    auth: dict[int | str, dict[str, Any]] = {
        401: {"model": ErrorBody, "description": "Staff login required"},
        422: _ERRORS[422],
        429: _ERRORS[429],
    }

    @api.get(
        "/staff/feedback", response_model=list[FeedbackItem], responses=auth, dependencies=[Depends(staff)]
    )
    def staff_feedback(rating: RatingFilter = None, limit: Limit = 100) -> Any:
        """Stored ratings, newest first."""
        items = feedback.list(rating=None if rating is None else int(rating), limit=limit)
        return [_decoded(item) for item in items]

    @api.get(
        "/staff/feedback/export",
        response_model=None,
        responses={
            **auth,
            200: {
                "content": {"application/x-ndjson": {"schema": {"type": "string"}}},
                "description": "JSONL",
            },
        },
        dependencies=[Depends(staff)],
    )
    def staff_export(rating: RatingFilter = None, limit: Limit = 1000) -> Response:
        """Ratings as question-set JSONL lines (the console's export), ready to become eval cases."""
        lines = to_question_lines(feedback.list(rating=None if rating is None else int(rating), limit=limit))
        return Response(
            lines,
            media_type="application/x-ndjson",
            headers={"Content-Disposition": 'attachment; filename="feedback-questions.jsonl"'},
        )

    plain = api.openapi

    def openapi() -> dict[str, Any]:
        """The export is JSONL only (FastAPI would also list a JSON body for it)."""
        schema = plain()
        schema["paths"]["/staff/feedback/export"]["get"]["responses"]["200"]["content"].pop(
            "application/json", None
        )
        return schema

    api.openapi = openapi  # type: ignore[method-assign]


def _decoded(item: dict[str, Any]) -> dict[str, Any]:
    import json

    return item | {"citations": json.loads(item["citations"]), "history": json.loads(item["history"])}


def _install_error_handlers(api: FastAPI) -> None:
    """Every error as {"error": str}; nothing echoes the body back, nothing shows a traceback."""

    @api.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = exc.errors()
        if any(p.get("type") == "json_invalid" for p in problems):
            return _error(400, "The body is not valid JSON.")
        parts = []
        for p in problems[:5]:
            where = ".".join(str(x) for x in p.get("loc", ()) if x != "body") or "body"
            parts.append(f"{where}: {p.get('msg', 'invalid')}")
        return _error(422, "Invalid request: " + "; ".join(parts))

    @api.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, str(exc.detail), dict(exc.headers or {}))

    @api.exception_handler(DatabaseUnavailableError)
    async def database_down(_request: Request, exc: DatabaseUnavailableError) -> JSONResponse:
        return _error(503, str(exc))

    @api.exception_handler(Exception)
    async def bug(_request: Request, exc: Exception) -> JSONResponse:
        log.error("REST API error: %s", type(exc).__name__, exc_info=exc)
        return _error(500, "Something went wrong on our side; please try again.")
