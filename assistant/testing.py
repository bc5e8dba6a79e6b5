"""Deterministic fakes shipped with the package, for tests and demos (ASSISTANT_LLM=fake:NAME)."""

from __future__ import annotations

import time
from typing import Any

from langchain_core.language_models.fake_chat_models import FakeListChatModel

FAITHFUL = (
    "Lie on your back with your knees bent and feet flat on the floor [1]. "
    "Lift your hips toward the ceiling to engage the glutes and hamstrings [1]."
)
INVENTS = (
    "Lie on your back with your knees bent and feet flat on the floor [1]. "
    "Glute bridges cure arthritis within two weeks and replace surgery [1]."
)
BAD_CITATION = "Lift your hips toward the ceiling to engage the glutes and hamstrings [7]."


class HangingChatModel(FakeListChatModel):
    """A chat model that never answers in time."""

    hang_s: float = 30.0

    def _call(self, *args: Any, **kwargs: Any) -> str:
        time.sleep(self.hang_s)
        return super()._call(*args, **kwargs)


class FailingChatModel(FakeListChatModel):
    """A chat model whose server is unreachable."""

    def _call(self, *args: Any, **kwargs: Any) -> str:
        raise ConnectionError("connection refused")


def fake_chat_model(name: str) -> Any:
    """faithful | invents | bad-citation | hangs | fails."""
    if name == "hangs":
        return HangingChatModel(responses=[FAITHFUL])
    if name == "fails":
        return FailingChatModel(responses=[FAITHFUL])
    text = {"faithful": FAITHFUL, "invents": INVENTS, "bad-citation": BAD_CITATION}.get(name)
    if text is None:
        raise ValueError(f"unknown fake model {name!r}; choose faithful, invents, bad-citation, hangs, fails")
    return FakeListChatModel(responses=[text])
