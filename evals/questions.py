"""Question sets: JSONL in the contract's format, validated with line numbers in every error."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EXPECTS = ("answer", "refuse", "escalate")


class QuestionSetError(ValueError):
    """A question file that does not follow the format; the message names file and line."""


@dataclass(frozen=True)
class Question:
    """One eval case."""

    id: str
    question: str
    expect: str
    category: str = "uncategorised"
    style: str = ""
    evidence: tuple[str, ...] = ()
    must_include: tuple[Any, ...] = ()
    must_not_include: tuple[str, ...] = ()
    history: tuple[dict[str, str], ...] = field(default_factory=tuple)


def load_questions(paths: list[Path]) -> list[Question]:
    """Read and validate question files; ids must be unique across them."""
    out: list[Question] = []
    seen: set[str] = set()
    for path in paths:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise QuestionSetError(f"{path}: cannot read ({exc})") from exc
        for number, line in enumerate(lines, start=1):
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            where = f"{path}:{number}"
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                raise QuestionSetError(f"{where}: not valid JSON ({exc.msg})") from exc
            q = _parse(raw, where)
            if q.id in seen:
                raise QuestionSetError(f"{where}: duplicate id {q.id!r}")
            seen.add(q.id)
            out.append(q)
    if not out:
        raise QuestionSetError("no questions found in " + ", ".join(map(str, paths)))
    return out


def _parse(raw: Any, where: str) -> Question:
    if not isinstance(raw, dict):
        raise QuestionSetError(f"{where}: each line must be a JSON object")
    for key in ("id", "question", "expect"):
        if key not in raw:
            raise QuestionSetError(f"{where}: missing {key!r}")
    if raw["expect"] not in EXPECTS:
        raise QuestionSetError(f"{where}: expect must be one of {', '.join(EXPECTS)}")
    include = raw.get("must_include") or []
    if not all(
        isinstance(i, str) or (isinstance(i, list) and all(isinstance(x, str) for x in i)) for i in include
    ):
        raise QuestionSetError(f"{where}: must_include items are strings or lists of strings")
    history = raw.get("history") or []
    if not all(isinstance(t, dict) and "role" in t and "content" in t for t in history):
        raise QuestionSetError(f"{where}: history is a list of {{role, content}} objects")
    return Question(
        id=str(raw["id"]),
        question=str(raw["question"]),
        expect=raw["expect"],
        category=str(raw.get("category") or "uncategorised"),
        style=str(raw.get("style") or ""),
        evidence=tuple(str(e) for e in raw.get("evidence") or []),
        must_include=tuple(tuple(i) if isinstance(i, list) else i for i in include),
        must_not_include=tuple(str(s) for s in raw.get("must_not_include") or []),
        history=tuple({"role": str(t["role"]), "content": str(t["content"])} for t in history),
    )
