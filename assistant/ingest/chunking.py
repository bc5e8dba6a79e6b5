"""Stage 2, chunk: split documents by heading path, then by size, never across a section."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from assistant.ingest.roles import unit_roles
from assistant.types import Block, Chunk, Document

# Split after . ! ? when the next sentence starts; protect the abbreviations the corpus uses.
_ABBREV = re.compile(r"\b(vs|e\.g|i\.e|etc|Dr|Mr|Mrs|Ms|St|No|approx|incl)\.$", re.IGNORECASE)
_BOUNDARY = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, keeping abbreviations such as 'vs.' inside."""
    parts: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        candidate = text[start : match.start()].strip()
        if _ABBREV.search(candidate):
            continue
        if candidate:
            parts.append(candidate)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        parts.append(tail)
    return parts


def block_units(block: Block) -> list[str]:
    """A list item stays whole (a name with its instructions); a paragraph yields its sentences."""
    return [block.text] if block.is_item else split_sentences(block.text)


def is_promotional(doc: Document, section: tuple[str, ...], started: bool) -> bool:
    """True once the document's `promotional_from` heading has been reached, or for a promotional document."""
    return doc.promotional or started or (bool(doc.promotional_from) and doc.promotional_from in section)


def chunk_document(doc: Document, *, max_chars: int) -> list[Chunk]:
    """Group a document's blocks into chunks of at most ~max_chars within each section."""
    chunks: list[Chunk] = []
    promo_started = False
    for section, blocks in _by_section(doc.blocks):
        promo_started = is_promotional(doc, section, promo_started)
        for group in _pack(blocks, max_chars):
            text = "\n".join(f"- {b.text}" if b.is_item else b.text for b in group)
            units = tuple(u for b in group for u in block_units(b))
            promotional = promo_started
            chunks.append(
                Chunk(
                    id=chunk_id(doc.source, section, text),
                    source=doc.source,
                    title=doc.title,
                    section=section,
                    position=len(chunks),
                    text=text,
                    units=units,
                    promotional=promo_started,
                    doc_hash=doc.content_hash,
                    publisher=doc.publisher,
                    published=doc.published,
                    seller_of=doc.seller_of,
                    roles=unit_roles(units, section, doc.title, promotional),
                )
            )
    return _dedupe_ids(chunks)


def chunk_id(source: str, section: tuple[str, ...], text: str) -> str:
    """Stable id: a content hash of source, section path and text."""
    payload = "\x1f".join([source, " > ".join(section), text]).encode()
    return hashlib.sha256(payload).hexdigest()[:32]


def _by_section(blocks: Iterable[Block]) -> list[tuple[tuple[str, ...], list[Block]]]:
    groups: list[tuple[tuple[str, ...], list[Block]]] = []
    for block in blocks:
        if groups and groups[-1][0] == block.section:
            groups[-1][1].append(block)
        else:
            groups.append((block.section, [block]))
    return groups


def _pack(blocks: list[Block], max_chars: int) -> list[list[Block]]:
    """Greedy packing; a block longer than max_chars is split at sentence boundaries."""
    pieces: list[Block] = []
    for block in blocks:
        if len(block.text) <= max_chars or block.is_item:
            pieces.append(block)
            continue
        current = ""
        for sentence in split_sentences(block.text):
            if current and len(current) + len(sentence) + 1 > max_chars:
                pieces.append(Block(block.section, current))
                current = sentence
            else:
                current = f"{current} {sentence}".strip()
        if current:
            pieces.append(Block(block.section, current))
    groups: list[list[Block]] = []
    size = 0
    for piece in pieces:
        if groups and size + len(piece.text) + 1 <= max_chars:
            groups[-1].append(piece)
            size += len(piece.text) + 1
        else:
            groups.append([piece])
            size = len(piece.text)
    return groups


def _dedupe_ids(chunks: list[Chunk]) -> list[Chunk]:
    """Identical text twice in one section would collide; suffix the repeats."""
    seen: dict[str, int] = {}
    out = []
    for c in chunks:
        n = seen.get(c.id, 0)
        seen[c.id] = n + 1
        if n:
            from dataclasses import replace

            c = replace(c, id=f"{c.id}-{n}")
        out.append(c)
    return out
