"""Optional LLM backend: prompt with numbered passages only, bounded by a timeout."""

from __future__ import annotations

import concurrent.futures as cf
from typing import Any

from assistant import messages as M
from assistant.errors import ConfigError
from assistant.types import Chunk

PROVIDERS = ("ollama", "openai", "anthropic", "groq", "mistralai", "together", "fake")
_pool = cf.ThreadPoolExecutor(max_workers=4, thread_name_prefix="llm")


def make_chat_model(spec: str) -> Any:
    """Build a LangChain chat model from 'provider:model' (init_chat_model); errors list the choices."""
    provider, _, model = spec.partition(":")
    if provider not in PROVIDERS or not model:
        raise ConfigError(
            f"Unknown ASSISTANT_LLM {spec!r}; use 'extractive' or one of: {', '.join(p + ':MODEL' for p in PROVIDERS)}"
        )
    if provider == "fake":
        from assistant.testing import fake_chat_model

        return fake_chat_model(model)
    from langchain.chat_models import init_chat_model

    try:
        return init_chat_model(model, model_provider=provider, temperature=0)
    except ImportError as exc:
        raise ConfigError(
            f"ASSISTANT_LLM={spec} needs the package langchain-{provider}: pip install langchain-{provider}"
        ) from exc
    except ValueError as exc:
        raise ConfigError(f"Cannot set up ASSISTANT_LLM={spec}: {exc}") from exc


def build_messages(
    question: str, passages: list[Chunk], kinds: tuple[str, ...] = ()
) -> list[tuple[str, str]]:
    """System rules plus numbered passages; the question is fenced as data; the intent says what to answer."""
    numbered = "\n\n".join(f"[{i}] ({c.section_label}) {c.text}" for i, c in enumerate(passages, start=1))
    wanted = "; ".join(M.LLM_WANTED[k] for k in kinds if k in M.LLM_WANTED)
    text = M.LLM_USER_TEMPLATE.format(
        passages=numbered,
        question=question.replace(">>>", ">> >"),
        wanted=M.LLM_WANTED_LINE.format(wanted=wanted) if wanted else "",
    )
    return [("system", M.LLM_SYSTEM_PROMPT), ("human", text)]


def generate(
    model: Any, question: str, passages: list[Chunk], *, timeout_s: float, kinds: tuple[str, ...] = ()
) -> str:
    """Ask the model; raise TimeoutError or the model's error so the caller can fall back."""
    future = _pool.submit(model.invoke, build_messages(question, passages, kinds))
    try:
        reply = future.result(timeout=timeout_s)
    except cf.TimeoutError as exc:
        future.cancel()
        raise TimeoutError(f"no answer from the language model within {timeout_s:.0f} s") from exc
    content = getattr(reply, "content", reply)
    return content if isinstance(content, str) else str(content)
