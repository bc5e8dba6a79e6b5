"""The small frozen records the pipeline stages pass between each other."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

DecisionKind = Literal["answer", "refuse", "escalate"]


@dataclass(frozen=True)
class Block:
    """One paragraph or list item of a document, under its heading path."""

    section: tuple[str, ...]
    text: str
    is_item: bool = False


@dataclass(frozen=True)
class Document:
    """A loaded source document: metadata plus its blocks in reading order."""

    source: str
    title: str
    blocks: tuple[Block, ...]
    content_hash: str
    publisher: str = ""
    published: str = ""
    origin: str = ""
    seller_of: str = ""
    promotional_from: str = ""
    promotional: bool = False


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage: text within one section, with the sentence units it is made of."""

    id: str
    source: str
    title: str
    section: tuple[str, ...]
    position: int
    text: str
    units: tuple[str, ...]
    promotional: bool
    doc_hash: str
    publisher: str = ""
    published: str = ""
    seller_of: str = ""
    roles: tuple[str, ...] = ()  # one per unit: what the sentence is for (assistant/ingest/roles.py)

    @property
    def section_label(self) -> str:
        """Heading path as one line, e.g. 'How to Address ... > Strengthening Exercises'."""
        return " > ".join(self.section)

    @property
    def embed_text(self) -> str:
        """Text that is embedded and indexed: the heading path gives the passage its context."""
        return f"{self.section_label}\n{self.text}"


@dataclass(frozen=True)
class Passage:
    """A chunk found for a question, with the scores that ranked it."""

    chunk: Chunk
    dense: float
    lexical: float
    fused: float
    rank: int


@dataclass(frozen=True)
class Citation:
    """A passage cited in an answer, by its marker number."""

    n: int
    source: str
    title: str
    section: str
    text: str
    promotional: bool


@dataclass(frozen=True)
class GuardVerdict:
    """What the guard decided before retrieval."""

    action: Literal["pass", "refuse", "escalate"]
    category: str
    reason: str
    text: str
    notices: tuple[str, ...] = ()
    urgency: str = ""
    set_aside: tuple[
        tuple[str, str], ...
    ] = ()  # (sentence, what it asks for) refused within a passed message


@dataclass(frozen=True)
class Answer:
    """The chain's reply in the contract's shape."""

    decision: DecisionKind
    answer: str
    citations: tuple[Citation, ...]
    retrieved: tuple[Passage, ...]
    disclaimer: str
    latency_ms: float = 0.0
    category: str = ""
    reason: str = ""
    notices: tuple[str, ...] = ()
    question: str = ""
    extra: dict[str, object] = field(default_factory=dict)
