"""The corpus document keeps the source's wording: nothing changed, dropped or invented."""

from __future__ import annotations

import re
from pathlib import Path

from assistant.ingest.chunking import chunk_document, split_sentences
from assistant.ingest.loaders import load

ROOT = Path(__file__).resolve().parents[2]
SOURCE = Path(__file__).parents[1] / "data" / "muscle-imbalance-and-knee-pain.txt"
CORPUS = ROOT / "corpus" / "muscle-imbalance-and-knee-pain.md"


def _flat(text: str) -> str:
    """Whitespace, list markers and markdown markup aside."""
    text = re.sub(r"(?m)^\s*(#{1,6}|[-*]|\d+\.)\s+", " ", text)
    text = re.sub(r"(?m)^\s*-\s*$", " ", text)
    return " ".join(text.replace("**", "").split())


def test_every_source_sentence_is_in_the_corpus_document() -> None:
    corpus = _flat(CORPUS.read_text(encoding="utf-8"))
    lines = [ln.strip() for ln in SOURCE.read_text(encoding="utf-8").splitlines()]
    sentences = [s for ln in lines if ln and ln != "-" for s in split_sentences(ln.lstrip("- ").strip())]
    assert len(sentences) > 80
    missing = [s for s in sentences if _flat(s) not in corpus]
    assert missing == []


def test_corpus_adds_no_sentences_of_its_own() -> None:
    source = _flat(SOURCE.read_text(encoding="utf-8"))
    doc = load(CORPUS, source=CORPUS.name, max_bytes=10**7)
    for block in doc.blocks:
        assert _flat(block.text) in source, block.text


def test_front_matter_and_promotional_sections() -> None:
    doc = load(CORPUS, source=CORPUS.name, max_bytes=10**7)
    assert doc.title == "Muscle Imbalance and Knee Pain: Causes, Symptoms, and Treatment"
    assert (doc.publisher, doc.published) == ("MD therapeutics", "2025-02-01")
    chunks = chunk_document(doc, max_chars=700)
    promo = [c for c in chunks if c.promotional]
    assert promo and all(
        "Regenerix" in c.text
        or "Nutrition" in c.section_label
        or "Dosage" in c.section_label
        or "Approach" in c.section_label
        for c in promo
    )
    first_promo = min(c.position for c in promo)
    assert all(c.promotional for c in chunks if c.position >= first_promo)
    assert promo[0].section[0] == "Supporting Knee Health with Nutrition"
    assert not any("Regenerix" in c.text for c in chunks if not c.promotional)
