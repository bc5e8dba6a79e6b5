"""Web stage: the REST API's bodies, as pydantic models (they are also its OpenAPI schema)."""

from __future__ import annotations

from enum import IntEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Decision = Literal["answer", "refuse", "escalate"]
MAX_TEXT = 20_000  # per field; the whole body is capped at 64 kB before it is parsed


class Rating(IntEnum):
    """A query parameter's rating filter: 1 (thumbs up) or -1 (thumbs down)."""

    up = 1
    down = -1


class Turn(BaseModel):
    """One earlier turn of the conversation."""

    model_config = ConfigDict(extra="forbid")
    role: Literal["user", "assistant"]
    content: str = Field(max_length=MAX_TEXT)


class AskRequest(BaseModel):
    """A question, with earlier turns if it follows up on them."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"question": "How do I do a glute bridge?"}]},
    )
    question: str = Field(
        description="The message; longer than ASSISTANT_MAX_INPUT_CHARS is cut, with a notice in the answer."
    )
    history: list[Turn] = Field(default_factory=list, max_length=50)


class Citation(BaseModel):
    """A cited passage, verbatim from the corpus."""

    model_config = ConfigDict(extra="allow")
    n: int
    source: str
    title: str
    section: str
    text: str
    promotional: bool


class Retrieved(BaseModel):
    """A retrieved passage and its fused score."""

    model_config = ConfigDict(extra="allow")
    source: str
    section: str
    text: str
    score: float


class Guard(BaseModel):
    """The triage's category and reason (for staff)."""

    model_config = ConfigDict(extra="allow")
    category: str
    reason: str


class AskResponse(BaseModel):
    """The contract's `ask --json` object."""

    model_config = ConfigDict(extra="allow")
    decision: Decision
    answer: str = Field(description="Markdown shown to the user, with citation markers like [1].")
    citations: list[Citation]
    retrieved: list[Retrieved]
    disclaimer: str
    not_covered: list[str] = Field(description="Parts of the message the source does not cover.")
    latency_ms: float
    guard: Guard | None = None


class FeedbackRequest(BaseModel):
    """A rating of one exchange."""

    model_config = ConfigDict(extra="forbid")
    question: str = Field(max_length=MAX_TEXT)
    answer: str = Field(max_length=MAX_TEXT)
    decision: Decision
    rating: Literal[1, -1] = Field(description="1 thumbs up, -1 thumbs down.")
    reason: str = Field("", max_length=2000)


class FeedbackCreated(BaseModel):
    """The stored rating's id."""

    id: int


class Health(BaseModel):
    """The service answers and has an index."""

    status: Literal["ok"]
    index_version: str


class ErrorBody(BaseModel):
    """Every error: one sentence meant for the caller."""

    error: str


class FeedbackItem(BaseModel):
    """One stored rating with its exchange (staff)."""

    id: int
    created_at: str
    question: str
    answer: str
    decision: str
    rating: int
    reason: str
    citations: list[dict[str, object]]
    history: list[dict[str, str]]
    app_version: str
    index_version: str
    channel: str = Field(description="Where the rating came from: page, gradio-api or rest.")
