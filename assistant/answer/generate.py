"""The LLM path: generate from numbered passages, verify every sentence, fall back when unsure."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

import numpy as np

from assistant import messages as M
from assistant.answer.llm import generate
from assistant.answer.verify import verify_answer
from assistant.index.knowledge import KnowledgeBase
from assistant.types import Citation, Passage

log = logging.getLogger(__name__)
MIN_SUPPORTED = 1
_DOSE = re.compile(r"\b(capsules?|tablets?|pills?|dose|dosage|mg)\b", re.I)


def llm_answer(
    chat_model: Any,
    kb: KnowledgeBase,
    question: str,
    passages: list[Passage],
    *,
    embed: Callable[[list[str]], np.ndarray],
    timeout_s: float,
    kinds: tuple[str, ...] = (),
) -> tuple[str, list[Citation], bool, str]:
    """Return (text, citations, promotional, fallback notice); a notice means use the extractive answer."""
    chunks = [p.chunk for p in passages]
    try:
        raw = generate(chat_model, question, chunks, timeout_s=timeout_s, kinds=kinds)
    except (
        Exception
    ) as exc:  # any provider failure (network, auth, timeout) falls back; never reaches the user
        log.warning("LLM backend failed (%s); answering extractively", exc.__class__.__name__)
        return "", [], False, M.LLM_FALLBACK_NOTE
    if "NOT IN SOURCE" in raw:
        return "", [], False, M.LLM_FALLBACK_NOTE
    vectors = [kb.unit_vectors[kb.by_id[c.id]] for c in chunks]
    checked = verify_answer(raw, chunks, vectors, embed)
    kept = [c for c in checked if c.supported]
    # A dose needs the source's cautions beside it; the extractive composer guarantees that.
    if len(kept) < MIN_SUPPORTED or any(_DOSE.search(c.text) for c in kept):
        return "", [], False, M.LLM_FALLBACK_NOTE
    numbers: dict[int, int] = {}
    for c in kept:
        for n in c.cites:
            numbers.setdefault(n, len(numbers) + 1)
    first = chunks[0]
    lines: list[Any] = [
        M.OPENING.format(
            title=first.title,
            publisher=first.publisher or "unknown publisher",
            date=f", {first.published}" if first.published else "",
        )
    ]
    promotional = any(chunks[n - 1].promotional for n in numbers)
    if promotional:
        seller = next(chunks[n - 1] for n in numbers if chunks[n - 1].promotional)
        lines.append(
            M.SELLER_ATTRIBUTION.format(publisher=seller.publisher, product=seller.seller_of or "the product")
        )
    for c in kept:
        marks = "".join(f"[{numbers[n]}]" for n in c.cites)
        lines.append(f"- {c.text} {marks}")
    if promotional:
        lines += ["", f"> {M.SUPPLEMENT_DISCLAIMER}"]
    citations = [
        Citation(new, ch.source, ch.title, ch.section_label, ch.text, ch.promotional)
        for old, new in numbers.items()
        for ch in [chunks[old - 1]]
    ]
    return "\n".join(lines), citations, promotional, ""
