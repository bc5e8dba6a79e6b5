"""Deterministic fake chat models shipped with the package (tests, demos: ASSISTANT_LLM=fake:NAME).

Each reads passage [1] from the prompt it is given, so its behaviour does not depend on retrieval.
"""

from __future__ import annotations

import re
import time
from typing import Any

from langchain_core.language_models.fake_chat_models import FakeListChatModel

from assistant.ingest.chunking import split_sentences

INVENTED = "This exercise cures arthritis within two weeks and replaces surgery"


def _passage_one(messages: Any) -> str:
    text = "\n".join(str(getattr(m, "content", m)) for m in messages)
    match = re.search(r"^\[1\] \([^)]*\) (.*?)(?=^\[2\] |\n\nQuestion|\Z)", text, re.M | re.S)
    return match.group(1) if match else ""


def _sentences(messages: Any, n: int = 2) -> list[str]:
    body = _passage_one(messages).replace("\n- ", " ").lstrip("- ")
    return [s.rstrip(".") for s in split_sentences(" ".join(body.split()))[:n]]


class FaithfulChatModel(FakeListChatModel):
    """Restates the first sentences of passage [1], citing it."""

    def _call(self, messages: Any, *args: Any, **kwargs: Any) -> str:
        return " ".join(f"{s} [1]." for s in _sentences(messages))


class InventingChatModel(FakeListChatModel):
    """Like the faithful one, plus a claim no passage makes."""

    def _call(self, messages: Any, *args: Any, **kwargs: Any) -> str:
        return " ".join(f"{s} [1]." for s in _sentences(messages)) + f" {INVENTED} [1]."


class BadCitationChatModel(FakeListChatModel):
    """Cites a passage that was never given."""

    def _call(self, messages: Any, *args: Any, **kwargs: Any) -> str:
        return " ".join(f"{s} [7]." for s in _sentences(messages))


class HangingChatModel(FakeListChatModel):
    """Never answers in time."""

    hang_s: float = 30.0

    def _call(self, *args: Any, **kwargs: Any) -> str:
        time.sleep(self.hang_s)
        return "too late [1]."


class FailingChatModel(FakeListChatModel):
    """Its server is unreachable."""

    def _call(self, *args: Any, **kwargs: Any) -> str:
        raise ConnectionError("connection refused")


FAKES = {
    "faithful": FaithfulChatModel,
    "invents": InventingChatModel,
    "bad-citation": BadCitationChatModel,
    "hangs": HangingChatModel,
    "fails": FailingChatModel,
}


def fake_chat_model(name: str) -> Any:
    """One of: faithful, invents, bad-citation, hangs, fails."""
    if name not in FAKES:
        raise ValueError(f"unknown fake model {name!r}; choose one of: {', '.join(FAKES)}")
    return FAKES[name](responses=["unused"])
