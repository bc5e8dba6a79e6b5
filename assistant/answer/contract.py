"""Answer stage: the reply objects every door returns (the contract's `ask --json` shape)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assistant import messages as M
from assistant.types import Answer, Citation, Passage


def disclaimer_block(text: str) -> str:
    """The disclaimer as the closing block of a reply."""
    return f"---\n_{text}_"


def final(decision: str, text: str, category: str, reason: str, passages: Sequence[Passage] = ()) -> Answer:
    """A reply with no citations (refusal, escalation, unavailable index)."""
    return Answer(
        decision=decision,  # type: ignore[arg-type]
        answer=text,
        citations=(),
        retrieved=tuple(passages),
        disclaimer=M.DISCLAIMER,
        category=category,
        reason=reason,
    )


def to_contract(answer: Answer) -> dict[str, Any]:
    """The `ask --json` object of the contract (plus guard detail for staff)."""
    return {
        "decision": answer.decision,
        "answer": answer.answer,
        "citations": [_citation(c) for c in answer.citations],
        "retrieved": [
            {
                "source": p.chunk.source,
                "section": p.chunk.section_label,
                "text": p.chunk.text,
                "score": p.fused,
                "dense": p.dense,
                "lexical": p.lexical,
                "fused": p.fused,
                "promotional": p.chunk.promotional,
                "chunk_id": p.chunk.id,
            }
            for p in answer.retrieved
        ],
        "disclaimer": answer.disclaimer,
        "not_covered": list(answer.extra.get("not_covered") or []),  # type: ignore[call-overload]
        "latency_ms": answer.latency_ms,
        "guard": {"category": answer.category, "reason": answer.reason},
    }


def _citation(c: Citation) -> dict[str, Any]:
    return {
        "n": c.n,
        "source": c.source,
        "title": c.title,
        "section": c.section,
        "text": c.text,
        "promotional": c.promotional,
    }
