"""Groundedness without an LLM: is each answer claim contained in, or close to, the passage it cites?

Deliberately independent of the composer and the verifier: its own splitting and matching rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from assistant import messages as M

_MARKER = re.compile(r"\[(\d{1,3})\]")
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    "the a an and or of to in on for with is are be can your you it this that as by at from".split()
)
# Fixed, claim-free lines a reply may carry (templates become patterns).
_TEMPLATES = list(M.FIXED_TEMPLATES)
_FIXED_PATTERNS = [
    re.compile("^" + re.sub(r"\\\{[a-z]+\\\}", ".*", re.escape(t)) + "$", re.IGNORECASE) for t in _TEMPLATES
]


@dataclass(frozen=True)
class Claim:
    """A piece of an answer with the passages it cites."""

    text: str
    cites: tuple[int, ...]
    supported: bool


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _is_fixed(line: str) -> bool:
    bare = line.strip().strip("_*> ").strip()
    if not bare:
        return True
    if any(bare == f or f.startswith(bare) or bare in f for f in M.FIXED_TEXTS):
        return True
    return any(p.match(bare) for p in _FIXED_PATTERNS)


def supports(claim: str, passage: str) -> bool:
    """Contained verbatim (whitespace and case aside), or 90% of its words and all its numbers are there."""
    c, p = _norm(claim), _norm(passage)
    if not c:
        return True
    if c in p:
        return True
    words = [w for w in c.split() if w not in _STOP]
    pw = set(p.split())
    if not words:
        return True
    share = sum(w in pw for w in words) / len(words)
    numbers_ok = all(w in pw for w in words if w.isdigit())
    return share >= 0.9 and numbers_ok


def claims(answer: str) -> list[tuple[str, tuple[int, ...]]]:
    """Split an answer into claims: each stretch of text ending in citation markers; the rest uncited."""
    body = answer.split("\n---\n")[0]  # the disclaimer block
    out: list[tuple[str, tuple[int, ...]]] = []
    for line in body.splitlines():
        stripped = line.strip()
        if (
            not stripped
            or stripped.startswith(">")
            or (stripped.startswith("**") and stripped.endswith("**"))
        ):
            continue
        if _is_fixed(stripped):
            continue
        text = re.sub(r"^[-*]\s+", "", stripped)
        pos = 0
        for m in re.finditer(r"(?:\s*\[\d{1,3}\])+", text):
            piece = text[pos : m.start()].strip(" .")
            if piece:
                out.append((piece, tuple(int(n) for n in _MARKER.findall(m.group(0)))))
            pos = m.end()
        tail = text[pos:].strip(" .")
        if tail and not _is_fixed(tail):
            out.append((tail, ()))
    return out


def check_answer(answer: str, citations: list[dict[str, Any]]) -> list[Claim]:
    """Each claim is supported when one of the passages it cites supports it."""
    by_n = {int(c["n"]): str(c["text"]) for c in citations}
    result = []
    for text, cites in claims(answer):
        ok = any(n in by_n and supports(text, by_n[n]) for n in cites)
        result.append(Claim(text, cites, ok))
    return result
