"""The serving index in memory: chunks, stored sentence vectors, a BM25 index and the dense store."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from scipy import sparse

from assistant.config import Settings
from assistant.errors import NoIndexError, StoreUnavailableError
from assistant.index.store import IndexStore, chunk_from_row, decode_vectors, iter_rows, make_store
from assistant.text import STOPWORDS, TypoIndex, content_terms, stem, words
from assistant.types import Chunk

EXACT_SEARCH_MAX = 20_000  # chunks; above this, dense search goes to Chroma's index
SENTENCE_SEARCH_MAX = 8_000  # sentences searched all at once; above this, only the candidates' sentences


class BM25:
    """Okapi BM25 over pre-tokenised documents, as one sparse matrix (fast at 100k chunks)."""

    def __init__(self, docs: list[list[str]], *, k1: float = 1.2, b: float = 0.75) -> None:
        self.vocab: dict[str, int] = {}
        rows, cols, vals = [], [], []
        lengths = np.array([max(len(d), 1) for d in docs], dtype=np.float32)
        avg = float(lengths.mean()) if len(docs) else 1.0
        df: dict[int, int] = {}
        for r, doc in enumerate(docs):
            counts: dict[int, int] = {}
            for tok in doc:
                col = self.vocab.setdefault(tok, len(self.vocab))
                counts[col] = counts.get(col, 0) + 1
            for col, tf in counts.items():
                df[col] = df.get(col, 0) + 1
                rows.append(r)
                cols.append(col)
                vals.append(tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[r] / avg)))
        n = len(docs)
        idf = np.zeros(len(self.vocab), dtype=np.float32)
        for col, freq in df.items():
            idf[col] = math.log(1 + (n - freq + 0.5) / (freq + 0.5))
        self.idf = idf
        self.max_idf = float(idf.max()) if len(idf) else 1.0
        weights: Any = np.array(vals, dtype=np.float32) * idf[np.array(cols, dtype=np.int64)] if vals else []
        self.matrix = sparse.csc_matrix((weights, (rows, cols)), shape=(n, len(self.vocab)), dtype=np.float32)

    def term_weight(self, term: str) -> float:
        """IDF of a term; unseen terms weigh as much as the rarest."""
        col = self.vocab.get(term)
        return float(self.idf[col]) if col is not None else self.max_idf

    def scores(self, query: list[str]) -> np.ndarray:
        """BM25 score of every document for the query tokens."""
        cols = [self.vocab[t] for t in set(query) if t in self.vocab]
        if not cols:
            return np.zeros(self.matrix.shape[0], dtype=np.float32)
        return np.asarray(self.matrix[:, cols].sum(axis=1)).ravel()


def lexical_tokens(text: str) -> list[str]:
    """Tokens for BM25: stemmed content words (repeats kept, they count as term frequency)."""
    return [stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 1]


@dataclass
class KnowledgeBase:
    """Everything answering needs, loaded once per index generation."""

    manifest: dict[str, Any]
    chunks: list[Chunk]
    unit_vectors: list[np.ndarray]
    chunk_matrix: np.ndarray | None  # chunk vectors, kept for exact search on small indexes
    collection: Any
    client: Any
    version: str

    def __post_init__(self) -> None:
        self.by_id = {c.id: i for i, c in enumerate(self.chunks)}
        # Per index generation, not per question: each sentence's terms and each section heading's.
        self.unit_terms = [[frozenset(content_terms(u)) for u in c.units] for c in self.chunks]
        self.heading_terms = [frozenset(content_terms(c.section[-1])) for c in self.chunks]
        self.bm25 = BM25([lexical_tokens(c.embed_text) for c in self.chunks])
        self.vocabulary = {t for c in self.chunks for t in content_terms(c.embed_text)} | {
            w for c in self.chunks for w in words(c.embed_text)
        }

    @cached_property
    def prefixes(self) -> dict[str, int]:
        """Every prefix (3+ letters) of a corpus word -> the shortest such word's length: inflection lookups."""
        out: dict[str, int] = {}
        for w in self.vocabulary:
            for end in range(3, len(w) + 1):
                out[w[:end]] = min(out.get(w[:end], len(w)), len(w))
        return out

    @cached_property
    def role_rows(self) -> dict[str, list[tuple[int, int]]]:
        """(chunk row, sentence index) of every sentence, by role."""
        out: dict[str, list[tuple[int, int]]] = {}
        for i, chunk in enumerate(self.chunks):
            for j, role in enumerate(chunk.roles[: len(self.unit_vectors[i])]):
                out.setdefault(role, []).append((i, j))
        return out

    @cached_property
    def sentence_matrix(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(every stored sentence vector as one matrix, each chunk's first row, the chunks that have rows)."""
        counts = np.array([len(v) for v in self.unit_vectors], dtype=np.int64)
        has = np.flatnonzero(counts)
        if not len(has):
            return np.zeros((0, 1), dtype=np.float32), np.zeros(0, dtype=np.int64), has
        matrix = np.asarray(np.vstack([self.unit_vectors[i] for i in has]), dtype=np.float32)
        starts = np.concatenate([[0], np.cumsum(counts[has])[:-1]])
        return matrix, starts, has

    def sentence_dense(
        self, vector: np.ndarray, k: int, among: list[int] | None = None
    ) -> list[tuple[int, float]]:
        """Chunks ranked by their best-matching sentence (a single answering sentence in a long chunk).

        Over every stored sentence while there are at most SENTENCE_SEARCH_MAX of them (this corpus has
        about 60); beyond that, over the sentences of the `among` chunks (the other searches' candidates),
        so a 100k-chunk index does not pay a 400k-row product on every question.
        """
        matrix, starts, has = self.sentence_matrix
        if not len(has):
            return []
        if len(matrix) <= SENTENCE_SEARCH_MAX or among is None:
            if len(matrix) > SENTENCE_SEARCH_MAX:
                return []
            best = np.maximum.reduceat(matrix @ vector, starts)  # rows are grouped by chunk, in order
            owners = has
        else:
            owners = np.array([i for i in dict.fromkeys(among) if len(self.unit_vectors[i])], dtype=np.int64)
            if not len(owners):
                return []
            best = np.array([float(np.max(self.unit_vectors[i] @ vector)) for i in owners], dtype=np.float32)
        k = min(k, len(owners))
        top = np.argpartition(-best, k - 1)[:k]
        return [(int(owners[i]), float(best[i])) for i in top[np.argsort(-best[top])]]

    @cached_property
    def typos(self) -> TypoIndex:
        """One-edit matching against the corpus's own words."""
        return TypoIndex(w for w in self.vocabulary if w not in STOPWORDS)

    def dense(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Nearest chunks by cosine similarity, as (chunk index, cosine)."""
        k = min(k, len(self.chunks))
        if k == 0:
            return []
        if self.chunk_matrix is not None:
            # Small index: exact cosine in memory (same ranking; Chroma's client round-trip cost ~1 ms)
            sims = self.chunk_matrix @ vector
            top = np.argpartition(-sims, k - 1)[:k]
            return [(int(i), float(sims[i])) for i in top[np.argsort(-sims[top])]]
        # Ids and distances only: the chunks are already in memory, and fetching documents and metadata
        # (with their packed sentence vectors) doubled the cost of a query (measured 1.8 vs 0.85 ms).
        try:
            hits = self.collection.query(
                query_embeddings=vector.reshape(1, -1), n_results=k, include=["distances"]
            )
        except Exception as exc:  # a Chroma server that went away raises transport errors of many types
            raise StoreUnavailableError(
                "The search index is not reachable right now; please try again shortly."
            ) from exc
        ids, distances = hits["ids"][0], hits["distances"][0]
        return [
            (self.by_id[i], 1.0 - float(d)) for i, d in zip(ids, distances, strict=True) if i in self.by_id
        ]

    @cached_property
    def title_terms(self) -> list[frozenset[str]]:
        """Stemmed words of each chunk's own section title (once per index generation)."""
        return [
            frozenset(stem(w) for w in words(c.section[-1] if c.section else c.title) if w not in STOPWORDS)
            for c in self.chunks
        ]

    @cached_property
    def top_sections(self) -> tuple[str, ...]:
        """Top-level section titles in reading order (once per index generation, not per question)."""
        seen: dict[str, None] = {}
        for c in self.chunks:  # already in (source, position) order
            if c.section and c.section[0] != c.title:
                seen.setdefault(c.section[0].rstrip(":"), None)
        return tuple(seen)

    def sections(self) -> list[str]:
        """Top-level section titles, in order, for telling a user what the source covers."""
        return list(self.top_sections[:12])

    def is_known(self, term: str) -> bool:
        """True when a (stemmed) term or a one-edit variant of it occurs in the corpus."""
        return term in self.vocabulary or self.typos.match(term) is not None


_lock = threading.Lock()


def load_knowledge(settings: Settings, store: IndexStore | None = None) -> KnowledgeBase:
    """Read the serving generation into memory; NoIndexError if there is none."""
    with _lock:
        store = store or make_store(settings)
        try:
            version = store.version()
            manifest = store.read_manifest()
            if manifest is None:
                raise NoIndexError(
                    f"No index found in {settings.data_dir}/: run `python ingest.py` (or `make run`) to build it."
                )
            client = store.client_for(manifest)
            collection = client.get_collection(manifest["collection"], embedding_function=None)
            chunks, vectors, chunk_vectors = [], [], []
            dim = int(manifest["dim"])
            exact = collection.count() <= EXACT_SEARCH_MAX
            include = ["documents", "metadatas"] + (["embeddings"] if exact else [])
            for row in iter_rows(collection, include=include):
                meta = row["metadatas"]
                chunks.append(chunk_from_row(row["id"], row["documents"], meta))
                vectors.append(decode_vectors(str(meta["unit_emb"]), dim))
                if exact:
                    chunk_vectors.append(np.asarray(row["embeddings"], dtype=np.float32))
        except (NoIndexError, StoreUnavailableError):
            raise
        except Exception as exc:  # chromadb/httpx raise many transport error types
            if settings.chroma_url:
                raise StoreUnavailableError(
                    f"Cannot reach the Chroma server at {settings.chroma_url}; start it or unset ASSISTANT_CHROMA_URL."
                ) from exc
            raise NoIndexError(
                f"The index in {settings.data_dir}/ cannot be opened ({exc.__class__.__name__}): run `python ingest.py --rebuild`."
            ) from exc
        order = sorted(range(len(chunks)), key=lambda i: (chunks[i].source, chunks[i].position))
        return KnowledgeBase(
            manifest=manifest,
            chunks=[chunks[i] for i in order],
            unit_vectors=[vectors[i] for i in order],
            chunk_matrix=np.asarray([chunk_vectors[i] for i in order], dtype=np.float32)
            if chunk_vectors
            else None,
            collection=collection,
            client=client,
            version=version,
        )
