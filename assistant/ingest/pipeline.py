"""Stage 3, index: load, chunk and embed a corpus into a new generation, incrementally."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant import __version__
from assistant.config import Settings
from assistant.errors import CorpusError, DocumentError
from assistant.index.embedder import Embedder, model_label
from assistant.index.factory import make_embedder
from assistant.index.store import MANIFEST_VERSION, IndexStore, chunk_metadata, make_store
from assistant.ingest.chunking import chunk_document
from assistant.ingest.loaders import discover, load
from assistant.types import Chunk, Document

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]
WRITE_BATCH = 256


@dataclass
class IngestReport:
    """What an ingest did, in the contract's --json shape (plus chunk-level detail)."""

    documents: int = 0
    chunks: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    skipped: list[str] = field(default_factory=list)
    chunks_embedded: int = 0
    chunks_reused: int = 0
    generation: str = ""
    changed: bool = False

    def to_json(self) -> dict[str, Any]:
        """The contract's object (extra keys are allowed by the contract)."""
        return asdict(self)


def load_corpus(corpus_dir: Path, settings: Settings, report: IngestReport) -> list[Document]:
    """Load every supported file; failures are recorded in the report, not raised."""
    if not corpus_dir.exists():
        raise CorpusError(
            f"Corpus folder {corpus_dir} does not exist; create it and add .md, .txt, .html or .pdf files."
        )
    if not corpus_dir.is_dir():
        raise CorpusError(f"{corpus_dir} is not a folder; pass --corpus DIR with the documents to index.")
    files, skipped = discover(corpus_dir)
    for path in skipped:
        log.warning("skipping %s: unsupported file type %r", path, path.suffix or "(none)")
        report.skipped.append(path.relative_to(corpus_dir).as_posix())
    if not files:
        raise CorpusError(
            f"No documents in {corpus_dir} (looked for .md, .txt, .html, .pdf); the existing index is unchanged."
        )
    docs = []
    max_bytes = int(settings.max_file_mb * 1_000_000)
    for path in files:
        source = path.relative_to(corpus_dir).as_posix()
        try:
            docs.append(load(path, source=source, max_bytes=max_bytes))
        except DocumentError as exc:
            report.failed.append({"path": source, "error": str(exc)})
    return docs


def run_ingest(
    settings: Settings,
    *,
    corpus_dir: Path | None = None,
    rebuild: bool = False,
    progress: Progress | None = None,
    store: IndexStore | None = None,
    embedder: Embedder | None = None,
) -> IngestReport:
    """Bring the index in line with the corpus; write a new generation only when something changed."""
    started = time.perf_counter()
    report = IngestReport()
    docs = load_corpus(corpus_dir or settings.corpus_dir, settings, report)
    store = store or make_store(settings)
    model_name = embedder.name if embedder else model_label(settings.embedding_model)
    old = store.read_manifest()
    serving = old["generation"] if old else "-"  # kept on disk even when rebuilt: an app may still serve it
    if old and (old.get("model") != model_name or old.get("chunk_chars") != settings.chunk_chars):
        old = None  # a model or chunking change rebuilds instead of mixing vectors
    if rebuild:
        old = None
    old_docs: dict[str, dict[str, Any]] = old["documents"] if old else {}

    failed_paths = {f["path"] for f in report.failed}
    kept_sources = [s for s in old_docs if s in failed_paths]  # a broken file keeps its last good chunks
    chunks: list[Chunk] = []
    reuse_ids: list[str] = [cid for s in kept_sources for cid in old_docs[s]["chunk_ids"]]
    for doc in docs:
        doc_chunks = chunk_document(doc, max_chars=settings.chunk_chars)
        prev = old_docs.get(doc.source)
        if prev is None:
            report.added += 1
        elif prev["hash"] != doc.content_hash:
            report.updated += 1
        else:
            report.unchanged += 1
        chunks.extend(doc_chunks)
    current = {d.source for d in docs} | set(kept_sources)
    report.removed = sum(1 for s in old_docs if s not in current)
    old_ids = {cid for info in old_docs.values() for cid in info["chunk_ids"]}
    reuse_ids += [c.id for c in chunks if c.id in old_ids]
    fresh = [c for c in chunks if c.id not in old_ids]
    report.documents = len(current)
    report.chunks = len(chunks) + sum(len(old_docs[s]["chunk_ids"]) for s in kept_sources)
    report.changed = old is None or bool(report.added or report.updated or report.removed)
    if not report.changed:
        report.generation = old["generation"] if old else ""
        report.chunks_reused = report.chunks
        report.seconds = round(time.perf_counter() - started, 3)
        return report

    embedder = embedder or make_embedder(
        settings.embedding_model, settings.embedding_backend, settings.model_cache
    )
    generation = f"g-{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    collection = store.create(generation, embedder.name)
    if old and reuse_ids:
        _copy_rows(store.open(old), collection, reuse_ids)
    _embed_and_write(fresh, collection, embedder, settings.embed_batch_size, progress)
    report.chunks_embedded, report.chunks_reused = len(fresh), len(reuse_ids)

    documents = {d.source: _doc_entry(d, [c for c in chunks if c.source == d.source]) for d in docs}
    documents |= {s: old_docs[s] for s in kept_sources}
    manifest = make_manifest(
        generation, collection.name, embedder, settings, chunks=report.chunks, documents=documents
    )
    store.write_manifest(manifest)  # the atomic switch: until here the old generation serves
    store.prune({generation, serving})
    report.generation = generation
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def make_manifest(
    generation: str,
    collection: str,
    embedder: Embedder,
    settings: Settings,
    *,
    chunks: int,
    documents: dict[str, Any],
) -> dict[str, Any]:
    """What a generation holds and how it was built (model, chunking, time, documents)."""
    return {
        "version": MANIFEST_VERSION,
        "generation": generation,
        "collection": collection,
        "model": embedder.name,
        "dim": embedder.dim,
        "chunk_chars": settings.chunk_chars,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "app_version": __version__,
        "chunks": chunks,
        "documents": documents,
    }


def _doc_entry(doc: Document, chunks: list[Chunk]) -> dict[str, Any]:
    return {
        "hash": doc.content_hash,
        "title": doc.title,
        "publisher": doc.publisher,
        "published": doc.published,
        "chunk_ids": [c.id for c in chunks],
        "sections": sorted({c.section_label for c in chunks}, key=[c.section_label for c in chunks].index),
        "promotional_chunks": sum(c.promotional for c in chunks),
    }


def _copy_rows(source: Any, target: Any, ids: list[str]) -> None:
    """Carry unchanged chunks over with their stored vectors: no re-embedding."""
    for start in range(0, len(ids), WRITE_BATCH):
        batch = source.get(
            ids=ids[start : start + WRITE_BATCH], include=["embeddings", "documents", "metadatas"]
        )
        target.add(
            ids=batch["ids"],
            embeddings=batch["embeddings"],
            documents=batch["documents"],
            metadatas=batch["metadatas"],
        )


def _embed_and_write(
    chunks: list[Chunk], collection: Any, embedder: Embedder, batch_size: int, progress: Progress | None
) -> None:
    """Embed chunk texts and their sentence units in one pass (better batches), then write."""
    total = len(chunks)
    done = 0
    if progress:
        progress(0, total)
    for start in range(0, total, WRITE_BATCH):
        group = chunks[start : start + WRITE_BATCH]
        texts = [c.embed_text for c in group]
        spans = []
        for c in group:
            spans.append((len(texts), len(texts) + len(c.units)))
            texts.extend(c.units)
        vectors = embedder.encode(texts, batch_size=batch_size)
        collection.add(
            ids=[c.id for c in group],
            embeddings=vectors[: len(group)],
            documents=[c.text for c in group],
            metadatas=[chunk_metadata(c, vectors[a:b]) for c, (a, b) in zip(group, spans, strict=True)],
        )
        done += len(group)
        if progress:
            progress(done, total)
